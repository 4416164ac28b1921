"""certdata-tool: read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import CertdataError, ChangeError, ExitCode, ExportError, ParseError, SpecError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from .applying.checked import ApplyOutcome, apply_checked
    from .changelog.notes import Changelog
    from .diff import Diff
    from .exporting.policy import Purpose
    from .model.roots import DistrustAfter, Root, Selector, Trust, TrustLevel, read_roots, roots
    from .spec.load import FileReader, Spec
    from .syntax.nssfile import CertdataFile, dump, parse

# Loaded on first use, so that `certdata-tool --help` does not pay for the reader and the model.
_LAZY = {
    **dict.fromkeys(("ApplyOutcome", "apply_checked"), ".applying.checked"),
    **dict.fromkeys(("CertdataFile", "dump", "parse"), ".syntax.nssfile"),
    **dict.fromkeys(("DistrustAfter", "Root", "Selector", "Trust", "TrustLevel", "read_roots", "roots"),
                    ".model.roots"),
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value

__version__ = "0.1.0"


def load_spec(yaml_text: str, source: str = "<spec>", base_dir: Path | None = None, *,
              read_file: FileReader | None = None) -> Spec:
    """Read and validate a version-1 change spec; raises SpecError naming the line and key path.

    `read_file(name, limit)` returns at most `limit` bytes of a certificate file an add names
    (resolved against `base_dir`, the spec's folder, as the caller sees fit); the library opens
    no file itself, so without it only inline PEM certificates can be added.
    """
    from .spec.load import load_spec as _load_spec

    return _load_spec(yaml_text, source=source, base_dir=base_dir, read_file=read_file)


def apply(store: CertdataFile, spec: Spec | Sequence[Spec]) -> CertdataFile:
    """Apply one spec, or several in order as one; pure and idempotent."""
    from .applying.editor import apply as _apply

    return _apply(store, spec)


def compare(old: CertdataFile, new: CertdataFile) -> Diff:
    """The semantic difference between two files: roots added, removed and modified."""
    from .diff import compare as _compare

    return _compare(old, new)


def release_notes(old: CertdataFile, new: CertdataFile,
                  purposes: Iterable[Purpose] | None = None) -> Changelog:
    """What changed for users of the bundle of `purposes` (default: websites) from OLD to NEW:
    roots added and removed with their reasons, distrust-after dates, renames."""
    from .changelog.notes import changelog as _changelog
    from .exporting.policy import Purpose as _Purpose

    return _changelog(old, new, (_Purpose.SERVER,) if purposes is None else purposes)


__all__ = [
    "ApplyOutcome",
    "CertdataError",
    "CertdataFile",
    "ChangeError",
    "DistrustAfter",
    "ExitCode",
    "ExportError",
    "ParseError",
    "Root",
    "Selector",
    "SpecError",
    "Trust",
    "TrustLevel",
    "__version__",
    "apply",
    "apply_checked",
    "compare",
    "dump",
    "load_spec",
    "parse",
    "read_roots",
    "release_notes",
    "roots",
]
