"""`certdata-tool spec add`: a starting spec that adds a bug's roots."""

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError
from ..app import app, parse_at, warning_line
from ..files import STDIO, display_name, read_bytes, write_bytes

if TYPE_CHECKING:
    from datetime import datetime

    from ...model.roots import DistrustPurpose, TrustField, TrustLevel


spec_app = typer.Typer(
    name="spec",
    help="Write change specs to start from, and check specs on their own.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(spec_app, name="spec")


@spec_app.command("add")
def spec_add_command(
    certificates: Annotated[list[str], typer.Argument(
        metavar="CERT...",
        help="The new roots' certificates: PEM or DER files, PEM bundles (one add per certificate); "
             "- for standard input.")],
    label: Annotated[str | None, typer.Option(
        "--label", "-l",
        help="CKA_LABEL of the new root (one certificate only); default: each subject's CN (else OU, "
             "else O).")] = None,
    trust: Annotated[list[str] | None, typer.Option(
        "--trust", "-t", metavar="PURPOSES",
        help="What the roots are trusted for: server, email, code-signing, comma-separated or repeated "
             "(default server); USAGE=VALUE (code_signing=not_trusted) sets any other level. The "
             "usages left out are must_verify_trust.")] = None,
    distrust_after: Annotated[list[str] | None, typer.Option(
        "--distrust-after", metavar="PURPOSE=DATE",
        help="server or email = 2025-04-15T23:59:59Z (a date alone is 00:00:00 UTC), or null "
             "(repeatable).")] = None,
    title: Annotated[str | None, typer.Option(
        "--title", help="The spec's title; default: Add LABEL and LABEL.")] = None,
    bug: Annotated[str | None, typer.Option(
        "--bug", help="A Mozilla bug number or URL; without it the spec has a bug: line to fill in.")] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Write the spec here (- for standard output, the default).")] = None,
    certificate_ref: Annotated[str | None, typer.Option(
        "--certificate-ref", metavar="PATH",
        help="The certificate: line as written (one CERT only); default: CERT relative to OUT's folder "
             "with -o, else CERT as given.")] = None,
    inline: Annotated[bool, typer.Option(
        "--inline", help="Put the certificates in the spec as PEM text (always for - and for the "
                         "certificates of a bundle).")] = False,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="DATE",
        help="Warn about certificates not valid at this moment (2025-01-01 or 2025-01-01T12:00:00Z); "
             "without it validity is not judged, so the output never depends on the clock.")] = None,
) -> None:
    """Write a change spec that adds the roots in CERT... to a certdata.txt, one add per
    certificate, for a maintainer to review and apply.

    A certificate that is not a CA is refused. Warnings (not self-signed, expired, algorithms NSS
    may refuse, a certificate given twice) go to standard error and do not change the exit status.
    """
    from ...adding.draft import CertificateFile, draft_add_spec

    _check_options(certificates, label=label, title=title, bug=bug, inline=inline, reference=certificate_ref)
    moment = None if at is None else parse_at(at)
    levels, dates = _trust_levels(trust), _distrust_dates(distrust_after or [])
    files = [CertificateFile(display_name(path), read_bytes(path),
                             _reference(path, output, certificate_ref, inline)) for path in certificates]
    try:
        draft = draft_add_spec(files, label=label, trust=levels, distrust_after=dates, title=title, bug=bug,
                               at=moment)
    except CertdataError as error:  # a certdata.txt or a spec given for a certificate: say so
        from ..hints import not_a_certificate

        not_a_certificate(error, [(file.name, file.data) for file in files])
        raise
    write_bytes(output or STDIO, draft.text.encode("utf-8"))
    for warning in draft.warnings:
        warning_line(warning)


def _check_options(certificates: list[str], *, label: str | None, title: str | None, bug: str | None,
                   inline: bool, reference: str | None) -> None:
    for option, value in (("--label", label), ("--title", title), ("--bug", bug)):
        if value is not None and any("\ud800" <= ch <= "\udfff" for ch in value):
            raise CertdataError(f"{option}: not valid UTF-8 text (as the command line gave it)")
    if inline and reference is not None:
        raise CertdataError("--inline and --certificate-ref cannot be used together")
    if reference is not None and len(certificates) != 1:
        raise CertdataError(f"--certificate-ref names one certificate file, but {len(certificates)} "
                            "were given")
    if certificates.count(STDIO) > 1:
        raise CertdataError("- (standard input) can be given once only")


def _trust_levels(values: list[str] | None) -> "dict[TrustField, TrustLevel] | None":
    """`--trust server,email` (repeatable; USAGE=VALUE too); None when not given (the default)."""
    from ...adding.draft import trust_item

    if values is None:
        return None
    levels: dict[TrustField, TrustLevel] = {}
    for text in (part.strip() for value in values for part in value.split(",") if part.strip()):
        try:
            field, level = trust_item(text)
        except ValueError as error:
            raise CertdataError(f"--trust {text!r}: {error}") from None
        levels[field] = level
    if not levels:  # `--trust ''` would add a root trusted for nothing: a slip, not a request
        raise CertdataError("--trust names no purpose; expected server, email or code-signing "
                            "(several: server,email)")
    return levels


def _distrust_dates(values: list[str]) -> "dict[DistrustPurpose, datetime | None] | None":
    """`--distrust-after PURPOSE=DATE` (or null), repeatable; None when not given."""
    from ...model.roots import DistrustPurpose
    from ...spec.load import parse_moment

    dates: dict[DistrustPurpose, datetime | None] | None = None
    purposes = {purpose.value: purpose for purpose in DistrustPurpose}
    for text in values:
        key, sep, value = text.partition("=")
        purpose = purposes.get(key.strip())
        if not sep or purpose is None:
            raise CertdataError(f"--distrust-after {text!r}: expected server=DATE or email=DATE")
        dates = dates or {}
        try:
            dates[purpose] = None if value.strip().lower() in ("null", "none", "") else parse_moment(value)
        except ValueError as error:
            raise CertdataError(f"--distrust-after {text!r}: {error}") from None
    return dates


def _reference(root: str, output: str | None, certificate_ref: str | None, inline: bool) -> str | None:
    """The certificate: line as written: ROOT relative to the spec's folder, unless told otherwise."""
    from pathlib import Path

    if certificate_ref is not None or inline or root == STDIO:
        return certificate_ref
    if output is None or output == STDIO:
        return root
    # apply resolves the name against the spec's folder: make it relative to where the spec goes.
    try:
        relative = os.path.relpath(os.path.abspath(root), os.path.dirname(os.path.abspath(output)))
    except ValueError:  # another drive (Windows): only an absolute name reaches it
        relative = os.path.abspath(root)
    return Path(relative).as_posix()


# `spec check` is a command of this group: loading `spec` (commands.load) registers it too.
from . import spec_check  # noqa: E402, F401
