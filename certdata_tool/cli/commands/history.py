"""`certdata-tool history`: release notes for every commit (or release) that changed certdata.txt."""

import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ..app import app, emit, warning_line
from .export import PurposeOption

if TYPE_CHECKING:
    from ...changelog.revisions import Revision


class HistoryFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


@app.command("history")
def history_command(
    git_dir: Annotated[str, typer.Argument(metavar="GIT_DIR", help="An NSS repository: a working tree or "
                                           "a bare repository.")],
    revision_range: Annotated[str, typer.Argument(metavar="REVISION_RANGE", help="What git log walks, "
                                                  "such as NSS_3_90_RTM..HEAD.")] = "HEAD",
    path: Annotated[str, typer.Option("--path", metavar="PATH", help="The file whose commits are walked "
                                      "(renames are not followed).")] = "lib/ckfw/builtins/certdata.txt",
    purpose: Annotated[list[PurposeOption] | None, typer.Option(
        "--purpose", "-p", help="The bundle of roots trusted for this purpose (repeatable; default "
        "server).")] = None,
    releases: Annotated[bool, typer.Option("--releases", help="One entry per NSS release tag "
                                           "(NSS_3_*_RTM) instead of per commit.")] = False,
    output_format: Annotated[HistoryFormat, typer.Option(
        "--format", "-f", help="text, markdown or json (certdata-tool/history/1).")] = HistoryFormat.TEXT,
) -> None:
    """Release notes of each commit that changed certdata.txt, newest first, with nssckbi.h's version."""
    from ...exporting.policy import Purpose
    from ...render import changelog as render
    from ..git import read_history

    purposes = [Purpose(p.value) for p in purpose or [PurposeOption.SERVER]]
    progress = _progress if sys.stderr.isatty() else None
    result = read_history(git_dir, revision_range, path, purposes, releases, progress)
    for warning in result.warnings:
        warning_line(warning)
    if not result.entries:
        warning_line(f"{git_dir}: no commit in {revision_range} changed {path} (check --path)")
    views = {HistoryFormat.TEXT: render.history_text, HistoryFormat.MARKDOWN: render.history_markdown,
             HistoryFormat.JSON: render.history_json}
    emit(views[output_format](result))


def _progress(revisions: "Iterator[Revision]", total: int) -> "Iterator[Revision]":
    """A progress bar on standard error (a terminal) while the revisions are read."""
    from rich.console import Console  # comes with typer; only a terminal pays for it
    from rich.progress import track

    yield from track(revisions, total=total, description="Reading history", transient=True,
                     console=Console(stderr=True))
