"""Reading inputs and writing outputs for the CLI: `-` for standard streams, atomic file writes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CertdataError

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

STDIO = "-"
# Every temporary file or folder the tool makes starts so, then its process id: a later run can tell
# a stale one (its process is gone, killed by SIGKILL or a power cut) from one being written now.
TEMPORARY_PREFIX = ".certdata-tool-tmp-"
_TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r"(\d+)-[0-9a-f]{8}-")
_NAME_MAX = 255
_MANIFEST_LIMIT = 16 << 20  # a manifest lists file names: far below this even for 100 000 roots
_LOCK_WAIT = 10.0  # seconds a write waits for another run that holds the file's lock


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


@dataclass(frozen=True, slots=True)
class _Read:
    """What this run read of a file: who it is (device, inode) and its content, for the checks at
    write time (an output that is an input; an in-place file changed since it was read)."""

    name: str
    device: int
    inode: int
    sha256: bytes


_READS: dict[tuple[int, int], _Read] = {}
_READ_PATHS: dict[str, _Read] = {}  # by real path: an in-place file replaced since is still known


def forget_reads() -> None:
    """Start a new command: the files an earlier one read are not its inputs."""
    _READS.clear()
    _READ_PATHS.clear()


class PipeClosed(Exception):
    """Standard output is a pipe whose reader has gone (`| head -1`): the CLI ends quietly."""


def spec_file_reader(base_dir: Path | None) -> Callable[[str, int], bytes]:
    """Reads a file a change spec names, relative to the spec's folder (None: the current one), at
    most `limit` bytes; the spec loader turns its OSError into a message about the spec's line."""

    def read(reference: str, limit: int) -> bytes:
        target = Path(reference) if base_dir is None else base_dir / reference
        with target.open("rb") as stream:
            data = stream.read(limit)
            _remember(str(target), os.fstat(stream.fileno()), data)  # an input: never an output too
            return data

    return read


def read_bytes(path: str) -> bytes:
    """The bytes of `path` (`-`: standard input); CertdataError naming the file when unreadable."""
    if path == STDIO:
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as stream:
            data = stream.read()
            status = os.fstat(stream.fileno())
    except FileNotFoundError:
        raise CertdataError("no such file", source=path) from None
    except IsADirectoryError:
        raise CertdataError("is a directory, expected a file", source=path) from None
    except PermissionError:
        raise CertdataError("permission denied", source=path) from None
    except OSError as error:
        raise CertdataError(f"cannot read: {error.strerror or error}", source=path) from None
    _remember(path, status, data)
    return data


def _remember(path: str, status: os.stat_result, data: bytes) -> None:
    """Note a file this command read, for write_files' checks."""
    if stat.S_ISREG(status.st_mode):
        read = _Read(path, status.st_dev, status.st_ino, hashlib.sha256(data).digest())
        _READS[(status.st_dev, status.st_ino)] = _READ_PATHS[os.path.realpath(path)] = read


def read_bounded(path: str | Path, limit: int, *, source: str) -> bytes:
    """A file the tool reads for itself (not a user's input): a regular file of at most `limit`
    bytes, or CertdataError. A link to /dev/zero or a FIFO is refused before anything is read."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise CertdataError(f"{Path(path).name} is a symbolic link, not a file certdata-tool wrote",
                                source=source) from None
        raise CertdataError(f"cannot read {Path(path).name}: {error.strerror or error}",
                            source=source) from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise CertdataError(f"{Path(path).name} is not a regular file", source=source)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise CertdataError(f"{Path(path).name} is larger than {limit} bytes, more than certdata-tool "
                            "ever writes there", source=source)
    return data


def write_stdout(data: bytes) -> None:
    """`data` on standard output; the tool's own error when it cannot be written, PipeClosed when
    the reader has gone."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed (`>&-`)
        raise CertdataError("cannot write standard output: it is closed")
    try:
        stream.flush()
        try:
            number = stream.fileno()
        except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
            stream.buffer.write(data)
            stream.buffer.flush()
        else:
            # The descriptor itself: a buffered write that a closed pipe cuts short after a partial
            # write can report success, and the loss would go unnoticed.
            stream.buffer.flush()
            _write_all(number, data)
    except BrokenPipeError:
        _discard_stdout()
        raise PipeClosed from None
    except OSError as error:
        _discard_stdout()
        raise CertdataError(f"cannot write standard output: {error.strerror or error}") from None
    except ValueError:  # closed by someone else
        raise CertdataError("cannot write standard output: it is closed") from None


def _discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null: what is still buffered for it cannot fail again when
    Python flushes it at exit (which would print a second, foreign message)."""
    try:
        number = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's capture): nothing is flushed at exit
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, number)
        os.close(null)


def write_bytes(path: str, data: bytes, *, in_place: bool = False) -> None:
    """Write all of `data` or nothing: the target is replaced by one rename of a complete file.

    `-` writes to standard output. See write_files for what is checked and kept.
    """
    if path == STDIO:
        write_stdout(data)
        return
    write_files([(path, data)], in_place=[path] if in_place else [])


def write_files(outputs: Sequence[tuple[str, bytes]], *, in_place: Collection[str] = ()) -> None:
    """Write every file of one change, or none of them.

    Every new content is first written whole to a temporary file in its target's folder and
    flushed to disk; only then are the targets replaced, one rename each, and a failure on any of
    them puts back those already replaced. Before anything is written each target is checked:

    - a symbolic link stays a link: the file it points to is replaced;
    - a target that is also an input of this run (the same file, through links too) is refused,
      unless its path is among `in_place`: then it must still hold what was read (a lock held from
      that check to the rename keeps a second run out), else it is refused as changed since read;
    - a file with other hard links, a read-only file and a file whose owner and group cannot be
      kept are refused; a replaced file keeps its owner, group and permission bits (setuid, setgid
      and sticky bits excepted: a data file has no use for them);
    - a device or FIFO (/dev/null, /dev/stdout) is written into, not replaced.
    """
    plans = [_plan(path, data, path in in_place) for path, data in outputs]
    identities = [plan.identity for plan in plans if plan.identity is not None]
    if len(set(identities)) != len(identities) or len({plan.target for plan in plans}) != len(plans):
        raise CertdataError("two outputs of one command are the same file; nothing was written")
    files = [plan for plan in plans if not plan.stream]
    try:
        with _sigterm_raises():
            try:
                for plan in files:
                    _prepare(plan, backup=len(files) > 1)
                _commit(files)
            finally:
                for plan in files:
                    plan.close()
    except OSError as error:
        failed = next((plan for plan in files if plan.failed), files[0] if files else None)
        source = failed.path if failed is not None else outputs[0][0]
        raise CertdataError(f"cannot write: {error.strerror or error}", source=source) from None
    for plan in plans:
        if plan.stream:
            _write_into(plan.path, plan.data)


@dataclass(slots=True)
class _Plan:
    """One target of write_files, from its checks to its rename."""

    path: str  # as the user wrote it
    data: bytes
    target: Path  # the file replaced (symbolic links resolved)
    stream: bool = False  # a device or FIFO: written into
    identity: tuple[int, int] | None = None  # (device, inode) of the existing target
    mode: int = 0o644
    owner: tuple[int, int] | None = None  # (uid, gid) to keep
    expected: _Read | None = None  # in-place: what was read
    folder: int | None = None  # descriptor of the target's folder
    handle: int | None = None  # the new content, unnamed (O_TMPFILE) or named `temporary`
    temporary: str | None = None
    backup: str | None = None  # a second name of the old target, to put it back
    lock: int | None = None
    replaced: bool = False
    failed: bool = False

    def close(self) -> None:
        for name in (self.temporary, self.backup):
            if name is not None and self.folder is not None:
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=self.folder)
        self.temporary = self.backup = None
        for handle in (self.handle, self.lock, self.folder):
            if handle is not None:
                with contextlib.suppress(OSError):
                    os.close(handle)
        self.handle = self.lock = self.folder = None


def _plan(path: str, data: bytes, in_place: bool) -> _Plan:
    """Every check that needs no writing; CertdataError for a target the tool must not replace."""
    if path.endswith(("/", "/.")) or path in (".", ".."):
        raise CertdataError("names a folder, expected a file name", source=path)
    given = Path(path)
    if given.is_symlink() and not given.exists():
        pointed = os.readlink(path)
        if not Path(os.path.realpath(path)).parent.is_dir():
            raise CertdataError(f"cannot write: it is a symbolic link to {pointed!r}, whose folder does "
                                "not exist", source=path)
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise CertdataError("is a directory, expected a file", source=path)
    if target.exists() and not target.is_file():
        # /dev/null, /dev/stdout, a FIFO: not files to replace but streams to write into.
        return _Plan(path, data, target, stream=True)
    if not target.parent.is_dir():
        raise CertdataError(f"cannot write: folder {str(given.parent)!r} does not exist", source=path)
    if len(os.fsencode(target.name)) > _NAME_MAX:
        raise CertdataError(f"cannot write: the file name is longer than {_NAME_MAX} bytes", source=path)
    plan = _Plan(path, data, target)
    try:
        status = target.stat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        plan.mode = 0o666 & ~umask
        return plan
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
    plan.identity = (status.st_dev, status.st_ino)
    plan.mode = status.st_mode & 0o777
    plan.owner = (status.st_uid, status.st_gid)
    read = _READS.get(plan.identity)
    if read is not None and not in_place:
        same = "" if read.name == path else f" ({read.name})"
        raise CertdataError(f"is also an input of this command{same}; writing it would destroy the "
                            "input, so nothing was written", source=path, hint="write to another file")
    plan.expected = (_READ_PATHS.get(str(target)) or read) if in_place else None
    if status.st_nlink > 1:
        raise CertdataError(f"has {status.st_nlink} hard links; replacing it would leave the other names "
                            "with the old content, so nothing was written", source=path,
                            hint="write to a new file, or give this name its own copy first "
                                 "(cp FILE FILE.new && mv FILE.new FILE)")
    if status.st_mode & 0o222 == 0 or (os.geteuid() != 0 and not os.access(target, os.W_OK)):
        raise CertdataError(f"is read-only (mode {status.st_mode & 0o777:04o}); nothing was written",
                            source=path, hint="make it writable (chmod u+w) if it is meant to change")
    return plan


def _prepare(plan: _Plan, *, backup: bool) -> None:
    """The new content complete and on disk beside the target; the lock and the checks of an
    in-place target; a second name for the old target when it may have to be put back."""
    try:
        plan.folder = os.open(plan.target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        _remove_stale_temporaries(plan.folder)
        if plan.expected is not None:
            _lock_unchanged(plan)
        try:
            plan.handle = _write_unnamed(plan.folder, plan.data)
        except _NoUnnamedFiles:
            plan.handle, plan.temporary = _write_named(plan.folder, plan.target.name, plan.data)
        _keep_owner_and_mode(plan)
        os.fsync(plan.handle)
        if backup and plan.identity is not None:
            plan.backup = _second_name(plan.folder, plan.target.name)
    except BaseException:
        plan.failed = True
        raise


def _commit(plans: list[_Plan]) -> None:
    """Replace every target (Ctrl-C, SIGTERM and SIGHUP wait until it is done); on a failure, put
    back those already replaced."""
    with _signals_deferred():
        current: _Plan | None = None
        try:
            for current in plans:
                assert current.folder is not None and current.handle is not None
                if current.temporary is None:
                    current.temporary = _link_unnamed(current.handle, current.folder, current.target.name)
                os.replace(current.temporary, current.target.name,
                           src_dir_fd=current.folder, dst_dir_fd=current.folder)
                current.temporary, current.replaced = None, True
        except BaseException:
            if current is not None:
                current.failed = True
            for plan in reversed(plans):
                if not plan.replaced or plan.folder is None:
                    continue
                with contextlib.suppress(OSError):
                    if plan.backup is not None:
                        os.replace(plan.backup, plan.target.name, src_dir_fd=plan.folder,
                                   dst_dir_fd=plan.folder)
                        plan.backup = None
                    elif plan.identity is None:  # it did not exist before
                        os.unlink(plan.target.name, dir_fd=plan.folder)
            raise
    for plan in plans:
        with contextlib.suppress(OSError):  # makes the renames durable; harmless where unsupported
            assert plan.folder is not None
            os.fsync(plan.folder)


def _lock_unchanged(plan: _Plan) -> None:
    """Lock the in-place target (flock, advisory: another certdata-tool waits for it) and check that
    it is still the file that was read, byte for byte."""
    import fcntl
    import time

    assert plan.expected is not None and plan.folder is not None
    changed = CertdataError("changed since certdata-tool read it (another program or run wrote it); "
                            "nothing was written", source=plan.path,
                            hint="run the command again on the new content")
    try:
        plan.lock = os.open(plan.target.name, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW, dir_fd=plan.folder)
    except FileNotFoundError:
        raise changed from None
    deadline = time.monotonic() + _LOCK_WAIT
    while True:
        try:
            fcntl.flock(plan.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise CertdataError(f"another program has held a lock on it for {_LOCK_WAIT:.0f} seconds; "
                                    "nothing was written", source=plan.path) from None
            time.sleep(0.02)
    locked = os.fstat(plan.lock)
    try:
        now = os.stat(plan.target.name, dir_fd=plan.folder, follow_symlinks=False)
    except FileNotFoundError:
        raise changed from None
    expected = (plan.expected.device, plan.expected.inode)
    if (locked.st_dev, locked.st_ino) != expected or (now.st_dev, now.st_ino) != expected:
        raise changed
    digest = hashlib.sha256()
    with os.fdopen(os.dup(plan.lock), "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    if digest.digest() != plan.expected.sha256:
        raise changed


def _keep_owner_and_mode(plan: _Plan) -> None:
    assert plan.handle is not None
    if plan.owner is not None and plan.owner != (os.geteuid(), os.getegid()):
        try:
            os.fchown(plan.handle, *plan.owner)
        except PermissionError:
            raise CertdataError(f"belongs to user {plan.owner[0]} and group {plan.owner[1]}, which the "
                                "replaced file could not keep; nothing was written", source=plan.path,
                                hint="run as its owner") from None
    os.fchmod(plan.handle, plan.mode)


def _temporary_name(name: str, suffix: str = "") -> str:
    room = _NAME_MAX - len(TEMPORARY_PREFIX) - 30 - len(suffix)
    short = os.fsdecode(os.fsencode(name)[:room]) if len(os.fsencode(name)) > room else name
    return f"{TEMPORARY_PREFIX}{os.getpid()}-{os.urandom(4).hex()}-{short}{suffix}"


def _remove_stale_temporaries(folder: int) -> None:
    """Remove what runs killed by SIGKILL (no clean-up code runs then) left in `folder`: temporary
    files and folders named by TEMPORARY_PREFIX whose process is gone. Only one's own are removed."""
    import shutil

    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _TEMPORARY.match(name)
        if match is None or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            status = os.stat(name, dir_fd=folder, follow_symlinks=False)
            if status.st_uid != os.geteuid():
                continue
            if stat.S_ISDIR(status.st_mode):
                shutil.rmtree(name, dir_fd=folder)
            else:
                os.unlink(name, dir_fd=folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _write_into(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None


# The strongest "all or nothing" Linux offers. The data goes into an unnamed file (O_TMPFILE)
# in the target's folder, is flushed to disk, and only then gets a name, a temporary one that a
# rename turns into the target at once. A kill at any moment before the link (SIGKILL included,
# where no clean-up code can run) leaves nothing behind, since the kernel frees an unnamed file
# when its last descriptor closes. Between the link and the last rename Ctrl-C, SIGTERM and
# SIGHUP are held back until the renames are done; only SIGKILL in that instant can leave a file
# behind, a complete `.certdata-tool-tmp-PID-*` copy of the new content that the next write into
# that folder removes. Where the file system cannot make unnamed files, a named temporary file is
# used instead, removed on any exception, on Ctrl-C, SIGTERM and SIGHUP (made exceptions while it
# exists); SIGKILL there leaves it, for the next write to remove.


class _NoUnnamedFiles(Exception):
    """The folder's file system does not support O_TMPFILE."""


def _write_unnamed(folder: int, data: bytes) -> int:
    """An unnamed file in `folder` holding `data`; its descriptor."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        raise _NoUnnamedFiles
    try:
        handle = os.open(".", flag | os.O_WRONLY | os.O_CLOEXEC, 0o600, dir_fd=folder)
    except OSError as error:
        # EISDIR: a kernel without O_TMPFILE; EOPNOTSUPP: a file system without it.
        if error.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            raise _NoUnnamedFiles from None
        raise
    try:
        _write_all(handle, data)
    except BaseException:
        os.close(handle)
        raise
    return handle


def _link_unnamed(handle: int, folder_handle: int, name: str) -> str:
    """Give the unnamed file `handle` a free temporary name in the folder; returns the name."""
    # A dir_fd makes os.link call linkat(AT_SYMLINK_FOLLOW), which links the file that the
    # /proc/self/fd entry stands for (plain link() would try to link the /proc entry itself).
    for _ in range(100):
        temporary = _temporary_name(name)
        try:
            os.link(f"/proc/self/fd/{handle}", temporary, dst_dir_fd=folder_handle)
            return temporary
        except FileExistsError:
            continue
        except FileNotFoundError:
            if not os.path.isdir("/proc/self/fd"):  # no /proc: no way to name the file
                raise _NoUnnamedFiles from None
            raise
    raise FileExistsError(errno.EEXIST, "no free temporary file name", name)


def _write_named(folder: int, name: str, data: bytes) -> tuple[int, str]:
    """A named temporary file in `folder` holding `data`: its descriptor and name (removed again
    on any failure)."""
    for _ in range(100):
        temporary = _temporary_name(name)
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600,
                             dir_fd=folder)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "no free temporary file name", name)
    try:
        _write_all(handle, data)
    except BaseException:
        os.close(handle)
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise
    return handle, temporary


def _second_name(folder: int, name: str) -> str:
    """A hard link to the target `name`, to put it back if a later file of the change fails."""
    for _ in range(100):
        backup = _temporary_name(name, ".old")
        try:
            os.link(name, backup, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", name)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP (delivered when the block ends) where Python can."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Terminated(BaseException):
    """SIGTERM or SIGHUP while a temporary file or folder exists: unwinds so that it is removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise _Terminated(signum)

    handled = (signal.SIGTERM, signal.SIGHUP)
    previous = {}
    for signum in handled:
        handler = signal.signal(signum, terminate)
        previous[signum] = signal.SIG_DFL if handler is None else handler  # None: set outside Python
    try:
        yield
    except _Terminated as error:
        for signum in handled:
            signal.signal(signum, previous[signum])
        # Die of the signal as the caller expects, the temporary file already removed.
        os.kill(os.getpid(), error.signum)
        raise
    finally:
        for signum in handled:
            signal.signal(signum, previous[signum])


def write_directory(path: str, files: Sequence[tuple[str, bytes]], links: Sequence[tuple[str, str]],
                    manifest: str | None, *, replaceable_suffix: str | None = None) -> None:
    """Write a whole folder or nothing: it is built beside the target, then swapped in.

    The target may be missing, empty, or a folder this function wrote before: one holding the file
    `manifest` (which must be among `files`) and nothing its lines do not name (lines starting with
    `#` are comments) — or, with no manifest, one holding only regular files whose names end in
    `replaceable_suffix` (Debian's `.crt` folder). Any other folder is refused, so a foreign file is
    never overwritten, deleted or mixed in. A folder that is replaced keeps its permission bits.
    `links` are (name, target) symbolic links inside the folder.
    """
    import shutil

    if path == STDIO:
        raise CertdataError("a folder cannot be written to standard output; give -o FOLDER")
    target = Path(os.path.abspath(path))
    real = os.path.realpath(path)
    here = os.path.realpath(os.getcwd())
    if real == here or here.startswith(real.rstrip("/") + "/"):
        raise CertdataError("is the folder you are in (or holds it), which cannot be replaced",
                            source=path, hint="name the folder to write, such as -o certs")
    parent = target.parent
    if not parent.is_dir():
        raise CertdataError(f"cannot write: folder {str(parent)!r} does not exist", source=path)
    mode = _check_replaceable(target, manifest, replaceable_suffix, path)
    try:
        parent_handle = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            _remove_stale_temporaries(parent_handle)
        finally:
            os.close(parent_handle)
        temporary = Path(tempfile.mkdtemp(dir=parent, prefix=_temporary_name(target.name) + "."))
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
    # SIGTERM and SIGHUP, like Ctrl-C, unwind through the clean-up below, and none can stop the swap
    # half-way; only SIGKILL can leave the temporary folder (never a partial target), which the
    # next export into the same place removes.
    name = ""
    with _sigterm_raises():
        try:
            umask = os.umask(0)
            os.umask(umask)
            name = ""
            _fill(temporary, files, links)
            os.chmod(temporary, 0o777 & ~umask if mode is None else mode)
            with _signals_deferred():
                _swap_in(temporary, target)
        except BaseException as error:
            shutil.rmtree(temporary, ignore_errors=True)
            if isinstance(error, OSError):
                what = f"cannot write {name}" if name else "cannot write"
                raise CertdataError(f"{what}: {error.strerror or error}", source=path) from None
            raise


def _fill(folder: Path, files: Sequence[tuple[str, bytes]], links: Sequence[tuple[str, str]]) -> None:
    """Write the files (mode 0666 less the umask) and links into the new `folder`, and make all of it
    reach the disk before the folder is swapped in.

    One syncfs() of the folder's file system where Linux offers it: a folder of 150 certificates then
    costs one journal commit instead of 150 fsync() calls (a second or more on a busy disk).
    """
    import ctypes

    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for name, data in files:
            file_handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666,
                                  dir_fd=handle)
            try:
                _write_all(file_handle, data)
            finally:
                os.close(file_handle)
        for name, link_target in links:
            os.symlink(link_target, name, dir_fd=handle)
        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (OSError, AttributeError):
            syncfs = None
        if syncfs is not None and int(syncfs(handle)) == 0:
            return
        for name, _ in files:
            file_handle = os.open(name, os.O_RDONLY | os.O_CLOEXEC, dir_fd=handle)
            try:
                os.fsync(file_handle)
            finally:
                os.close(file_handle)
        with contextlib.suppress(OSError):
            os.fsync(handle)
    finally:
        os.close(handle)


def _check_replaceable(target: Path, manifest: str | None, suffix: str | None, path: str) -> int | None:
    """The permission bits of an existing folder we may replace (None when there is none)."""
    from ..errors import ExportError

    if not target.exists() and not target.is_symlink():
        return None
    if target.is_symlink() or not target.is_dir():
        raise ExportError("exists and is not a folder; refusing to replace it", source=path)
    try:
        present = set(os.listdir(target))
        mode = target.stat().st_mode & 0o7777
    except OSError as error:
        raise CertdataError(f"cannot read the folder: {error.strerror or error}", source=path) from None
    if not present:
        return mode
    hint = "export into a new or empty folder, or remove this one first"
    if manifest is None:
        try:  # scandir knows each entry's type without a stat() per file
            with os.scandir(target) as entries:
                others = sorted(entry.name for entry in entries
                                if suffix is None or not entry.name.endswith(suffix)
                                or not entry.is_file(follow_symlinks=False))
        except OSError as error:
            raise CertdataError(f"cannot read the folder: {error.strerror or error}", source=path) from None
        if others:
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            kind = f"anything but {suffix} files" if suffix else "files"
            raise ExportError(f"the folder holds {kind} ({shown}); refusing to replace it",
                              source=path, hint=hint)
        return mode
    if manifest not in present:
        raise ExportError("the folder is not empty and was not written by certdata-tool export; "
                          "refusing to mix or replace its files", source=path, hint=hint)
    try:
        text = read_bounded(target / manifest, _MANIFEST_LIMIT, source=path).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExportError(f"cannot read {manifest}: {error}", source=path, hint=hint) from None
    except CertdataError as error:
        raise ExportError(f"{error.message}; refusing to replace the folder", source=path,
                          hint=hint) from None
    listed = {line for line in text.splitlines() if line and not line.startswith("#")}
    foreign = sorted(present - listed - {manifest})
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise ExportError(f"the folder holds files certdata-tool did not write ({shown}); "
                          "refusing to replace it", source=path, hint=hint)
    return mode


def _swap_in(new: Path, target: Path) -> None:
    """Put the folder `new` at `target`; an old folder there is exchanged atomically where the system
    can (Linux renameat2), else moved aside first. The old folder is then removed."""
    import shutil

    if not target.exists():
        os.rename(new, target)
        return
    if not any(target.iterdir()):
        os.rename(new, target)  # POSIX rename replaces an empty folder atomically
        return
    if not _exchange(new, target):
        aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=_temporary_name(target.name, ".old")))
        os.rename(target, aside / "old")
        os.rename(new, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old folder


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import errno

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = int(renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange))
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))
