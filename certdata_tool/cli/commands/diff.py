"""`certdata-tool diff`: which roots changed between two files, and how."""

import sys
from typing import Annotated

import typer

from ...errors import CertdataError, ExitCode
from ...render.diff_view import DiffFormat
from ..app import app, emit, load_certdata, use_colour, warn_about_roots

__all__ = ["DiffFormat", "diff_command"]


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(
        metavar="OLD", help="The certdata.txt before; - for standard input.")],
    new: Annotated[str, typer.Argument(
        metavar="NEW", help="The certdata.txt after; - for standard input.")],
    output_format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text: per root, in reviewers' words; markdown: for a pull request; "
        "json: certdata-tool/diff/1; unified: diff -u with each hunk naming its roots; "
        "spec: a change spec that turns OLD into NEW.")] = DiffFormat.TEXT,
) -> None:
    """Show which roots changed between two certdata.txt files, and how.

    Exit status as diff(1): 0 no differences, 1 differences, 2 trouble.
    """
    from ...diff import compare
    from ...render.diff_view import render_diff

    if old == "-" and new == "-":
        raise CertdataError("OLD and NEW cannot both be - (standard input can be read only once)")
    old_store = load_certdata(old)
    new_store = load_certdata(new)
    said: set[tuple[str, str]] = set()  # a problem of both files is said once
    warn_about_roots(old_store, said=said)
    warn_about_roots(new_store, said=said)
    result = compare(old_store, new_store)
    text = render_diff(result, output_format, old_store, new_store, colour=use_colour(sys.stdout))
    emit(text)
    if result.has_differences:
        raise typer.Exit(ExitCode.DIFFERENCES)
