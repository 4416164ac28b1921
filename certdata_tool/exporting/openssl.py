"""The `openssl` format: TRUSTED CERTIFICATE blocks whose auxiliary data lists trusted and rejected uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..x509 import der
from .pem import comment, header, pem_block, root_comments

if TYPE_CHECKING:
    from . import Provenance
    from .policy import Decision, Purpose, Selection


def certificate_aux(trusted: tuple[Purpose, ...], rejected: tuple[Purpose, ...], alias: str) -> bytes:
    """OpenSSL's X509_CERT_AUX: SEQUENCE { trust SEQUENCE OF OID OPTIONAL,
    reject [0] IMPLICIT SEQUENCE OF OID OPTIONAL, alias UTF8String OPTIONAL, ... }."""
    fields = []
    if trusted:
        fields.append(der.sequence(*(der.oid(p.oid) for p in trusted)))
    if rejected:
        fields.append(der.explicit(0, b"".join(der.oid(p.oid) for p in rejected)))
    fields.append(der.utf8_string(alias))
    return der.sequence(*fields)


def trusted_certificate(decision: Decision) -> str:
    root = decision.root
    assert root is not None
    aux = certificate_aux(decision.purposes, decision.rejected, decision.label)
    return pem_block("TRUSTED CERTIFICATE", root.der + aux)


def render(selection: Selection, provenance: Provenance) -> bytes:
    from . import header_lines
    from .policy import Verdict

    parts = [header(header_lines(provenance, selection))]
    for decision in selection.decisions:
        if decision.root is None or decision.verdict is Verdict.DROPPED:
            continue
        text = root_comments(decision, "OpenSSL")
        if decision.verdict is Verdict.DISTRUSTED:
            text += comment("Explicitly distrusted by NSS: written with rejected uses only")
        parts.append(text + trusted_certificate(decision) + "\n")
    return "".join(parts).encode("utf-8")
