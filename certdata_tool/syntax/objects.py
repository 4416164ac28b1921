"""The values of certdata.txt's syntax: attributes, comments, objects and the whole file, each
keeping its raw text; the MULTILINE_OCTAL codec and the attributes an edit writes, in NSS's layout."""

import codecs
from collections.abc import Iterator
from typing import NamedTuple

OCTAL_BYTES_PER_LINE = 16  # addbuiltin's dumpbytes()


# The values of this module are NamedTuples, not frozen dataclasses: every command that reads a
# file defines them, and a frozen dataclass costs ~0.7 ms of start-up to define (its methods are
# compiled from source), a NamedTuple a tenth of that. They are as immutable; equality is by value.
class Attribute(NamedTuple):
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


class Comment(NamedTuple):
    """A comment or blank line inside an object, such as `# For Server Distrust After: ...`."""

    text: str  # the raw line, terminator included
    line: int


Entry = Attribute | Comment


class NssObject(NamedTuple):
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

    def __repr__(self) -> str:
        return f"NssObject({self.object_class}, label={self.label!r}, line={self.line})"

    def text(self) -> str:
        return "".join(self.preamble) + "".join(entry.text for entry in self.entries)


class CertdataFile(NamedTuple):
    """A whole certdata.txt: the header up to `BEGINDATA`, the objects, and what follows them.
    Two files are equal when their text is: where they were read from does not count."""

    header: tuple[str, ...]  # raw lines up to and including the BEGINDATA line
    objects: tuple[NssObject, ...]
    trailer: tuple[str, ...] = ()  # raw blank and comment lines after the last object
    source: str = "<certdata>"
    newline: str = "\n"  # line ending for lines an edit writes
    # Lines holding bytes that are not UTF-8 (kept as they are, read as Latin-1 for display).
    undecodable: tuple[int, ...] = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CertdataFile):
            return NotImplemented
        return self[:3] == other[:3]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self[:3])

    def __repr__(self) -> str:
        # A whole file's lines would fill a screen (and every repr holding a file, such as apply's outcome).
        return f"CertdataFile(source={self.source!r}, objects={len(self.objects)})"




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
    return store._replace(objects=objects)

