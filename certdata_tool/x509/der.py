"""The one DER reader (and the small writer exports need): elements byte for byte, as certificates hold them.

Hand-written rather than asn1crypto.parser: reading a TLV is twenty lines, and importing
asn1crypto.parser costs about 17 ms of start-up (it pulls in asn1crypto.util and socket), which
every command that reads a certificate would pay. asn1crypto is still what decodes whole
structures (names for humans, the checks of a new root), where its import is paid anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

SEQUENCE = 0x30
SET = 0x31
OCTET_STRING = 0x04
OBJECT_IDENTIFIER = 0x06
UTF8_STRING = 0x0C
BMP_STRING = 0x1E
INTEGER = 0x02
BOOLEAN = 0x01
NULL = 0x05


@dataclass(frozen=True, slots=True)
class Element:
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
    if offset + 2 > len(data):
        raise ValueError("truncated DER element")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte DER tags are not supported")
    length = data[offset + 1]
    start = offset + 2
    if length == 0x80:
        raise ValueError("indefinite length is not DER")
    if length & 0x80:
        count = length & 0x7F
        if count > 4:
            raise ValueError("DER length of more than 4 bytes")
        if start + count > len(data):
            raise ValueError("truncated DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("DER element runs past the end of its container")
    return Element(tag, data[start:end], data[offset:end]), end


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


@dataclass(frozen=True, slots=True)
class CertificateParts:
    """Pieces of a certificate as whole TLVs (tag and length included), byte for byte as in its DER."""

    issuer: bytes  # Name
    serial: bytes  # INTEGER
    subject: bytes  # Name
    public_key_info: bytes  # SubjectPublicKeyInfo
    validity: bytes = b""  # Validity: SEQUENCE of notBefore, notAfter


def certificate_parts(certificate_der: bytes) -> CertificateParts:
    """Split a DER certificate into the parts certdata.txt and the exports repeat; ValueError when it is
    not one.

    A small walker instead of a full X.509 parser: these bytes must equal the pieces inside
    CKA_VALUE (odd encodings kept), which a re-encoding library could normalise.
    """
    certificate, end = read(certificate_der)
    if certificate.tag != SEQUENCE or end != len(certificate_der):
        raise ValueError("not a DER certificate: expected one SEQUENCE")
    outer = children(certificate.content)
    if not outer or outer[0].tag != SEQUENCE:
        raise ValueError("not a DER certificate: tbsCertificate is not a SEQUENCE")
    fields = children(outer[0].content)
    if fields and fields[0].tag == 0xA0:  # [0] EXPLICIT version, absent for v1 certificates
        fields = fields[1:]
    if len(fields) < 6:
        raise ValueError("not a DER certificate: tbsCertificate is too short")
    serial, _signature, issuer, validity, subject, public_key_info = fields[:6]
    if serial.tag != INTEGER or issuer.tag != SEQUENCE or subject.tag != SEQUENCE:
        raise ValueError("not a DER certificate: unexpected serialNumber, issuer or subject")
    return CertificateParts(issuer=issuer.encoding, serial=serial.encoding, subject=subject.encoding,
                            public_key_info=public_key_info.encoding, validity=validity.encoding)


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
