"""Floor 10 — the command line: typer commands (one module each), files, stdin/stdout, exit codes."""

from __future__ import annotations

from .app import app
from .commands import apply, changelog, diff, export, history, lint, schema, show, spec  # noqa: F401  (registers, in order)
from .files import write_bytes


def main() -> None:
    """Console-script entry point."""
    import gc
    import sys

    from .files import PipeClosed

    # One short run that makes many objects and no cycles: the collector would only cost time.
    gc.disable()
    _only_the_named_command(sys.argv[1:])
    # Messages are UTF-8 like the reports, whatever the locale; a character that cannot be written
    # (a lone surrogate from an undecodable argument) becomes an escape, never an error.
    if hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")
    try:
        app()
    except PipeClosed:
        _die_of_sigpipe()


def _die_of_sigpipe() -> None:
    """The reader of standard output has gone (`| head -1`): end quietly, as `cat` does, killed by
    SIGPIPE (a shell sees 141), never with 1, which means "differences"."""
    import os
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)


def _only_the_named_command(args: list[str]) -> None:
    """Keep only the command this run names: typer builds the options of every registered command
    before it runs one, which costs more start-up than reading a certdata file. Without a command
    name first (`--help`, nothing, a typo) every command stays, for the help and the suggestions."""
    name = args[0] if args else ""
    commands = [command for command in app.registered_commands
                if (command.name or getattr(command.callback, "__name__", "").replace("_", "-")) == name]
    groups = [group for group in app.registered_groups if group.name == name]
    if commands or groups:
        app.registered_commands = commands
        app.registered_groups = groups


__all__ = ["app", "main", "write_bytes"]
