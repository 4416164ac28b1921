"""One file's `diff --git` as git writes it: the index line with blob ids, hunks with three lines of
context and git's default function-name line, `\\ No newline at end of file` where it applies."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence

from ..patch.series import FileChange
from .line_diff import Change, changes

CONTEXT = 3  # lines of context around each change, as git diff writes by default
# git's default "function name" for a hunk header: the nearest line above that starts like an identifier.
_FUNCTION_LINE = re.compile(r"[A-Za-z_$]")
_FUNCTION_BYTES = 80
_C_SPACE = " \t\n\v\f\r"


def blob_id(text: str) -> str:
    """The id git gives the file's bytes (`git hash-object`): SHA-1 of `blob SIZE\\0` and the bytes."""
    data = text.encode("utf-8", "surrogateescape")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def file_diff(change: FileChange) -> tuple[str, int, int]:
    """(`diff --git` text, lines added, lines removed) of one file."""
    old, new = _lines(change.old), _lines(change.new)
    out = [f"diff --git a/{change.path} b/{change.path}\n",
           f"index {blob_id(change.old)}..{blob_id(change.new)} {change.mode}\n",
           f"--- a/{change.path}\n", f"+++ b/{change.path}\n"]
    added = removed = 0
    for group in _groups(old, new):
        first, last = group[0], group[-1]
        old_start, old_end = max(0, first[1] - CONTEXT), min(len(old), last[2] + CONTEXT)
        new_start, new_end = max(0, first[3] - CONTEXT), min(len(new), last[4] + CONTEXT)
        out.append(f"@@ -{_range(old_start, old_end)} +{_range(new_start, new_end)} @@"
                   f"{_function_name(old, old_start)}\n")
        at_old = old_start
        for _, i1, i2, j1, j2 in group:
            out += [_line(" ", line) for line in old[at_old:i1]]
            out += [_line("-", line) for line in old[i1:i2]]
            out += [_line("+", line) for line in new[j1:j2]]
            removed += i2 - i1
            added += j2 - j1
            at_old = i2
        out += [_line(" ", line) for line in old[at_old:old_end]]
    return "".join(out), added, removed


def _lines(text: str) -> list[str]:
    """The lines of `text`, each with its `\\n` (the last may lack it); only LF ends a line for git."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _line(mark: str, line: str) -> str:
    return f"{mark}{line}" if line.endswith("\n") else f"{mark}{line}\n\\ No newline at end of file\n"


def _groups(old: Sequence[str], new: Sequence[str]) -> Iterator[list[Change]]:
    """The changed ranges, grouped into hunks: changes at most 2 * CONTEXT lines apart share one."""
    group: list[Change] = []
    for change in changes(old, new):
        if group and change[1] - group[-1][2] > 2 * CONTEXT:
            yield group
            group = []
        group.append(change)
    if group:
        yield group


def _range(start: int, end: int) -> str:
    """`START,COUNT` of a hunk side, 1-based; an empty side names the line before it; for one line,
    the count is left out."""
    count = end - start
    if count == 1:
        return str(start + 1)
    return f"{start if count == 0 else start + 1},{count}"


def _function_name(old: Sequence[str], start: int) -> str:
    """` LINE`: the last line above the hunk that starts with a letter, `_` or `$` (80 bytes at
    most, trailing white space dropped), as git's default hunk header shows it; "" for none."""
    for line in reversed(old[:start]):
        if _FUNCTION_LINE.match(line):
            raw = line.encode("utf-8", "surrogateescape")[:_FUNCTION_BYTES]
            return " " + raw.decode("utf-8", "surrogateescape").rstrip(_C_SPACE)
    return ""


__all__ = ["CONTEXT", "blob_id", "file_diff"]
