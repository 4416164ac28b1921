"""`certdata-tool lint`: findings for the mistakes that reach real root stores."""

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import ExitCode
from ..app import app, emit, load_certdata, parse_at, use_colour

if TYPE_CHECKING:
    pass


class LintFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("lint")
def lint_command(
    certdata: Annotated[str, typer.Argument(
        metavar="CERTDATA", help="certdata.txt to check; - for standard input.")],
    output_format: Annotated[LintFormat, typer.Option(
        "--format", "-f", help="Output format.")] = LintFormat.TEXT,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="DATE",
        help="Judge expiry and distrust-after dates at this moment (2025-01-01 or "
             "2025-01-01T12:00:00Z); default: now.")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", metavar="CODE,...",
        help="Only these rules: codes (CD203), prefixes (CD2) or names (repeatable).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", metavar="CODE,...", help="Leave out these rules (same forms as --select).")] = None,
) -> None:
    """Check a certdata.txt for what NSS would read differently and what misleads reviewers.
    Exits 1 when there is an error-level finding."""
    from datetime import UTC, datetime

    from ... import linting
    from ...render import lint as render

    def codes(values: list[str] | None) -> list[str]:
        return [code for value in values or [] for code in value.split(",") if code.strip()]

    chosen = linting.choose_rules(codes(select), codes(ignore))
    moment = datetime.now(UTC) if at is None else parse_at(at)
    store = load_certdata(certdata)
    findings = linting.filter_findings(linting.lint(store, at=moment), chosen)
    if output_format is LintFormat.JSON:
        emit(render.render_json(findings))
    else:
        emit(render.render_text(findings, store.source, colour=use_colour(sys.stdout)))
    print(render.summary(findings, store.source), file=sys.stderr)
    if any(finding.level is linting.Level.ERROR for finding in findings):
        raise typer.Exit(ExitCode.DIFFERENCES)
