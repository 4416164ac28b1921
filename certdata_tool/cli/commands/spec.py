"""`certdata-tool spec add`: a starting spec that adds a root."""

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError
from ..app import app, parse_at, warning_line
from ..files import STDIO, display_name, read_bytes, write_bytes

if TYPE_CHECKING:
    from datetime import datetime

    from ...model.roots import TrustLevel


spec_app = typer.Typer(
    name="spec",
    help="Write change specs to start from, and check specs on their own.",
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

    from ...spec.write import new_root_spec

    for option, value in (("--label", label), ("--title", title), ("--bug", bug)):
        if value is not None and any("\ud800" <= ch <= "\udfff" for ch in value):
            raise CertdataError(f"{option}: not valid UTF-8 text (as the command line gave it)")
    if inline and certificate_ref is not None:
        raise CertdataError("--inline and --certificate-ref cannot be used together")
    moment = datetime.now(UTC) if at is None else parse_at(at)
    levels = _trust_levels(trust or [])
    dates = _distrust_dates(distrust_after or [])
    name = display_name(root)
    data = read_bytes(root)
    result = new_root_spec(data, name=name, certificate_ref=_reference(root, output, certificate_ref, inline),
                           label=label, trust=levels, distrust_after=dates, title=title, bug=bug, at=moment)
    write_bytes(output or STDIO, result.text.encode("utf-8"))
    for problem in result.warnings:
        warning_line(f"{name}: {problem}")


def _trust_levels(values: list[str]) -> "dict[str, TrustLevel]":
    """`--trust USAGE=VALUE`, repeatable or comma-separated."""
    from ...model.roots import TrustField, TrustLevel

    levels: dict[str, TrustLevel] = {}
    usages = [trust_field.value for trust_field in TrustField]
    for text in (part for value in values for part in value.split(",") if part.strip()):
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or key not in usages:
            raise CertdataError(f"--trust {text!r}: expected USAGE=VALUE with USAGE one of "
                                f"{', '.join(usages)}")
        try:
            levels[key] = TrustLevel.from_name(value)
        except ValueError as error:
            raise CertdataError(f"--trust {text!r}: {error}") from None
    return levels


def _distrust_dates(values: list[str]) -> "dict[str, datetime | None] | None":
    """`--distrust-after PURPOSE=DATE` (or null), repeatable; None when not given."""
    from ...model.roots import DistrustPurpose
    from ...spec.load import parse_moment

    dates: dict[str, datetime | None] | None = None
    purposes = [purpose.value for purpose in DistrustPurpose]
    for text in values:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or key not in purposes:
            raise CertdataError(f"--distrust-after {text!r}: expected server=DATE or email=DATE")
        dates = dates or {}
        try:
            dates[key] = None if value.strip().lower() in ("null", "none", "") else parse_moment(value)
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
