"""`patch`: a series of commits written as `git format-patch --stdout --zero-commit --full-index` does.

git am reads it back: the headers (RFC 2047 words and folding as git writes them), the message
up to `---`, the diffstat, then one `diff --git` per file with the blob ids git am's three-way
merge looks up, and unified hunks with git's default function-name context.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator, Sequence

from ..moments import mail_date
from ..patch.series import FileChange, Identity, PatchCommit, PatchSeries
from ..printable import printable
from .text_diff import render_text

# format-patch names no commit: the hash depends on the committer and the time git am gives it.
# `git format-patch --zero-commit` writes this line; git am does not read the hash.
ZERO_COMMIT = "0" * 40
_MBOX_DATE = "Mon Sep 17 00:00:00 2001"  # the fixed date of every format-patch mbox separator
_HEADER_WIDTH = 78  # RFC 2822's line length, as git folds Subject and From
_ENCODED_WIDTH = 76  # RFC 2047's, for encoded words
_STAT_WIDTH = 72  # format-patch's diffstat width (MAIL_DEFAULT_WRAP)
CONTEXT = 3  # lines of context around each change, as git diff writes by default
# git's default "function name" for a hunk header: the nearest line above that starts like an identifier.
_FUNCTION_LINE = re.compile(r"[A-Za-z_$]")
_FUNCTION_BYTES = 80
_C_SPACE = " \t\n\v\f\r"


def format_patch(series: PatchSeries, *, signature: str) -> str:
    """The whole series as one mbox text: `[PATCH]` for one commit, `[PATCH n/m]` for several.

    `signature` ends each message after `-- `, where git writes its version. Bytes of a file that
    are not UTF-8 stay surrogate escapes: encode the result with "surrogateescape".
    """
    total = len(series.commits)
    # An empty line between messages, as git log puts one between commits.
    return "\n".join(_message(series, commit, number, total, signature)
                     for number, commit in enumerate(series.commits, start=1))


def commit_body(commit: PatchCommit) -> str:
    """The commit message after the subject: the text report of what changed (the title is the
    subject already), the library version bump and what was found already applied."""
    outcome = commit.outcome
    bug = None if commit.spec.bug is None else str(commit.spec.bug)
    text = render_text(outcome.diff, bug=bug)
    bump = outcome.nssckbi
    if bump is not None and bump.changed:
        text += f"nssckbi.h: library version {bump.old_version} → {bump.new_version}\n"
    return text + "".join(f"Already applied: {printable(note)}\n" for note in outcome.notes)


def _message(series: PatchSeries, commit: PatchCommit, number: int, total: int, signature: str) -> str:
    prefix = "[PATCH] " if total == 1 else f"[PATCH {number:0{len(str(total))}d}/{total}] "
    body = commit_body(commit)
    out = [f"From {ZERO_COMMIT} {_MBOX_DATE}\n", _from_header(series.author)]
    if series.date is not None:
        out.append(f"Date: {mail_date(series.date)}\n")
    out.append(_subject_header(prefix, commit.subject))
    if not (commit.subject + body).isascii():  # git declares the charset only when the message needs it
        out.append("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
                   "Content-Transfer-Encoding: 8bit\n")
    out += ["\n", body, "---\n"]
    diffs = [_file_diff(change) for change in commit.files]
    out += [_diffstat([(change.path, added, deleted) for change, (_, added, deleted)
                       in zip(commit.files, diffs, strict=True)]), "\n"]
    out += [text for text, _, _ in diffs]
    out.append(f"-- \n{signature}\n\n")
    return "".join(out)


# -- headers ---------------------------------------------------------------------------------------


def _from_header(author: Identity) -> str:
    """`From: NAME <EMAIL>`: the name as an RFC 2047 word when it is not ASCII, in double quotes
    when it holds an RFC 822 special (`.`, `,`, ...), folded as git folds it."""
    head = "From: "
    width = _HEADER_WIDTH
    if _needs_encoding(author.name):
        text = head + _encoded_words(author.name, len(head), address=True)
        width = _ENCODED_WIDTH
    elif any(ch in '()<>[]:;@,."\\' for ch in author.name):
        quoted = '"' + re.sub(r'(["\\])', r"\\\1", author.name) + '"'
        text = head + _wrap(quoted, len(head))
    else:
        text = head + _wrap(author.name, len(head))
    last_line = text.rsplit("\n", 1)[-1]
    if width < len(last_line) + len(" <") + len(author.email) + len(">"):
        text += "\n"
    return f"{text} <{author.email}>\n"


def _subject_header(prefix: str, subject: str) -> str:
    head = f"Subject: {prefix}"
    if _needs_encoding(subject):
        return head + _encoded_words(subject, len(head), address=False) + "\n"
    return head + _wrap(subject, len(head)) + "\n"


def _needs_encoding(text: str) -> bool:
    return not text.isascii() or "=?" in text or "\n" in text


def _wrap(text: str, column: int) -> str:
    """`text` folded at spaces so that no line passes 78 columns (the first starts at `column`),
    continuation lines indented by one space: git's strbuf_add_wrapped_text for one-line text."""
    out: list[str] = []
    width = column
    space: int | None = 0  # where the pending word's separator starts (the start of the text at first)
    line_start = 0
    index = 0
    while True:
        end = index >= len(text)
        if end or text[index] in _C_SPACE:
            if width <= _HEADER_WIDTH or space is None:
                if end and index == line_start:
                    return "".join(out)
                out.append(text[space:index] if space is not None else " " + text[line_start:index])
                if end:
                    return "".join(out)
                space = index
                width += 1
                index += 1
            else:  # the word does not fit: it starts the next line
                out.append("\n")
                index = line_start = space + (1 if text[space] in _C_SPACE else 0)
                space = None
                width = 1
            continue
        width += 1
        index += 1


def _rfc2047_special(byte: int, address: bool) -> bool:
    if byte >= 0x80 or not 0x20 < byte < 0x7F or chr(byte) in "=?_":
        return True
    return address and not (chr(byte).isalnum() or chr(byte) in "!*+-/")


def _encoded_words(text: str, column: int, *, address: bool) -> str:
    """`=?UTF-8?q?...?=` words (`Q` encoding), folded before 76 columns, one character never split."""
    opening = "=?UTF-8?q?"
    out = [opening]
    width = column + len(opening)
    for character in text:
        raw = character.encode("utf-8", "surrogateescape")
        special = len(raw) > 1 or _rfc2047_special(raw[0], address)
        piece = "".join(f"={byte:02X}" for byte in raw) if special else character
        if width + len(piece) + len("?=") > _ENCODED_WIDTH:
            out.append(f"?=\n {opening}")
            width = len(opening) + 1
        out.append(piece)
        width += len(piece)
    out.append("?=")
    return "".join(out)


# -- diffs -----------------------------------------------------------------------------------------


def blob_id(text: str) -> str:
    """The id git gives the file's bytes (`git hash-object`): SHA-1 of `blob SIZE\\0` and the bytes."""
    data = text.encode("utf-8", "surrogateescape")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _file_diff(change: FileChange) -> tuple[str, int, int]:
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


def _split_score(side: _Side, split: int) -> tuple[int, int]:
    """(indent, penalty) of cutting the file before line `split`: git's weights (xdiff's
    score_add_split), found on a corpus of real diffs. Lower is a better place for a hunk edge."""
    indent = -1 if split >= side.size else _indent(side.lines[split])
    pre_blank, pre_indent = 0, -1
    for index in range(split - 1, -1, -1):
        pre_indent = _indent(side.lines[index])
        if pre_indent != -1:
            break
        pre_blank += 1
        if pre_blank == _MAX_BLANKS:
            pre_indent = 0
            break
    post_blank, post_indent = 0, -1
    for index in range(split + 1, side.size):
        post_indent = _indent(side.lines[index])
        if post_indent != -1:
            break
        post_blank += 1
        if post_blank == _MAX_BLANKS:
            post_indent = 0
            break
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


def _diffstat(files: Sequence[tuple[str, int, int]]) -> str:
    """git's `--stat` for a mail (72 columns): `NAME | COUNT +++--`, scaled when it does not fit,
    then the summary line."""
    name_width = max(len(name) for name, _, _ in files)
    max_change = max(added + removed for _, added, removed in files)
    number_width = len(str(max_change))
    graph_width = max_change
    if name_width + number_width + 6 + graph_width > _STAT_WIDTH:
        limit = _STAT_WIDTH * 3 // 8 - number_width - 6
        if graph_width > limit:
            graph_width = max(6, limit)
        if name_width > _STAT_WIDTH - number_width - 6 - graph_width:
            name_width = _STAT_WIDTH - number_width - 6 - graph_width
        else:
            graph_width = _STAT_WIDTH - number_width - 6 - name_width
    out = []
    for name, added, removed in files:
        plus, minus = added, removed
        if graph_width <= max_change:
            plus, minus = _scaled(added, removed, graph_width, max_change)
        count = added + removed
        out.append(f" {name:<{name_width}} | {count:>{number_width}}{' ' if count else ''}"
                   f"{'+' * plus}{'-' * minus}\n")
    files_count = len(files)
    insertions = sum(added for _, added, _ in files)
    deletions = sum(removed for _, _, removed in files)
    summary = f" {files_count} file{'' if files_count == 1 else 's'} changed"
    if insertions or not deletions:
        summary += f", {insertions} insertion{'' if insertions == 1 else 's'}(+)"
    if deletions or not insertions:
        summary += f", {deletions} deletion{'' if deletions == 1 else 's'}(-)"
    return "".join(out) + summary + "\n"


def _scaled(added: int, removed: int, width: int, max_change: int) -> tuple[int, int]:
    """The `+` and `-` counts of a graph `width` wide for changes up to `max_change`, as git rounds them."""
    def scale(count: int) -> int:
        return 0 if not count else 1 + count * (width - 1) // max_change

    total = scale(added + removed)
    if total < 2 and added and removed:
        total = 2
    if added < removed:
        plus = scale(added)
        return plus, total - plus
    minus = scale(removed)
    return total - minus, minus


__all__ = ["CONTEXT", "ZERO_COMMIT", "blob_id", "commit_body", "format_patch"]
