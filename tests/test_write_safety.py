"""Issue 13: no link, owner, mode, race, closed stream or signal can hurt a file (the one write path)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from typer.testing import CliRunner, Result

from certdata_tool.cli import app
from certdata_tool.cli import files as fileio
from certdata_tool.cli.files import replace

SAMPLE = (PROJECT_ROOT / "samples" / "certdata.txt").read_bytes()
SPEC = (PROJECT_ROOT / "samples" / "distrust-after.yaml").read_bytes()
ROOT_PEM = (PROJECT_ROOT / "samples" / "roots" / "new-root.pem").read_bytes()
NSSCKBI = (b"#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n"
           b'#define NSS_BUILTINS_LIBRARY_VERSION "2.68"\n')
IS_ROOT = os.geteuid() == 0


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every name in `folder` (hidden ones too) with its bytes, or the target of a link."""
    return {path.name: (os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file()
                        else "folder") for path in sorted(folder.iterdir())}


def one_error(result: Result, *words: str) -> str:
    """The run failed with exit 2 and one error line (perhaps a hint) holding every one of `words`."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("certdata-tool: warning: ")]
    assert lines and lines[0].startswith("certdata-tool: error: "), result.stderr
    assert all(line.startswith("hint: ") for line in lines[1:]), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "certdata.txt").write_bytes(SAMPLE)
    (tmp_path / "spec.yaml").write_bytes(SPEC)
    (tmp_path / "nssckbi.h").write_bytes(NSSCKBI)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------- half-written changes


def test_a_failure_on_the_second_file_puts_the_first_back(work: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(work)
    real_replace = os.replace
    calls: list[object] = []

    def second_fails(*args: object, **kwargs: object) -> None:
        calls.append(args)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", second_fails)
    result = run("apply", "certdata.txt", "spec.yaml", "--in-place", "--nssckbi", "nssckbi.h")
    assert one_error(result, "nssckbi.h", "No space left on device")
    assert len(calls) == 3  # certdata.txt, nssckbi.h (fails), certdata.txt put back
    assert snapshot(work) == before


def test_both_files_change_together(work: Path) -> None:
    result = run("apply", "certdata.txt", "spec.yaml", "--in-place", "--nssckbi", "nssckbi.h")
    assert result.exit_code == 0, result.output
    assert (work / "certdata.txt").read_bytes() != SAMPLE
    assert b'"2.70"' in (work / "nssckbi.h").read_bytes()
    assert sorted(os.listdir(work)) == ["certdata.txt", "nssckbi.h", "spec.yaml"]


def test_an_unwritable_nssckbi_folder_changes_nothing(work: Path) -> None:
    (work / "include").mkdir()
    (work / "include" / "nssckbi.h").write_bytes(NSSCKBI)
    (work / "include").chmod(0o555)
    try:
        if IS_ROOT:  # root writes anywhere: a read-only header stands for the folder
            (work / "include" / "nssckbi.h").chmod(0o444)
        before = snapshot(work)
        result = run("apply", "certdata.txt", "spec.yaml", "--in-place", "--nssckbi", "include/nssckbi.h")
        one_error(result, "include/nssckbi.h")
        assert snapshot(work) == before
        assert (work / "include" / "nssckbi.h").read_bytes() == NSSCKBI
    finally:
        (work / "include").chmod(0o755)


# ---------------------------------------------------------------- races


def test_a_file_changed_since_it_was_read_is_not_replaced(work: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """What a second `apply --in-place` that finished first looks like to this one."""
    real = fileio.write_files
    other = SAMPLE.replace(b"Example Legacy Root", b"Example Legacy Root X")

    def another_run_wrote_first(*args: object, **kwargs: object) -> None:
        (work / "certdata.txt").write_bytes(other)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fileio, "write_files", another_run_wrote_first)
    monkeypatch.setattr("certdata_tool.cli.commands.apply.write_files", another_run_wrote_first)
    result = run("apply", "certdata.txt", "spec.yaml", "--in-place")
    one_error(result, "certdata.txt", "changed since certdata-tool read it")
    assert (work / "certdata.txt").read_bytes() == other


def test_a_file_replaced_since_it_was_read_is_not_replaced(work: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The same content under a new inode (an editor saved it): the lock of the old one means nothing."""
    real = fileio.write_files

    def saved_again(*args: object, **kwargs: object) -> None:
        (work / "copy").write_bytes(SAMPLE)
        os.replace(work / "copy", work / "certdata.txt")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("certdata_tool.cli.commands.apply.write_files", saved_again)
    one_error(run("apply", "certdata.txt", "spec.yaml", "--in-place"), "changed since")
    assert (work / "certdata.txt").read_bytes() == SAMPLE


def test_a_run_holding_the_lock_keeps_the_next_one_out(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replace, "_LOCK_WAIT", 0.2)
    with open(work / "certdata.txt", "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        one_error(run("apply", "certdata.txt", "spec.yaml", "--in-place"), "held a lock")
    assert (work / "certdata.txt").read_bytes() == SAMPLE
    assert run("apply", "certdata.txt", "spec.yaml", "--in-place").exit_code == 0


def test_two_concurrent_runs_never_lose_a_change(work: Path) -> None:
    """Two real processes: each applies a different change; both land, or one says it lost."""
    (work / "a.yaml").write_text('version: 1\nchanges:\n  - select: {label: "Example Root CA 1"}\n'
                                 "    rename: Renamed A\n")
    (work / "b.yaml").write_text('version: 1\nchanges:\n  - select: {label: "Example Legacy Root"}\n'
                                 "    rename: Renamed B\n")
    for _ in range(3):
        (work / "certdata.txt").write_bytes(SAMPLE)
        runs = [subprocess.Popen([sys.executable, "-m", "certdata_tool", "apply", "certdata.txt", spec,
                                  "--in-place", "--report", "none"], cwd=work, stderr=subprocess.PIPE)
                for spec in ("a.yaml", "b.yaml")]
        results = [(process.wait(timeout=60), process.communicate()[1].decode()) for process in runs]
        text = (work / "certdata.txt").read_text()
        for (code, stderr), label in zip(results, ("Renamed A", "Renamed B"), strict=True):
            if code == 0:
                assert f'"{label}"' in text, "a run that said it succeeded lost its change"
            else:
                assert code == 2 and "changed since certdata-tool read it" in stderr, stderr


# ---------------------------------------------------------------- links, owners, modes


def test_in_place_through_a_symbolic_link_replaces_the_file_it_names(work: Path) -> None:
    (work / "link.txt").symlink_to("certdata.txt")
    assert run("apply", "link.txt", "spec.yaml", "--in-place").exit_code == 0
    assert os.readlink(work / "link.txt") == "certdata.txt"
    assert (work / "certdata.txt").read_bytes() != SAMPLE


def test_a_hard_linked_file_is_refused(work: Path) -> None:
    os.link(work / "certdata.txt", work / "other-name.txt")
    before = snapshot(work)
    one_error(run("apply", "certdata.txt", "spec.yaml", "--in-place"), "2 hard links")
    assert snapshot(work) == before


def test_a_read_only_file_is_refused(work: Path) -> None:
    (work / "certdata.txt").chmod(0o444)
    before = snapshot(work)
    one_error(run("apply", "certdata.txt", "spec.yaml", "--in-place"), "read-only (mode 0444)")
    assert snapshot(work) == before
    assert (work / "certdata.txt").stat().st_mode & 0o777 == 0o444


@pytest.mark.skipif(not IS_ROOT, reason="only root can make a file of another user")
def test_in_place_as_root_keeps_the_owner_and_drops_setuid(work: Path) -> None:
    target = work / "certdata.txt"
    os.chown(target, 12345, 23456)
    target.chmod(0o4755)
    assert run("apply", "certdata.txt", "spec.yaml", "--in-place").exit_code == 0
    status = target.stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o7777) == (12345, 23456, 0o755)


@pytest.mark.skipif(IS_ROOT, reason="root can give a file to anyone")
def test_a_file_whose_owner_cannot_be_kept_is_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "certdata.txt").write_bytes(SAMPLE)
    (tmp_path / "spec.yaml").write_bytes(SPEC)

    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    real_plan = replace._plan

    def someone_elses(*args: object) -> replace._Plan:
        plan = real_plan(*args)  # type: ignore[arg-type]
        plan.owner = (os.geteuid() + 1, os.getegid())
        return plan

    monkeypatch.setattr(replace, "_plan", someone_elses)
    monkeypatch.setattr(os, "fchown", refuse)
    one_error(run("apply", "certdata.txt", "spec.yaml", "--in-place"), "could not keep")
    assert (tmp_path / "certdata.txt").read_bytes() == SAMPLE


# ---------------------------------------------------------------- output = input


@pytest.mark.parametrize("args", [
    ("spec", "add", "root.pem", "-o", "root.pem"),
    ("spec", "add", "root.pem", "-o", "root-link.pem"),
    ("export", "certdata.txt", "-o", "certdata.txt"),
    ("export", "certdata.txt", "-o", "certdata-link.txt"),
    ("apply", "certdata.txt", "spec.yaml", "-o", "certdata.txt"),
    ("apply", "certdata.txt", "spec.yaml", "-o", "spec.yaml"),
    ("apply", "certdata.txt", "spec.yaml", "-o", "nssckbi.h", "--nssckbi", "nssckbi.h"),
    ("apply", "certdata.txt", "add.yaml", "-o", "root.pem"),
], ids=lambda args: " ".join(args))
def test_an_output_that_is_an_input_is_refused(work: Path, args: tuple[str, ...]) -> None:
    (work / "root.pem").write_bytes(ROOT_PEM)
    (work / "root-link.pem").symlink_to("root.pem")
    (work / "add.yaml").write_text("version: 1\nchanges:\n  - add:\n      certificate: root.pem\n"
                                   "      label: New Root\n      trust: {server_auth: trusted_delegator}\n")
    (work / "certdata-link.txt").symlink_to("certdata.txt")
    before = snapshot(work)
    result = run(*args)
    one_error(result)
    assert "input" in result.stderr or "same file" in result.stderr
    assert snapshot(work) == before


# ---------------------------------------------------------------- misleading paths


def test_an_output_ending_in_a_slash_is_not_made_a_file(work: Path) -> None:
    one_error(run("export", "certdata.txt", "-o", "bundle/"), "bundle/", "names a folder")
    assert not (work / "bundle").exists()


def test_a_dangling_link_into_a_missing_folder_says_so(work: Path) -> None:
    (work / "out.pem").symlink_to("nowhere/out.pem")
    one_error(run("export", "certdata.txt", "-o", "out.pem"), "symbolic link to 'nowhere/out.pem'")


def test_a_dangling_link_is_written_through(work: Path) -> None:
    (work / "out.pem").symlink_to("real.pem")
    assert run("export", "certdata.txt", "-o", "out.pem").exit_code == 0
    assert (work / "out.pem").is_symlink() and (work / "real.pem").read_bytes().startswith(b"#")


def test_a_directory_export_to_the_current_folder_is_refused(work: Path) -> None:
    before = snapshot(work)
    one_error(run("export", "certdata.txt", "-f", "directory", "-o", "."), "the folder you are in")
    assert snapshot(work) == before


def test_a_manifest_that_links_to_dev_zero_is_not_read(work: Path) -> None:
    (work / "roots").mkdir()
    (work / "roots" / ".certdata-tool-export").symlink_to("/dev/zero")
    one_error(run("export", "certdata.txt", "-f", "directory", "-o", "roots"), "symbolic link")


def test_read_bounded_refuses_devices_and_large_files(tmp_path: Path) -> None:
    from certdata_tool.errors import CertdataError

    with pytest.raises(CertdataError, match="not a regular file"):
        fileio.read_bounded("/dev/zero", 100, source="x")
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(CertdataError, match="larger than 100 bytes"):
        fileio.read_bounded(tmp_path / "big", 100, source="x")
    assert fileio.read_bounded(tmp_path / "big", 101, source="x") == b"x" * 101


# ---------------------------------------------------------------- leftovers


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_temporaries_of_dead_runs_are_removed(work: Path) -> None:
    dead = _dead_pid()
    stale_folder = work / f"{fileio.TEMPORARY_PREFIX}{dead}-0badf00d-roots.x1"
    stale_folder.mkdir()
    (stale_folder / "half.pem").write_bytes(b"-----BEGIN")
    (work / f"{fileio.TEMPORARY_PREFIX}{dead}-deadbeef-certdata.txt").write_bytes(b"whole copy")
    alive = work / f"{fileio.TEMPORARY_PREFIX}{os.getppid()}-12345678-roots"  # a live process's: kept
    alive.mkdir()
    assert run("export", "certdata.txt", "-f", "directory", "-o", "roots").exit_code == 0
    assert sorted(os.listdir(work)) == sorted(["certdata.txt", "spec.yaml", "nssckbi.h", "roots", alive.name])


# ---------------------------------------------------------------- standard output and error


def _cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "certdata_tool", *args], cwd=cwd, capture_output=True,
                          timeout=60, check=False, env=env)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_standard_output_is_the_tools_own_error(work: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "certdata_tool", "show", "certdata.txt"], cwd=work,
                                stdout=full, stderr=subprocess.PIPE, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.decode() == ("certdata-tool: error: cannot write standard output: "
                                      "No space left on device\n")


def test_a_closed_standard_output_is_the_tools_own_error(work: Path) -> None:
    result = subprocess.run(f"{sys.executable} -m certdata_tool show certdata.txt >&-", shell=True, cwd=work,
                            stderr=subprocess.PIPE, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.decode() == "certdata-tool: error: cannot write standard output: it is closed\n"


def test_a_closed_pipe_ends_quietly_by_sigpipe(work: Path) -> None:
    """`certdata-tool diff ... | head -1`: no message, and not 1 (which means "differences")."""
    # 50 000 new comment lines: a report far larger than a pipe's buffer (64 KB).
    (work / "new.txt").write_bytes(SAMPLE.replace(b"BEGINDATA", b"# more\n" * 50_000 + b"BEGINDATA"))
    process = subprocess.Popen([sys.executable, "-m", "certdata_tool", "diff", "certdata.txt", "new.txt",
                                "--format", "unified"], cwd=work, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()  # the reader goes away, as head does
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == -13  # SIGPIPE: a shell shows 141
    assert stderr == b"", stderr


def test_messages_are_utf8_whatever_the_locale(work: Path) -> None:
    # The trust object of a root cut away: every command warns about the root, by its label.
    text = SAMPLE.decode().replace("Example Root CA 1", "Autorité")
    start = text.index("CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST")
    end = text.index("CKA_CLASS", start + 1)
    (work / "label.txt").write_text(text[:start] + text[end:], encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    result = _cli(["export", "label.txt", "-o", "out.pem"], work, env=env)
    assert b"Traceback" not in result.stderr
    assert "Autorité".encode() in result.stderr, result.stderr
