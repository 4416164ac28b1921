"""The command-line interface: parse options, call the library, render, write. Nothing else."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .errors import CertdataError, ExitCode
from .fileio import display_name, read_bytes, write_bytes
from .nssfile import CertdataFile


class _Group(TyperGroup):
    """The one place where a user error becomes a one-line message and exit code 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CertdataError as error:
            error_line(f"{error}")
            if error.hint:
                print(f"hint: {error.hint}", file=sys.stderr)
            raise typer.Exit(ExitCode.TROUBLE) from None


app = typer.Typer(
    cls=_Group,
    name="certdata-tool",
    help="Read, change, diff, lint and export Mozilla NSS's certdata.txt root store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root_command() -> None:
    """Read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""


def error_line(message: str) -> None:
    print(f"certdata-tool: error: {message}", file=sys.stderr)


def warning_line(message: str) -> None:
    print(f"certdata-tool: warning: {message}", file=sys.stderr)


def use_colour(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def load_certdata(path: str) -> CertdataFile:
    """Read and parse a certdata file named on the command line (`-` for standard input)."""
    from .nssfile import parse

    return parse(read_bytes(path), source=display_name(path))


def warn_about_roots(store: CertdataFile) -> None:
    """Every command that reads roots says on stderr what a reader must not miss."""
    from .model import read_roots

    root_set = read_roots(store)
    for root in root_set.roots:
        for problem in root.problems:
            warning_line(f"{store.source}:{root.line}: {root.label}: {problem}")
    for entry in root_set.distrust_entries:
        for problem in entry.problems:
            warning_line(f"{store.source}:{entry.line}: {entry.label}: {problem}")


def emit(text: str) -> None:
    """Write data to standard output as UTF-8 bytes, whatever the locale says."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


@app.command()
def show(
    certdata: Annotated[str, typer.Argument(help="certdata.txt to read; - for standard input.")],
    output_format: Annotated[ShowFormat, typer.Option(
        "--format", "-f", help="Output format.")] = ShowFormat.TABLE,
    root: Annotated[list[str] | None, typer.Option(
        "--root", "-r", metavar="SELECTOR",
        help="Only roots matching label=NAME, sha256=HEX or sha1=HEX (repeatable).")] = None,
) -> None:
    """List the roots of a certdata.txt with their trust and distrust-after dates."""
    from .model import Root, RootSet, parse_selector, read_roots
    from .render import show as render

    store = load_certdata(certdata)
    root_set = read_roots(store)
    if root:
        chosen: list[Root] = []
        for text in root:
            selector = parse_selector(text)
            matches = [r for r in root_set.roots if selector.matches(r)]
            if not matches:
                raise CertdataError(f"--root {text}: no root matches")
            chosen.extend(r for r in matches if r not in chosen)
        root_set = RootSet(tuple(r for r in root_set.roots if r in chosen), ())
    warn_about_roots(store)
    renderers = {
        ShowFormat.TABLE: render.render_table,
        ShowFormat.JSON: render.render_json,
        ShowFormat.MARKDOWN: render.render_markdown,
    }
    emit(renderers[output_format](root_set))


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main", "write_bytes"]
