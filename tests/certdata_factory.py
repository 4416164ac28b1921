"""Small deterministic certdata.txt texts in NSS's layout, with certificates made by cryptography."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

TRUSTED = "CKT_NSS_TRUSTED_DELEGATOR"
MUST_VERIFY = "CKT_NSS_MUST_VERIFY_TRUST"
NOT_TRUSTED = "CKT_NSS_NOT_TRUSTED"

HEADER = (
    "#\n"
    "# certdata.txt made by tests/certdata_factory.py for certdata-tool's tests\n"
    "#\n"
    "BEGINDATA\n"
    "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST\n"
    "CKA_TOKEN CK_BBOOL CK_TRUE\n"
    "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
    "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n"
    'CKA_LABEL UTF8 "Mozilla Builtin Roots"\n'
)


@cache
def certificate(common_name: str, serial: int = 1) -> bytes:
    """A self-signed Ed25519 CA certificate; the same name and serial always give the same DER."""
    key = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(common_name.encode()).digest())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "certdata-tool tests"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2040, 1, 1, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, None)
    )
    return built.public_bytes(Encoding.DER)


@dataclass(frozen=True)
class FakeRoot:
    """One certificate + trust pair as NSS writes it; the defaults are a typical TLS root."""

    label: str
    der: bytes
    server_auth: str = TRUSTED
    email_protection: str = MUST_VERIFY
    code_signing: str = MUST_VERIFY
    step_up_approved: bool = False
    server_distrust_after: datetime | None = None
    email_distrust_after: datetime | None = None
    mozilla_ca_policy: bool = True
    distrust_after_attributes: bool = True  # False: a certificate object from before 2019
    trust_label: str | None = None  # the trust object's CKA_LABEL when it differs
    comments: tuple[str, ...] = field(default=())  # extra comment lines after the fingerprints
    trust_extra: tuple[str, ...] = ()  # extra attribute lines at the end of the trust object


@dataclass(frozen=True)
class FakeDistrustEntry:
    """A trust object with no certificate: an explicit distrust of `der`'s issuer and serial."""

    label: str
    der: bytes


def octal(data: bytes) -> str:
    """MULTILINE_OCTAL body: `\\ooo`, 16 bytes a line."""
    return "".join(
        "".join(f"\\{byte:03o}" for byte in data[start : start + 16]) + "\n"
        for start in range(0, len(data), 16)
    )


def _octal_attribute(name: str, data: bytes) -> str:
    return f"{name} MULTILINE_OCTAL\n{octal(data)}END\n"


def _fingerprints(der: bytes) -> str:
    sha256 = hashlib.sha256(der).hexdigest().upper()
    sha1 = hashlib.sha1(der).hexdigest().upper()
    return (f"# Fingerprint (SHA-256): {':'.join(sha256[i:i + 2] for i in range(0, 64, 2))}\n"
            f"# Fingerprint (SHA1): {':'.join(sha1[i:i + 2] for i in range(0, 40, 2))}\n")


def _issuer_serial(der: bytes) -> tuple[bytes, bytes]:
    cert = x509.load_der_x509_certificate(der)
    content = cert.serial_number.to_bytes((cert.serial_number.bit_length() + 8) // 8, "big")
    return cert.issuer.public_bytes(), bytes([2, len(content)]) + content


def _distrust_after(name: str, purpose: str, moment: datetime | None) -> str:
    if moment is None:
        return f"{name} CK_BBOOL CK_FALSE\n"
    return (f"# For {purpose} Distrust After: {moment.strftime('%a %b %d %H:%M:%S %Y')}\n"
            + _octal_attribute(name, moment.strftime("%y%m%d%H%M%SZ").encode()))


def root_block(root: FakeRoot) -> str:
    """The certificate and trust objects of one root with their comment blocks."""
    cert = x509.load_der_x509_certificate(root.der)
    issuer, serial = _issuer_serial(root.der)
    extra = "".join(line + "\n" for line in root.comments)
    text = (f'\n#\n# Certificate "{root.label}"\n#\n{_fingerprints(root.der)}{extra}'
            "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
            "CKA_TOKEN CK_BBOOL CK_TRUE\n"
            "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
            "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n"
            f'CKA_LABEL UTF8 "{root.label}"\n'
            "CKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509\n"
            + _octal_attribute("CKA_SUBJECT", cert.subject.public_bytes())
            + 'CKA_ID UTF8 "0"\n'
            + _octal_attribute("CKA_ISSUER", issuer)
            + _octal_attribute("CKA_SERIAL_NUMBER", serial)
            + _octal_attribute("CKA_VALUE", root.der))
    if root.mozilla_ca_policy:
        text += "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n"
    if root.distrust_after_attributes:
        text += _distrust_after("CKA_NSS_SERVER_DISTRUST_AFTER", "Server", root.server_distrust_after)
        text += _distrust_after("CKA_NSS_EMAIL_DISTRUST_AFTER", "Email", root.email_distrust_after)
    trust_label = root.label if root.trust_label is None else root.trust_label
    text += (f'\n# Trust for "{root.label}"\n{_fingerprints(root.der)}'
             "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n"
             "CKA_TOKEN CK_BBOOL CK_TRUE\n"
             "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
             "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n"
             f'CKA_LABEL UTF8 "{trust_label}"\n'
             + _octal_attribute("CKA_CERT_SHA1_HASH", hashlib.sha1(root.der).digest())
             + _octal_attribute("CKA_CERT_MD5_HASH", hashlib.md5(root.der).digest())
             + _octal_attribute("CKA_ISSUER", issuer)
             + _octal_attribute("CKA_SERIAL_NUMBER", serial)
             + f"CKA_TRUST_SERVER_AUTH CK_TRUST {root.server_auth}\n"
             f"CKA_TRUST_EMAIL_PROTECTION CK_TRUST {root.email_protection}\n"
             f"CKA_TRUST_CODE_SIGNING CK_TRUST {root.code_signing}\n"
             f"CKA_TRUST_STEP_UP_APPROVED CK_BBOOL {'CK_TRUE' if root.step_up_approved else 'CK_FALSE'}\n")
    text += "".join(line + "\n" for line in root.trust_extra)
    return text


def distrust_entry_block(entry: FakeDistrustEntry) -> str:
    """A trust-only object as addbuiltin -D prints it (no hashes, all usages not trusted)."""
    issuer, serial = _issuer_serial(entry.der)
    return (f'\n# Distrust "{entry.label}"\n'
            "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n"
            "CKA_TOKEN CK_BBOOL CK_TRUE\n"
            "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
            "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n"
            f'CKA_LABEL UTF8 "{entry.label}"\n'
            + _octal_attribute("CKA_ISSUER", issuer)
            + _octal_attribute("CKA_SERIAL_NUMBER", serial)
            + f"CKA_TRUST_SERVER_AUTH CK_TRUST {NOT_TRUSTED}\n"
            f"CKA_TRUST_EMAIL_PROTECTION CK_TRUST {NOT_TRUSTED}\n"
            f"CKA_TRUST_CODE_SIGNING CK_TRUST {NOT_TRUSTED}\n"
            "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n")


def certdata_text(items: Sequence[FakeRoot | FakeDistrustEntry], *, header: str = HEADER,
                  trailer: str = "") -> str:
    """A whole certdata.txt holding `items` in order."""
    blocks = [root_block(item) if isinstance(item, FakeRoot) else distrust_entry_block(item)
              for item in items]
    return header + "".join(blocks) + trailer
