"""`certdata-tool diff`: which roots changed between two files, and how."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError, ExitCode
from ..app import app, emit, load_certdata, use_colour, warn_about_roots

if TYPE_CHECKING:
    pass


class DiffFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    UNIFIED = "unified"
    SPEC = "spec"


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

    if old == "-" and new == "-":
        raise CertdataError("OLD and NEW cannot both be - (standard input can be read only once)")
    old_store = load_certdata(old)
    new_store = load_certdata(new)
    warn_about_roots(old_store)
    warn_about_roots(new_store)
    result = compare(old_store, new_store)
    if output_format is DiffFormat.TEXT:
        from ...render.diff_text import render_text

        text = render_text(result, colour=use_colour(sys.stdout))
    elif output_format is DiffFormat.MARKDOWN:
        from ...render.diff_markdown import render_markdown

        text = render_markdown(result)
    elif output_format is DiffFormat.JSON:
        from ...render.diff_json import render_json

        text = render_json(result)
    elif output_format is DiffFormat.UNIFIED:
        from ...render.unified import render_unified

        text = render_unified(result, old_store, new_store)
    else:
        from ...render.spec import render_spec

        text = render_spec(result, old_store, new_store)
    emit(text)
    if result.has_differences:
        raise typer.Exit(ExitCode.DIFFERENCES)
