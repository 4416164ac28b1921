"""YAML with positions: the node tree of one document, each value with its line, and messages
that name the line and the key path. Knows YAML, not the change-spec vocabulary (spec/load.py)."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import SpecError

MAX_DEPTH = 20  # nesting of lists and mappings; a valid spec needs 4

# The only tags a spec may carry: YAML's core schema, which safe_load understands.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "bool", "null", "float", "timestamp", "map", "seq")
)


_SURROGATE = re.compile("[\ud800-\udfff]")
_CLIP = 80  # characters of a value a message shows


def _clip(text: str) -> str:
    """A value as a message shows it: a 5000-digit number must not make a 5 KB line."""
    return text if len(text) <= _CLIP else f"{text[:_CLIP - 20]}... ({len(text)} characters)"


def describe(value: object) -> str:
    """How a message names a value of the wrong kind."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        if value.bit_length() > 200:  # str() of a huge int is slow, and refused past 4300 digits
            return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
        return f"an integer ({_clip(str(value))})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, datetime | date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        return f"a string ({_clip(repr(value))})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def one_of(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def node_line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def mark_line(mark: Any) -> int | None:
    """1-based line of a YAML mark (PyYAML counts from 0)."""
    return None if mark is None else int(mark.line) + 1


_TAB_PROBLEM = "found character '\\t' that cannot start any token"  # PyYAML's words


def _tab_problem(text: str, mark: Any) -> str:
    """What to do about a tab where the YAML reader wants a space: the column, and why."""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    column = int(mark.column) + 1
    if not line[:mark.column].strip(" \t"):
        return f"a tab in column {column}: YAML does not allow tabs for indentation; indent with spaces"
    return f"a tab in column {column}: this YAML reader takes only spaces between keys, values and comments"


class YamlNodes:
    """Walks the composed YAML nodes of one source, so every message can name the line it is about."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.constructor = yaml.constructor.SafeConstructor()

    def error(self, path: str, message: str, line: int | None) -> SpecError:
        prefix = f"{path}: " if path else ""
        return SpecError(f"{prefix}{message}", source=self.source, line=line)

    def compose(self, text: str) -> Node | None:
        """The single document's node tree, after refusing aliases, foreign tags and more documents."""
        try:
            documents = 0
            depth = 0
            for event in yaml.parse(text, Loader=yaml.SafeLoader):
                line = mark_line(event.start_mark)
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_DEPTH:
                        # The composer recurses per level: refuse before it runs out of stack.
                        raise self.error("", f"the spec nests lists and mappings more than {MAX_DEPTH} "
                                         "levels deep; a change spec needs 4", line)
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise self.error("", "a change spec holds one YAML document; found a second "
                                         "one (remove the '---' line or split the file)", line)
                elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise self.error("", "anchors and aliases (&name, *name) are not allowed in a "
                                     "change spec; write each value out", line)
                tag = getattr(event, "tag", None)
                if tag is not None and tag not in _CORE_TAGS and tag != "!":
                    raise self.error("", f"the tag {tag} is not allowed in a change spec; "
                                     "write plain values", line)
            node: Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            if error.problem_mark is not None and error.problem == _TAB_PROBLEM:
                raise self.error("", f"invalid YAML: {_tab_problem(text, error.problem_mark)}",
                                 mark_line(error.problem_mark)) from None
            problem = error.problem or error.context or "unreadable"
            context_line = mark_line(error.context_mark)
            if error.problem and error.context and context_line is not None:
                problem += f" ({error.context} on line {context_line})"
            raise self.error("", f"invalid YAML: {problem}",
                             mark_line(error.problem_mark or error.context_mark)) from None
        except yaml.reader.ReaderError as error:
            # Raised before any mark exists: find the line from the character's position.
            line = text.count("\n", 0, error.position) + 1
            code = error.character if isinstance(error.character, int) else ord(error.character or "\0")
            raise self.error("", f"invalid YAML: the character U+{code:04X} is not allowed in a YAML file; "
                             f"write it as \\u{code:04X} inside a double-quoted string", line) from None
        except yaml.YAMLError as error:
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise self.error("", f"invalid YAML: {first}", None) from None
        return node

    def scalar(self, node: Node, path: str) -> object:
        """The value safe_load would give a scalar node; collections come back as list/dict markers."""
        if isinstance(node, SequenceNode):
            return []
        if isinstance(node, MappingNode):
            return {}
        if node.tag == "tag:yaml.org,2002:merge":
            return str(node.value)  # `<<` is an ordinary (unknown) key here: merging needs aliases
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            problem = _clip(getattr(error, "problem", None) or str(error))
            if node.tag == "tag:yaml.org,2002:int" and len(str(node.value)) > _CLIP:
                raise self.error(path, f"a number of {len(str(node.value))} characters is far too long",
                                 node_line(node)) from None
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise self.error(path, f"{_clip(repr(node.value))} is not a valid date: {problem}",
                                 node_line(node)) from None
            raise self.error(path, f"cannot read {_clip(repr(node.value))}: {problem}",
                             node_line(node)) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            # "\udc00" in a double-quoted YAML string: half of a UTF-16 pair, no character at all.
            code = ord(_SURROGATE.search(value).group())  # type: ignore[union-attr]
            raise self.error(path, f"the string holds \\u{code:04x}, a lone surrogate (half of a UTF-16 "
                             "pair), which is not a character; write the character itself", node_line(node))
        return value

    def mapping(self, node: Node, path: str, allowed: tuple[str, ...],
                what: str) -> dict[str, tuple[Node, Node]]:
        """Key -> (key node, value node) of a mapping with only `allowed` keys, each at most once."""
        if not isinstance(node, MappingNode):
            raise self.error(path, f"expected {what}, found {describe(self.scalar(node, path))}",
                             node_line(node))
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, path)
            if not isinstance(key, str):
                raise self.error(path, f"keys must be names, found {describe(key)}", node_line(key_node))
            key_path = f"{path}.{key}" if path else key
            if key not in allowed:
                guess = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {guess[0]}?)" if guess else ""
                raise self.error(key_path, f"unknown key; expected {one_of(allowed)}{hint}",
                                 node_line(key_node))
            if key in entries:
                raise self.error(key_path, "duplicate key", node_line(key_node))
            entries[key] = (key_node, value_node)
        return entries

    def boolean(self, node: Node, path: str) -> bool:
        value = self.scalar(node, path)
        if not isinstance(value, bool):
            raise self.error(path, f"expected true or false, found {describe(value)}", node_line(node))
        return value


__all__ = ["MAX_DEPTH", "YamlNodes", "describe", "mark_line", "node_line", "one_of"]
