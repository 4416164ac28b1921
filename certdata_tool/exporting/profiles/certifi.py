"""certifi's `cacert.pem`: `# Issuer/Subject/Label/Serial/...Fingerprint` lines above each PEM block."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...errors import ExportError
from ...x509 import der
from ..pem import pem_block
from ..policy import DistrustAfterPolicy, select_roots
from . import ProfileDefaults, ProfileSource, written_label

if TYPE_CHECKING:
    from ...model.roots import Root, RootSet
    from ...syntax.nssfile import CertdataFile
    from ..exclusions import Exclusion
    from ..policy import ExportPolicy, Selection

# Since 2024-12-14 certifi keeps a root until its release date is more than 398 days past the root's
# server distrust-after date; --at is that release date.
DEFAULTS = ProfileDefaults(
    distrust_after=DistrustAfterPolicy.GRACE,
    at_required="certifi's distrust-after policy (grace) is judged at the release date",
)

_CN, _O, _OU = der.oid_contents("2.5.4.3"), der.oid_contents("2.5.4.10"), der.oid_contents("2.5.4.11")


def select(store: CertdataFile, root_set: RootSet, policy: ExportPolicy,
           exclusions: Iterable[Exclusion]) -> Selection:
    return select_roots(root_set, policy, exclusions, one_copy_each=False)


def name_text(name_der: bytes) -> str:
    """`CN=… O=…/… OU=…/…`: the last CN, every O and every OU, in that order whatever the DER's order;
    absent parts left out, other attributes not shown, nothing escaped."""
    values: dict[bytes, list[str]] = {_CN: [], _O: [], _OU: []}
    for attribute in der.name_attributes(name_der):
        found = values.get(attribute.oid)
        if found is not None:
            found.append(der.directory_string(attribute.tag, attribute.value))
    parts = []
    if values[_CN]:
        parts.append(f"CN={values[_CN][-1]}")
    if values[_O]:
        parts.append("O=" + "/".join(values[_O]))
    if values[_OU]:
        parts.append("OU=" + "/".join(values[_OU]))
    return " ".join(parts)


def fingerprint(digest: bytes) -> str:
    """Lower-case hex byte pairs joined by `:`."""
    return digest.hex(":")


def root_header(label: str, root: Root) -> str:
    """The empty line and the seven `#` lines above one root's PEM block."""
    try:
        parts = der.certificate_parts(root.der)
        subject = name_text(parts.subject)
        # A root is self-signed: its issuer is nearly always the same bytes.
        issuer = subject if parts.issuer == parts.subject else name_text(parts.issuer)
        serial = int.from_bytes(der.read(parts.serial)[0].content, "big", signed=True)
    except ValueError as error:
        raise ExportError(f"{root.label}: cannot read the certificate for certifi's headers: {error}",
                          line=root.line) from None
    value = root.der
    return (f"\n# Issuer: {issuer}\n# Subject: {subject}\n# Label: {label}\n# Serial: {serial}\n"
            f"# MD5 Fingerprint: {fingerprint(hashlib.md5(value, usedforsecurity=False).digest())}\n"
            f"# SHA1 Fingerprint: {fingerprint(hashlib.sha1(value, usedforsecurity=False).digest())}\n"
            f"# SHA256 Fingerprint: {fingerprint(hashlib.sha256(value).digest())}\n")


def render(store: CertdataFile, selection: Selection, source: ProfileSource) -> bytes:
    parts = []
    for decision in selection.kept:
        root = decision.root
        assert root is not None
        # The label as written, quotes included, each run of whitespace made one space.
        label = " ".join(written_label(store, root.certificate_index).split())
        parts.append(root_header(label, root) + pem_block("CERTIFICATE", root.der))
    # certifi's file is ASCII: names and labels carry Python's \xNN, \uNNNN and \UNNNNNNNN escapes.
    return "".join(parts).encode("ascii", "backslashreplace")
