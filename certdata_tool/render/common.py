"""Small formatting pieces shared by every renderer: dates, trust words, JSON, Markdown escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ..model import TrustLevel


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, as every JSON output writes dates; None stays None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_date(moment: datetime | None) -> str:
    """`2024-06-30 00:00:00 UTC`, or `none`."""
    if moment is None:
        return "none"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


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
