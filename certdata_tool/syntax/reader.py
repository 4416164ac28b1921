"""Reading certdata.txt as NSS's certdata.perl does (comments anywhere outside quotes, a `CKA_CLASS`
line starts an object, `MULTILINE_OCTAL` runs to an `END` line), keeping each item's raw text, and
fast: the common shapes of real files take one regular-expression match each."""

from __future__ import annotations

import codecs
import gc
import re
import sys

from ..errors import ParseError
from .objects import (
    OCTAL_BYTES_PER_LINE,
    Attribute,
    CertdataFile,
    Comment,
    Entry,
    NssObject,
    decode_octal,
)
from .text import decode_certdata, has_undecodable, latin1_for_undecodable, undecodable_lines, unescape_label

# NAME TYPE [VALUE...]; names and types are C identifiers (CKA_*, CK_BBOOL, UTF8, ...).
# The general path's patterns are compiled on first use (re keeps them): real files rarely need it.
_ATTRIBUTE_LINE = r"[ \t]*([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)(?:[ \t]+(.*?))?[ \t]*"


def parse(text: str | bytes, *, source: str = "<certdata>") -> CertdataFile:
    """Read certdata text; raise ParseError naming the line for anything NSS could not read."""
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
        if isinstance(text, str):
            return _Reader(text, source, lossy=has_undecodable(text)).read()
        if text.isascii():
            return _Reader(text.decode("ascii"), source, lossy=False).read()
        # One non-ASCII letter makes Python store a whole decoded file at two bytes a character,
        # and every slice of it must be narrowed again: reading the bytes as Latin-1 (one character
        # each) and decoding only the pieces that are not ASCII saves a tenth of the parse (1.9 ms
        # of the real file's 21.6). A file that is not UTF-8 everywhere, or has an error, is read
        # again the ordinary way, which says exactly what and where.
        try:
            return _Reader(text.decode("latin-1"), source, lossy=False, bytewise=True).read()
        except (ParseError, UnicodeDecodeError):
            pass
        decoded, lossy = decode_certdata(text, source)
        return _Reader(decoded, source, lossy=lossy).read()
    finally:
        if collecting:
            gc.enable()


def _as_utf8(piece: str) -> str:
    """A piece of a file read byte for byte (as Latin-1), as the UTF-8 text it is; UnicodeDecodeError
    when it is not UTF-8."""
    return piece if piece.isascii() else piece.encode("latin-1").decode("utf-8")


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
_LINE_NOT_STARTING_A_GROUP = rb"\n[^\\]"
_C_TERMINATOR = r"(?:^|(?<=\n))\\0\r?\n\Z"  # a last body line `\0` (see _Reader.octal)
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
    if not addbuiltin_layout and (raw[0] != _BACKSLASH or re.search(_LINE_NOT_STARTING_A_GROUP, raw)):
        return None
    data: bytes = codecs.escape_decode(joined)[0]
    return data, lines


class _Reader:
    """One pass over the text; objects end where the next CKA_CLASS begins.

    MULTILINE_OCTAL bodies (nine lines in ten) are located with str.find and decoded as one
    string, so the per-line Python work is only for attribute and comment lines.
    """

    def __init__(self, text: str, source: str, *, lossy: bool, bytewise: bool = False) -> None:
        self.text = text
        self.source = source
        self.lossy = lossy  # the text holds bytes that are not UTF-8 (Latin-1 labels)
        # The text is the file's bytes as Latin-1. The quick patterns match on it as on the decoded
        # text where they look for ASCII (names, types, quotes, octal bodies, comment marks), and a
        # UTF-8 sequence is never ASCII; a value token that is not ASCII, where `\s` would tell
        # Unicode's spaces, goes the general way. Every piece kept that may hold other bytes
        # (header and comment lines, UTF8 values, a line the general path reads) is decoded as
        # UTF-8 first. MULTILINE_OCTAL values are ASCII when valid.
        self.bytewise = bytewise
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
        fix = _as_utf8 if self.bytewise else None
        if fix is not None:
            header = tuple(map(fix, header))
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
        lossy = self.lossy
        fast = _FAST_LINES.match
        comment_lines = _COMMENT_LINES.match
        find = text.find
        intern = sys.intern
        # Attributes are made with tuple.__new__ (Attribute is a NamedTuple): its own constructor
        # handles keywords and defaults, twice the time for the thousands the reader makes.
        make = tuple.__new__
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
                    if fix is None or block.isascii():
                        pending.extend(_COMMENT_LINE.findall(block))
                    else:
                        pending.extend(map(fix, _COMMENT_LINE.findall(block)))
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
                        if known is None and (fix is None or value.isascii()):
                            kept = raw if fix is None else fix(raw)
                            known = simple_lines[raw] = (intern(name), intern(type_), intern(value), kept)
                        # Read as Latin-1, a value that is not ASCII may end in a space of Unicode's
                        # (U+3000 is three letters in Latin-1, not a space): the general path reads it.
                        if known is not None:
                            attribute = make(Attribute, (*known, lineno, ""))
                elif octal is not None:
                    # Octal lines hold only backslashes and digits, so the first "END" ends a valid
                    # body; a body that fails the checks goes the general way, which names the bad line.
                    end = find("END", line_end)
                    if end > line_end and text[end - 1] == "\n" and text[end + 3 : end + 4] == "\n":
                        decoded = _octal_body(text[line_end:end])
                        if decoded is not None:
                            line_end = end + 4
                            # One copy of each name in memory, not one per attribute (a tenth of the store).
                            attribute = make(Attribute, (intern(name), "MULTILINE_OCTAL", decoded[0],
                                                         text[position:line_end], lineno, ""))
                            next_lineno += decoded[1] + 1
                else:
                    if fix is not None:
                        utf8, raw = fix(utf8), fix(raw)
                    elif lossy:
                        utf8 = latin1_for_undecodable(utf8)
                    attribute = make(Attribute, (intern(name), "UTF8", utf8, raw, lineno, ""))
            if attribute is None:
                line_end = find("\n", position)
                line_end = size if line_end < 0 else line_end + 1
                line = text[position:line_end]
                if fix is not None:
                    line = fix(line)
                first = line[0]
                if first == "#" or (first in " \t\r\n" and (not line.strip() or line.lstrip()[0] == "#")):
                    if not pending:
                        pending_line = lineno
                    pending.append(line)
                    position, lineno = line_end, lineno + 1
                    continue
                attribute, line_end, next_lineno = self.attribute(line, position, line_end, lineno)
                if fix is not None and attribute.type == "MULTILINE_OCTAL" and not attribute.text.isascii():
                    # Its lines come from the text, not from `line`: a comment on them was not decoded.
                    attribute = attribute._replace(text=fix(attribute.text))
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
            undecodable=undecodable_lines(text) if lossy else (),
        )

    def attribute(self, line: str, position: int, line_end: int,
                  lineno: int) -> tuple[Attribute, int, int]:
        """The attribute starting at `line`, with the position and line number after it."""
        match = re.fullmatch(_ATTRIBUTE_LINE, line.rstrip("\r\n"))
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
        value = unescape_label(rest[1:closing])
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
        terminated = re.search(_C_TERMINATOR, body)
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
