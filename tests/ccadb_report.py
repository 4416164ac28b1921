"""CCADB's IncludedCACertificateReportPEMCSV made from a certdata.txt, in CCADB's exact layout, for tests.

Every one of the 36 columns in CCADB's order, every field in double quotes with inner quotes
doubled (RFC 4180), the PEM in single quotes with CR CR LF line ends, dates as YYYY.MM.DD and trust
bits as `Websites;Email`. The columns the tool does not read get realistic values computed from the
certificate with cryptography, so that the reader meets the file as CCADB serves it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from certdata_tool.model.roots import Root, TrustLevel, read_roots
from certdata_tool.syntax.nssfile import parse

COLUMNS = (
    "Owner",
    "Certificate Issuer Organization",
    "Certificate Issuer Organizational Unit",
    "Common Name or Certificate Name",
    "Certificate Serial Number",
    "SHA-256 Fingerprint",
    "Subject + SPKI SHA256",
    "Valid From [GMT]",
    "Valid To [GMT]",
    "Public Key Algorithm",
    "Signature Hash Algorithm",
    "Trust Bits",
    "Distrust for TLS After Date",
    "Distrust for S/MIME After Date",
    "EV Policy OID(s)",
    "Approval Bug",
    "NSS Release When First Included",
    "Firefox Release When First Included",
    "Test Website - Valid",
    "Test Website - Expired",
    "Test Website - Revoked",
    "Mozilla Applied Constraints",
    "Company Website",
    "Geographic Focus",
    "Certificate Policy (CP)",
    "Certification Practice Statement (CPS)",
    "Certificate Practice & Policy Statement (CP/CPS)",
    "Standard Audit",
    "NetSec Audit",
    "TLS BR Audit",
    "TLS EVG Audit",
    "S/MIME BR Audit",
    "Audit Firm",
    "Standard Audit Type",
    "Standard Audit Statement Dt",
    "PEM Info",
)
assert len(COLUMNS) == 36

Row = dict[str, str]

_SIGNATURE_WORDS = {"sha1": "SHA1", "sha256": "SHA256", "sha384": "SHA384", "sha512": "SHA512", "md5": "MD5",
                    "md2": "MD2", "sha224": "SHA224"}
_AUDIT_FIRMS = ('Schellman & Company, LLC.', 'BDO International Limited', 'Ernst & Young, LLP',
                'TÜV AUSTRIA CERT GMBH', 'Auditor "Nord" Oy')  # one with quotes: RFC 4180 doubling
_CURVES = {"secp256r1": "secp256r1", "secp384r1": "secp384r1", "secp521r1": "secp521r1"}


def ccadb_date(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y.%m.%d")


def pem_info(der: bytes) -> str:
    """CCADB's "PEM Info": the PEM in single quotes, each line ended by CR CR LF but the last."""
    body = base64.b64encode(der).decode("ascii")
    lines = ["-----BEGIN CERTIFICATE-----", *(body[i:i + 64] for i in range(0, len(body), 64)),
             "-----END CERTIFICATE-----"]
    return "'" + "\r\r\n".join(lines) + "'"


def trust_bits(root: Root) -> str:
    bits = []
    if root.trust.server_auth is TrustLevel.TRUSTED_DELEGATOR:
        bits.append("Websites")
    if root.trust.email_protection is TrustLevel.TRUSTED_DELEGATOR:
        bits.append("Email")
    return ";".join(bits)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "ca"


def _certificate_facts(der: bytes) -> dict[str, str]:
    """The columns CCADB computes from the certificate; blank where cryptography cannot read it."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    facts = {"subject_o": "", "subject_cn": "", "subject_ou": "", "issuer_o": "", "issuer_ou": "",
             "serial": "", "subject_spki": "", "from": "", "to": "", "key": "", "signature": ""}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # old roots make cryptography warn; they still read
            certificate = x509.load_der_x509_certificate(der)

            def names(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
                return " ".join(str(a.value) for a in name.get_attributes_for_oid(oid))

            oid = x509.oid.NameOID
            facts.update(subject_o=names(certificate.subject, oid.ORGANIZATION_NAME),
                         subject_cn=names(certificate.subject, oid.COMMON_NAME),
                         subject_ou=names(certificate.subject, oid.ORGANIZATIONAL_UNIT_NAME),
                         issuer_o=names(certificate.issuer, oid.ORGANIZATION_NAME),
                         issuer_ou=names(certificate.issuer, oid.ORGANIZATIONAL_UNIT_NAME))
            serial = certificate.serial_number
            content = serial.to_bytes((serial.bit_length() + 8) // 8, "big", signed=True)
            facts["serial"] = content.hex().upper()
            facts["from"] = ccadb_date(certificate.not_valid_before_utc)
            facts["to"] = ccadb_date(certificate.not_valid_after_utc)
            key = certificate.public_key()
            spki = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
            subject_spki = hashlib.sha256(certificate.subject.public_bytes() + spki)
            facts["subject_spki"] = subject_spki.hexdigest().upper()
            hash_algorithm = certificate.signature_hash_algorithm
            hash_word = "" if hash_algorithm is None else _SIGNATURE_WORDS.get(hash_algorithm.name,
                                                                               hash_algorithm.name.upper())
            if isinstance(key, rsa.RSAPublicKey):
                facts["key"], facts["signature"] = f"RSA {key.key_size} bits", f"{hash_word}WithRSA"
            elif isinstance(key, ec.EllipticCurvePublicKey):
                facts["key"] = f"EC {_CURVES.get(key.curve.name, key.curve.name)}"
                facts["signature"] = f"ecdsaWith{hash_word}"
            elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
                word = "Ed25519" if isinstance(key, ed25519.Ed25519PublicKey) else "Ed448"
                facts["key"] = facts["signature"] = word
            elif isinstance(key, dsa.DSAPublicKey):
                facts["key"], facts["signature"] = f"DSA {key.key_size} bits", f"{hash_word}WithDSA"
    except Exception:  # noqa: BLE001 - a certificate cryptography refuses keeps blank facts
        pass
    return facts


def row_for(root: Root) -> Row:
    """The report's row for one root of certdata.txt (trust bits and dates as certdata has them)."""
    facts = _certificate_facts(root.der)
    name = facts["subject_cn"] or facts["subject_ou"] or facts["subject_o"] or root.label
    owner = facts["subject_o"] or name
    slug = _slug(owner)
    number = int(root.sha256[:8], 16)
    bug = 400000 + number % 1500000
    nss_minor = 12 + number % 90
    firm = _AUDIT_FIRMS[number % len(_AUDIT_FIRMS)]
    audit = f"https://www.cpacanada.ca/generichandlers/CPACHandler.ashx?attachmentid={root.sha256[:8].lower()}"
    values = {
        "Owner": owner,
        "Certificate Issuer Organization": facts["issuer_o"],
        "Certificate Issuer Organizational Unit": facts["issuer_ou"],
        "Common Name or Certificate Name": name,
        "Certificate Serial Number": facts["serial"],
        "SHA-256 Fingerprint": root.sha256,
        "Subject + SPKI SHA256": facts["subject_spki"],
        "Valid From [GMT]": facts["from"],
        "Valid To [GMT]": facts["to"],
        "Public Key Algorithm": facts["key"],
        "Signature Hash Algorithm": facts["signature"],
        "Trust Bits": trust_bits(root),
        "Distrust for TLS After Date": ccadb_date(root.distrust_after.server),
        "Distrust for S/MIME After Date": ccadb_date(root.distrust_after.email),
        "EV Policy OID(s)": "Not EV" if number % 3 else "2.23.140.1.1; 1.3.6.1.4.1.6449.1.2.1.5.1",
        "Approval Bug": f"https://bugzilla.mozilla.org/show_bug.cgi?id={bug}",
        "NSS Release When First Included": f"NSS 3.{nss_minor}",
        "Firefox Release When First Included": f"Firefox {nss_minor + 24}",
        "Test Website - Valid": f"https://valid.{slug}.example/",
        "Test Website - Expired": f"https://expired.{slug}.example/",
        "Test Website - Revoked": f"https://revoked.{slug}.example/",
        "Mozilla Applied Constraints": "" if number % 7 else "*.gov.example; *.mil.example",
        "Company Website": f"https://www.{slug}.example/",
        "Geographic Focus": "Global" if number % 2 else "Europe, North America",
        "Certificate Policy (CP)": f"https://pki.{slug}.example/cp-v3.4.pdf; https://pki.{slug}.example/cp-v3.3.pdf",
        "Certification Practice Statement (CPS)": f"https://pki.{slug}.example/cps-v4.5.pdf",
        "Certificate Practice & Policy Statement (CP/CPS)": "",
        "Standard Audit": audit + "-std",
        "NetSec Audit": audit + "-netsec",
        "TLS BR Audit": audit + "-br" if "Websites" in trust_bits(root) else "",
        "TLS EVG Audit": "",
        "S/MIME BR Audit": audit + "-smime" if "Email" in trust_bits(root) else "",
        "Audit Firm": firm,
        "Standard Audit Type": "WebTrust" if number % 4 else "ETSI EN 319 411",
        "Standard Audit Statement Dt": "2024.11.20",
        "PEM Info": pem_info(root.der),
    }
    return values


def rows_from_certdata(text: str | bytes) -> list[Row]:
    """One row per root trusted for websites or email, in CCADB's order (by owner, then name)."""
    roots = read_roots(parse(text)).roots
    rows = [row_for(root) for root in roots if trust_bits(root)]
    return sorted(rows, key=lambda row: (row["Owner"].casefold(), row["Common Name or Certificate Name"],
                                         row["SHA-256 Fingerprint"]))


def quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def write_report(rows: Sequence[Mapping[str, str]], *, columns: Sequence[str] = COLUMNS,
                 header: Sequence[str] | None = None, record_end: str = "\r\n") -> bytes:
    """The CSV bytes: `columns` of each row (blank where a row lacks one), every field quoted.

    `header` overrides the names written in the header row (a leading space, say), `record_end`
    the line end after each record.
    """
    names = list(columns if header is None else header)
    lines = [",".join(quoted(name) for name in names)]
    lines += [",".join(quoted(row.get(column, "")) for column in columns) for row in rows]
    return (record_end.join(lines) + record_end).encode("utf-8")


def report_from_certdata(text: str | bytes) -> bytes:
    """The report CCADB would serve if Mozilla's decisions were exactly those of `text`."""
    return write_report(rows_from_certdata(text))
