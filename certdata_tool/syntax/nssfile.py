"""Lossless syntax of certdata.txt: text ⇄ CertdataFile, keeping every byte of every line.

The reader follows what NSS's certdata.perl accepts and keeps each item's raw text, so
`dump(parse(text)) == text` and an edit re-renders only what it touches. It knows nothing of
X.509 or YAML. The values live in `objects.py`, the reading in `reader.py`; this module is the
face the rest of the tool imports.
"""

from __future__ import annotations

from .objects import (
    OCTAL_BYTES_PER_LINE,
    Attribute,
    CertdataFile,
    Comment,
    Entry,
    NssObject,
    decode_octal,
    encode_octal,
    octal_attribute,
    replace_objects,
    simple_attribute,
    utf8_attribute,
)
from .reader import parse
from .text import latin1_for_undecodable


def dump(store: CertdataFile) -> str:
    """The text of `store`; for an unedited parse result, exactly the text that was parsed."""
    parts = list(store.header)
    for obj in store.objects:
        parts.extend(obj.preamble)
        parts.extend(entry.text for entry in obj.entries)
    parts.extend(store.trailer)
    return "".join(parts)


__all__ = [
    "OCTAL_BYTES_PER_LINE",
    "Attribute",
    "CertdataFile",
    "Comment",
    "Entry",
    "NssObject",
    "decode_octal",
    "dump",
    "encode_octal",
    "latin1_for_undecodable",
    "octal_attribute",
    "parse",
    "replace_objects",
    "simple_attribute",
    "utf8_attribute",
]
