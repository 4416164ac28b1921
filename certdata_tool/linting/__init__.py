"""lint: find what NSS would read differently from what a certdata.txt says, and what misleads reviewers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from ..errors import CertdataError
from ..model.roots import CERTIFICATE, TRUST, read_roots
from ..model.vocabulary import object_class
from ..syntax.nssfile import CertdataFile, dump, parse
from . import attributes, comments, layout, roots
from .context import LintContext
from .findings import RULES, RULES_BY_CODE, Finding, Level, Rule

__all__ = ["RULES", "Finding", "Level", "Rule", "choose_rules", "filter_findings", "lint", "lint_change",
           "new_findings"]

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


def lint_change(before: CertdataFile, after: CertdataFile, *, at: datetime) -> tuple[Finding, ...]:
    """The findings `after` has that `before` did not: what an edit of `before` introduced.

    An edit replaces few objects and shares the others, so both files are first linted on the
    roots it touched only (with the header, the trailer and the objects that are not roots). Only
    when that finds something new are both whole files linted, which gives the exact findings and
    their line numbers; the quick pass can only err towards that full check, never past it.
    """
    quick_before = _touched_roots(before, _not_in(before, after))
    quick_after = _touched_roots(after, _not_in(after, before))
    if not new_findings(lint(quick_before, at=at), lint(quick_after, at=at)):
        return ()
    return new_findings(lint(before, at=at), lint(after, at=at))


def _not_in(store: CertdataFile, other: CertdataFile) -> set[int]:
    """Indexes of the objects of `store` that `other` does not share (an edit shares what it keeps)."""
    shared = {id(obj) for obj in other.objects}
    return {index for index, obj in enumerate(store.objects) if id(obj) not in shared}


def _touched_roots(store: CertdataFile, touched: set[int]) -> CertdataFile:
    """`store` cut down to the roots (both objects) that own a touched object, and every non-root object."""
    keep = set(touched)
    root_set = read_roots(store)
    for root in root_set.roots:
        pair = {root.certificate_index} | ({root.trust_index} if root.trust_index is not None else set())
        if pair & touched:
            keep |= pair
    keep |= {i for i, obj in enumerate(store.objects) if object_class(obj) not in (CERTIFICATE, TRUST)}
    return store._replace(objects=tuple(obj for i, obj in enumerate(store.objects) if i in keep))


def _edited(store: CertdataFile) -> bool:
    return any(obj.line == 0 or any(entry.line == 0 for entry in obj.entries) for obj in store.objects)


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


_NUMBER = re.compile(r"\d+")


def _identity(finding: Finding) -> tuple[str, str | None, str]:
    """What makes a finding the same one after an edit: code, root, and the message without its
    numbers (line numbers move, and counts such as "CRLF line endings (711 lines)" grow)."""
    return finding.code, finding.sha256 or finding.label, _NUMBER.sub("#", finding.message)


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
