"""Every date and time of the tool: what users write (`--at`, spec dates), UTCTime and the other DER
times, NSS's comment dates, CCADB's days, ISO and human output. One grammar, one codec, one range."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

__all__ = ["EXPECTED", "UTCTIME_YEARS", "ctime", "date_in_words", "decode_utctime", "der_time",
           "encode_utctime", "human_date", "iso", "iso_for_words", "last_second", "mail_date", "nss_time",
           "parse_moment", "read_ccadb_day", "read_moment"]

# The years a UTCTime (two-digit year, RFC 5280's 1950-2049 window) can express: the range of a
# distrust-after date, everywhere it is checked.
UTCTIME_YEARS = (1950, 2049)

# The patterns below are compiled on first use (re.fullmatch keeps them): a command needs one or
# two, and compiling all five cost every start-up more than the rest of this module.
# The grammar of every date a user writes (`--at`, spec dates): a day, or a moment to the second in
# UTC, as the contract and NSS's own comments write them. Nothing else: one form per meaning.
_MOMENT = r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}Z)?"
# What people also write (a space, no seconds, fractions, an offset, no zone): refused, but read
# enough to say what to write instead.
_NEARLY = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_DATE_ONLY = 10  # len("2024-06-30")

# The two forms, the timestamp as NSS writes a distrust-after day since late 2024 (its last second).
EXPECTED = "expected 2024-06-30 or 2024-06-30T23:59:59Z"


def read_moment(text: str) -> datetime:
    """`text` as written: a date is 00:00:00 UTC of that day, `YYYY-MM-DDTHH:MM:SSZ` that moment.

    ValueError otherwise: EXPECTED (with the form to write when the text is a moment written
    another way), or for a well-formed but impossible date such as 2024-02-30, "not a valid date: "
    and why.
    """
    cleaned = text.strip()
    if not re.fullmatch(_MOMENT, cleaned):
        raise ValueError(EXPECTED + _instead(cleaned))
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise ValueError(f"not a valid date: {error}") from None
    return moment.replace(tzinfo=UTC) if len(cleaned) == _DATE_ONLY else moment.astimezone(UTC)


def _instead(text: str) -> str:
    """` (…: 2024-06-30T21:59:59Z)` for a moment written another way; "" for anything else."""
    if not re.fullmatch(_NEARLY, text):
        return ""
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1)).replace(microsecond=0)
        if moment.tzinfo is None:
            return f" (a time needs its zone: {iso(moment.replace(tzinfo=UTC))} if it is UTC)"
        return f" (in UTC, to the second: {iso(moment.astimezone(UTC))})"
    except (ValueError, OverflowError):  # 2024-02-30, or an offset that leaves the years 1-9999
        return ""


# The name every `--at` reads through: the same reader, the same grammar.
parse_moment = read_moment


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


# -- UTCTime, as certdata.txt's distrust-after values hold it ---------------------------------------

_UTCTIME = rb"(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z"


def decode_utctime(value: bytes) -> datetime:
    """The instant of a 13-byte UTCTime `YYMMDDHHMMSSZ`; ValueError for anything else."""
    match = re.fullmatch(_UTCTIME, value)
    if match is None:
        raise ValueError(f"{value!r} is not a 13-byte UTCTime YYMMDDHHMMSSZ")
    year, month, day, hour, minute, second = (int(group) for group in match.groups())
    year += 1900 if year >= 50 else 2000
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{value.decode('ascii')} is not a valid date and time") from None


def encode_utctime(moment: datetime) -> bytes:
    """13 ASCII bytes `YYMMDDHHMMSSZ`; ValueError outside UTCTIME_YEARS, which UTCTime cannot express."""
    moment = moment.astimezone(UTC)
    low, high = UTCTIME_YEARS
    if not low <= moment.year <= high:
        raise ValueError(f"{moment.year} is outside {low}-{high}: a UTCTime distrust-after value "
                         "cannot express it")
    return moment.strftime("%y%m%d%H%M%SZ").encode("ascii")


# -- a certificate's validity times, as NSS reads them ------------------------------------------------

# der_TimeStringToTime: seconds optional, Z or +-hhmm, no fractions; UTCTime 11-17 bytes,
# GeneralizedTime 13-19 bytes.
_DER_UTC_TIME = rb"(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})"
_DER_GENERALIZED_TIME = rb"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})"


def der_time(content: bytes, *, generalized: bool) -> datetime:
    """A UTCTime or GeneralizedTime's content as NSS's DER_UTCTimeToTime / DER_GeneralizedTimeToTime
    read it, lenient range checks and all; ValueError for what NSS refuses."""
    low, high = (13, 19) if generalized else (11, 17)
    match = re.fullmatch(_DER_GENERALIZED_TIME if generalized else _DER_UTC_TIME, content)
    if not low <= len(content) <= high or match is None:
        raise ValueError(f"validity time {content!r} is not in a form NSS reads")
    year, month, day, hour, minute = (int(group) for group in match.groups()[:5])
    second = int(match.group(6) or 0)
    if not generalized:
        year += 2000 if year < 50 else 1900
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 59):
        raise ValueError(f"validity time {content!r} is out of range")
    zone = match.group(7)
    offset = timedelta()
    if zone != b"Z":
        offset_hours, offset_minutes = int(zone[1:3]), int(zone[3:5])
        if offset_hours > 23 or offset_minutes > 59:
            raise ValueError(f"validity time {content!r} has a bad offset")
        offset = timedelta(hours=offset_hours, minutes=offset_minutes)
        if zone.startswith(b"-"):
            offset = -offset
    if year < 1:
        raise ValueError(f"validity time {content!r} is before year 1")
    # PR_ImplodeTime normalises day overflow (Feb 31 is Mar 3), so add the day as an offset.
    start = datetime(year, month, 1, tzinfo=UTC)
    return start + timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second) - offset


# -- NSS's comment dates -------------------------------------------------------------------------------

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def nss_time(moment: datetime) -> str:
    """PR_FormatTime("%a %b %d %H:%M:%S %Y") in GMT with C-locale names, as addbuiltin's comments
    and `# For Server Distrust After:` lines print it; naive means UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return (f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:02d} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} {moment.year}")


# asctime()'s form, as Perl's scalar gmtime() prints it (curl's bundle header).
def ctime(moment: datetime) -> str:
    """`Tue Dec  2 04:12:02 2025` (UTC): asctime()'s form, the day of the month padded with a space."""
    moment = moment.astimezone(UTC)
    return (f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:2d} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} {moment.year}")


def mail_date(moment: datetime) -> str:
    """`Sun, 30 Jun 2024 23:59:59 +0000` (UTC): RFC 2822's form, as git writes a patch's Date header;
    naive means UTC."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return (f"{_DAYS[moment.weekday()]}, {moment.day} {_MONTHS[moment.month - 1]} {moment.year} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} +0000")


# CCADB writes a day as 2024.11.30 (its reports' "Valid From", "Distrust for TLS After Date", ...).
_CCADB_DAY = r"(\d{4})\.(\d{2})\.(\d{2})"


def read_ccadb_day(text: str) -> date:
    """A day as CCADB writes it, `2024.11.30`; ValueError saying what is wrong otherwise."""
    match = re.fullmatch(_CCADB_DAY, text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date such as 2024.11.30 (YYYY.MM.DD)")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date: {error}") from None


def last_second(day: date) -> datetime:
    """23:59:59 UTC of `day`: how NSS has written a distrust-after day since late 2024."""
    return datetime.combine(day, time(23, 59, 59, tzinfo=UTC))


# A date in English words, as people write it in bugs and mail: `June 30, 2024`, `30 Jun 2024`,
# `Sunday, June 30th 2024`, or NSS's own comment form `Sun Jun 30 00:00:00 2024`. Read only to say
# what to write instead: specs and options take ISO 8601 alone.
_WORDS = (
    r"(?:(?P<weekday>[a-z]+)\.?,?\s+)?"
    r"(?:(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>[a-z]+)\.?,?)"
    r"\s+(?:(?P<time>\d{1,2}:\d{2}:\d{2})\s+)?(?P<year>\d{4})"
    r"(?:,?\s+(?P<time2>\d{1,2}:\d{2}:\d{2}))?(?:\s*(?:UTC|GMT|Z))?")


def date_in_words(text: str) -> tuple[datetime, bool] | None:
    """(the moment, whether a time was written) of a date in English words, or None.

    The time, when written, is taken as UTC, as in NSS's comments.
    """
    match = re.fullmatch(_WORDS, text.strip(), re.IGNORECASE)
    if match is None:
        return None
    month = _month_number(match["month"] or match["month2"])
    weekday = match["weekday"]
    if month is None or (weekday is not None and weekday[:3].title() not in _DAYS):
        return None
    clock = match["time"] or match["time2"]
    hour, minute, second = (int(part) for part in clock.split(":")) if clock else (0, 0, 0)
    try:
        moment = datetime(int(match["year"]), month, int(match["day"] or match["day2"]), hour, minute, second,
                          tzinfo=UTC)
    except ValueError:
        return None
    return moment, clock is not None


def iso_for_words(text: str) -> tuple[str, ...]:
    """What to write for a date in words: (the exact timestamp) when it has a time, else (the day,
    the day's last second); () when `text` is not a date in words."""
    found = date_in_words(text)
    if found is None:
        return ()
    moment, timed = found
    if timed:
        return (iso(moment) or "",)
    day = moment.date().isoformat()
    return day, iso(last_second(moment.date())) or ""


def _month_number(word: str) -> int | None:
    """1-12 for an English month name or its abbreviation (`Jun`, `Sept`), else None."""
    head = word[:3].title()
    if head not in _MONTHS:
        return None
    number = _MONTHS.index(head) + 1
    return number if _MONTH_NAMES[number - 1].startswith(word.title()) else None


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
