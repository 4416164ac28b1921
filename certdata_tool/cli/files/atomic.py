"""The pieces of an all-or-nothing write: temporary names a later run can tell stale, unnamed files
(O_TMPFILE), and signals held back or turned into clean-up while a temporary file exists."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import threading
from collections.abc import Iterator

# Every temporary file or folder the tool makes starts so, then its process id: a later run can tell
# a stale one (its process is gone, killed by SIGKILL or a power cut) from one being written now.
TEMPORARY_PREFIX = ".certdata-tool-tmp-"
_TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r"(\d+)-[0-9a-f]{8}-")
NAME_MAX = 255


def temporary_name(name: str, suffix: str = "") -> str:
    room = NAME_MAX - len(TEMPORARY_PREFIX) - 30 - len(suffix)
    short = os.fsdecode(os.fsencode(name)[:room]) if len(os.fsencode(name)) > room else name
    return f"{TEMPORARY_PREFIX}{os.getpid()}-{os.urandom(4).hex()}-{short}{suffix}"


def remove_stale_temporaries(folder: int) -> None:
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


class NoUnnamedFiles(Exception):
    """The folder's file system does not support O_TMPFILE."""


def write_unnamed(folder: int, data: bytes) -> int:
    """An unnamed file in `folder` holding `data`; its descriptor."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        raise NoUnnamedFiles
    try:
        handle = os.open(".", flag | os.O_WRONLY | os.O_CLOEXEC, 0o600, dir_fd=folder)
    except OSError as error:
        # EISDIR: a kernel without O_TMPFILE; EOPNOTSUPP: a file system without it.
        if error.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            raise NoUnnamedFiles from None
        raise
    try:
        write_all(handle, data)
    except BaseException:
        os.close(handle)
        raise
    return handle


def link_unnamed(handle: int, folder_handle: int, name: str) -> str:
    """Give the unnamed file `handle` a free temporary name in the folder; returns the name."""
    # A dir_fd makes os.link call linkat(AT_SYMLINK_FOLLOW), which links the file that the
    # /proc/self/fd entry stands for (plain link() would try to link the /proc entry itself).
    for _ in range(100):
        temporary = temporary_name(name)
        try:
            os.link(f"/proc/self/fd/{handle}", temporary, dst_dir_fd=folder_handle)
            return temporary
        except FileExistsError:
            continue
        except FileNotFoundError:
            if not os.path.isdir("/proc/self/fd"):  # no /proc: no way to name the file
                raise NoUnnamedFiles from None
            raise
    raise FileExistsError(errno.EEXIST, "no free temporary file name", name)


def write_named(folder: int, name: str, data: bytes) -> tuple[int, str]:
    """A named temporary file in `folder` holding `data`: its descriptor and name (removed again
    on any failure)."""
    for _ in range(100):
        temporary = temporary_name(name)
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600,
                             dir_fd=folder)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "no free temporary file name", name)
    try:
        write_all(handle, data)
    except BaseException:
        os.close(handle)
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise
    return handle, temporary


def second_name(folder: int, name: str) -> str:
    """A hard link to the target `name`, to put it back if a later file of the change fails."""
    for _ in range(100):
        backup = temporary_name(name, ".old")
        try:
            os.link(name, backup, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", name)


def write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
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
def sigterm_raises() -> Iterator[None]:
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

