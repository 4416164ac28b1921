"""The command-line interface: parse options, call the library, render, write. Nothing else."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from .errors import CertdataError, ExitCode
from .fileio import display_name, read_bytes, write_bytes

if TYPE_CHECKING:
    from .model import RootSet
    from .nssfile import CertdataFile


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
        try:
            return super().invoke(ctx)
        except CertdataError as error:
            error_line(f"{error}")
            if error.hint:
                print(f"hint: {error.hint}", file=sys.stderr)
            raise typer.Exit(ExitCode.TROUBLE) from None
        except _UsageError as error:
            _usage_error(error)


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
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich formatting costs ~90 ms of imports on every --help.
    rich_markup_mode=None,
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


def warn_about_roots(store: CertdataFile, root_set: RootSet | None = None) -> None:
    """Every command that reads roots says on stderr what a reader must not miss (about `root_set`,
    by default every root of the file)."""
    from .model import read_roots

    root_set = read_roots(store) if root_set is None else root_set
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
    certdata: Annotated[str, typer.Argument(
        metavar="CERTDATA", help="certdata.txt to read; - for standard input.")],
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
    warn_about_roots(store, root_set)
    renderers = {
        ShowFormat.TABLE: render.render_table,
        ShowFormat.JSON: render.render_json,
        ShowFormat.MARKDOWN: render.render_markdown,
    }
    emit(renderers[output_format](root_set))


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
    from .diff import compare

    if old == "-" and new == "-":
        raise CertdataError("OLD and NEW cannot both be - (standard input can be read only once)")
    old_store = load_certdata(old)
    new_store = load_certdata(new)
    warn_about_roots(old_store)
    warn_about_roots(new_store)
    result = compare(old_store, new_store)
    if output_format is DiffFormat.TEXT:
        from .render.diff_text import render_text

        text = render_text(result, colour=use_colour(sys.stdout))
    elif output_format is DiffFormat.MARKDOWN:
        from .render.diff_markdown import render_markdown

        text = render_markdown(result)
    elif output_format is DiffFormat.JSON:
        from .render.diff_json import render_json

        text = render_json(result)
    elif output_format is DiffFormat.UNIFIED:
        from .render.unified import render_unified

        text = render_unified(result, old_store, new_store)
    else:
        from .render.spec import render_spec

        text = render_spec(result, old_store, new_store)
    emit(text)
    if result.has_differences:
        raise typer.Exit(ExitCode.DIFFERENCES)


class ExportFormatOption(StrEnum):
    PEM = "pem"
    OPENSSL = "openssl"
    P11_KIT = "p11-kit"
    DIRECTORY = "directory"
    JAVA = "java"


class PurposeOption(StrEnum):
    SERVER = "server"
    EMAIL = "email"
    CODE_SIGNING = "code-signing"


class DistrustAfterOption(StrEnum):
    KEEP = "keep"
    DROP = "drop"
    GRACE = "grace"


@app.command("export")
def export_command(
    certdata: Annotated[str, typer.Argument(
        metavar="CERTDATA", help="certdata.txt to read; - for standard input.")],
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="OUT",
        help="File (folder for directory) to write; - for standard output.")],
    output_format: Annotated[ExportFormatOption, typer.Option(
        "--format", "-f", help="Output format.")] = ExportFormatOption.PEM,
    purpose: Annotated[list[PurposeOption] | None, typer.Option(
        "--purpose", "-p",
        help="Keep roots trusted (trusted_delegator) for this purpose (repeatable; default server).")] = None,
    distrust_after: Annotated[DistrustAfterOption, typer.Option(
        "--distrust-after",
        help="Roots with a distrust-after date: keep, drop, or grace (kept until --at is more than "
             "398 days past the date).")] = DistrustAfterOption.KEEP,
    drop_expired: Annotated[bool, typer.Option(
        "--drop-expired", help="Leave out roots expired at --at (needs --at).")] = False,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="DATE",
        help="Judge dates at this moment (2025-01-01 or 2025-01-01T12:00:00Z); never the clock.")] = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Print every root with kept/dropped and why, to standard error.")] = False,
) -> None:
    """Export the trusted roots as a PEM bundle, OpenSSL trusted certificates, p11-kit source, an
    OpenSSL hashed folder or a Java PKCS#12 truststore."""
    import hashlib

    from . import export as exporting
    from .model import read_roots
    from .nssfile import parse

    fmt = exporting.ExportFormat(output_format.value)
    policy = exporting.make_policy(
        purposes=[exporting.Purpose(p.value) for p in (purpose or [PurposeOption.SERVER])],
        distrust_after=exporting.DistrustAfterPolicy(distrust_after.value),
        drop_expired=drop_expired,
        at=None if at is None else exporting.parse_at(at),
    )
    if fmt.is_directory and output == "-":
        raise CertdataError("--format directory writes a folder; give -o FOLDER, not -o -")
    if output == "-" and fmt.value == "java" and sys.stdout.isatty():
        raise CertdataError("--format java writes a binary PKCS#12 file, not for a terminal; give -o FILE "
                            "or redirect standard output")
    data = read_bytes(certdata)
    store = parse(data, source=display_name(certdata))
    root_set = read_roots(store)
    selection = exporting.select_roots(root_set, policy)
    if any(r.problems for r in root_set.roots) or any(e.problems for e in root_set.distrust_entries):
        warn_about_roots(store)  # reads the roots again, so only when there is something to say
    provenance = exporting.Provenance(hashlib.sha256(data).hexdigest().upper(), fmt, policy)
    if explain:
        sys.stderr.write(exporting.explain(selection, fmt))
    if not selection.kept:
        warning_line(f"{store.source}: no root is trusted for "
                     f"{', '.join(p.value for p in policy.purposes)} under this policy")
    if fmt.is_directory:
        from .fileio import write_directory

        folder = exporting.render_directory(selection, provenance)
        write_directory(output, folder.files, folder.links, folder.manifest,
                        replaceable_suffix=folder.replaceable_suffix)
    else:
        write_bytes(output, exporting.render(selection, provenance))


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

    from .engine import apply_with_warnings
    from .errors import SpecError
    from .fileio import STDIO
    from .nssfile import dump
    from .spec import load_spec

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
        from .nssckbi import bump

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

    # Everything is computed; only now is anything written. nssckbi.h is written second, so make
    # sure it can be before the certdata changes.
    if header_update is not None and changed and nssckbi is not None and not os.access(nssckbi, os.W_OK):
        raise CertdataError("cannot write: permission denied", source=display_name(nssckbi))
    if in_place:
        if changed:
            write_bytes(certdata, new_text.encode("utf-8"))
    else:
        write_bytes(output or STDIO, new_text.encode("utf-8"))
    if header_update is not None and changed and nssckbi is not None:
        write_bytes(nssckbi, header_update[0].encode("utf-8"))
    if report_format is not ReportFormat.NONE:
        if to_stdout:
            sys.stderr.flush()
            # UTF-8 whatever the locale says, as emit() does for standard output.
            sys.stderr.buffer.write(text.encode("utf-8"))
            sys.stderr.buffer.flush()
        else:
            emit(text)


def _parse_at(text: str) -> Any:
    from .lint import parse_at

    return parse_at(text)


# Lint rules that look at dates only report (info); a fixed moment keeps apply clock-free.
_LINT_MOMENT_WITHOUT_AT = "2000-01-01T00:00:00Z"


def _refuse_new_lint_errors(old: CertdataFile, new: CertdataFile, at: Any) -> None:
    """The tool never writes a file worse than it read: new lint errors refuse, new warnings print."""
    from .lint import Level, lint_change, parse_at

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
    from .diff import compare
    from .render.common import to_json

    titles = [spec.title for spec in specs if spec.title]
    bugs = list(dict.fromkeys(str(spec.bug) for spec in specs if spec.bug is not None))
    title = "; ".join(titles) or None
    bug = ", ".join(bugs) or None
    result = compare(old, new)
    if report is ReportFormat.JSON:
        from .render.diff_json import diff_document

        document = diff_document(result, title=title, bug=bug)
        if header is not None:
            document["nssckbi"] = {"path": header[0], "old": header[1], "new": header[2]}
        return to_json(document)
    if report is ReportFormat.MARKDOWN:
        from .render.diff_markdown import render_markdown

        text = render_markdown(result, title=title, bug=bug)
        if header is not None:
            text += f"\n**nssckbi.h** (`{header[0]}`): {_bump_words(header, '`')}\n"
        return text
    from .render.diff_text import render_text

    text = render_text(result, colour=colour, title=title, bug=bug)
    if header is not None:
        text += f"nssckbi.h ({header[0]}): {_bump_words(header, '')}\n"
    return text


def _bump_words(header: tuple[str, str, str], quote: str) -> str:
    _, old, new = header
    if old == new:
        return f"library version {quote}{old}{quote} unchanged (the certdata did not change)"
    return f"library version {quote}{old}{quote} → {quote}{new}{quote}"


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the change-spec format, for editors."""
    from .schema import render_schema

    emit(render_schema())


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

    from . import lint as linting
    from .render import lint as render

    def codes(values: list[str] | None) -> list[str]:
        return [code for value in values or [] for code in value.split(",") if code.strip()]

    chosen = linting.choose_rules(codes(select), codes(ignore))
    moment = datetime.now(UTC) if at is None else linting.parse_at(at)
    store = load_certdata(certdata)
    findings = linting.filter_findings(linting.lint(store, at=moment), chosen)
    if output_format is LintFormat.JSON:
        emit(render.render_json(findings))
    else:
        emit(render.render_text(findings, store.source, colour=use_colour(sys.stdout)))
    print(render.summary(findings, store.source), file=sys.stderr)
    if any(finding.level is linting.Level.ERROR for finding in findings):
        raise typer.Exit(ExitCode.DIFFERENCES)


spec_app = typer.Typer(
    name="spec",
    help="Write change specs to start from.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(spec_app, name="spec")


@spec_app.command("add")
def spec_add_command(
    root: Annotated[str, typer.Argument(
        metavar="ROOT", help="The new root's certificate, PEM or DER; - for standard input.")],
    label: Annotated[str | None, typer.Option(
        "--label", "-l",
        help="CKA_LABEL of the new root; default: the subject's CN (else OU, else O).")] = None,
    trust: Annotated[list[str] | None, typer.Option(
        "--trust", "-t", metavar="USAGE=VALUE",
        help="server_auth, email_protection or code_signing = trusted_delegator, not_trusted, ... "
             "(repeatable or comma-separated); the others are must_verify_trust.")] = None,
    distrust_after: Annotated[list[str] | None, typer.Option(
        "--distrust-after", metavar="PURPOSE=DATE",
        help="server or email = 2025-04-15T23:59:59Z (a date alone is 00:00:00 UTC), or null "
             "(repeatable).")] = None,
    title: Annotated[str | None, typer.Option(
        "--title", help="The spec's title; default: Add LABEL.")] = None,
    bug: Annotated[str | None, typer.Option("--bug", help="A Mozilla bug number or URL.")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Write the spec here (- for standard output, the default).")] = None,
    certificate_ref: Annotated[str | None, typer.Option(
        "--certificate-ref", metavar="PATH",
        help="The certificate: line as written; default: ROOT relative to OUT's folder with -o, else "
             "ROOT as given.")] = None,
    inline: Annotated[bool, typer.Option(
        "--inline", help="Put the certificate in the spec as PEM text (the default for ROOT -).")] = False,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="DATE",
        help="Check the certificate's validity at this moment (2025-01-01 or 2025-01-01T12:00:00Z); "
             "default: now. Only the warnings depend on it.")] = None,
) -> None:
    """Write a change spec that adds ROOT to a certdata.txt, for a maintainer to review and apply.

    Warnings about the certificate (not self-signed, not a CA, expired, algorithms NSS may refuse)
    go to standard error; they do not change the exit status.
    """
    from datetime import UTC, datetime
    from pathlib import Path

    from .certcheck import certificate_from_bytes, certificate_warnings
    from .fileio import STDIO
    from .model import DistrustPurpose, TrustField, TrustLevel
    from .spec import parse_moment
    from .spec_writer import add_spec_yaml

    if inline and certificate_ref is not None:
        raise CertdataError("--inline and --certificate-ref cannot be used together")
    if at is None:
        moment = datetime.now(UTC)
    else:
        try:
            moment = datetime.fromisoformat(at.strip())
        except ValueError:
            raise CertdataError(f"--at {at!r}: expected a date such as 2025-01-01 or a timestamp such "
                                "as 2025-01-01T12:00:00Z") from None
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    levels: dict[str, TrustLevel] = {}
    usages = [trust_field.value for trust_field in TrustField]
    for text in (part for value in trust or [] for part in value.split(",") if part.strip()):
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or key not in usages:
            raise CertdataError(f"--trust {text!r}: expected USAGE=VALUE with USAGE one of "
                                f"{', '.join(usages)}")
        try:
            levels[key] = TrustLevel.from_name(value)
        except ValueError as error:
            raise CertdataError(f"--trust {text!r}: {error}") from None
    dates: dict[str, datetime | None] | None = None
    purposes = [purpose.value for purpose in DistrustPurpose]
    for text in distrust_after or []:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or key not in purposes:
            raise CertdataError(f"--distrust-after {text!r}: expected server=DATE or email=DATE")
        dates = dates or {}
        try:
            dates[key] = None if value.strip().lower() in ("null", "none", "") else parse_moment(value)
        except ValueError as error:
            raise CertdataError(f"--distrust-after {text!r}: {error}") from None

    name = display_name(root)
    try:
        der = certificate_from_bytes(read_bytes(root), name)
    except ValueError as error:
        raise CertdataError(str(error)) from None
    if certificate_ref is None and not inline and root != STDIO:
        certificate_ref = root
        if output is not None and output != STDIO:
            # apply resolves the name against the spec's folder: make it relative to where the spec goes.
            try:
                relative = os.path.relpath(os.path.abspath(root), os.path.dirname(os.path.abspath(output)))
            except ValueError:  # another drive (Windows): only an absolute name reaches it
                relative = os.path.abspath(root)
            certificate_ref = Path(relative).as_posix()
    try:
        text = add_spec_yaml(der, certificate_ref=certificate_ref, label=label, trust=levels,
                             distrust_after=dates, title=title, bug=bug)
    except ValueError as error:
        raise CertdataError(str(error)) from None
    write_bytes(output or STDIO, text.encode("utf-8"))
    for problem in certificate_warnings(der, moment):
        warning_line(f"{name}: {problem}")


def main() -> None:
    """Console-script entry point."""
    import gc

    # One short run that makes many objects and no cycles: the collector would only cost time.
    gc.disable()
    app()


__all__ = ["app", "main", "write_bytes"]
