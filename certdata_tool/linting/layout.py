"""Checks of the text as text: final newline, trailing whitespace, CRLF, double blank lines."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..syntax.nssfile import dump
from .context import LintContext
from .findings import Finding

# A match may start only where a run of blanks starts: without the look-behind the engine would try
# again from every blank of a long run that does not end the line (quadratic: 13 s for 74 KB).
_TRAILING_WHITESPACE = re.compile(r"(?<![ \t])[ \t]+\r?$", re.MULTILINE)
_BLANK_RUN = re.compile(r"^(?:[ \t]*\r?\n){2,}", re.MULTILINE)


def check(ctx: LintContext) -> Iterator[Finding]:
    text = dump(ctx.store)
    # Line numbers of offsets, found once: the searches below hit few places in a large file.
    line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    for match in _TRAILING_WHITESPACE.finditer(text):
        yield ctx.finding("CD208", line_of(match.start()), "trailing whitespace: NSS's file has none "
                          "since 2021, and it shows up in every diff that touches the line")
    crlf = text.find("\r\n")
    if crlf >= 0:
        yield ctx.finding("CD209", line_of(crlf), f"CRLF line endings ({text.count(chr(13) + chr(10))} "
                          "lines): NSS's file uses LF, and a mixed file makes every diff noisy",
                          whole_file=True)
    end = len(text.rstrip(" \t\r\n"))
    for match in _BLANK_RUN.finditer(text):
        if match.start() >= end:
            break  # blank lines at the end of the file are CD207's
        extra = line_of(match.start()) + 1
        count = match.group().count("\n")
        yield ctx.finding("CD210", extra, f"{count} blank lines in a row: addbuiltin separates blocks by "
                          "exactly one, and tools that split the file on blank lines see an empty block")
    if not text.endswith("\n"):
        yield ctx.finding("CD207", len(line_starts), "no newline at the end of the file: appending to it "
                          "joins two lines, and POSIX tools may drop the last one", whole_file=True)
    elif text[end:].count("\n") > 1:
        blank = text[end:].count("\n") - 1
        first_blank = line_of(end) + 1
        yield ctx.finding("CD207", first_blank, f"the file ends with {blank} empty line"
                          f"{'s' if blank > 1 else ''}: NSS's file ends right after the last attribute, "
                          "and appended roots would then start with a double blank line", whole_file=True)
