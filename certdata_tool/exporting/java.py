"""The `java` format: a PKCS#12 truststore, one trusted-certificate entry per root, password `changeit`."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from ..x509 import der

if TYPE_CHECKING:
    from . import Provenance
    from .policy import Decision, Selection

# The password every JDK's own cacerts uses; a truststore holds no secret, the MAC only checks integrity.
PASSWORD = "changeit"
MAC_ITERATIONS = 10_000  # what the JDK writes

DATA = "1.2.840.113549.1.7.1"
CERT_BAG = "1.2.840.113549.1.12.10.1.3"
X509_CERTIFICATE = "1.2.840.113549.1.9.22.1"
FRIENDLY_NAME = "1.2.840.113549.1.9.20"
# The JDK's "trusted key usage" bag attribute: without it keytool does not see a trustedCertEntry.
JAVA_TRUSTED_KEY_USAGE = "2.16.840.1.113894.746875.1.1"
SHA256 = "2.16.840.1.101.3.4.2.1"


def aliases(decisions: tuple[Decision, ...]) -> tuple[str, ...]:
    """One alias per root (in order): the label, with SHA-256 digits where labels clash ignoring
    case (the JDK compares aliases that way), by exporting.names."""
    from .names import unique_names

    wanted = []
    for decision in decisions:
        assert decision.root is not None
        wanted.append((decision.label, decision.root.sha256))
    return unique_names(wanted, lambda label, digits: f"{label} [{digits}]")


def cert_bag(der_certificate: bytes, alias: str, decision: Decision) -> bytes:
    bag_value = der.sequence(der.oid(X509_CERTIFICATE), der.explicit(0, der.octet_string(der_certificate)))
    attributes = der.set_of(
        der.sequence(der.oid(FRIENDLY_NAME), der.set_of(der.bmp_string(alias))),
        der.sequence(der.oid(JAVA_TRUSTED_KEY_USAGE),
                     der.set_of(*(der.oid(p.oid) for p in decision.purposes))),
    )
    return der.sequence(der.oid(CERT_BAG), der.explicit(0, bag_value), attributes)


def pkcs12_key(password: str, salt: bytes, iterations: int, purpose_id: int, size: int) -> bytes:
    """RFC 7292 appendix B.2 key derivation with SHA-256 (u = 32, v = 64)."""
    u, v = 32, 64
    diversifier = bytes([purpose_id]) * v
    secret = password.encode("utf-16-be") + b"\x00\x00"

    def stretch(data: bytes) -> bytes:
        if not data:
            return b""
        count = -(-len(data) // v) * v
        return (data * (count // len(data) + 1))[:count]

    block = bytearray(stretch(salt) + stretch(secret))
    out = b""
    while len(out) < size:
        digest = diversifier + bytes(block)
        for _ in range(iterations):
            digest = hashlib.sha256(digest).digest()
        out += digest
        b = int.from_bytes((digest * (v // u + 1))[:v], "big") + 1
        for start in range(0, len(block), v):
            value = (int.from_bytes(block[start : start + v], "big") + b) % (1 << (v * 8))
            block[start : start + v] = value.to_bytes(v, "big")
    return out[:size]


def render(selection: Selection, provenance: Provenance) -> bytes:
    kept = selection.kept
    bags = []
    for decision, alias in zip(kept, aliases(kept), strict=True):
        root = decision.root
        assert root is not None
        bags.append(cert_bag(root.der, alias, decision))
    safe_contents = der.sequence(*bags)
    authenticated_safe = der.sequence(
        der.sequence(der.oid(DATA), der.explicit(0, der.octet_string(safe_contents))))
    # A fixed salt derived from the content keeps the file the same for the same input.
    salt = hashlib.sha256(b"certdata-tool PKCS#12 MAC salt\0" + authenticated_safe).digest()[:16]
    key = pkcs12_key(PASSWORD, salt, MAC_ITERATIONS, 3, 32)
    mac = hmac.new(key, authenticated_safe, hashlib.sha256).digest()
    mac_data = der.sequence(
        der.sequence(der.sequence(der.oid(SHA256), der.null()), der.octet_string(mac)),
        der.octet_string(salt),
        der.integer(MAC_ITERATIONS),
    )
    return der.sequence(
        der.integer(3),
        der.sequence(der.oid(DATA), der.explicit(0, der.octet_string(authenticated_safe))),
        mac_data,
    )
