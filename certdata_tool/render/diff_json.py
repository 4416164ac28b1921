"""`diff --format json`: the contract's certdata-tool/diff/1 document, keys in a stable order.

Beyond the contract's keys (which come first, in its order) the document carries:
`attribute_changes` in each modified entry (object-level differences no field captures, in words),
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
from .show import distrust_entry_json, root_json

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
        "attribute_changes": list(change.attribute_changes),
    }


def diff_document(diff: Diff, *, title: str | None = None, bug: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "old": {"roots": len(diff.old_roots)},
        "new": {"roots": len(diff.new_roots)},
        "added": [root_json(root) for root in diff.added],
        "removed": [root_json(root) for root in diff.removed],
        "modified": [modified_json(change) for change in diff.modified],
        "distrust_entries": {
            "added": [distrust_entry_json(entry) for entry in diff.distrust_entries_added],
            "removed": [distrust_entry_json(entry) for entry in diff.distrust_entries_removed],
        },
        "formatting_changed": diff.formatting_changed,
    }
    if title is not None:
        document["title"] = title
    if bug is not None:
        document["bug"] = bug
    return document


def render_json(diff: Diff, *, title: str | None = None, bug: str | None = None) -> str:
    return to_json(diff_document(diff, title=title, bug=bug))
