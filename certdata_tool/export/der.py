"""Just enough DER for the export formats: read a certificate's fields, write small structures."""

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
    """One TLV: its tag byte, its content bytes and the whole encoding."""

    tag: int
    content: bytes
    encoding: bytes


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
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or start + count > len(data):
            raise ValueError("bad DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("truncated DER element")
    return Element(tag, data[start:end], data[offset:end]), end


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
    """The pieces of a certificate that the writers need, as DER encodings."""

    subject: bytes  # the whole Name TLV
    issuer: bytes
    serial: bytes  # the whole INTEGER TLV
    public_key_info: bytes  # the whole SubjectPublicKeyInfo TLV


def certificate_parts(der: bytes) -> CertificateParts:
    """Split a DER certificate into the parts we need; ValueError when it is not one."""
    certificate, _ = read(der)
    if certificate.tag != SEQUENCE:
        raise ValueError("a certificate must be a SEQUENCE")
    tbs = children(certificate.content)[0]
    fields = children(tbs.content)
    if fields and fields[0].tag == 0xA0:  # [0] EXPLICIT version, absent for v1 certificates
        fields = fields[1:]
    if len(fields) < 6:
        raise ValueError("tbsCertificate has too few fields")
    serial, _signature, issuer, _validity, subject, public_key_info = fields[:6]
    return CertificateParts(subject.encoding, issuer.encoding, serial.encoding, public_key_info.encoding)


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


def oid(dotted: str) -> bytes:
    arcs = [int(arc) for arc in dotted.split(".")]
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return encode(OBJECT_IDENTIFIER, bytes(body))
