"""Floor 10 — the command line: typer commands (one module each), files, stdin/stdout, exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from . import app as _app
from .files import write_bytes

if TYPE_CHECKING:
    from .app import app as app

# Importing the submodule above made `app` this package's name for it; `from certdata_tool.cli import
# app` must give the typer app with every command, which __getattr__ below registers on first use.
del globals()["app"]


def __getattr__(name: str) -> object:
    if name == "app":
        from .commands import load

        load()
        globals()["app"] = _app.app
        return _app.app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    import gc
    import sys

    from .files import PipeClosed

    # One short run that makes many objects and no cycles: the collector would only cost time.
    gc.disable()
    # A run registers only the command it names: typer builds the options of every registered command
    # before it runs one, and each command's module costs start-up. Without a command name first
    # (`--help`, nothing, a typo) every command is there, for the help and the suggestions.
    from .commands import load

    load(sys.argv[1] if len(sys.argv) > 1 else None)
    # Messages are UTF-8 like the reports, whatever the locale; a character that cannot be written
    # (a lone surrogate from an undecodable argument) becomes an escape, never an error.
    if hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")
    try:
        _app.app()
    except PipeClosed:
        _die_of_sigpipe()


def run() -> NoReturn:
    """The process's entry point (the `certdata-tool` script, `python -m certdata_tool`): `main()`,
    then the end of the process without tearing the interpreter down (see `_end`)."""
    try:
        main()
    except SystemExit as done:
        _end(done)
    _end(SystemExit(0))


def _end(done: SystemExit) -> NoReturn:
    """End the process with `done`'s status once the output is flushed. Tearing the interpreter down
    (a last collection over every object, then freeing them one by one) takes 10-16 ms after a
    command that read a whole certdata file, and the system frees the memory at once anyway. Only
    when nothing else wants to run at exit (no atexit handler, no other thread) and both streams
    flush cleanly, and no profiler or debugger waits for the end; otherwise Python ends as usual
    (and says what could not be written)."""
    import atexit
    import gc
    import os
    import sys
    import threading

    gc.freeze()  # the usual ending then at least skips the last full collection
    code = done.code
    status = 0 if code is None else code
    if (not isinstance(status, int) or atexit._ncallbacks() or threading.active_count() > 1
            or sys.getprofile() is not None or sys.gettrace() is not None):
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - Python's own ending reports it as it always has
        raise done from None
    os._exit(status & 0xFF)


def _die_of_sigpipe() -> None:
    """The reader of standard output has gone (`| head -1`): end quietly, as `cat` does, killed by
    SIGPIPE (a shell sees 141), never with 1, which means "differences"."""
    import os
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)


__all__ = ["app", "main", "run", "write_bytes"]
