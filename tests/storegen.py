"""Generated certdata stores N times the size of a real one, for scaling benchmarks and kill tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from certdata_tool.syntax.nssfile import (
    Attribute,
    CertdataFile,
    NssObject,
    octal_attribute,
    parse,
    utf8_attribute,
)

CERTIFICATE = "CKO_CERTIFICATE"
TRUST = "CKO_NSS_TRUST"


def perturbed_der(der: bytes, copy: int) -> bytes:
    """A distinct DER per copy: the last 4 bytes (inside the signature) XORed with the copy number.

    The certificate stays parseable (a signature is opaque bytes); it just no longer verifies,
    which nothing here needs.
    """
    tail = int.from_bytes(der[-4:], "big") ^ copy
    return der[:-4] + tail.to_bytes(4, "big")


def _replace_attribute(obj: NssObject, new: Attribute) -> NssObject:
    """`obj` with its attribute of the same name as `new` replaced by `new`, where it stands."""
    entries = tuple(new if isinstance(e, Attribute) and e.name == new.name else e for e in obj.entries)
    return obj._replace(entries=entries)


def copy_objects(store: CertdataFile, copy: int) -> list[NssObject]:
    """Copy number `copy` (>= 1) of every root: certificate and trust objects with a new DER, its
    hashes and a label ending in ` #copy`, in NSS's layout. Other objects are not copied."""
    newline = store.newline
    hashes: dict[bytes, tuple[bytes, bytes]] = {}  # old SHA-1 -> new (SHA-1, MD5)
    objects: list[NssObject] = []
    for obj in store.objects:
        value = obj.attribute("CKA_VALUE")
        if obj.object_class == CERTIFICATE and value is not None:
            der = perturbed_der(value.octal, copy)
            old_sha1 = hashlib.sha1(value.octal).digest()
            hashes[old_sha1] = (hashlib.sha1(der).digest(), hashlib.md5(der).digest())
            new = _replace_attribute(obj, octal_attribute("CKA_VALUE", der, newline))
        elif obj.object_class == TRUST:
            sha1 = obj.attribute("CKA_CERT_SHA1_HASH")
            if sha1 is None or sha1.octal not in hashes:
                continue  # a distrust entry with no certificate: one in the file is enough
            new_sha1, new_md5 = hashes[sha1.octal]
            new = _replace_attribute(obj, octal_attribute("CKA_CERT_SHA1_HASH", new_sha1, newline))
            new = _replace_attribute(new, octal_attribute("CKA_CERT_MD5_HASH", new_md5, newline))
        else:
            continue
        label = new.label
        if label is not None:
            new = _replace_attribute(new, utf8_attribute("CKA_LABEL", f"{label} #{copy}", newline))
        objects.append(new)
    return objects


def generate(text: str, factor: int, write: Callable[[str], object]) -> None:
    """Write (through `write`) a store `factor` times the size of `text`: the file itself, then
    factor - 1 copies of its roots. Streams copy by copy, so memory stays that of one copy."""
    store = parse(text)
    body_end = text.rfind("".join(store.trailer)) if store.trailer else len(text)
    write(text[:body_end])
    for copy in range(1, factor):
        write("".join(obj.text() for obj in copy_objects(store, copy)))
    write("".join(store.trailer))
