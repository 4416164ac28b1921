"""Reading inputs and writing outputs for the CLI: `-` for standard streams, atomic file writes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from .errors import CertdataError

STDIO = "-"


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


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
    """Write all of `data` or nothing: a temporary file beside the target, then a rename.

    An existing target keeps its permission bits. `-` writes to standard output.
    """
    if path == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise CertdataError("is a directory, expected a file", source=path)
    if not folder.is_dir():
        raise CertdataError(f"cannot write: folder {str(folder)!r} does not exist", source=path)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise CertdataError(f"cannot write: {error.strerror or error}", source=path) from None
        raise
