"""Never a partial write: write_bytes unit tests, and real processes killed while they write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, corpus_file
from storegen import generate
from typer.testing import CliRunner

from certdata_tool.cli import app
from certdata_tool.cli import files as fileio
from certdata_tool.cli.files import atomic
from certdata_tool.errors import CertdataError

GLOBALTRUST_SPEC = PROJECT_ROOT / "benchmarks" / "globaltrust-2020.yaml"
APPLY_IN_PLACE = ["apply", "certdata.txt", str(GLOBALTRUST_SPEC), "--in-place", "--report", "none"]
OLD_FILE = "certdata-2024-05-30-bb4242fc1.txt"
NEW_FILE = "certdata-2024-06-13-469e60ef4.txt"


def entries(folder: Path) -> set[str]:
    return set(os.listdir(folder))


# ---------------------------------------------------------------- write_bytes in process


def test_writes_a_new_file_with_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    fileio.write_bytes(str(target), b"data\n")
    assert target.read_bytes() == b"data\n"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert entries(tmp_path) == {"out.txt"}


def test_replacing_keeps_the_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "certdata.txt"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    fileio.write_bytes(str(target), b"new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert entries(tmp_path) == {"certdata.txt"}


def test_a_large_write_is_whole(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40_000  # 10 MB: several write() calls
    fileio.write_bytes(str(tmp_path / "big"), data)
    assert (tmp_path / "big").read_bytes() == data


@pytest.mark.parametrize("fallback", [False, True], ids=["unnamed-file", "named-temporary-file"])
@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(28, "No space left on device")],
                         ids=["interrupt", "disk-full"])
def test_a_failed_write_leaves_the_target_and_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fallback: bool, failure: BaseException) -> None:
    target = tmp_path / "certdata.txt"
    target.write_bytes(b"original\n")
    if fallback:
        monkeypatch.setattr(atomic, "write_unnamed", _no_unnamed_files)

    def half_then_fail(handle: int, data: bytes) -> None:
        os.write(handle, data[: len(data) // 2])
        raise failure

    monkeypatch.setattr(atomic, "write_all", half_then_fail)
    expected = CertdataError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        fileio.write_bytes(str(target), b"replacement\n" * 1000)
    if isinstance(failure, OSError):
        assert str(caught.value) == f"{target}: cannot write: No space left on device"
    assert target.read_bytes() == b"original\n"
    assert entries(tmp_path) == {"certdata.txt"}


def _no_unnamed_files(*args: object) -> None:
    raise atomic.NoUnnamedFiles


def test_the_named_fallback_writes_whole_files_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "write_unnamed", _no_unnamed_files)
    target = tmp_path / "certdata.txt"
    target.write_bytes(b"old\n")
    target.chmod(0o600)
    fileio.write_bytes(str(target), b"new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert entries(tmp_path) == {"certdata.txt"}


def test_a_failed_rename_removes_the_linked_temporary_file(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "certdata.txt"
    target.write_bytes(b"original\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(CertdataError, match="cannot write: Permission denied"):
        fileio.write_bytes(str(target), b"new\n")
    assert target.read_bytes() == b"original\n"
    assert entries(tmp_path) == {"certdata.txt"}


def test_apply_error_writes_nothing(tmp_path: Path) -> None:
    """A spec that fails (the selector matches nothing) neither creates -o nor changes the input."""
    source = PROJECT_ROOT / "samples" / "certdata.txt"
    certdata = tmp_path / "certdata.txt"
    certdata.write_bytes(source.read_bytes())
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nchanges:\n  - select: {label: No Such Root}\n"
                    "    trust: {server_auth: not_trusted}\n")
    for args in (["-o", str(tmp_path / "out.txt")], ["--in-place"]):
        result = CliRunner().invoke(app, ["apply", str(certdata), str(spec), *args])
        assert result.exit_code == 2, result.output
        assert certdata.read_bytes() == source.read_bytes()
        assert entries(tmp_path) == {"certdata.txt", "spec.yaml"}


# ---------------------------------------------------------------- real processes, killed

# Runs the CLI with one step of write_bytes made to pause: it creates the marker file and sleeps,
# so the test kills the process at exactly that point.
_PAUSING_CLI = textwrap.dedent("""
    import os, sys, time
    import certdata_tool.cli.files.atomic as atomic
    stage, marker = os.environ["PAUSE_AT"], os.environ["PAUSE_MARKER"]

    def pause():
        open(marker, "w").close()
        time.sleep(float(os.environ.get("PAUSE_SECONDS", "60")))

    if os.environ.get("NO_UNNAMED") == "1":
        def no_unnamed(*args):
            raise atomic.NoUnnamedFiles
        atomic.write_unnamed = no_unnamed
    write_all, link_unnamed = atomic.write_all, atomic.link_unnamed

    def paused_write_all(handle, data):
        if stage == "mid-write":
            os.write(handle, data[: len(data) // 2])
            pause()
        write_all(handle, data)
        if stage == "after-write":
            pause()

    def paused_link(*args):
        name = link_unnamed(*args)
        if stage == "after-link":
            pause()
        return name

    signals_deferred = atomic.signals_deferred

    def paused_signals_deferred():
        if stage == "before-swap":  # the folder is built; its swap is about to start
            pause()
        return signals_deferred()

    atomic.write_all, atomic.link_unnamed = paused_write_all, paused_link
    atomic.signals_deferred = paused_signals_deferred
    from certdata_tool.cli import main
    sys.argv = ["certdata-tool", *sys.argv[1:]]
    main()
""")


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The real 2024-05-30 file made 10 times as large (13 MB), so that writing takes a while."""
    text = corpus_file(OLD_FILE).decode("utf-8")
    parts: list[str] = []
    generate(text, 10, parts.append)
    return "".join(parts).encode("utf-8")


def _default_signals() -> None:
    """Ctrl-C and SIGTERM as a user's shell delivers them. A job started in the background by a
    non-interactive shell (as CI may run us) inherits SIGINT ignored, and Python then never turns it
    into KeyboardInterrupt: the child must not inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _start_paused(args: list[str], stage: str, folder: Path, *, no_unnamed: bool = False,
                  seconds: float = 60) -> subprocess.Popen[bytes]:
    marker = folder.parent / f"marker-{stage}"
    marker.unlink(missing_ok=True)
    env = {**os.environ, "PAUSE_AT": stage, "PAUSE_MARKER": str(marker), "PAUSE_SECONDS": str(seconds),
           "NO_UNNAMED": "1" if no_unnamed else ""}
    process = subprocess.Popen([sys.executable, "-c", _PAUSING_CLI, *args], env=env, cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=_default_signals)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None:
            assert process.stderr is not None
            pytest.fail(f"the process ended before {stage}: {process.stderr.read().decode()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the process never reached {stage}")
        time.sleep(0.01)
    return process


def _applied(folder: Path) -> bytes:
    """What apply writes for certdata.txt in `folder` (to standard output: nothing is changed)."""
    command = [sys.executable, "-m", "certdata_tool", "apply", "certdata.txt", str(GLOBALTRUST_SPEC),
               "--report", "none"]
    return subprocess.run(command, cwd=folder, capture_output=True, check=True).stdout


def _kill(process: subprocess.Popen[bytes], how: signal.Signals) -> str:
    process.send_signal(how)
    stderr = _finish(process)
    assert process.returncode == -how, stderr
    return stderr


def _finish(process: subprocess.Popen[bytes]) -> str:
    """Wait for a signalled process (SIGKILL after 30 s, so that no test leaves one running)."""
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the process did not end on the signal")
    assert process.returncode != 0
    return stderr.decode("utf-8", "replace")


@pytest.mark.corpus
@pytest.mark.parametrize("stage", ["mid-write", "after-write"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_apply_in_place_killed_while_writing(tmp_path: Path, big_store: bytes, stage: str,
                                             how: signal.Signals) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "certdata.txt").write_bytes(big_store)
    process = _start_paused(APPLY_IN_PLACE,
                            stage, folder)
    stderr = _kill(process, how) if how is not signal.SIGINT else _interrupt(process)
    assert "Traceback" not in stderr or how is signal.SIGINT
    assert (folder / "certdata.txt").read_bytes() == big_store
    assert entries(folder) == {"certdata.txt"}


def _interrupt(process: subprocess.Popen[bytes]) -> str:
    """Ctrl-C: Python raises KeyboardInterrupt, which the write turns into clean-up and then exit."""
    process.send_signal(signal.SIGINT)
    return _finish(process)


@pytest.mark.corpus
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_named_fallback_killed_while_writing_cleans_up(tmp_path: Path, big_store: bytes,
                                                       how: signal.Signals) -> None:
    """Where O_TMPFILE is missing, a named temporary file exists; SIGTERM and Ctrl-C remove it."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "certdata.txt").write_bytes(big_store)
    process = _start_paused(APPLY_IN_PLACE,
                            "mid-write", folder, no_unnamed=True)
    assert len(entries(folder)) == 2  # the partial temporary file is there while it writes
    if how is signal.SIGTERM:
        _kill(process, how)
    else:
        _interrupt(process)
    assert (folder / "certdata.txt").read_bytes() == big_store
    assert entries(folder) == {"certdata.txt"}


@pytest.mark.corpus
def test_sigkill_between_link_and_rename_leaves_only_a_complete_copy(tmp_path: Path,
                                                                     big_store: bytes) -> None:
    """The one window O_TMPFILE cannot close: the file is named but not yet renamed. What is left
    is the whole new file under a temporary name, never a partial target."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "certdata.txt").write_bytes(big_store)
    process = _start_paused(APPLY_IN_PLACE,
                            "after-link", folder)
    _kill(process, signal.SIGKILL)
    assert (folder / "certdata.txt").read_bytes() == big_store
    leftovers = entries(folder) - {"certdata.txt"}
    assert len(leftovers) == 1
    (leftover,) = leftovers
    assert leftover.startswith(f"{fileio.TEMPORARY_PREFIX}{process.pid}-")
    assert leftover.endswith("certdata.txt")
    new = _applied(folder)
    assert (folder / leftover).read_bytes() == new
    # The next write into the folder removes it: its process is gone.
    fileio.write_bytes(str(folder / "other.txt"), b"x\n")
    assert entries(folder) == {"certdata.txt", "other.txt"}


@pytest.mark.corpus
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_sigterm_between_link_and_rename_waits_for_the_rename(tmp_path: Path, big_store: bytes,
                                                             how: signal.Signals) -> None:
    """Between link and rename SIGTERM and Ctrl-C are held back: the rename completes, then the
    process ends, leaving the whole new file and nothing else."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "certdata.txt").write_bytes(big_store)
    new = _applied(folder)
    process = _start_paused(APPLY_IN_PLACE,
                            "after-link", folder, seconds=1)
    process.send_signal(how)
    _finish(process)
    assert (folder / "certdata.txt").read_bytes() == new
    assert entries(folder) == {"certdata.txt"}


def _timed_kills(args: list[str], folder: Path, target: Path, before: bytes) -> set[str]:
    """Runs the real CLI once to time it, then kills it with SIGKILL at 5 points of its run, and
    checks each time that `target` is the old or the whole new content and nothing else is left.
    Returns which of the two each kill left."""
    names_before = entries(folder)
    command = [sys.executable, "-m", "certdata_tool", *args]
    start = time.monotonic()
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    duration = time.monotonic() - start
    after = target.read_bytes()
    assert after != before
    seen = set()
    for fraction in (0.3, 0.6, 0.8, 0.9, 0.97):
        target.write_bytes(before)
        process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.kill()
        process.wait(timeout=60)
        content = target.read_bytes()
        assert content in (before, after), f"a kill at {fraction:.0%} of the run left a partial file"
        seen.add("old" if content == before else "new")
        assert entries(folder) == names_before, f"a kill at {fraction:.0%} of the run left {entries(folder)}"
    return seen


@pytest.mark.corpus
def test_apply_in_place_killed_at_many_points(tmp_path: Path, big_store: bytes) -> None:
    (tmp_path / "certdata.txt").write_bytes(big_store)
    seen = _timed_kills(APPLY_IN_PLACE, tmp_path, tmp_path / "certdata.txt", big_store)
    # The file is written at the end of the run: the earliest kills, at least, came before it
    # (else the test killed nothing mid-run and proved nothing).
    assert "old" in seen, seen


@pytest.mark.corpus
def test_export_killed_at_many_points(tmp_path: Path, big_store: bytes) -> None:
    (tmp_path / "certdata.txt").write_bytes(big_store)
    out = tmp_path / "roots.pem"
    out.write_bytes(b"the previous bundle\n")
    seen = _timed_kills(["export", "certdata.txt", "--format", "pem", "-o", "roots.pem"], tmp_path, out,
                        b"the previous bundle\n")
    assert "old" in seen, seen


@pytest.mark.corpus
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=lambda s: s.name)
def test_export_killed_while_writing(tmp_path: Path, big_store: bytes, how: signal.Signals) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "certdata.txt").write_bytes(big_store)
    (folder / "roots.pem").write_bytes(b"the previous bundle\n")
    process = _start_paused(["export", "certdata.txt", "-o", "roots.pem"], "mid-write", folder)
    _kill(process, how)
    assert (folder / "roots.pem").read_bytes() == b"the previous bundle\n"
    assert entries(folder) == {"certdata.txt", "roots.pem"}


@pytest.mark.corpus
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL],
                         ids=lambda s: s.name)
def test_export_directory_killed_before_the_swap(tmp_path: Path, how: signal.Signals) -> None:
    """A folder is built beside the target and swapped in: a kill while it is built leaves the
    previous export. SIGTERM and Ctrl-C remove the folder being built; SIGKILL cannot (no
    unnamed folders exist), so it is left, complete or not, under its temporary name, and the next
    export removes it."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "certdata.txt").write_bytes(corpus_file(NEW_FILE))
    subprocess.run([sys.executable, "-m", "certdata_tool", "export", "certdata.txt", "--format", "directory",
                    "-o", "roots"], cwd=folder, check=True, capture_output=True)
    before = {path.name: path.read_bytes() for path in (folder / "roots").iterdir() if not path.is_symlink()}
    (folder / "certdata.txt").write_bytes(corpus_file(OLD_FILE))  # the next export differs
    process = _start_paused(["export", "certdata.txt", "--format", "directory", "-o", "roots"], "before-swap",
                            folder)
    process.send_signal(how)
    _finish(process)
    after = {path.name: path.read_bytes() for path in (folder / "roots").iterdir() if not path.is_symlink()}
    assert after == before
    leftovers = entries(folder) - {"certdata.txt", "roots"}
    if how is signal.SIGKILL:
        assert len(leftovers) == 1
        assert next(iter(leftovers)).startswith(f"{fileio.TEMPORARY_PREFIX}{process.pid}-")
        subprocess.run([sys.executable, "-m", "certdata_tool", "export", "certdata.txt", "--format",
                        "directory", "-o", "roots"], cwd=folder, check=True, capture_output=True)
        assert entries(folder) == {"certdata.txt", "roots"}
    else:
        assert leftovers == set()
