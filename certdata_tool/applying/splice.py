"""Splicing one object's entries: replace, insert or drop attribute lines, keeping every other byte."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..syntax.nssfile import Attribute, Comment, Entry, NssObject, simple_attribute

_VALUE_TOKEN = re.compile(r"([ \t]*\S+[ \t]+\S+[ \t]+)(\S+)(.*)", re.DOTALL)


def ending(text: str) -> str:
    """The line terminator of a raw line ("" when the file ended without one)."""
    if text.endswith("\r\n"):
        return "\r\n"
    return "\n" if text.endswith("\n") else ""


def index_of(obj: NssObject, name: str) -> int | None:
    for position, entry in enumerate(obj.entries):
        if isinstance(entry, Attribute) and entry.name == name:
            return position
    return None


def splice(obj: NssObject, start: int, stop: int, new: Sequence[Entry], newline: str) -> NssObject:
    """Entries [start:stop] replaced by `new`; unchanged text gives back `obj` itself.

    The last line of a file may lack its newline; an edit there keeps the file's ending as it was.
    """
    entries = list(obj.entries)
    replacement = list(new)
    at_end = stop == len(entries) and bool(entries) and not ending(entries[-1].text)
    if start and replacement and not ending(entries[start - 1].text):
        entries[start - 1] = entries[start - 1]._replace(text=entries[start - 1].text + newline)
    if at_end:
        if replacement:
            replacement[-1] = replacement[-1]._replace(text=replacement[-1].text.rstrip("\r\n"))
        elif start:
            entries[start - 1] = entries[start - 1]._replace(text=entries[start - 1].text.rstrip("\r\n"))
    entries[start:stop] = replacement
    if "".join(entry.text for entry in entries) == "".join(entry.text for entry in obj.entries):
        return obj
    return obj._replace(entries=tuple(entries))


def set_value(obj: NssObject, name: str, type_: str, token: str, newline: str,
               order: Sequence[str]) -> NssObject:
    """Set `NAME TYPE TOKEN`: replace the value token where it stands, or insert the line by `order`."""
    position = index_of(obj, name)
    if position is not None:
        attribute = obj.entries[position]
        assert isinstance(attribute, Attribute)
        match = _VALUE_TOKEN.fullmatch(attribute.text)
        if attribute.type == type_ and match is not None and "\n" not in match.group(2):
            text = match.group(1) + token + match.group(3)
        else:
            text = f"{name} {type_} {token}{newline}"
        new = Attribute(name, type_, token, text, 0)
        return splice(obj, position, position + 1, [new], newline)
    return splice(obj, *(2 * (insertion_point(obj, name, order),)),
                   [simple_attribute(name, type_, token, newline)], newline)


def insertion_point(obj: NssObject, name: str, order: Sequence[str]) -> int:
    """After the last attribute that comes before `name` in `order`, else before a later one, else the end."""
    rank = order.index(name)
    earlier = [index_of(obj, other) for other in order[:rank]]
    found = [position for position in earlier if position is not None]
    if found:
        return max(found) + 1
    later = [index_of(obj, other) for other in order[rank + 1 :]]
    found = [position for position in later if position is not None]
    if found:
        return comment_start(obj, min(found))
    return len(obj.entries)


def comment_start(obj: NssObject, position: int) -> int:
    """Where the `#` comment lines directly above entry `position` begin."""
    while position and isinstance(obj.entries[position - 1], Comment) and \
            obj.entries[position - 1].text.lstrip().startswith("#"):
        position -= 1
    return position


def drop(obj: NssObject, name: str, *, comments: bool) -> NssObject:
    """`obj` without attribute `name` (and, if asked, the comment lines directly above it)."""
    position = index_of(obj, name)
    if position is None:
        return obj
    start = comment_start(obj, position) if comments else position
    return splice(obj, start, position + 1, (), "")


__all__ = ["comment_start", "drop", "ending", "index_of", "insertion_point", "set_value", "splice"]
