"""Small formatting pieces shared by every renderer: trust words, JSON, Markdown escaping (dates: moments)."""

from __future__ import annotations

import json
from typing import Any

from ..model.roots import TrustLevel


def trust_value(level: TrustLevel | None) -> str | None:
    return None if level is None else level.value


# How a reviewer says each trust value (Mozilla's root program speaks of "trust bits").
TRUST_WORDS = {
    TrustLevel.TRUSTED_DELEGATOR: "trusted",
    TrustLevel.MUST_VERIFY_TRUST: "not trusted",
    TrustLevel.NOT_TRUSTED: "distrusted",
    TrustLevel.TRUSTED: "trusted peer",
    TrustLevel.VALID_DELEGATOR: "valid delegator",
    TrustLevel.TRUST_UNKNOWN: "unknown",
}


def trust_words(level: TrustLevel | None) -> str:
    return "missing" if level is None else TRUST_WORDS[level]


def to_json(document: dict[str, Any]) -> str:
    """Stable, readable JSON: keys in the order the contract gives, UTF-8 kept, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def markdown_cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def shown(text: str, *, quoted: bool = False) -> str:
    """Data (a label, a CCADB name, a file name) made safe to print for a human: control, format and
    unassigned characters and line separators as `\\uXXXX`, so that nothing can hide or fake a line;
    with `quoted`, in double quotes with `"` and `\\` escaped."""
    import unicodedata

    out = []
    for character in text:
        if unicodedata.category(character)[0] == "C" or unicodedata.category(character) in ("Zl", "Zp"):
            code = ord(character)
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        elif quoted and character in '"\\':
            out.append("\\" + character)
        else:
            out.append(character)
    return f'"{"".join(out)}"' if quoted else "".join(out)
