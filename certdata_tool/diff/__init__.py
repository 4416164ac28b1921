"""Semantic diff of two certdata files: which roots were added, removed or modified, and how."""

from __future__ import annotations

from dataclasses import replace

from ..model.roots import read_roots
from ..syntax.nssfile import CertdataFile, dump
from .lines import LineSide, Opcode, line_opcodes, line_side
from .outside import formatting_changed, object_keys, outside_changes, unmatched_entries
from .roots import pair_roots, root_change
from .values import FIELDS, Diff, FieldChange, OutsideChange, RootChange, field_value, signature


def compare(old: CertdataFile, new: CertdataFile) -> Diff:
    """The semantic difference between two parsed files (pure; never raises for readable input)."""
    old_set, new_set = read_roots(old), read_roots(new)
    pairs, added, removed = pair_roots(old_set.roots, new_set.roots)
    modified: list[RootChange] = []
    for old_root, new_root in pairs:
        change = root_change(old, new, old_root, new_root)
        if change is not None:
            modified.append(change)
    old_keys, new_keys = object_keys(old, old_set), object_keys(new, new_set)
    entries_added = unmatched_entries(new_set, new_keys, set(old_keys))
    entries_removed = unmatched_entries(old_set, old_keys, set(new_keys))
    # (SHA-256, occurrence) of each modified root: its own text changes are not formatting.
    changed_roots = {new_keys[c.new.certificate_index][1:] for c in modified}
    formatting = formatting_changed(old, new, old_keys, new_keys, old_set, new_set, changed_roots)
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
        result = replace(result, outside=outside_changes(old, new, result))
    return result


__all__ = ["FIELDS", "Diff", "FieldChange", "LineSide", "Opcode", "OutsideChange", "RootChange", "compare",
           "field_value", "line_opcodes", "line_side", "signature"]
