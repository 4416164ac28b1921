"""`certdata-tool diff` on the command line: formats, exit codes as diff(1), standard input, colour."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from certdata_factory import MUST_VERIFY, FakeRoot, certdata_text, certificate
from conftest import TESTS_DIR, corpus_dir, require_corpus
from typer.testing import CliRunner

from certdata_tool.cli import app
from certdata_tool.cli.app import use_colour
from certdata_tool.cli.commands.diff import DiffFormat

CASES = TESTS_DIR / "cases" / "diff"
ROOT_A = FakeRoot("Alpha Root", certificate("Alpha Root"))
ROOT_B = FakeRoot("Bravo Root", certificate("Bravo Root"))
OLD = certdata_text([ROOT_A, ROOT_B])
NEW = certdata_text([ROOT_A, replace(ROOT_B, server_auth=MUST_VERIFY)])

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return str(old), str(new)


def test_differences_exit_1_with_the_text_report(files: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", *files])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Modified: Bravo Root",
        "  SHA-256: C839F1F232AA1621A677EA5B0D40866A117956B7CCBC31B1D9A7B4B5B4463527",
        "  Websites: trusted → not trusted",
        "",
        "1 root modified, 0 added, 0 removed",
    ]
    assert result.stderr == ""


def test_no_differences_exit_0(files: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", files[0], files[0]])
    assert (result.exit_code, result.stdout) == (0, "no differences\n")


def test_formatting_only_is_a_difference(tmp_path: Path, files: tuple[str, str]) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_text(OLD + "\n", encoding="utf-8")
    result = runner.invoke(app, ["diff", files[0], str(changed)])
    lines = len(OLD.splitlines())
    assert (result.exit_code, result.stdout) == (1, (
        "Comments, blank lines, header text or object order changed; no root did:\n"
        f"  @@ OLD none (after line {lines}) → NEW line {lines + 1} @@\n"
        "  +\n"
        "\n"
        "formatting only: no root changed\n"))


def test_standard_input_for_either_side(files: tuple[str, str]) -> None:
    first = runner.invoke(app, ["diff", "-", files[1]], input=OLD.encode())
    second = runner.invoke(app, ["diff", files[0], "-"], input=NEW.encode())
    plain = runner.invoke(app, ["diff", *files])
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout == plain.stdout
    same = runner.invoke(app, ["diff", "-", files[0]], input=OLD.encode())
    assert same.exit_code == 0


def test_unified_names_stdin(files: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", "-f", "unified", "-", files[1]], input=OLD.encode())
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == ["--- <stdin>", f"+++ {files[1]}"]
    assert result.stdout.splitlines()[2].endswith("@@ Bravo Root")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["diff", "-", "-"], "certdata-tool: error: OLD and NEW cannot both be - "),
        (["diff", "missing.txt", "{old}"], "certdata-tool: error: missing.txt: no such file"),
        (["diff", "{old}", "{bad}"], "certdata-tool: error: {bad}:"),
    ],
    ids=["both-stdin", "missing-file", "malformed"],
)
def test_trouble_exits_2_with_one_line(tmp_path: Path, files: tuple[str, str], arguments: list[str],
                                       message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("no BEGINDATA here\n", encoding="utf-8")
    values = {"old": files[0], "bad": str(bad)}
    result = runner.invoke(app, [a.format(**values) for a in arguments])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message.format(**values))
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(files: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", "--format", "html", *files])
    assert result.exit_code == 2


@pytest.mark.parametrize("output_format", [f for f in DiffFormat if f is not DiffFormat.SPEC])
def test_every_format(files: tuple[str, str], output_format: DiffFormat) -> None:
    # `spec` belongs to render/spec.py and is tested there.
    result = runner.invoke(app, ["diff", "--format", output_format.value, *files])
    assert result.exit_code == 1, result.stderr
    assert "Bravo Root" in result.stdout
    assert "\x1b" not in result.stdout
    if output_format is DiffFormat.JSON:
        document = json.loads(result.stdout)
        assert document["modified"][0]["changes"] == {
            "trust.server_auth": {"old": "trusted_delegator", "new": "must_verify_trust"}}
    identical = runner.invoke(app, ["diff", "--format", output_format.value, files[0], files[0]])
    assert identical.exit_code == 0


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch, files: tuple[str, str],
                                              no_color: str | None, coloured: bool) -> None:
    # stdout is a terminal
    monkeypatch.setattr("certdata_tool.cli.commands.diff.use_colour", lambda stream: use_colour(_Terminal()))
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    result = runner.invoke(app, ["diff", *files])
    assert result.exit_code == 1
    assert ("\x1b[" in result.stdout) is coloured
    assert "Websites: " in result.stdout


def test_no_colour_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch, files: tuple[str, str]) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b" not in runner.invoke(app, ["diff", *files]).stdout


@pytest.mark.corpus
def test_python_m_on_the_globaltrust_pair() -> None:
    folder = require_corpus()
    assert folder == corpus_dir()
    result = subprocess.run(
        [sys.executable, "-m", "certdata_tool", "diff", "certdata-2024-05-30-bb4242fc1.txt",
         "certdata-2024-06-13-469e60ef4.txt"],
        cwd=folder, capture_output=True, check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == (CASES / "globaltrust" / "text.txt").read_bytes()
    assert result.stderr == b""
