"""`diff --format text`: one block per changed root in the words of Mozilla's root program."""

from __future__ import annotations

from datetime import datetime

from ..diff import FIELDS, Diff, FieldChange, field_value
from ..model.roots import DistrustEntry, Root, TrustField, TrustLevel
from ..moments import human_date
from ..x509 import der
from ..x509.certificate import CertificateFacts, readable_name
from .common import printable, trust_words
from .show import positions

# How a reviewer names each field (Mozilla's root program speaks of Websites and Email trust bits).
FIELD_WORDS = {
    "label": "Label",
    "trust.server_auth": "Websites",
    "trust.email_protection": "Email",
    "trust.code_signing": "Code signing",
    "trust.step_up_approved": "Step-up approved",
    "distrust_after.server": "Distrust for TLS After",
    "distrust_after.email": "Distrust for S/MIME After",
    "mozilla_ca_policy": "Mozilla CA policy",
    "trust_object.distrust_after.server": "Distrust for TLS After (trust object)",
    "trust_object.distrust_after.email": "Distrust for S/MIME After (trust object)",
}

TRUST_LEVEL_FIELDS = tuple(f"trust.{trust_field.value}" for trust_field in TrustField)
ARROW = "→"
BUGZILLA = "https://bugzilla.mozilla.org/show_bug.cgi?id="

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_GREEN = "\x1b[32m"
_YELLOW = "\x1b[33m"


def value_words(field: str, value: object) -> str:
    """A field value as a reviewer reads it: `trusted`, `none`, `2024-06-30 00:00:00 UTC`, `yes`."""
    if field == "label":
        return f'"{printable(str(value))}"'
    if field.startswith(("distrust_after.", "trust_object.distrust_after.")):
        assert value is None or isinstance(value, datetime)
        return human_date(value)
    if field in TRUST_LEVEL_FIELDS:
        assert value is None or isinstance(value, TrustLevel)
        return trust_words(value)
    if value is None:
        return "missing"
    return "yes" if value else "no"


def root_facts(root: Root) -> list[tuple[str, str]]:
    """What an added or removed root was trusted for: (field, value in words), the notable ones."""
    facts = []
    for field in FIELDS[1:]:
        if field.startswith("trust_object."):
            continue  # said once, among the root's problems
        value = field_value(root, field)
        notable = (
            field in TRUST_LEVEL_FIELDS  # always shown: what the root is trusted for
            or (field == "trust.step_up_approved" and value is True)
            or (field.startswith("distrust_after.") and value is not None)
            or (field == "mozilla_ca_policy" and value is not True)
        )
        if notable:
            facts.append((field, value_words(field, value)))
    return facts


def yes_no(value: bool | None, unknown: str) -> str:
    return unknown if value is None else "yes" if value else "no"


def position_words(after: str | None) -> str:
    return "first root in the file" if after is None else f'after "{printable(after)}"'


def certificate_lines(facts: CertificateFacts, after: str | None) -> list[tuple[str, str]]:
    """(name, value) of every certificate fact a reviewer checks against the bug and CCADB, in
    CCADB's words where it has them; data made printable, hashes as upper-case hex."""
    return [
        ("Subject", printable(facts.subject) or "unreadable"),
        ("Issuer", printable(facts.issuer) or "unreadable"),
        ("Serial number", facts.serial or "unreadable"),
        ("Not before", human_date(facts.not_before)),
        ("Not after", human_date(facts.not_after)),
        ("Key", facts.key or "unreadable"),
        ("Signature algorithm", facts.signature_algorithm or "unreadable"),
        ("SHA-1", facts.sha1),
        ("Subject + SPKI SHA-256", facts.subject_spki_sha256 or "unreadable"),
        ("Self-signed", yes_no(facts.self_signed, "cannot tell (signature not checkable)")),
        ("CA", yes_no(facts.ca, "no basicConstraints extension")),
        ("Position", position_words(after)),
    ]


def problem_lines(root: Root) -> list[str]:
    """What a reader must not miss about a root, each said once: `Problem: ...`."""
    return [f"Problem: {printable(problem)}" for problem in root.problems]


def bug_references(bug: str) -> list[tuple[str, str | None]]:
    """Each bug of `bug` (comma-separated numbers or URLs) as (words, link or None).

    `1901080` → (`Bug 1901080`, its Bugzilla URL); a URL → (the URL, the URL); anything else is
    shown as written, without a link.
    """
    references: list[tuple[str, str | None]] = []
    for part in (piece.strip() for piece in bug.split(",")):
        if part.isdigit():
            references.append((f"Bug {part}", BUGZILLA + part))
        elif part.startswith(("https://", "http://")):
            references.append((part, part))
        elif part:
            references.append((part, None))
    return references


def plural(count: int, singular: str, many: str) -> str:
    return f"{count} {singular if count == 1 else many}"


def summary_line(diff: Diff) -> str:
    """`1 root modified, 0 added, 0 removed`, `formatting only: no root changed` or `no differences`."""
    if not diff.has_differences:
        return "no differences"
    if not diff.root_changes:
        return "formatting only: no root changed"
    text = (f"{plural(len(diff.modified), 'root', 'roots')} modified, {len(diff.added)} added, "
            f"{len(diff.removed)} removed")
    if diff.distrust_entries_added or diff.distrust_entries_removed:
        entries = len(diff.distrust_entries_added)
        added = plural(entries, "explicit distrust entry", "explicit distrust entries")
        text += f"; {added} added, {len(diff.distrust_entries_removed)} removed"
    if diff.formatting_changed:
        text += "; formatting also changed"
    return text


FORMATTING_NOTE = "Comments, blank lines, header text or object order changed outside these roots."
# How many changed lines outside roots a view shows before it only counts the rest.
OUTSIDE_LINES_SHOWN = 20


def _lines_words(start: int, end: int) -> str:
    """`lines 3-5`, `line 3`, or `none (after line 2)` for 0-based [start, end)."""
    if end - start > 1:
        return f"lines {start + 1}-{end}"
    if end - start == 1:
        return f"line {start + 1}"
    return f"none (after line {start})" if start else "none (at the start)"


def outside_lines(diff: Diff) -> list[str]:
    """Where the files differ outside the changed roots: a sentence, then for each stretch an
    `@@ OLD ... → NEW ... @@` line and its lines as `-`/`+`, up to OUTSIDE_LINES_SHOWN, then a count.
    Empty when nothing differs outside them."""
    if not diff.formatting_changed:
        return []
    intro = FORMATTING_NOTE if diff.root_changes else (
        "Comments, blank lines, header text or object order changed; no root did.")
    if not diff.outside:
        return [intro]
    out = [intro.removesuffix(".") + ":"]
    shown = hidden = 0
    for change in diff.outside:
        lines = [f"-{_bare(line)}" for line in change.removed] + [f"+{_bare(line)}" for line in change.added]
        room = OUTSIDE_LINES_SHOWN - shown
        if room <= 0:
            hidden += len(lines)
            continue
        moved = f" moved: {printable(change.moved)}" if change.moved else ""
        out.append(f"@@ OLD {_lines_words(change.old_start, change.old_end)} {ARROW} "
                   f"NEW {_lines_words(change.new_start, change.new_end)} @@{moved}")
        out += lines[:room]
        shown += min(room, len(lines))
        hidden += max(0, len(lines) - room)
    if hidden:
        out.append(f"... and {plural(hidden, 'more changed line', 'more changed lines')} "
                   "(`diff --format unified` shows them all)")
    return out


def _bare(line: str) -> str:
    return printable(line.removesuffix("\n").removesuffix("\r"))


def entry_facts(entry: DistrustEntry) -> list[str]:
    """How an explicit distrust entry is told apart: issuer, serial number and SHA-1 if it has one."""
    facts = [f"Issuer: {readable_name(entry.issuer)}"]
    # The serial is a DER INTEGER; show its content bytes, as certificate serials are shown.
    try:
        content = der.parse(entry.serial).content
    except ValueError:  # not DER: shown as it is
        content = entry.serial
    facts.append(f"Serial number: {content.hex().upper() or 'none'}")
    if entry.sha1:
        facts.append(f"SHA-1: {entry.sha1}")
    return facts


class _Paint:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *codes: str) -> str:
        # Data made safe first (a label's ESC or newline), so that only our own codes colour it.
        text = printable(text)
        return "".join(codes) + text + _RESET if self.colour and codes else text


def change_line(change: FieldChange, paint: _Paint | None = None) -> str:
    """`Websites: trusted → not trusted`."""
    paint = paint or _Paint(False)
    old = paint(value_words(change.field, change.old), _RED)
    new = paint(value_words(change.field, change.new), _GREEN)
    return f"{FIELD_WORDS[change.field]}: {old} {ARROW} {new}"


def render_text(diff: Diff, *, colour: bool = False, title: str | None = None,
                bug: str | None = None) -> str:
    """The reviewer's report; ANSI colour only when `colour` (the CLI decides: terminal, NO_COLOR)."""
    paint = _Paint(colour)
    out: list[str] = []
    if title:
        out.append(paint(title, _BOLD))
    for text, url in bug_references(bug or ""):
        out.append(f"{text}: {url}" if url and text != url else f"Bug: {text}")
    if out:
        out.append("")

    def block(kind: str, code: str, root: Root, lines: list[str]) -> None:
        out.append(paint(f"{kind}: ", _BOLD, code) + paint(printable(root.label), _BOLD))
        out.append(f"  SHA-256: {root.sha256}")
        out.extend(f"  {line}" for line in lines)
        out.append("")

    after_new, after_old = positions(diff.new_roots), positions(diff.old_roots)
    for kind, code, roots, after in (("Added", _GREEN, diff.added, after_new),
                                     ("Removed", _RED, diff.removed, after_old)):
        for root in roots:
            lines = [f"{FIELD_WORDS[f]}: {printable(v)}" for f, v in root_facts(root)]
            facts = certificate_lines(root.facts(), after.get(root.certificate_index))
            lines += [f"{name}: {printable(value)}" for name, value in facts]
            block(kind, code, root, lines + problem_lines(root))
    for change in diff.modified:
        lines = [change_line(field_change, paint) for field_change in change.changes]
        lines.extend(printable(words) for words in change.attribute_changes)
        block("Modified", _YELLOW, change.new, lines + problem_lines(change.new))
    for kind, code, entries in (("Explicit distrust entry added", _GREEN, diff.distrust_entries_added),
                                ("Explicit distrust entry removed", _RED, diff.distrust_entries_removed)):
        for entry in entries:
            out.append(paint(f"{kind}: ", _BOLD, code) + paint(entry.label, _BOLD))
            out.extend(f"  {printable(fact)}" for fact in entry_facts(entry))
            out.append("")
    outside = outside_lines(diff)
    if outside:
        out.append(outside[0])
        out.extend(f"  {line}" for line in outside[1:])
        out.append("")
    out.append(paint(summary_line(diff), _BOLD))
    return "\n".join(out) + "\n"
