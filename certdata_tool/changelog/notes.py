"""Release notes between two root stores: what changed for users of the bundle for some purposes.

The bundle for a set of purposes holds the roots trusted (`trusted_delegator`) for at least one
of them, as `export --purpose` writes it. A root is its certificate's SHA-256, so a label reused by
a new certificate is one root removed and one added, and a certificate held twice is one root.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from ..diff import compare
from ..errors import CertdataError
from ..exporting.policy import Purpose
from ..model.roots import Root, TrustLevel
from ..syntax.nssfile import CertdataFile


class Reason(Enum):
    """Why a root entered or left the bundle."""

    NEW_ROOT = "new root"  # the certificate was not in the old file
    TRUST_GRANTED = "trust granted"  # it was, but trusted for none of the purposes
    ROOT_REMOVED = "root removed"  # the certificate is not in the new file
    TRUST_REVOKED = "trust revoked"  # it still is, but trusted for none of the purposes


@dataclass(frozen=True, slots=True)
class RootNote:
    """A root that entered (`added`) or left (`removed`) the bundle."""

    label: str  # as the file that has the root in the bundle calls it
    sha256: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class DistrustAfterNote:
    """A distrust-after date set, changed or cleared on a root trusted for `purpose`."""

    label: str
    sha256: str
    purpose: Purpose  # server or email: NSS has no date for code signing
    old: datetime | None
    new: datetime | None

    @property
    def kind(self) -> str:
        """`set`, `changed` or `cleared`."""
        if self.old is None:
            return "set"
        return "cleared" if self.new is None else "changed"


@dataclass(frozen=True, slots=True)
class RenameNote:
    """A root of the bundle (before or after) whose CKA_LABEL changed."""

    sha256: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Changelog:
    """The release notes of one change; every list sorted by label, then SHA-256."""

    purposes: tuple[Purpose, ...]
    added: tuple[RootNote, ...] = ()
    removed: tuple[RootNote, ...] = ()
    distrust_after: tuple[DistrustAfterNote, ...] = ()
    renamed: tuple[RenameNote, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing changed for users of the bundle."""
        return not (self.added or self.removed or self.distrust_after or self.renamed)


def purposes_of(purposes: Iterable[Purpose]) -> tuple[Purpose, ...]:
    """The purposes de-duplicated, in a fixed order (server, email, code signing); at least one."""
    chosen = set(purposes)
    if not chosen:
        raise CertdataError("no purpose: the notes are for the bundle of at least one purpose")
    return tuple(purpose for purpose in Purpose if purpose in chosen)


def changelog(old: CertdataFile, new: CertdataFile,
              purposes: Iterable[Purpose] = (Purpose.SERVER,)) -> Changelog:
    """The release notes from OLD to NEW for the bundle of `purposes` (pure)."""
    diff = compare(old, new)
    return notes_between(diff.old_roots, diff.new_roots, purposes)


# What the notes need of one certificate in one file: (label, purposes it is trusted for as bits
# of _BIT, server date, email date), a date only where the purpose is trusted. A plain tuple:
# a history reads some 25,000 of them.
_Facts = tuple[str, int, datetime | None, datetime | None]
Summary = dict[str, _Facts]  # SHA-256 -> the facts of that certificate
_BIT = {Purpose.SERVER: 1, Purpose.EMAIL: 2, Purpose.CODE_SIGNING: 4}
_TRUSTED = TrustLevel.TRUSTED_DELEGATOR


def summarize(roots: Sequence[Root]) -> Summary:
    """Each certificate (by SHA-256) of a file with its label, purposes and dates.

    A certificate held twice is one root: its first copy names it; a purpose counts when some copy
    is trusted for it, and that copy's date is the one read.
    """
    facts: Summary = {}
    for root in roots:
        if not root.der:
            continue  # nothing a bundle could hold
        trust = root.trust
        mask = ((trust.server_auth is _TRUSTED) | (trust.email_protection is _TRUSTED) << 1
                | (trust.code_signing is _TRUSTED) << 2)
        dates = root.distrust_after
        server = dates.server if mask & 1 else None
        email = dates.email if mask & 2 else None
        found = facts.get(root.sha256)
        if found is not None:
            if not mask & ~found[1]:
                continue
            # A later copy trusted for more: what it adds, the first copy's label.
            label, known = found[0], found[1]
            server = found[2] if known & 1 else server
            email = found[3] if known & 2 else email
            mask |= known
            facts[root.sha256] = (label, mask, server, email)
            continue
        facts[root.sha256] = (root.label, mask, server, email)
    return facts


def notes_between(old_roots: Sequence[Root], new_roots: Sequence[Root],
                  purposes: Iterable[Purpose] = (Purpose.SERVER,)) -> Changelog:
    """The release notes from the roots of one file to those of another."""
    return notes_of_summaries(summarize(old_roots), summarize(new_roots), purposes)


def notes_of_summaries(old: Summary, new: Summary, purposes: Iterable[Purpose]) -> Changelog:
    chosen = purposes_of(purposes)
    added: list[RootNote] = []
    removed: list[RootNote] = []
    dates: list[DistrustAfterNote] = []
    renamed: list[RenameNote] = []
    bits = 0
    for purpose in chosen:
        bits |= _BIT[purpose]
    dated = [purpose for purpose in chosen if purpose in (Purpose.SERVER, Purpose.EMAIL)]
    for sha256 in old.keys() | new.keys():
        before, after = old.get(sha256), new.get(sha256)
        if before == after:
            continue
        was_in = before is not None and bool(before[1] & bits)
        is_in = after is not None and bool(after[1] & bits)
        if is_in and not was_in:
            assert after is not None
            reason = Reason.NEW_ROOT if before is None else Reason.TRUST_GRANTED
            added.append(RootNote(after[0], sha256, reason))
        elif was_in and not is_in:
            assert before is not None
            reason = Reason.ROOT_REMOVED if after is None else Reason.TRUST_REVOKED
            removed.append(RootNote(before[0], sha256, reason))
        if before is not None and after is not None and (was_in or is_in) and before[0] != after[0]:
            renamed.append(RenameNote(sha256, before[0], after[0]))
        if after is None:
            continue
        for purpose in dated:
            if not after[1] & _BIT[purpose]:
                continue
            # A root that becomes trusted for the purpose brings its date with it: "set".
            server = purpose is Purpose.SERVER
            old_date = None if before is None else before[2] if server else before[3]
            new_date = after[2] if server else after[3]
            if old_date != new_date:
                dates.append(DistrustAfterNote(after[0], sha256, purpose, old_date, new_date))
    order = Purpose.__members__.values()
    rank = {purpose: index for index, purpose in enumerate(order)}
    return Changelog(
        purposes=chosen,
        added=tuple(sorted(added, key=lambda note: (note.label, note.sha256))),
        removed=tuple(sorted(removed, key=lambda note: (note.label, note.sha256))),
        distrust_after=tuple(sorted(dates, key=lambda note: (note.label, note.sha256, rank[note.purpose]))),
        renamed=tuple(sorted(renamed, key=lambda note: (note.new, note.sha256))),
    )


__all__ = [
    "Changelog",
    "DistrustAfterNote",
    "Reason",
    "RenameNote",
    "RootNote",
    "Summary",
    "changelog",
    "notes_between",
    "notes_of_summaries",
    "purposes_of",
    "summarize",
]
