"""`diff --format markdown`: a summary, a table of changed roots and collapsible details, for review."""

from __future__ import annotations

from html import escape

from ..diff import Diff
from ..model.roots import Root
from .common import markdown_cell
from .diff_text import (
    FIELD_WORDS,
    FORMATTING_NOTE,
    bug_references,
    change_line,
    entry_facts,
    root_facts,
    summary_line,
)


def _inline(text: str) -> str:
    """Text safe in a Markdown table cell, a list item or an HTML <summary>."""
    return escape(markdown_cell(text), quote=False).replace("*", "\\*")


def render_markdown(diff: Diff, *, title: str | None = None, bug: str | None = None) -> str:
    out: list[str] = []
    if title:
        out += [f"### {_inline(title)}", ""]
    references = bug_references(bug or "")
    if references:
        links = [f"[{_inline(text)}]({url})" if url and text != url else f"<{url}>" if url else _inline(text)
                 for text, url in references]
        numbered = all(url and text != url for text, url in references)
        out += [("" if numbered else "Bug: ") + ", ".join(links), ""]
    out.append(f"**{summary_line(diff)}**")
    rows: list[tuple[Root, str, str, list[str]]] = []
    for root in diff.added:
        facts = [f"{FIELD_WORDS[f]}: {v}" for f, v in root_facts(root)]
        rows.append((root, "added", "added", facts))
    for root in diff.removed:
        facts = [f"{FIELD_WORDS[f]}: {v}" for f, v in root_facts(root)]
        rows.append((root, "removed", "removed", facts))
    for change in diff.modified:
        names = [FIELD_WORDS[c.field] for c in change.changes]
        if change.attribute_changes:
            names.append("other attributes")
        lines = [change_line(c) for c in change.changes] + list(change.attribute_changes)
        rows.append((change.new, "modified", ", ".join(names), lines))
    if rows:
        out += ["", "| Root | SHA-256 | Changes |", "|---|---|---|"]
        out += [f"| {_inline(root.label)} | `{root.sha256}` | {_inline(cell)} |"
                for root, _, cell, _ in rows]
        for root, kind, _, lines in rows:
            out += ["", "<details>", f"<summary>{_inline(root.label)} ({kind})</summary>", "",
                    f"- SHA-256: `{root.sha256}`"]
            out += [f"- {_inline(line)}" for line in lines]
            out += ["", "</details>"]
    entries = [("added", e) for e in diff.distrust_entries_added]
    entries += [("removed", e) for e in diff.distrust_entries_removed]
    if entries:
        out += ["", "Explicit distrust entries:", ""]
        out += [f"- {kind}: {_inline(entry.label)} ({_inline('; '.join(entry_facts(entry)))})"
                for kind, entry in entries]
    if diff.formatting_changed and diff.root_changes:
        out += ["", FORMATTING_NOTE]
    return "\n".join(out) + "\n"
