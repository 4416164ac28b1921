"""The `directory` format: one PEM file per root, named after its label, and OpenSSL subject-hash links."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

from ..x509 import der
from .folder import MANIFEST, DirectoryExport
from .pem import comment, header, pem_block, root_comments

__all__ = ["MANIFEST", "DirectoryExport", "canonical_name", "file_names", "hash_links", "render",
           "safe_name", "subject_hash"]

if TYPE_CHECKING:
    from . import Provenance
    from .policy import Decision, Selection

# -- file names ------------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
# Letters that Unicode does not decompose into an ASCII letter plus an accent.
_LETTERS = str.maketrans({"\u0131": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                          "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"})


def safe_name(label: str) -> str:
    """ASCII letters, digits, `_`, `-` and `.` only: accents dropped, anything else becomes `_`."""
    decomposed = unicodedata.normalize("NFKD", label.translate(_LETTERS))
    ascii_text = "".join(c if c.isascii() else "_" for c in decomposed if not unicodedata.combining(c))
    name = _UNSAFE.sub("_", ascii_text).strip("._-")
    return name or "root"


# Room for `_` + 64 hex digits + a count + `.pem` within the 255 bytes a file name may have.
_BASE_LIMIT = 160


def file_names(decisions: tuple[Decision, ...]) -> tuple[str, ...]:
    """One file name per root of `decisions` (in order). Names that would clash (ignoring case, for
    case-insensitive file systems) all get hex digits of their SHA-256 added (exporting.names)."""
    from .names import unique_names

    wanted = []
    for decision in decisions:
        assert decision.root is not None
        wanted.append((safe_name(decision.label)[:_BASE_LIMIT], decision.root.sha256))
    return unique_names([(f"{base}.pem", sha256) for base, sha256 in wanted],
                         lambda name, digits: f"{name.removesuffix('.pem')}_{digits}.pem",
                         reserved=(MANIFEST,))


# -- OpenSSL's subject hash (X509_NAME_hash_ex) -----------------------------------------------------

# String types OpenSSL canonicalizes (ASN1_MASK_CANON): UTF8String, PrintableString, T61String,
# IA5String, VisibleString, UniversalString, BMPString.
_ONE_BYTE = {0x13, 0x14, 0x16, 0x1A}  # Printable, T61 (read as Latin-1 by OpenSSL), IA5, Visible
_UTF8, _UNIVERSAL, _BMP = 0x0C, 0x1C, 0x1E
_ASCII_SPACE = b" \t\n\v\f\r"


def _canonical_text(tag: int, content: bytes) -> bytes:
    """The value as OpenSSL compares names: UTF-8, outer whitespace trimmed, inner runs of whitespace
    made one space, ASCII letters lower-cased (non-ASCII bytes are copied as they are)."""
    if tag == _UTF8:
        text = content
    elif tag in _ONE_BYTE:
        text = content.decode("latin-1").encode("utf-8")
    elif tag == _BMP:
        if len(content) % 2:  # OpenSSL refuses the name (ASN1_R_INVALID_BMPSTRING_LENGTH)
            raise ValueError("a BMPString of an odd number of bytes")
        text = content.decode("utf-16-be", errors="surrogatepass").encode("utf-8", errors="surrogatepass")
    else:
        if len(content) % 4:
            raise ValueError("a UniversalString whose length is not a multiple of 4")
        text = content.decode("utf-32-be", errors="surrogatepass").encode("utf-8", errors="surrogatepass")
    text = text.strip(_ASCII_SPACE)
    return re.sub(rb"[ \t\n\v\f\r]+", b" ", text).lower()


def canonical_name(name_der: bytes) -> bytes:
    """OpenSSL's canonical encoding of a Name: the RDN SETs, re-encoded, without the outer SEQUENCE."""
    name, _ = der.read(name_der)
    out = bytearray()
    for rdn in der.children(name.content):
        entries = []
        for attribute in der.children(rdn.content):
            oid, value = der.children(attribute.content)[:2]
            if value.tag in _ONE_BYTE or value.tag in (_UTF8, _UNIVERSAL, _BMP):
                value_der = der.encode(_UTF8, _canonical_text(value.tag, value.content))
            else:
                value_der = value.encoding
            entries.append(der.sequence(oid.encoding, value_der))
        out += der.set_of(*entries)
    return bytes(out)


def subject_hash(certificate_der: bytes) -> str:
    """What `openssl x509 -hash` prints: the first four bytes of SHA-1, little-endian, as 8 hex digits."""
    digest = hashlib.sha1(canonical_name(der.certificate_parts(certificate_der).subject)).digest()
    return f"{int.from_bytes(digest[:4], 'little'):08x}"


def hash_links(files: dict[str, bytes], unhashable: list[tuple[str, str]] | None = None,
               ) -> tuple[tuple[str, str], ...]:
    """`HASH.N -> file` links as `openssl rehash` makes them: files taken in name order, N counting up
    per hash. A certificate whose subject OpenSSL cannot read (an odd-length BMPString) gets no link,
    as `openssl rehash` gives it none; (file, why) goes to `unhashable`."""
    links = []
    used: dict[str, int] = {}
    for name in sorted(files, key=lambda n: n.encode("utf-8")):
        value = files[name]
        try:
            subject = subject_hash(value)
        except ValueError as error:
            if unhashable is not None:
                unhashable.append((name, str(error)))
            continue
        number = used.get(subject, 0)
        used[subject] = number + 1
        links.append((f"{subject}.{number}", name))
    return tuple(links)


def render(selection: Selection, provenance: Provenance) -> DirectoryExport:
    from . import header_lines

    kept = selection.kept
    files: dict[str, bytes] = {}
    ders: dict[str, bytes] = {}
    for decision, name in zip(kept, file_names(kept), strict=True):
        root = decision.root
        assert root is not None
        files[name] = (root_comments(decision, "PEM") + pem_block("CERTIFICATE", root.der)).encode("utf-8")
        ders[name] = root.der
    unhashable: list[tuple[str, str]] = []
    links = hash_links(ders, unhashable)
    warnings = tuple(f"{name}: the subject holds {why}, which OpenSSL cannot read; the file is written "
                     "without a HASH.N link, so OpenSSL will not find it" for name, why in unhashable)
    listing = sorted([*files, *(link for link, _ in links)], key=lambda n: n.encode("utf-8"))
    manifest = header(header_lines(provenance, selection)) \
        + comment("Files in this folder (a re-export replaces it only while it holds nothing else):") \
        + "".join(f"{name}\n" for name in listing)
    ordered = sorted(files.items(), key=lambda item: item[0].encode("utf-8"))
    return DirectoryExport(files=((MANIFEST, manifest.encode("utf-8")), *ordered), links=links,
                           warnings=warnings)
