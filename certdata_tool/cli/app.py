"""The command-line interface: parse options, call the library, render, write. Nothing else."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from ..errors import CertdataError, ExitCode
from .files import display_name, forget_reads, read_bytes, write_stdout

if TYPE_CHECKING:
    from datetime import datetime

    from ..model.roots import RootSet
    from ..syntax.nssfile import CertdataFile


try:  # typer 0.27 and later carry their own copy of click
    from typer._click import exceptions as _click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as _click_exceptions  # type: ignore[no-redef,import-not-found,unused-ignore]

_UsageError = _click_exceptions.UsageError
# Raised for a bare `certdata-tool` or `certdata-tool spec`: its message is the help text itself.
_NoArgsIsHelp = getattr(_click_exceptions, "NoArgsIsHelpError", ())


class _Group(TyperGroup):
    """The one place where a user error becomes a one-line message and exit code 2."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _UsageError as error:
            _usage_error(error)

    def invoke(self, ctx: Any) -> Any:
        forget_reads()  # a new command: an earlier one's inputs are not this one's
        try:
            return super().invoke(ctx)
        except CertdataError as error:
            print_error(error)
            raise typer.Exit(ExitCode.TROUBLE) from None
        except _UsageError as error:
            _usage_error(error)


# The flag that sets each library argument an error may ask for (CertdataError.setting).
_FLAGS = {"nssckbi_version": "--nssckbi-version"}


def _usage_error(error: Any) -> NoReturn:
    """Bad options or arguments: one line, as for every other user error, and where to read more."""
    if isinstance(error, _NoArgsIsHelp):
        print(error.format_message(), file=sys.stderr)
        raise typer.Exit(ExitCode.TROUBLE)
    error_line(error.format_message().rstrip("."))
    command = error.ctx.command_path if error.ctx is not None else "certdata-tool"
    print(f"hint: {command} --help lists the arguments and options", file=sys.stderr)
    raise typer.Exit(ExitCode.TROUBLE)


app = typer.Typer(
    cls=_Group,
    name="certdata-tool",
    help="Read, change, diff, lint and export Mozilla NSS's certdata.txt root store.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion and --show-completion (README: "Shell completion")
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich formatting costs ~90 ms of imports on every --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        print(f"certdata-tool {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root_command(
    version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_print_version,
        help="Print certdata-tool's version and exit.")] = False,
) -> None:
    """Read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""


def print_error(error: CertdataError) -> None:
    """A user error as every command shows it: one line, then a hint line when there is one."""
    flag = _FLAGS.get(error.setting or "")
    error_line(f"{error}" if flag is None else f"{error} with {flag}")
    if error.hint:
        print(f"hint: {error.hint}", file=sys.stderr)


def error_line(message: str) -> None:
    print(f"certdata-tool: error: {_safe(message)}", file=sys.stderr)


def warning_line(message: str) -> None:
    print(f"certdata-tool: warning: {_safe(message)}", file=sys.stderr)


def _safe(message: str) -> str:
    """A message quotes data (labels, file names): it stays one line a terminal cannot be made to
    rewrite (render.common.printable)."""
    from ..render.common import printable

    return printable(message)


def use_colour(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def load_certdata(path: str) -> CertdataFile:
    """Read and parse a certdata file named on the command line (`-` for standard input)."""
    from ..syntax.nssfile import parse
    from ..syntax.sniff import TextKind
    from .hints import hint_if_mistaken

    data, name = read_bytes(path), display_name(path)
    with hint_if_mistaken(TextKind.CERTDATA, name, data):  # a spec or a PEM given as the certdata
        store = parse(data, source=name)
    warn_about_encoding(store)
    return store


def warn_about_encoding(store: CertdataFile) -> None:
    """Once per file: bytes that are not UTF-8 (an old file's Latin-1 label) were read as Latin-1
    for display and are written back as they were."""
    lines = store.undecodable
    if lines:
        more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
        warning_line(f"{store.source}:{lines[0]}: not valid UTF-8{more}: read as Latin-1 for display, "
                     "kept byte for byte")


def warn_about_roots(store: CertdataFile, root_set: RootSet | None = None, *,
                     said: set[tuple[str, str]] | None = None) -> None:
    """Every command that reads roots says on stderr what a reader must not miss (about `root_set`,
    by default every root of the file). `said` collects what was said, so that a command reading
    two files (diff) says a problem both have once."""
    import re

    from ..model.roots import read_roots

    root_set = read_roots(store) if root_set is None else root_set
    said = set() if said is None else said
    for identity, line, label, problems in (
            *((root.sha256, root.line, root.label, root.problems) for root in root_set.roots),
            *((f"entry {entry.line}", entry.line, entry.label, entry.problems)
              for entry in root_set.distrust_entries)):
        for problem in problems:
            key = (identity, re.sub(r" \(line \d+\)", "", problem))
            if key in said:
                continue
            said.add(key)
            warning_line(f"{store.source}:{line}: {label}: {problem}")


def parse_at(text: str, option: str = "--at") -> datetime:
    """A date given on the command line: one grammar for every command (moments.parse_moment); the
    message names the option."""
    from ..moments import iso_for_words, parse_moment

    try:
        return parse_moment(text)
    except ValueError as error:
        suggestions = iso_for_words(text)  # `--at "June 30, 2024"`: say what to write instead
        hint = f"write {option} {suggestions[0]}" if suggestions else None
        raise CertdataError(f"{option} {text!r}: {error}", hint=hint) from None


def emit(text: str, stream: Any = None) -> None:
    """Write data to standard output (or `stream`) as UTF-8 bytes, whatever the locale says (bytes a
    certdata file held that are not UTF-8 go out as they came in)."""
    if not text:
        return
    data = text.encode("utf-8", "surrogateescape")
    if stream is None or stream is sys.stdout:
        write_stdout(data)
        return
    stream.flush()  # what was printed before comes first
    stream.buffer.write(data)
    stream.buffer.flush()
