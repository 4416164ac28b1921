"""The one DER reader (and the small writer exports need): elements byte for byte, as certificates hold them.

Hand-written rather than asn1crypto.parser: reading a TLV is twenty lines, and importing
asn1crypto.parser costs about 17 ms of start-up (it pulls in asn1crypto.util and socket), which
every command that reads a certificate would pay. asn1crypto is still what decodes whole
structures (names for humans, the checks of a new root), where its import is paid anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from ..moments import der_time

SEQUENCE = 0x30
SET = 0x31
OCTET_STRING = 0x04
OBJECT_IDENTIFIER = 0x06
UTF8_STRING = 0x0C
BMP_STRING = 0x1E
INTEGER = 0x02
BOOLEAN = 0x01
NULL = 0x05
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18


# The values here are NamedTuples: cheaper to define at every start than frozen dataclasses
# (docs/ARCHITECTURE.md, "Start-up").
class Element(NamedTuple):
    """One TLV: its identifier (tag) byte, its content bytes and the whole encoding."""

    tag: int
    content: bytes
    encoding: bytes

    @property
    def tag_class(self) -> int:
        """0 universal, 1 application, 2 context-specific, 3 private."""
        return self.tag >> 6

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    @property
    def number(self) -> int:
        """The tag number (16 for SEQUENCE, 23 for UTCTime, 0 for [0], ...)."""
        return self.tag & 0x1F


def read(data: bytes, offset: int = 0) -> tuple[Element, int]:
    """The element starting at `offset` and the offset after it; ValueError when malformed.

    Only single-byte tags occur in certificates' outer structure and names, so that is all we read.
    """
    tag, start, content, end = _span(data, offset, len(data))
    return Element(tag, data[content:end], data[start:end]), end


def parse(data: bytes) -> Element:
    """Exactly one element, nothing after it; ValueError otherwise."""
    element, end = read(data)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the DER element")
    return element


def children(content: bytes) -> list[Element]:
    """The elements inside a constructed element's content."""
    items: list[Element] = []
    offset = 0
    while offset < len(content):
        item, offset = read(content, offset)
        items.append(item)
    return items


class CertificateParts(NamedTuple):
    """Pieces of a certificate as whole TLVs (tag and length included), byte for byte as in its DER."""

    issuer: bytes  # Name
    serial: bytes  # INTEGER
    subject: bytes  # Name
    public_key_info: bytes  # SubjectPublicKeyInfo
    validity: bytes = b""  # Validity: SEQUENCE of notBefore, notAfter


def _span(data: bytes, offset: int, stop: int) -> tuple[int, int, int, int]:
    """(tag, offset, content offset, end) of the element at `offset`, checked as `read` checks it;
    offsets only, so nothing is copied (certifi's headers walk every name of every root)."""
    if offset + 2 > stop:
        raise ValueError("truncated DER element")
    tag, length = data[offset], data[offset + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte DER tags are not supported")
    content = offset + 2
    if length == 0x80:
        raise ValueError("indefinite length is not DER")
    if length & 0x80:
        count = length & 0x7F
        if count > 4:
            raise ValueError("DER length of more than 4 bytes")
        if content + count > stop:
            raise ValueError("truncated DER length")
        length = int.from_bytes(data[content : content + count], "big")
        content += count
    end = content + length
    if end > stop:
        raise ValueError("DER element runs past the end of its container")
    return tag, offset, content, end


def _spans(data: bytes, start: int, stop: int) -> list[tuple[int, int, int, int]]:
    """Every element between `start` and `stop`, as `_span` gives them."""
    spans = []
    while start < stop:
        span = _span(data, start, stop)
        spans.append(span)
        start = span[3]
    return spans


def certificate_parts(certificate_der: bytes) -> CertificateParts:
    """Split a DER certificate into the parts certdata.txt and the exports repeat; ValueError when it is
    not one.

    A small walker instead of a full X.509 parser: these bytes must equal the pieces inside
    CKA_VALUE (odd encodings kept), which a re-encoding library could normalise.
    """
    data = certificate_der
    tag, _, start, end = _span(data, 0, len(data))
    if tag != SEQUENCE or end != len(data):
        raise ValueError("not a DER certificate: expected one SEQUENCE")
    outer = _spans(data, start, end)
    if not outer or outer[0][0] != SEQUENCE:
        raise ValueError("not a DER certificate: tbsCertificate is not a SEQUENCE")
    fields = _spans(data, outer[0][2], outer[0][3])
    if fields and fields[0][0] == 0xA0:  # [0] EXPLICIT version, absent for v1 certificates
        fields = fields[1:]
    if len(fields) < 6:
        raise ValueError("not a DER certificate: tbsCertificate is too short")
    serial, _signature, issuer, validity, subject, public_key_info = fields[:6]
    if serial[0] != INTEGER or issuer[0] != SEQUENCE or subject[0] != SEQUENCE:
        raise ValueError("not a DER certificate: unexpected serialNumber, issuer or subject")
    return CertificateParts(issuer=data[issuer[1] : issuer[3]], serial=data[serial[1] : serial[3]],
                            subject=data[subject[1] : subject[3]],
                            public_key_info=data[public_key_info[1] : public_key_info[3]],
                            validity=data[validity[1] : validity[3]])


class NameAttribute(NamedTuple):
    """One AttributeTypeAndValue of a Name: the type's OID content bytes, the value's tag and content."""

    oid: bytes
    tag: int  # the string type: UTF8String 0x0C, PrintableString 0x13, T61String 0x14, BMPString 0x1E...
    value: bytes


def name_attributes(name_der: bytes) -> tuple[NameAttribute, ...]:
    """Every attribute of a DER Name, RDN by RDN, in the order the DER has them; ValueError when
    malformed."""
    data = name_der
    tag, _, start, end = _span(data, 0, len(data))
    if tag != SEQUENCE or end != len(data):
        raise ValueError("not a DER Name: expected one SEQUENCE")
    attributes: list[NameAttribute] = []
    for rdn_tag, _, rdn_start, rdn_end in _spans(data, start, end):
        if rdn_tag != SET:
            raise ValueError("not a DER Name: an RDN is not a SET")
        for pair_tag, _, pair_start, pair_end in _spans(data, rdn_start, rdn_end):
            parts = _spans(data, pair_start, pair_end)
            if pair_tag != SEQUENCE or len(parts) != 2 or parts[0][0] != OBJECT_IDENTIFIER:
                raise ValueError("not a DER Name: bad AttributeTypeAndValue")
            (_, _, oid_start, oid_end), (value_tag, _, value_start, value_end) = parts
            attributes.append(NameAttribute(data[oid_start:oid_end], value_tag, data[value_start:value_end]))
    return tuple(attributes)


# One-byte string types are read as Latin-1 (OpenSSL's ASN1_STRING_to_UTF8 does the same for
# T61String, and Printable, IA5, Visible and Numeric strings are ASCII when valid).
_LATIN_1_TAGS = frozenset({0x12, 0x13, 0x14, 0x16, 0x1A})


def directory_string(tag: int, content: bytes) -> str:
    """The text of a name attribute value by its string type: UTF8String as UTF-8, T61String as
    Latin-1, BMPString as UTF-16 and UniversalString as UTF-32 (both big-endian)."""
    if tag in _LATIN_1_TAGS:
        return content.decode("latin-1")
    if tag == BMP_STRING:
        return content.decode("utf-16-be", errors="surrogatepass")
    if tag == 0x1C:  # UniversalString
        return content.decode("utf-32-be", errors="surrogatepass")
    return content.decode("utf-8", errors="replace")


def not_after(certificate_der: bytes) -> tuple[bool, bytes]:
    """The end of the validity period as written: (GeneralizedTime?, the time's ASCII bytes);
    ValueError when the certificate has no readable validity."""
    data = certificate_der
    _, _, start, end = _span(data, 0, len(data))
    _, _, tbs_start, tbs_end = _span(data, start, end)
    fields = _spans(data, tbs_start, tbs_end)
    if fields and fields[0][0] == 0xA0:
        fields = fields[1:]
    if len(fields) < 4 or fields[3][0] != SEQUENCE:
        raise ValueError("not a DER certificate: no validity")
    times = _spans(data, fields[3][2], fields[3][3])
    if len(times) != 2 or times[1][0] not in (UTC_TIME, GENERALIZED_TIME):
        raise ValueError("not a DER certificate: bad validity")
    tag, _, text_start, text_end = times[1]
    return tag == GENERALIZED_TIME, data[text_start:text_end]


def validity_end(certificate_der: bytes) -> datetime:
    """notAfter as NSS reads it; ValueError when the certificate has none NSS can read."""
    generalized, text = not_after(certificate_der)
    return der_time(text, generalized=generalized)


# -- writing ---------------------------------------------------------------------------------------

def encode(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes((tag, size)) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(length))) + length + content


def sequence(*items: bytes) -> bytes:
    return encode(SEQUENCE, b"".join(items))


def set_of(*items: bytes) -> bytes:
    """A DER SET OF: elements sorted by their encodings."""
    return encode(SET, b"".join(sorted(items)))


def octet_string(data: bytes) -> bytes:
    return encode(OCTET_STRING, data)


def integer(value: int) -> bytes:
    size = max(1, (value.bit_length() + 8) // 8)
    return encode(INTEGER, value.to_bytes(size, "big", signed=True))


def utf8_string(text: str) -> bytes:
    return encode(UTF8_STRING, text.encode("utf-8"))


def bmp_string(text: str) -> bytes:
    return encode(BMP_STRING, text.encode("utf-16-be"))


def boolean(value: bool) -> bytes:
    return encode(BOOLEAN, b"\xff" if value else b"\x00")


def null() -> bytes:
    return encode(NULL, b"")


def explicit(number: int, content: bytes) -> bytes:
    """A context-specific constructed tag [number] around `content` (EXPLICIT, or IMPLICIT SEQUENCE)."""
    return encode(0xA0 | number, content)


def oid_contents(dotted: str) -> bytes:
    """The content bytes of an OBJECT IDENTIFIER (no tag or length): NSS looks attribute types up by them."""
    arcs = [int(arc) for arc in dotted.split(".")]
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return bytes(body)


def oid(dotted: str) -> bytes:
    return encode(OBJECT_IDENTIFIER, oid_contents(dotted))
