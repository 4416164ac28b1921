"""The seven info comment lines NSS's addbuiltin prints above each certificate and trust object."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import NamedTuple

from ..moments import der_time, nss_time
from .der import Element, children, oid_contents, parse

__all__ = ["info_lines", "nss_name", "nss_serial_line", "nss_time"]


class _AttributeKind(NamedTuple):
    """One row of NSS's name2kinds[] table (lib/certdb/alg1485.c)."""

    name: str
    max_bytes: int
    legacy_max_bytes: int  # before NSS a435c037e (2014-05-29) CN, O and OU were cut at 64


def _kind(dotted: str, name: str, max_bytes: int, legacy: int | None = None) -> tuple[bytes, _AttributeKind]:
    # NSS looks attribute types up by the OID's content bytes.
    return oid_contents(dotted), _AttributeKind(name, max_bytes, max_bytes if legacy is None else legacy)


# Every name READABLE mode knows; anything else prints as OID.<dotted> with NSS's 32767-byte cap.
_KINDS: dict[bytes, _AttributeKind] = dict(
    [
        _kind("2.5.4.3", "CN", 640, 64),
        _kind("2.5.4.8", "ST", 128),
        _kind("2.5.4.10", "O", 128, 64),
        _kind("2.5.4.11", "OU", 128, 64),
        _kind("2.5.4.46", "dnQualifier", 32767),
        _kind("2.5.4.6", "C", 2),
        _kind("2.5.4.5", "serialNumber", 64),
        _kind("2.5.4.7", "L", 128),
        _kind("2.5.4.12", "title", 64),
        _kind("2.5.4.4", "SN", 64),
        _kind("2.5.4.42", "givenName", 64),
        _kind("2.5.4.43", "initials", 64),
        _kind("2.5.4.44", "generationQualifier", 64),
        _kind("0.9.2342.19200300.100.1.25", "DC", 128),
        _kind("0.9.2342.19200300.100.1.3", "MAIL", 256),
        _kind("0.9.2342.19200300.100.1.1", "UID", 256),
        _kind("2.5.4.16", "postalAddress", 128),
        _kind("2.5.4.17", "postalCode", 40),
        _kind("2.5.4.18", "postOfficeBox", 40),
        _kind("2.5.4.51", "houseIdentifier", 64),
        _kind("1.2.840.113549.1.9.1", "E", 128),
        _kind("2.5.4.9", "STREET", 128),
        _kind("2.5.4.65", "pseudonym", 64),
        _kind("1.3.6.1.4.1.311.60.2.1.1", "incorporationLocality", 128),
        _kind("1.3.6.1.4.1.311.60.2.1.2", "incorporationState", 128),
        _kind("1.3.6.1.4.1.311.60.2.1.3", "incorporationCountry", 2),
        _kind("2.5.4.15", "businessCategory", 64),
        _kind("2.5.4.41", "name", 64),
    ]
)

_UNKNOWN_MAX_BYTES = 32767
_AVA_BUFFER = 2048  # AppendAVA's tmpBuf: READABLE output of one AVA must fit in it
_INVALID = "!Invalid AVA!"  # what SECU_PrintName shows when CERT_NameToAscii fails

# escapeAndQuote (minimalEscapeAndQuote): control bytes and DEL become \xx; " and \ get a backslash.
_ESCAPED = re.compile(rb'[\x00-\x1f\x7f"\\]')
# Quoting is triggered by these specials, by a space after a space/CR/LF, or by a space/CR/LF at
# either end. " and \ are escaped instead, and CR/LF are hex-escaped before the special check.
_QUOTE_TRIGGER = re.compile(rb"[,=+<>#;]|[ \r\n] |\A[ \r\n]|[ \r\n]\Z")

# secu_PrintRawStringQuotesOptional maps every byte through printable[]: only 0x20-0x7E survive.
_PRINTABLE = bytes(b if 0x20 <= b <= 0x7E else 0x2E for b in range(256))


_SEQUENCE, _SET, _INTEGER, _OID, _UTC_TAG, _GENERALIZED_TAG = 16, 17, 2, 6, 23, 24


def _expect(element: Element, number: int, what: str) -> Element:
    constructed = number in (_SEQUENCE, _SET)
    if element.tag_class != 0 or element.number != number or element.constructed != constructed:
        raise ValueError(f"{what}: unexpected DER element (class {element.tag_class}, tag {element.number})")
    return element


def _decode_value(tag_byte: int, contents: bytes) -> bytes | None:
    """CERT_DecodeAVAValue: the UTF-8 bytes NSS shows, or None when it falls back to hex."""
    if tag_byte in (0x13, 0x16, 0x0C):  # Printable, IA5, UTF8: bytes as they are, unchecked
        return contents
    if tag_byte == 0x14:  # T61String: NSS treats it as ISO-8859-1, "per common practice"
        return contents.decode("latin-1").encode()
    if tag_byte == 0x1E:  # BMPString: UTF-16BE; a lone surrogate makes NSS give up
        if len(contents) % 2:
            return None
        try:
            return contents.decode("utf-16-be").encode()
        except UnicodeDecodeError:
            return None
    if tag_byte == 0x1C:  # UniversalString: NSS encodes any code point up to 0x10FFFF, surrogates too
        if len(contents) % 4:
            return None
        out = bytearray()
        for index in range(0, len(contents), 4):
            code_point = int.from_bytes(contents[index : index + 4], "big")
            if code_point > 0x10FFFF:
                return None
            out += chr(code_point).encode("utf-8", "surrogatepass")
        return bytes(out)
    return None


def _oid_text(contents: bytes) -> str | None:
    """CERT_GetOidString: OID.<dotted>, with NSS's own handling of odd encodings."""
    if len(contents) > 1024 or len(contents) < 2:
        return None
    if contents[0] == 0x80 and len(contents) == 2:  # NSS's pseudo-encoded one-arc OIDs
        return str(contents[1])
    parts: list[str] = []
    start = 0
    while start < len(contents):
        end = start
        while end < len(contents) and contents[end] & 0x80:
            end += 1
        if end == len(contents):  # last byte still has its continuation bit set
            parts.append("UNSUPPORTED")
            break
        group = contents[start : end + 1]
        extra = len(group) - 1
        start = end + 1
        first_mask = 0x01 if extra == 9 else 0x7F
        if extra > 9 or (extra and not group[0] & first_mask):  # > 64 bits, or not minimal
            parts.append("UNSUPPORTED")
            continue
        value = group[0] & first_mask
        for byte in group[1:]:
            value = (value << 7) | (byte & 0x7F)
        if not parts:
            top = min(value // 40, 2)
            parts.extend((str(top), str(value - top * 40)))
        else:
            parts.append(str(value))
    return "OID." + ".".join(parts)


def _escape(value: bytes, quoted: bool) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        char = match.group()
        return b"\\" + (char if char in b'"\\' else b"%02x" % char[0])

    escaped = _ESCAPED.sub(replace, value)
    return b'"' + escaped + b'"' if quoted else escaped


def _ava_text(
    oid: bytes, value_tag: int, value_contents: bytes, value_raw: bytes, legacy: bool
) -> bytes | None:
    """AppendAVA in CERT_N2A_READABLE mode; None when NSS would fail the whole name."""
    kind = _KINDS.get(oid)
    if kind is not None:
        tag_name = kind.name.encode()
        max_bytes = kind.legacy_max_bytes if legacy else kind.max_bytes
    else:
        oid_text = _oid_text(oid)
        if oid_text is None:
            return None
        tag_name, max_bytes = oid_text.encode(), _UNKNOWN_MAX_BYTES

    decoded = _decode_value(value_tag, value_contents)
    hex_value = b""
    quoted = False
    if decoded is None:
        hex_value = b"#" + value_raw.hex().upper().encode()
        value_len = len(hex_value)
    else:
        quoted = _QUOTE_TRIGGER.search(decoded) is not None
        value_len = len(_escape(decoded, quoted))

    # Long AVAs are squeezed into the 2048-byte buffer before the per-type limit applies.
    name_len, max_name, max_value = len(tag_name), len(tag_name), value_len
    if name_len + value_len + 2 > _AVA_BUFFER:
        fair = _AVA_BUFFER // 2 - 1
        if name_len < fair:
            max_value = _AVA_BUFFER - (name_len + 6)
        elif value_len < fair:
            max_name = _AVA_BUFFER - (value_len + 5)
        else:
            max_name = max_value = fair - 3
    out = bytearray(tag_name[:max_name])
    if name_len > max_name:
        out[-3:] = b"..."
    out += b"="

    max_value = min(max_value, max_bytes)
    if value_len <= max_value:
        out += hex_value if decoded is None else _escape(decoded, quoted)
        return bytes(out)
    if decoded is None:
        # The cut hex string ends in "..." even if that eats into the "=" (C=#..., limit 2).
        out += hex_value[:max_value]
        out[-3:] = b"..."
        return bytes(out)
    # Escape only the first max_value source bytes (quoting re-decided on them, if the whole
    # value needed it), cut the result at max_value bytes, drop trailing UTF-8 continuation
    # bytes (NSS keeps the lead byte), then add "..." and close the quote.
    prefix = decoded[:max_value]
    escaped = _escape(prefix, quoted and _QUOTE_TRIGGER.search(prefix) is not None)[:max_value]
    last = max_value - 1
    while last > 0 and escaped[last] & 0xC0 == 0x80:
        last -= 1
    cut = escaped[: last + 1] + b"..."
    if cut.startswith(b'"'):
        cut += b'"'
    out += cut
    return bytes(out)


def nss_name(der_name: bytes, *, legacy_limits: bool = False) -> str:
    """The text addbuiltin prints after "# Issuer: " / "# Subject: " for a DER Name.

    legacy_limits selects the 64-byte CN/O/OU limits of NSS before 2014-05-29.
    """
    try:
        name = _expect(parse(der_name), _SEQUENCE, "Name")
        rdns = [_expect(rdn, _SET, "RelativeDistinguishedName") for rdn in children(name.content)]
        avas: list[list[tuple[bytes, Element]]] = []
        for rdn in rdns:
            row: list[tuple[bytes, Element]] = []
            for ava in children(rdn.content):
                fields = list(children(_expect(ava, _SEQUENCE, "AttributeTypeAndValue").content))
                if len(fields) != 2:
                    raise ValueError("AttributeTypeAndValue must hold a type and a value")
                row.append((_expect(fields[0], _OID, "attribute type").content, fields[1]))
            avas.append(row)
    except (ValueError, TypeError, IndexError) as error:
        raise ValueError(f"not a DER X.501 Name: {error}") from error

    if not rdns:
        return "(empty)"
    pieces: list[bytes] = []
    for row in reversed(avas):  # most specific RDN first, AVAs of one RDN in DER order
        for index, (oid, value) in enumerate(row):
            text = _ava_text(oid, value.tag, value.content, value.encoding, legacy_limits)
            if text is None:
                return _INVALID
            if pieces:
                pieces.append(b"+" if index else b",")
            pieces.append(text)
    if not pieces:  # RDNs without any AVA: CERT_NameToAscii returns NULL
        return _INVALID
    return b"".join(pieces).translate(_PRINTABLE).decode("ascii")


def nss_serial_line(serial_content: bytes) -> str:
    """SECU_PrintInteger of the INTEGER content bytes (a leading 00 pad included)."""
    label = "# Serial Number"
    if not serial_content:
        return f"{label}: (null)"
    if len(serial_content) > 4:
        # SECU_PrintAsHex shows a long all-printable value as text (nothing if it is all spaces).
        if all(0x20 <= byte <= 0x7E for byte in serial_content):
            text = "" if serial_content.strip(b" ") == b"" else serial_content.decode("ascii")
            return f"{label}:{text}"
        return f"{label}:" + ":".join(f"{byte:02x}" for byte in serial_content)
    value = int.from_bytes(serial_content, "big", signed=True)  # DER_GetInteger is signed
    return f"{label}: {value} (0x{value & 0xFFFFFFFF:x})"  # printf %x of a C int


def _validity_time(element: Element) -> datetime:
    """DER_UTCTimeToTime / DER_GeneralizedTimeToTime, including their lenient range checks."""
    if element.tag_class != 0 or element.number not in (_UTC_TAG, _GENERALIZED_TAG) or element.constructed:
        raise ValueError("validity time is neither UTCTime nor GeneralizedTime")
    return der_time(element.content, generalized=element.number == _GENERALIZED_TAG)


def _fingerprint(digest: bytes) -> str:
    return ":".join(f"{byte:02X}" for byte in digest)


def info_lines(der_certificate: bytes, *, legacy_limits: bool = False) -> tuple[str, ...]:
    """The 7 info lines (Issuer … Fingerprint (SHA1)) of addbuiltin's print_info(), no newlines."""
    try:
        certificate = _expect(parse(der_certificate), _SEQUENCE, "Certificate")
        outer = list(children(certificate.content))
        if len(outer) != 3:
            raise ValueError("a Certificate has exactly three parts")
        tbs = list(children(_expect(outer[0], _SEQUENCE, "TBSCertificate").content))
        if tbs and tbs[0].tag_class == 2 and tbs[0].number == 0:  # explicit [0] version
            tbs = tbs[1:]
        if len(tbs) < 6:
            raise ValueError("TBSCertificate is too short")
        serial = _expect(tbs[0], _INTEGER, "serialNumber")
        _expect(tbs[1], _SEQUENCE, "signature")
        issuer = _expect(tbs[2], _SEQUENCE, "issuer")
        validity = list(children(_expect(tbs[3], _SEQUENCE, "validity").content))
        subject = _expect(tbs[4], _SEQUENCE, "subject")
        _expect(tbs[5], _SEQUENCE, "subjectPublicKeyInfo")
        if len(validity) != 2:
            raise ValueError("validity must hold notBefore and notAfter")
        not_before, not_after = (_validity_time(time) for time in validity)
        issuer_text = nss_name(issuer.encoding, legacy_limits=legacy_limits)
        subject_text = nss_name(subject.encoding, legacy_limits=legacy_limits)
    except (ValueError, TypeError, IndexError) as error:
        raise ValueError(f"not a DER X.509 certificate: {error}") from error
    return (
        f"# Issuer: {issuer_text}",
        nss_serial_line(serial.content),
        f"# Subject: {subject_text}",
        f"# Not Valid Before: {nss_time(not_before)}",
        f"# Not Valid After : {nss_time(not_after)}",
        f"# Fingerprint (SHA-256): {_fingerprint(hashlib.sha256(der_certificate).digest())}",
        f"# Fingerprint (SHA1): {_fingerprint(hashlib.sha1(der_certificate).digest())}",
    )
