"""`diff --format markdown`: a pull-request comment — one heading with counts, a table of changed roots
with their values, and collapsible details — safe for GitHub's renderer and within its size limit."""

from __future__ import annotations

import re
from html import escape

from ..diff import Diff
from ..model.roots import Root
from .common import printable
from .show import positions
from .text_diff import (
    FIELD_WORDS,
    bug_references,
    certificate_lines,
    change_line,
    entry_facts,
    outside_lines,
    problem_lines,
    root_facts,
    summary_line,
)

# GitHub refuses a comment longer than this many characters.
GITHUB_COMMENT_LIMIT = 65_536
# Kept free for the note that says what was left out.
_RESERVE = 600

# Characters with a meaning in GitHub's Markdown (emphasis, code, links, tables, HTML, strike,
# math, entities): written with a backslash, which CommonMark allows before any ASCII punctuation.
# An underscore inside a word (CKA_LABEL) never makes emphasis, so it stays as it is.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>|~&$#!]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")


def md_text(text: str) -> str:
    """File data as literal text in a Markdown paragraph, list item or table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text)).replace("\n", " ")


def html_text(text: str) -> str:
    """File data as literal text inside an HTML element such as <summary> (Markdown is not read there)."""
    return escape(printable(text), quote=True)


def code(text: str, *, in_table: bool = False) -> str:
    """File data as a code span, with a fence longer than any run of backticks inside it."""
    text = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if longest or text.startswith(" ") else text
    if in_table:
        padded = padded.replace("|", "\\|")  # GFM splits cells at | even inside code spans
    return f"{fence}{padded}{fence}"


def _row(root: Root, cell: str) -> str:
    return f"| {md_text(root.label)} | {code(root.sha256, in_table=True)} | {cell} |"


def _details(root: Root, kind: str, lines: list[str]) -> list[str]:
    return ["", "<details>", f"<summary>{html_text(root.label)} ({kind})</summary>", "",
            f"- SHA-256: {code(root.sha256)}", *(f"- {line}" for line in lines), "", "</details>"]


def render_markdown(diff: Diff, *, title: str | None = None, bug: str | None = None,
                    limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """The comment; at most `limit` characters: beyond it, details (then table rows) are left out
    from the end, and a note says so."""
    counts = summary_line(diff)
    head = [f"### {md_text(title)} — {counts}" if title else f"### {counts}"]
    references = bug_references(bug or "")
    if references:
        links = [f"[{md_text(text)}]({url})" if url and text != url else f"<{url}>" if url else md_text(text)
                 for text, url in references]
        numbered = all(url and text != url for text, url in references)
        head += ["", ("" if numbered else "Bug: ") + ", ".join(links)]
    rows: list[str] = []
    details: list[list[str]] = []
    after_new, after_old = positions(diff.new_roots), positions(diff.old_roots)
    for kind, roots, after in (("added", diff.added, after_new), ("removed", diff.removed, after_old)):
        for root in roots:
            facts = [f"{FIELD_WORDS[f]}: {v}" for f, v in root_facts(root)]
            rows.append(_row(root, md_text(f"{kind}: " + "; ".join(facts))))
            lines = [md_text(line) for line in facts]
            lines += [f"{name}: {code(value) if name in _CODE_FACTS else md_text(value)}"
                      for name, value in certificate_lines(root.facts(), after.get(root.certificate_index))]
            details.append(_details(root, kind, lines + [md_text(p) for p in problem_lines(root)]))
    for change in diff.modified:
        said = [md_text(change_line(c)) for c in change.changes]
        if change.attribute_changes:
            count = len(change.attribute_changes)
            said.append(f"other attributes ({count})")
        rows.append(_row(change.new, "<br>".join(said)))
        lines = [md_text(change_line(c)) for c in change.changes]
        lines += [md_text(words) for words in change.attribute_changes]
        lines += [md_text(problem) for problem in problem_lines(change.new)]
        details.append(_details(change.new, "modified", lines))
    tail: list[str] = []
    entries = [("added", e) for e in diff.distrust_entries_added]
    entries += [("removed", e) for e in diff.distrust_entries_removed]
    if entries:
        tail += ["", "Explicit distrust entries:", ""]
        tail += [f"- {kind}: {md_text(entry.label)} ({md_text('; '.join(entry_facts(entry)))})"
                 for kind, entry in entries]
    outside = outside_lines(diff)
    if outside:
        tail += ["", md_text(outside[0]), "", "```diff", *(_fence_safe(line) for line in outside[1:]), "```"]
    return _fit(head, rows, details, tail, limit)


# Facts shown as code: names and hashes are compared character for character with CCADB.
_CODE_FACTS = {"Subject", "Issuer", "Serial number", "SHA-1", "Subject + SPKI SHA-256"}


def _fence_safe(line: str) -> str:
    """A line inside a ``` block: a line of backticks would close it early."""
    return line.replace("```", "`\u200b``") if "```" in line else line


def _fit(head: list[str], rows: list[str], details: list[list[str]], tail: list[str], limit: int) -> str:
    table = ["", "| Root | SHA-256 | Changes |", "|---|---|---|"] if rows else []

    def text(kept_rows: int, kept_details: int, note: list[str]) -> str:
        body = head + (table + rows[:kept_rows] if rows else [])
        for block in details[:kept_details]:
            body += block
        return "\n".join(body + tail + note) + "\n"

    whole = text(len(rows), len(details), [])
    if len(whole) <= limit:
        return whole
    budget = limit - _RESERVE
    kept_rows = len(rows)
    while kept_rows and len(text(kept_rows, 0, [])) > budget:
        kept_rows -= 1
    kept_details = 0
    if kept_rows == len(rows):
        while kept_details < len(details) and len(text(kept_rows, kept_details + 1, [])) <= budget:
            kept_details += 1
    left_out = []
    if kept_rows < len(rows):
        left_out.append(f"{len(rows) - kept_rows} rows of the table")
    if kept_details < len(details):
        left_out.append(f"the details of {len(details) - kept_details} roots")
    note = ["", f"*Left out to stay within GitHub's {GITHUB_COMMENT_LIMIT:,}-character comment limit: "
            f"{' and '.join(left_out)}. `certdata-tool diff --format text` shows everything.*"]
    return text(kept_rows, kept_details, note)
