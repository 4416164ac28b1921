"""apply's report: the diff view of what changed, with the specs' titles and bugs and any version bump."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..applying.checked import ApplyOutcome, NssckbiBump


class ReportFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    NONE = "none"


def new_finding_lines(outcome: ApplyOutcome) -> list[str]:
    """One line per lint warning the change introduced, `FILE:LINE: CODE "label": message (...)`."""
    lines = []
    for finding in outcome.new_findings:
        about = f'"{finding.label}": ' if finding.label else ""
        lines.append(f"{outcome.store.source}:{finding.line}: {finding.code} {about}{finding.message} "
                     "(new with this change)")
    return lines


def render_report(outcome: ApplyOutcome, report: ReportFormat, *, colour: bool = False,
                  nssckbi_path: str | None = None) -> str:
    """The report in `report`'s format ("" for none); `nssckbi_path` names the header as the user did."""
    if report is ReportFormat.NONE:
        return ""
    bump = outcome.nssckbi
    path = nssckbi_path or (bump.source if bump is not None else "")
    if report is ReportFormat.JSON:
        from .common import to_json
        from .json_diff import diff_document

        document = diff_document(outcome.diff, title=outcome.title, bug=outcome.bug)
        if bump is not None:
            document["nssckbi"] = {"path": path, "old": bump.old_version, "new": bump.new_version}
        if outcome.notes:
            document["already_applied"] = list(outcome.notes)
        return to_json(document)
    if report is ReportFormat.MARKDOWN:
        from .common import markdown_cell, printable
        from .distrust_meaning import meaning_markdown
        from .markdown_diff import render_markdown

        diff = outcome.diff
        text = render_markdown(diff, title=outcome.title, bug=outcome.bug) + meaning_markdown(diff)
        if bump is not None:
            text += f"\n**nssckbi.h** (`{path}`): {_bump_words(bump, '`')}\n"
        if outcome.notes:
            text += "\n" + "".join(f"- Already applied: {markdown_cell(printable(note))}\n"
                                    for note in outcome.notes)
        return text
    from .common import printable
    from .distrust_meaning import meaning_text
    from .text_diff import render_text

    diff = outcome.diff
    text = render_text(diff, colour=colour, title=outcome.title, bug=outcome.bug) + meaning_text(diff)
    if bump is not None:
        text += f"nssckbi.h ({path}): {_bump_words(bump, '')}\n"
    text += "".join(f"Already applied: {printable(note)}\n" for note in outcome.notes)
    return text


def _bump_words(bump: NssckbiBump, quote: str) -> str:
    old, new = bump.old_version, bump.new_version
    if old == new:
        return f"library version {quote}{old}{quote} unchanged (the certdata did not change)"
    return f"library version {quote}{old}{quote} → {quote}{new}{quote}"


__all__ = ["ReportFormat", "new_finding_lines", "render_report"]
