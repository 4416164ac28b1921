"""Writing standard output so that a failure is the tool's own error and a closed pipe ends quietly."""

from __future__ import annotations

import contextlib
import os
import sys

from ...errors import CertdataError
from . import atomic


class PipeClosed(Exception):
    """Standard output is a pipe whose reader has gone (`| head -1`): the CLI ends quietly."""



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
            atomic.write_all(number, data)
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

