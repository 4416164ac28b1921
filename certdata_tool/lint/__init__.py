"""lint: find what NSS would read differently from what a certdata.txt says, and what misleads reviewers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from ..errors import CertdataError
from ..nssfile import CertdataFile, dump, parse
from . import attributes, comments, layout, roots
from .context import LintContext
from .findings import RULES, RULES_BY_CODE, Finding, Level, Rule

__all__ = ["RULES", "Finding", "Level", "Rule", "choose_rules", "filter_findings", "lint", "new_findings",
           "parse_at"]

_CHECKS = (layout.check, attributes.check, roots.check, comments.check)


def lint(store: CertdataFile, *, at: datetime) -> tuple[Finding, ...]:
    """Every finding of every rule, sorted by line then code. `at` (aware) is "now" for date rules."""
    if at.tzinfo is None:
        raise ValueError("lint needs an aware datetime for `at`")
    if _edited(store):
        # Objects and attributes an edit made carry line 0: number the text as it would be written.
        store = parse(dump(store), source=store.source)
    ctx = LintContext(store, at)
    findings = [finding for check in _CHECKS for finding in check(ctx)]
    return tuple(sorted(findings, key=lambda finding: (finding.line, finding.code)))


def _edited(store: CertdataFile) -> bool:
    return any(obj.line == 0 or any(entry.line == 0 for entry in obj.entries) for obj in store.objects)


def parse_at(text: str) -> datetime:
    """`--at`: a date (`2024-06-30`, midnight UTC) or an ISO 8601 timestamp (UTC unless it says otherwise)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CertdataError(f"--at {text!r}: expected a date such as 2024-06-30 or a timestamp such as "
                            "2024-06-30T00:00:00Z") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def choose_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> frozenset[str]:
    """The codes to report: those `select` names (all when empty) minus those `ignore` names.

    Each item is a code (`CD203`), a code prefix (`CD2` = all warnings) or a rule name
    (`distrust-after-incomplete`), any case; CertdataError for one that names no rule.
    """
    chosen = set(_codes(select)) if select else set(RULES_BY_CODE)
    return frozenset(chosen - set(_codes(ignore)))


def _codes(items: Iterable[str]) -> Iterable[str]:
    for item in items:
        key = item.strip()
        codes = [rule.code for rule in RULES
                 if rule.code.startswith(key.upper()) or rule.name == key.lower()] if key else []
        if not codes:
            raise CertdataError(f"unknown lint rule {item!r}: expected a code such as CD203, a prefix "
                                "such as CD2, or a rule name such as distrust-after-incomplete",
                                hint="docs/lint-rules.md lists every rule")
        yield from codes


def filter_findings(findings: Iterable[Finding], codes: frozenset[str]) -> tuple[Finding, ...]:
    return tuple(finding for finding in findings if finding.code in codes)


_LINE_NUMBER = re.compile(r"\bline \d+")


def _identity(finding: Finding) -> tuple[str, str | None, str]:
    """What makes a finding the same one after lines moved: code, root, message without line numbers."""
    return finding.code, finding.sha256 or finding.label, _LINE_NUMBER.sub("line ?", finding.message)


def new_findings(before: tuple[Finding, ...], after: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings of `after` that `before` did not have, matched regardless of line numbers.

    Counted as a multiset: a second identical finding where the input had one is new.
    """
    remaining = Counter(_identity(finding) for finding in before)
    fresh: list[Finding] = []
    for finding in after:
        key = _identity(finding)
        if remaining[key]:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return tuple(fresh)
