"""`ccadb` output: where certdata.txt and CCADB's report disagree, as text, Markdown (bug comment), JSON."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..ccadb.reconcile import Finding, FindingKind, Reconciliation, certdata_trust_bits
from ..ccadb.report import PURPOSE_WORDS, TrustBit
from .common import markdown_cell, printable, to_json

__all__ = ["SCHEMA", "render_json", "render_markdown", "render_text"]

SCHEMA = "certdata-tool/ccadb/1"

_BUG = re.compile(r"https://bugzilla\.mozilla\.org/show_bug\.cgi\?id=(\d+)")
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+")


def _quoted(text: str) -> str:
    return f'"{printable(text)}"'


def _value_json(value: object) -> Any:
    if isinstance(value, tuple):
        return [bit.value for bit in value if isinstance(bit, TrustBit)]
    if isinstance(value, date):
        return value.isoformat()
    return None


def render_json(reconciliation: Reconciliation) -> str:
    return to_json({
        "schema": SCHEMA,
        "certdata": {"roots": len(reconciliation.certdata_roots)},
        "ccadb": {"roots": len(reconciliation.ccadb_roots)},
        "findings": [
            {
                "kind": finding.kind.value,
                "sha256": finding.sha256,
                "label": finding.label,
                "purpose": None if finding.purpose is None else finding.purpose.value,
                "certdata": _value_json(finding.certdata),
                "ccadb": _value_json(finding.ccadb),
            }
            for finding in reconciliation.findings
        ],
    })


def _words(value: object, kind: FindingKind) -> str:
    """One side's value as a reviewer reads it."""
    if isinstance(value, tuple):
        return ", ".join(bit.value for bit in value if isinstance(bit, TrustBit)) or "nothing"
    if isinstance(value, date):
        return value.isoformat()
    return "none" if kind is FindingKind.DISTRUST_AFTER else "not there"


def _summary(reconciliation: Reconciliation) -> str:
    roots = reconciliation.certdata_roots
    trusted = sum(1 for root in roots if certdata_trust_bits(root))
    return (f"{printable(reconciliation.certdata_source)}: {len(roots)} root{'s' * (len(roots) != 1)} "
            f"({trusted} trusted for websites or email); {printable(reconciliation.report_source)}: "
            f"{len(reconciliation.ccadb_roots)} roots included by Mozilla")


def _verdict(reconciliation: Reconciliation) -> str:
    count = len(reconciliation.findings)
    if not count:
        return "certdata.txt agrees with CCADB: same roots, trust bits and distrust-after dates"
    return f"certdata.txt and CCADB differ: {count} finding{'s' * (count != 1)}"


def _facts(finding: Finding) -> str:
    """What each side says, in one line."""
    if finding.kind is FindingKind.MISSING:
        return f"in CCADB, trusted for {_words(finding.ccadb, finding.kind)}; not in certdata.txt"
    if finding.kind is FindingKind.EXTRA:
        return f"in certdata.txt, trusted for {_words(finding.certdata, finding.kind)}; not in CCADB"
    about = "trust bits" if finding.purpose is None else PURPOSE_WORDS[finding.purpose]
    return (f"{about}: certdata.txt {_words(finding.certdata, finding.kind)}; "
            f"CCADB {_words(finding.ccadb, finding.kind)}")


def render_text(reconciliation: Reconciliation) -> str:
    lines = [_summary(reconciliation), _verdict(reconciliation)]
    for finding in reconciliation.findings:
        lines += ["", f"{finding.kind.value}: {_quoted(finding.label)} (SHA-256 {finding.sha256})",
                  f"  {_facts(finding)}"]
        row = finding.row
        if row is not None:
            lines.append(f"  CCADB owner: {printable(row.owner or '(none given)')}; "
                         f"approval bug: {printable(row.approval_bug or '(none given)')}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Data safe in a Markdown table cell: no control characters, no markup, no HTML."""
    escaped = markdown_cell(printable(text)).replace("<", "&lt;").replace(">", "&gt;")
    for character in "*_`[]":
        escaped = escaped.replace(character, "\\" + character)
    return escaped


def _bug_cell(bug: str | None) -> str:
    if not bug:
        return ""
    match = _BUG.fullmatch(bug)
    if match is not None:
        return f"[Bug {match.group(1)}]({bug})"
    if _PLAIN_URL.fullmatch(bug) and ")" not in bug:
        return f"<{bug}>"
    return _cell(bug)


def render_markdown(reconciliation: Reconciliation) -> str:
    out = [f"**{_cell(_verdict(reconciliation))}** ({_cell(_summary(reconciliation))})"]
    if reconciliation.findings:
        out += ["", "| Finding | Root | SHA-256 | certdata.txt | CCADB | CCADB owner | Approval bug |",
                "|---|---|---|---|---|---|---|"]
        for finding in reconciliation.findings:
            kind = finding.kind.value.replace("_", "\\_")
            if finding.purpose is not None:
                kind += f" ({PURPOSE_WORDS[finding.purpose]})"
            row = finding.row
            owner, bug = ("", None) if row is None else (row.owner or "", row.approval_bug)
            out.append(f"| {kind} | {_cell(finding.label)} | `{finding.sha256}` "
                       f"| {_words(finding.certdata, finding.kind)} | {_words(finding.ccadb, finding.kind)} "
                       f"| {_cell(owner)} | {_bug_cell(bug)} |")
    return "\n".join(out) + "\n"
