"""certdata-tool: read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import CertdataError, ChangeError, ExitCode, ExportError, ParseError, SpecError

if TYPE_CHECKING:
    from collections.abc import Sequence
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
    "load_spec",
    "parse",
    "read_roots",
    "roots",
]
