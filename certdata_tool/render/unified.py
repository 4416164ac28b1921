"""`diff --format unified`: a unified diff of the two files whose hunk headers name the roots touched."""

from __future__ import annotations

from ..diff import Diff, Opcode, line_opcodes, line_side
from ..syntax.nssfile import CertdataFile

CONTEXT = 3


def _hunks(ops: list[Opcode], context: int) -> list[list[Opcode]]:
    """Changes grouped as diff -u groups them: more than 2 * context lines apart, separate hunks."""
    groups: list[list[Opcode]] = []
    for op in ops:
        if op[0] == "equal":
            continue
        if groups and op[1] - groups[-1][-1][2] <= 2 * context:
            groups[-1].append(op)
        else:
            groups.append([op])
    return groups


def _range(start: int, length: int) -> str:
    """`start,length` of a hunk side, 1-based, as diff -u writes it."""
    if length == 1:
        return f"{start + 1}"
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"


def _line(prefix: str, line: str) -> str:
    if line.endswith("\n"):
        return prefix + line
    return f"{prefix}{line}\n\\ No newline at end of file\n"


def render_unified(diff: Diff, old: CertdataFile, new: CertdataFile, *, context: int = CONTEXT) -> str:
    """A unified diff of `old` to `new`; each `@@` line ends with the roots the hunk changes."""
    new_side = line_side(new, diff.new_roots)
    # A renamed root is named once, by its new label, on both sides of a hunk.
    old_side = line_side(old, diff.old_roots, {unit.key: unit.label for unit in new_side.units})
    a, b = old_side.lines, new_side.lines
    groups = _hunks(line_opcodes(old_side, new_side), context)
    if not groups:
        return ""
    out = [f"--- {old.source}\n", f"+++ {new.source}\n"]
    for group in groups:
        first, last = group[0], group[-1]
        a_start = max(0, first[1] - context)
        b_start = first[3] - (first[1] - a_start)
        a_end = min(len(a), last[2] + context)
        b_end = last[4] + (a_end - last[2])
        labels: dict[str, None] = {}
        for _, i1, i2, j1, j2 in group:
            labels.update(dict.fromkeys(old_side.labels(i1, i2)))
            labels.update(dict.fromkeys(new_side.labels(j1, j2)))
        out.append(f"@@ -{_range(a_start, a_end - a_start)} +{_range(b_start, b_end - b_start)} @@ "
                   f"{'; '.join(labels)}\n")
        position = a_start
        for _, i1, i2, j1, j2 in group:
            out.extend(_line(" ", line) for line in a[position:i1])
            out.extend(_line("-", line) for line in a[i1:i2])
            out.extend(_line("+", line) for line in b[j1:j2])
            position = i2
        out.extend(_line(" ", line) for line in a[position:a_end])
    return "".join(out)
