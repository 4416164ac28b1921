"""`patch`: a series of commits written as `git format-patch --stdout --zero-commit --full-index` does.

git am reads it back: the headers (RFC 2047 words and folding as git writes them), the message
up to `---`, the diffstat, then one `diff --git` per file with the blob ids git am's three-way
merge looks up, and unified hunks with git's default function-name context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..moments import mail_date
from ..patch.series import Identity, PatchCommit, PatchSeries
from ..printable import printable
from .distrust_meaning import meaning_text
from .git_diff import CONTEXT, blob_id, file_diff
from .text_diff import render_text

# format-patch names no commit: the hash depends on the committer and the time git am gives it.
# `git format-patch --zero-commit` writes this line; git am does not read the hash.
ZERO_COMMIT = "0" * 40
_MBOX_DATE = "Mon Sep 17 00:00:00 2001"  # the fixed date of every format-patch mbox separator
_HEADER_WIDTH = 78  # RFC 2822's line length, as git folds Subject and From
_ENCODED_WIDTH = 76  # RFC 2047's, for encoded words
_STAT_WIDTH = 72  # format-patch's diffstat width (MAIL_DEFAULT_WRAP)
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
    subject already), what each distrust-after date set means, the library version bump and what
    was found already applied."""
    outcome = commit.outcome
    bug = None if commit.spec.bug is None else str(commit.spec.bug)
    text = render_text(outcome.diff, bug=bug) + meaning_text(outcome.diff)
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
    diffs = [file_diff(change) for change in commit.files]
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
