"""What differs outside the changed roots: distrust entries added or removed, formatting (comments,
spacing, order, other objects), and the stretches of lines where it is."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from difflib import SequenceMatcher

from ..model.roots import DistrustEntry, Root, RootSet
from ..syntax.nssfile import CertdataFile, NssObject
from .lines import line_opcodes, line_side
from .values import Diff, OutsideChange, signature

ObjectKey = tuple[object, ...]


def object_keys(store: CertdataFile, root_set: RootSet) -> list[ObjectKey]:
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


def unmatched_entries(root_set: RootSet, keys: list[ObjectKey],
                       other_keys: set[ObjectKey]) -> tuple[DistrustEntry, ...]:
    return tuple(entry for entry in root_set.distrust_entries if keys[entry.trust_index] not in other_keys)


def formatting_changed(old: CertdataFile, new: CertdataFile, old_keys: list[ObjectKey],
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


def outside_changes(old: CertdataFile, new: CertdataFile, diff: Diff) -> tuple[OutsideChange, ...]:
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

