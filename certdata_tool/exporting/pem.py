"""The `pem` format: one bundle of CERTIFICATE blocks, each under `#` lines saying what it is."""

from __future__ import annotations

import binascii
from typing import TYPE_CHECKING

from ..moments import human_date

if TYPE_CHECKING:
    from . import Provenance
    from .policy import Decision, Selection


def pem_block(kind: str, der: bytes, columns: int = 64) -> str:
    """RFC 7468 text: base64 in 64-character lines (or `columns`) between BEGIN and END lines."""
    text = binascii.b2a_base64(der, newline=False).decode("ascii")
    body = "\n".join([text[i : i + columns] for i in range(0, len(text), columns)])
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n"


def comment(text: str) -> str:
    """A `#` line; characters that would break a line or a terminal are escaped."""
    # Nearly every line is printable as it is: only the others are looked at character by character.
    safe = text if text.isprintable() else "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return f"# {safe}".rstrip() + "\n"


def root_comments(decision: Decision, format_name: str) -> str:
    """The lines above each certificate: label, SHA-256, purposes, distrust-after dates."""
    root = decision.root
    assert root is not None
    lines = [comment(decision.label), comment(f"SHA-256: {root.sha256}")]
    if decision.purposes:
        lines.append(comment("Trusted for: " + ", ".join(p.value for p in decision.purposes)))
    if decision.rejected:
        lines.append(comment("Rejected for: " + ", ".join(p.value for p in decision.rejected)))
    for purpose in decision.dated:
        distrust_purpose = purpose.distrust_purpose
        assert distrust_purpose is not None
        date = root.distrust_after.get(distrust_purpose)
        lines.append(comment(f"{purpose.value.capitalize()} distrust after: {human_date(date)} "
                             f"(NSS rejects certificates issued after it; {format_name} cannot "
                             "carry the date, so it is not enforced)"))
    return "".join(lines)


def header(lines: tuple[str, ...]) -> str:
    return "".join(comment(line) for line in lines) + "\n"


def render(selection: Selection, provenance: Provenance) -> bytes:
    from . import header_lines

    parts = [header(header_lines(provenance, selection))]
    for decision in selection.kept:
        assert decision.root is not None
        parts.append(root_comments(decision, "PEM") + pem_block("CERTIFICATE", decision.root.der) + "\n")
    return "".join(parts).encode("utf-8")
