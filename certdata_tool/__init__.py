"""certdata-tool: read, change, diff, lint and export Mozilla NSS's certdata.txt root store."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import CertdataError, ChangeError, ExitCode, ExportError, ParseError, ReportError, SpecError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date, datetime
    from pathlib import Path

    from . import render  # loaded on first use: _SUBPACKAGES
    from .applying.checked import ApplyOutcome
    from .ccadb.reconcile import Reconciliation
    from .changelog.notes import Changelog
    from .diff import Diff, FieldChange, RootChange
    from .exporting.policy import Purpose
    from .linting.findings import Finding, Level
    from .model.roots import (
        DistrustAfter,
        DistrustEntry,
        Root,
        RootSet,
        Trust,
        TrustLevel,
        read_roots,
        roots,
    )
    from .model.selectors import Selector
    from .patch.series import PatchSeries
    from .spec.load import FileReader, Spec
    from .syntax.nssfile import CertdataFile, dump, parse

# Loaded on first use, so that `certdata-tool --help` does not pay for the reader and the model.
_LAZY = {
    **dict.fromkeys(("ApplyOutcome",), ".applying.checked"),
    **dict.fromkeys(("CertdataFile", "dump", "parse"), ".syntax.nssfile"),
    **dict.fromkeys(("Diff", "FieldChange", "RootChange"), ".diff"),
    **dict.fromkeys(("Finding", "Level"), ".linting.findings"),
    **dict.fromkeys(("Purpose",), ".exporting.policy"),
    **dict.fromkeys(("Spec",), ".spec.changes"),
    **dict.fromkeys(("Changelog",), ".changelog.notes"),
    **dict.fromkeys(("Reconciliation",), ".ccadb.reconcile"),
    **dict.fromkeys(("DistrustAfter", "DistrustEntry", "Root", "RootSet", "Trust", "TrustLevel",
                     "read_roots", "roots"), ".model.roots"),
    **dict.fromkeys(("Selector",), ".model.selectors"),
    **dict.fromkeys(("PatchSeries",), ".patch.series"),
}


# Subpackages that are part of the API themselves: `certdata_tool.render.diff_markdown(diff)`.
_SUBPACKAGES = frozenset({"render"})


def __getattr__(name: str) -> object:
    if name in _SUBPACKAGES:
        return import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value

__version__ = "0.1.0"


def load_spec(yaml_text: str | bytes, source: str = "<spec>", base_dir: Path | None = None, *,
              read_file: FileReader | None = None) -> Spec:
    """Read and validate a version-1 change spec (text, or the file's UTF-8 bytes, as `parse`
    takes either); raises SpecError naming the line and key path.

    `read_file(name, limit)` returns at most `limit` bytes of a certificate file an add names
    (resolved against `base_dir`, the spec's folder, as the caller sees fit); the library opens
    no file itself, so without it only inline PEM certificates can be added.
    """
    from .spec.load import decode_spec
    from .spec.load import load_spec as _load_spec

    if isinstance(yaml_text, bytes):
        yaml_text = decode_spec(yaml_text, source)
    elif not isinstance(yaml_text, str):
        raise SpecError(f"expected the spec's YAML text or bytes, found {type(yaml_text).__name__}",
                        source=source)
    return _load_spec(yaml_text, source=source, base_dir=base_dir, read_file=read_file)


def apply(store: CertdataFile, spec: Spec | Sequence[Spec]) -> CertdataFile:
    """Apply one spec, or several in order as one; pure and idempotent."""
    from .applying.editor import apply as _apply

    return _apply(store, _specs(spec))


def _specs(specs: Spec | Sequence[Spec]) -> tuple[Spec, ...]:
    """One spec or several, checked: YAML text is not a spec (load_spec makes one)."""
    from .spec.changes import Spec as _Spec

    if isinstance(specs, _Spec):
        return (specs,)
    iterable = hasattr(specs, "__iter__") and not isinstance(specs, str | bytes)
    chosen: tuple[object, ...] = tuple(specs) if iterable else (specs,)
    checked: list[Spec] = []
    for spec in chosen:
        if not isinstance(spec, _Spec):
            raise ChangeError("expected a Spec or a list of them (load_spec makes one from YAML), "
                              f"found {type(spec).__name__}")
        checked.append(spec)
    return tuple(checked)


def apply_checked(store: CertdataFile, specs: Spec | Sequence[Spec], *, at: str | date | None = None,
                  nssckbi: str | None = None, nssckbi_version: str | None = None,
                  nssckbi_source: str = "nssckbi.h") -> ApplyOutcome:
    """What `apply` computes before it writes: the new store and text, the diff, the lint findings
    the change introduced, and `refusal` when it would add a lint error (nothing should be written
    then). `at` (a date as text or an aware datetime) is the moment added certificates' validity
    is checked at; `nssckbi` is the text of nssckbi.h, bumped along when the certdata changes."""
    from .applying.checked import apply_checked as _apply_checked

    return _apply_checked(store, _specs(specs), at=None if at is None else _moment(at, "at", ChangeError),
                          nssckbi=nssckbi, nssckbi_version=nssckbi_version, nssckbi_source=nssckbi_source)


def compare(old: CertdataFile, new: CertdataFile) -> Diff:
    """The semantic difference between two files: roots added, removed and modified."""
    from .diff import compare as _compare

    return _compare(old, new)


def lint(store: CertdataFile, *, at: str | date) -> tuple[Finding, ...]:
    """The findings of every lint rule for `store`, sorted by line, then code.

    `at` is "now" for the rules about dates (expired roots, distrust-after dates passed): a date or
    timestamp such as "2025-01-01" or an aware datetime; the library never reads the clock. Each
    Finding has `code`, `level` (error, warning, info), `line`, `message` and `label`;
    `certdata_tool.render.lint_text` prints them as `lint` does.
    """
    from .linting import lint as _lint

    return _lint(store, at=_moment(at, "at", CertdataError))


def _moment(value: str | date, name: str, error: type[CertdataError]) -> datetime:
    """A moment the caller gave as text (the grammar of every --at), as a datetime.date (its start,
    in UTC, as "YYYY-MM-DD" reads) or as an aware datetime. (`date` includes `datetime`.)"""
    from datetime import UTC
    from datetime import date as _date
    from datetime import datetime as _datetime

    from .moments import parse_moment

    if isinstance(value, _date) and not isinstance(value, _datetime):
        return _datetime(value.year, value.month, value.day, tzinfo=UTC)  # as "YYYY-MM-DD" reads
    if not isinstance(value, str | _datetime):
        raise error(f"{name}: expected a date as text (2025-01-01) or an aware datetime, "
                    f"found {type(value).__name__}")
    if not isinstance(value, str):
        if value.tzinfo is None:
            raise error(f"{name}: a datetime with a time zone (UTC) is needed, found a naive one")
        return value
    try:
        return parse_moment(value)
    except ValueError as problem:
        raise error(f"{name} {value!r}: {problem}") from None


def export(store: CertdataFile, *, format: str | None = None, profile: str | None = None,
           purposes: Sequence[str] = (), distrust_after: str | None = None, drop_expired: bool | None = None,
           at: str | date | None = None, exclude: Sequence[str] = (),
           source_sha256: str | None = None) -> bytes | dict[str, bytes]:
    """The bytes `certdata-tool export` writes: one file's bytes, or {file name: bytes} for a folder
    (`directory`, `--profile debian`; the directory format's HASH.N links are not included).

    Options as on the command line (`format="p11-kit"`, `profile="curl"`, `at="2025-06-10"`,
    `exclude=["label=…"]`); raises ExportError for a combination that cannot work. `source_sha256`
    (what curl's header carries) defaults to the SHA-256 of `dump(store)`. What the command says as
    a warning (an exclusion that matches no root) is a UserWarning (`warnings.warn`).
    """
    import hashlib
    import warnings

    from .exporting.bundle import ExportOptions, export_store
    from .syntax.nssfile import dump as _dump

    moment = None if at is None else _moment(at, "at", ExportError)
    options = ExportOptions.from_words(export_format=format, profile=profile, purposes=purposes,
                                       distrust_after=distrust_after, drop_expired=drop_expired,
                                       at=moment, exclude=exclude)
    # Bytes the file held that are not UTF-8 go back as they came (as `dump` keeps them).
    digest = source_sha256 or hashlib.sha256(_dump(store).encode("utf-8", "surrogateescape")).hexdigest()
    result = export_store(store, digest, options, __version__)
    for warning in result.warnings():  # what the command prints as warnings (an exclusion that
        warnings.warn(warning, stacklevel=2)  # matches no root, no root at all), never an error
    output = result.output
    return output if isinstance(output, bytes) else dict(output.files)


def reconcile_ccadb(store: CertdataFile, report: bytes | str, source: str = "<report>") -> Reconciliation:
    """Compare `store` with CCADB's IncludedCACertificateReportPEMCSV (the CSV bytes or text, read as
    `source`): findings missing / extra / trust / distrust_after, matched by SHA-256. ReportError
    names the report's line for a malformed report. `certdata_tool.ccadb.fix.fix_spec` writes the
    spec that makes the two agree; `certdata_tool.render.ccadb_text` (and `_markdown`, `_json`,
    `_spec`) are the views."""
    from .ccadb.reconcile import reconcile_report

    data = report.encode("utf-8") if isinstance(report, str) else report  # the CSV's text will do too
    return reconcile_report(store, data, source)


def patch_series(store: CertdataFile, nssckbi: str, specs: Spec | Sequence[Spec], *, author: str,
                 reviewer: str | None = None, at: str | date | None = None) -> PatchSeries:
    """The commits `certdata-tool patch` writes for `specs`, made against an NSS tree whose HEAD holds
    `store` (its lib/ckfw/builtins/certdata.txt) and `nssckbi` (the text of its nssckbi.h): one
    commit per spec, each on top of the ones before, the library version bump in the last.

    `author` is "NAME <EMAIL>"; `reviewer` ends each subject with ` r=NAME`; `at` (a date as text
    or an aware datetime) is the Date header, None for none. Raises PatchError (a CertdataError)
    for a spec without `bug` or `title`, or one that changes nothing. `render.patch_mail(series)`
    writes the series as git format-patch does.
    """
    from .patch.series import NssTree, PatchError, parse_identity
    from .patch.series import patch_series as _patch_series
    moment = None if at is None else _moment(at, "at", PatchError)
    return _patch_series(NssTree(store, nssckbi), _specs(specs), author=parse_identity(author, what="author"),
                         reviewer=reviewer, at=moment)


def release_notes(old: CertdataFile, new: CertdataFile,
                  purposes: str | Iterable[str | Purpose] | None = None) -> Changelog:
    """What changed for users of the bundle of `purposes` (default: websites; "server", "email",
    "code-signing" or Purpose members) from OLD to NEW: roots added and removed with their reasons,
    distrust-after dates, renames."""
    from .changelog.notes import changelog as _changelog
    from .exporting.policy import Purpose as _Purpose
    from .exporting.policy import choose

    if purposes is None:
        purposes = (_Purpose.SERVER,)
    elif isinstance(purposes, str):  # one purpose, not its letters
        purposes = (purposes,)
    chosen = tuple(choose(_Purpose, purpose, "purpose", CertdataError) for purpose in purposes)
    return _changelog(old, new, chosen)


__all__ = [
    "ApplyOutcome",
    "CertdataError",
    "CertdataFile",
    "ChangeError",
    "Changelog",
    "Diff",
    "DistrustAfter",
    "DistrustEntry",
    "ExitCode",
    "ExportError",
    "FieldChange",
    "Finding",
    "Level",
    "ParseError",
    "PatchSeries",
    "Purpose",
    "Reconciliation",
    "ReportError",
    "Root",
    "RootChange",
    "RootSet",
    "Selector",
    "Spec",
    "SpecError",
    "Trust",
    "TrustLevel",
    "__version__",
    "apply",
    "apply_checked",
    "compare",
    "dump",
    "export",
    "lint",
    "load_spec",
    "parse",
    "patch_series",
    "read_roots",
    "reconcile_ccadb",
    "release_notes",
    "render",
    "roots",
]
