"""What the distrust-after dates a change sets mean, in words: the full UTC moment and its effect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from ..diff import Diff
from ..model.roots import DistrustPurpose
from ..moments import human_date
from .common import printable

# How Mozilla's root program names the purposes a distrust-after date is for.
PURPOSE_WORDS = {DistrustPurpose.SERVER: "TLS", DistrustPurpose.EMAIL: "S/MIME"}

HEADING = "Distrust-after dates set:"


@dataclass(frozen=True, slots=True)
class DistrustMeaning:
    """One root's new distrust-after moment, for the purposes that got it."""

    label: str
    purposes: tuple[DistrustPurpose, ...]
    moment: datetime

    @property
    def sentence(self) -> str:
        """`TLS and S/MIME certificates issued after 2024-11-30 23:59:59 UTC are distrusted`."""
        kinds = " and ".join(PURPOSE_WORDS[purpose] for purpose in self.purposes)
        return f"{kinds} certificates issued after {human_date(self.moment)} are distrusted"

    @property
    def start_of_day(self) -> str | None:
        """For a midnight moment (what a bare date in a spec means), the day it takes in too;
        None otherwise. NSS writes the last second of the day, so midnight is usually a slip."""
        moment = self.moment.astimezone(UTC)
        if moment.time() != time(0, 0, 0):
            return None
        day = moment.date().isoformat()
        return (f"00:00:00 is the start of {day}: certificates issued that day are distrusted too "
                f"(a bare date means 00:00:00; NSS writes the day's last second, {day}T23:59:59Z)")


def distrust_meanings(diff: Diff) -> tuple[DistrustMeaning, ...]:
    """Every distrust-after moment set on a modified or added root, in the diff's order; a root
    whose two purposes got the same moment is one meaning. Cleared dates are not listed."""
    found: list[tuple[str, list[tuple[DistrustPurpose, datetime]]]] = []
    for change in diff.modified:
        dates = []
        for field_change in change.changes:
            purpose = _PURPOSE_OF_FIELD.get(field_change.field)
            if purpose is not None and isinstance(field_change.new, datetime):
                dates.append((purpose, field_change.new))
        found.append((change.new.label, dates))
    for root in diff.added:
        found.append((root.label, [(purpose, moment) for purpose in DistrustPurpose
                                   if (moment := root.distrust_after.get(purpose)) is not None]))
    meanings = []
    for label, dates in found:
        moments = list(dict.fromkeys(moment for _, moment in dates))
        for moment in moments:
            purposes = tuple(purpose for purpose, other in dates if other == moment)
            meanings.append(DistrustMeaning(label, purposes, moment))
    return tuple(meanings)


_PURPOSE_OF_FIELD = {f"distrust_after.{purpose.value}": purpose for purpose in DistrustPurpose}


def meaning_text(diff: Diff) -> str:
    """The text report's section, after an empty line: a heading, one line per meaning and its
    start-of-day note; "" when the change sets no distrust-after date."""
    meanings = distrust_meanings(diff)
    if not meanings:
        return ""
    lines = ["", HEADING]
    for meaning in meanings:
        lines.append(f'  "{printable(meaning.label)}": {meaning.sentence}')
        note = meaning.start_of_day
        if note is not None:
            lines.append(f"    {note}")
    return "\n".join(lines) + "\n"


def meaning_markdown(diff: Diff) -> str:
    """The same section as a Markdown list, after an empty line; "" when no date is set."""
    from .markdown_diff import md_text

    meanings = distrust_meanings(diff)
    if not meanings:
        return ""
    items = [f"- {md_text(meaning.label)}: {meaning.sentence}"
             + (f". {meaning.start_of_day}" if meaning.start_of_day else "") for meaning in meanings]
    return "\n".join(["", HEADING, "", *items]) + "\n"


__all__ = ["HEADING", "PURPOSE_WORDS", "DistrustMeaning", "distrust_meanings", "meaning_markdown",
           "meaning_text"]
