"""`certdata-tool lint`: findings for the mistakes that reach real root stores."""

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError, ExitCode
from ..app import app, emit, load_certdata, parse_at, use_colour

if TYPE_CHECKING:
    pass


class LintFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("lint")
def lint_command(
    certdata: Annotated[list[str], typer.Argument(
        metavar="CERTDATA...", help="certdata.txt files to check (one with --format json); - for standard "
        "input.")],
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

    _check_files(certdata, output_format)
    chosen = linting.choose_rules(codes(select), codes(ignore))
    moment = datetime.now(UTC) if at is None else parse_at(at)
    # Every file read and linted before anything is printed: a file that cannot be read prints nothing.
    results = [(store, linting.filter_findings(linting.lint(store, at=moment), chosen))
               for store in map(load_certdata, certdata)]
    for store, findings in results:
        if output_format is LintFormat.JSON:
            emit(render.render_json(findings))
        else:
            emit(render.render_text(findings, store.source, colour=use_colour(sys.stdout)))
        print(render.summary(findings, store.source), file=sys.stderr)
    if any(finding.level is linting.Level.ERROR for _, findings in results for finding in findings):
        raise typer.Exit(ExitCode.DIFFERENCES)


def _check_files(certdata: list[str], output_format: LintFormat) -> None:
    """Several files (as a pre-commit hook passes them) print one line per finding, each naming its
    file; a JSON document holds the findings of one file."""
    if output_format is LintFormat.JSON and len(certdata) > 1:
        raise CertdataError("--format json lints one CERTDATA; give one file, or --format text for several")
    if certdata.count("-") > 1:
        raise CertdataError("standard input (-) can be read only once: give at most one - among CERTDATA")
