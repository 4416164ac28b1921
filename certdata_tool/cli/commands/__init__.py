"""One module per command; importing them registers the commands with the app, in this order."""

# Not sorted: help lists the commands in the order they are imported.
from . import show, diff, export, apply, schema, lint, spec, changelog, history, ccadb, patch  # noqa: I001

__all__ = ["apply", "ccadb", "changelog", "diff", "export", "history", "lint", "patch", "schema", "show",
           "spec"]
