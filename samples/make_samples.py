"""Write the sample root store (samples/certdata.txt) and its roots' PEM files, the same bytes every run."""

# The roots are self-made, self-signed Ed25519 certificates: keys come from fixed 32-byte seeds,
# serials and validity dates are fixed, and Ed25519 signatures are deterministic (ECDSA ones are
# not), so every run gives the same bytes. The file follows the layout NSS's addbuiltin writes
# (FORMAT.md §2-§7, §14); the comment lines come from certdata_tool.x509.nss_text.

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
USAGE = "usage: python samples/make_samples.py [OUTPUT_DIR]   (default: the folder of this script)"

# NSS's certdata.txt header as it stands since 641e7cc85 (FORMAT.md §2, "HEAD header, exact"); it is
# data copied from NSS and kept verbatim, including its stale attribute table.
NSS_HEADER = """\
#
# This Source Code Form is subject to the terms of the Mozilla Public
# License, v. 2.0. If a copy of the MPL was not distributed with this
# file, You can obtain one at http://mozilla.org/MPL/2.0/.

#
# certdata.txt
#
# This file contains the object definitions for the certs and other
# information "built into" NSS.
#
# Object definitions:
#
#    Certificates
#
#  -- Attribute --               -- type --          -- value --
#  CKA_CLASS                     CK_OBJECT_CLASS     CKO_CERTIFICATE
#  CKA_TOKEN                     CK_BBOOL            CK_TRUE
#  CKA_PRIVATE                   CK_BBOOL            CK_FALSE
#  CKA_MODIFIABLE                CK_BBOOL            CK_FALSE
#  CKA_LABEL                     UTF8                (varies)
#  CKA_CERTIFICATE_TYPE          CK_CERTIFICATE_TYPE CKC_X_509
#  CKA_SUBJECT                   DER+base64          (varies)
#  CKA_ID                        byte array          (varies)
#  CKA_ISSUER                    DER+base64          (varies)
#  CKA_SERIAL_NUMBER             DER+base64          (varies)
#  CKA_VALUE                     DER+base64          (varies)
#  CKA_NSS_EMAIL                 ASCII7              (unused here)
#  CKA_NSS_SERVER_DISTRUST_AFTER DER+base64          (varies)
#  CKA_NSS_EMAIL_DISTRUST_AFTER  DER+base64          (varies)
#
#    Trust
#
#  -- Attribute --              -- type --          -- value --
#  CKA_CLASS                    CK_OBJECT_CLASS     CKO_TRUST
#  CKA_TOKEN                    CK_BBOOL            CK_TRUE
#  CKA_PRIVATE                  CK_BBOOL            CK_FALSE
#  CKA_MODIFIABLE               CK_BBOOL            CK_FALSE
#  CKA_LABEL                    UTF8                (varies)
#  CKA_ISSUER                   DER+base64          (varies)
#  CKA_SERIAL_NUMBER            DER+base64          (varies)
#  CKA_CERT_HASH                binary+base64       (varies)
#  CKA_EXPIRES                  CK_DATE             (not used here)
#  CKA_TRUST_DIGITAL_SIGNATURE  CK_TRUST            (varies)
#  CKA_TRUST_NON_REPUDIATION    CK_TRUST            (varies)
#  CKA_TRUST_KEY_ENCIPHERMENT   CK_TRUST            (varies)
#  CKA_TRUST_DATA_ENCIPHERMENT  CK_TRUST            (varies)
#  CKA_TRUST_KEY_AGREEMENT      CK_TRUST            (varies)
#  CKA_TRUST_KEY_CERT_SIGN      CK_TRUST            (varies)
#  CKA_TRUST_CRL_SIGN           CK_TRUST            (varies)
#  CKA_TRUST_SERVER_AUTH        CK_TRUST            (varies)
#  CKA_TRUST_CLIENT_AUTH        CK_TRUST            (varies)
#  CKA_TRUST_CODE_SIGNING       CK_TRUST            (varies)
#  CKA_TRUST_EMAIL_PROTECTION   CK_TRUST            (varies)
#  CKA_TRUST_IPSEC_END_SYSTEM   CK_TRUST            (varies)
#  CKA_TRUST_IPSEC_TUNNEL       CK_TRUST            (varies)
#  CKA_TRUST_IPSEC_USER         CK_TRUST            (varies)
#  CKA_TRUST_TIME_STAMPING      CK_TRUST            (varies)
#  CKA_TRUST_STEP_UP_APPROVED   CK_BBOOL            (varies)
#  (other trust attributes can be defined)
#

#
# The object to tell NSS that this is a root list and we don't
# have to go looking for others.
#
BEGINDATA
CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST
CKA_TOKEN CK_BBOOL CK_TRUE
CKA_PRIVATE CK_BBOOL CK_FALSE
CKA_MODIFIABLE CK_BBOOL CK_FALSE
CKA_LABEL UTF8 "Mozilla Builtin Roots"
"""

TRUSTED = "CKT_NSS_TRUSTED_DELEGATOR"
MUST_VERIFY = "CKT_NSS_MUST_VERIFY_TRUST"
POSITIVE = ("CKT_NSS_TRUSTED_DELEGATOR", "CKT_NSS_VALID_DELEGATOR")  # addbuiltin's hasPositiveTrust()


@dataclass(frozen=True, slots=True)
class SampleRoot:
    """One self-made root and how the sample file lists it."""

    label: str
    subject: tuple[tuple[str, str], ...]  # (attribute short name, value), in DER order (C first)
    serial: int
    not_before: datetime
    not_after: datetime
    server: str = MUST_VERIFY
    email: str = MUST_VERIFY
    code: str = MUST_VERIFY
    distrust_after: datetime | None = None  # both purposes, like GLOBALTRUST 2020
    distrust_attributes: bool = True  # False: the cert object lacks both (Entrust G4, FORMAT §12 Q2)
    in_file: bool = True  # False: only the PEM is written (a root for `add` examples)

    @property
    def slug(self) -> str:
        ascii_label = unicodedata.normalize("NFKD", self.label).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", ascii_label.lower()).strip("-")


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# Chosen to exercise the comment rules: short (decimal) and long (hex) serials, a quoted O value with
# a comma, UTF-8 names, and a notAfter after 2049 (GeneralizedTime).
ROOTS: tuple[SampleRoot, ...] = (
    SampleRoot(
        label="Example Root CA 1",
        subject=(("C", "US"), ("O", "Example Trust Services"), ("CN", "Example Root CA 1")),
        serial=0x1001,
        not_before=_utc(2020, 1, 1),
        not_after=_utc(2044, 12, 31, 23, 59, 59),
        server=TRUSTED,
        email=TRUSTED,
    ),
    SampleRoot(
        label="Example Email Root",
        subject=(("C", "DE"), ("O", "Example Mail, Inc."), ("OU", "Secure Mail"),
                 ("CN", "Example Email Root")),
        serial=0x4E6F2A1B3C5D6E7F,
        not_before=_utc(2019, 6, 15, 12, 30),
        not_after=_utc(2039, 6, 15, 12, 30),
        email=TRUSTED,
    ),
    SampleRoot(
        label="Example Distrusted After Root",
        subject=(("C", "AT"), ("O", "Example Distrust GmbH"), ("CN", "Example Distrusted After Root")),
        serial=0x2020,
        not_before=_utc(2020, 2, 10, 9, 38, 45),
        not_after=_utc(2040, 6, 10, 23, 59, 59),
        server=TRUSTED,
        email=TRUSTED,
        distrust_after=_utc(2024, 6, 30),
    ),
    SampleRoot(
        label="Example Legacy Root",
        subject=(("C", "US"), ("O", "Example Legacy Trust"), ("OU", "Legacy Services"),
                 ("CN", "Example Legacy Root")),
        serial=0x00C0FFEE15600D01,
        not_before=_utc(2015, 5, 27, 15, 51, 32),
        not_after=_utc(2037, 12, 27, 16, 21, 32),
        server=TRUSTED,
        distrust_attributes=False,
    ),
    SampleRoot(
        label="Exemple Autorité Racine Ünïcode",
        subject=(("C", "FR"), ("O", "Exemple Société Générale de Confiance"),
                 ("CN", "Exemple Autorité Racine Ünïcode")),
        serial=7,
        not_before=_utc(2021, 3, 1),
        not_after=_utc(2051, 3, 1),
        server=TRUSTED,
        email=TRUSTED,
    ),
    SampleRoot(
        label="Example Websites Root 2",
        subject=(("C", "US"), ("O", "Example Trust Services"), ("CN", "Example Websites Root 2")),
        serial=0x3A5F0C7E91B24D68E0F1,
        not_before=_utc(2022, 9, 1),
        not_after=_utc(2047, 8, 31, 23, 59, 59),
        server=TRUSTED,
    ),
    SampleRoot(
        label="Example New Root",
        subject=(("C", "NL"), ("O", "Example New Trust B.V."), ("CN", "Example New Root")),
        serial=0x5E7D00AA,
        not_before=_utc(2024, 1, 15),
        not_after=_utc(2049, 1, 14, 23, 59, 59),
        server=TRUSTED,
        in_file=False,
    ),
)


def make_certificate(root: SampleRoot) -> bytes:
    """The DER of a self-signed CA certificate; identical on every run."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.x509.oid import NameOID

    oids = {"C": NameOID.COUNTRY_NAME, "O": NameOID.ORGANIZATION_NAME,
            "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME}
    name = x509.Name([x509.NameAttribute(oids[kind], value) for kind, value in root.subject])
    seed = hashlib.sha256(f"certdata-tool sample root: {root.label}".encode()).digest()
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(root.serial)
        .not_valid_before(root.not_before)
        .not_valid_after(root.not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True,
                          crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, None)  # Ed25519: no separate hash, and a deterministic signature
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    return certificate.public_bytes(Encoding.DER)


def octal_lines(data: bytes) -> list[str]:
    """addbuiltin's dumpbytes(): `\\ooo` per byte, 16 bytes a line."""
    return ["".join(f"\\{byte:03o}" for byte in data[start : start + 16])
            for start in range(0, len(data), 16)]


def octal_block(name: str, data: bytes) -> list[str]:
    return [f"{name} MULTILINE_OCTAL", *octal_lines(data), "END"]


def certificate_parts(der: bytes) -> tuple[bytes, bytes, bytes]:
    """The issuer Name, subject Name and serialNumber INTEGER TLVs, byte-exact from the DER."""
    from asn1crypto import x509 as asn1_x509

    tbs = asn1_x509.Certificate.load(der)["tbs_certificate"]
    return tbs["issuer"].dump(), tbs["subject"].dump(), tbs["serial_number"].dump()


def root_block(root: SampleRoot, der: bytes) -> list[str]:
    """The certificate and trust objects with their comment preambles, as addbuiltin prints them."""
    from certdata_tool.x509.nss_text import info_lines, nss_time

    info = list(info_lines(der))
    issuer, subject, serial = certificate_parts(der)
    label = root.label
    lines = ["", "#", f'# Certificate "{label}"', "#", *info]
    lines += [
        "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE",
        "CKA_TOKEN CK_BBOOL CK_TRUE",
        "CKA_PRIVATE CK_BBOOL CK_FALSE",
        "CKA_MODIFIABLE CK_BBOOL CK_FALSE",
        f'CKA_LABEL UTF8 "{label}"',
        "CKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509",
        *octal_block("CKA_SUBJECT", subject),
        'CKA_ID UTF8 "0"',
        *octal_block("CKA_ISSUER", issuer),
        *octal_block("CKA_SERIAL_NUMBER", serial),
        *octal_block("CKA_VALUE", der),
    ]
    if any(level in POSITIVE for level in (root.server, root.email, root.code)):
        lines.append("CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE")
    if root.distrust_attributes:
        for purpose, attribute in (("Server", "CKA_NSS_SERVER_DISTRUST_AFTER"),
                                   ("Email", "CKA_NSS_EMAIL_DISTRUST_AFTER")):
            if root.distrust_after is None:
                lines.append(f"{attribute} CK_BBOOL CK_FALSE")
            else:
                utctime = root.distrust_after.strftime("%y%m%d%H%M%SZ").encode("ascii")
                lines.append(f"# For {purpose} Distrust After: {nss_time(root.distrust_after)}")
                lines += octal_block(attribute, utctime)
    distrust_only = all(level == "CKT_NSS_NOT_TRUSTED" for level in (root.server, root.email, root.code))
    lines += ["", f'# Distrust "{label}"' if distrust_only else f'# Trust for "{label}"', *info]
    lines += [
        "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST",
        "CKA_TOKEN CK_BBOOL CK_TRUE",
        "CKA_PRIVATE CK_BBOOL CK_FALSE",
        "CKA_MODIFIABLE CK_BBOOL CK_FALSE",
        f'CKA_LABEL UTF8 "{label}"',
        *octal_block("CKA_CERT_SHA1_HASH", hashlib.sha1(der).digest()),
        *octal_block("CKA_CERT_MD5_HASH", hashlib.md5(der).digest()),
        *octal_block("CKA_ISSUER", issuer),
        *octal_block("CKA_SERIAL_NUMBER", serial),
        f"CKA_TRUST_SERVER_AUTH CK_TRUST {root.server}",
        f"CKA_TRUST_EMAIL_PROTECTION CK_TRUST {root.email}",
        f"CKA_TRUST_CODE_SIGNING CK_TRUST {root.code}",
        "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE",
    ]
    return lines


def pem(der: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM)


def build() -> dict[str, bytes]:
    """Every sample file, by path relative to the output folder."""
    files: dict[str, bytes] = {}
    body: list[str] = []
    for root in ROOTS:
        der = make_certificate(root)
        files[f"roots/{root.slug}.pem"] = pem(der)
        if root.in_file:
            body += root_block(root, der)
    files["certdata.txt"] = (NSS_HEADER + "\n".join(body) + "\n").encode("utf-8")
    # The root an `add` example appends is not in the file; give it the name the examples use.
    files["roots/new-root.pem"] = files.pop("roots/example-new-root.pem")
    return files


def write(output: Path) -> list[Path]:
    written = []
    for relative, data in sorted(build().items()):
        path = output / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: Sequence[str]) -> int:
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print(USAGE, file=sys.stderr)
        return 2
    # Runnable from anywhere, also without installing the project.
    sys.path.insert(0, str(HERE.parent))
    output = Path(argv[0]) if argv else HERE
    for path in write(output):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
