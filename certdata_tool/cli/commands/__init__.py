"""One module per command, named as the command; importing one registers its command with the app."""

from __future__ import annotations

from importlib import import_module

# The order help lists the commands in.
ORDER = ("show", "diff", "export", "apply", "schema", "lint", "spec", "changelog", "history", "ccadb",
         "patch")


def load(name: str | None = None) -> None:
    """Register the command called `name`, or every command when `name` is not one (None, `--help`,
    a typo), in ORDER whatever was imported before."""
    for module in (name,) if name in ORDER else ORDER:
        import_module(f".{module}", __name__)
    from ..app import app

    app.registered_commands.sort(key=_place)
    app.registered_groups.sort(key=_place)


def _place(command: object) -> int:
    """Where help lists a command (or group): by its name as typer derives it (given, or its
    function's name with dashes); one not in ORDER last."""
    name = getattr(command, "name", None) or getattr(
        getattr(command, "callback", None), "__name__", "").replace("_", "-")
    return ORDER.index(name) if name in ORDER else len(ORDER)


__all__ = ["ORDER", "load"]
