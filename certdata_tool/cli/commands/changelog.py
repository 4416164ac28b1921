"""`certdata-tool changelog`: release notes between two files for the bundle of some purposes."""

import re
from enum import StrEnum
from typing import Annotated

import typer

from ...errors import CertdataError
from ..app import app, emit, load_certdata, warn_about_roots
from .export import PurposeOption


class ChangelogFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    DEBIAN = "debian"


@app.command("changelog")
def changelog_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The certdata.txt before; - for standard input.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The certdata.txt after; - for standard input.")],
    purpose: Annotated[list[PurposeOption] | None, typer.Option(
        "--purpose", "-p", help="The bundle of roots trusted for this purpose (repeatable; default "
        "server).")] = None,
    output_format: Annotated[ChangelogFormat, typer.Option(
        "--format", "-f", help="text, markdown (tables, for a release page), json "
        "(certdata-tool/changelog/1) or debian (the lines of Debian's changelog).")] = ChangelogFormat.TEXT,
    nss_version: Annotated[str | None, typer.Option(
        "--nss-version", metavar="X.Y", help="With --format debian: the bullet line naming the NSS "
        "builtins version comes first.")] = None,
) -> None:
    """Release notes: roots that entered or left the bundle (and why), distrust-after dates, renames."""
    from ...changelog.notes import changelog
    from ...exporting.policy import Purpose
    from ...render import changelog as render

    if old == "-" and new == "-":
        raise CertdataError("OLD and NEW cannot both be - (standard input can be read only once)")
    if nss_version is not None and (output_format is not ChangelogFormat.DEBIAN
                                    or not re.fullmatch(r"\d{1,3}\.\d{1,3}", nss_version)):
        raise CertdataError(f"--nss-version {nss_version}: expected X.Y (such as 2.60), with --format debian")
    old_store, new_store = load_certdata(old), load_certdata(new)
    warn_about_roots(old_store)
    warn_about_roots(new_store)
    notes = changelog(old_store, new_store, [Purpose(p.value) for p in purpose or [PurposeOption.SERVER]])
    if output_format is ChangelogFormat.DEBIAN:
        emit(render.changelog_debian(notes, nss_version))
        return
    views = {ChangelogFormat.TEXT: render.changelog_text, ChangelogFormat.MARKDOWN: render.changelog_markdown,
             ChangelogFormat.JSON: render.changelog_json}
    emit(views[output_format](notes))
