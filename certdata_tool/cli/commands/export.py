"""`certdata-tool export`: trust bundles with an explicit distrust-after policy."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError
from ..app import app, warn_about_encoding, warn_about_roots, warning_line
from ..files import display_name, read_bytes, write_bytes

if TYPE_CHECKING:
    pass


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

    from ... import exporting
    from ...model.roots import read_roots
    from ...syntax.nssfile import parse

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
    warn_about_encoding(store)
    root_set = read_roots(store)
    selection = exporting.select_roots(root_set, policy)
    if any(r.problems for r in root_set.roots) or any(e.problems for e in root_set.distrust_entries):
        warn_about_roots(store)  # reads the roots again, so only when there is something to say
    provenance = exporting.Provenance(hashlib.sha256(data).hexdigest().upper(), fmt, policy)
    if explain:
        from ...render.common import printable

        lines = exporting.explain(selection, fmt).splitlines()
        sys.stderr.write("".join(f"{printable(line)}\n" for line in lines))
    if not selection.kept:
        warning_line(f"{store.source}: no root is trusted for "
                     f"{', '.join(p.value for p in policy.purposes)} under this policy")
    if fmt.is_directory:
        from ..files import write_directory

        folder = exporting.render_directory(selection, provenance)
        for warning in folder.warnings:
            warning_line(f"{output}/{warning}")
        write_directory(output, folder.files, folder.links, folder.manifest)
    else:
        write_bytes(output, exporting.render(selection, provenance))
