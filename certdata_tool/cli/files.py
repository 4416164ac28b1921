"""Reading inputs and writing outputs for the CLI: `-` for standard streams, atomic file writes."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CertdataError

if TYPE_CHECKING:
    from collections.abc import Sequence

STDIO = "-"


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def spec_file_reader(base_dir: Path | None) -> Callable[[str, int], bytes]:
    """Reads a file a change spec names, relative to the spec's folder (None: the current one), at
    most `limit` bytes; the spec loader turns its OSError into a message about the spec's line."""

    def read(reference: str, limit: int) -> bytes:
        target = Path(reference) if base_dir is None else base_dir / reference
        with target.open("rb") as stream:
            return stream.read(limit)

    return read


def read_bytes(path: str) -> bytes:
    """The bytes of `path` (`-`: standard input); CertdataError naming the file when unreadable."""
    if path == STDIO:
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CertdataError("no such file", source=path) from None
    except IsADirectoryError:
        raise CertdataError("is a directory, expected a file", source=path) from None
    except PermissionError:
        raise CertdataError("permission denied", source=path) from None
    except OSError as error:
        raise CertdataError(f"cannot read: {error.strerror or error}", source=path) from None


def write_bytes(path: str, data: bytes) -> None:
    """Write all of `data` or nothing: the target is replaced by one rename of a complete file.

    An existing target keeps its permission bits. `-` writes to standard output.
    """
    if path == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    # A symbolic link stays a link: the file it points to is the one replaced.
    target = Path(os.path.realpath(path))
    folder = target.parent
    if target.is_dir():
        raise CertdataError("is a directory, expected a file", source=path)
    if target.exists() and not target.is_file():
        # /dev/null, /dev/stdout, a FIFO: not files to replace but streams to write into.
        _write_into(path, data)
        return
    if not folder.is_dir():
        raise CertdataError(f"cannot write: folder {str(Path(path).parent)!r} does not exist", source=path)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
    try:
        with _sigterm_raises():
            try:
                _write_unnamed(folder, target, data, mode)
            except _NoUnnamedFiles:
                _write_named(folder, target, data, mode)
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None


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
# when its last descriptor closes. Between the two system calls link() and rename() Ctrl-C and
# SIGTERM are held back until the rename is done; only SIGKILL in that instant can leave a file
# behind, and then it is a complete `.NAME.*.tmp` copy of the new content, never a partial target.
# Where the file system cannot make unnamed files, a named temporary file is used instead, removed
# on any exception, on Ctrl-C and on SIGTERM (made an exception while it exists); SIGKILL there
# leaves it.


class _NoUnnamedFiles(Exception):
    """The folder's file system does not support O_TMPFILE."""


def _write_unnamed(folder: Path, target: Path, data: bytes, mode: int) -> None:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        raise _NoUnnamedFiles
    folder_handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            handle = os.open(".", flag | os.O_WRONLY | os.O_CLOEXEC, 0o600, dir_fd=folder_handle)
        except OSError as error:
            # EISDIR: a kernel without O_TMPFILE; EOPNOTSUPP: a file system without it.
            if error.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise _NoUnnamedFiles from None
            raise
        try:
            _write_all(handle, data)
            os.fchmod(handle, mode)
            os.fsync(handle)
            # From the link to the rename, the file has a name: Ctrl-C and SIGTERM wait until
            # the rename is done (two system calls), so they cannot leave it behind.
            with _signals_deferred():
                temporary = _link_unnamed(handle, folder_handle, target.name)
                try:
                    os.replace(temporary, target.name, src_dir_fd=folder_handle, dst_dir_fd=folder_handle)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(temporary, dir_fd=folder_handle)
                    raise
        finally:
            os.close(handle)
        with contextlib.suppress(OSError):  # makes the rename durable; harmless where unsupported
            os.fsync(folder_handle)
    finally:
        os.close(folder_handle)


def _link_unnamed(handle: int, folder_handle: int, name: str) -> str:
    """Give the unnamed file `handle` a free temporary name in the folder; returns the name."""
    # A dir_fd makes os.link call linkat(AT_SYMLINK_FOLLOW), which links the file that the
    # /proc/self/fd entry stands for (plain link() would try to link the /proc entry itself).
    for _ in range(100):
        temporary = f".{name}.{os.urandom(4).hex()}.tmp"
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


def _write_named(folder: Path, target: Path, data: bytes, mode: int) -> None:
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        try:
            _write_all(handle, data)
            os.fchmod(handle, mode)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot open a folder, which is harmless."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


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
    """SIGTERM while a named temporary file exists: unwinds so that the file is removed."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    if previous is None:  # a handler set outside Python: restore the default
        previous = signal.SIG_DFL
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        # Die of the signal as the caller expects, the temporary file already removed.
        os.kill(os.getpid(), signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


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
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        raise CertdataError(f"cannot write: folder {str(parent)!r} does not exist", source=path)
    mode = _check_replaceable(target, manifest, replaceable_suffix, path)
    try:
        temporary = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
    # SIGTERM, like Ctrl-C, unwinds through the clean-up below, and neither can stop the swap
    # half-way; only SIGKILL can leave the temporary folder (never a partial target).
    with _sigterm_raises():
        try:
            umask = os.umask(0)
            os.umask(umask)
            _fill(temporary, files, links)
            os.chmod(temporary, 0o777 & ~umask if mode is None else mode)
            with _signals_deferred():
                _swap_in(temporary, target)
        except BaseException as error:
            shutil.rmtree(temporary, ignore_errors=True)
            if isinstance(error, OSError):
                raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
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
        listed = {line for line in (target / manifest).read_text("utf-8").splitlines()
                  if line and not line.startswith("#")}
    except (OSError, UnicodeDecodeError) as error:
        raise ExportError(f"cannot read {manifest}: {error}", source=path, hint=hint) from None
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
        aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
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
