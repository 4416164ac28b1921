"""One file's change as `git diff` writes it: blob ids, unified hunks with git's default context and
function-name line, and changed lines placed where git's indent heuristic places them, so that
the text is the one git itself would produce."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator, Sequence

from ..patch.series import FileChange

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


Change = tuple[str, int, int, int, int]


def _groups(old: Sequence[str], new: Sequence[str]) -> Iterator[list[Change]]:
    """The changed ranges, grouped into hunks: changes at most 2 * CONTEXT lines apart share one."""
    group: list[Change] = []
    for change in _changes(old, new):
        if group and change[1] - group[-1][2] > 2 * CONTEXT:
            yield group
            group = []
        group.append(change)
    if group:
        yield group


def _changes(old: Sequence[str], new: Sequence[str]) -> Iterator[Change]:
    """The ranges that differ, in order, placed as git places them (see _compact)."""
    old_side, new_side = _marks(old, new)
    _compact(old_side, new_side)
    _compact(new_side, old_side)
    i = j = 0
    while i < old_side.size or j < new_side.size:
        if not (old_side.changed(i) or new_side.changed(j)):
            i, j = i + 1, j + 1  # lines left unchanged pair up one for one
            continue
        first_old, first_new = i, j
        while old_side.changed(i):
            i += 1
        while new_side.changed(j):
            j += 1
        yield "change", first_old, i, first_new, j


class _Side:
    """One file's lines and which of them the diff marks as changed (removed from the old file,
    added in the new one); a mark beyond either end reads as unchanged."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.size = len(lines)
        self.marks = [False] * (self.size + 2)  # marks[i + 1] is line i's

    def changed(self, index: int) -> bool:
        return self.marks[index + 1]

    def mark(self, index: int, changed: bool) -> None:
        self.marks[index + 1] = changed


def _marks(old: Sequence[str], new: Sequence[str]) -> tuple[_Side, _Side]:
    """Which lines differ. Lines equal at both ends are set aside first: an edit of certdata.txt
    touches a few places of a 30,000-line file."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    # No junk heuristic: certdata repeats lines like `END` hundreds of times, and calling them junk
    # gives hunks a reviewer does not expect.
    matcher = difflib.SequenceMatcher(None, old[head:len(old) - tail], new[head:len(new) - tail],
                                      autojunk=False)
    old_side, new_side = _Side(old), _Side(new)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            for index in range(head + i1, head + i2):
                old_side.mark(index, True)
            for index in range(head + j1, head + j2):
                new_side.mark(index, True)
    return old_side, new_side


# A group is a run of changed lines of one side, (start, end), possibly empty: one stands before
# every unchanged line and one at the end, so that the n-th group of one side faces the n-th of the
# other. Sliding a group moves an equal line from one of its ends to the other.
Group = tuple[int, int]


def _first_group(side: _Side) -> Group:
    end = 0
    while side.changed(end):
        end += 1
    return 0, end


def _next_group(side: _Side, group: Group) -> Group | None:
    if group[1] == side.size:
        return None
    start = end = group[1] + 1
    while side.changed(end):
        end += 1
    return start, end


def _previous_group(side: _Side, group: Group) -> Group | None:
    if group[0] == 0:
        return None
    start = end = group[0] - 1
    while side.changed(start - 1):
        start -= 1
    return start, end


def _slide_down(side: _Side, group: Group) -> Group | None:
    start, end = group
    if end >= side.size or side.lines[start] != side.lines[end]:
        return None
    side.mark(start, False)
    side.mark(end, True)
    start, end = start + 1, end + 1
    while side.changed(end):  # it met the next group: one group now
        end += 1
    return start, end


def _slide_up(side: _Side, group: Group) -> Group | None:
    start, end = group
    if start == 0 or side.lines[start - 1] != side.lines[end - 1]:
        return None
    start, end = start - 1, end - 1
    side.mark(start, True)
    side.mark(end, False)
    while side.changed(start - 1):
        start -= 1
    return start, end


def _step(group: Group | None) -> Group:
    assert group is not None, "the groups of the two sides fell out of step"
    return group


_MAX_SLIDING = 100  # how far the indent heuristic looks


def _compact(side: _Side, other: _Side) -> None:
    """Place each run of added or removed lines where git places it (xdiff's change compaction
    with the indent heuristic, git's default): slid as far down as it goes, then back up to face a
    change of the other side, or else to the place whose edges look most like block boundaries
    (blank lines, indentation). A root removed from certdata.txt then reads `-#`, `-# Certificate
    ...` to its blank line, as in git's own diffs, not shifted by a line."""
    group: Group | None = _first_group(side)
    facing = _first_group(other)
    while group is not None:
        if group[0] != group[1]:
            while True:
                size = group[1] - group[0]
                matching = -1
                while (moved := _slide_up(side, group)) is not None:
                    group, facing = moved, _step(_previous_group(other, facing))
                earliest_end = group[1]
                if facing[1] > facing[0]:
                    matching = group[1]
                while (moved := _slide_down(side, group)) is not None:
                    group, facing = moved, _step(_next_group(other, facing))
                    if facing[1] > facing[0]:
                        matching = group[1]
                if size == group[1] - group[0]:
                    break
            if group[1] == earliest_end:
                pass
            elif matching != -1:
                while facing[0] == facing[1]:
                    group, facing = _step(_slide_up(side, group)), _step(_previous_group(other, facing))
            else:
                best = _best_end(side, group, earliest_end)
                while group[1] > best:
                    group, facing = _step(_slide_up(side, group)), _step(_previous_group(other, facing))
        group = _next_group(side, group)
        if group is not None:
            facing = _step(_next_group(other, facing))


def _best_end(side: _Side, group: Group, earliest_end: int) -> int:
    """The end, between earliest_end and the group's, whose two edges score best; of equal scores
    the last, as git keeps it."""
    size = group[1] - group[0]
    best = -1
    best_score = (0, 0)
    for end in range(max(earliest_end, group[1] - size - 1, group[1] - _MAX_SLIDING), group[1] + 1):
        indent_a, penalty_a = _split_score(side, end)
        indent_b, penalty_b = _split_score(side, end - size)
        score = (indent_a + indent_b, penalty_a + penalty_b)
        indents = (score[0] > best_score[0]) - (score[0] < best_score[0])
        if best == -1 or 60 * indents + score[1] - best_score[1] <= 0:
            best, best_score = end, score
    return best


_MAX_INDENT = 200
_MAX_BLANKS = 20


def _indent(line: str) -> int:
    """Columns of leading white space (a tab to the next multiple of 8); -1 for a blank line."""
    columns = 0
    for character in line:
        if character not in _C_SPACE:
            return columns
        if character == " ":
            columns += 1
        elif character == "\t":
            columns += 8 - columns % 8
        if columns >= _MAX_INDENT:
            return _MAX_INDENT
    return -1


def _nearest_indent(side: _Side, indices: range) -> tuple[int, int]:
    """(blank lines passed, indent of the first line that is not blank) walking `indices` away from
    a split; -1 when there is none, and 0 after _MAX_BLANKS blank lines, as xdiff measures."""
    blank = 0
    for index in indices:
        indent = _indent(side.lines[index])
        if indent != -1:
            return blank, indent
        blank += 1
        if blank == _MAX_BLANKS:
            return blank, 0
    return blank, -1


def _split_score(side: _Side, split: int) -> tuple[int, int]:
    """(indent, penalty) of cutting the file before line `split`: git's weights (xdiff's
    score_add_split), found on a corpus of real diffs. Lower is a better place for a hunk edge."""
    indent = -1 if split >= side.size else _indent(side.lines[split])
    pre_blank, pre_indent = _nearest_indent(side, range(split - 1, -1, -1))
    post_blank, post_indent = _nearest_indent(side, range(split + 1, side.size))
    penalty = 0
    if pre_indent == -1 and pre_blank == 0:
        penalty += 1  # the start of the file
    if split >= side.size:
        penalty += 21  # the end of the file
    blank_after = 1 + post_blank if indent == -1 else 0
    blanks = pre_blank + blank_after
    penalty += -30 * blanks + 6 * blank_after
    effective = indent if indent != -1 else post_indent
    if effective != -1 and pre_indent != -1:
        if effective > pre_indent:
            penalty += 10 if blanks else -4
        elif effective < pre_indent:
            if post_indent != -1 and post_indent > effective:
                penalty += 17 if blanks else 24
            else:
                penalty += 17 if blanks else 23
    return effective, penalty


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
