"""Shell completion (typer's --show-completion / --install-completion): the script a shell sources,
and the completion protocol it speaks, answered by a real certdata-tool process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("certdata-tool", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(SCRIPT is None, reason="the certdata-tool console script is not installed")


def _complete(words: str) -> list[str]:
    """What bash offers after `words` (the last word being completed), as the sourced script asks."""
    assert SCRIPT is not None
    parts = words.split(" ")
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1),
           "_CERTDATA_TOOL_COMPLETE": "complete_bash"}
    result = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout.split()


def test_commands_complete() -> None:
    assert _complete("certdata-tool sh") == ["show"]
    assert _complete("certdata-tool c") == ["changelog", "ccadb"]
    assert _complete("certdata-tool spec ") == ["add", "check"]


def test_options_and_their_choices_complete() -> None:
    assert _complete("certdata-tool export in.txt --for") == ["--format"]
    formats = ["pem", "openssl", "p11-kit", "directory", "java"]
    assert _complete("certdata-tool export in.txt --format ") == formats
    assert _complete("certdata-tool diff a b --format u") == ["unified"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash to detect")
def test_show_completion_prints_the_script_for_the_calling_shell() -> None:
    # The shell is found by looking at the parent process, as when a user types the command in bash.
    result = subprocess.run(["bash", "-c", f"'{SCRIPT}' --show-completion"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "_CERTDATA_TOOL_COMPLETE=complete_bash" in result.stdout
    assert "complete -o default -F _certdata_tool_completion certdata-tool" in result.stdout
