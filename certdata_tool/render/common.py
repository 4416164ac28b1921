"""Small formatting pieces shared by every renderer: trust words, JSON, Markdown escaping (dates: moments)."""

from __future__ import annotations

import json
from typing import Any

from ..model.roots import TrustLevel

# The one place that makes data safe for a human view; on the lowest floor, so that text made below
# render/ (export's --explain) uses it too.
from ..printable import printable as printable  # re-exported for the renderers


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
    """Text safe inside a Markdown table cell (and for a human: see printable)."""
    return printable(text).replace("\\", "\\\\").replace("|", "\\|")
