"""Data made safe for a human view: the one place that escapes what could rewrite a terminal line."""

from __future__ import annotations

# Characters that could rewrite what a reviewer sees: C0/C1 controls (ESC starts terminal
# sequences, CR and LF forge lines), DEL, and the Unicode bidirectional overrides and isolates.
_UNSAFE = {*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
           0x200E, 0x200F, 0x061C,
           *range(0xDC80, 0xDD00)}  # bytes of a file that are not UTF-8 (surrogate escapes)


def printable(text: str) -> str:
    """`text` safe for a human view (terminal, Markdown, --explain): every character that could move
    the cursor, start an escape sequence or reorder the line is written as a Python escape (`\\x1b`,
    `\\u202e`); everything else, UTF-8 letters included, stays as it is. The one place for this."""
    if not any(ord(ch) in _UNSAFE for ch in text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code not in _UNSAFE:
            out.append(ch)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif 0xDC80 <= code < 0xDD00:  # the byte as it is in the file
            out.append(f"\\x{code - 0xDC00:02x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)
