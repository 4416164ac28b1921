"""The `p11-kit` format: a `.p11-kit` source file with purposes, distrust and distrust-after dates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..moments import encode_utctime
from ..x509 import der
from .pem import comment, header, pem_block

if TYPE_CHECKING:
    from ..model.roots import DistrustEntry, Root
    from . import Provenance
    from .policy import Decision, Purpose, Selection

SECTION = "[p11-kit-object-v1]\n"
EXTENDED_KEY_USAGE = "2.5.29.37"
# p11-kit's attached extension for purposes to reject (the same list as OpenSSL's "rejected uses").
OPENSSL_REJECT = "1.3.6.1.4.1.3319.6.10.1"
# What NSS's CK_BBOOL CK_FALSE compiles to: one zero byte, read as "no distrust-after date".
NOT_SET = b"\x00"

_VERBATIM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-. ")


def quote(value: bytes) -> str:
    """A p11-kit string value: double quotes around URL-encoded bytes, as p11-kit writes them."""
    return '"' + "".join(chr(b) if b in _VERBATIM else f"%{b:02X}" for b in value) + '"'


def _extension(object_id: str, critical: bool, purposes: tuple[Purpose, ...]) -> bytes:
    """An X.509 Extension whose value is a SEQUENCE OF purpose OIDs (the shape of extKeyUsage)."""
    value = der.sequence(*(der.oid(p.oid) for p in purposes))
    fields = [der.oid(object_id)]
    if critical:
        fields.append(der.boolean(True))
    fields.append(der.octet_string(value))
    return der.sequence(*fields)


def _attached_extension(label: str, object_id: str, value: bytes, public_key_info: bytes) -> str:
    """p11-kit attaches an extension to every certificate with the same public key."""
    return (SECTION
            + "class: x-certificate-extension\n"
            + f"label: {quote(label.encode('utf-8'))}\n"
            + f"object-id: {object_id}\n"
            + f"value: {quote(value)}\n"
            + "modifiable: false\n"
            + pem_block("PUBLIC KEY", public_key_info)
            + "\n")


def _distrust_after_value(root: Root, which: str) -> bytes:
    date = root.distrust_after.server if which == "server" else root.distrust_after.email
    return NOT_SET if date is None else encode_utctime(date)


def certificate_object(decision: Decision, distrusted: bool) -> str:
    root = decision.root
    assert root is not None
    lines = [
        SECTION,
        f"label: {quote(decision.label.encode('utf-8'))}\n",
        "x-distrusted: true\n" if distrusted else "trusted: true\n",
        f"nss-mozilla-ca-policy: {'true' if root.mozilla_ca_policy else 'false'}\n",
        # NSS reads a date only when both attributes are present, so both are always written.
        f"nss-server-distrust-after: {quote(_distrust_after_value(root, 'server'))}\n",
        f"nss-email-distrust-after: {quote(_distrust_after_value(root, 'email'))}\n",
        "modifiable: false\n",
        pem_block("CERTIFICATE", root.der),
        "\n",
    ]
    return "".join(lines)


def serial_distrust_object(entry: DistrustEntry) -> str:
    """A distrust by issuer and serial number, for a trust object that has no certificate."""
    return (SECTION
            + f"label: {quote(entry.label.encode('utf-8'))}\n"
            + "class: certificate\n"
            + "certificate-type: x-509\n"
            + f"issuer: {quote(entry.issuer)}\n"
            + f"serial-number: {quote(entry.serial)}\n"
            + "x-distrusted: true\n"
            + "modifiable: false\n"
            + "\n")


def _attached_purposes(selection: Selection) -> dict[bytes, tuple[tuple[Purpose, ...], tuple[Purpose, ...]]]:
    """Public key -> (trusted, rejected) purposes. p11-kit attaches extensions by public key, so roots
    that share a key (re-issued certificates) share one extension: trusted for any purpose one of
    them is trusted for, rejected only for what none of them is trusted for."""
    from ..x509.der import certificate_parts
    from .policy import Purpose

    trusted: dict[bytes, set[Purpose]] = {}
    rejected: dict[bytes, set[Purpose]] = {}
    for decision in selection.kept:
        assert decision.root is not None
        key = certificate_parts(decision.root.der).public_key_info
        trusted.setdefault(key, set()).update(decision.purposes)
        rejected.setdefault(key, set()).update(decision.rejected)
    return {key: (tuple(p for p in Purpose if p in trusted[key]),
                  tuple(p for p in Purpose if p in rejected[key] and p not in trusted[key]))
            for key in trusted}


def render(selection: Selection, provenance: Provenance) -> bytes:
    from ..x509.der import certificate_parts
    from . import header_lines
    from .policy import Verdict

    attached = _attached_purposes(selection)
    written: set[bytes] = set()
    parts = [header(header_lines(provenance, selection))]
    for decision in selection.decisions:
        if decision.verdict is Verdict.DROPPED:
            continue
        text = comment(decision.label)
        if decision.entry is not None:
            parts.append(text + serial_distrust_object(decision.entry))
            continue
        root = decision.root
        assert root is not None
        text += comment(f"SHA-256: {root.sha256}")
        if decision.verdict is Verdict.DISTRUSTED:
            parts.append(text + certificate_object(decision, distrusted=True))
            continue
        key = certificate_parts(root.der).public_key_info
        if key not in written:
            written.add(key)
            trusted, rejected = attached[key]
            # Without an attached extKeyUsage p11-kit would trust the root for every purpose.
            text += _attached_extension(decision.label, EXTENDED_KEY_USAGE,
                                        _extension(EXTENDED_KEY_USAGE, True, trusted), key)
            if rejected:
                text += _attached_extension(decision.label, OPENSSL_REJECT,
                                            _extension(OPENSSL_REJECT, False, rejected), key)
        parts.append(text + certificate_object(decision, distrusted=False))
    return "".join(parts).encode("utf-8")
