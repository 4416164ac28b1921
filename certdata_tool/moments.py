"""The instants a user writes, for `--at DATE` and a change spec's dates: one syntax, one message."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

__all__ = ["EXPECTED", "ctime", "human_date", "iso", "parse_moment", "read_moment", "x509_time"]

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
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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


# C-locale names, as asctime() and Perl's scalar gmtime() print them whatever the user's locale.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def ctime(moment: datetime) -> str:
    """`Tue Dec  2 04:12:02 2025` (UTC): asctime()'s form, the day of the month padded with a space."""
    moment = moment.astimezone(UTC)
    return (f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:2d} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} {moment.year}")


_X509_TIME = re.compile(rb"(\d\d)?(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z")


def x509_time(generalized: bool, text: bytes) -> datetime:
    """A certificate's UTCTime (`YYMMDDHHMMSSZ`, years 1950-2049) or GeneralizedTime
    (`YYYYMMDDHHMMSSZ`), the forms RFC 5280 allows; ValueError for anything else."""
    match = _X509_TIME.fullmatch(text)
    if match is None or (match.group(1) is None) == generalized:
        raise ValueError(f"{text!r} is not an RFC 5280 {'GeneralizedTime' if generalized else 'UTCTime'}")
    century, year, month, day, hour, minute, second = match.groups()
    full_year = int(century + year) if century else int(year) + (1900 if int(year) >= 50 else 2000)
    return datetime(full_year, int(month), int(day), tzinfo=UTC) + timedelta(
        hours=int(hour), minutes=int(minute), seconds=int(second))
