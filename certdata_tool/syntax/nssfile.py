"""Lossless syntax of certdata.txt: text ⇄ CertdataFile, keeping every byte of every line.

The reader follows what NSS's certdata.perl accepts (comments anywhere outside quotes, a
`CKA_CLASS` line starts an object, `MULTILINE_OCTAL` runs to an `END` line) and keeps each
item's raw text, so `dump(parse(text)) == text` and an edit re-renders only what it touches.
It knows nothing of X.509 or YAML.
"""

from __future__ import annotations

import codecs
import gc
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..errors import ParseError

OCTAL_BYTES_PER_LINE = 16  # addbuiltin's dumpbytes()

# NAME TYPE [VALUE...]; names and types are C identifiers (CKA_*, CK_BBOOL, UTF8, ...).
_ATTRIBUTE_LINE = re.compile(r"[ \t]*([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)(?:[ \t]+(.*?))?[ \t]*")
_LABEL_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", '"': b'"', "$": b"$", "@": b"@"}


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute of an object: `NAME TYPE VALUE`, or a MULTILINE_OCTAL block up to `END`."""

    name: str
    type: str
    # MULTILINE_OCTAL: the bytes; UTF8: the decoded string; other types: the value token.
    value: bytes | str
    text: str  # every raw line of the attribute, line terminators included
    line: int  # 1-based line of the attribute in the parsed file; 0 when made by an edit
    trailing: str = ""  # text after the value that is neither blank nor a comment (kept for lint)

    @property
    def octal(self) -> bytes:
        """The bytes of a MULTILINE_OCTAL value; empty for any other type."""
        return self.value if isinstance(self.value, bytes) else b""


# The reader makes thousands of attributes: setting the slots directly takes half the time of the
# frozen dataclass's __init__ (one object.__setattr__ call per field), for the same object.
_new_object = object.__new__
_SET_NAME, _SET_TYPE, _SET_VALUE, _SET_TEXT, _SET_LINE, _SET_TRAILING = (
    getattr(Attribute, name).__set__ for name in ("name", "type", "value", "text", "line", "trailing"))


def _new_attribute(name: str, type_: str, value: bytes | str, text: str, line: int) -> Attribute:
    """`Attribute(name, type_, value, text, line)`, made the quick way (for the reader)."""
    attribute: Attribute = _new_object(Attribute)
    _SET_NAME(attribute, name)
    _SET_TYPE(attribute, type_)
    _SET_VALUE(attribute, value)
    _SET_TEXT(attribute, text)
    _SET_LINE(attribute, line)
    _SET_TRAILING(attribute, "")
    return attribute


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment or blank line inside an object, such as `# For Server Distrust After: ...`."""

    text: str  # the raw line, terminator included
    line: int


Entry = Attribute | Comment


@dataclass(frozen=True, slots=True)
class NssObject:
    """A PKCS#11 object: the comment block before it, then its attribute lines in file order."""

    preamble: tuple[str, ...]  # raw blank and comment lines between the previous object and this one
    entries: tuple[Entry, ...]  # starts with the CKA_CLASS attribute
    line: int  # line of CKA_CLASS; 0 when made by an edit
    preamble_line: int = 0  # line of the first preamble line (== line when there is none)

    @property
    def object_class(self) -> str:
        first = self.entries[0]
        assert isinstance(first, Attribute)
        return str(first.value)

    def attribute(self, name: str) -> Attribute | None:
        """The first attribute called `name`, or None."""
        for entry in self.entries:
            if isinstance(entry, Attribute) and entry.name == name:
                return entry
        return None

    def attributes(self) -> Iterator[Attribute]:
        return (entry for entry in self.entries if isinstance(entry, Attribute))

    @property
    def label(self) -> str | None:
        attribute = self.attribute("CKA_LABEL")
        return attribute.value if attribute is not None and isinstance(attribute.value, str) else None

    def text(self) -> str:
        return "".join(self.preamble) + "".join(entry.text for entry in self.entries)


@dataclass(frozen=True, slots=True)
class CertdataFile:
    """A whole certdata.txt: the header up to `BEGINDATA`, the objects, and what follows them."""

    header: tuple[str, ...]  # raw lines up to and including the BEGINDATA line
    objects: tuple[NssObject, ...]
    trailer: tuple[str, ...] = ()  # raw blank and comment lines after the last object
    source: str = field(default="<certdata>", compare=False)
    newline: str = field(default="\n", compare=False)  # line ending for lines an edit writes
    # Lines holding bytes that are not UTF-8 (kept as they are, read as Latin-1 for display).
    undecodable: tuple[int, ...] = field(default=(), compare=False)


def parse(text: str | bytes, *, source: str = "<certdata>") -> CertdataFile:
    """Read certdata text; raise ParseError naming the line for anything NSS could not read."""
    if isinstance(text, bytes):
        text = _decode(text, source)
    if not text:
        raise ParseError("empty file: expected a certdata.txt with a BEGINDATA line", source=source,
                         line=1)
    # The reader makes a few objects per line and no reference cycles. Python's cycle collector
    # would walk all of them again every few thousand allocations, which makes a large file's
    # parse time grow faster than its size (1.7 times as long for 100 copies of the real file):
    # it pauses while the reader runs.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Reader(text, source).read()
    finally:
        if collecting:
            gc.enable()


def dump(store: CertdataFile) -> str:
    """The text of `store`; for an unedited parse result, exactly the text that was parsed."""
    parts = list(store.header)
    for obj in store.objects:
        parts.extend(obj.preamble)
        parts.extend(entry.text for entry in obj.entries)
    parts.extend(store.trailer)
    return "".join(parts)


def encode_octal(data: bytes, newline: str = "\n") -> str:
    """MULTILINE_OCTAL body lines as addbuiltin writes them: `\\ooo`, 16 bytes a line."""
    lines = []
    for start in range(0, len(data), OCTAL_BYTES_PER_LINE):
        chunk = data[start : start + OCTAL_BYTES_PER_LINE]
        lines.append("".join(f"\\{byte:03o}" for byte in chunk) + newline)
    return "".join(lines)


def decode_octal(body: str | bytes) -> bytes:
    """Bytes of concatenated `\\ooo` groups (no separators); ValueError when it is anything else."""
    raw = body.encode("ascii", "replace") if isinstance(body, str) else body
    groups = len(raw) // 4
    # Byte-level checks run in C: every fourth byte is the only kind of backslash, every other
    # byte an octal digit, and the first digit of each group at most 3 (a byte is <= 0o377).
    if (
        not raw
        or len(raw) % 4
        or raw.translate(None, b"\\01234567")
        or raw.count(b"\\") != groups
        or raw[0::4].count(b"\\") != groups
        or raw[1::4].translate(None, b"0123")
    ):
        raise ValueError("not a sequence of \\ooo octal escapes")
    data: bytes = codecs.escape_decode(raw)[0]
    return data


def octal_attribute(name: str, data: bytes, newline: str = "\n") -> Attribute:
    """A new `NAME MULTILINE_OCTAL` attribute in NSS's layout."""
    text = f"{name} MULTILINE_OCTAL{newline}{encode_octal(data, newline)}END{newline}"
    return Attribute(name, "MULTILINE_OCTAL", data, text, 0)


def simple_attribute(name: str, type_: str, value: str, newline: str = "\n") -> Attribute:
    """A new one-line attribute such as `CKA_TOKEN CK_BBOOL CK_TRUE`."""
    return Attribute(name, type_, value, f"{name} {type_} {value}{newline}", 0)


def utf8_attribute(name: str, value: str, newline: str = "\n") -> Attribute:
    """A new `NAME UTF8 "value"` attribute; the value is written raw (NSS writes UTF-8, not escapes)."""
    return Attribute(name, "UTF8", value, f'{name} UTF8 "{value}"{newline}', 0)


def replace_objects(store: CertdataFile, objects: tuple[NssObject, ...]) -> CertdataFile:
    return replace(store, objects=objects)


def _decode(data: bytes, source: str) -> str:
    """The text of `data`. Bytes that are not UTF-8 are kept (as surrogate escapes, so that the
    file writes back byte for byte) where old files have them: in comments and in UTF8 values
    (one NSS revision of 2009 has a Latin-1 label); anywhere else they are an error."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "surrogateescape")
    for match in _UNDECODABLE.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        line = text[start : len(text) if end < 0 else end]
        if not _MAY_HOLD_OTHER_BYTES.match(line):
            at = len(text[: match.start()].encode("utf-8", "surrogateescape"))
            raise ParseError(f"not valid UTF-8 (byte 0x{data[at:at + 1].hex()}); certdata.txt is UTF-8 text",
                             source=source, line=data.count(b"\n", 0, at) + 1)
    return text


# Bytes that are not UTF-8, as the surrogateescape error handler gives them.
_UNDECODABLE = re.compile("[\udc80-\udcff]+")
# The lines of real files that may hold them: comments and quoted UTF8 values.
_MAY_HOLD_OTHER_BYTES = re.compile(r'[ \t]*(?:#|[A-Za-z_]\w*[ \t]+UTF8[ \t]+")')


def _has_undecodable(text: str) -> bool:
    """Whether `text` holds bytes that are not UTF-8. Encoding is a C loop; the regular expression
    alone takes 30 ms over the real file, more than the rest of its parse."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a surrogate: an escaped byte, or one a caller put in the text
        return _UNDECODABLE.search(text) is not None
    return False


def _undecodable_lines(text: str) -> tuple[int, ...]:
    lines = []
    for number, piece in enumerate(text.split("\n"), start=1):
        if _UNDECODABLE.search(piece):
            lines.append(number)
    return tuple(lines)


def latin1_for_undecodable(text: str) -> str:
    """Each byte that is not UTF-8 (a surrogate escape) read as the Latin-1 letter it stands for."""
    if not _has_undecodable(text):
        return text
    return _UNDECODABLE.sub(lambda match: "".join(chr(ord(ch) - 0xDC00) for ch in match.group()), text)


def _unescape_label(raw: str) -> str:
    """Perl/C double-quoted string semantics, as certdata.perl evaluates labels (`\\xHH` etc.)."""
    if "\\" not in raw:
        return latin1_for_undecodable(raw)
    decoded = bytearray()
    position = 0
    for match in _LABEL_ESCAPE.finditer(raw):
        decoded += latin1_for_undecodable(raw[position : match.start()]).encode("utf-8")
        escape = match.group(1)
        if escape[0] == "x":
            # Perl reads "\x" without hex digits as a NUL character, as certdata.perl would.
            decoded.append(int(escape[1:], 16) if len(escape) > 1 else 0)
        elif escape[0] in "01234567":
            decoded.append(int(escape, 8) & 0xFF)
        else:
            decoded += _SIMPLE_ESCAPES.get(escape, latin1_for_undecodable(escape).encode("utf-8"))
        position = match.end()
    # Bytes the file holds that are not UTF-8 are Latin-1 letters; escapes that make bytes that are
    # not UTF-8 become U+FFFD (lint CD112 says so).
    decoded += latin1_for_undecodable(raw[position:]).encode("utf-8")
    return decoded.decode("utf-8", "replace")


# One match reads an attribute line in the forms nearly every real file is made of (LF line ends,
# one space between tokens), one more a run of comment and blank lines; a MULTILINE_OCTAL body is
# found with str.find and checked and decoded at once by _octal_body. Anything else, and every
# error, takes the general per-line path of _Reader.read, which gives the same result for these
# texts: this halves the Python work per attribute, which is most of the parse time.
_FAST_LINES = re.compile(
    r"(([A-Za-z_][A-Za-z0-9_]*) (?:"  # ASCII names only (\w is slower): others go the general way
    r"(MULTILINE_OCTAL)\n"
    r'|UTF8 "([^"\\\n]*)"\r?\n'
    r"|([A-Za-z_][A-Za-z0-9_]*) ([^\s#\"]+)\r?\n))"
)
_COMMENT_LINES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)+")  # blank and comment lines
_COMMENT_LINE = re.compile(r"[^\n]*\n")
_BEGINDATA = re.compile(r"^[ \t]*BEGINDATA[ \t]*\r?$", re.MULTILINE)
# Every octal digit as "0": `\ooo` groups become `\000`, and nothing else does.
_OCTAL_SHAPE = bytes.maketrans(b"1234567", b"0000000")
_LINE_NOT_STARTING_A_GROUP = re.compile(rb"\n[^\\]")
_C_TERMINATOR = re.compile(r"(?:^|(?<=\n))\\0\r?\n\Z")  # a last body line `\0` (see _Reader.octal)
_LINE = OCTAL_BYTES_PER_LINE * 4 + 1  # an addbuiltin body line: 16 groups and LF
_BACKSLASH = ord("\\")


def _octal_body(body: str) -> tuple[bytes, int] | None:
    """The bytes of a body of LF-ended `\\ooo` lines and its number of lines; None for any other body.

    The checks of decode_octal and _whole_groups_per_line (certdata.perl reads each line as its
    own C string) in fewer passes over the bytes, for the reader.
    """
    try:
        raw = body.encode("ascii")
    except UnicodeEncodeError:
        return None
    joined = raw.replace(b"\n", b"")
    size = len(joined)
    groups = size >> 2
    if (
        not size
        or size & 3
        or joined.translate(_OCTAL_SHAPE) != b"\\000" * groups
        or joined[1::4].translate(None, b"0123")  # a byte is at most \377
    ):
        return None
    lines = len(raw) - size
    # Every line must start a group. In addbuiltin's layout (every line but the last 64 characters
    # long) the newlines stand where they must; any other layout is searched for a line that does not.
    last = len(raw) - 1 - _LINE * (lines - 1)  # the last line's length, in that layout
    full_lines_end = raw[_LINE - 1 : _LINE * (lines - 1) : _LINE]  # where they end, in that layout
    addbuiltin_layout = 0 < last < _LINE and full_lines_end.count(b"\n") == lines - 1
    if not addbuiltin_layout and (raw[0] != _BACKSLASH or _LINE_NOT_STARTING_A_GROUP.search(raw)):
        return None
    data: bytes = codecs.escape_decode(joined)[0]
    return data, lines


class _Reader:
    """One pass over the text; objects end where the next CKA_CLASS begins.

    MULTILINE_OCTAL bodies (nine lines in ten) are located with str.find and decoded as one
    string, so the per-line Python work is only for attribute and comment lines.
    """

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        first_end = text.find("\n")
        self.newline = "\r\n" if first_end > 0 and text[first_end - 1] == "\r" else "\n"

    def error(self, message: str, line: int) -> ParseError:
        return ParseError(message, source=self.source, line=line)

    def read(self) -> CertdataFile:
        text = self.text
        begin = _BEGINDATA.search(text)
        if begin is None:
            # Name the last line: the reader got to the end of the file without finding it.
            raise ParseError("no BEGINDATA line: this is not a certdata.txt file", source=self.source,
                             line=len(_lines(text)))
        position = text.find("\n", begin.end())
        position = len(text) if position < 0 else position + 1
        header = tuple(_lines(text[:position]))
        lineno = len(header) + 1
        objects: list[NssObject] = []
        # Blank/comment lines not yet placed: always one run of consecutive lines.
        pending: list[str] = []
        pending_line = lineno
        preamble: list[str] = []
        preamble_line = 0
        entries: list[Entry] = []
        start = 0  # line of the open object's CKA_CLASS; 0 while none is open
        size = len(text)
        lossy = _has_undecodable(text)  # bytes that are not UTF-8 (Latin-1 labels)
        fast = _FAST_LINES.match
        comment_lines = _COMMENT_LINES.match
        find = text.find
        intern = sys.intern
        new_attribute = _new_attribute
        simple_lines: dict[str, tuple[str, str, str, str]] = {}
        add = entries.append
        attribute: Attribute | None
        while position < size:
            attribute = None
            found = fast(text, position)
            if found is None:
                comments = comment_lines(text, position)
                if comments is not None:
                    if not pending:
                        pending_line = lineno
                    block = comments.group()
                    pending.extend(_COMMENT_LINE.findall(block))
                    lineno += block.count("\n")
                    position = comments.end()
                    if position == size:
                        break
                    found = fast(text, position)
            if found is not None:
                raw, name, octal, utf8, type_, value = found.groups()
                line_end = found.end()
                next_lineno = lineno + 1
                if type_ is not None:
                    if type_ != "UTF8" and type_ != "MULTILINE_OCTAL":
                        # The same few lines (`CKA_TOKEN CK_BBOOL CK_TRUE`) make half the attributes:
                        # they share one copy of their text and tokens.
                        known = simple_lines.get(raw)
                        if known is None:
                            known = simple_lines[raw] = (raw, intern(name), intern(type_), intern(value))
                        attribute = new_attribute(known[1], known[2], known[3], known[0], lineno)
                elif octal is not None:
                    # Octal lines hold only backslashes and digits, so the first "END" ends a valid
                    # body; a body that fails the checks goes the general way, which names the bad line.
                    end = find("END", line_end)
                    if end > line_end and text[end - 1] == "\n" and text[end + 3 : end + 4] == "\n":
                        decoded = _octal_body(text[line_end:end])
                        if decoded is not None:
                            line_end = end + 4
                            # One copy of each name in memory, not one per attribute (a tenth of the store).
                            attribute = new_attribute(intern(name), "MULTILINE_OCTAL", decoded[0],
                                                      text[position:line_end], lineno)
                            next_lineno += decoded[1] + 1
                else:
                    if lossy:
                        utf8 = latin1_for_undecodable(utf8)
                    attribute = new_attribute(intern(name), "UTF8", utf8, raw, lineno)
            if attribute is None:
                line_end = find("\n", position)
                line_end = size if line_end < 0 else line_end + 1
                line = text[position:line_end]
                first = line[0]
                if first == "#" or (first in " \t\r\n" and (not line.strip() or line.lstrip()[0] == "#")):
                    if not pending:
                        pending_line = lineno
                    pending.append(line)
                    position, lineno = line_end, lineno + 1
                    continue
                attribute, line_end, next_lineno = self.attribute(line, position, line_end, lineno)
                name = attribute.name
            if name == "CKA_CLASS":
                if start:
                    objects.append(_object(preamble, preamble_line, entries, start))
                preamble, preamble_line, entries, start = pending, pending_line, [attribute], lineno
                add = entries.append
                pending = []
            elif not start:
                raise self.error(f"{name} outside an object: the first attribute after "
                                 "BEGINDATA must be CKA_CLASS", lineno)
            else:
                if pending:
                    entries.extend(Comment(text, number) for number, text in enumerate(pending, pending_line))
                    pending = []
                add(attribute)
            position, lineno = line_end, next_lineno
        if start:
            objects.append(_object(preamble, preamble_line, entries, start))
        return CertdataFile(
            header=header,
            objects=tuple(objects),
            trailer=tuple(pending),
            source=self.source,
            newline=self.newline,
            undecodable=_undecodable_lines(text) if lossy else (),
        )

    def attribute(self, line: str, position: int, line_end: int,
                  lineno: int) -> tuple[Attribute, int, int]:
        """The attribute starting at `line`, with the position and line number after it."""
        match = _ATTRIBUTE_LINE.fullmatch(line.rstrip("\r\n"))
        if match is None:
            raise self.error(f"cannot read attribute line {line.strip()[:60]!r}: "
                             "expected NAME TYPE VALUE", lineno)
        name, type_, rest = match.group(1), match.group(2), match.group(3) or ""
        if type_ == "MULTILINE_OCTAL":
            return self.octal(name, rest, position, line_end, lineno)
        if type_ == "UTF8":
            return self.utf8(name, rest, line, lineno), line_end, lineno + 1
        # certdata.perl splits on any whitespace and drops a comment even without a space before it.
        value, _, after = rest.partition("#")[0].replace("\t", " ").strip().partition(" ")
        if not value:
            raise self.error(f"{name} {type_} has no value", lineno)
        return Attribute(name, type_, value, line, lineno, _junk(after)), line_end, lineno + 1

    def utf8(self, name: str, rest: str, line: str, lineno: int) -> Attribute:
        if not rest.startswith('"'):
            raise self.error(f"{name} UTF8 value must be a quoted string, found {rest[:40]!r}", lineno)
        closing = rest.find('"', 1)
        if closing < 0:
            raise self.error(f"unterminated UTF8 string in {name}: no closing quote", lineno)
        value = _unescape_label(rest[1:closing])
        return Attribute(name, "UTF8", value, line, lineno, _junk(rest[closing + 1 :]))

    def octal(self, name: str, rest: str, position: int, body_start: int,
              lineno: int) -> tuple[Attribute, int, int]:
        if _junk(rest):
            raise self.error(f"unexpected {rest[:40]!r} after {name} MULTILINE_OCTAL", lineno)
        text = self.text
        # Octal lines hold only backslashes and digits, so the first "END" ends a valid body.
        end = text.find("END", body_start)
        if end < 0:
            raise self.error(f"unterminated MULTILINE_OCTAL value of {name}: no END line "
                             "before the end of the file", lineno)
        end_line_start = text.rfind("\n", 0, end) + 1
        end_line_end = text.find("\n", end)
        end_line_end = len(text) if end_line_end < 0 else end_line_end + 1
        body = text[body_start:end_line_start]
        if text[end_line_start:end_line_end].strip() != "END":
            return self.bad_octal(name, body_start, lineno, text[body_start:end_line_end])
        if not body:
            raise self.error(f"MULTILINE_OCTAL value of {name} has no bytes", lineno)
        # Three NSS revisions of 2000 end a value with a line `\0`: their generator wrote C string
        # literals, and this one only ends the string. It stays in the text; the value is the bytes
        # before it.
        terminated = _C_TERMINATOR.search(body)
        if terminated is not None and terminated.start() > 0:
            body = body[: terminated.start()]
        joined = body.replace("\n", "")
        if "\r" in joined:  # CRLF lines, possibly mixed with LF ones; a lone CR stays and fails
            joined = body.replace("\r\n", "\n").replace("\n", "")
        try:
            if not _whole_groups_per_line(body):
                raise ValueError("a line that does not start a \\ooo group")
            data = decode_octal(joined)
        except ValueError:
            return self.bad_octal(name, body_start, lineno, body)
        next_lineno = lineno + text.count("\n", body_start, end_line_start) + 2
        attribute = Attribute(name, "MULTILINE_OCTAL", data, text[position:end_line_end], lineno)
        return attribute, end_line_end, next_lineno

    def bad_octal(self, name: str, body_start: int, lineno: int,
                  body: str) -> tuple[Attribute, int, int]:
        """Raise with the first bad body line, so the message names it."""
        for offset, raw in enumerate(body.split("\n"), start=1):
            content = raw.removesuffix("\r")
            if content.strip() == "END":
                break
            try:
                decode_octal(content)
            except ValueError:
                # Show the line as it is in the file (repr would double every backslash).
                shown = content[:40]
                shown = f"'{shown}'" if shown.isprintable() else repr(shown)
                raise self.error(f"bad octal escape in MULTILINE_OCTAL value of {name}: "
                                 f"{shown if content else 'an empty line'} is not \\ooo groups",
                                 lineno + offset) from None
        raise self.error(f"bad octal escape in MULTILINE_OCTAL value of {name}", lineno)


def _whole_groups_per_line(body: str) -> bool:
    """Every body line starts with a backslash (so no line is empty and no group is split).

    certdata.perl makes each line its own C string literal, so `\\00` + `1\\002` on two lines
    is not `\\001\\002`: with the joined body holding whole groups, this rules that out.
    """
    return body[0] == "\\" and body.count("\n\\") == body.count("\n") - 1


def _object(preamble: list[str], preamble_line: int, entries: list[Entry], start: int) -> NssObject:
    return NssObject(tuple(preamble), tuple(entries), start, preamble_line if preamble else start)


def _lines(text: str) -> list[str]:
    """Split after each "\\n" only (str.splitlines also splits on form feeds and more)."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


def _junk(text: str) -> str:
    """Text after a value that is neither blank nor a comment ("" when there is none)."""
    text = text.strip()
    return "" if not text or text[0] == "#" else text
