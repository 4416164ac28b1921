"""Semantic diff of two certdata files: which roots were added, removed or modified, and how."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .model.roots import DistrustEntry, Root, RootSet, read_roots
from .model.vocabulary import nss_name
from .syntax.nssfile import Attribute, CertdataFile, NssObject, dump

# The fields a reviewer cares about, in the order every view lists them.
FIELDS = (
    "label",
    "trust.server_auth",
    "trust.email_protection",
    "trust.code_signing",
    "trust.step_up_approved",
    "distrust_after.server",
    "distrust_after.email",
    "mozilla_ca_policy",
)

# The attribute behind each field: (object, attribute name). A difference in one of these is
# already said by the field change and is not repeated among the attribute changes.
_FIELD_ATTRIBUTES = {
    ("certificate", "CKA_LABEL"): "label",
    ("trust", "CKA_LABEL"): "label",
    ("trust", "CKA_TRUST_SERVER_AUTH"): "trust.server_auth",
    ("trust", "CKA_TRUST_EMAIL_PROTECTION"): "trust.email_protection",
    ("trust", "CKA_TRUST_CODE_SIGNING"): "trust.code_signing",
    ("trust", "CKA_TRUST_STEP_UP_APPROVED"): "trust.step_up_approved",
    ("certificate", "CKA_NSS_SERVER_DISTRUST_AFTER"): "distrust_after.server",
    ("certificate", "CKA_NSS_EMAIL_DISTRUST_AFTER"): "distrust_after.email",
    ("certificate", "CKA_NSS_MOZILLA_CA_POLICY"): "mozilla_ca_policy",
}

# What NSS compiles from an attribute line: comments, spacing, octal line breaks and junk after
# the value (certdata.perl ignores extra fields) are not part of it.
Signature = tuple[str, str, bytes | str]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a root, old → new (str | bool | TrustLevel | datetime | None)."""

    field: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class RootChange:
    """A root present in both files whose certificate or trust object differs."""

    old: Root
    new: Root
    changes: tuple[FieldChange, ...]  # in FIELDS order; empty when only other attributes differ
    # Object-level differences no FIELD captures, in words, such as
    # "certificate object: CKA_NSS_SERVER_DISTRUST_AFTER added (CK_BBOOL CK_FALSE)".
    attribute_changes: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.new.label

    @property
    def sha256(self) -> str:
        return self.new.sha256


@dataclass(frozen=True, slots=True)
class Diff:
    """What changed from OLD to NEW. Roots are identified by the SHA-256 of their certificate."""

    old_roots: tuple[Root, ...]
    new_roots: tuple[Root, ...]
    added: tuple[Root, ...]  # in NEW's order
    removed: tuple[Root, ...]  # in OLD's order
    modified: tuple[RootChange, ...]  # in NEW's order
    distrust_entries_added: tuple[DistrustEntry, ...]
    distrust_entries_removed: tuple[DistrustEntry, ...]
    # The texts differ in ways that change no root object: comments, blank lines, header text,
    # object order, spacing, or objects that are neither roots nor distrust entries.
    formatting_changed: bool

    @property
    def root_changes(self) -> bool:
        """Some root or explicit distrust entry was added, removed or modified."""
        return bool(self.added or self.removed or self.modified
                    or self.distrust_entries_added or self.distrust_entries_removed)

    @property
    def has_differences(self) -> bool:
        """Anything at all differs (root changes or formatting)."""
        return self.root_changes or self.formatting_changed

    @property
    def identical(self) -> bool:
        """The two texts are byte for byte the same (compare() guarantees it is `not has_differences`)."""
        return not self.has_differences


def field_value(root: Root, field: str) -> object:
    """The value of one of FIELDS for `root`."""
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


def compare(old: CertdataFile, new: CertdataFile) -> Diff:
    """The semantic difference between two parsed files (pure; never raises for readable input)."""
    old_set, new_set = read_roots(old), read_roots(new)
    pairs, added, removed = _pair_roots(old_set.roots, new_set.roots)
    modified: list[RootChange] = []
    for old_root, new_root in pairs:
        change = _root_change(old, new, old_root, new_root)
        if change is not None:
            modified.append(change)
    old_keys, new_keys = _object_keys(old, old_set), _object_keys(new, new_set)
    entries_added = _unmatched_entries(new_set, new_keys, set(old_keys))
    entries_removed = _unmatched_entries(old_set, old_keys, set(new_keys))
    # (SHA-256, occurrence) of each modified root: its own text changes are not formatting.
    changed_roots = {new_keys[c.new.certificate_index][1:] for c in modified}
    formatting = _formatting_changed(old, new, old_keys, new_keys, old_set, new_set, changed_roots)
    result = Diff(
        old_roots=old_set.roots,
        new_roots=new_set.roots,
        added=tuple(added),
        removed=tuple(removed),
        modified=tuple(modified),
        distrust_entries_added=entries_added,
        distrust_entries_removed=entries_removed,
        formatting_changed=formatting,
    )
    if not result.has_differences and dump(old) != dump(new):
        # Never hide a difference: whatever it is, it changes no root.
        return replace(result, formatting_changed=True)
    return result


def _pair_roots(old_roots: tuple[Root, ...],
                new_roots: tuple[Root, ...]) -> tuple[list[tuple[Root, Root]], list[Root], list[Root]]:
    """Pairs (old, new) of the same certificate in NEW's order, then added and removed roots.

    A certificate held twice in one file is paired occurrence by occurrence, in file order.
    """
    waiting: dict[str, deque[Root]] = {}
    for root in old_roots:
        waiting.setdefault(root.sha256, deque()).append(root)
    pairs: list[tuple[Root, Root]] = []
    added: list[Root] = []
    for root in new_roots:
        queue = waiting.get(root.sha256)
        if queue:
            pairs.append((queue.popleft(), root))
        else:
            added.append(root)
    paired = {id(old_root) for old_root, _ in pairs}
    removed = [root for root in old_roots if id(root) not in paired]
    return pairs, added, removed


def signature(obj: NssObject) -> tuple[Signature, ...]:
    """The attributes of an object as NSS compiles them, in file order."""
    return tuple(_sig(a) for a in obj.attributes())


def _root_objects(store: CertdataFile, root: Root) -> tuple[NssObject, NssObject | None]:
    return root.certificate(store), root.trust_object(store)


def _root_change(old: CertdataFile, new: CertdataFile, old_root: Root, new_root: Root) -> RootChange | None:
    old_cert, old_trust = _root_objects(old, old_root)
    new_cert, new_trust = _root_objects(new, new_root)
    if old_cert is new_cert and old_trust is new_trust:
        return None  # an edit shares the objects it did not touch: nothing to compare
    old_trust_sig = None if old_trust is None else signature(old_trust)
    new_trust_sig = None if new_trust is None else signature(new_trust)
    if signature(old_cert) == signature(new_cert) and old_trust_sig == new_trust_sig:
        return None
    changes = tuple(
        FieldChange(field, field_value(old_root, field), field_value(new_root, field))
        for field in FIELDS
        if field_value(old_root, field) != field_value(new_root, field)
    )
    said = {change.field for change in changes}
    words = list(_attribute_changes("certificate", old_cert, new_cert, said, new_root))
    if old_trust is None and new_trust is not None:
        words.append("trust object added")
    elif old_trust is not None and new_trust is None:
        words.append("trust object removed")
    elif old_trust is not None and new_trust is not None:
        words.extend(_attribute_changes("trust", old_trust, new_trust, said, new_root))
    return RootChange(old_root, new_root, changes, tuple(words))


def _attribute_changes(kind: str, old_obj: NssObject, new_obj: NssObject, said: set[str],
                       new_root: Root) -> Iterator[str]:
    """Differences between two objects' attributes that no changed field already says."""
    old_attributes = _by_name(old_obj.attributes())
    new_attributes = _by_name(new_obj.attributes())

    def covered(name: str, new_attribute: Attribute | None) -> bool:
        field = _FIELD_ATTRIBUTES.get((kind, name))
        if field is None or field not in said:
            return False
        # A trust object's label is covered by a rename only when it follows the new label.
        return not (kind == "trust" and name == "CKA_LABEL"
                    and (new_attribute is None or new_attribute.value != new_root.label))

    prefix = f"{kind} object: "
    for key, old_attribute in old_attributes.items():
        name = key[0]
        new_attribute = new_attributes.get(key)
        if new_attribute is None:
            if not covered(name, None):
                yield f"{prefix}{name} removed (was {_describe(old_attribute)})"
        elif _sig(old_attribute) != _sig(new_attribute) and not covered(name, new_attribute):
            yield f"{prefix}{name} changed ({_describe(old_attribute)} → {_describe(new_attribute)})"
    for key, new_attribute in new_attributes.items():
        if key not in old_attributes and not covered(key[0], new_attribute):
            yield f"{prefix}{key[0]} added ({_describe(new_attribute)})"
    common_old = [key for key in old_attributes if key in new_attributes]
    common_new = [key for key in new_attributes if key in old_attributes]
    if common_old != common_new:
        yield f"{prefix}attribute order changed"


def _by_name(attributes: Iterable[Attribute]) -> dict[tuple[str, int], Attribute]:
    """Attributes keyed by (name, occurrence), so a repeated attribute is compared in order."""
    seen: dict[str, int] = {}
    keyed: dict[tuple[str, int], Attribute] = {}
    for attribute in attributes:
        count = seen.get(attribute.name, 0)
        seen[attribute.name] = count + 1
        keyed[(attribute.name, count)] = attribute
    return keyed


def _sig(attribute: Attribute) -> Signature:
    value = attribute.value
    if isinstance(value, str) and attribute.type != "UTF8":
        value = nss_name(value)  # CKT_NETSCAPE_VALID compiles to the value of CKT_NSS_NOT_TRUSTED
    return (attribute.name, attribute.type, value)


def _describe(attribute: Attribute) -> str:
    """An attribute's type and value in a few words (octal values by their size only)."""
    if attribute.type == "MULTILINE_OCTAL":
        size = len(attribute.octal)
        return f"MULTILINE_OCTAL, {size} byte{'' if size == 1 else 's'}"
    if attribute.type == "UTF8":
        return f'UTF8 "{attribute.value!s}"'
    return f"{attribute.type} {attribute.value!s}"


# -- objects that are not part of a changed root: distrust entries and formatting ---------------

ObjectKey = tuple[object, ...]


def _object_keys(store: CertdataFile, root_set: RootSet) -> list[ObjectKey]:
    """An identity for every object, equal across files for the same object.

    Root objects are keyed by certificate SHA-256 and occurrence; every other object by its
    attributes as NSS compiles them (and occurrence), so any change to it makes it a new object.
    """
    keys: list[ObjectKey | None] = [None] * len(store.objects)
    occurrences: dict[object, int] = {}

    def occurrence(identity: object) -> int:
        count = occurrences.get(identity, 0)
        occurrences[identity] = count + 1
        return count

    for root in root_set.roots:
        number = occurrence(root.sha256)
        keys[root.certificate_index] = ("certificate", root.sha256, number)
        if root.trust_index is not None:
            keys[root.trust_index] = ("trust", root.sha256, number)
    result: list[ObjectKey] = []
    for index, key in enumerate(keys):
        if key is None:
            attributes = signature(store.objects[index])
            key = ("object", attributes, occurrence(attributes))
        result.append(key)
    return result


def _unmatched_entries(root_set: RootSet, keys: list[ObjectKey],
                       other_keys: set[ObjectKey]) -> tuple[DistrustEntry, ...]:
    return tuple(entry for entry in root_set.distrust_entries if keys[entry.trust_index] not in other_keys)


def _formatting_changed(old: CertdataFile, new: CertdataFile, old_keys: list[ObjectKey],
                        new_keys: list[ObjectKey], old_set: RootSet, new_set: RootSet,
                        changed_roots: set[ObjectKey]) -> bool:
    """Whether the texts differ beyond the root and distrust-entry changes."""
    if old.header != new.header or old.trailer != new.trailer:
        return True
    entry_objects = {entry.trust_index for entry in old_set.distrust_entries}
    entry_objects_new = {entry.trust_index for entry in new_set.distrust_entries}
    old_index = {key: index for index, key in enumerate(old_keys)}
    new_index = {key: index for index, key in enumerate(new_keys)}
    # An object that is neither a root's nor a distrust entry and exists on one side only.
    for keys, index_of_other, entries in ((old_keys, new_index, entry_objects),
                                          (new_keys, old_index, entry_objects_new)):
        for index, key in enumerate(keys):
            if key not in index_of_other and key[0] == "object" and index not in entries:
                return True
    common_old = [key for key in old_keys if key in new_index]
    common_new = [key for key in new_keys if key in old_index]
    if common_old != common_new:
        return True  # objects moved
    for key in common_old:
        if key[0] in ("certificate", "trust") and key[1:] in changed_roots:
            continue
        if _raw(old.objects[old_index[key]]) != _raw(new.objects[new_index[key]]):
            return True
    return False


def _raw(obj: NssObject) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return obj.preamble, tuple(entry.text for entry in obj.entries)


__all__ = ["FIELDS", "Diff", "FieldChange", "RootChange", "compare", "field_value", "signature"]
