"""Where certdata.txt and CCADB's report disagree: roots missing or extra, trust bits, distrust dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from enum import Enum

from ..model.roots import DistrustPurpose, Root, TrustLevel, read_roots
from ..syntax.nssfile import CertdataFile
from .report import Report, ReportRoot, TrustBit, read_report

__all__ = ["Finding", "FindingKind", "Reconciliation", "certdata_trust_bits", "reconcile", "reconcile_report"]


class FindingKind(Enum):
    """The kinds of difference, in the order findings are listed."""

    MISSING = "missing"  # in CCADB, not in certdata.txt
    EXTRA = "extra"  # trusted for websites or email in certdata.txt, not in CCADB
    TRUST = "trust"  # the Websites/Email bits differ
    DISTRUST_AFTER = "distrust_after"  # the calendar date for one purpose differs


_KIND_ORDER = {kind: index for index, kind in enumerate(FindingKind)}
_PURPOSE_ORDER = {purpose: index for index, purpose in enumerate(DistrustPurpose)}

# A side's value: trust bits for missing, extra and trust; a date (or none) for distrust_after.
Value = tuple[TrustBit, ...] | date | None


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference between the two; `certdata` and `ccadb` hold each side's value (None: absent)."""

    kind: FindingKind
    sha256: str
    label: str  # certdata.txt's label; CCADB's name for a missing root
    purpose: DistrustPurpose | None  # set for distrust_after only
    certdata: Value
    ccadb: Value
    root: Root | None = field(default=None, repr=False)  # None for missing
    row: ReportRoot | None = field(default=None, repr=False)  # None for extra


@dataclass(frozen=True, slots=True)
class Reconciliation:
    certdata_source: str
    report_source: str
    certdata_roots: tuple[Root, ...] = field(repr=False)
    ccadb_roots: tuple[ReportRoot, ...] = field(repr=False)
    findings: tuple[Finding, ...]

    @property
    def agree(self) -> bool:
        return not self.findings


def certdata_trust_bits(root: Root) -> tuple[TrustBit, ...]:
    """The bits a root has in CCADB's words: Websites/Email where its usage is trusted_delegator."""
    return tuple(bit for bit in TrustBit if root.trust.level(bit.trust_field) is TrustLevel.TRUSTED_DELEGATOR)


def _certdata_date(root: Root, purpose: DistrustPurpose) -> date | None:
    moment = root.distrust_after.get(purpose)  # the certificate object's value, as NSS reads it
    return None if moment is None else moment.astimezone(UTC).date()


def reconcile(store: CertdataFile, report: Report) -> Reconciliation:
    """Compare a certdata file with a report, matching roots by SHA-256 (labels are not compared)."""
    roots = read_roots(store).roots
    by_sha256: dict[str, Root] = {}
    for root in roots:
        by_sha256.setdefault(root.sha256, root)  # a certificate written twice counts once
    in_report = {row.sha256: row for row in report.roots}
    findings: list[Finding] = []
    for row in report.roots:
        found = by_sha256.get(row.sha256)
        if found is None:
            findings.append(Finding(FindingKind.MISSING, row.sha256, row.name, None, None, row.trust_bits,
                                    row=row))
            continue
        bits = certdata_trust_bits(found)
        if bits != row.trust_bits:
            findings.append(Finding(FindingKind.TRUST, row.sha256, found.label, None, bits, row.trust_bits,
                                    root=found, row=row))
        for purpose in DistrustPurpose:
            ours, theirs = _certdata_date(found, purpose), row.distrust_after(purpose)
            if ours != theirs:
                findings.append(Finding(FindingKind.DISTRUST_AFTER, row.sha256, found.label, purpose, ours,
                                        theirs, root=found, row=row))
    for sha256, root in by_sha256.items():
        bits = certdata_trust_bits(root)
        # A root trusted for nothing is kept for its distrust: CCADB does not list it, and rightly.
        if sha256 not in in_report and bits:
            findings.append(Finding(FindingKind.EXTRA, sha256, root.label, None, bits, None, root=root))
    findings.sort(key=lambda finding: (_KIND_ORDER[finding.kind], finding.sha256,
                                       -1 if finding.purpose is None else _PURPOSE_ORDER[finding.purpose]))
    return Reconciliation(store.source, report.source, roots, report.roots, tuple(findings))


def reconcile_report(store: CertdataFile, report_data: bytes,
                     report_source: str = "<report>") -> Reconciliation:
    """Read CCADB's report (CSV bytes) and reconcile `store` with it; ReportError for a bad report."""
    return reconcile(store, read_report(report_data, report_source))
