"""Usage mistakes are user errors too: one `certdata-tool: error:` line, a hint line, exit 2."""

from __future__ import annotations

import csv

import pytest
from conftest import TESTS_DIR
from typer.testing import CliRunner

from certdata_tool.cli import app

# Each usage mistake with the message typer gives, as data: tests/cases/usage/errors.tsv (the
# arguments, space-separated; the message; the command the hint names).
with (TESTS_DIR / "cases" / "usage" / "errors.tsv").open(encoding="utf-8", newline="") as _table:
    CASES = [(row["args"].split(), row["message"], row["command"])
             for row in csv.DictReader(_table, delimiter="\t", quoting=csv.QUOTE_NONE)]


@pytest.mark.parametrize(("args", "message", "command"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_usage_errors_are_one_line_and_a_hint(args: list[str], message: str, command: str) -> None:
    result = CliRunner().invoke(app, args, prog_name="certdata-tool")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"certdata-tool: error: {message}",
                                          f"hint: {command} --help lists the arguments and options"]


def test_no_command_shows_the_help_on_stderr() -> None:
    result = CliRunner().invoke(app, [], prog_name="certdata-tool")
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: certdata-tool [OPTIONS] COMMAND [ARGS]...")
    assert "apply" in result.stderr and "export" in result.stderr
