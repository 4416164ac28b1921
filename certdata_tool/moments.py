"""The instants a user writes, for `--at DATE` and a change spec's dates: one syntax, one message."""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = ["EXPECTED", "human_date", "iso", "parse_moment", "read_moment"]

# A date, or a date and a time (seconds, fraction and zone optional). fromisoformat also takes
# 20240630, 2024-W26-7 and 2024-06-30T12; refused here: they read like typos, not like dates.
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_DATE_ONLY = 10  # len("2024-06-30")

EXPECTED = "expected a date such as 2024-06-30 or a timestamp such as 2024-06-30T00:00:00Z"


def read_moment(text: str) -> datetime:
    """`text` as written: a date is 00:00:00 UTC of that day, a timestamp without a zone stays naive.

    ValueError otherwise: EXPECTED, or for a well-formed but impossible date such as 2024-02-30,
    "not a valid date: " and why.
    """
    cleaned = text.strip()
    if not _MOMENT.fullmatch(cleaned):
        raise ValueError(EXPECTED)
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise ValueError(f"not a valid date: {error}") from None
    return moment.replace(tzinfo=UTC) if len(cleaned) == _DATE_ONLY else moment


def parse_moment(text: str) -> datetime:
    """`2024-06-30` (00:00:00 UTC of that day) or an ISO 8601 timestamp, UTC unless it says otherwise.

    The result is aware and in UTC; ValueError as read_moment.
    """
    moment = read_moment(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-01:00 is in the year 10000 in UTC
        raise ValueError("not a valid date: in UTC it falls outside the years 1 to 9999") from None


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z, as every JSON output writes dates; None stays None."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%SZ")  # %Y has no leading zeros


def human_date(moment: datetime | None) -> str:
    """`2024-06-30 00:00:00 UTC`, or `none`."""
    if moment is None:
        return "none"
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}-" + moment.strftime("%m-%d %H:%M:%S UTC")
