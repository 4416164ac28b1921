"""Release notes as text, Markdown, JSON and Debian's changelog lines; history as a list of them."""

from __future__ import annotations

from typing import Any

from ..changelog.notes import Changelog, DistrustAfterNote, RenameNote, RootNote
from ..changelog.revisions import History, HistoryEntry
from ..exporting.policy import Purpose
from ..moments import human_date, iso
from .common import markdown_cell, printable, to_json

CHANGELOG_SCHEMA = "certdata-tool/changelog/1"
HISTORY_SCHEMA = "certdata-tool/history/1"
ARROW = "→"

# How a root program says what a bundle is for.
PURPOSE_WORDS = {Purpose.SERVER: "websites", Purpose.EMAIL: "email", Purpose.CODE_SIGNING: "code signing"}
# The names Mozilla's root program gives the two dates (as `diff` shows them).
DATE_WORDS = {Purpose.SERVER: "Distrust for TLS After", Purpose.EMAIL: "Distrust for S/MIME After"}


def purposes_words(purposes: tuple[Purpose, ...]) -> str:
    """`websites`, `websites or email`."""
    return " or ".join(PURPOSE_WORDS[purpose] for purpose in purposes)


def _count(number: int, singular: str, many: str) -> str:
    return f"{number} {singular if number == 1 else many}"


def summary_line(notes: Changelog) -> str:
    """`Roots trusted for websites: 2 added, 1 removed, 1 distrust-after date, 0 renamed`."""
    if notes.empty:
        return f"Roots trusted for {purposes_words(notes.purposes)}: no changes"
    return (f"Roots trusted for {purposes_words(notes.purposes)}: {len(notes.added)} added, "
            f"{len(notes.removed)} removed, "
            f"{_count(len(notes.distrust_after), 'distrust-after date', 'distrust-after dates')}, "
            f"{len(notes.renamed)} renamed")


def date_line(note: DistrustAfterNote) -> str:
    """`Distrust for TLS After: none → 2024-06-30 00:00:00 UTC (set)`."""
    return (f"{DATE_WORDS[note.purpose]}: {human_date(note.old)} {ARROW} {human_date(note.new)} "
            f"({note.kind})")


# -- text -----------------------------------------------------------------------------------------

def _text_body(notes: Changelog, indent: str) -> list[str]:
    out = [indent + summary_line(notes)]
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        ("Added", [(f"+ {printable(note.label)} ({note.reason.value})", note.sha256)
                   for note in notes.added]),
        ("Removed", [(f"- {printable(note.label)} ({note.reason.value})", note.sha256)
                     for note in notes.removed]),
        ("Distrust-after dates", [(f"{printable(note.label)}: {date_line(note)}", note.sha256)
                                  for note in notes.distrust_after]),
        ("Renamed", [(f'"{printable(note.old)}" {ARROW} "{printable(note.new)}"', note.sha256)
                     for note in notes.renamed]),
    ]
    for title, items in sections:
        if not items:
            continue
        out += ["", f"{indent}{title}:"]
        for line, sha256 in items:
            out += [f"{indent}  {line}", f"{indent}    SHA-256: {sha256}"]
    return out


def changelog_text(notes: Changelog) -> str:
    """Release notes for a terminal: a summary line, then each kind of change with the roots."""
    return "\n".join(_text_body(notes, "")) + "\n"


def _entry_heading(entry: HistoryEntry) -> list[str]:
    commit = entry.commit
    lines = [f"release {entry.release}" if entry.release else
             "unreleased" if entry.commits else f"commit {commit.commit}"]
    if entry.release or entry.commits:
        lines.append(f"Commit:  {commit.commit}")
    lines.append(f"Date:    {iso(commit.date)}")
    lines.append(f"NSS builtins version: {entry.nss_version or 'unknown'}")
    if entry.commits:
        lines.append(f"Commits: {len(entry.commits)} changed the file")
    lines += ["", f"    {printable(commit.subject)}"]
    return lines


def history_text(result: History) -> str:
    """One block per commit (or release), newest first, as `git log` lays them out."""
    out: list[str] = []
    for entry in result.entries:
        if out:
            out.append("")
        out += _entry_heading(entry)
        out.append("")
        out += _text_body(entry.changelog, "    ")
    if not result.entries:
        out.append(f"no commit changed {printable(result.path)}")
    return "\n".join(out) + "\n"


# -- Markdown -------------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return markdown_cell(printable(text)).replace("*", "\\*").replace("<", "&lt;")


def _markdown_body(notes: Changelog, level: int) -> list[str]:
    heading = "#" * level
    out = [f"**{_cell(summary_line(notes))}**"]
    if notes.added:
        out += ["", f"{heading} Added", "", "| Root | SHA-256 | Reason |", "| --- | --- | --- |"]
        out += [f"| {_cell(n.label)} | `{n.sha256}` | {n.reason.value} |" for n in notes.added]
    if notes.removed:
        out += ["", f"{heading} Removed", "", "| Root | SHA-256 | Reason |", "| --- | --- | --- |"]
        out += [f"| {_cell(n.label)} | `{n.sha256}` | {n.reason.value} |" for n in notes.removed]
    if notes.distrust_after:
        out += ["", f"{heading} Distrust-after dates", "",
                "| Root | SHA-256 | Date | Old | New |", "| --- | --- | --- | --- | --- |"]
        out += [f"| {_cell(n.label)} | `{n.sha256}` | {DATE_WORDS[n.purpose]} | {human_date(n.old)} | "
                f"{human_date(n.new)} |" for n in notes.distrust_after]
    if notes.renamed:
        out += ["", f"{heading} Renamed", "", "| Old label | New label | SHA-256 |", "| --- | --- | --- |"]
        out += [f"| {_cell(n.old)} | {_cell(n.new)} | `{n.sha256}` |" for n in notes.renamed]
    return out


def changelog_markdown(notes: Changelog) -> str:
    """Release notes for a release page: a summary, then one table per kind of change."""
    return "\n".join(_markdown_body(notes, 3)) + "\n"


def history_markdown(result: History) -> str:
    """One section per commit (or release), newest first, with the roots in tables."""
    out: list[str] = [f"# Changes to `{_cell(result.path)}`"]
    for entry in result.entries:
        commit = entry.commit
        title = entry.release or ("Unreleased" if entry.commits else commit.commit[:12])
        out += ["", f"## {_cell(title)}", ""]
        facts = [f"- Commit: `{commit.commit}`", f"- Date: {iso(commit.date)}",
                 f"- NSS builtins version: {entry.nss_version or 'unknown'}",
                 f"- Subject: {_cell(commit.subject)}"]
        if entry.commits:
            facts.append(f"- Commits changing the file: {len(entry.commits)}")
        out += facts
        out += ["", *_markdown_body(entry.changelog, 3)]
    if not result.entries:
        out += ["", f"No commit changed `{_cell(result.path)}`."]
    return "\n".join(out) + "\n"


# -- JSON -----------------------------------------------------------------------------------------

def _root_note(note: RootNote) -> dict[str, Any]:
    return {"label": note.label, "sha256": note.sha256, "reason": note.reason.value}


def _date_note(note: DistrustAfterNote) -> dict[str, Any]:
    return {"label": note.label, "sha256": note.sha256, "purpose": note.purpose.value,
            "old": iso(note.old), "new": iso(note.new)}


def _rename_note(note: RenameNote) -> dict[str, Any]:
    return {"sha256": note.sha256, "old": note.old, "new": note.new}


def _lists(notes: Changelog) -> dict[str, Any]:
    return {
        "added": [_root_note(note) for note in notes.added],
        "removed": [_root_note(note) for note in notes.removed],
        "distrust_after": [_date_note(note) for note in notes.distrust_after],
        "renamed": [_rename_note(note) for note in notes.renamed],
    }


def changelog_document(notes: Changelog) -> dict[str, Any]:
    return {"schema": CHANGELOG_SCHEMA, "purposes": [purpose.value for purpose in notes.purposes],
            **_lists(notes)}


def changelog_json(notes: Changelog) -> str:
    """The contract's certdata-tool/changelog/1 document."""
    return to_json(changelog_document(notes))


def history_document(result: History) -> dict[str, Any]:
    entries = []
    for entry in result.entries:
        commit = entry.commit
        head: dict[str, Any] = {}
        if result.releases:
            head["release"] = entry.release  # null: commits no release tag contains yet
        head.update({"commit": commit.commit, "date": iso(commit.date), "subject": commit.subject,
                     "nss_version": entry.nss_version})
        if result.releases:
            head["commits"] = list(entry.commits)
        entries.append({**head, **_lists(entry.changelog)})
    return {"schema": HISTORY_SCHEMA, "path": result.path, "entries": entries}


def history_json(result: History) -> str:
    """The contract's certdata-tool/history/1 document (`--releases` adds `release` and `commits`)."""
    return to_json(history_document(result))


# -- Debian -----------------------------------------------------------------------------------------

DEBIAN_BULLET = "  * Update Mozilla certificate authority bundle to version {version}"
DEBIAN_ADDED = "    The following certificate authorities were added (+):"
DEBIAN_REMOVED = "    The following certificate authorities were removed (-):"


def _debian_order(notes: tuple[RootNote, ...]) -> list[RootNote]:
    # Without regard to case, as Debian sorts them; the exact label, then SHA-256, break ties.
    return sorted(notes, key=lambda note: (note.label.casefold(), note.label, note.sha256))


def changelog_debian(notes: Changelog, nss_version: str | None = None) -> str:
    """The lines Debian's ca-certificates changelog lists for an update (PROFILES.md, "Release notes").

    Only roots entering and leaving the bundle: Debian's changelog says nothing of dates or renames.
    """
    out: list[str] = []
    if nss_version is not None:
        out.append(DEBIAN_BULLET.format(version=nss_version))
    if notes.added:
        out.append(DEBIAN_ADDED)
        out += [f'    + "{printable(note.label)}"' for note in _debian_order(notes.added)]
    if notes.removed:
        out.append(DEBIAN_REMOVED)
        out += [f'    - "{printable(note.label)}"' for note in _debian_order(notes.removed)]
    return "".join(line + "\n" for line in out)


__all__ = ["CHANGELOG_SCHEMA", "HISTORY_SCHEMA", "changelog_debian", "changelog_document",
           "changelog_json", "changelog_markdown", "changelog_text", "history_document",
           "history_json", "history_markdown", "history_text"]
