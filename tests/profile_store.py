"""The certdata file the profile tests read (tests/cases/export/profiles/input.certdata.txt).

Every root is here for a byte rule of PROFILES.md: non-ASCII labels and names, T61String and BMPString
values, several O and OU values in an odd DER order, a negative serial and serial 0, a duplicate label,
a leading-space label, runs of spaces, an expired root, server distrust-after dates, trust decided by
label. The certificates are Ed25519 (deterministic signatures), so every run gives the same bytes:

    python tests/profile_store.py     # rewrites the input file; test_profile_store checks it is current

DER is assembled by hand where cryptography refuses (a negative or zero serial) or re-encodes (a
T61String with Latin-1 bytes); the comment lines are NSS's, from certdata_tool's addbuiltin headers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from certdata_tool.x509 import der
from certdata_tool.x509.nss_text import info_lines, nss_time

HERE = Path(__file__).resolve().parent

INPUT = HERE / "cases" / "export" / "profiles" / "input.certdata.txt"

TRUSTED = "CKT_NSS_TRUSTED_DELEGATOR"
MUST_VERIFY = "CKT_NSS_MUST_VERIFY_TRUST"
NOT_TRUSTED = "CKT_NSS_NOT_TRUSTED"

# String types (DER tags)
UTF8, PRINTABLE, T61, IA5, BMP = 0x0C, 0x13, 0x14, 0x16, 0x1E
OIDS = {"C": "2.5.4.6", "O": "2.5.4.10", "OU": "2.5.4.11", "CN": "2.5.4.3", "L": "2.5.4.7",
        "ST": "2.5.4.8", "serialNumber": "2.5.4.5", "emailAddress": "1.2.840.113549.1.9.1"}


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@dataclass(frozen=True)
class Attr:
    kind: str
    value: str | bytes  # bytes: the content octets as they are (for a T61String's Latin-1 bytes)
    tag: int = UTF8

    def content(self) -> bytes:
        if isinstance(self.value, bytes):
            return self.value
        if self.tag == BMP:
            return self.value.encode("utf-16-be")
        return self.value.encode("utf-8")


def name_der(attributes: tuple[Attr, ...]) -> bytes:
    """A Name with one attribute per RDN, in the order given."""
    return der.sequence(*(der.set_of(der.sequence(der.oid(OIDS[a.kind]), der.encode(a.tag, a.content())))
                          for a in attributes))


START = datetime(2020, 1, 1, tzinfo=UTC)
END = datetime(2040, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class StoreRoot:
    label: str
    subject: tuple[Attr, ...]
    serial: int = 1
    not_before: datetime = START
    not_after: datetime = END
    server: str = TRUSTED
    email: str = MUST_VERIFY
    code: str = MUST_VERIFY
    server_distrust_after: datetime | None = None
    trust_label: str | None = None  # the trust object's label where it differs
    key_note: str = ""  # tells two roots with one label apart (their keys differ)
    distrust_entry: bool = False  # only a trust object (issuer + serial), no certificate


def plain(common_name: str, organization: str = "Certdata Profiles") -> tuple[Attr, ...]:
    return (Attr("C", "XX", PRINTABLE), Attr("O", organization), Attr("CN", common_name))


ROOTS: tuple[StoreRoot, ...] = (
    StoreRoot("Profile Plain Root", plain("Profile Plain Root"), serial=0x0100),
    StoreRoot("Profilé Arany (Class Gold) Főtanúsítvány",
              (Attr("C", "HU", PRINTABLE), Attr("L", "Budapest"), Attr("O", "Profil Kft."),
               Attr("OU", "Tanúsítványkiadók (Certification Services)"),
               Attr("CN", "Profilé Arany (Class Gold) Főtanúsítvány")),
              serial=0x49412CE40010, not_after=_utc(2051, 3, 1)),  # after 2049: GeneralizedTime
    StoreRoot("Profile Many Names Root",
              (Attr("CN", "Profile Old Common Name"), Attr("OU", "Unit 1"), Attr("O", "Org, One=1"),
               Attr("C", "XX", PRINTABLE), Attr("ST", "State"), Attr("L", "City"), Attr("O", "Org Two"),
               Attr("serialNumber", "123", PRINTABLE), Attr("emailAddress", "ca@example.test", IA5),
               Attr("OU", "Unit 2"), Attr("CN", "Profile Many Names Root"))),
    StoreRoot("Profile String Types Root",
              (Attr("C", "XX", PRINTABLE), Attr("O", "Profile \U0001d518nicode Org", BMP),
               Attr("OU", "Printable Unit", PRINTABLE),
               Attr("CN", b"T\xdcRK Profil K\xf6k", T61))),  # Latin-1: "TÜRK Profil Kök"
    StoreRoot("Profile Negative Serial Root", plain("Profile Negative Serial Root"), serial=-0x1234567890AB),
    StoreRoot("Profile Serial Zero Root",
              (Attr("C", "XX", PRINTABLE), Attr("O", "Profile Zero Org"), Attr("OU", "No Common Name")),
              serial=0),
    StoreRoot("Profile Twin, Root/Label", plain("Profile Twin Root"), key_note="first"),
    StoreRoot("Profile Twin, Root/Label", plain("Profile Twin Root"), serial=2, key_note="second"),
    StoreRoot(" Profile Leading Space Root", plain("Profile Leading Space Root")),
    StoreRoot("Profile  Spaced   Root", plain("Profile Spaced Root")),
    StoreRoot("Profile Expired Root", plain("Profile Expired Root"), not_before=_utc(2001, 7, 1),
              not_after=_utc(2021, 6, 30, 23, 59, 59)),
    StoreRoot("Profile Dated Root 2023", plain("Profile Dated Root 2023"),
              server_distrust_after=_utc(2023, 1, 15)),
    StoreRoot("Profile Dated Root 2024", plain("Profile Dated Root 2024"),
              server_distrust_after=_utc(2024, 9, 30, 23, 59, 59)),
    StoreRoot("Profile Email Only Root", plain("Profile Email Only Root"), server=MUST_VERIFY, email=TRUSTED),
    StoreRoot("Profile Label Trust Root", plain("Profile Label Trust Root")),
    StoreRoot("Profile Label Trust Root", plain("Profile Label Trust Root"), serial=2, key_note="second",
              server=MUST_VERIFY, email=TRUSTED),
    StoreRoot("Profile Relabelled Root", plain("Profile Relabelled Root"),
              trust_label="Profile Relabelled Root (trust object)"),
    StoreRoot("Explicitly Distrust Profile Root", plain("Explicitly Distrust Profile Root"),
              server=NOT_TRUSTED, email=NOT_TRUSTED, code=NOT_TRUSTED),
    StoreRoot("Profile Distrust Entry", plain("Profile Revoked Intermediate"), serial=0x77,
              server=NOT_TRUSTED, email=NOT_TRUSTED, code=NOT_TRUSTED, distrust_entry=True),
)


def key_for(root: StoreRoot) -> ed25519.Ed25519PrivateKey:
    seed = hashlib.sha256(f"certdata-tool profile store: {root.label} {root.key_note}".encode()).digest()
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed)


def certificate(root: StoreRoot) -> bytes:
    """A self-signed Ed25519 CA certificate with the root's exact name bytes and serial."""
    key = key_for(root)
    placeholder = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "placeholder")])
    built = (
        x509.CertificateBuilder()
        .subject_name(placeholder)
        .issuer_name(placeholder)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(root.not_before)
        .not_valid_after(root.not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, None)
    ).public_bytes(Encoding.DER)
    # Take cryptography's TBSCertificate apart and put in the serial and names as they must be.
    tbs_element = der.children(der.read(built)[0].content)[0]
    version, _serial, algorithm, _issuer, validity, _subject, *rest = der.children(tbs_element.content)
    name = name_der(root.subject)
    tbs = der.sequence(version.encoding, der.integer(root.serial), algorithm.encoding, name,
                       validity.encoding, name, *(item.encoding for item in rest))
    signature = key.sign(tbs)
    return der.sequence(tbs, algorithm.encoding, der.encode(0x03, b"\x00" + signature))


def _octal(name: str, data: bytes) -> list[str]:
    lines = ["".join(f"\\{byte:03o}" for byte in data[i : i + 16]) for i in range(0, len(data), 16)]
    return [f"{name} MULTILINE_OCTAL", *lines, "END"]


def block(root: StoreRoot, value: bytes) -> list[str]:
    """The certificate and trust objects, laid out as NSS's addbuiltin prints them."""
    parts = der.certificate_parts(value)
    info = list(info_lines(value))
    trust_label = root.trust_label or root.label
    trust = [
        "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST",
        "CKA_TOKEN CK_BBOOL CK_TRUE",
        "CKA_PRIVATE CK_BBOOL CK_FALSE",
        "CKA_MODIFIABLE CK_BBOOL CK_FALSE",
        f'CKA_LABEL UTF8 "{trust_label}"',
    ]
    if not root.distrust_entry:
        trust += [*_octal("CKA_CERT_SHA1_HASH", hashlib.sha1(value).digest()),
                  *_octal("CKA_CERT_MD5_HASH", hashlib.md5(value).digest())]
    trust += [
        *_octal("CKA_ISSUER", parts.issuer),
        *_octal("CKA_SERIAL_NUMBER", parts.serial),
        f"CKA_TRUST_SERVER_AUTH CK_TRUST {root.server}",
        f"CKA_TRUST_EMAIL_PROTECTION CK_TRUST {root.email}",
        f"CKA_TRUST_CODE_SIGNING CK_TRUST {root.code}",
        "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE",
    ]
    if root.distrust_entry:
        return ["", f'# Distrust "{root.label}"', *info[:3], *trust]
    lines = ["", "#", f'# Certificate "{root.label}"', "#", *info,
             "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE",
             "CKA_TOKEN CK_BBOOL CK_TRUE",
             "CKA_PRIVATE CK_BBOOL CK_FALSE",
             "CKA_MODIFIABLE CK_BBOOL CK_FALSE",
             f'CKA_LABEL UTF8 "{root.label}"',
             "CKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509",
             *_octal("CKA_SUBJECT", parts.subject),
             'CKA_ID UTF8 "0"',
             *_octal("CKA_ISSUER", parts.issuer),
             *_octal("CKA_SERIAL_NUMBER", parts.serial),
             *_octal("CKA_VALUE", value)]
    if TRUSTED in (root.server, root.email, root.code):
        lines.append("CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE")
    if root.server_distrust_after is None:
        lines.append("CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE")
    else:
        lines.append(f"# For Server Distrust After: {nss_time(root.server_distrust_after)}")
        lines += _octal("CKA_NSS_SERVER_DISTRUST_AFTER",
                        root.server_distrust_after.strftime("%y%m%d%H%M%SZ").encode("ascii"))
    lines.append("CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE")
    # The heading names the certificate's label even where the trust object's CKA_LABEL differs, as
    # mk-ca-bundle.pl insists.
    heading = f'# Distrust "{root.label}"' if root.server == NOT_TRUSTED else f'# Trust for "{root.label}"'
    return [*lines, "", heading, *info, *trust]


HEADER = """\
#
# certdata.txt made by tests/profile_store.py for certdata-tool's profile tests
#
BEGINDATA
CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST
CKA_TOKEN CK_BBOOL CK_TRUE
CKA_PRIVATE CK_BBOOL CK_FALSE
CKA_MODIFIABLE CK_BBOOL CK_FALSE
CKA_LABEL UTF8 "Mozilla Builtin Roots"
"""


def certificates() -> tuple[tuple[StoreRoot, bytes], ...]:
    return tuple((root, certificate(root)) for root in ROOTS)


def text() -> str:
    body: list[str] = []
    for root, value in certificates():
        body += block(root, value)
    return HEADER + "\n".join(body) + "\n"


if __name__ == "__main__":
    INPUT.parent.mkdir(parents=True, exist_ok=True)
    INPUT.write_text(text(), encoding="utf-8")
    print(f"wrote {INPUT}")
