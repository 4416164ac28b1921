"""`diff --format json`: the contract's certdata-tool/diff/1 document, keys in a stable order.

Beyond the contract's keys (which come first, in its order) the document carries:
`attribute_changes` in each modified entry (object-level differences no field captures, in words),
`outside_changes` (where the texts differ outside the changed roots: `old`/`new` line ranges
`{"first", "last"}`, null for a side without lines, and `moved`: the label of an object that only
changed place, else null),
top-level `distrust_entries` (`added`/`removed` explicit distrust entries, as `show` prints them),
`formatting_changed` (the texts also differ in comments, blank lines, header or order), and
`title` / `bug` only when a spec gave them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..diff import Diff, RootChange
from ..model.roots import TrustLevel
from ..moments import iso
from .common import to_json
from .show import distrust_entry_json, positions, root_json

SCHEMA = "certdata-tool/diff/1"


def json_value(value: object) -> Any:
    """A field value as JSON: trust by name, dates ISO 8601 UTC, none as null."""
    if isinstance(value, TrustLevel):
        return value.value
    if isinstance(value, datetime):
        return iso(value)
    return value


def modified_json(change: RootChange) -> dict[str, Any]:
    return {
        "label": change.new.label,
        "sha256": change.new.sha256,
        "changes": {c.field: {"old": json_value(c.old), "new": json_value(c.new)} for c in change.changes},
        "problems": list(change.new.problems),
        "attribute_changes": list(change.attribute_changes),
    }


def _lines(start: int, end: int) -> dict[str, int] | None:
    """1-based first and last line of a stretch; None when that side has none."""
    return {"first": start + 1, "last": end} if end > start else None


def diff_document(diff: Diff, *, title: str | None = None, bug: str | None = None) -> dict[str, Any]:
    after_new, after_old = positions(diff.new_roots), positions(diff.old_roots)
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "old": {"roots": len(diff.old_roots)},
        "new": {"roots": len(diff.new_roots)},
        "added": [root_json(root, after_new.get(root.certificate_index)) for root in diff.added],
        "removed": [root_json(root, after_old.get(root.certificate_index)) for root in diff.removed],
        "modified": [modified_json(change) for change in diff.modified],
        "distrust_entries": {
            "added": [distrust_entry_json(entry) for entry in diff.distrust_entries_added],
            "removed": [distrust_entry_json(entry) for entry in diff.distrust_entries_removed],
        },
        "formatting_changed": diff.formatting_changed,
        "outside_changes": [{"old": _lines(c.old_start, c.old_end), "new": _lines(c.new_start, c.new_end),
                             "moved": c.moved or None} for c in diff.outside],
    }
    if title is not None:
        document["title"] = title
    if bug is not None:
        document["bug"] = bug
    return document


def render_json(diff: Diff, *, title: str | None = None, bug: str | None = None) -> str:
    return to_json(diff_document(diff, title=title, bug=bug))
