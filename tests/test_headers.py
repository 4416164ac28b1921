"""addbuiltin's info comment lines: real NSS history, hand-derived golden cases and bad input."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from asn1crypto import core
from conftest import corpus_file, corpus_revisions
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from certdata_tool.x509.nss_text import info_lines, nss_name, nss_serial_line, nss_time

NEWEST = "certdata-2024-06-13-469e60ef4.txt"

# --------------------------------------------------------------------------------------------------
# A tiny certdata.txt reader, enough for these tests (the real one is certdata_tool.syntax.nssfile)

_OCTAL_ATTRIBUTE = re.compile(r"^(CKA_\w+) MULTILINE_OCTAL\n(.*?)^END$", re.M | re.S)
_OCTAL_BYTE = re.compile(r"\\([0-7]{3})")
_INFO_PREFIXES = (
    "# Issuer: ",
    "# Serial Number",
    "# Subject: ",
    "# Not Valid Before: ",
    "# Not Valid After : ",
    "# Fingerprint (",
)


@dataclass(frozen=True)
class _Block:
    """One object of a certdata.txt with the addbuiltin info lines of the comment block above it."""

    object_class: str
    label: str
    info: tuple[str, ...]
    octal: tuple[tuple[str, bytes], ...]

    def value(self, attribute: str) -> bytes | None:
        return dict(self.octal).get(attribute)


def _parse_block(text: str) -> _Block | None:
    """A blank-line-separated chunk: comment lines, then CKA_ lines; None if it holds no object."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("CKA_CLASS ")), None)
    if start is None:
        return None
    label = re.search(r'^CKA_LABEL UTF8 "(.*)"', text, re.M)
    return _Block(
        object_class=lines[start].split()[-1],
        label=label.group(1) if label else "",
        info=tuple(line for line in lines[:start] if line.startswith(_INFO_PREFIXES)),
        octal=tuple(
            (match.group(1), bytes(int(octal, 8) for octal in _OCTAL_BYTE.findall(match.group(2))))
            for match in _OCTAL_ATTRIBUTE.finditer(text)
        ),
    )


def _blocks(data: bytes) -> list[_Block]:
    return [block for block in map(_parse_block, data.decode("utf-8").split("\n\n")) if block]


def _colon_hex(digest: bytes) -> str:
    return ":".join(f"{byte:02X}" for byte in digest)


def _integer_contents(tlv: bytes) -> bytes:
    """Contents of a DER INTEGER such as CKA_SERIAL_NUMBER (long-form lengths included)."""
    header = 2 + (tlv[1] & 0x7F if tlv[1] & 0x80 else 0)
    return tlv[header:]


# --------------------------------------------------------------------------------------------------
# 1. the newest revision, certificate and trust comment blocks


@pytest.mark.corpus
def test_newest_revision_comment_blocks_are_reproduced() -> None:
    blocks = [b for b in _blocks(corpus_file(NEWEST)) if b.object_class != "CKO_NSS_BUILTIN_ROOT_LIST"]
    pairs = list(zip(blocks[::2], blocks[1::2], strict=True))
    md5_labels = []
    for certificate, trust in pairs:
        assert (certificate.object_class, trust.object_class) == ("CKO_CERTIFICATE", "CKO_NSS_TRUST")
        assert certificate.label == trust.label
        der = certificate.value("CKA_VALUE")
        assert der is not None
        expected = info_lines(der)
        if certificate.info[5].startswith("# Fingerprint (MD5): "):
            # f8cfc9242 (2022) moved every entry to SHA-256 but this one (FORMAT.md §6.5).
            md5_labels.append(certificate.label)
            expected = (
                *expected[:5],
                f"# Fingerprint (MD5): {_colon_hex(hashlib.md5(der).digest())}",
                expected[6],
            )
        assert certificate.info == expected, certificate.label
        assert trust.info == expected, trust.label
    assert len(pairs) == 172
    assert md5_labels == ["Explicitly Distrust DigiNotar Root CA"]


# --------------------------------------------------------------------------------------------------
# 2. every info line in the whole history


@pytest.mark.corpus
def test_every_info_line_in_history_is_reproduced() -> None:
    # Most blocks are identical from one revision to the next: dedupe the text, then the DER.
    texts: set[str] = set()
    for _name, data in corpus_revisions():
        texts.update(data.decode("utf-8").split("\n\n"))
    blocks = [b for b in map(_parse_block, texts) if b is not None and b.info]
    certificates = {}
    for block in blocks:
        der = block.value("CKA_VALUE")
        if der is not None:
            certificates[hashlib.sha1(der).digest()] = der
    headers = {der: (info_lines(der), info_lines(der, legacy_limits=True)) for der in certificates.values()}

    # (line, the certificate or, for trust-only records, the issuer+serial it was printed for)
    names: set[tuple[str, bytes]] = set()
    others: set[tuple[str, bytes]] = set()
    without_certificate: set[tuple[str, bytes]] = set()
    failures: list[str] = []
    legacy_only = 0
    for block in blocks:
        issuer, serial = block.value("CKA_ISSUER"), block.value("CKA_SERIAL_NUMBER")
        assert issuer is not None and serial is not None
        der = block.value("CKA_VALUE") or certificates.get(block.value("CKA_CERT_SHA1_HASH") or b"")
        for line in block.info:
            if der is None:
                # Distrust records without a certificate: only issuer and serial can be checked.
                key = (line, issuer + serial)
                if line.startswith("# Issuer: "):
                    if key not in names:
                        legacy_only += line[10:] != nss_name(issuer)
                    names.add(key)
                    if line[10:] not in (nss_name(issuer), nss_name(issuer, legacy_limits=True)):
                        failures.append(f"{block.label}: {line}")
                elif line.startswith("# Serial Number"):
                    others.add(key)
                    if line != nss_serial_line(_integer_contents(serial)):
                        failures.append(f"{block.label}: {line}")
                else:
                    without_certificate.add(key)
                continue
            current, legacy = headers[der]
            field = line.split(":")[0]  # "# Issuer", "# Serial Number", "# Fingerprint (SHA1)", ...
            expected: tuple[str, ...] = tuple(text for text in current if text.split(":")[0] == field)
            if field == "# Fingerprint (MD5)":
                expected = (f"# Fingerprint (MD5): {_colon_hex(hashlib.md5(der).digest())}",)
            if field in ("# Issuer", "# Subject"):
                if (line, der) not in names:
                    legacy_only += line not in expected and line in legacy
                names.add((line, der))
                expected += tuple(text for text in legacy if text.split(":")[0] == field)
            else:
                others.add((line, der))
            if line not in expected:
                failures.append(f"{block.label}: {line!r}, expected one of {expected!r}")
            if line.startswith("# Serial Number") and line != nss_serial_line(_integer_contents(serial)):
                failures.append(f"{block.label}: CKA_SERIAL_NUMBER does not give {line!r}")

    report = (
        f"{len(texts)} distinct blocks, {len(certificates)} distinct certificates; "
        f"{len(names)} distinct Issuer/Subject (line, certificate) pairs, {len(names) - legacy_only} "
        f"with today's limits and {legacy_only} only with the pre-2014 limits; {len(others)} distinct "
        f"serial/validity/fingerprint pairs; {len(without_certificate)} lines of trust-only records "
        f"without a certificate not checkable; failures: {failures[:20]}"
    )
    print(report)
    assert not failures, report
    assert len(names) > 650 and 0 < legacy_only < 20 and len(others) > 1500, report


# --------------------------------------------------------------------------------------------------
# 3. golden cases, derived by hand from the rules in FORMAT.md §6 and NSS's alg1485.c

_KEY = ec.derive_private_key(12345, ec.SECP256R1())


def _certificate(
    subject: x509.Name,
    issuer: x509.Name | None = None,
    *,
    serial: int = 0x0102030405,
    not_before: datetime = datetime(2021, 1, 1, tzinfo=UTC),
    not_after: datetime = datetime(2030, 6, 15, 12, 30, 45, tzinfo=UTC),
) -> bytes:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(_KEY.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    return builder.sign(_KEY, hashes.SHA256(), ecdsa_deterministic=True).public_bytes(Encoding.DER)


def _name(*rdns: list[tuple[x509.ObjectIdentifier, str]]) -> x509.Name:
    return x509.Name(
        [x509.RelativeDistinguishedName([x509.NameAttribute(o, v) for o, v in rdn]) for rdn in rdns]
    )


def test_golden_certificate() -> None:
    der = _certificate(
        _name(
            [(NameOID.COUNTRY_NAME, "DE")],
            [(NameOID.ORGANIZATION_NAME, "Example, Inc.")],
            [(NameOID.COMMON_NAME, "Golden Root")],
        ),
        not_after=datetime(2050, 1, 1, tzinfo=UTC),
    )
    assert b"\x18\x0f20500101000000Z" in der  # notAfter really is a GeneralizedTime
    assert info_lines(der) == (
        '# Issuer: CN=Golden Root,O="Example, Inc.",C=DE',
        "# Serial Number:01:02:03:04:05",
        '# Subject: CN=Golden Root,O="Example, Inc.",C=DE',
        "# Not Valid Before: Fri Jan 01 00:00:00 2021",
        "# Not Valid After : Sat Jan 01 00:00:00 2050",
        f"# Fingerprint (SHA-256): {_colon_hex(hashlib.sha256(der).digest())}",
        f"# Fingerprint (SHA1): {_colon_hex(hashlib.sha1(der).digest())}",
    )
    assert len(info_lines(der)[5]) == len("# Fingerprint (SHA-256): ") + 32 * 3 - 1


def test_golden_names_through_a_certificate() -> None:
    subject = _name(
        [(NameOID.COUNTRY_NAME, "DE")],
        [(NameOID.ORGANIZATION_NAME, "Főtanúsítvány")],
        [(NameOID.ORGANIZATIONAL_UNIT_NAME, " padded ")],
        [(x509.ObjectIdentifier("2.5.4.97"), "VATDE-123")],
        [(NameOID.COMMON_NAME, 'say "hi" \\ bye')],
    )
    issuer = _name(
        [(NameOID.COUNTRY_NAME, "DE")], [(NameOID.COMMON_NAME, "a"), (NameOID.ORGANIZATION_NAME, "b")]
    )
    lines = info_lines(_certificate(subject, issuer))
    # " and \ are escaped but do not force quotes; each UTF-8 byte prints as "."; a leading or
    # trailing space forces quotes; an unknown type prints as OID.<dotted>.
    assert (
        lines[2]
        == '# Subject: CN=say \\"hi\\" \\\\ bye,OID.2.5.4.97=VATDE-123,OU=" padded ",O=F..tan..s..tv..ny,C=DE'
    )
    # AVAs of one RDN are joined with "+" in DER (SET OF sorted: 2.5.4.3 before 2.5.4.10) order.
    assert lines[0] == "# Issuer: CN=a+O=b,C=DE"
    assert lines[3:5] == (
        "# Not Valid Before: Fri Jan 01 00:00:00 2021",
        "# Not Valid After : Sat Jun 15 12:30:45 2030",
    )


def test_legacy_limits_through_a_certificate() -> None:
    # 60 D + ", EF" is 64 bytes; quoted it is 66: over the old 64-byte CN limit, far under 640.
    der = _certificate(_name([(NameOID.COMMON_NAME, "D" * 60 + ", EF")]))
    assert info_lines(der)[0] == '# Issuer: CN="' + "D" * 60 + ', EF"'
    assert info_lines(der, legacy_limits=True)[0] == '# Issuer: CN="' + "D" * 60 + ', E..."'
    assert info_lines(der, legacy_limits=True)[2] == '# Subject: CN="' + "D" * 60 + ', E..."'


@pytest.mark.parametrize(
    ("serial", "line"),
    [
        (1, "# Serial Number: 1 (0x1)"),
        (0x80, "# Serial Number: 128 (0x80)"),  # content 00 80: two bytes, still decimal
        (0x7FFFFFFF, "# Serial Number: 2147483647 (0x7fffffff)"),
        (0x800000, "# Serial Number: 8388608 (0x800000)"),  # content 00 80 00 00: four bytes
        (0x80000000, "# Serial Number:00:80:00:00:00"),  # five content bytes: hex, pad kept
        (0x0102030405, "# Serial Number:01:02:03:04:05"),
        (0xFF00FF00FF00FF, "# Serial Number:00:ff:00:ff:00:ff:00:ff"),
    ],
)
def test_serial_numbers_through_a_certificate(serial: int, line: str) -> None:
    assert info_lines(_certificate(_name([(NameOID.COMMON_NAME, "s")]), serial=serial))[1] == line


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"", "# Serial Number: (null)"),
        (b"\x00", "# Serial Number: 0 (0x0)"),
        (b"\x01", "# Serial Number: 1 (0x1)"),
        (b"\x38\x63\xde\xf8", "# Serial Number: 946069240 (0x3863def8)"),
        (b"\xff", "# Serial Number: -1 (0xffffffff)"),  # DER_GetInteger is signed; %x of an int
        (b"\x80\x00", "# Serial Number: -32768 (0xffff8000)"),
        (bytes.fromhex("0400000000 01154b5ac394"), "# Serial Number:04:00:00:00:00:01:15:4b:5a:c3:94"),
        (
            bytes.fromhex("00b0b75a16485fbfe1cbf58bd719e67d"),
            "# Serial Number:00:b0:b7:5a:16:48:5f:bf:e1:cb:f5:8b:d7:19:e6:7d",
        ),
        (b"ABCDE", "# Serial Number:ABCDE"),  # SECU_PrintAsHex prints printable text as text
        (b"     ", "# Serial Number:"),  # ... and prints nothing when it is all spaces
        (b"ABCD", "# Serial Number: 1094861636 (0x41424344)"),  # <= 4 bytes is always a number
    ],
)
def test_serial_line(content: bytes, line: str) -> None:
    assert nss_serial_line(content) == line


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(1998, 9, 1, 12, tzinfo=UTC), "Tue Sep 01 12:00:00 1998"),
        (datetime(2024, 6, 30), "Sun Jun 30 00:00:00 2024"),  # naive means UTC
        (datetime(2024, 1, 1, 1, tzinfo=timezone(timedelta(hours=2))), "Sun Dec 31 23:00:00 2023"),
        (datetime(2053, 2, 14, 9, 49, 38, tzinfo=UTC), "Fri Feb 14 09:49:38 2053"),
        (datetime(2024, 5, 8, 7, 6, 5, tzinfo=UTC), "Wed May 08 07:06:05 2024"),
        (datetime(2024, 3, 14, 23, 59, 59, tzinfo=UTC), "Thu Mar 14 23:59:59 2024"),
        (datetime(2024, 4, 1, tzinfo=UTC), "Mon Apr 01 00:00:00 2024"),
        (datetime(2024, 8, 24, tzinfo=UTC), "Sat Aug 24 00:00:00 2024"),
        (datetime(2024, 10, 1, tzinfo=UTC), "Tue Oct 01 00:00:00 2024"),
        (datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC), "Sat Nov 30 23:59:59 2024"),
        (datetime(2025, 7, 9, tzinfo=UTC), "Wed Jul 09 00:00:00 2025"),
    ],
)
def test_nss_time(moment: datetime, text: str) -> None:
    assert nss_time(moment) == text


# Hand-built DER, so that string types, AVA order and odd encodings are exactly what the test says.


def _tlv(tag: int, contents: bytes) -> bytes:
    size = len(contents)
    if size < 0x80:
        return bytes([tag, size]) + contents
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + contents


def _ava(dotted: str, tag: int, value: bytes) -> bytes:
    return _tlv(0x30, core.ObjectIdentifier(dotted).dump() + _tlv(tag, value))


def _der_name(*rdns: list[bytes]) -> bytes:
    return _tlv(0x30, b"".join(_tlv(0x31, b"".join(avas)) for avas in rdns))


CN, ORG, OU, C, L = "2.5.4.3", "2.5.4.10", "2.5.4.11", "2.5.4.6", "2.5.4.7"
UTF8, PRINTABLE, T61, IA5, BMP, UNIVERSAL, NUMERIC = 0x0C, 0x13, 0x14, 0x16, 0x1E, 0x1C, 0x12


@pytest.mark.parametrize(
    ("der", "text"),
    [
        (b"\x30\x00", "(empty)"),
        (b"\x30\x02\x31\x00", "!Invalid AVA!"),  # an RDN without AVA: CERT_NameToAscii fails
        # Multi-valued RDN: "+" in the order the DER holds (not re-sorted), RDNs reversed.
        (
            _der_name([_ava(C, PRINTABLE, b"DE")], [_ava(ORG, UTF8, b"b"), _ava(CN, UTF8, b"a")]),
            "O=b+CN=a,C=DE",
        ),
        (
            _der_name([_ava(CN, UTF8, b"Leaf")], [_ava(ORG, UTF8, b"Org")], [_ava(C, PRINTABLE, b"TR")]),
            "C=TR,O=Org,CN=Leaf",
        ),
        (_der_name([_ava(CN, BMP, "Aé€".encode("utf-16-be"))]), "CN=A....."),  # 1+2+3 UTF-8 bytes
        (_der_name([_ava(L, T61, b"M\xfcnchen")]), "L=M..nchen"),  # T61 read as Latin-1
        (_der_name([_ava(CN, UNIVERSAL, "Z\U0001f600".encode("utf-32-be"))]), "CN=Z...."),
        (_der_name([_ava(CN, BMP, b"\x00A\x00")]), "CN=#1E03004100"),  # odd BMP length: hex
        (_der_name([_ava(CN, BMP, b"\xd8\x00\x00A")]), "CN=#1E04D8000041"),  # lone surrogate
        (_der_name([_ava("2.5.4.5", NUMERIC, b"123")]), "serialNumber=#1203313233"),
        (_der_name([_ava(C, NUMERIC, b"12")]), "C..."),  # hex "#1" cut at 2, then "..." over "="
        (_der_name([_ava(CN, UTF8, b"a\x01b\x7fc\td")]), "CN=a\\01b\\7fc\\09d"),
        (_der_name([_ava(ORG, UTF8, b"a  b")]), 'O="a  b"'),
        (_der_name([_ava(ORG, UTF8, b"a\r b")]), 'O="a\\0d b"'),  # CR hex-escaped, still quotes
        (_der_name([_ava(ORG, UTF8, b"a\rb")]), "O=a\\0db"),
        (_der_name([_ava(OU, UTF8, b"a=b;c<d>e")]), 'OU="a=b;c<d>e"'),
        (_der_name([_ava(OU, UTF8, b"x+y")]), 'OU="x+y"'),
        (_der_name([_ava(OU, UTF8, b"#tag")]), 'OU="#tag"'),
        (_der_name([_ava(CN, UTF8, b"")]), "CN="),
        (_der_name([_ava("1.2.840.113549.1.9.1", IA5, b"ca@example.org")]), "E=ca@example.org"),
        (_der_name([_ava("0.9.2342.19200300.100.1.25", IA5, b"example")]), "DC=example"),
        (_der_name([_ava("1.3.6.1.4.1.311.60.2.1.3", PRINTABLE, b"DE")]), "incorporationCountry=DE"),
        (_der_name([_ava("2.999.3", UTF8, b"x")]), "OID.2.999.3=x"),  # first arcs from 1079
        (_der_name([_ava("1.3.6.1.4.1.99999.1", UTF8, b"x")]), "OID.1.3.6.1.4.1.99999.1=x"),
        # Truncation (O: 128 bytes of escaped value). The UTF-8 continuation byte at the cut is
        # dropped but its lead byte stays, so "É" shows as one "." before "...".
        (_der_name([_ava(ORG, UTF8, b"A" * 126 + "ÉÉ".encode())]), "O=" + "A" * 126 + "...."),
        # Quoted value: the first 128 source bytes are re-quoted, cut at 128, then '..."'.
        (_der_name([_ava(ORG, UTF8, b" " + b"B" * 140)]), 'O=" ' + "B" * 126 + '..."'),
        # The "," that made the whole value need quotes is past the cut: no quotes.
        (_der_name([_ava(ORG, UTF8, b"C" * 130 + b",")]), "O=" + "C" * 128 + "..."),
        (_der_name([_ava(CN, UTF8, b"A" * 700)]), "CN=" + "A" * 640 + "..."),
        (_der_name([_ava(ORG, UTF8, b"A" * 128)]), "O=" + "A" * 128),
        (_der_name([_ava(C, PRINTABLE, b"USA")]), "C=US..."),
    ],
)
def test_nss_name(der: bytes, text: str) -> None:
    assert nss_name(der) == text


def test_nss_name_legacy_limits_cut_cn_o_ou_only() -> None:
    der = _der_name(
        [_ava(L, UTF8, b"L" * 100)],
        [_ava(ORG, UTF8, b"O" * 65)],
        [_ava(OU, UTF8, b"U" * 64)],
        [_ava(CN, UTF8, b"A" * 65)],
    )
    assert nss_name(der) == "CN=" + "A" * 65 + ",OU=" + "U" * 64 + ",O=" + "O" * 65 + ",L=" + "L" * 100
    assert nss_name(der, legacy_limits=True) == (
        "CN=" + "A" * 64 + "...,OU=" + "U" * 64 + ",O=" + "O" * 64 + "...,L=" + "L" * 100
    )


def _fake_certificate(serial: bytes, not_before: bytes, not_after: bytes) -> bytes:
    """A structurally complete certificate that cryptography would refuse to build (serial 0, odd times)."""
    algorithm = _tlv(0x30, core.ObjectIdentifier("1.2.840.10045.4.3.2").dump())
    name = _der_name([_ava(CN, UTF8, b"Fake")])
    spki = _tlv(0x30, _tlv(0x30, core.ObjectIdentifier("1.2.840.10045.2.1").dump()) + _tlv(0x03, b"\x00"))
    tbs = _tlv(
        0x30,
        _tlv(0xA0, _tlv(0x02, b"\x02"))
        + _tlv(0x02, serial)
        + algorithm
        + name
        + _tlv(0x30, not_before + not_after)
        + name
        + spki,
    )
    return _tlv(0x30, tbs + algorithm + _tlv(0x03, b"\x00"))


def _utc(text: str) -> bytes:
    return _tlv(0x17, text.encode())


def _generalized(text: str) -> bytes:
    return _tlv(0x18, text.encode())


@pytest.mark.parametrize(
    ("not_before", "not_after", "before_text", "after_text"),
    [
        (
            _utc("500101000000Z"),
            _utc("491231235959Z"),
            "Sun Jan 01 00:00:00 1950",
            "Fri Dec 31 23:59:59 2049",
        ),
        (
            _utc("4912312359Z"),
            _generalized("20610228120000Z"),
            "Fri Dec 31 23:59:00 2049",
            "Mon Feb 28 12:00:00 2061",
        ),
        # Offsets are folded into GMT; day 31 of February rolls over as PR_ImplodeTime does.
        (
            _utc("000101000000+0100"),
            _utc("991231230000-0130"),
            "Fri Dec 31 23:00:00 1999",
            "Sat Jan 01 00:30:00 2000",
        ),
        (
            _utc("250231000000Z"),
            _generalized("205001010000Z"),
            "Mon Mar 03 00:00:00 2025",
            "Sat Jan 01 00:00:00 2050",
        ),
    ],
)
def test_validity_forms(not_before: bytes, not_after: bytes, before_text: str, after_text: str) -> None:
    lines = info_lines(_fake_certificate(b"\x00", not_before, not_after))
    assert lines[:5] == (
        "# Issuer: CN=Fake",
        "# Serial Number: 0 (0x0)",
        "# Subject: CN=Fake",
        f"# Not Valid Before: {before_text}",
        f"# Not Valid After : {after_text}",
    )


# --------------------------------------------------------------------------------------------------
# 4. input that is not a certificate


_GOOD = _fake_certificate(b"\x01", _utc("500101000000Z"), _utc("491231235959Z"))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a certificate",
        b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        _der_name([_ava(CN, UTF8, b"only a name")]),
        _GOOD[:-1],  # truncated
        _GOOD + b"\x00",  # trailing garbage
        _fake_certificate(b"\x01", _utc("500101000000"), _utc("491231235959Z")),  # no zone
        _fake_certificate(b"\x01", _generalized("20500101000000.5Z"), _utc("491231235959Z")),  # fraction
        _fake_certificate(b"\x01", _utc("501301000000Z"), _utc("491231235959Z")),  # month 13
        _fake_certificate(b"\x01", _utc("5001010000001Z"), _utc("491231235959Z")),  # odd digits
        _fake_certificate(b"\x01", _tlv(0x04, b"500101000000Z"), _utc("491231235959Z")),  # not a time
    ],
)
def test_not_a_certificate_raises_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match=r"not a DER X\.509 certificate"):
        info_lines(data)


def test_good_fake_certificate_is_accepted() -> None:
    assert info_lines(_GOOD)[1] == "# Serial Number: 1 (0x1)"


@pytest.mark.parametrize("data", [b"", b"\x31\x00", b"\x30\x03\x31\x01\x05", b"\x30\x00\x00"])
def test_not_a_name_raises_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match=r"not a DER X\.501 Name"):
        nss_name(data)
