"""`certdata-tool export`: trust bundles with an explicit distrust-after policy."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError
from ..app import app, parse_at, warn_about_encoding, warn_about_roots, warning_line
from ..files import display_name, read_bytes, write_bytes

if TYPE_CHECKING:
    from datetime import datetime

    from ...exporting import ExportFormat


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
    from ... import exporting

    fmt = exporting.ExportFormat(output_format.value)
    moment = None if at is None else parse_at(at)
    _check_options(fmt, output, distrust_after, drop_expired, moment)
    policy = exporting.make_policy(
        purposes=[exporting.Purpose(p.value) for p in (purpose or [PurposeOption.SERVER])],
        distrust_after=exporting.DistrustAfterPolicy(distrust_after.value),
        drop_expired=drop_expired, at=moment)
    outcome = exporting.export_roots(read_bytes(certdata), fmt, policy, source=display_name(certdata))
    warn_about_encoding(outcome.store)
    if outcome.root_problems:
        warn_about_roots(outcome.store, outcome.root_set)
    if explain:
        from ...render.common import printable

        sys.stderr.write("".join(f"{printable(line)}\n" for line in outcome.explain().splitlines()))
    if not outcome.selection.kept:
        warning_line(f"{outcome.store.source}: no root is trusted for "
                     f"{', '.join(p.value for p in policy.purposes)} under this policy")
    if fmt.is_directory:
        from ..files import write_directory

        folder = outcome.render_directory()
        for warning in folder.warnings:
            warning_line(f"{output}/{warning}")
        write_directory(output, folder.files, folder.links, folder.manifest)
    else:
        write_bytes(output, outcome.render())


def _check_options(fmt: ExportFormat, output: str, distrust_after: DistrustAfterOption, drop_expired: bool,
                   at: datetime | None) -> None:
    """What the options cannot mean, in the options' words (the library speaks of the data)."""
    if distrust_after is DistrustAfterOption.GRACE and at is None:
        raise CertdataError("--distrust-after grace needs --at DATE",
                            hint="grace keeps a root until DATE is more than 398 days past its "
                                 "distrust-after date; the tool never reads the clock by itself")
    if drop_expired and at is None:
        raise CertdataError("--drop-expired needs --at DATE",
                            hint="expiry is judged at DATE; the tool never reads the clock by itself")
    if fmt.is_directory and output == "-":
        raise CertdataError("--format directory writes a folder; give -o FOLDER, not -o -")
    if output == "-" and fmt.value == "java" and sys.stdout.isatty():
        raise CertdataError("--format java writes a binary PKCS#12 file, not for a terminal; give -o FILE "
                            "or redirect standard output")
