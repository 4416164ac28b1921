"""Start-up: a run loads only what its command needs (issue 12). Each case runs the entry point in a
fresh interpreter and lists the modules it loaded; no timing here (docs/benchmarks.md has those)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

CERTDATA = PROJECT_ROOT / "samples" / "certdata.txt"
SPEC = PROJECT_ROOT / "samples" / "distrust-after.yaml"
# Loaded by no plain export: the X.509 and YAML libraries, and the parts of the tool for options
# the run did not give (exclusions, profiles, selectors, the DER reader, folders, hints); and no
# dataclass: the values on this path are NamedTuples (a frozen dataclass costs ~0.7 ms to define).
NOT_FOR_EXPORT = ("cryptography", "asn1crypto", "yaml", "certdata_tool.exporting.exclusions",
                  "certdata_tool.exporting.profiles", "certdata_tool.model.selectors",
                  "certdata_tool.x509.der", "tempfile", "shlex", "dataclasses")
# A spec that only changes existing roots checks no new certificate (lint reads the DER of the roots
# it changed with the tool's own reader).
NOT_FOR_MODIFY = ("cryptography", "asn1crypto", "tempfile", "shlex")
# Checking such a spec reads no certificate at all.
NOT_FOR_SPEC_CHECK = ("cryptography", "asn1crypto", "certdata_tool.x509.der", "certdata_tool.x509.nss_text")


def loaded(*args: str) -> tuple[int, list[str], list[str | None]]:
    """(exit code, the modules of interest loaded, the commands registered) of `certdata-tool ARGS`."""
    script = (
        "import json, sys\n"
        "watched = json.loads(sys.argv[2])\n"
        "from certdata_tool.cli import main\n"
        "sys.argv = ['certdata-tool', *json.loads(sys.argv[1])]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    code = done.code or 0\n"
        "from certdata_tool.cli.app import app\n"
        "names = [c.name or c.callback.__name__ for c in app.registered_commands]\n"
        "names += [g.name for g in app.registered_groups]\n"
        "print(json.dumps([code, sorted(m for m in watched if m in sys.modules), names]))\n"
    )
    watched = sorted({*NOT_FOR_EXPORT, *NOT_FOR_MODIFY, *NOT_FOR_SPEC_CHECK})
    result = subprocess.run([sys.executable, "-c", script, json.dumps(args), json.dumps(watched)],
                            capture_output=True, text=True, check=True)
    code, modules, names = json.loads(result.stdout.splitlines()[-1])
    return code, modules, names


def test_a_pem_export_loads_nothing_it_does_not_use(tmp_path: Path) -> None:
    code, modules, names = loaded("export", str(CERTDATA), "-o", str(tmp_path / "out.pem"))
    assert code == 0 and (tmp_path / "out.pem").read_bytes().startswith(b"# Trust anchors")
    assert [m for m in modules if m in NOT_FOR_EXPORT] == []
    assert names == ["export"]  # typer builds the options of the command the run names, no other


def test_an_export_loads_what_its_options_ask_for(tmp_path: Path) -> None:
    """The counter-check: the modules above are the ones those options use."""
    code, modules, _ = loaded("export", str(CERTDATA), "-o", str(tmp_path / "out"), "--profile", "debian",
                              "--exclude", "label=No Such Root", "--drop-expired", "--at", "2025-01-01")
    assert code == 0
    assert {"certdata_tool.exporting.exclusions", "certdata_tool.exporting.profiles",
            "certdata_tool.x509.der", "tempfile", "dataclasses"} <= set(modules)


def test_a_modify_only_spec_reads_no_certificate(tmp_path: Path) -> None:
    code, modules, names = loaded("apply", str(CERTDATA), str(SPEC), "-o", str(tmp_path / "new.txt"),
                                  "--report", "none")
    assert code == 0 and (tmp_path / "new.txt").is_file()
    assert [m for m in modules if m in NOT_FOR_MODIFY] == []
    assert names == ["apply"]


def test_checking_a_modify_only_spec_reads_no_certificate() -> None:
    code, modules, names = loaded("spec", "check", str(SPEC))
    assert code == 0
    assert [m for m in modules if m in NOT_FOR_SPEC_CHECK] == []
    assert names == ["spec"]


@pytest.mark.parametrize("args", [["--help"], ["exprt"], []], ids=["help", "typo", "nothing"])
def test_without_a_command_name_every_command_is_there(args: list[str]) -> None:
    """Help lists them all, and a typo gets its suggestion from all of them, in help order."""
    code, _, names = loaded(*args)
    assert code in (0, 2)
    assert names[:3] == ["show", "diff", "export"] and "apply" in names and "spec" in names
