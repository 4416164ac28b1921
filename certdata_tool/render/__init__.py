"""Renderers: roots, diffs and findings → text. One function per view, each returning `str`; no I/O.

These are the library's views (`certdata_tool.render.diff_markdown(diff)`); each loads its module
on first use, so that importing the package costs nothing. The modules behind them (`show`,
`text_diff`, `markdown_diff`, `json_diff`, `unified`, `spec`, `lint`, `apply_report`, `changelog`,
`ccadb`) are named apart from these functions: importing a submodule sets the package's attribute
of that name, which would hide a function called the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..applying.checked import ApplyOutcome
    from ..ccadb.reconcile import Reconciliation
    from ..changelog.notes import Changelog
    from ..changelog.revisions import History
    from ..diff import Diff
    from ..linting.findings import Finding
    from ..model.roots import RootSet
    from ..patch.series import PatchSeries
    from ..syntax.nssfile import CertdataFile


# ---------------------------------------------------------------- show


def show_table(root_set: RootSet) -> str:
    """`show --format table`: one row per root of `root_set` (certdata_tool.read_roots(store))."""
    from .show import render_table

    return render_table(root_set)


def show_markdown(root_set: RootSet) -> str:
    """`show --format markdown`: a summary line and a table of the roots."""
    from .show import render_markdown

    return render_markdown(root_set)


def show_json(root_set: RootSet) -> str:
    """`show --format json`: the certdata-tool/show/1 document."""
    from .show import render_json

    return render_json(root_set)


# ---------------------------------------------------------------- diff


def diff_text(diff: Diff, *, colour: bool = False, title: str | None = None, bug: str | None = None) -> str:
    """`diff --format text`: per changed root its label, SHA-256 and each field old → new in a
    reviewer's words; ANSI colour only when `colour` is true."""
    from .text_diff import render_text

    return render_text(diff, colour=colour, title=title, bug=bug)


def diff_markdown(diff: Diff, *, title: str | None = None, bug: str | None = None) -> str:
    """`diff --format markdown`: a pull-request comment within GitHub's size limit."""
    from .markdown_diff import render_markdown

    return render_markdown(diff, title=title, bug=bug)


def diff_json(diff: Diff, *, title: str | None = None, bug: str | None = None) -> str:
    """`diff --format json`: the certdata-tool/diff/1 document."""
    from .json_diff import render_json

    return render_json(diff, title=title, bug=bug)


def diff_unified(diff: Diff, old: CertdataFile, new: CertdataFile) -> str:
    """`diff --format unified`: a unified diff of OLD to NEW, each hunk naming the roots it touches
    (`diff` is certdata_tool.compare(old, new))."""
    from .unified import render_unified

    return render_unified(diff, old, new)


def diff_spec(diff: Diff, old: CertdataFile, new: CertdataFile) -> str:
    """`diff --format spec`: a version-1 change spec that turns OLD into NEW; CertdataError for a
    difference a spec cannot express."""
    from .spec import render_spec

    return render_spec(diff, old, new)


# ---------------------------------------------------------------- lint


def lint_text(findings: Sequence[Finding], source: str = "<certdata>", *, colour: bool = False) -> str:
    """`lint`: one line per finding, `SOURCE:LINE: level CODE message`."""
    from .lint import render_text

    return render_text(findings, source, colour=colour)


def lint_json(findings: Sequence[Finding]) -> str:
    """`lint --format json`: the certdata-tool/lint/1 document."""
    from .lint import render_json

    return render_json(findings)


# ---------------------------------------------------------------- apply


def apply_report_text(outcome: ApplyOutcome, *, colour: bool = False) -> str:
    """`apply --report text`: what the specs changed, in a reviewer's words, with their titles."""
    from .apply_report import ReportFormat, render_report

    return render_report(outcome, ReportFormat.TEXT, colour=colour)


def apply_report_markdown(outcome: ApplyOutcome) -> str:
    """`apply --report markdown`: the same as a pull-request comment."""
    from .apply_report import ReportFormat, render_report

    return render_report(outcome, ReportFormat.MARKDOWN)


def apply_report_json(outcome: ApplyOutcome) -> str:
    """`apply --report json`: the certdata-tool/diff/1 document of the change."""
    from .apply_report import ReportFormat, render_report

    return render_report(outcome, ReportFormat.JSON)


# ---------------------------------------------------------------- changelog, history


def changelog_text(notes: Changelog) -> str:
    """`changelog`: release notes for a terminal."""
    from .changelog import changelog_text as render

    return render(notes)


def changelog_markdown(notes: Changelog) -> str:
    """`changelog --format markdown`: release notes for a release page."""
    from .changelog import changelog_markdown as render

    return render(notes)


def changelog_json(notes: Changelog) -> str:
    """`changelog --format json`: the certdata-tool/changelog/1 document."""
    from .changelog import changelog_json as render

    return render(notes)


def changelog_debian(notes: Changelog, nss_version: str | None = None) -> str:
    """`changelog --format debian`: the lines of Debian's ca-certificates changelog."""
    from .changelog import changelog_debian as render

    return render(notes, nss_version)


def history_text(history: History) -> str:
    """`history`: one block per commit (or release), newest first."""
    from .changelog import history_text as render

    return render(history)


def history_markdown(history: History) -> str:
    """`history --format markdown`: one section per commit (or release)."""
    from .changelog import history_markdown as render

    return render(history)


def history_json(history: History) -> str:
    """`history --format json`: the certdata-tool/history/1 document."""
    from .changelog import history_json as render

    return render(history)


# ---------------------------------------------------------------- ccadb


def ccadb_text(reconciliation: Reconciliation) -> str:
    """`ccadb`: a summary, a verdict and one line per finding."""
    from .ccadb import render_text

    return render_text(reconciliation)


def ccadb_markdown(reconciliation: Reconciliation) -> str:
    """`ccadb --format markdown`: the findings as a table."""
    from .ccadb import render_markdown

    return render_markdown(reconciliation)


def ccadb_json(reconciliation: Reconciliation) -> str:
    """`ccadb --format json`: the certdata-tool/ccadb/1 document."""
    from .ccadb import render_json

    return render_json(reconciliation)


def ccadb_spec(reconciliation: Reconciliation) -> str:
    """`ccadb --format spec`: the version-1 change spec that makes the certdata agree with the
    report ("" when they agree)."""
    from ..ccadb.fix import fix_spec

    return fix_spec(reconciliation)


# ---------------------------------------------------------------- patch


def patch_mail(series: PatchSeries, signature: str = "certdata-tool") -> str:
    """`patch`: the series as `git format-patch --stdout --zero-commit --full-index` writes it,
    `signature` after each `-- ` (the command writes `certdata-tool VERSION`). Bytes of the file
    that are not UTF-8 are surrogate escapes: encode with "surrogateescape"."""
    from .patch import format_patch

    return format_patch(series, signature=signature)


__all__ = [
    "apply_report_json",
    "apply_report_markdown",
    "apply_report_text",
    "ccadb_json",
    "ccadb_markdown",
    "ccadb_spec",
    "ccadb_text",
    "changelog_debian",
    "changelog_json",
    "changelog_markdown",
    "changelog_text",
    "diff_json",
    "diff_markdown",
    "diff_spec",
    "diff_text",
    "diff_unified",
    "history_json",
    "history_markdown",
    "history_text",
    "lint_json",
    "lint_text",
    "patch_mail",
    "show_json",
    "show_markdown",
    "show_table",
]
