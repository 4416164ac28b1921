"""Dates without surprises: apply's report states every distrust-after moment set and what it means,
and a bare date (00:00:00 UTC) reads differently from the day's last second."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from typer.testing import CliRunner

from certdata_tool.cli import app
from certdata_tool.diff import compare
from certdata_tool.model.roots import DistrustPurpose
from certdata_tool.render.distrust_meaning import DistrustMeaning, distrust_meanings
from certdata_tool.spec.load import load_spec
from certdata_tool.syntax.nssfile import parse

SAMPLE = PROJECT_ROOT / "samples" / "certdata.txt"
SHA256 = "D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"  # Example Root CA 1


def _spec(server: str, email: str) -> str:
    return (f'version: 1\nchanges:\n  - select: {{label: "Example Root CA 1"}}\n'
            f"    distrust_after: {{server: {server}, email: {email}}}\n")


def _report(tmp_path: Path, spec: str, report: str = "text") -> tuple[int, str]:
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    result = CliRunner().invoke(app, ["apply", str(SAMPLE), str(tmp_path / "spec.yaml"), "--check",
                                      "--report", report])
    return result.exit_code, result.stdout


def test_a_bare_date_and_the_last_second_of_the_day_read_differently(tmp_path: Path) -> None:
    code, text = _report(tmp_path, _spec("2024-06-30", "2024-06-30T23:59:59Z"))
    assert code == 1  # --check: the file would change
    assert text == (
        "Modified: Example Root CA 1\n"
        f"  SHA-256: {SHA256}\n"
        "  Distrust for TLS After: none → 2024-06-30 00:00:00 UTC\n"
        "  Distrust for S/MIME After: none → 2024-06-30 23:59:59 UTC\n"
        "\n"
        "1 root modified, 0 added, 0 removed\n"
        "\n"
        "Distrust-after dates set:\n"
        '  "Example Root CA 1": TLS certificates issued after 2024-06-30 00:00:00 UTC are distrusted\n'
        "    00:00:00 is the start of 2024-06-30: certificates issued that day are distrusted too (a bare "
        "date means 00:00:00; NSS writes the day's last second, 2024-06-30T23:59:59Z)\n"
        '  "Example Root CA 1": S/MIME certificates issued after 2024-06-30 23:59:59 UTC are distrusted\n'
    )


def test_the_same_moment_for_both_purposes_is_one_sentence(tmp_path: Path) -> None:
    code, text = _report(tmp_path, _spec("2024-11-30T23:59:59Z", "2024-11-30T23:59:59Z"))
    assert code == 1
    assert text.endswith(
        "\nDistrust-after dates set:\n"
        '  "Example Root CA 1": TLS and S/MIME certificates issued after 2024-11-30 23:59:59 UTC are '
        "distrusted\n")


def test_markdown_says_it_too(tmp_path: Path) -> None:
    code, text = _report(tmp_path, _spec("2024-06-30", "null"), report="markdown")
    assert code == 1
    assert text.endswith(
        "\nDistrust-after dates set:\n\n"
        "- Example Root CA 1: TLS certificates issued after 2024-06-30 00:00:00 UTC are distrusted. "
        "00:00:00 is the start of 2024-06-30: certificates issued that day are distrusted too (a bare date "
        "means 00:00:00; NSS writes the day's last second, 2024-06-30T23:59:59Z)\n")


def test_a_change_without_dates_has_no_section(tmp_path: Path) -> None:
    spec = 'version: 1\nchanges:\n  - select: {label: "Example Root CA 1"}\n    mozilla_ca_policy: false\n'
    code, text = _report(tmp_path, spec)
    assert code == 1
    assert "Distrust-after" not in text
    code, text = _report(tmp_path, spec, report="markdown")
    assert "Distrust-after" not in text


def test_an_already_applied_spec_sets_nothing(tmp_path: Path) -> None:
    spec = _spec("2024-06-30T23:59:59Z", "null")
    (tmp_path / "spec.yaml").write_text(spec, encoding="utf-8")
    out = tmp_path / "out.txt"
    first = CliRunner().invoke(app, ["apply", str(SAMPLE), str(tmp_path / "spec.yaml"), "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert "TLS certificates issued after 2024-06-30 23:59:59 UTC are distrusted" in first.stdout
    again = CliRunner().invoke(app, ["apply", str(out), str(tmp_path / "spec.yaml"), "--check", "--report",
                                     "text"])
    assert (again.exit_code, again.stdout) == (0, "no differences\n")


def _meanings(old: str, spec: str) -> tuple[DistrustMeaning, ...]:
    from certdata_tool.applying.editor import apply

    before = parse(old, source="old.txt")
    return distrust_meanings(compare(before, apply(before, load_spec(spec, source="s.yaml"))))


def test_cleared_dates_are_not_listed_and_added_roots_are() -> None:
    sample = SAMPLE.read_text(encoding="utf-8")
    # The sample's "Example Distrusted After Root" has dates; clearing them sets none.
    cleared = ('version: 1\nchanges:\n  - select: {label: "Example Distrusted After Root"}\n'
               "    distrust_after: {server: null, email: null}\n")
    assert _meanings(sample, cleared) == ()
    pem = (PROJECT_ROOT / "samples" / "roots" / "new-root.pem").read_text(encoding="ascii")
    add = ("version: 1\nchanges:\n  - add:\n      certificate: |\n"
           + "".join(f"        {line}\n" for line in pem.splitlines())
           + "      label: New Root\n      trust: {server_auth: trusted_delegator}\n"
           "      distrust_after: {server: 2030-01-01T00:00:00Z, email: 2031-05-05T23:59:59Z}\n")
    meanings = _meanings(sample, add)
    assert meanings == (
        DistrustMeaning("New Root", (DistrustPurpose.SERVER,), datetime(2030, 1, 1, tzinfo=UTC)),
        DistrustMeaning("New Root", (DistrustPurpose.EMAIL,), datetime(2031, 5, 5, 23, 59, 59, tzinfo=UTC)),
    )
    assert meanings[0].start_of_day is not None and meanings[1].start_of_day is None


@pytest.mark.parametrize(("written", "moment"), [
    ("2024-06-30", datetime(2024, 6, 30, tzinfo=UTC)),  # the contract: a bare date is 00:00:00 UTC
    ("2024-06-30T23:59:59Z", datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC)),
    ('"2024-06-30T23:59:59Z"', datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC)),
])
def test_what_a_spec_date_means(written: str, moment: datetime) -> None:
    spec = load_spec(_spec(written, "null"), source="s.yaml")
    change = spec.changes[0]
    assert change.distrust_after == {DistrustPurpose.SERVER: moment, DistrustPurpose.EMAIL: None}
