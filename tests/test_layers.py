"""The floors of docs/ARCHITECTURE.md hold: no module imports from a floor above its own.

Every import counts, at the top, inside a function or under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "certdata_tool"

# The first part of a module's name below certdata_tool → its floor. A new package gets a floor here.
FLOORS = {
    "errors": 1, "moments": 1, "printable": 1,
    "syntax": 2,
    "x509": 3,
    "model": 4,
    "spec": 5,
    "diff": 6, "linting": 6,
    "adding": 7, "applying": 7, "exporting": 7, "changelog": 7, "ccadb": 7, "patch": 7,
    "render": 8,
    "": 9,  # certdata_tool/__init__.py, the library's face
    "cli": 10, "__main__": 10,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _floor(module: str) -> int:
    head = module.split(".")[0]
    if head not in FLOORS:
        pytest.fail(f"certdata_tool.{module} has no floor: give its package one in FLOORS and in "
                    "docs/ARCHITECTURE.md")
    return FLOORS[head]


def _imports(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, module inside certdata_tool) for every import of the package's own modules."""
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if module == "":
        package = []
    found = []
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and (node.module == "certdata_tool" or node.module.startswith("certdata_tool.")):
                target = node.module.removeprefix("certdata_tool").lstrip(".")
            else:
                continue
            names = [alias.name for alias in node.names]
            # `from . import x`: the module imported is x itself
            subs = [f"{target}.{n}".lstrip(".") for n in names
                    if (PACKAGE / Path(*f"{target}.{n}".lstrip(".").split("."))).with_suffix(".py").exists()
                    or (PACKAGE / Path(*f"{target}.{n}".lstrip(".").split(".")) / "__init__.py").exists()]
            found += [(node.lineno, sub) for sub in subs] or [(node.lineno, target)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.removeprefix("certdata_tool").lstrip("."))
                      for alias in node.names if alias.name.startswith("certdata_tool")]
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_floor() -> None:
    for path in _modules():
        _floor(_module_name(path))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_upward_import(path: Path) -> None:
    own = _floor(_module_name(path))
    upward = [f"line {line}: certdata_tool.{target} (floor {_floor(target)})"
              for line, target in _imports(path) if _floor(target) > own]
    assert not upward, f"{path.relative_to(PROJECT_ROOT)} is on floor {own} but imports " + "; ".join(upward)


def test_the_checker_sees_every_kind_of_upward_import() -> None:
    # A test that cannot fail is a defect: a function-level, a TYPE_CHECKING and an absolute import
    # from floor 2 up to floors 8 and 10 must all be seen.
    probe = PACKAGE / "syntax" / "nssfile.py"
    source = ("from typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    from ..render.show import render_json\n"
              "def f():\n    from .. import cli\n    import certdata_tool.render.diff_text\n")
    targets = {target for _, target in _imports(probe, source)}
    assert targets == {"render.show", "cli", "render.diff_text"}
    assert {_floor(target) for target in targets} == {8, 10}


# -- sizes the issue of the house set: a module a newcomer reads in one sitting, a command a shell ------

MAX_MODULE_LINES = 400
MAX_COMMAND_BODY_LINES = 25


def _too_long(path: Path, limit: int = MAX_MODULE_LINES) -> str | None:
    lines = path.read_text(encoding="utf-8").count("\n")
    return f"{path.name} has {lines} lines (at most {limit})" if lines > limit else None


def _long_command_bodies(source: str, limit: int = MAX_COMMAND_BODY_LINES) -> list[str]:
    """Functions of a command module whose body (its docstring left out) runs over `limit` lines."""
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        if not body:
            continue
        length = (node.end_lineno or body[-1].lineno) - body[0].lineno + 1
        if length > limit:
            found.append(f"{node.name}: {length} lines")
    return found


def test_no_module_is_over_the_size_a_reader_takes_in() -> None:
    assert [problem for path in _modules() if (problem := _too_long(path)) is not None] == []


def test_every_command_body_is_a_few_lines() -> None:
    commands = sorted((PACKAGE / "cli" / "commands").glob("*.py"))
    assert len(commands) >= 10
    long = {path.name: found for path in commands
            if (found := _long_command_bodies(path.read_text(encoding="utf-8")))}
    assert long == {}


def test_the_size_checks_can_fail(tmp_path: Path) -> None:
    module = tmp_path / "long.py"
    module.write_text("x = 1\n" * (MAX_MODULE_LINES + 1), encoding="utf-8")
    assert _too_long(module) == f"long.py has {MAX_MODULE_LINES + 1} lines (at most {MAX_MODULE_LINES})"
    module.write_text("x = 1\n" * MAX_MODULE_LINES, encoding="utf-8")
    assert _too_long(module) is None
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_COMMAND_BODY_LINES + 1))
    assert _long_command_bodies(f'def command():\n    """Doc."""\n{body}\n') == [
        f"command: {MAX_COMMAND_BODY_LINES + 1} lines"]
    short = "\n".join(f"    x{n} = {n}" for n in range(MAX_COMMAND_BODY_LINES))
    assert _long_command_bodies(f'def command():\n    """Doc."""\n{short}\n') == []
