"""One module per command; importing them registers the commands with the app, in this order."""

from . import show, diff, export, apply, schema, lint, spec, changelog, history, ccadb, patch  # noqa: I001  (help lists them in this order)

__all__ = ["apply", "ccadb", "changelog", "diff", "export", "history", "lint", "patch", "schema", "show", "spec"]
