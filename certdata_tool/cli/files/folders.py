"""Writing a whole folder (directory and Debian exports) or nothing: built beside the target, then
swapped in; a folder the tool did not write is never replaced."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import CertdataError
from . import atomic
from .reading import STDIO, read_bounded

if TYPE_CHECKING:
    from collections.abc import Sequence

_MANIFEST_LIMIT = 16 << 20  # a manifest lists file names: far below this even for 100 000 roots


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
            atomic.remove_stale_temporaries(parent_handle)
        finally:
            os.close(parent_handle)
        import tempfile  # here: every command loads this module, few write a folder

        temporary = Path(tempfile.mkdtemp(dir=parent, prefix=atomic.temporary_name(target.name) + "."))
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
    # SIGTERM and SIGHUP, like Ctrl-C, unwind through the clean-up below, and none can stop the swap
    # half-way; only SIGKILL can leave the temporary folder (never a partial target), which the
    # next export into the same place removes.
    name = ""
    with atomic.sigterm_raises():
        try:
            umask = os.umask(0)
            os.umask(umask)
            name = ""
            _fill(temporary, files, links)
            os.chmod(temporary, 0o777 & ~umask if mode is None else mode)
            with atomic.signals_deferred():
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
                atomic.write_all(file_handle, data)
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
    from ...errors import ExportError

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
        import tempfile

        aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=atomic.temporary_name(target.name, ".old")))
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
