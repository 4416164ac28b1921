"""`lint` output: one `FILE:LINE: level CODE message` line per finding, or JSON (certdata-tool/lint/1)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from ..linting import Finding, Level
from .common import printable, to_json

SCHEMA = "certdata-tool/lint/1"

_COLOURS = {Level.ERROR: "\x1b[1;31m", Level.WARNING: "\x1b[33m", Level.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"


def _one_line(text: str) -> str:
    """Control characters (from a broken label, say) escaped so that each finding stays one line."""
    return printable(text)


def render_text(findings: Sequence[Finding], source: str, *, colour: bool = False) -> str:
    lines = []
    for finding in findings:
        level = finding.level.value
        if colour:
            level = f"{_COLOURS[finding.level]}{level}{_RESET}"
        about = f"{json.dumps(finding.label, ensure_ascii=False)}: " if finding.label else ""
        message = _one_line(about + finding.message)
        lines.append(f"{source}:{finding.line}: {level} {finding.code} {message}\n")
    return "".join(lines)


def render_json(findings: Sequence[Finding]) -> str:
    return to_json({
        "schema": SCHEMA,
        "findings": [
            {
                "code": finding.code,
                "level": finding.level.value,
                "line": finding.line,
                "message": finding.message,
                "label": finding.label,
            }
            for finding in findings
        ],
    })


def summary(findings: Sequence[Finding], source: str) -> str:
    """The closing line for standard error: `FILE: 3 findings (1 error, 2 warnings, 0 info)`."""
    if not findings:
        return f"{source}: no findings"
    counts = Counter(finding.level for finding in findings)
    errors, warnings = counts[Level.ERROR], counts[Level.WARNING]
    return (f"{source}: {len(findings)} finding{'s' * (len(findings) != 1)} "
            f"({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
            f"{counts[Level.INFO]} info)")
