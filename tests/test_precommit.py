"""The pre-commit hooks (.pre-commit-hooks.yaml): each hook's `entry` run as pre-commit runs it, on the
files its `files` pattern picks, in a real process with the installed console script."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA_DIR, PROJECT_ROOT

HOOKS_FILE = PROJECT_ROOT / ".pre-commit-hooks.yaml"
SAMPLES = PROJECT_ROOT / "samples"
SCRIPT = "certdata-tool"


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load(HOOKS_FILE.read_text("utf-8"))
    assert isinstance(hooks, list)
    return {hook["id"]: hook for hook in hooks}


def _command(entry: str) -> list[str]:
    """The hook's entry as a process: the console script of this environment (pip installs it beside
    the interpreter, as pre-commit's own environment would), else `python -m certdata_tool`."""
    words = shlex.split(entry)
    assert words[0] == SCRIPT
    script = shutil.which(SCRIPT, path=str(Path(sys.executable).parent))
    return [script, *words[1:]] if script else [sys.executable, "-m", "certdata_tool", *words[1:]]


def _run_hook(hook_id: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """pre-commit's part: pick the staged files the `files` pattern matches (searched, as pre-commit
    does, in the path relative to the repository), pass them as arguments from the repository root."""
    hook = _hooks()[hook_id]
    pattern = re.compile(hook["files"])
    names = sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    chosen = [name for name in names if pattern.search(name)]
    assert chosen, "the hook would not run"
    return subprocess.run([*_command(hook["entry"]), *chosen], cwd=folder, capture_output=True, text=True,
                          timeout=120, check=False)


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_the_hooks_file_names_both_hooks_and_the_project_script() -> None:
    hooks = _hooks()
    assert set(hooks) == {"certdata-lint", "certdata-spec"}
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    for hook in hooks.values():
        assert hook["language"] == "python"  # pre-commit installs this repository with pip
        assert shlex.split(hook["entry"])[0] in scripts
        assert hook["name"] and hook["description"]


@pytest.mark.parametrize(("hook_id", "name", "picked"), [
    ("certdata-lint", "lib/ckfw/builtins/certdata.txt", True),
    ("certdata-lint", "certdata.txt", True),
    ("certdata-lint", "certdata.txt.orig", False),
    ("certdata-lint", "README.md", False),
    ("certdata-spec", "specs/bug-1901080.yaml", True),
    ("certdata-spec", "distrust.yml", True),
    ("certdata-spec", "lib/ckfw/builtins/certdata.txt", False),
])
def test_each_hook_picks_its_files(hook_id: str, name: str, picked: bool) -> None:
    assert bool(re.search(_hooks()[hook_id]["files"], name)) is picked


def test_lint_hook_passes_a_good_file(tmp_path: Path) -> None:
    _write(tmp_path, {"lib/ckfw/builtins/certdata.txt": (SAMPLES / "certdata.txt").read_bytes(),
                      "README.md": b"not picked\n"})
    result = _run_hook("certdata-lint", tmp_path)
    assert result.returncode == 0, result.stderr
    # Without --at the hook judges dates today: how many info findings there are depends on the day.
    assert re.fullmatch(r"lib/ckfw/builtins/certdata\.txt: \d+ findings? \(0 errors, 1 warning, \d+ info\)\n",
                        result.stderr), result.stderr


def test_lint_hook_fails_on_a_lint_error_in_any_of_several_files(tmp_path: Path) -> None:
    _write(tmp_path, {"a/certdata.txt": (SAMPLES / "certdata.txt").read_bytes(),
                      "b/certdata.txt": (DATA_DIR / "lint" / "CD101.txt").read_bytes()})
    result = _run_hook("certdata-lint", tmp_path)
    assert result.returncode == 1
    assert re.search(r"^b/certdata\.txt:\d+: error CD101 ", result.stdout, re.M), result.stdout
    assert re.search(r"^a/certdata\.txt: \d+ findings? \(0 errors, ", result.stderr, re.M), result.stderr
    assert re.search(r"^b/certdata\.txt: \d+ findings? \(1 error, ", result.stderr, re.M), result.stderr


def test_lint_hook_stops_on_a_malformed_file_with_the_message(tmp_path: Path) -> None:
    _write(tmp_path, {"certdata.txt": b"hello\n"})
    result = _run_hook("certdata-lint", tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("certdata-tool: error: certdata.txt:1: no BEGINDATA line: this is not a "
                             "certdata.txt file\n")


def _sample_specs() -> dict[str, bytes]:
    files = {f"specs/{path.name}": path.read_bytes() for path in SAMPLES.glob("*.yaml")}
    roots = (SAMPLES / "roots").glob("*.pem")
    files.update({f"specs/roots/{path.name}": path.read_bytes() for path in roots})
    return files


def test_spec_hook_passes_every_sample_spec_and_skips_other_yaml(tmp_path: Path) -> None:
    files = _sample_specs()
    files[".pre-commit-config.yaml"] = b"repos:\n  - repo: local\n    hooks: []\n"  # not a spec: left out
    _write(tmp_path, files)
    result = _run_hook("certdata-spec", tmp_path)
    assert result.returncode == 0, result.stderr
    specs = sorted(name for name in files if name.startswith("specs/") and name.endswith(".yaml"))
    assert result.stderr.splitlines() == [f"{name}: a valid change spec ({_count(tmp_path / name)})"
                                          for name in specs]
    assert result.stdout == ""


def _count(path: Path) -> str:
    changes = len(yaml.safe_load(path.read_text("utf-8"))["changes"])
    return f"{changes} change{'s' * (changes != 1)}"


def test_spec_hook_fails_on_each_bad_spec_with_its_message(tmp_path: Path) -> None:
    good = (SAMPLES / "distrust-after.yaml").read_bytes()
    _write(tmp_path, {
        "a-good.yaml": good,
        "b-typo.yaml": good.replace(b"distrust_after:", b"distrust_afer:"),
        "c-words.yaml": b"version: 1\nchanges:\n  - select: {label: X}\n"
                        b"    distrust_after: {server: June 30, 2024}\n",
        "d-missing-pem.yaml": (SAMPLES / "add.yaml").read_bytes(),  # its roots/new-root.pem is not there
    })
    result = _run_hook("certdata-spec", tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    lines = result.stderr.splitlines()
    assert lines[0] == "a-good.yaml: a valid change spec (1 change)"
    typo_line = _line(good, b"distrust_after:")
    assert lines[1] == (f"certdata-tool: error: b-typo.yaml:{typo_line}: changes[0].distrust_afer: unknown "
                        "key; expected select, distrust_after, trust, mozilla_ca_policy, rename or remove "
                        "(did you mean distrust_after?)")
    assert lines[2] == ("certdata-tool: error: c-words.yaml:4: changes[0].distrust_after.server: "
                        "'June 30, 2024' is a date in words (inside { } its comma ended the value); "
                        "expected 2024-06-30 or 2024-06-30T23:59:59Z")
    assert lines[3].startswith("hint: write server: 2024-06-30 ")
    assert re.fullmatch(r"certdata-tool: error: d-missing-pem\.yaml:\d+: changes\[0\]\.add\.certificate: "
                        r"roots/new-root\.pem \(relative to the spec's folder\): no such file", lines[4])
    assert len(lines) == 5


def _line(data: bytes, needle: bytes) -> int:
    return data[:data.index(needle)].count(b"\n") + 1
