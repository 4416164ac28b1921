"""The facts a reviewer checks about a certificate: names, serial, validity, key, algorithm, fingerprints."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..moments import der_time
from .der import (
    BOOLEAN,
    OBJECT_IDENTIFIER,
    OCTET_STRING,
    SEQUENCE,
    certificate_parts,
    children,
    oid_contents,
    parse,
)

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["CertificateFacts", "certificate_facts", "name_values", "readable_name",
           "signature_algorithm_name",            "verify_own_signature"]


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What a certificate says, as far as it is readable ("" or None where it is not)."""

    subject: str  # RFC 4514, as cryptography writes it
    issuer: str
    serial: str  # upper-case hex of the DER INTEGER's content bytes, a leading 00 kept (as CCADB)
    not_before: datetime | None
    not_after: datetime | None
    key: str  # "RSA 4096", "EC P-384", "Ed25519"
    signature_algorithm: str  # OpenSSL's name, such as sha256WithRSAEncryption
    sha1: str  # upper-case hex of the DER certificate's digest
    sha256: str
    subject_spki_sha256: str  # CCADB's "Subject + SPKI SHA256": DER subject, then DER SubjectPublicKeyInfo
    self_signed: bool | None  # issuer = subject and its own key verifies it; None: cannot tell
    ca: bool | None  # basicConstraints cA; None when the certificate has no basicConstraints


# OpenSSL's names (what `openssl x509 -text` prints as "Signature Algorithm") by OID.
_SIGNATURE_ALGORITHMS = {
    "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
    "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
    "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
    "1.2.840.113549.1.1.10": "rsassaPss",
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
    "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
    "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
    "1.2.840.10045.4.1": "ecdsa-with-SHA1",
    "1.2.840.10045.4.3.1": "ecdsa-with-SHA224",
    "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
    "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
    "1.2.840.10040.4.3": "dsaWithSHA1",
    "2.16.840.1.101.3.4.3.2": "dsa_with_SHA256",
    "1.3.101.112": "ED25519",
    "1.3.101.113": "ED448",
    "1.2.156.10197.1.501": "SM2-with-SM3",
}

# NIST's names for the curves roots use (OpenSSL prints "NIST CURVE: P-384").
_CURVES = {"secp256r1": "P-256", "prime256v1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


def signature_algorithm_name(dotted: str) -> str:
    """OpenSSL's name of a signature algorithm OID; the dotted OID for one it has no name for."""
    return _SIGNATURE_ALGORITHMS.get(dotted, dotted)


@lru_cache(maxsize=4096)
def certificate_facts(der: bytes) -> CertificateFacts:
    """The facts of a DER certificate. Never raises: each fact is read by cryptography where it
    accepts the certificate, else by asn1crypto (real roots have serial 0, a negative serial or
    extensions cryptography refuses), else left empty — lint reports broken certificates."""
    import warnings

    sha1 = hashlib.sha1(der).hexdigest().upper()
    sha256 = hashlib.sha256(der).hexdigest().upper()
    try:
        parts = certificate_parts(der)
        serial = parse(parts.serial).content.hex().upper()
        subject_spki = hashlib.sha256(parts.subject + parts.public_key_info).hexdigest().upper()
        same_names = parts.subject == parts.issuer
    except ValueError:
        serial, subject_spki, same_names = "", "", False
    with warnings.catch_warnings():
        # cryptography warns about serial 0 and overlong names of real roots; they still read.
        warnings.simplefilter("ignore")
        certificate = _load(der)
        fallback = _Asn1Reader(der)
        return CertificateFacts(
            subject=_first(lambda: certificate.subject.rfc4514_string(),  # type: ignore[union-attr]
                           lambda: fallback.name("subject"), ""),
            issuer=_first(lambda: certificate.issuer.rfc4514_string(),  # type: ignore[union-attr]
                          lambda: fallback.name("issuer"), ""),
            serial=serial,
            not_before=_first(lambda: certificate.not_valid_before_utc,  # type: ignore[union-attr]
                              lambda: fallback.validity("not_before"), None),
            not_after=_first(lambda: certificate.not_valid_after_utc,  # type: ignore[union-attr]
                             lambda: fallback.validity("not_after"), None),
            key=_first(lambda: _key_words(certificate), fallback.key, ""),
            signature_algorithm=_first(
                lambda: signature_algorithm_name(certificate.signature_algorithm_oid.dotted_string),  # type: ignore[union-attr]
                fallback.signature_algorithm, ""),
            sha1=sha1,
            sha256=sha256,
            subject_spki_sha256=subject_spki,
            self_signed=_self_signed(certificate, same_names),
            ca=_first(lambda: _basic_constraints_ca(certificate), fallback.ca, None),
        )


def _load(der: bytes) -> x509.Certificate | None:
    from cryptography import x509

    try:
        return x509.load_der_x509_certificate(der)
    except Exception:  # noqa: BLE001 - cryptography refuses some real roots; asn1crypto reads them
        return None


def _first(primary: Any, fallback: Any, empty: Any) -> Any:
    """`primary()`, else `fallback()`, else `empty`: the first reader that manages."""
    for reader in (primary, fallback):
        try:
            value = reader()
        except Exception:  # noqa: BLE001 - a reader that fails hands over to the next
            continue
        if value is not None:
            return value
    return empty


def _key_words(certificate: x509.Certificate | None) -> str:
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    assert certificate is not None
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC {_CURVES.get(key.curve.name, key.curve.name)}"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA {key.key_size}"
    raise ValueError("unknown kind of key")


def _basic_constraints_ca(certificate: x509.Certificate | None) -> bool | None:
    from cryptography import x509

    assert certificate is not None
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return None


def _self_signed(certificate: x509.Certificate | None, same_names: bool) -> bool | None:
    if not same_names:
        return False
    if certificate is None:
        return None
    from cryptography.exceptions import InvalidSignature

    try:
        verify_own_signature(certificate)
    except InvalidSignature:
        return False
    except Exception:  # noqa: BLE001 - an algorithm cryptography cannot check (MD2, ...): cannot tell
        return None
    return True


def name_values(der_name: bytes, oid: str) -> list[str]:
    """The string values of the attributes of type `oid` (dotted) in a DER Name, in DER order."""
    from asn1crypto import x509 as asn1_x509

    values: list[str] = []
    for rdn in asn1_x509.Name.load(der_name).chosen:
        for ava in rdn:
            if ava["type"].dotted == oid:
                value = ava["value"].native
                if isinstance(value, str):
                    values.append(value)
    return values


def readable_name(der_name: bytes) -> str:
    """A DER Name as asn1crypto spells it for people (`Common Name: X, Organization: Y`); a name
    it cannot read as upper-case hex ("none" when empty)."""
    from asn1crypto import x509 as asn1_x509  # heavy: only when a view shows such a name

    try:
        return str(asn1_x509.Name.load(der_name).human_friendly)
    except Exception:  # noqa: BLE001 - a malformed name is still shown, as hex
        return der_name.hex().upper() or "none"


def verify_own_signature(certificate: x509.Certificate) -> None:
    """Check the signature with the certificate's own key; InvalidSignature when it does not verify,
    UnsupportedAlgorithm, ValueError or TypeError when it cannot be checked.

    By hand rather than with verify_directly_issued_by, which refuses the SHA-1 signatures old roots
    still carry.
    """
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    key = certificate.public_key()
    signature, signed = certificate.signature, certificate.tbs_certificate_bytes
    parameters = certificate.signature_algorithm_parameters
    hash_algorithm = certificate.signature_hash_algorithm
    if isinstance(key, rsa.RSAPublicKey) and isinstance(parameters, padding.PKCS1v15 | padding.PSS):
        if hash_algorithm is None:
            raise UnsupportedAlgorithm("RSA signature without a hash algorithm")
        key.verify(signature, signed, parameters, hash_algorithm)
    elif isinstance(key, ec.EllipticCurvePublicKey) and isinstance(parameters, ec.ECDSA):
        key.verify(signature, signed, parameters)
    elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        key.verify(signature, signed)
    else:
        raise UnsupportedAlgorithm("the key does not match the signature algorithm")


class _Asn1Reader:
    """asn1crypto's reading of the same certificate, parsed only when cryptography could not."""

    def __init__(self, der: bytes) -> None:
        self._der = der
        self._parsed: Any = None

    def _certificate(self) -> Any:
        if self._parsed is None:
            from asn1crypto import x509 as asn1_x509

            self._parsed = asn1_x509.Certificate.load(self._der)
        return self._parsed

    def name(self, which: str) -> str:
        """The name in cryptography's RFC 4514 spelling, from asn1crypto's parse of the AVAs."""
        from cryptography import x509
        from cryptography.x509.oid import ObjectIdentifier

        rdns = []
        for rdn in self._certificate()["tbs_certificate"][which].chosen:
            attributes = []
            for ava in rdn:
                value = ava["value"].native
                # _validate=False: real roots have a CN longer than 64 bytes; it warns instead.
                attributes.append(x509.NameAttribute(ObjectIdentifier(ava["type"].dotted),
                                                     value if isinstance(value, str) else str(value),
                                                     _validate=False))
            rdns.append(x509.RelativeDistinguishedName(attributes))
        return x509.Name(rdns).rfc4514_string()

    def validity(self, which: str) -> datetime:
        """From the DER itself, as NSS reads validity times."""
        moment = children(parse(certificate_parts(self._der).validity).content)[
            0 if which == "not_before" else 1]
        return der_time(moment.content, generalized=moment.tag == 0x18)

    def key(self) -> str:
        info = self._certificate()["tbs_certificate"]["subject_public_key_info"]
        algorithm = info.algorithm
        if algorithm == "rsa":
            return f"RSA {info.bit_size}"
        if algorithm == "ec":
            curve = info.curve[1]
            return f"EC {_CURVES.get(curve, curve)}"
        if algorithm == "dsa":
            return f"DSA {info.bit_size}"
        return {"ed25519": "Ed25519", "ed448": "Ed448"}.get(algorithm, str(algorithm))

    def signature_algorithm(self) -> str:
        return signature_algorithm_name(self._certificate()["signature_algorithm"]["algorithm"].dotted)

    def ca(self) -> bool | None:
        """basicConstraints' cA from the DER itself: real roots carry other extensions that
        cryptography and asn1crypto refuse to parse (a UserNotice in a VisibleString, for one)."""
        tbs = children(children(parse(self._der).content)[0].content)
        extensions = next((field for field in tbs if field.tag == 0xA3), None)
        if extensions is None:
            return None
        for extension in children(parse(extensions.content).content):
            parts = children(extension.content)
            if parts[0].tag == OBJECT_IDENTIFIER and parts[0].content == _BASIC_CONSTRAINTS:
                value = parse(next(part for part in parts[1:] if part.tag == OCTET_STRING).content)
                if value.tag != SEQUENCE:
                    raise ValueError("basicConstraints is not a SEQUENCE")
                inside = children(value.content)
                return bool(inside and inside[0].tag == BOOLEAN and inside[0].content != b"\x00")
        return None


_BASIC_CONSTRAINTS = oid_contents("2.5.29.19")
