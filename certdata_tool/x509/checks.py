"""Reading a certificate for a new root (PEM or DER) and the warnings a maintainer should see about it."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..moments import human_date
from .certificate import signature_algorithm_name, verify_own_signature
from .der import certificate_parts
from .nss_text import info_lines, nss_name

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["certificate_from_bytes", "certificate_warnings", "certificates_from_bytes", "pem_certificate",
           "pem_lines"]

_PEM_BLOCK = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]+)-----\s*?\r?\n(.*?)-----END ([A-Z0-9 ]+)-----", re.DOTALL)
_CERTIFICATE_PEM_TYPES = (b"CERTIFICATE", b"X509 CERTIFICATE")

# What Mozilla's Root Store Policy (section 5.1) lets a root use: RSA of at least 2048 bits
# (a multiple of 8) with SHA-256/384/512, PKCS#1 v1.5 or PSS; ECDSA on P-256 or P-384 with
# SHA-256 or SHA-384. Everything else may be refused by NSS or by the policy.
_RSA_SIGNATURES: tuple[str, ...] = ("1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
                                    "1.2.840.113549.1.1.10")
_ECDSA_SIGNATURES: tuple[str, ...] = ("1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3")
_ACCEPTED_CURVES = ("secp256r1", "secp384r1")


def _check_der(der: bytes, source: str) -> bytes:
    """`der` if it is one X.509 certificate NSS's addbuiltin could print; ValueError otherwise."""
    from asn1crypto import x509

    try:
        certificate_parts(der)
        info_lines(der)
        certificate = x509.Certificate.load(der, strict=True)
        # Force parsing of what NSS needs beyond the names: key, algorithms and extensions.
        tbs = certificate["tbs_certificate"]
        _ = (tbs["subject_public_key_info"]["algorithm"].native, tbs["extensions"].native,
             certificate["signature_algorithm"].native)
    except Exception as error:  # noqa: BLE001 - asn1crypto raises many types for bad input
        # asn1crypto appends "while parsing ..." lines; a user error is one line.
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ValueError(f"{source} is not a certificate: {reason}") from None
    return der


def certificate_from_bytes(data: bytes, source: str) -> bytes:
    """The DER bytes of the one certificate in `data` (PEM or DER); ValueError naming `source` otherwise."""
    if b"-----BEGIN" in data:
        return _check_der(pem_certificate(data, source), source)
    if data[:1] != b"\x30":
        raise ValueError(f"{source} is not a certificate: expected PEM (-----BEGIN CERTIFICATE-----) "
                         "or DER (a file starting with a SEQUENCE)")
    return _check_der(data, source)


def certificates_from_bytes(data: bytes, source: str) -> tuple[tuple[str, bytes], ...]:
    """Every certificate in `data` (a PEM bundle, one PEM block or DER) as (its name in messages,
    its DER bytes): `source` itself for a file of one, `source:LINE: certificate 2 of 3` in a
    bundle (the line of its BEGIN). ValueError naming the certificate otherwise."""
    if b"-----BEGIN" not in data:
        return ((source, certificate_from_bytes(data, source)),)
    blocks = _pem_blocks(data, source)
    names = [source] if len(blocks) == 1 else [
        f"{source}:{line}: certificate {number} of {len(blocks)}"
        for number, (line, _) in enumerate(blocks, start=1)]
    return tuple((name, _check_der(_base64(block, name), name))
                 for name, (_, block) in zip(names, blocks, strict=True))


def pem_certificate(data: bytes, source: str) -> bytes:
    """The bytes inside the one PEM CERTIFICATE block of `data`, not checked to be a certificate;
    ValueError naming `source` otherwise."""
    certificates = _pem_blocks(data, source)
    if len(certificates) > 1:
        raise ValueError(f"{source} holds {len(certificates)} certificates; an add takes exactly one")
    return _base64(certificates[0][1], source)


def _pem_blocks(data: bytes, source: str) -> list[tuple[int, bytes]]:
    """(line of BEGIN, base64 text) of each PEM CERTIFICATE block, at least one; ValueError otherwise."""
    blocks = list(_PEM_BLOCK.finditer(data))
    certificates = [(data.count(b"\n", 0, block.start()) + 1, block.group(2)) for block in blocks
                    if block.group(1) in _CERTIFICATE_PEM_TYPES and block.group(3) == block.group(1)]
    if not certificates:
        kinds = ", ".join(sorted({block.group(1).decode("ascii") for block in blocks})) or "none complete"
        raise ValueError(f"{source} is not a certificate: it holds no PEM CERTIFICATE block "
                         f"(PEM blocks found: {kinds})")
    return certificates


def _base64(block: bytes, source: str) -> bytes:
    try:
        return base64.b64decode(b"".join(block.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{source} is not a certificate: its PEM block is not valid base64") from None


def pem_lines(der: bytes) -> list[str]:
    """`der` as the lines of a PEM CERTIFICATE block (64 base64 characters a line), without newlines."""
    text = base64.b64encode(der).decode("ascii")
    return ["-----BEGIN CERTIFICATE-----", *(text[start : start + 64] for start in range(0, len(text), 64)),
            "-----END CERTIFICATE-----"]


def certificate_warnings(der: bytes, at: datetime | None) -> tuple[str, ...]:
    """What may be wrong with `der` as a new root at the instant `at` (naive means UTC), in words.

    With `at` None the validity period is not checked: the core never reads the clock.
    Nothing here stops an add: NSS has carried odd roots, and the maintainer decides.
    """
    import warnings

    from cryptography import x509

    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    with warnings.catch_warnings():
        # cryptography warns about some real roots' encodings (serial number 0, for one); what
        # matters to NSS is reported below in words.
        warnings.simplefilter("ignore")
        try:
            certificate = x509.load_der_x509_certificate(der)
            extensions = certificate.extensions
        except Exception as error:  # noqa: BLE001 - cryptography refuses what it cannot read
            return (f"cannot check the certificate: cryptography cannot read it ({error})",)
        found: list[str] = []
        found += _self_signed_warnings(der, certificate)
        found += _ca_warnings(extensions)
        not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
        if at is not None and at > not_after:
            found.append(f"expired: not valid after {human_date(not_after)} (checked at {human_date(at)})")
        if at is not None and at < not_before:
            found.append(f"not yet valid: not valid before {human_date(not_before)} "
                         f"(checked at {human_date(at)})")
        found += _algorithm_warnings(certificate)
    return tuple(found)


def _self_signed_warnings(der: bytes, certificate: x509.Certificate) -> list[str]:
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

    parts = certificate_parts(der)
    if parts.issuer != parts.subject:
        return [f"not self-signed: issuer {nss_name(parts.issuer)} differs from subject "
                f"{nss_name(parts.subject)}; a root certificate issues itself"]
    try:
        verify_own_signature(certificate)
    except InvalidSignature:
        return ["not self-signed: the signature does not verify with the certificate's own public key"]
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        return [f"cannot verify the self-signature: {error}"]
    return []


def _ca_warnings(extensions: x509.Extensions) -> list[str]:
    from cryptography import x509

    try:
        constraints = extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return ["not a CA: the certificate has no basicConstraints extension"]
    if not constraints.ca:
        return ["not a CA: basicConstraints says cA is false"]
    return []


def _algorithm_warnings(certificate: x509.Certificate) -> list[str]:
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    found: list[str] = []
    key = certificate.public_key()
    signature_oid = certificate.signature_algorithm_oid.dotted_string
    signature_name = signature_algorithm_name(signature_oid)
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048 or key.key_size % 8:
            found.append(f"RSA key of {key.key_size} bits: Mozilla's policy requires at least 2048 bits, "
                         "a multiple of 8")
        accepted = _RSA_SIGNATURES
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in _ACCEPTED_CURVES:
            found.append(f"ECDSA key on curve {key.curve.name}: NSS and Mozilla's policy accept only "
                         "P-256 and P-384")
        accepted = _ECDSA_SIGNATURES
    else:
        kinds = ((ed25519.Ed25519PublicKey, "Ed25519"), (ed448.Ed448PublicKey, "Ed448"),
                 (dsa.DSAPublicKey, "DSA"))
        kind = next((name for cls, name in kinds if isinstance(key, cls)), "unknown kind of")
        found.append(f"{kind} key: Mozilla's policy and NSS's root store accept only RSA and ECDSA "
                     "(P-256, P-384) keys")
        return found
    if signature_oid not in accepted:
        allowed = ", ".join(signature_algorithm_name(accepted_oid) for accepted_oid in accepted)
        found.append(f"signature algorithm {signature_name} ({signature_oid}): with this key NSS and "
                     f"Mozilla's policy accept {allowed}")
    return found
