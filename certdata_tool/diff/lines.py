"""The two files line by line: each line owned by a unit (the header, an object, the trailer), and
difflib's opcodes between them object by object, so a hunk never mixes two roots."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model.roots import Root
from ..syntax.nssfile import CertdataFile

HEADER_LABEL = "(header)"
TRAILER_LABEL = "(end of file)"

Opcode = tuple[str, int, int, int, int]  # as difflib's, over the lines of the whole files


@dataclass(frozen=True, slots=True)
class LineUnit:
    """A stretch of lines diffed as one: the header, one object with its comments, or the trailer."""

    key: tuple[object, ...]  # the same object in both files has the same key
    label: str  # what a hunk header says when the hunk changes these lines
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LineSide:
    units: tuple[LineUnit, ...]
    lines: tuple[str, ...]
    starts: tuple[int, ...]  # first line index of each unit

    def span(self, unit: int) -> tuple[int, int]:
        """The line indices [start, end) of a unit."""
        start = self.starts[unit]
        return start, start + len(self.units[unit].lines)

    def unit_of(self, line: int) -> int:
        """The index of the unit that line index `line` belongs to."""
        return bisect_right(self.starts, line) - 1

    def labels(self, begin: int, end: int) -> Iterator[str]:
        """Labels of the units that lines [begin, end) belong to."""
        if begin >= end:
            return
        index = bisect_right(self.starts, begin) - 1
        while index < len(self.units) and self.starts[index] < end:
            if self.units[index].lines:
                yield self.units[index].label
            index += 1


def _split(text: str) -> tuple[str, ...]:
    """Lines with their terminators, split after "\\n" only (as the reader counts lines)."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return tuple(lines)


def line_side(store: CertdataFile, roots: tuple[Root, ...],
              renamed: dict[object, str] | None = None) -> LineSide:
    """The units of one file. `renamed`: labels to use for roots by key (OLD names a root as NEW does)."""
    owners: dict[int, tuple[tuple[object, ...], str]] = {}
    occurrences: dict[object, int] = {}

    def occurrence(identity: object) -> int:
        count = occurrences.get(identity, 0)
        occurrences[identity] = count + 1
        return count

    for root in roots:
        number = occurrence(root.sha256)
        label = (renamed or {}).get(("certificate", root.sha256, number), root.label)
        owners[root.certificate_index] = (("certificate", root.sha256, number), label)
        if root.trust_index is not None:
            owners[root.trust_index] = (("trust", root.sha256, number), label)
    units = [LineUnit(("header",), HEADER_LABEL, tuple(store.header))]
    for index, obj in enumerate(store.objects):
        owner = owners.get(index)
        if owner is None:
            label = obj.label if obj.label is not None else obj.object_class
            identity = (obj.object_class, label)
            owner = (("object", *identity, occurrence(identity)), label)
        text = "".join(obj.preamble) + "".join(entry.text for entry in obj.entries)
        units.append(LineUnit(owner[0], owner[1], _split(text)))
    units.append(LineUnit(("trailer",), TRAILER_LABEL, tuple(store.trailer)))
    lines: list[str] = []
    starts: list[int] = []
    for unit in units:
        starts.append(len(lines))
        lines.extend(unit.lines)
    return LineSide(tuple(units), tuple(lines), tuple(starts))


def line_opcodes(old: LineSide, new: LineSide) -> list[Opcode]:
    """Line opcodes for the whole files.

    Objects are aligned first by identity (fast: a few hundred keys), then only objects whose text
    differs are diffed line by line, so 25,000-line files diff in milliseconds. Objects on one side
    only are shown whole, not interleaved with look-alike lines of their neighbours.
    """
    ops: list[Opcode] = []

    def add(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if tag == "equal" and ops and ops[-1][0] == "equal":
            ops[-1] = ("equal", ops[-1][1], i2, ops[-1][3], j2)
        else:
            ops.append((tag, i1, i2, j1, j2))

    old_keys = [unit.key for unit in old.units]
    new_keys = [unit.key for unit in new.units]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, u1, u2, v1, v2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(u2 - u1):
                a, b = old.units[u1 + offset], new.units[v1 + offset]
                i, j = old.starts[u1 + offset], new.starts[v1 + offset]
                if a.lines == b.lines:
                    add("equal", i, i + len(a.lines), j, j + len(b.lines))
                    continue
                inner = SequenceMatcher(None, a.lines, b.lines, autojunk=False)
                for itag, i1, i2, j1, j2 in inner.get_opcodes():
                    add(itag, i + i1, i + i2, j + j1, j + j2)
        else:
            i1, i2 = old.starts[u1], old.starts[u2] if u2 < len(old.starts) else len(old.lines)
            j1, j2 = new.starts[v1], new.starts[v2] if v2 < len(new.starts) else len(new.lines)
            kind = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
            add(kind, i1, i2, j1, j2)
    return ops


