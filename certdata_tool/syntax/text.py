"""The bytes of certdata.txt as text: UTF-8, with the bytes old files hold that are not UTF-8 kept
(as surrogate escapes, so the file writes back byte for byte), and labels read with the Perl/C
string escapes certdata.perl evaluates."""

from __future__ import annotations

import re

from ..errors import ParseError

# Patterns compiled on first use (re keeps them): most files have neither escapes nor stray bytes.
_LABEL_ESCAPE = r"(?s)\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)"
_SIMPLE_ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", '"': b'"', "$": b"$", "@": b"@"}


def decode_certdata(data: bytes, source: str) -> tuple[str, bool]:
    """The text of `data`, and whether it holds bytes that are not UTF-8. Those are kept (as
    surrogate escapes, so that the file writes back byte for byte) where old files have them: in
    comments and in UTF8 values (one NSS revision of 2009 has a Latin-1 label); anywhere else they
    are an error."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "surrogateescape")
    for match in re.finditer(_UNDECODABLE, text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        line = text[start : len(text) if end < 0 else end]
        if not re.match(_MAY_HOLD_OTHER_BYTES, line):
            at = len(text[: match.start()].encode("utf-8", "surrogateescape"))
            raise ParseError(f"not valid UTF-8 (byte 0x{data[at:at + 1].hex()}); certdata.txt is UTF-8 text",
                             source=source, line=data.count(b"\n", 0, at) + 1)
    return text, True


# Bytes that are not UTF-8, as the surrogateescape error handler gives them.
_UNDECODABLE = "[\udc80-\udcff]+"
# The lines of real files that may hold them: comments and quoted UTF8 values.
_MAY_HOLD_OTHER_BYTES = r'[ \t]*(?:#|[A-Za-z_]\w*[ \t]+UTF8[ \t]+")'  # compiled on first use


def has_undecodable(text: str) -> bool:
    """Whether `text` holds bytes that are not UTF-8. Encoding is a C loop; the regular expression
    alone takes 30 ms over the real file, more than the rest of its parse."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a surrogate: an escaped byte, or one a caller put in the text
        return re.search(_UNDECODABLE, text) is not None
    return False


def undecodable_lines(text: str) -> tuple[int, ...]:
    lines = []
    for number, piece in enumerate(text.split("\n"), start=1):
        if re.search(_UNDECODABLE, piece):
            lines.append(number)
    return tuple(lines)


def latin1_for_undecodable(text: str) -> str:
    """Each byte that is not UTF-8 (a surrogate escape) read as the Latin-1 letter it stands for."""
    if not has_undecodable(text):
        return text
    return re.sub(_UNDECODABLE, lambda match: "".join(chr(ord(ch) - 0xDC00) for ch in match.group()), text)


def unescape_label(raw: str) -> str:
    """Perl/C double-quoted string semantics, as certdata.perl evaluates labels (`\\xHH` etc.)."""
    if "\\" not in raw:
        return latin1_for_undecodable(raw)
    decoded = bytearray()
    position = 0
    for match in re.finditer(_LABEL_ESCAPE, raw):
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
