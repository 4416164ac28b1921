"""apply as a use case: the edit, the "never write a file worse than it read" guard, the version bump."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from ..errors import CertdataError
from ..spec.load import Spec
from ..syntax.nssfile import CertdataFile, dump
from . import editor

if TYPE_CHECKING:
    from ..diff import Diff
    from ..linting.findings import Finding

# Lint rules that look at dates only report (info); a fixed moment keeps apply clock-free.
_LINT_MOMENT_WITHOUT_AT = datetime(2000, 1, 1, tzinfo=UTC)


class NssckbiBump(NamedTuple):
    """nssckbi.h with its library version raised: NSS bumps it with every root change, and only then."""

    text: str  # the new header text (the old one when the certdata did not change)
    old_version: str
    new_version: str  # equal to old_version when the certdata did not change
    source: str = "nssckbi.h"

    @property
    def changed(self) -> bool:
        return self.old_version != self.new_version


class ApplyOutcome(NamedTuple):
    """Everything `apply` shows and writes: compute it all, then decide what to write."""

    before: CertdataFile
    store: CertdataFile  # the edited file (before itself when nothing changed)
    text: str  # dump(store): the bytes to write, as text
    changed: bool
    specs: tuple[Spec, ...]
    warnings: tuple[str, ...]  # from the edit: `SPEC:LINE: path: message`
    new_findings: tuple[Finding, ...]  # lint warnings the change introduced (never errors)
    # Why the result must not be written: the change would add a lint error. None: safe to write.
    refusal: CertdataError | None = None
    nssckbi: NssckbiBump | None = None
    # Changes found already made, which the report names (`SPEC:LINE: path: message`).
    notes: tuple[str, ...] = ()

    @property
    def diff(self) -> Diff:
        """What changed, root by root (computed on demand: `--check` without a report needs none)."""
        from ..diff import compare

        return compare(self.before, self.store)

    @property
    def title(self) -> str | None:
        """The specs' titles, joined, for the report."""
        return "; ".join(spec.title for spec in self.specs if spec.title) or None

    @property
    def bug(self) -> str | None:
        """The specs' bugs, each once, for the report."""
        return ", ".join(dict.fromkeys(str(spec.bug) for spec in self.specs if spec.bug is not None)) or None

    def __repr__(self) -> str:
        refused = "" if self.refusal is None else f", refusal={self.refusal.message!r}"
        return (f"ApplyOutcome(source={self.store.source!r}, changed={self.changed}, "
                f"specs={len(self.specs)}, new_findings={len(self.new_findings)}{refused})")

    def raise_if_refused(self) -> None:
        if self.refusal is not None:
            raise self.refusal


def apply_checked(store: CertdataFile, specs: Spec | Sequence[Spec], *, at: datetime | None = None,
                  nssckbi: str | None = None, nssckbi_version: str | None = None,
                  nssckbi_source: str = "nssckbi.h") -> ApplyOutcome:
    """Apply `specs` to `store` and lint the result against the input.

    `at` is the moment added certificates' validity is checked at (warnings only); None checks
    everything but the clock. `nssckbi` is the text of NSS's nssckbi.h, to bump along when the
    certdata changes (`nssckbi_version`: the version to write instead of the next even one).
    A change that would add a lint error is not raised but returned as `refusal`: nothing of the
    outcome should be written then (`raise_if_refused` raises it).
    """
    chosen = (specs,) if isinstance(specs, Spec) else tuple(specs)
    new_store, warnings, notes = editor.apply_with_notes(store, chosen, at=at)
    text = dump(new_store)
    changed = text != dump(store)
    fresh: tuple[Finding, ...] = ()
    refusal = None
    if changed:
        fresh, refusal = _lint_guard(store, new_store, at)
    bump = None
    if nssckbi is not None and refusal is None:
        from ..syntax.nssckbi import bump as bump_version

        bumped, old_version, new_version = bump_version(nssckbi, nssckbi_version, source=nssckbi_source)
        bump = (NssckbiBump(bumped, old_version, new_version, nssckbi_source) if changed
                else NssckbiBump(nssckbi, old_version, old_version, nssckbi_source))
    return ApplyOutcome(store, new_store, text, changed, chosen, warnings, fresh, refusal, bump, notes)


def _lint_guard(old: CertdataFile, new: CertdataFile,
                at: datetime | None) -> tuple[tuple[Finding, ...], CertdataError | None]:
    """The new warnings, and the refusal when the edit adds a lint error."""
    from ..linting import Level, lint_change

    fresh = lint_change(old, new, at=at or _LINT_MOMENT_WITHOUT_AT)
    errors = [finding for finding in fresh if finding.level is Level.ERROR]
    warnings = tuple(finding for finding in fresh if finding.level is Level.WARNING)
    if not errors:
        return warnings, None
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return warnings, CertdataError(f"the change would add lint error {first.code}{more}: {first.message}",
                                   source=new.source, line=first.line,
                                   hint="nothing was written; run certdata-tool lint on the result to "
                                   "see why")


__all__ = ["ApplyOutcome", "NssckbiBump", "apply_checked"]
