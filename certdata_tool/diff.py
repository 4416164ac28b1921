"""Semantic diff of two certdata files: which roots were added, removed or modified, and how."""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from .model.roots import DistrustEntry, Root, RootSet, read_roots
from .model.roots import field_value as root_field_value
from .model.vocabulary import FIELD_ATTRIBUTES, ROOT_FIELDS, nss_name
from .syntax.nssfile import Attribute, CertdataFile, NssObject, dump

# The fields a reviewer cares about, in the order every view lists them: a root's fields, then the
# values on the trust object, where NSS never reads them (shown so nobody takes one for a date).
FIELDS = (
    *ROOT_FIELDS,
    "trust_object.distrust_after.server",
    "trust_object.distrust_after.email",
)

# The attribute behind each field: (object, attribute name). A difference in one of these is
# already said by the field change and is not repeated among the attribute changes.
_FIELD_ATTRIBUTES = {
    **FIELD_ATTRIBUTES,
    ("trust", "CKA_NSS_SERVER_DISTRUST_AFTER"): "trust_object.distrust_after.server",
    ("trust", "CKA_NSS_EMAIL_DISTRUST_AFTER"): "trust_object.distrust_after.email",
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
class OutsideChange:
    """Lines that differ outside every changed root: OLD's lines [old_start, old_end) became NEW's
    [new_start, new_end) (0-based; an empty side is where the other side's lines go)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    removed: tuple[str, ...]  # OLD's lines, terminators included
    added: tuple[str, ...]
    moved: str = ""  # the label of an object that only changed place (removed and added are empty)


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
    # Where: the stretches of lines that differ outside the changed roots and entries, in file order.
    outside: tuple[OutsideChange, ...] = ()

    def __repr__(self) -> str:
        # Counts only: the roots' labels and hashes are one `for` away, their DER never belongs here.
        return (f"Diff(old_roots={len(self.old_roots)}, new_roots={len(self.new_roots)}, "
                f"added={len(self.added)}, removed={len(self.removed)}, modified={len(self.modified)}, "
                f"formatting_changed={self.formatting_changed})")

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
    group, _, name = field.partition(".")
    if group == "trust_object":
        return getattr(root.trust_object_distrust_after, name.removeprefix("distrust_after."))
    return root_field_value(root, field)


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
        result = replace(result, formatting_changed=True)
    if result.formatting_changed:
        result = replace(result, outside=_outside_changes(old, new, result))
    return result


def _outside_changes(old: CertdataFile, new: CertdataFile, diff: Diff) -> tuple[OutsideChange, ...]:
    """The line stretches that differ, less the lines of objects whose change a root entry says."""
    old_side, new_side = line_side(old, diff.old_roots), line_side(new, diff.new_roots)
    # Units are the header, then one per object, then the trailer: object index + 1.
    said_old = {index + 1 for index in _said_objects(diff.removed, diff.distrust_entries_removed,
                                                     [c.old for c in diff.modified])}
    said_new = {index + 1 for index in _said_objects(diff.added, diff.distrust_entries_added,
                                                     [c.new for c in diff.modified])}
    found: list[OutsideChange] = []
    # An object whose place changed is said as moved, by its label, not as lines removed and added.
    old_units = {unit.key: index for index, unit in enumerate(old_side.units)}
    new_keys = [unit.key for unit in new_side.units]
    matcher = SequenceMatcher(None, [unit.key for unit in old_side.units], new_keys, autojunk=False)
    for unit_tag, _, _, v1, v2 in matcher.get_opcodes():
        if unit_tag in ("insert", "replace"):
            for new_unit in range(v1, v2):
                old_unit = old_units.get(new_keys[new_unit])
                if old_unit is None:
                    continue
                said_old.add(old_unit)
                said_new.add(new_unit)
                (i1, i2), (j1, j2) = old_side.span(old_unit), new_side.span(new_unit)
                label = new_side.units[new_unit].label
                last = found[-1] if found else None
                if last is not None and (last.moved, last.old_end, last.new_end) == (label, i1, j1):
                    found[-1] = replace(last, old_end=i2, new_end=j2)  # a root's trust object follows it
                else:
                    found.append(OutsideChange(i1, i2, j1, j2, (), (), moved=label))
    for tag, i1, i2, j1, j2 in line_opcodes(old_side, new_side):
        if tag == "equal":
            continue
        removed = [i for i in range(i1, i2) if old_side.unit_of(i) not in said_old]
        added = [j for j in range(j1, j2) if new_side.unit_of(j) not in said_new]
        if not removed and not added:
            continue
        old_start, old_end = (removed[0], removed[-1] + 1) if removed else (i1, i1)
        new_start, new_end = (added[0], added[-1] + 1) if added else (j1, j1)
        found.append(OutsideChange(old_start, old_end, new_start, new_end,
                                   tuple(old_side.lines[i] for i in removed),
                                   tuple(new_side.lines[j] for j in added)))
    return tuple(sorted(found, key=lambda change: (change.new_start, change.old_start)))


def _said_objects(roots: Iterable[Root], entries: Iterable[DistrustEntry],
                  modified: Iterable[Root]) -> Iterator[int]:
    for root in (*roots, *modified):
        yield root.certificate_index
        if root.trust_index is not None:
            yield root.trust_index
    for entry in entries:
        yield entry.trust_index


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


# -- the two files line by line: where the texts differ, object by object ---------------------------

HEADER_LABEL = "(header)"
TRAILER_LABEL = "(end of file)"

Opcode = tuple[str, int, int, int, int]  # as difflib's, over the lines of the whole files


@dataclass(frozen=True, slots=True)
class LineUnit:
    """A stretch of lines diffed as one: the header, one object with its comments, or the trailer."""

    key: tuple[object, ...]  # the same object in both files has the same key
    label: str  # what a hunk header says when the hunk changes these lines
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LineSide:
    units: tuple[LineUnit, ...]
    lines: tuple[str, ...]
    starts: tuple[int, ...]  # first line index of each unit

    def span(self, unit: int) -> tuple[int, int]:
        """The line indices [start, end) of a unit."""
        start = self.starts[unit]
        return start, start + len(self.units[unit].lines)

    def unit_of(self, line: int) -> int:
        """The index of the unit that line index `line` belongs to."""
        return bisect_right(self.starts, line) - 1

    def labels(self, begin: int, end: int) -> Iterator[str]:
        """Labels of the units that lines [begin, end) belong to."""
        if begin >= end:
            return
        index = bisect_right(self.starts, begin) - 1
        while index < len(self.units) and self.starts[index] < end:
            if self.units[index].lines:
                yield self.units[index].label
            index += 1


def _split(text: str) -> tuple[str, ...]:
    """Lines with their terminators, split after "\\n" only (as the reader counts lines)."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return tuple(lines)


def line_side(store: CertdataFile, roots: tuple[Root, ...],
              renamed: dict[object, str] | None = None) -> LineSide:
    """The units of one file. `renamed`: labels to use for roots by key (OLD names a root as NEW does)."""
    owners: dict[int, tuple[tuple[object, ...], str]] = {}
    occurrences: dict[object, int] = {}

    def occurrence(identity: object) -> int:
        count = occurrences.get(identity, 0)
        occurrences[identity] = count + 1
        return count

    for root in roots:
        number = occurrence(root.sha256)
        label = (renamed or {}).get(("certificate", root.sha256, number), root.label)
        owners[root.certificate_index] = (("certificate", root.sha256, number), label)
        if root.trust_index is not None:
            owners[root.trust_index] = (("trust", root.sha256, number), label)
    units = [LineUnit(("header",), HEADER_LABEL, tuple(store.header))]
    for index, obj in enumerate(store.objects):
        owner = owners.get(index)
        if owner is None:
            label = obj.label if obj.label is not None else obj.object_class
            identity = (obj.object_class, label)
            owner = (("object", *identity, occurrence(identity)), label)
        text = "".join(obj.preamble) + "".join(entry.text for entry in obj.entries)
        units.append(LineUnit(owner[0], owner[1], _split(text)))
    units.append(LineUnit(("trailer",), TRAILER_LABEL, tuple(store.trailer)))
    lines: list[str] = []
    starts: list[int] = []
    for unit in units:
        starts.append(len(lines))
        lines.extend(unit.lines)
    return LineSide(tuple(units), tuple(lines), tuple(starts))


def line_opcodes(old: LineSide, new: LineSide) -> list[Opcode]:
    """Line opcodes for the whole files.

    Objects are aligned first by identity (fast: a few hundred keys), then only objects whose text
    differs are diffed line by line, so 25,000-line files diff in milliseconds. Objects on one side
    only are shown whole, not interleaved with look-alike lines of their neighbours.
    """
    ops: list[Opcode] = []

    def add(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if tag == "equal" and ops and ops[-1][0] == "equal":
            ops[-1] = ("equal", ops[-1][1], i2, ops[-1][3], j2)
        else:
            ops.append((tag, i1, i2, j1, j2))

    old_keys = [unit.key for unit in old.units]
    new_keys = [unit.key for unit in new.units]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, u1, u2, v1, v2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(u2 - u1):
                a, b = old.units[u1 + offset], new.units[v1 + offset]
                i, j = old.starts[u1 + offset], new.starts[v1 + offset]
                if a.lines == b.lines:
                    add("equal", i, i + len(a.lines), j, j + len(b.lines))
                    continue
                inner = SequenceMatcher(None, a.lines, b.lines, autojunk=False)
                for itag, i1, i2, j1, j2 in inner.get_opcodes():
                    add(itag, i + i1, i + i2, j + j1, j + j2)
        else:
            i1, i2 = old.starts[u1], old.starts[u2] if u2 < len(old.starts) else len(old.lines)
            j1, j2 = new.starts[v1], new.starts[v2] if v2 < len(new.starts) else len(new.lines)
            kind = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
            add(kind, i1, i2, j1, j2)
    return ops



__all__ = ["FIELDS", "Diff", "FieldChange", "LineSide", "Opcode", "OutsideChange", "RootChange", "compare",
           "field_value", "line_opcodes", "line_side", "signature"]
