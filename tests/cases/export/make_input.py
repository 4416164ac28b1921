"""Writes input.certdata.txt, the small certdata file the export tests and goldens read.

Run from the project root: `python tests/cases/export/make_input.py`. Keys are Ed25519 keys derived
from the common name, so the output is the same on every run and tests can sign leaves with
`root_key(name)`.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from certdata_factory import (  # noqa: E402
    MUST_VERIFY,
    NOT_TRUSTED,
    TRUSTED,
    FakeDistrustEntry,
    FakeRoot,
    certdata_text,
)

INPUT = HERE / "input.certdata.txt"


def root_key(common_name: str) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(common_name.encode()).digest())


def name(common_name: str, organization: str = "Certdata Tool  Tests",
         unit: str | None = None) -> x509.Name:
    """Mixed string types and spacing, so that OpenSSL's name canonicalization is exercised."""
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
    ]
    if unit is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit,
                                             _type=_ASN1Type.BMPString))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def root(common_name: str, subject: x509.Name | None = None, serial: int = 1,
         not_before: datetime = datetime(2020, 1, 1, tzinfo=UTC),
         not_after: datetime = datetime(2040, 1, 1, tzinfo=UTC)) -> bytes:
    key = root_key(common_name)
    subject = subject or name(common_name)
    built = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        # Lets OpenSSL tell the two "Test Twin" roots (one subject, two keys) apart by key identifier.
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, None)
    )
    return built.public_bytes(Encoding.DER)


TWIN_SUBJECT = name("Test Twin Root", unit="Twins")


def items() -> list[FakeRoot | FakeDistrustEntry]:
    return [
        FakeRoot("Test Server Root", root("Test Server Root", name("Test Server Root", unit="  Web  PKI "))),
        FakeRoot("Test Email Root", root("Test Email Root"), server_auth=MUST_VERIFY,
                 email_protection=TRUSTED),
        FakeRoot("Test Dated Root", root("Test Dated Root"), email_protection=TRUSTED,
                 server_distrust_after=datetime(2024, 6, 30, tzinfo=UTC),
                 email_distrust_after=datetime(2025, 1, 31, 23, 59, 59, tzinfo=UTC)),
        FakeRoot("Test Expired Root", root("Test Expired Root", not_before=datetime(2000, 1, 1, tzinfo=UTC),
                                           not_after=datetime(2020, 12, 31, 23, 59, 59, tzinfo=UTC))),
        FakeRoot("Explicitly Distrusted Test Root", root("Explicitly Distrusted Test Root"),
                 server_auth=NOT_TRUSTED, email_protection=NOT_TRUSTED, code_signing=NOT_TRUSTED,
                 mozilla_ca_policy=False),
        FakeRoot("Test Root Ünïcode Çà", root("Test Root Ünïcode Çà")),
        FakeRoot("Test Twin/Root", root("Test Twin/Root", TWIN_SUBJECT, serial=1)),
        FakeRoot("Test Twin Root", root("Test Twin Root", TWIN_SUBJECT, serial=2)),
        FakeRoot("Test Not An Anchor", root("Test Not An Anchor"), server_auth=MUST_VERIFY),
        FakeRoot("Test Code Signing Root", root("Test Code Signing Root"), server_auth=MUST_VERIFY,
                 code_signing=TRUSTED),
        FakeRoot("Test Server Root", root("Test Server Root", name("Test Server Root", unit="  Web  PKI "))),
        FakeDistrustEntry("Distrust Test Serial Entry", root("Test Revoked Intermediate")),
    ]


if __name__ == "__main__":
    INPUT.write_text(certdata_text(items()), encoding="utf-8")
    print(f"wrote {INPUT}")
