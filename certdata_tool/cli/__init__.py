"""Floor 10 — the command line: typer commands (one module each), files, stdin/stdout, exit codes."""

from __future__ import annotations

from .app import app
from .commands import apply, changelog, diff, export, history, lint, schema, show, spec  # noqa: F401  (registers, in order)
from .files import write_bytes


def main() -> None:
    """Console-script entry point."""
    import gc

    # One short run that makes many objects and no cycles: the collector would only cost time.
    gc.disable()
    app()


__all__ = ["app", "main", "write_bytes"]
