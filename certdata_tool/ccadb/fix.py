"""The change spec that makes certdata.txt agree with CCADB's report: one commented change per root."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from ..errors import ReportError
from ..model.blocks import label_problem
from ..model.roots import DistrustPurpose, TrustField, TrustLevel
from ..model.selectors import Selector
from ..moments import last_second
from ..spec.load import AddChange, Change, ModifyChange
from ..spec.write import changes_yaml, suggest_label
from .reconcile import Finding, FindingKind, Reconciliation
from .report import PURPOSE_WORDS, ReportRoot, TrustBit

__all__ = ["fix_changes", "fix_spec", "nss_distrust_moment"]

_SPACES = re.compile(r"\s+")



def nss_distrust_moment(day: date | None) -> datetime | None:
    """CCADB's day as NSS has written it since late 2024: the last second of that day, UTC."""
    return None if day is None else last_second(day)


def _bits(bits: object) -> str:
    assert isinstance(bits, tuple)
    return ", ".join(bit.value for bit in bits) or "nothing"


def _day(value: object) -> str:
    assert value is None or isinstance(value, date)
    return "none" if value is None else value.isoformat()


def _owner_line(row: ReportRoot | None) -> str:
    if row is None:
        return "not in CCADB's report: no CCADB owner or approval bug"
    return f"CCADB owner: {row.owner or '(none given)'}; approval bug: {row.approval_bug or '(none given)'}"


def _new_label(row: ReportRoot, source: str) -> str:
    """CCADB's name, as a label certdata.txt can hold; else one from the certificate's subject."""
    label = _SPACES.sub(" ", row.name).strip()
    if label and label_problem(label) is None:
        return label
    try:
        return suggest_label(row.der)
    except ValueError:
        problem = label_problem(label) if label else "it is empty"
        raise ReportError(f"cannot write a change spec adding this root: its name {row.name!r} cannot be a "
                          f"label ({problem}), and its certificate has no subject name to take one from",
                          source=source, line=row.line) from None


def _addition(finding: Finding, labels: Counter[str], source: str) -> tuple[list[str], Change]:
    row = finding.row
    assert row is not None
    label = _new_label(row, source)
    comments = [f'missing: "{label}" is in CCADB (trusted for {_bits(row.trust_bits)}), not in certdata.txt',
                _owner_line(row)]
    if labels[label]:
        comments.append(f'note: certdata.txt already has a root labelled "{label}"; apply warns about it')
    labels[label] += 1
    change = AddChange(
        der=row.der,
        label=label,
        trust={field: TrustLevel.MUST_VERIFY_TRUST for field in TrustField}
        | {bit.trust_field: TrustLevel.TRUSTED_DELEGATOR for bit in row.trust_bits},
        distrust_after={purpose: nss_distrust_moment(row.distrust_after(purpose))
                        for purpose in DistrustPurpose},
    )
    return comments, change


def _modification(findings: Sequence[Finding], occurrences: Counter[str]) -> tuple[list[str], Change]:
    first = findings[0]
    comments: list[str] = []
    trust: dict[TrustField, TrustLevel] = {}
    dates: dict[DistrustPurpose, datetime | None] = {}
    for finding in findings:
        if finding.kind is FindingKind.TRUST:
            comments.append(f'trust: "{finding.label}" is trusted for {_bits(finding.certdata)} in '
                            f"certdata.txt, for {_bits(finding.ccadb)} in CCADB")
            assert isinstance(finding.certdata, tuple) and isinstance(finding.ccadb, tuple)
            for bit in TrustBit:
                if (bit in finding.ccadb) != (bit in finding.certdata):
                    # A bit CCADB lacks is taken away, not turned into an explicit distrust.
                    trust[bit.trust_field] = (TrustLevel.TRUSTED_DELEGATOR if bit in finding.ccadb
                                              else TrustLevel.MUST_VERIFY_TRUST)
        else:
            assert finding.purpose is not None
            comments.append(f'distrust_after: "{finding.label}": {PURPOSE_WORDS[finding.purpose]} is '
                            f"{_day(finding.certdata)} in certdata.txt, {_day(finding.ccadb)} in CCADB")
            assert finding.ccadb is None or isinstance(finding.ccadb, date)
            dates[finding.purpose] = nss_distrust_moment(finding.ccadb)
    comments.append(_owner_line(first.row))
    selector = Selector(sha256=first.sha256, count=occurrences[first.sha256])
    return comments, ModifyChange(selector=selector, trust=trust or None, distrust_after=dates or None)


def _removal(finding: Finding, occurrences: Counter[str]) -> tuple[list[str], Change]:
    comments = [f'extra: "{finding.label}" is trusted for {_bits(finding.certdata)} in certdata.txt, '
                "not in CCADB's report", _owner_line(None)]
    return comments, ModifyChange(selector=Selector(sha256=finding.sha256, count=occurrences[finding.sha256]),
                                  remove=True)


def fix_changes(reconciliation: Reconciliation) -> tuple[tuple[list[str], Change], ...]:
    """The changes (each with its comment lines) that make certdata.txt agree with the report.

    Removals first (a replaced root often passes its label on), then edits, then additions at the
    end of the file, each group by SHA-256. ReportError when a missing root cannot get a label.
    """
    occurrences = Counter(root.sha256 for root in reconciliation.certdata_roots)
    removed = {f.sha256 for f in reconciliation.findings if f.kind is FindingKind.EXTRA}
    labels = Counter(root.label for root in reconciliation.certdata_roots if root.sha256 not in removed)
    edits: defaultdict[str, list[Finding]] = defaultdict(list)
    removals, additions = [], []
    for finding in reconciliation.findings:
        if finding.kind is FindingKind.EXTRA:
            removals.append(_removal(finding, occurrences))
        elif finding.kind is FindingKind.MISSING:
            additions.append(_addition(finding, labels, reconciliation.report_source))
        else:
            edits[finding.sha256].append(finding)
    modifications = [_modification(found, occurrences) for _, found in sorted(edits.items())]
    return (*removals, *modifications, *additions)


def fix_spec(reconciliation: Reconciliation) -> str:
    """The version-1 spec text of fix_changes; empty when certdata.txt and the report agree."""
    changes = fix_changes(reconciliation)
    if not changes:
        return ""
    header = [
        "Change spec written by `certdata-tool ccadb --format spec`: applied to",
        f"{reconciliation.certdata_source}, it makes it agree with CCADB's report "
        f"{reconciliation.report_source}.",
        "Review every change against its approval bug before applying it.",
    ]
    return changes_yaml(changes, header=header, title="Reconcile certdata.txt with CCADB's included roots")
