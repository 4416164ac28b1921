"""`certdata-tool apply`: change specs applied as an NSS maintainer would edit the file."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError, ExitCode, ParseError
from ...render.apply_report import ReportFormat
from ..app import app, emit, load_certdata, parse_at, use_colour, warn_about_roots, warning_line
from ..files import display_name, read_bytes, write_bytes, write_files

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ...applying.checked import ApplyOutcome
    from ...spec.load import Spec
    from ...syntax.nssfile import CertdataFile


@app.command("apply")
def apply_command(
    certdata: Annotated[str, typer.Argument(
        metavar="CERTDATA", help="certdata.txt to change; - for standard input.")],
    specs: Annotated[list[str], typer.Argument(
        metavar="SPEC...", help="Change specs (YAML), applied in order as one; - for standard input.")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Write the new certdata here (- for standard output) instead of standard output.")] = None,
    in_place: Annotated[bool, typer.Option(
        "--in-place", help="Replace CERTDATA with the new certdata (only when it changes).")] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="Write nothing; exit 1 when the file would change, 0 when the specs are "
        "already applied.")] = False,
    report: Annotated[ReportFormat | None, typer.Option(
        "--report", help="What changed, on standard error when the certdata goes to standard output, "
        "else on standard output. Default text (none with --check).")] = None,
    nssckbi: Annotated[str | None, typer.Option(
        "--nssckbi", metavar="PATH", help="Also bump the library version in NSS's "
        "lib/ckfw/builtins/nssckbi.h (when the certdata changes).")] = None,
    nssckbi_version: Annotated[str | None, typer.Option(
        "--nssckbi-version", metavar="X.Y", help="The version --nssckbi writes, such as an odd one for "
        "a point release; default: the next even minor version.")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="DATE", help="Check added certificates' validity (warnings only) at this date or "
        "time; without it nothing depends on the clock.")] = None,
) -> None:
    """Apply change specs to a certdata.txt, exactly as an NSS maintainer would edit it.

    The result is linted: a change that would add an error-level finding is refused, and new
    warnings are printed. Exit status: 0 done (with --check: already applied), 1 with --check: the
    file would change, 2 trouble. On any error no file is created or changed.
    """
    from ...applying.checked import apply_checked
    from ...render.apply_report import new_finding_lines, render_report
    from ..files import STDIO

    _check_options(certdata, specs, output, in_place, check, nssckbi, nssckbi_version)
    store = _read_certdata(certdata, specs)
    loaded = _read_specs(specs)
    moment = None if at is None else parse_at(at)
    header_name = display_name(nssckbi) if nssckbi is not None else "nssckbi.h"
    header = None if nssckbi is None else _read_text(nssckbi)
    warn_about_roots(store)
    with _hint_if_not_nssckbi(nssckbi, header):  # a certdata.txt or a spec given as --nssckbi
        outcome = apply_checked(store, loaded, at=moment, nssckbi=header, nssckbi_version=nssckbi_version,
                                nssckbi_source=header_name)
    for line in (*outcome.warnings, *new_finding_lines(outcome)):
        warning_line(line)
    outcome.raise_if_refused()
    to_stdout = not check and not in_place and (output is None or output == STDIO)
    report_format = report or (ReportFormat.NONE if check else ReportFormat.TEXT)
    text = render_report(outcome, report_format, colour=use_colour(sys.stderr if to_stdout else sys.stdout))
    if check:
        emit(text)
        raise typer.Exit(ExitCode.DIFFERENCES if outcome.changed else ExitCode.OK)
    _write(outcome, certdata, output, in_place, nssckbi)
    emit(text, stream=sys.stderr if to_stdout else sys.stdout)


def _read_certdata(certdata: str, specs: list[str]) -> "CertdataFile":
    """CERTDATA parsed; when it does not parse because it is a spec and SPEC is a certdata.txt, the
    hint gives the command with the two the right way round."""
    from ..files import STDIO
    from ..hints import swapped

    try:
        return load_certdata(certdata)
    except ParseError as error:
        if STDIO not in (certdata, specs[0]):
            try:
                hint = swapped("apply", (display_name(certdata), read_bytes(certdata)),
                               (display_name(specs[0]), read_bytes(specs[0])))
            except CertdataError:  # SPEC cannot be read: the error about CERTDATA stands
                hint = None
            error.hint = hint or error.hint
        raise


def _read_specs(paths: list[str]) -> "list[Spec]":
    """Each spec read and loaded (cli/specs.py), in order."""
    from ..specs import read_spec

    return [read_spec(path) for path in paths]


def _check_options(certdata: str, specs: list[str], output: str | None, in_place: bool, check: bool,
                   nssckbi: str | None, nssckbi_version: str | None) -> None:
    from ..files import STDIO

    if output is not None and in_place:
        raise CertdataError("-o/--output and --in-place cannot be used together")
    if check and (output is not None or in_place):
        raise CertdataError("--check writes nothing: it cannot be used with -o/--output or --in-place")
    if in_place and certdata == STDIO:
        raise CertdataError("--in-place needs a file, not - (standard input)")
    if nssckbi_version is not None and nssckbi is None:
        raise CertdataError("--nssckbi-version needs --nssckbi PATH")
    if nssckbi == STDIO:
        raise CertdataError("--nssckbi needs the path of nssckbi.h, not - (it is changed in place)")
    if [certdata, *specs].count(STDIO) > 1:
        raise CertdataError("standard input (-) can be read only once: give at most one - among "
                            "CERTDATA and SPEC")


def _hint_if_not_nssckbi(path: str | None, text: str | None) -> "AbstractContextManager[None]":
    from contextlib import nullcontext

    if path is None or text is None:
        return nullcontext()
    from ...syntax.sniff import TextKind
    from ..hints import hint_if_mistaken

    return hint_if_mistaken(TextKind.NSSCKBI, display_name(path), text.encode("utf-8", "surrogateescape"))


def _read_text(path: str) -> str:
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise CertdataError("not valid UTF-8 text", source=display_name(path)) from None


def _write(outcome: "ApplyOutcome", certdata: str, output: str | None, in_place: bool,
           nssckbi: str | None) -> None:
    """Everything is computed; only now is anything written: every file of the change, or none
    (files.write_files; a failure on nssckbi.h puts certdata.txt back)."""
    from ..files import STDIO

    bump = outcome.nssckbi if outcome.changed else None
    new_bytes = outcome.text.encode("utf-8", "surrogateescape")  # bytes read as they were stay so
    target = certdata if in_place else output or STDIO
    outputs = [] if in_place and not outcome.changed else [(target, new_bytes)]
    if bump is not None and nssckbi is not None:
        outputs.append((nssckbi, bump.text.encode("utf-8")))
    files = [(path, data) for path, data in outputs if path != STDIO]
    write_files(files, in_place=[certdata, nssckbi or STDIO] if in_place else [nssckbi or STDIO])
    if len(files) < len(outputs):
        write_bytes(STDIO, new_bytes)
