"""certdata-tool: read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import CertdataError, ChangeError, ExitCode, ExportError, ParseError, ReportError, SpecError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime
    from pathlib import Path

    from .applying.checked import ApplyOutcome, apply_checked
    from .ccadb.reconcile import Reconciliation
    from .changelog.notes import Changelog
    from .diff import Diff
    from .exporting.policy import Purpose
    from .model.roots import DistrustAfter, Root, Trust, TrustLevel, read_roots, roots
    from .model.selectors import Selector
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

    moment = None
    if isinstance(at, str):
        from .moments import parse_moment

        try:
            moment = parse_moment(at)
        except ValueError as error:
            raise ExportError(f"at {at!r}: {error}") from None
    elif at is not None:
        moment = at
    options = ExportOptions.from_words(export_format=format, profile=profile, purposes=purposes,
                                       distrust_after=distrust_after, drop_expired=drop_expired,
                                       at=moment, exclude=exclude)
    digest = source_sha256 or hashlib.sha256(_dump(store).encode("utf-8")).hexdigest()
    output = export_store(store, digest, options, __version__).output
    return output if isinstance(output, bytes) else dict(output.files)


def reconcile_ccadb(store: CertdataFile, report: bytes, source: str = "<report>") -> Reconciliation:
    """Compare `store` with CCADB's IncludedCACertificateReportPEMCSV (the CSV bytes, read as
    `source`): findings missing / extra / trust / distrust_after, matched by SHA-256. ReportError
    names the report's line for a malformed report. `certdata_tool.ccadb.fix.fix_spec` writes the
    spec that makes the two agree; `certdata_tool.render.ccadb` has the views."""
    from .ccadb.reconcile import reconcile_report

    return reconcile_report(store, report, source)


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
    "ReportError",
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
    "export",
    "load_spec",
    "parse",
    "read_roots",
    "reconcile_ccadb",
    "release_notes",
    "roots",
]
