"""A fresh clone has no ../shared: every test that needs the corpus must skip, never fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, corpus_missing_reason


def test_the_corpus_gate_names_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTDATA_CORPUS", str(tmp_path))
    reason = corpus_missing_reason()
    assert reason is not None and str(tmp_path) in reason


def test_corpus_tests_skip_with_an_empty_corpus_folder(tmp_path: Path) -> None:
    # The marked tests and every module that reads the corpus, run against an empty folder.
    env = {**os.environ, "CERTDATA_CORPUS": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "corpus", "-rs",
         str(PROJECT_ROOT / "tests")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    tail = result.stdout[-3000:]
    assert result.returncode == 0, tail
    assert " failed" not in tail and " error" not in tail, tail
    assert "skipped" in tail and f"real NSS corpus not found at {tmp_path}" in result.stdout, tail


def _readme_commands() -> list[str]:
    """The commands of the README's first two ```sh blocks: install-and-run, then the tests."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```sh\n")[1:3]
    return [block.split("\n```", 1)[0].strip() for block in blocks]


def test_ci_lints_first_then_runs_the_readmes_test_command_in_both_worlds() -> None:
    run, test_command = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8"), _readme_commands()[1]
    assert "pytest" in test_command
    first_test = run.index(f"\n{test_command}\n")
    assert run.index("ruff check .") < first_test and run.index("\n.venv/bin/mypy") < first_test
    # The newcomer's clone: the same command, with no corpus.
    assert run.index(test_command, first_test + 1 + len(test_command)) > run.index("test ! -e ../shared")
