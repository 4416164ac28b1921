"""Reading a new root's certificate file, and the warnings about the certificate itself."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from conftest import DATA_DIR, corpus_file
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from cryptography.x509.oid import NameOID

from certdata_tool.model.roots import read_roots
from certdata_tool.syntax.nssfile import parse
from certdata_tool.x509.checks import certificate_from_bytes, certificate_warnings

NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2044, 1, 1, tzinfo=UTC)
AT = datetime(2025, 6, 1, tzinfo=UTC)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


@cache
def _rsa(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _ec(curve: ec.EllipticCurve) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(0x1234567890ABCDEF, curve)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    key: PrivateKey | None = None,
    *,
    hash_algorithm: hashes.SHA256 | hashes.SHA384 | hashes.SHA512 | None = None,
    signer: PrivateKey | None = None,
    issuer: str = "Test Root CA",
    ca: bool | None = True,
    rsa_padding: padding.PSS | None = None,
) -> bytes:
    key = key if key is not None else _ec(ec.SECP256R1())
    if hash_algorithm is None and not isinstance(key, ed25519.Ed25519PrivateKey):
        hash_algorithm = hashes.SHA384() if isinstance(key, ec.EllipticCurvePrivateKey) \
            and key.curve.name == "secp384r1" else hashes.SHA256()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Root CA"))
        .issuer_name(_name(issuer))
        .serial_number(0x1234)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .public_key(key.public_key())
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    signing_key = signer if signer is not None else key
    if rsa_padding is not None:
        assert isinstance(signing_key, rsa.RSAPrivateKey)
        return builder.sign(signing_key, hash_algorithm, rsa_padding=rsa_padding).public_bytes(Encoding.DER)
    return builder.sign(signing_key, hash_algorithm).public_bytes(Encoding.DER)


def _sha1_certificate(key: rsa.RSAPrivateKey, *, issuer: str = "Test Root CA",
                      ca: bool | None = True) -> bytes:
    """cryptography no longer signs certificates with SHA-1, so re-sign one by hand."""
    from asn1crypto import algos
    from asn1crypto import x509 as asn1_x509

    certificate = asn1_x509.Certificate.load(_certificate(key, issuer=issuer, ca=ca))
    tbs = certificate["tbs_certificate"]
    tbs["signature"] = algos.SignedDigestAlgorithm({"algorithm": "sha1_rsa"})
    signature = key.sign(tbs.dump(force=True), padding.PKCS1v15(), hashes.SHA1())
    resigned: bytes = asn1_x509.Certificate({
        "tbs_certificate": tbs, "signature_algorithm": {"algorithm": "sha1_rsa"},
        "signature_value": signature}).dump()
    return resigned


def _pem(der: bytes, newline: str = "\n") -> bytes:
    body = base64.encodebytes(der).decode("ascii").replace("\n", newline)
    return f"-----BEGIN CERTIFICATE-----{newline}{body}-----END CERTIFICATE-----{newline}".encode()


# --------------------------------------------------------------------------------------------------
# certificate_from_bytes


def test_pem_and_der_give_the_same_certificate() -> None:
    der = _certificate()
    assert certificate_from_bytes(der, "root.der") == der
    assert certificate_from_bytes(_pem(der), "root.pem") == der
    assert certificate_from_bytes(_pem(der, "\r\n"), "root.pem") == der
    assert certificate_from_bytes(b"Subject: whatever\n" + _pem(der) + b"trailing text\n", "r.pem") == der
    assert certificate_from_bytes(_pem(der).replace(b"CERTIFICATE", b"X509 CERTIFICATE"), "r.pem") == der


def test_a_real_root_reads_from_its_pem() -> None:
    pem = (DATA_DIR / "certs" / "quoted-name.pem").read_bytes()
    der = certificate_from_bytes(pem, "quoted-name.pem")
    assert hashlib.sha256(der).hexdigest().upper().startswith("BB816C581164C58F")


def _key_pem() -> bytes:
    return _ec(ec.SECP256R1()).private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "root.pem is not a certificate: expected PEM (-----BEGIN CERTIFICATE-----) or DER"),
        (b"hello world\n", "root.pem is not a certificate: expected PEM"),
        (b"\x30\x03\x02\x01", "root.pem is not a certificate: "),
        (b"\x30\x03\x02\x01\x01", "root.pem is not a certificate: "),
        (b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
         "root.pem is not a certificate: its PEM block is not valid base64"),
        (b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n",
         "root.pem is not a certificate: "),
        (b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n", "it holds no PEM CERTIFICATE block"),
    ],
)
def test_what_is_not_a_certificate(data: bytes, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        certificate_from_bytes(data, "root.pem")
    assert str(caught.value).startswith(message) or message in str(caught.value)


def test_a_private_key_is_not_a_certificate() -> None:
    with pytest.raises(ValueError, match=r"holds no PEM CERTIFICATE block \(PEM blocks found: PRIVATE KEY\)"):
        certificate_from_bytes(_key_pem(), "key.pem")


def test_der_with_trailing_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match=r"root\.der is not a certificate"):
        certificate_from_bytes(_certificate() + b"\x00", "root.der")


def test_two_certificates_are_refused() -> None:
    bundle = _pem(_certificate()) + _pem(_certificate(_ec(ec.SECP384R1())))
    with pytest.raises(ValueError, match=r"bundle\.pem holds 2 certificates; an add takes exactly one"):
        certificate_from_bytes(bundle, "bundle.pem")


# --------------------------------------------------------------------------------------------------
# certificate_warnings


@pytest.mark.parametrize(
    "der",
    [
        pytest.param(lambda: _certificate(_ec(ec.SECP256R1())), id="P-256 SHA-256"),
        pytest.param(lambda: _certificate(_ec(ec.SECP384R1())), id="P-384 SHA-384"),
        pytest.param(lambda: _certificate(_ec(ec.SECP384R1()), hash_algorithm=hashes.SHA256()),
                     id="P-384 SHA-256"),
        pytest.param(lambda: _certificate(_rsa(2048)), id="RSA-2048 SHA-256"),
        pytest.param(lambda: _certificate(_rsa(2048), hash_algorithm=hashes.SHA512()), id="RSA SHA-512"),
        pytest.param(lambda: _certificate(_rsa(2048), rsa_padding=padding.PSS(
            padding.MGF1(hashes.SHA256()), padding.PSS.DIGEST_LENGTH)), id="RSA-PSS"),
    ],
)
def test_a_good_root_has_no_warnings(der: object) -> None:
    assert callable(der)
    assert certificate_warnings(der(), AT) == ()


def test_naive_dates_are_utc() -> None:
    der = _certificate()
    assert certificate_warnings(der, datetime(2044, 1, 1)) == ()
    assert certificate_warnings(der, datetime(2044, 1, 1, 0, 0, 1)) == (
        "expired: not valid after 2044-01-01 00:00:00 UTC (checked at 2044-01-01 00:00:01 UTC)",)


def test_expired_and_not_yet_valid() -> None:
    der = _certificate()
    assert certificate_warnings(der, NOT_AFTER + timedelta(days=1)) == (
        "expired: not valid after 2044-01-01 00:00:00 UTC (checked at 2044-01-02 00:00:00 UTC)",)
    assert certificate_warnings(der, datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)) == (
        "not yet valid: not valid before 2024-01-01 00:00:00 UTC (checked at 2023-12-31 23:59:59 UTC)",)
    assert certificate_warnings(der, NOT_BEFORE) == certificate_warnings(der, NOT_AFTER) == ()


def test_issued_by_someone_else() -> None:
    der = _certificate(signer=_ec(ec.SECP384R1()), hash_algorithm=hashes.SHA256(), issuer="Other CA")
    assert certificate_warnings(der, AT) == (
        "not self-signed: issuer CN=Other CA,C=US differs from subject CN=Test Root CA,C=US; "
        "a root certificate issues itself",)


def test_same_name_but_signed_by_another_key() -> None:
    der = _certificate(signer=ec.derive_private_key(42, ec.SECP256R1()))
    assert certificate_warnings(der, AT) == (
        "not self-signed: the signature does not verify with the certificate's own public key",)


def test_not_a_ca() -> None:
    assert certificate_warnings(_certificate(ca=None), AT) == (
        "not a CA: the certificate has no basicConstraints extension",)
    assert certificate_warnings(_certificate(ca=False), AT) == (
        "not a CA: basicConstraints says cA is false",)


def test_weak_or_foreign_algorithms() -> None:
    assert certificate_warnings(_certificate(_rsa(1024)), AT) == (
        "RSA key of 1024 bits: Mozilla's policy requires at least 2048 bits, a multiple of 8",)
    rsa_signatures = ("sha256WithRSAEncryption, sha384WithRSAEncryption, sha512WithRSAEncryption, "
                      "rsassaPss")
    assert certificate_warnings(_sha1_certificate(_rsa(2048)), AT) == (
        "signature algorithm sha1WithRSAEncryption (1.2.840.113549.1.1.5): with this key NSS and "
        f"Mozilla's policy accept {rsa_signatures}",)
    assert certificate_warnings(_certificate(_ec(ec.SECP521R1()), hash_algorithm=hashes.SHA512()), AT) == (
        "ECDSA key on curve secp521r1: NSS and Mozilla's policy accept only P-256 and P-384",
        "signature algorithm ecdsa-with-SHA512 (1.2.840.10045.4.3.4): with this key NSS and Mozilla's "
        "policy accept ecdsa-with-SHA256, ecdsa-with-SHA384",
    )
    assert certificate_warnings(_certificate(ed25519.Ed25519PrivateKey.from_private_bytes(bytes(32))),
                                AT) == (
        "Ed25519 key: Mozilla's policy and NSS's root store accept only RSA and ECDSA (P-256, P-384) keys",)


def test_everything_at_once_keeps_a_fixed_order() -> None:
    der = _sha1_certificate(_rsa(1024), issuer="Other CA", ca=False)
    warnings = certificate_warnings(der, datetime(2050, 1, 1, tzinfo=UTC))
    assert [warning.split(":")[0] for warning in warnings] == [
        "not self-signed", "not a CA", "expired", "RSA key of 1024 bits",
        "signature algorithm sha1WithRSAEncryption (1.2.840.113549.1.1.5)"]


@pytest.mark.corpus
def test_the_newest_revisions_roots() -> None:
    """Real roots: only old SHA-1 self-signatures, and one fake certificate that NSS distrusts."""
    store = parse(corpus_file("certdata-2024-06-13-469e60ef4.txt"))
    found: dict[str, tuple[str, ...]] = {}
    for root in read_roots(store).roots:
        assert certificate_from_bytes(root.der, root.label) == root.der
        warnings = certificate_warnings(root.der, datetime(2024, 6, 13, tzinfo=UTC))
        if warnings:
            found[root.label] = warnings
    sha1 = [label for label, warnings in found.items()
            if warnings == ("signature algorithm sha1WithRSAEncryption (1.2.840.113549.1.1.5): with this "
                            "key NSS and Mozilla's policy accept sha256WithRSAEncryption, "
                            "sha384WithRSAEncryption, sha512WithRSAEncryption, rsassaPss",)]
    assert len(sha1) == 29
    assert "DigiCert Global Root CA" in sha1
    # The "Explicitly Distrust DigiNotar Root CA" certificate was made by an attacker: same name,
    # but signed with another key.
    assert found["Explicitly Distrust DigiNotar Root CA"][0] == (
        "not self-signed: the signature does not verify with the certificate's own public key")
    assert set(found) == {*sha1, "Explicitly Distrust DigiNotar Root CA"}
