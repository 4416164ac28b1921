"""What a text looks like by its content, whatever its name: so a message can say "this is a spec,
not a certdata.txt" when a user swaps the arguments or gives the wrong file."""

from __future__ import annotations

import re
from enum import Enum

__all__ = ["TextKind", "looks_like"]


class TextKind(Enum):
    """The inputs certdata-tool reads, as a message names them."""

    CERTDATA = "a certdata.txt"
    CHANGE_SPEC = "a change spec"
    NSSCKBI = "NSS's nssckbi.h"
    PEM = "a PEM certificate"
    DER = "a DER certificate"
    CCADB_REPORT = "CCADB's report of included roots"


# Each sign is a line only that kind of file has (YAML top-level keys start at the first column).
# Compiled on first use (re keeps them): every command that reads a file loads this module, and
# only a failed read asks what the file looks like.
_CERTDATA = rb"^(?:BEGINDATA|CKA_CLASS CK_OBJECT_CLASS \w+)\s*$"
_NSSCKBI = rb"^\s*#\s*define\s+NSS_BUILTINS_LIBRARY_VERSION"
_CHANGE_SPEC = rb"^(?:version|changes)\s*:"
# CCADB's CSV header (docs: CCADB.md), a byte order mark allowed before it.
_CCADB_REPORT = rb'\A(?:\xef\xbb\xbf)?[^\n]*"?SHA-256 Fingerprint"?[^\n]*\n'
_PEM = rb"^-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----"


def looks_like(data: bytes | str) -> TextKind | None:
    """The kind of input `data` looks like, or None when it looks like none of them.

    A guess for messages only, never a decision: the readers still read what they are given.
    """
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if re.match(_CCADB_REPORT, raw):  # before PEM: each row holds a certificate
        return TextKind.CCADB_REPORT
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if re.search(_CERTDATA, raw, re.M):
        return TextKind.CERTDATA
    if re.search(_NSSCKBI, raw, re.M):
        return TextKind.NSSCKBI
    if re.search(_CHANGE_SPEC, raw, re.M):  # before PEM: a spec may hold a certificate inline
        return TextKind.CHANGE_SPEC
    if re.search(_PEM, raw, re.M):
        return TextKind.PEM
    if _is_der_sequence(raw):
        return TextKind.DER
    return None


def _is_der_sequence(raw: bytes) -> bool:
    """One DER SEQUENCE filling the whole of `raw`, as a certificate file holds (tag and length only:
    floor 2 has no X.509 reader, and a guess needs none)."""
    if len(raw) < 2 or raw[0] != 0x30:
        return False
    first = raw[1]
    if first < 0x80:
        return 2 + first == len(raw)
    count = first & 0x7F
    if not 1 <= count <= 4 or len(raw) < 2 + count:
        return False
    return 2 + count + int.from_bytes(raw[2:2 + count], "big") == len(raw)
