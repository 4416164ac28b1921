"""`certdata-tool apply`: change specs applied as an NSS maintainer would edit the file."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ...errors import CertdataError, ExitCode
from ..app import app, emit, load_certdata, use_colour, warn_about_roots, warning_line
from ..files import display_name, read_bytes, write_bytes, write_files

if TYPE_CHECKING:
    from ...syntax.nssfile import CertdataFile


class ReportFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    NONE = "none"


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
    from pathlib import Path

    from ...applying.editor import apply_with_warnings
    from ...errors import SpecError
    from ...spec.load import load_spec
    from ...syntax.nssfile import dump
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
    store = load_certdata(certdata)
    loaded = []
    for path in specs:
        name = display_name(path)
        data = read_bytes(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SpecError(f"not valid UTF-8 (byte 0x{data[error.start:error.start + 1].hex()}); a "
                            "change spec is UTF-8 text", source=name,
                            line=data.count(b"\n", 0, error.start) + 1) from None
        loaded.append(load_spec(text, source=name, base_dir=None if path == STDIO else Path(path).parent))
    moment = None if at is None else _parse_at(at)
    warn_about_roots(store)
    new_store, warnings = apply_with_warnings(store, loaded, at=moment)
    for warning in warnings:
        warning_line(warning)
    old_text, new_text = dump(store), dump(new_store)
    changed = new_text != old_text
    if changed:
        _refuse_new_lint_errors(store, new_store, moment)

    header_update = None
    if nssckbi is not None:
        from ...syntax.nssckbi import bump

        header_name = display_name(nssckbi)
        header_bytes = read_bytes(nssckbi)
        try:
            header_text = header_bytes.decode("utf-8")
        except UnicodeDecodeError:
            raise CertdataError("not valid UTF-8 text", source=header_name) from None
        bumped, old_version, new_version = bump(header_text, nssckbi_version, source=header_name)
        # NSS bumps the version with every root change, and only then: a spec applied twice
        # must not bump it twice.
        header_update = (bumped, old_version, new_version if changed else old_version)

    to_stdout = not check and not in_place and (output is None or output == STDIO)
    report_format = report or (ReportFormat.NONE if check else ReportFormat.TEXT)
    text = ""
    if report_format is not ReportFormat.NONE:
        stream = sys.stderr if to_stdout else sys.stdout
        text = _apply_report(store, new_store, loaded, report_format, use_colour(stream),
                             None if header_update is None else (display_name(str(nssckbi)),
                                                                 header_update[1], header_update[2]))
    if check:
        if report_format is not ReportFormat.NONE:
            emit(text)
        raise typer.Exit(ExitCode.DIFFERENCES if changed else ExitCode.OK)

    # Everything is computed; only now is anything written, all of it or nothing.
    new_bytes = new_text.encode("utf-8", "surrogateescape")  # bytes read as they were stay so
    outputs = [] if in_place and not changed else [(certdata if in_place else output or STDIO, new_bytes)]
    if header_update is not None and changed and nssckbi is not None:
        outputs.append((nssckbi, header_update[0].encode("utf-8")))
    files = [(path, data) for path, data in outputs if path != STDIO]
    write_files(files, in_place=[certdata, nssckbi or STDIO] if in_place else [nssckbi or STDIO])
    if len(files) < len(outputs):
        write_bytes(STDIO, new_bytes)
    if report_format is not ReportFormat.NONE:
        if to_stdout:
            sys.stderr.flush()
            # UTF-8 whatever the locale says, as emit() does for standard output.
            sys.stderr.buffer.write(text.encode("utf-8"))
            sys.stderr.buffer.flush()
        else:
            emit(text)


def _parse_at(text: str) -> Any:
    from ...linting import parse_at

    return parse_at(text)


# Lint rules that look at dates only report (info); a fixed moment keeps apply clock-free.
_LINT_MOMENT_WITHOUT_AT = "2000-01-01T00:00:00Z"


def _refuse_new_lint_errors(old: CertdataFile, new: CertdataFile, at: Any) -> None:
    """The tool never writes a file worse than it read: new lint errors refuse, new warnings print."""
    from ...linting import Level, lint_change, parse_at

    fresh = lint_change(old, new, at=at or parse_at(_LINT_MOMENT_WITHOUT_AT))
    errors = [finding for finding in fresh if finding.level is Level.ERROR]
    for finding in fresh:
        if finding.level is Level.WARNING:
            about = f'"{finding.label}": ' if finding.label else ""
            warning_line(f"{new.source}:{finding.line}: {finding.code} {about}{finding.message} "
                         "(new with this change)")
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise CertdataError(f"the change would add lint error {first.code}{more}: {first.message}",
                            source=new.source, line=first.line,
                            hint="nothing was written; run certdata-tool lint on the result to see why")


def _apply_report(old: CertdataFile, new: CertdataFile, specs: list[Any], report: ReportFormat,
                  colour: bool, header: tuple[str, str, str] | None) -> str:
    """The diff view of what `apply` changed, with the specs' titles and bugs and any version bump."""
    from ...diff import compare
    from ...render.common import to_json

    titles = [spec.title for spec in specs if spec.title]
    bugs = list(dict.fromkeys(str(spec.bug) for spec in specs if spec.bug is not None))
    title = "; ".join(titles) or None
    bug = ", ".join(bugs) or None
    result = compare(old, new)
    if report is ReportFormat.JSON:
        from ...render.diff_json import diff_document

        document = diff_document(result, title=title, bug=bug)
        if header is not None:
            document["nssckbi"] = {"path": header[0], "old": header[1], "new": header[2]}
        return to_json(document)
    if report is ReportFormat.MARKDOWN:
        from ...render.diff_markdown import render_markdown

        text = render_markdown(result, title=title, bug=bug)
        if header is not None:
            text += f"\n**nssckbi.h** (`{header[0]}`): {_bump_words(header, '`')}\n"
        return text
    from ...render.diff_text import render_text

    text = render_text(result, colour=colour, title=title, bug=bug)
    if header is not None:
        text += f"nssckbi.h ({header[0]}): {_bump_words(header, '')}\n"
    return text


def _bump_words(header: tuple[str, str, str], quote: str) -> str:
    _, old, new = header
    if old == new:
        return f"library version {quote}{old}{quote} unchanged (the certdata did not change)"
    return f"library version {quote}{old}{quote} → {quote}{new}{quote}"
