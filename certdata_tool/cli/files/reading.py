"""Reading the tool's inputs: files, `-` for standard input, files a spec names; each read is noted
so that a later write can refuse to destroy an input or a file changed since it was read."""

import errno
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ...errors import CertdataError

STDIO = "-"


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


class _Read(NamedTuple):
    """What this run read of a file: who it is (device, inode) and its content, for the checks at
    write time (an output that is an input; an in-place file changed since it was read)."""

    name: str
    device: int
    inode: int
    content: bytes  # the bytes read (the command holds them anyway): hashed only for an in-place write


_READS: dict[tuple[int, int], _Read] = {}
_READ_PATHS: dict[str, _Read] = {}  # by real path: an in-place file replaced since is still known


def forget_reads() -> None:
    """Start a new command: the files an earlier one read are not its inputs."""
    _READS.clear()
    _READ_PATHS.clear()



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
        read = _Read(path, status.st_dev, status.st_ino, data)
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

