"""The one reader of user-written instants behind `--at` and a change spec's dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import PROJECT_ROOT
from typer.testing import CliRunner

from certdata_tool.cli import app
from certdata_tool.moments import EXPECTED, parse_moment, read_moment


@pytest.mark.parametrize(("text", "moment"), [
    ("2024-06-30", datetime(2024, 6, 30, tzinfo=UTC)),
    ("  2024-06-30\n", datetime(2024, 6, 30, tzinfo=UTC)),
    ("2024-06-30T00:00:00Z", datetime(2024, 6, 30, tzinfo=UTC)),
    ("2024-06-30T23:59:59Z", datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC)),
])
def test_parse_moment_gives_utc(text: str, moment: datetime) -> None:
    parsed = parse_moment(text)
    assert parsed == moment
    assert parsed.tzinfo is UTC
    assert read_moment(text) == parsed  # one reader: the same instant, always aware and in UTC


# The contract's grammar is two forms; a moment written another way is refused with the form to write.
@pytest.mark.parametrize(("text", "instead"), [
    ("2024-06-30 12:30", " (a time needs its zone: 2024-06-30T12:30:00Z if it is UTC)"),
    ("2024-06-30T12:00:00", " (a time needs its zone: 2024-06-30T12:00:00Z if it is UTC)"),
    ("2024-07-01T01:30:00+02:00", " (in UTC, to the second: 2024-06-30T23:30:00Z)"),
    ("2024-07-01T01:30-0200", " (in UTC, to the second: 2024-07-01T03:30:00Z)"),
    ("2024-06-30T23:59:59.25Z", " (in UTC, to the second: 2024-06-30T23:59:59Z)"),
    ("2024-06-30 23:59:59Z", " (in UTC, to the second: 2024-06-30T23:59:59Z)"),
    ("9999-12-31T23:59:59-01:00", ""),  # in UTC, the year 10000: no form to suggest
])
def test_moments_written_another_way_say_what_to_write(text: str, instead: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_moment(text)
    assert str(caught.value) == EXPECTED + instead


@pytest.mark.parametrize("text", ["", "soon", "20240630", "2024-W26-7", "2024-06-30T12", "30/06/2024",
                                  "2024-06-30T12:30.5Z", "2024-06-30Z", "2024-6-30"])
def test_other_forms_are_refused_with_one_message(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_moment(text)
    assert str(caught.value) == EXPECTED == (
        "expected 2024-06-30 or 2024-06-30T23:59:59Z")


@pytest.mark.parametrize(("text", "reason"), [
    ("2024-02-30", "not a valid date: day is out of range for month"),
    ("2024-13-01", "not a valid date: month must be in 1..12"),
    ("2025-01-01T25:00:00Z", "not a valid date: hour must be in 0..23"),
])
def test_impossible_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason}$"):
        parse_moment(text)


# -- one grammar on the command line ------------------------------------------------------------------

SAMPLES = PROJECT_ROOT / "samples"
COMMANDS_WITH_AT = {
    "lint": ["lint", str(SAMPLES / "certdata.txt")],
    "export": ["export", str(SAMPLES / "certdata.txt"), "-o", "-"],
    "apply": ["apply", str(SAMPLES / "certdata.txt"), str(SAMPLES / "trust.yaml"), "--check"],
    "spec add": ["spec", "add", str(SAMPLES / "roots" / "new-root.pem")],
}


@pytest.mark.parametrize("text", ["20240630", "2024-W26-7", "soon", "2024-02-30"])
def test_every_at_refuses_alike(text: str) -> None:
    messages = set()
    for args in COMMANDS_WITH_AT.values():
        result = CliRunner().invoke(app, [*args, "--at", text])
        assert result.exit_code == 2, (args, result.output)
        messages.add(result.stderr)
    assert len(messages) == 1
    (message,) = messages
    assert message.startswith(f"certdata-tool: error: --at {text!r}: ")


@pytest.mark.parametrize("name", sorted(COMMANDS_WITH_AT))
def test_every_at_accepts_a_date(name: str) -> None:
    result = CliRunner().invoke(app, [*COMMANDS_WITH_AT[name], "--at", "2024-06-30"])
    assert result.exit_code in (0, 1), result.output


def test_the_schema_pattern_allows_exactly_the_utctime_years() -> None:
    import re

    from certdata_tool.moments import UTCTIME_YEARS
    from certdata_tool.spec.schema import _YEAR

    allowed = [year for year in range(1000, 3000) if re.fullmatch(_YEAR, str(year))]
    low, high = UTCTIME_YEARS
    assert (allowed[0], allowed[-1], len(allowed)) == (low, high, high - low + 1)


def test_der_times_as_nss_reads_them() -> None:
    from certdata_tool.moments import der_time, nss_time

    assert der_time(b"491231235959Z", generalized=False) == datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert der_time(b"5001010000Z", generalized=False) == datetime(1950, 1, 1, tzinfo=UTC)  # no seconds
    assert der_time(b"20500101000000Z", generalized=True) == datetime(2050, 1, 1, tzinfo=UTC)
    # June 31 is July 1, as PR_ImplodeTime normalises it; midnight at +01:00 is 23:00 UTC the day before.
    assert der_time(b"240631000000+0100", generalized=False) == datetime(2024, 6, 30, 23, tzinfo=UTC)
    with pytest.raises(ValueError, match="not in a form NSS reads"):
        der_time(b"240630000000.5Z", generalized=False)
    assert nss_time(datetime(2024, 6, 30, tzinfo=UTC)) == "Sun Jun 30 00:00:00 2024"
