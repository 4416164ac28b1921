"""The commits a list of change specs makes in an NSS tree: one per spec, the version bump in the last.

Values in, values out: the CLI reads HEAD's files and the author from git (cli/git.py) and hands
them over; render/patch.py writes the series as `git format-patch` does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..applying.checked import ApplyOutcome, apply_checked
from ..errors import CertdataError
from ..printable import printable
from ..spec.load import Spec
from ..syntax.nssfile import CertdataFile, dump

# Where NSS keeps the root store and the header whose version NSS bumps with every root change.
NSS_CERTDATA = "lib/ckfw/builtins/certdata.txt"
NSS_NSSCKBI = "lib/ckfw/builtins/nssckbi.h"
REGULAR_FILE = "100644"  # git's mode of a file that is not executable

# `NAME <EMAIL>`, as git writes an identity.
_IDENTITY = re.compile(r"(?P<name>[^<>]*?)\s*<(?P<email>[^<>\s]*)>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A Bugzilla URL carries the bug number as `?id=N` (show_bug.cgi) or as the path (bugzil.la/N).
_BUG_IN_URL = re.compile(r"https?://(?:bugzilla\.mozilla\.org/show_bug\.cgi\?(?:[^#]*&)?id=(\d+)(?:[&#].*)?"
                         r"|bugzil\.la/(\d+)/?)")


class PatchError(CertdataError):
    """A patch cannot be made as asked (a spec without a bug, a change that changes nothing, ...)."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a commit is by, as git names them."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def parse_identity(text: str, *, what: str = "--author") -> Identity:
    """`Name <mail>`, as git writes an identity; PatchError naming `what` otherwise."""
    cleaned = text.strip()
    match = _IDENTITY.fullmatch(cleaned)
    if match is None or not match.group("name") or not match.group("email") or _CONTROL.search(cleaned):
        raise PatchError(f"{what} {cleaned!r}: expected \"NAME <EMAIL>\", such as "
                         "\"Jane Doe <jane@example.com>\"")
    return Identity(match.group("name").strip(), match.group("email"))


@dataclass(frozen=True, slots=True)
class NssTree:
    """What a patch is made against: the certdata.txt and nssckbi.h of the tree's HEAD."""

    certdata: CertdataFile
    nssckbi: str  # the header's text
    certdata_mode: str = REGULAR_FILE
    nssckbi_mode: str = REGULAR_FILE
    nssckbi_source: str = "nssckbi.h"  # for messages


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file a commit changes: its path in the tree, git mode, text before and after.

    Texts hold bytes that are not UTF-8 as surrogate escapes, as the certdata reader keeps them.
    """

    path: str
    mode: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class PatchCommit:
    """One commit of the series: one spec applied on top of the commits before it."""

    spec: Spec
    subject: str
    outcome: ApplyOutcome
    files: tuple[FileChange, ...]


@dataclass(frozen=True, slots=True)
class PatchSeries:
    """The commits, in order, all by `author`; `date` is the Date header (None: none is written)."""

    author: Identity
    date: datetime | None
    commits: tuple[PatchCommit, ...]

    def __repr__(self) -> str:
        # Each commit holds whole certdata texts: one line, as a Diff's or an ApplyOutcome's repr.
        return f"PatchSeries(author={self.author!r}, commits={len(self.commits)})"

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(warning for commit in self.commits for warning in commit.outcome.warnings)


def bug_number(spec: Spec) -> int:
    """The Mozilla bug of `spec`: NSS's commit subjects start with `Bug N -`, so a patch needs one."""
    bug = spec.bug
    if bug is None:
        raise PatchError("no bug: NSS commit subjects start with \"Bug N - \"; add `bug: N` (the Mozilla bug "
                         "number) to the spec", source=spec.source)
    if isinstance(bug, int):
        return bug
    match = _BUG_IN_URL.fullmatch(bug)
    if match is None:
        raise PatchError(f"bug {bug!r}: the subject needs a Bugzilla bug number; write `bug: N`, or a "
                         "https://bugzilla.mozilla.org/show_bug.cgi?id=N URL", source=spec.source)
    return int(match.group(1) or match.group(2))


def subject(spec: Spec, reviewer: str | None = None) -> str:
    """`Bug N - TITLE r=NAME`, NSS's convention (without ` r=NAME` when there is no reviewer yet).

    The title is one line: its whitespace runs become single spaces, and characters that could
    rewrite a terminal line are escaped as everywhere else.
    """
    number = bug_number(spec)
    title = " ".join((spec.title or "").split())
    if not title:
        raise PatchError("no title: the commit subject is \"Bug N - TITLE\"; add `title:` to the spec",
                         source=spec.source)
    # A title copied from the bug with its own prefix, or a reviewer given with `r=`, would be said
    # twice ("Bug 1 - Bug 1 - …", "r=r=…").
    prefix = f"Bug {number} - "
    title = title.removeprefix(prefix)
    line = f"{prefix}{printable(title)}"
    return line if reviewer is None else f"{line} r={reviewer.removeprefix('r=')}"


def _check_reviewer(reviewer: str | None) -> None:
    if reviewer is not None and (not reviewer or any(ch.isspace() for ch in reviewer)
                                 or _CONTROL.search(reviewer) or reviewer != printable(reviewer)):
        raise PatchError(f"--reviewer {reviewer!r}: expected a reviewer's nick without spaces, such as "
                         "jschanck (several: jschanck,bwilson)")


def patch_series(tree: NssTree, specs: Sequence[Spec], *, author: Identity, reviewer: str | None = None,
                 at: datetime | None = None) -> PatchSeries:
    """One commit per spec, each applied on top of the ones before, as `apply` applies them; the
    nssckbi.h bump in the last commit only, so the series ends where `apply --in-place --nssckbi`
    with all the specs does. `at` is the commit date (and the moment added certificates are
    checked at); a change that would add a lint error, or a spec that changes nothing, is an error.
    """
    if not specs:
        raise PatchError("no spec: give at least one change spec")
    _check_reviewer(reviewer)
    subjects = [subject(spec, reviewer) for spec in specs]  # every spec's bug and title, before any work
    commits = []
    store = tree.certdata
    for index, (spec, line) in enumerate(zip(specs, subjects, strict=True)):
        last = index == len(specs) - 1
        outcome = apply_checked(store, [spec], at=at, nssckbi=tree.nssckbi if last else None,
                                nssckbi_source=tree.nssckbi_source)
        outcome.raise_if_refused()
        if not outcome.changed:
            raise PatchError(f"changes nothing in {tree.certdata.source} (already applied?): a commit needs "
                             "a change", source=spec.source)
        files = [FileChange(NSS_CERTDATA, tree.certdata_mode, dump(store), outcome.text)]
        if outcome.nssckbi is not None:
            files.append(FileChange(NSS_NSSCKBI, tree.nssckbi_mode, tree.nssckbi, outcome.nssckbi.text))
        commits.append(PatchCommit(spec, line, outcome, tuple(files)))
        store = outcome.store
    return PatchSeries(author, at, tuple(commits))


__all__ = ["NSS_CERTDATA", "NSS_NSSCKBI", "REGULAR_FILE", "FileChange", "Identity", "NssTree", "PatchCommit",
           "PatchError", "PatchSeries", "bug_number", "parse_identity", "patch_series", "subject"]
