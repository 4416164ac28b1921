"""`certdata-tool export`: trust bundles with an explicit distrust-after policy, and the exact files
distributors ship (`--profile`)."""

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError
from ..app import app, parse_at, warn_about_encoding, warn_about_roots, warning_line
from ..files import display_name, read_bytes, write_bytes

if TYPE_CHECKING:
    from ...exporting.bundle import ExportOptions, ExportResult


class ExportFormatOption(StrEnum):
    PEM = "pem"
    OPENSSL = "openssl"
    P11_KIT = "p11-kit"
    DIRECTORY = "directory"
    JAVA = "java"


class ProfileOption(StrEnum):
    CERTIFI = "certifi"
    CURL = "curl"
    DEBIAN = "debian"


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
        help="File (folder for directory and --profile debian) to write; - for standard output.")],
    output_format: Annotated[ExportFormatOption | None, typer.Option(
        "--format", "-f", help="Output format (default pem).")] = None,
    profile: Annotated[ProfileOption | None, typer.Option(
        "--profile", help="Write exactly what this distributor ships: certifi's cacert.pem, curl's "
                          "ca-bundle.crt or Debian's folder of .crt files (sets format and policy "
                          "defaults; explicit options win).")] = None,
    purpose: Annotated[list[PurposeOption] | None, typer.Option(
        "--purpose", "-p",
        help="Keep roots trusted (trusted_delegator) for this purpose (repeatable; default server).")] = None,
    distrust_after: Annotated[DistrustAfterOption | None, typer.Option(
        "--distrust-after",
        help="Roots with a distrust-after date: keep (default; certifi: grace), drop, or grace (kept "
             "until --at is more than 398 days past the date).")] = None,
    drop_expired: Annotated[bool | None, typer.Option(
        "--drop-expired/--keep-expired",
        help="Leave out (or keep) roots expired at --at; default keep, for curl drop.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="SELECTOR",
        help="Leave out roots matching label=NAME, sha256=HEX or sha1=HEX (repeatable).")] = None,
    exclude_file: Annotated[list[str] | None, typer.Option(
        "--exclude-file", metavar="FILE",
        help="Leave out the roots FILE lists: one selector or \"LABEL\" a line, # comments "
             "(Debian's blacklist.txt as it is).")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="DATE",
        help="Judge dates at this moment (2025-01-01 or 2025-01-01T12:00:00Z); never the clock.")] = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Print every root with kept/dropped and why, to standard error.")] = False,
) -> None:
    """Export the trusted roots as a PEM bundle, OpenSSL trusted certificates, p11-kit source, an
    OpenSSL hashed folder, a Java PKCS#12 truststore, or a distributor's own bundle."""
    from ...exporting.bundle import ExportOptions

    options = ExportOptions.from_words(
        export_format=output_format, profile=profile, purposes=purpose or (), distrust_after=distrust_after,
        drop_expired=drop_expired, at=None if at is None else parse_at(at), exclude=exclude or (),
        exclude_files=[(name, _text(name)) for name in exclude_file or ()], exclude_given_as="--exclude")
    _check_options(options, output)
    result = _export(certdata, options)
    warn_about_encoding(result.store)
    if result.root_problems:
        warn_about_roots(result.store, result.root_set)
    if explain:
        sys.stderr.write(result.explanation())
    for warning in result.warnings():
        warning_line(warning)
    if isinstance(result.output, bytes):
        write_bytes(output, result.output)
    else:
        from ..files import write_directory

        folder = result.output
        for warning in folder.warnings:
            warning_line(f"{output}/{warning}")
        write_directory(output, folder.files, folder.links, folder.manifest,
                        replaceable_suffix=folder.replaceable_suffix)


def _export(certdata: str, options: "ExportOptions") -> "ExportResult":
    from ... import __version__
    from ...exporting.bundle import export_bundle
    from ...syntax.sniff import TextKind
    from ..hints import hint_if_mistaken

    data, name = read_bytes(certdata), display_name(certdata)
    with hint_if_mistaken(TextKind.CERTDATA, name, data):  # a PEM bundle given as the certdata
        return export_bundle(data, options, __version__, source=name)


def _check_options(options: "ExportOptions", output: str) -> None:
    """What the options cannot mean, in the options' words (the library speaks of the data)."""
    from ...exporting import DistrustAfterPolicy

    profile = options.profile
    defaults = options.defaults
    if profile is not None and options.export_format is not None:
        raise CertdataError(f"--profile {profile.value} writes {profile.value}'s own format; leave out "
                            f"--format {options.export_format.value}")
    if profile is not None and defaults.at_required is not None and options.at is None:
        raise CertdataError(f"--profile {profile.value} needs --at DATE",
                            hint=f"{defaults.at_required}; the tool never reads the clock by itself")
    distrust_after = options.distrust_after or defaults.distrust_after
    if distrust_after is DistrustAfterPolicy.GRACE and options.at is None:
        raise CertdataError("--distrust-after grace needs --at DATE",
                            hint="grace keeps a root until DATE is more than 398 days past its "
                                 "distrust-after date; the tool never reads the clock by itself")
    if options.drop_expired and options.at is None:
        raise CertdataError("--drop-expired needs --at DATE",
                            hint="expiry is judged at DATE; the tool never reads the clock by itself")
    if options.writes_folder and output == "-":
        flag = "--profile" if profile is not None else "--format"
        raise CertdataError(f"{flag} {options.name} writes a folder; give -o FOLDER, not -o -")
    if output == "-" and options.name == "java" and sys.stdout.isatty():
        raise CertdataError("--format java writes a binary PKCS#12 file, not for a terminal; give -o FILE "
                            "or redirect standard output")


def _text(path: str) -> str:
    """An exclusion file's text; one that is not UTF-8 is an error naming it."""
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as error:
        raise CertdataError(f"not UTF-8 text: {error.reason} at byte {error.start}",
                            source=display_name(path)) from None
