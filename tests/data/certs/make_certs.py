"""Writes the self-made root certificates the block golden tests use (run it to regenerate them).

Every certificate is self-signed with an Ed25519 key derived from its file name, and Ed25519
signatures are deterministic, so running this again gives the same bytes. Each certificate
exercises one corner of addbuiltin's comment lines (names, serials, validity encodings).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent


def _name(*attributes: tuple[x509.ObjectIdentifier, str] | x509.NameAttribute[str]) -> x509.Name:
    return x509.Name([a if isinstance(a, x509.NameAttribute) else x509.NameAttribute(*a)
                      for a in attributes])


CASES: dict[str, tuple[x509.Name, int, datetime, datetime]] = {
    # O needs quotes (a comma), OU too (two spaces in a row); CN's quotes are escaped, not quoted.
    "quoted-name": (
        _name((NameOID.COUNTRY_NAME, "US"), (NameOID.ORGANIZATION_NAME, "Example, Inc."),
              (NameOID.ORGANIZATIONAL_UNIT_NAME, "Two  Spaces"),
              (NameOID.COMMON_NAME, 'Quote "Root" CA')),
        1,
        datetime(2024, 1, 1, tzinfo=UTC), datetime(2044, 1, 1, tzinfo=UTC),
    ),
    # UTF8String CN and a BMPString O: both printed with one dot per UTF-8 byte of a non-ASCII char.
    "non-ascii-name": (
        _name((NameOID.COUNTRY_NAME, "HU"),
              x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ünnepi Kft.", _ASN1Type.BMPString),
              (NameOID.COMMON_NAME, "Főtanúsítvány Root CA")),
        0x7FFFFFFF,  # the largest 4-byte serial: still the decimal style
        datetime(2024, 2, 29, 12, 30, 45, tzinfo=UTC), datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC),
    ),
    # 0x80 needs a pad byte: 2 content bytes, still the decimal style.
    "short-serial-leading-zero": (
        _name((NameOID.COUNTRY_NAME, "DE"), (NameOID.COMMON_NAME, "Short Serial CA")),
        0x80,
        datetime(2024, 3, 1, tzinfo=UTC), datetime(2034, 3, 1, tzinfo=UTC),
    ),
    # 128-bit serial with the top bit set: 17 content bytes, hex style, the 00 pad kept.
    "leading-zero-serial": (
        _name((NameOID.COUNTRY_NAME, "ES"), (NameOID.COMMON_NAME, "Leading Zero Serial CA")),
        0xB0B75A16485FBFE1CBF58BD719E67D00,
        datetime(2024, 3, 1, tzinfo=UTC), datetime(2034, 3, 1, tzinfo=UTC),
    ),
    # 20 content bytes, the longest serial RFC 5280 allows.
    "long-serial": (
        _name((NameOID.COUNTRY_NAME, "NL"), (NameOID.COMMON_NAME, "Long Serial CA")),
        0x7F0102030405060708090A0B0C0D0E0F10111213,
        datetime(2024, 3, 1, tzinfo=UTC), datetime(2034, 3, 1, tzinfo=UTC),
    ),
    # After 2049 RFC 5280 requires GeneralizedTime (notAfter); notBefore stays UTCTime; 3-byte serial.
    "generalized-time": (
        _name((NameOID.COUNTRY_NAME, "ZA"), (NameOID.ORGANIZATION_NAME, "Time Test"),
              (NameOID.COMMON_NAME, "GeneralizedTime Root CA")),
        0x010203,
        datetime(2023, 7, 19, 8, 5, 9, tzinfo=UTC), datetime(2053, 2, 14, 9, 49, 38, tzinfo=UTC),
    ),
    # organizationIdentifier and a private-arc OID: NSS knows neither name; 2-byte serial.
    "unknown-oid": (
        _name((NameOID.COUNTRY_NAME, "ES"), (NameOID.ORGANIZATION_NAME, "Firma Test"),
              (x509.ObjectIdentifier("2.5.4.97"), "VATES-A62634068"),
              (x509.ObjectIdentifier("1.3.6.1.4.1.55555.7"), "custom value"),
              (NameOID.COMMON_NAME, "Unknown OID Root CA")),
        0x0100,
        datetime(2024, 4, 1, tzinfo=UTC), datetime(2044, 4, 1, tzinfo=UTC),
    ),
}


def certificate(name: str) -> bytes:
    subject, serial, not_before, not_after = CASES[name]
    key = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .public_key(key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
    )
    return builder.sign(key, None).public_bytes(Encoding.PEM)


def main() -> None:
    for name in CASES:
        (HERE / f"{name}.pem").write_bytes(certificate(name))


if __name__ == "__main__":
    main()
