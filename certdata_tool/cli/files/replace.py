"""Replacing files whole or not at all: every file of one change is written beside its target, then
all are renamed into place, and a failure puts back those already replaced."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import CertdataError
from . import atomic
from .reading import _READ_PATHS, _READS, STDIO, _Read
from .stdout import write_stdout

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

_LOCK_WAIT = 10.0  # seconds a write waits for another run that holds the file's lock


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
        with atomic.sigterm_raises():
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
            write_into(plan.path, plan.data)


class _Plan:
    """One target of write_files, from its checks to its rename: state that changes as it goes (a
    plain class: a dataclass costs every run that writes ~0.7 ms to define)."""

    __slots__ = (
        "backup",
        "data",
        "expected",
        "failed",
        "folder",
        "handle",
        "identity",
        "lock",
        "mode",
        "owner",
        "path",
        "replaced",
        "stream",
        "target",
        "temporary",
    )

    def __init__(self, path: str, data: bytes, target: Path, *, stream: bool = False) -> None:
        self.path = path  # as the user wrote it
        self.data = data
        self.target = target  # the file replaced (symbolic links resolved)
        self.stream = stream  # a device or FIFO: written into
        self.identity: tuple[int, int] | None = None  # (device, inode) of the existing target
        self.mode = 0o644
        self.owner: tuple[int, int] | None = None  # (uid, gid) to keep
        self.expected: _Read | None = None  # in-place: what was read
        self.folder: int | None = None  # descriptor of the target's folder
        self.handle: int | None = None  # the new content, unnamed (O_TMPFILE) or named `temporary`
        self.temporary: str | None = None
        self.backup: str | None = None  # a second name of the old target, to put it back
        self.lock: int | None = None
        self.replaced = False
        self.failed = False

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
    if len(os.fsencode(target.name)) > atomic.NAME_MAX:
        raise CertdataError(f"cannot write: the file name is longer than {atomic.NAME_MAX} bytes",
                            source=path)
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
        atomic.remove_stale_temporaries(plan.folder)
        if plan.expected is not None:
            _lock_unchanged(plan)
        try:
            plan.handle = atomic.write_unnamed(plan.folder, plan.data)
        except atomic.NoUnnamedFiles:
            plan.handle, plan.temporary = atomic.write_named(plan.folder, plan.target.name, plan.data)
        _keep_owner_and_mode(plan)
        os.fsync(plan.handle)
        if backup and plan.identity is not None:
            plan.backup = atomic.second_name(plan.folder, plan.target.name)
    except BaseException:
        plan.failed = True
        raise


def _commit(plans: list[_Plan]) -> None:
    """Replace every target (Ctrl-C, SIGTERM and SIGHUP wait until it is done); on a failure, put
    back those already replaced."""
    with atomic.signals_deferred():
        current: _Plan | None = None
        try:
            for current in plans:
                assert current.folder is not None and current.handle is not None
                if current.temporary is None:
                    current.temporary = atomic.link_unnamed(current.handle, current.folder,
                                                            current.target.name)
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
    if digest.digest() != hashlib.sha256(plan.expected.content).digest():
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



def write_into(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
