"""certdata-tool: read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import CertdataError, ChangeError, ExitCode, ExportError, ParseError, SpecError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from pathlib import Path

    from .diff import Diff
    from .model.roots import DistrustAfter, Root, Selector, Trust, TrustLevel, read_roots, roots
    from .spec.load import Spec
    from .syntax.nssfile import CertdataFile, dump, parse

# Loaded on first use, so that `certdata-tool --help` does not pay for the reader and the model.
_LAZY = {
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


def load_spec(yaml_text: str, source: str = "<spec>", base_dir: Path | None = None) -> Spec:
    """Read and validate a version-1 change spec; raises SpecError naming the line and key path."""
    from .spec.load import load_spec as _load_spec

    return _load_spec(yaml_text, source=source, base_dir=base_dir)


def apply(store: CertdataFile, spec: Spec | Sequence[Spec]) -> CertdataFile:
    """Apply one spec, or several in order as one; pure and idempotent."""
    from .applying.editor import apply as _apply

    return _apply(store, spec)


def compare(old: CertdataFile, new: CertdataFile) -> Diff:
    """The semantic difference between two files: roots added, removed and modified."""
    from .diff import compare as _compare

    return _compare(old, new)


def export(store: CertdataFile, *, format: str | None = None, profile: str | None = None,
           purposes: Sequence[str] = (), distrust_after: str | None = None, drop_expired: bool | None = None,
           at: str | datetime | None = None, exclude: Sequence[str] = (),
           source_sha256: str | None = None) -> bytes | dict[str, bytes]:
    """The bytes `certdata-tool export` writes: one file's bytes, or {file name: bytes} for a folder
    (`directory`, `--profile debian`; the directory format's HASH.N links are not included).

    Options as on the command line (`format="p11-kit"`, `profile="curl"`, `at="2025-06-10"`,
    `exclude=["label=…"]`); raises ExportError for a combination that cannot work. `source_sha256`
    (what curl's header carries) defaults to the SHA-256 of `dump(store)`.
    """
    import hashlib

    from .exporting.bundle import ExportOptions, export_store
    from .syntax.nssfile import dump as _dump

    options = ExportOptions.from_words(export_format=format, profile=profile, purposes=purposes,
                                       distrust_after=distrust_after, drop_expired=drop_expired, at=at,
                                       exclude=exclude)
    digest = source_sha256 or hashlib.sha256(_dump(store).encode("utf-8")).hexdigest()
    output = export_store(store, digest, options, __version__).output
    return output if isinstance(output, bytes) else dict(output.files)


__all__ = [
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
    "compare",
    "dump",
    "export",
    "load_spec",
    "parse",
    "read_roots",
    "roots",
]
