"""The domain view of a certdata file: roots (certificate + trust object), their trust and dates."""

import hashlib
from typing import TYPE_CHECKING, NamedTuple

from ..syntax.nssfile import Attribute, CertdataFile, NssObject
from .trust import (
    IGNORED_ON_TRUST_OBJECT,
    DistrustAfter,
    Lookup,
    Trust,
    decode_distrust_value,
    read_distrust_after,
    read_distrust_after_by,
    read_trust,
    read_trust_by,
    read_trust_object_distrust_after,
)

# The model speaks the vocabulary: it is re-exported here, where most modules take it from.
from .vocabulary import (
    CERTIFICATE,
    DISTRUST_AFTER_ATTRIBUTES,
    EMAIL_DISTRUST_AFTER,
    FIELD_ATTRIBUTES,
    LEGACY_NAMES,
    MOZILLA_CA_POLICY,
    POSITIVE_TRUST,
    ROOT_FIELDS,
    SERVER_DISTRUST_AFTER,
    STEP_UP_APPROVED,
    TRUST,
    DistrustPurpose,
    TrustField,
    TrustLevel,
    nss_name,
)

if TYPE_CHECKING:
    from ..x509.certificate import CertificateFacts

class Root(NamedTuple):
    """A CKO_CERTIFICATE object with its CKO_NSS_TRUST object (None when the file lacks it)."""

    label: str
    der: bytes
    sha256: str  # upper-case hex, no colons
    sha1: str
    trust: Trust
    distrust_after: DistrustAfter  # what NSS reads: the certificate object's attributes
    mozilla_ca_policy: bool
    certificate_index: int  # position of the certificate object in CertdataFile.objects
    trust_index: int | None
    line: int  # line of the certificate object's CKA_CLASS
    problems: tuple[str, ...] = ()
    # Distrust-after values written on the trust object, decoded: NSS never reads them there.
    trust_object_distrust_after: DistrustAfter = DistrustAfter()

    def __repr__(self) -> str:
        # Short, for a REPL and for test failures: the DER bytes would fill a screen.
        return f"Root(label={self.label!r}, sha256={self.sha256!r})"

    def certificate(self, store: CertdataFile) -> NssObject:
        return store.objects[self.certificate_index]

    def trust_object(self, store: CertdataFile) -> NssObject | None:
        return None if self.trust_index is None else store.objects[self.trust_index]

    def facts(self) -> "CertificateFacts":
        """What the certificate says, read on first use (pairing never depends on it)."""
        from ..x509.certificate import certificate_facts  # only views need it: export and apply do not

        return certificate_facts(self.der)


class DistrustEntry(NamedTuple):
    """A CKO_NSS_TRUST object that matches no certificate in the file (an explicit distrust)."""

    label: str
    issuer: bytes  # DER Name
    serial: bytes  # DER INTEGER, tag and length included
    sha1: str | None
    trust: Trust
    trust_index: int
    line: int
    problems: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"DistrustEntry(label={self.label!r}, sha1={self.sha1!r}, line={self.line})"


class RootSet(NamedTuple):
    """Everything the model reads from one file."""

    roots: tuple[Root, ...]
    distrust_entries: tuple[DistrustEntry, ...]


def field_value(root: Root, field: str) -> object:
    """The value of one of ROOT_FIELDS for `root` (str, TrustLevel, bool, datetime or None)."""
    if field == "label":
        return root.label
    if field == "mozilla_ca_policy":
        return root.mozilla_ca_policy
    group, _, name = field.partition(".")
    if group == "trust":
        return getattr(root.trust, name)
    if group == "distrust_after":
        return getattr(root.distrust_after, name)
    raise ValueError(f"unknown field {field!r}")


def roots(store: CertdataFile) -> tuple[Root, ...]:
    """The roots of `store`, in file order."""
    return read_roots(store).roots


# What pairing found, by object identity: id(certificate object) -> (CKA_VALUE, its SHA-1 digest,
# (CKA_ISSUER, CKA_SERIAL_NUMBER)), and (id(certificate object), id(trust object) or None) -> the
# root they make. (A tuple, not a class: each class costs every command start-up to define.)
_Memo = tuple[dict[int, tuple[bytes, bytes, tuple[bytes, bytes]]], dict[tuple[int, int | None], Root]]
# The last few stores read, by identity: several steps of one command (apply, lint, report) read
# the same immutable store, and pairing hashes every certificate. An edited store shares all but a
# few objects with the store it came from: what pairing found for an object is kept by the object's
# identity (the store in this list keeps the object alive) and taken from there.
_RECENT: list[tuple[CertdataFile, RootSet, _Memo]] = []
_RECENT_SIZE = 4


def read_roots(store: CertdataFile) -> RootSet:
    """Pair certificate and trust objects (by SHA-1 hash, else issuer + serial) into roots."""
    for seen, root_set, _ in _RECENT:
        if seen is store:
            return root_set
    root_set, memo = _pair(store, [memo for _, _, memo in _RECENT])
    _RECENT.insert(0, (store, root_set, memo))
    del _RECENT[_RECENT_SIZE:]
    return root_set


def _pair(store: CertdataFile, earlier: list[_Memo]) -> tuple[RootSet, _Memo]:
    objects = store.objects
    certificates: list[int] = []
    trusts: list[int] = []
    for index, obj in enumerate(objects):
        object_class = nss_name(obj.object_class)  # CKO_NETSCAPE_TRUST before 2011
        if object_class == CERTIFICATE:
            certificates.append(index)
        elif object_class == TRUST:
            trusts.append(index)
    facts: dict[int, tuple[bytes, bytes, tuple[bytes, bytes]]] = {}
    made: dict[tuple[int, int | None], Root] = {}
    lookups: dict[int, Lookup] = {}  # the certificates read here, for _root
    by_sha1: dict[bytes, list[int]] = {}
    by_issuer_serial: dict[tuple[bytes, bytes], list[int]] = {}
    for index in certificates:
        cert = objects[index]
        key = id(cert)
        found = None
        for other in earlier:
            found = other[0].get(key)
            if found is not None:
                break
        if found is None:
            attribute = lookups[index] = _attributes(cert)
            der = _value(attribute("CKA_VALUE"))
            found = (der, hashlib.sha1(der).digest(),
                     (_value(attribute("CKA_ISSUER")), _value(attribute("CKA_SERIAL_NUMBER"))))
        facts[key] = found
        by_sha1.setdefault(found[1], []).append(index)
        by_issuer_serial.setdefault(found[2], []).append(index)

    trust_of: dict[int, int] = {}
    orphans: list[int] = []
    for index in trusts:
        obj = objects[index]
        sha1 = obj.attribute("CKA_CERT_SHA1_HASH")
        if sha1 is not None and sha1.octal:
            candidates = by_sha1.get(sha1.octal, [])
        else:
            candidates = by_issuer_serial.get(
                (_octal(obj, "CKA_ISSUER"), _octal(obj, "CKA_SERIAL_NUMBER")), [])
        # Prefer the nearest unpaired certificate before the trust object (NSS writes them adjacent).
        free = [c for c in candidates if c not in trust_of]
        if not free:
            orphans.append(index)
            continue
        before = [c for c in free if c < index]
        trust_of[before[-1] if before else free[0]] = index

    root_list = []
    for index in certificates:
        cert = objects[index]
        trust_index = trust_of.get(index)
        pair = (id(cert), None if trust_index is None else id(objects[trust_index]))
        root = None
        for other in earlier:
            root = other[1].get(pair)
            if root is not None:
                break
        if root is None:
            der, digest, _ = facts[pair[0]]
            root = _root(store, index, lookups.get(index) or _attributes(cert), der, digest, trust_index)
        elif root.certificate_index != index or root.trust_index != trust_index:
            # The same objects make the same root: only where they stand in the file differs.
            root = root._replace(certificate_index=index, trust_index=trust_index)
        made[pair] = root
        root_list.append(root)
    entries = tuple(_distrust_entry(store, index) for index in orphans)
    return RootSet(tuple(root_list), entries), (facts, made)


def _octal(obj: NssObject, name: str) -> bytes:
    return _value(obj.attribute(name))


def _value(attribute: Attribute | None) -> bytes:
    return attribute.octal if attribute is not None else b""


def _attributes(obj: NssObject) -> Lookup:
    """`obj.attribute` by a dict: the first attribute of each name (reading a root asks a dozen)."""
    return {entry.name: entry for entry in reversed(obj.entries) if isinstance(entry, Attribute)}.get


def _root(store: CertdataFile, index: int, attribute: Lookup, der: bytes, sha1: bytes,
          trust_index: int | None) -> Root:
    cert = store.objects[index]
    problems: list[str] = []
    found = attribute("CKA_LABEL")
    label = found.value if found is not None and isinstance(found.value, str) else None
    if label is None:
        problems.append("the certificate object has no CKA_LABEL")
        label = ""
    if not der:
        problems.append("the certificate object has no CKA_VALUE")
    trust_object = None if trust_index is None else store.objects[trust_index]
    on_trust_object = DistrustAfter()
    if trust_object is None:
        problems.append("no trust object: NSS gives this certificate no trust at all "
                        "(the file may be cut off, or the trust object was removed)")
        trust = Trust()
    else:
        trust_attribute = _attributes(trust_object)
        trust = read_trust_by(trust_attribute, problems)
        on_trust_object = read_trust_object_distrust_after(trust_attribute, problems)
    distrust = read_distrust_after_by(attribute, problems)
    policy = attribute(MOZILLA_CA_POLICY)
    return Root(
        label=label,
        der=der,
        sha256=hashlib.sha256(der).hexdigest().upper(),
        sha1=sha1.hex().upper(),
        trust=trust,
        distrust_after=distrust,
        mozilla_ca_policy=policy is not None and policy.value == "CK_TRUE",
        certificate_index=index,
        trust_index=trust_index,
        line=cert.line,
        problems=tuple(problems),
        trust_object_distrust_after=on_trust_object,
    )




def _distrust_entry(store: CertdataFile, index: int) -> DistrustEntry:
    obj = store.objects[index]
    problems: list[str] = []
    trust = read_trust(obj, problems)
    sha1 = obj.attribute("CKA_CERT_SHA1_HASH")
    positive = [f.value for f in TrustField
                if trust.level(f) in POSITIVE_TRUST or trust.level(f) is TrustLevel.TRUSTED]
    if positive:
        problems.append("a trust object with positive trust matches no certificate in the file "
                        f"({', '.join(positive)})")
    return DistrustEntry(
        label=obj.label or "",
        issuer=_octal(obj, "CKA_ISSUER"),
        serial=_octal(obj, "CKA_SERIAL_NUMBER"),
        sha1=sha1.octal.hex().upper() if sha1 is not None and sha1.octal else None,
        trust=trust,
        trust_index=index,
        line=obj.line,
        problems=tuple(problems),
    )



__all__ = [
    "CERTIFICATE",
    "DISTRUST_AFTER_ATTRIBUTES",
    "EMAIL_DISTRUST_AFTER",
    "FIELD_ATTRIBUTES",
    "IGNORED_ON_TRUST_OBJECT",
    "LEGACY_NAMES",
    "MOZILLA_CA_POLICY",
    "POSITIVE_TRUST",
    "ROOT_FIELDS",
    "SERVER_DISTRUST_AFTER",
    "STEP_UP_APPROVED",
    "TRUST",
    "DistrustAfter",
    "DistrustEntry",
    "DistrustPurpose",
    "Root",
    "RootSet",
    "Trust",
    "TrustField",
    "TrustLevel",
    "decode_distrust_value",
    "field_value",
    "nss_name",
    "read_distrust_after",
    "read_roots",
    "read_trust",
    "roots",
]
