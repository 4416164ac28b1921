"""What a folder export holds, apart from how any format fills it (so Debian's folder does not load
the `directory` format's naming and hashing code)."""

from __future__ import annotations

from dataclasses import dataclass

# Marks a folder as written by this tool; lists every name in it, so a re-export can tell our files
# from anyone else's (cli.files.write_directory refuses to replace a folder holding anything else).
MANIFEST = ".certdata-tool-export"


@dataclass(frozen=True, slots=True)
class DirectoryExport:
    """Everything the folder will hold: regular files (name, bytes) and symbolic links (name, target).

    A folder that holds the `manifest` file (one of `files`) and only what it lists may be replaced; with
    no manifest, a folder holding only regular files ending in `replaceable_suffix` may be.
    """

    files: tuple[tuple[str, bytes], ...]
    links: tuple[tuple[str, str], ...]
    manifest: str | None = MANIFEST
    replaceable_suffix: str | None = None
    warnings: tuple[str, ...] = ()  # what a user must know about the folder (a root without a link)
