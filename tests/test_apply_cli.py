"""`certdata-tool apply` and `schema` through CliRunner: outputs, reports, --check, nssckbi.h, bad specs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TESTS_DIR, corpus_file
from test_engine import GLOBALTRUST_SPEC, assert_golden, diff_text
from typer.testing import CliRunner, Result

from certdata_tool.cli import app
from certdata_tool.spec.schema import render_schema
from certdata_tool.syntax.nssckbi import NssckbiError, bump

SAMPLE = PROJECT_ROOT / "samples" / "certdata.txt"
SAMPLES = sorted((PROJECT_ROOT / "samples").glob("*.yaml"))
GOLDEN = TESTS_DIR / "cases" / "apply"

# Just the #define lines NSS's lib/ckfw/builtins/nssckbi.h carries, around words of our own.
NSSCKBI = """\
/* A test stand-in for NSS's nssckbi.h: only the version lines matter. */
#ifndef NSSCKBI_H
#define NSSCKBI_H

#define NSS_BUILTINS_CRYPTOKI_VERSION_MAJOR 2
#define NSS_BUILTINS_CRYPTOKI_VERSION_MINOR 20

/* Bumped with every change to the list of roots; even on the main line. */
#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2
#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68
#define NSS_BUILTINS_LIBRARY_VERSION "2.68"

#define NSS_BUILTINS_HARDWARE_VERSION_MAJOR 1
#define NSS_BUILTINS_HARDWARE_VERSION_MINOR 0

#endif /* NSSCKBI_H */
"""
DISTRUST_SPEC = (PROJECT_ROOT / "samples" / "distrust-after.yaml").read_text(encoding="utf-8")
NEW_ROOT = PROJECT_ROOT / "samples" / "roots" / "new-root.pem"
ROOT_CA_1 = PROJECT_ROOT / "samples" / "roots" / "example-root-ca-1.pem"
EMAIL_ROOT = PROJECT_ROOT / "samples" / "roots" / "example-email-root.pem"
# What `apply` says on standard error for a sample spec (nothing for most of them).
ED25519 = "Ed25519 key: Mozilla's policy and NSS's root store accept only RSA and ECDSA (P-256, P-384) keys"
SAMPLE_WARNINGS = {"add": f"changes[0].add.certificate: {ED25519}"}
SAMPLE_WARNING_LINES = {"add": 10}


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with certdata.txt, spec.yaml, nssckbi.h and an existing out.txt; the current directory."""
    (tmp_path / "certdata.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "spec.yaml").write_text(DISTRUST_SPEC, encoding="utf-8")
    (tmp_path / "nssckbi.h").write_text(NSSCKBI, encoding="utf-8")
    (tmp_path / "out.txt").write_text("an older output\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def expected_after_sample_spec() -> bytes:
    from certdata_tool.applying.editor import apply
    from certdata_tool.spec.load import load_spec
    from certdata_tool.syntax.nssfile import dump, parse

    return dump(apply(parse(SAMPLE.read_bytes()), load_spec(DISTRUST_SPEC))).encode("utf-8")


# -- where things go ---------------------------------------------------------------------------------


def test_without_output_the_certdata_goes_to_stdout_and_the_report_to_stderr(work: Path) -> None:
    result = run("apply", "certdata.txt", "spec.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected_after_sample_spec()
    assert_golden(GOLDEN / "samples" / "distrust-after.report.txt", result.stderr)
    assert (work / "certdata.txt").read_bytes() == SAMPLE.read_bytes()


def test_output_dash_is_stdout_too(work: Path) -> None:
    result = run("apply", "certdata.txt", "spec.yaml", "-o", "-", "--report", "none")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout_bytes == expected_after_sample_spec()


def test_output_file_gets_the_certdata_and_stdout_the_report(work: Path) -> None:
    result = run("apply", "certdata.txt", "spec.yaml", "-o", "out.txt")
    assert (result.exit_code, result.stderr) == (0, "")
    assert (work / "out.txt").read_bytes() == expected_after_sample_spec()
    assert result.stdout == (GOLDEN / "samples" / "distrust-after.report.txt").read_text(encoding="utf-8")
    assert sorted(path.name for path in work.iterdir()) == [
        "certdata.txt",
        "nssckbi.h",
        "out.txt",
        "spec.yaml",
    ]


def test_in_place_replaces_the_file_and_leaves_it_alone_when_nothing_changes(work: Path) -> None:
    result = run("apply", "certdata.txt", "spec.yaml", "--in-place", "--report", "none")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (work / "certdata.txt").read_bytes() == expected_after_sample_spec()
    before = (work / "certdata.txt").stat()
    result = run("apply", "certdata.txt", "spec.yaml", "--in-place")
    assert result.exit_code == 0
    assert result.stdout.endswith("no differences\n")
    after = (work / "certdata.txt").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_check_sets_the_exit_code_and_writes_nothing(work: Path) -> None:
    files = snapshot(work)
    result = run("apply", "certdata.txt", "spec.yaml", "--check")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")
    assert snapshot(work) == files
    (work / "applied.txt").write_bytes(expected_after_sample_spec())
    result = run("apply", "applied.txt", "spec.yaml", "--check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    result = run(
        "apply", "certdata.txt", "spec.yaml", "--check", "--report", "markdown", "--nssckbi", "nssckbi.h"
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("### Example Root CA 1: set Distrust After for TLS and S/MIME — 1 root "
                                    "modified, 0 added, 0 removed\n")
    assert result.stdout.endswith("**nssckbi.h** (`nssckbi.h`): library version `2.68` → `2.70`\n")
    assert snapshot(work) == {**files, "applied.txt": expected_after_sample_spec()}


def test_standard_input(work: Path) -> None:
    result = run("apply", "-", "spec.yaml", "--report", "none", stdin=SAMPLE.read_bytes())
    assert result.exit_code == 0
    assert result.stdout_bytes == expected_after_sample_spec()
    result = run("apply", "certdata.txt", "-", "--report", "none", stdin=DISTRUST_SPEC.encode("utf-8"))
    assert result.stdout_bytes == expected_after_sample_spec()


def test_json_report_carries_title_bug_and_the_bump(work: Path) -> None:
    result = run(
        "apply", "certdata.txt", "spec.yaml", "-o", "out.txt", "--report", "json", "--nssckbi", "nssckbi.h"
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema"] == "certdata-tool/diff/1"
    assert (document["title"], document["bug"]) == (
        "Example Root CA 1: set Distrust After for TLS and S/MIME",
        "1234567",
    )
    assert document["modified"][0]["changes"] == {
        "distrust_after.server": {"old": None, "new": "2025-04-15T23:59:59Z"},
        "distrust_after.email": {"old": None, "new": "2025-04-15T23:59:59Z"},
    }
    assert document["nssckbi"] == {"path": "nssckbi.h", "old": "2.68", "new": "2.70"}
    assert "\x1b" not in result.stdout


def test_several_specs_join_titles_and_bugs(work: Path) -> None:
    (work / "two.yaml").write_text(
        "version: 1\ntitle: Second\nbug: 7\nchanges:\n"
        "- {select: {label: Example Legacy Root}, remove: true}\n",
        encoding="utf-8",
    )
    result = run("apply", "certdata.txt", "spec.yaml", "two.yaml", "-o", "out.txt", "--report", "json")
    document = json.loads(result.stdout)
    assert (document["title"], document["bug"]) == (
        "Example Root CA 1: set Distrust After for TLS and S/MIME; Second",
        "1234567, 7",
    )
    assert [root["label"] for root in document["removed"]] == ["Example Legacy Root"]


def test_warnings_go_to_stderr(work: Path) -> None:
    (work / "rename.yaml").write_text(
        "version: 1\nchanges:\n- select: {label: Example Root CA 1}\n  rename: Example Email Root\n",
        encoding="utf-8",
    )
    result = run("apply", "certdata.txt", "rename.yaml", "-o", "out.txt", "--report", "none")
    assert result.exit_code == 0
    assert result.stderr == (
        "certdata-tool: warning: rename.yaml:4: changes[0].rename: the label 'Example Email "
        "Root' is now used by 2 roots (certdata.txt lines 84, 184); NSS expects labels to "
        "be unique\n"
    )


# -- samples -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_every_sample_applies_to_the_sample_file(path: Path, work: Path) -> None:
    result = run("apply", str(SAMPLE), str(path), "-o", "out.txt", "--report", "text")
    # The sample roots have Ed25519 keys (deterministic signatures), which an add warns about.
    warning = (
        f"certdata-tool: warning: {path}:{SAMPLE_WARNING_LINES[path.stem]}: {SAMPLE_WARNINGS[path.stem]}\n"
        if path.stem in SAMPLE_WARNINGS
        else ""
    )
    assert (result.exit_code, result.stderr) == (0, warning), result.output
    after = (work / "out.txt").read_text(encoding="utf-8")
    assert_golden(
        GOLDEN / "samples" / f"{path.stem}.diff", diff_text(SAMPLE.read_text(encoding="utf-8"), after)
    )
    assert_golden(GOLDEN / "samples" / f"{path.stem}.report.txt", result.stdout)
    again = run("apply", "out.txt", str(path), "--check")
    assert again.exit_code == 0, again.output


# -- nssckbi.h ---------------------------------------------------------------------------------------


def test_nssckbi_is_bumped_with_the_certdata(work: Path) -> None:
    result = run("apply", "certdata.txt", "spec.yaml", "--in-place", "--nssckbi", "nssckbi.h")
    assert result.exit_code == 0
    assert result.stdout.endswith("nssckbi.h (nssckbi.h): library version 2.68 → 2.70\n")
    assert (work / "nssckbi.h").read_text(encoding="utf-8") == NSSCKBI.replace(
        "MINOR 68", "MINOR 70"
    ).replace('"2.68"', '"2.70"')
    # Already applied: neither file changes, and the report says so.
    result = run("apply", "certdata.txt", "spec.yaml", "--in-place", "--nssckbi", "nssckbi.h")
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "nssckbi.h (nssckbi.h): library version 2.70 unchanged (the certdata did not change)\n"
    )
    assert '"2.70"' in (work / "nssckbi.h").read_text(encoding="utf-8")


def test_nssckbi_explicit_version(work: Path) -> None:
    result = run(
        "apply",
        "certdata.txt",
        "spec.yaml",
        "-o",
        "out.txt",
        "--nssckbi",
        "nssckbi.h",
        "--nssckbi-version",
        "2.69",
        "--report",
        "none",
    )
    assert result.exit_code == 0
    assert '#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 69\n#define NSS_BUILTINS_LIBRARY_VERSION "2.69"\n' in (
        work / "nssckbi.h"
    ).read_text(encoding="utf-8")


def test_a_bad_nssckbi_writes_nothing(work: Path) -> None:
    (work / "nssckbi.h").write_text(NSSCKBI.replace('"2.68"', '"2.66"'), encoding="utf-8")
    files = snapshot(work)
    result = run("apply", "certdata.txt", "spec.yaml", "-o", "new.txt", "--nssckbi", "nssckbi.h")
    assert result.exit_code == 2
    assert result.stderr == (
        'certdata-tool: error: nssckbi.h:11: NSS_BUILTINS_LIBRARY_VERSION "2.66" does not match '
        "NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2 and NSS_BUILTINS_LIBRARY_VERSION_MINOR 68; fix "
        "the file by hand first\n"
    )
    assert snapshot(work) == files


def test_a_version_that_cannot_go_higher_names_the_option_that_sets_one(work: Path) -> None:
    """The library asks for the new version; the command line says which option gives it."""
    (work / "nssckbi.h").write_text(NSSCKBI.replace("MINOR 68", "MINOR 254").replace('"2.68"', '"2.254"'),
                                    encoding="utf-8")
    files = snapshot(work)
    result = run("apply", "certdata.txt", "spec.yaml", "-o", "new.txt", "--nssckbi", "nssckbi.h")
    assert (result.exit_code, result.stderr) == (2, (
        "certdata-tool: error: nssckbi.h:10: NSS_BUILTINS_LIBRARY_VERSION_MINOR 254 cannot go higher (it "
        "is a CK_BYTE); choose the new version with --nssckbi-version\n"))
    assert snapshot(work) == files


@pytest.mark.parametrize(
    ("minor", "explicit", "new_minor"),
    [
        (68, None, 70),
        (69, None, 70),
        (0, None, 2),
        (98, None, 100),
        (68, "2.69", 69),
        (68, "2.68", 68),
        (68, "3.0", 0),
    ],
)
def test_bump_rules(minor: int, explicit: str | None, new_minor: int) -> None:
    header = NSSCKBI.replace("LIBRARY_VERSION_MINOR 68", f"LIBRARY_VERSION_MINOR {minor}").replace(
        '"2.68"', f'"2.{minor}"'
    )
    text, old, new = bump(header, explicit)
    major = 3 if explicit == "3.0" else 2
    assert (old, new) == (f"2.{minor}", f"{major}.{new_minor}")
    assert text == header.replace(
        f"LIBRARY_VERSION_MINOR {minor}\n", f"LIBRARY_VERSION_MINOR {new_minor}\n"
    ).replace(f'"2.{minor}"', f'"{major}.{new_minor}"').replace(
        "LIBRARY_VERSION_MAJOR 2", f"LIBRARY_VERSION_MAJOR {major}"
    )


@pytest.mark.parametrize(
    ("header", "explicit", "message"),
    [
        (
            NSSCKBI.replace("#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n", ""),
            None,
            "nssckbi.h: no #define NSS_BUILTINS_LIBRARY_VERSION_MINOR line: is this NSS's "
            "lib/ckfw/builtins/nssckbi.h?",
        ),
        (
            NSSCKBI.replace("MINOR 68", "MINOR sixty"),
            None,
            "nssckbi.h:10: NSS_BUILTINS_LIBRARY_VERSION_MINOR is 'sixty', expected a number from 0 to 255",
        ),
        (
            NSSCKBI.replace('"2.68"', "2.68"),
            None,
            'nssckbi.h:11: NSS_BUILTINS_LIBRARY_VERSION is 2.68, expected a string such as "2.86"',
        ),
        (
            NSSCKBI + "#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 70\n",
            None,
            "nssckbi.h:17: #define NSS_BUILTINS_LIBRARY_VERSION_MINOR appears 2 times (lines 10, 17); "
            "expected once",
        ),
        (
            NSSCKBI.replace("MINOR 68", "MINOR 254").replace('"2.68"', '"2.254"'),
            None,
            "nssckbi.h:10: NSS_BUILTINS_LIBRARY_VERSION_MINOR 254 cannot go higher (it is a CK_BYTE); choose "
            "the new version",
        ),
        (NSSCKBI, "2.66", "nssckbi.h:10: the version 2.66 is lower than the file's 2.68"),
        (NSSCKBI, "2.x", "bad version '2.x': expected MAJOR.MINOR such as 2.87, each at most 255"),
        (NSSCKBI, "2.256", "bad version '2.256': expected MAJOR.MINOR such as 2.87, each at most 255"),
    ],
)
def test_bump_errors(header: str, explicit: str | None, message: str) -> None:
    with pytest.raises(NssckbiError) as caught:
        bump(header, explicit)
    assert str(caught.value) == message


# -- usage errors and bad specs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "out.txt", "--in-place"), "-o/--output and --in-place cannot be used together"),
        (
            ("--check", "-o", "out.txt"),
            "--check writes nothing: it cannot be used with -o/--output or --in-place",
        ),
        (("--nssckbi-version", "2.69"), "--nssckbi-version needs --nssckbi PATH"),
        (("--nssckbi", "-"), "--nssckbi needs the path of nssckbi.h, not - (it is changed in place)"),
        (("-o", "new.txt", "--nssckbi", "missing.h"), "missing.h: no such file"),
    ],
)
def test_option_conflicts(work: Path, args: tuple[str, ...], message: str) -> None:
    files = snapshot(work)
    result = run("apply", "certdata.txt", "spec.yaml", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"certdata-tool: error: {message}\n")
    assert snapshot(work) == files


def test_stdin_only_once_and_in_place_needs_a_file(work: Path) -> None:
    result = run("apply", "-", "-", stdin=b"")
    assert result.stderr == (
        "certdata-tool: error: standard input (-) can be read only once: give at most one - "
        "among CERTDATA and SPEC\n"
    )
    result = run("apply", "-", "spec.yaml", "--in-place", stdin=b"")
    assert result.stderr == "certdata-tool: error: --in-place needs a file, not - (standard input)\n"


# Each bad spec with its exact message, as data: tests/cases/apply/bad-specs/<case>/spec.yaml and
# message.txt (one line). The spec file is bad.yaml when applied; its line numbers are 1-based.
BAD_SPEC_CASES = sorted((GOLDEN / "bad-specs").iterdir())
# `{samples}` in a spec stands for this checkout's samples/ folder.
_SAMPLES_FOLDER = str(PROJECT_ROOT / "samples")
BAD_SPECS = [((case / "spec.yaml").read_bytes().decode("utf-8").replace("{samples}", _SAMPLES_FOLDER),
              (case / "message.txt").read_bytes().decode("utf-8").removesuffix("\n"))
             for case in BAD_SPEC_CASES]


@pytest.mark.parametrize(("spec_text", "message"), BAD_SPECS, ids=[case.name for case in BAD_SPEC_CASES])
@pytest.mark.parametrize("target", ["output", "in-place", "new-output"])
def test_bad_specs_exit_2_with_the_exact_message_and_write_nothing(
    work: Path, spec_text: str, message: str, target: str
) -> None:
    (work / "bad.yaml").write_text(spec_text, encoding="utf-8")
    files = snapshot(work)
    # A valid spec before the bad one: nothing of it may be written either.
    args = {"output": ("-o", "out.txt"), "in-place": ("--in-place",), "new-output": ("-o", "new.txt")}[target]
    result = run("apply", "certdata.txt", "spec.yaml", "bad.yaml", *args, "--nssckbi", "nssckbi.h")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"certdata-tool: error: {message}\n"
    assert snapshot(work) == files  # no file created or changed, no temporary file left


def test_at_least_twenty_bad_specs() -> None:
    assert len(BAD_SPECS) >= 20


def test_unreadable_specs(work: Path) -> None:
    (work / "latin1.yaml").write_bytes(b"version: 1\n# caf\xe9\n")
    files = snapshot(work)
    result = run("apply", "certdata.txt", "latin1.yaml", "-o", "out.txt")
    assert (result.exit_code, result.stderr) == (
        2,
        "certdata-tool: error: latin1.yaml:2: not valid UTF-8 (byte 0xe9); a change spec is UTF-8 text\n",
    )
    result = run("apply", "certdata.txt", "missing.yaml", "-o", "out.txt")
    assert (result.exit_code, result.stderr) == (2, "certdata-tool: error: missing.yaml: no such file\n")
    assert snapshot(work) == files


def test_a_spec_with_a_byte_order_mark_is_fine(work: Path) -> None:
    (work / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + DISTRUST_SPEC.encode("utf-8"))
    result = run("apply", "certdata.txt", "bom.yaml", "--report", "none")
    assert result.stdout_bytes == expected_after_sample_spec()


# -- schema ------------------------------------------------------------------------------------------


def test_schema_command_prints_the_schema() -> None:
    result = run("schema")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == render_schema()
    assert json.loads(result.stdout)["title"] == "certdata-tool change spec, version 1"


# -- the reference case, end to end --------------------------------------------------------------------


def test_globaltrust_end_to_end_and_fast(tmp_path: Path) -> None:
    before = corpus_file("certdata-2024-05-30-bb4242fc1.txt")
    expected = corpus_file("certdata-2024-06-13-469e60ef4.txt")
    (tmp_path / "certdata.txt").write_bytes(before)
    (tmp_path / "spec.yaml").write_text(GLOBALTRUST_SPEC, encoding="utf-8")
    args = [
        "apply",
        str(tmp_path / "certdata.txt"),
        str(tmp_path / "spec.yaml"),
        "-o",
        str(tmp_path / "out.txt"),
    ]
    assert run(*args).exit_code == 0  # warms the imports the timing below must not count
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result = run(*args)
        timings.append(time.perf_counter() - start)
        assert result.exit_code == 0
    assert (tmp_path / "out.txt").read_bytes() == expected
    assert min(timings) < 0.2, f"apply took {min(timings):.3f} s on the 1.3 MB file"
    check = run("apply", str(tmp_path / "out.txt"), str(tmp_path / "spec.yaml"), "--check")
    assert check.exit_code == 0


def test_python_m_runs_apply(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(DISTRUST_SPEC, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "certdata_tool", "apply", str(SAMPLE), str(tmp_path / "spec.yaml"), "--check"],
        capture_output=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=PROJECT_ROOT,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (1, b"", b"")
