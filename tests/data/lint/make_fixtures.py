"""Write the lint fixtures: clean.txt and one file per rule, each clean.txt with one targeted edit.

Usage: python tests/data/lint/make_fixtures.py   (rewrites the .txt files beside this script)

clean.txt holds two roots from samples/roots, written by the project's addbuiltin re-implementation
(certdata_tool.model.blocks): "Example Root CA 1" (trusted for websites and email, no distrust-after date)
and "Example Distrusted After Root" (distrust-after 2024-06-30 for both purposes). Every other file
is clean.txt with the one edit named on its first line; tests/test_lint.py says which finding each
must give, at which line. The tests judge dates at 2025-01-01.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent.parent
sys.path.insert(0, str(PROJECT))

from certdata_tool.model.blocks import root_blocks  # noqa: E402
from certdata_tool.model.roots import TrustLevel  # noqa: E402
from certdata_tool.syntax.nssfile import encode_octal  # noqa: E402

HEADER = """\
# certdata-tool lint fixture: {title}
BEGINDATA
CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST
CKA_TOKEN CK_BBOOL CK_TRUE
CKA_PRIVATE CK_BBOOL CK_FALSE
CKA_MODIFIABLE CK_BBOOL CK_FALSE
CKA_LABEL UTF8 "Mozilla Builtin Roots"
"""

TRUSTED = TrustLevel.TRUSTED_DELEGATOR
MUST_VERIFY = TrustLevel.MUST_VERIFY_TRUST
JUNE_30_2024 = datetime(2024, 6, 30, tzinfo=UTC)


def pem_der(name: str) -> bytes:
    pem = (PROJECT / "samples" / "roots" / name).read_bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


def expired_der() -> bytes:
    """A self-signed Ed25519 root valid 2000-2010 (Ed25519 signatures are deterministic)."""
    key = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"lint expired root").digest())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Trust Services"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Example Expired Root")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(0x2002)
        .not_valid_before(datetime(2000, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2010, 1, 1, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, None)
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def block(der: bytes, label: str, *, email: TrustLevel = TRUSTED,
          distrust_after: datetime | None = None) -> str:
    cert, trust = root_blocks(der, label, server_auth=TRUSTED, email_protection=email,
                              code_signing=MUST_VERIFY, server_distrust_after=distrust_after,
                              email_distrust_after=distrust_after)
    return cert.text() + trust.text()


ROOT_1 = pem_der("example-root-ca-1.pem")
DATED = pem_der("example-distrusted-after-root.pem")
FIRST = block(ROOT_1, "Example Root CA 1")
SECOND = block(DATED, "Example Distrusted After Root", distrust_after=JUNE_30_2024)
CLEAN_BODY = FIRST + SECOND
FIRST_TRUST = FIRST[FIRST.index('\n# Trust for "Example Root CA 1"') :]
FIRST_CERT = FIRST[: FIRST.index(FIRST_TRUST)]


def once(text: str, old: str, new: str) -> str:
    """`text` with `old` (which must occur exactly once) replaced by `new`."""
    if text.count(old) != 1:
        raise SystemExit(f"make_fixtures: {old[:60]!r} occurs {text.count(old)} times, expected once")
    return text.replace(old, new)


def in_first_cert(old: str, new: str) -> Callable[[str], str]:
    return lambda body: once(body, FIRST_CERT, once(FIRST_CERT, old, new))


def in_first_trust(old: str, new: str) -> Callable[[str], str]:
    return lambda body: once(body, FIRST_TRUST, once(FIRST_TRUST, old, new))


def octal_lines(data: bytes) -> str:
    return encode_octal(data)


def broken_certificate(body: str) -> str:
    """The first CKA_VALUE cut by one byte, with the trust object's hashes of the cut bytes."""
    cut = ROOT_1[:-1]
    body = once(body, octal_lines(ROOT_1), octal_lines(cut))
    body = once(body, octal_lines(hashlib.sha1(ROOT_1).digest()), octal_lines(hashlib.sha1(cut).digest()))
    return once(body, octal_lines(hashlib.md5(ROOT_1).digest()), octal_lines(hashlib.md5(cut).digest()))


def relabel(block_text: str, old: str, new: str) -> str:
    return block_text.replace(f'"{old}"', f'"{new}"')


SHA1_FIRST = octal_lines(hashlib.sha1(ROOT_1).digest())
SERVER_DATE = ("# For Server Distrust After: Sun Jun 30 00:00:00 2024\n"
               "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n"
               "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132\n")

# file name -> (what the edit is, the edit)
FIXTURES: dict[str, tuple[str, Callable[[str], str]]] = {
    "CD101": ("CKA_ID removed from the first certificate object",
              in_first_cert('CKA_ID UTF8 "0"\n', "")),
    "CD102": ("the first trust object's CKA_TRUST_STEP_UP_APPROVED typed CK_TRUST",
              in_first_trust("CKA_TRUST_STEP_UP_APPROVED CK_BBOOL", "CKA_TRUST_STEP_UP_APPROVED CK_TRUST")),
    "CD103": ("CKA_TOKEN twice in the first certificate object",
              in_first_cert("CKA_TOKEN CK_BBOOL CK_TRUE\n", "CKA_TOKEN CK_BBOOL CK_TRUE\n" * 2)),
    "CD104": ("the first trust object removed", lambda body: once(body, FIRST_TRUST, "")),
    "CD105": ("the first certificate object removed", lambda body: once(body, FIRST_CERT, "")),
    "CD106": ("the first byte of the first trust object's CKA_CERT_SHA1_HASH changed",
              in_first_trust(SHA1_FIRST, "\\000" + SHA1_FIRST[4:])),
    "CD107": ("the first trust object's CKA_SERIAL_NUMBER changed from 0x1001 to 0x1002",
              in_first_trust("\\002\\002\\020\\001\n", "\\002\\002\\020\\002\n")),
    "CD108": ("the first CKA_VALUE cut by one byte (hashes recomputed)", broken_certificate),
    "CD109": ("CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE added to the first trust object",
              in_first_trust("CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n",
                             "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n"
                             "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n")),
    "CD110": ("the second root's server distrust-after is month 13 (241330000000Z), comment removed",
              lambda body: once(body, SERVER_DATE, "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n"
                                "\\062\\064\\061\\063\\063\\060\\060\\060\\060\\060\\060\\060\\132\n")),
    "CD111": ("the first root repeated under the label Example Root CA 1 again",
              lambda body: once(body, SECOND, relabel(FIRST, "Example Root CA 1",
                                                        "Example Root CA 1 again") + SECOND)),
    "CD112": ('a stray " after the first trust object\'s label',
              in_first_trust('CKA_LABEL UTF8 "Example Root CA 1"\n',
                             'CKA_LABEL UTF8 "Example Root CA 1""\n')),
    "CD201": ("the first certificate's Not Valid After comment says 2045",
              in_first_cert("# Not Valid After : Sat Dec 31 23:59:59 2044",
                            "# Not Valid After : Sat Dec 31 23:59:59 2045")),
    "CD202": ("the second root's server distrust-after comment says Jul 01",
              lambda body: once(body, "# For Server Distrust After: Sun Jun 30 00:00:00 2024",
                                "# For Server Distrust After: Mon Jul 01 00:00:00 2024")),
    "CD203": ("both distrust-after attributes removed from the first certificate object",
              in_first_cert("CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n"
                            "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n", "")),
    "CD204": ("the second root's email trust changed to CKT_NSS_MUST_VERIFY_TRUST",
              lambda body: once(body, SECOND, block(DATED, "Example Distrusted After Root", email=MUST_VERIFY,
                                                    distrust_after=JUNE_30_2024))),
    "CD205": ("the first trust object (label and title) renamed Example Root CA One",
              lambda body: once(body, FIRST_TRUST, relabel(FIRST_TRUST, "Example Root CA 1",
                                                           "Example Root CA One"))),
    "CD206": ("the second root renamed Example Root CA 1",
              lambda body: once(body, SECOND, relabel(SECOND, "Example Distrusted After Root",
                                                      "Example Root CA 1"))),
    "CD207": ("the final newline removed", lambda body: body[:-1]),
    "CD208": ("a space after the first certificate's `#` line",
              in_first_cert("\n#\n# Certificate", "\n# \n# Certificate")),
    "CD209": ("CRLF line endings", lambda body: body.replace("\n", "\r\n")),
    "CD210": ("two blank lines before the second root", lambda body: once(body, SECOND, "\n" + SECOND)),
    "CD211": ("CKA_NSS_MOZILLA_CA_POLICY added to the first trust object",
              in_first_trust("CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n",
                             "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n"
                             "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n")),
    "CD212": ("a CKO_DATA object appended",
              lambda body: body + "\nCKA_CLASS CK_OBJECT_CLASS CKO_DATA\nCKA_TOKEN CK_BBOOL CK_TRUE\n"),
    "CD301": ("a third root, expired on 2010-01-01, appended",
              lambda body: body + block(expired_der(), "Example Expired Root")),
    "CD302": ("the second root's server distrust-after moved to 2023-06-30",
              lambda body: once(body, SERVER_DATE, SERVER_DATE.replace("Sun Jun 30 00:00:00 2024",
                                                                       "Fri Jun 30 00:00:00 2023")
                                .replace("\\062\\064\\060\\066", "\\062\\063\\060\\066"))),
    "CD303": ("the first certificate's SHA-256 fingerprint comment replaced by an MD5 one (pre-2014 form)",
              lambda body: once(body, FIRST_CERT, _md5_header(FIRST_CERT))),
    "CD304": ("the first certificate's label written as Example Root CA \\x31",
              in_first_cert('CKA_LABEL UTF8 "Example Root CA 1"', 'CKA_LABEL UTF8 "Example Root CA \\x31"')),
}


def _md5_header(cert_text: str) -> str:
    lines = cert_text.split("\n")
    md5 = ":".join(f"{byte:02X}" for byte in hashlib.md5(ROOT_1).digest())
    index = next(i for i, line in enumerate(lines) if line.startswith("# Fingerprint (SHA-256):"))
    lines[index] = f"# Fingerprint (MD5): {md5}"
    return "\n".join(lines)


def main() -> None:
    (HERE / "clean.txt").write_bytes(
        (HEADER.format(title="clean: no rule fires") + CLEAN_BODY).encode("utf-8"))
    for code, (title, edit) in FIXTURES.items():
        text = edit(HEADER.format(title=f"{code}: {title}") + CLEAN_BODY)
        (HERE / f"{code}.txt").write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
