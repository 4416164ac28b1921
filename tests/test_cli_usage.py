"""Usage mistakes are user errors too: one `certdata-tool: error:` line, a hint line, exit 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from certdata_tool.cli import app

CASES = [
    (["show"], "Missing argument 'CERTDATA'", "certdata-tool show"),
    (["show", "x", "--bogus"], "No such option: --bogus", "certdata-tool show"),
    (["frobnicate"], "No such command 'frobnicate'", "certdata-tool"),
    (["show", "-f", "xml", "x"],
     "Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'markdown'",
     "certdata-tool show"),
    (["--bogus"], "No such option: --bogus", "certdata-tool"),
    (["apply", "certdata.txt"], "Missing argument 'SPEC...'", "certdata-tool apply"),
]


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
