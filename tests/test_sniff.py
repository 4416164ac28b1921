"""What a file looks like by its content (syntax/sniff.py) and dates in words (moments.date_in_words):
the guesses behind the hints for a file given in the wrong place and for `June 30, 2024`."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from ccadb_report import rows_from_certdata, write_report
from conftest import DATA_DIR, PROJECT_ROOT, corpus_revisions

from certdata_tool.moments import date_in_words, iso_for_words
from certdata_tool.syntax.sniff import TextKind, looks_like

SAMPLES = PROJECT_ROOT / "samples"
PEM = (SAMPLES / "roots" / "new-root.pem").read_bytes()
NSSCKBI = (b"/* This Source Code Form is subject to the terms of the Mozilla Public */\n#ifndef NSSCKBI_H\n"
           b"#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n")


def test_certdata_files_look_like_certdata() -> None:
    assert looks_like((SAMPLES / "certdata.txt").read_bytes()) is TextKind.CERTDATA
    assert looks_like((DATA_DIR / "lint" / "clean.txt").read_text("utf-8")) is TextKind.CERTDATA


@pytest.mark.corpus
def test_every_real_certdata_looks_like_certdata() -> None:
    for name, data in corpus_revisions():
        assert looks_like(data) is TextKind.CERTDATA, name


def test_every_sample_spec_looks_like_a_spec_even_with_a_certificate_inline() -> None:
    specs = sorted(SAMPLES.glob("*.yaml"))
    assert specs
    for path in specs:
        assert looks_like(path.read_bytes()) is TextKind.CHANGE_SPEC, path.name
    inline = b"# a comment first\nversion: 1\nchanges:\n  - add:\n      certificate: |\n" + b"".join(
        b"        " + line + b"\n" for line in PEM.splitlines())
    assert looks_like(inline) is TextKind.CHANGE_SPEC
    assert looks_like(b"\xef\xbb\xbfchanges: []\n") is TextKind.CHANGE_SPEC  # a byte order mark first


def test_nssckbi_pem_and_der() -> None:
    assert looks_like(NSSCKBI) is TextKind.NSSCKBI
    assert looks_like(PEM) is TextKind.PEM
    assert looks_like(PEM * 3) is TextKind.PEM  # a bundle such as cacert.pem
    assert looks_like(b"# Label\n" + PEM.replace(b"CERTIFICATE", b"TRUSTED CERTIFICATE")) is TextKind.PEM
    der = base64.b64decode(b"".join(PEM.splitlines()[1:-1]))
    assert looks_like(der) is TextKind.DER
    assert looks_like(der[:-1]) is None  # a cut DER file: the length no longer fits


def test_ccadb_report_even_with_a_byte_order_mark() -> None:
    report = write_report(rows_from_certdata((SAMPLES / "certdata.txt").read_bytes()))
    assert looks_like(report) is TextKind.CCADB_REPORT  # each row holds a PEM: the header decides
    assert looks_like(b"\xef\xbb\xbf" + report) is TextKind.CCADB_REPORT
    assert looks_like(b"notes\nSHA-256 Fingerprint\n") is None  # only the first line is a header


@pytest.mark.parametrize("data", [b"", b"hello\nworld\n", b"\x89PNG\r\n\x1a\n", b"0\x03\x02\x01", b"0",
                                  b"version 1\n", b"  version: 1\n"])
def test_anything_else_looks_like_nothing(data: bytes) -> None:
    assert looks_like(data) is None


def test_the_kinds_read_as_a_message_names_them() -> None:
    assert [kind.value for kind in TextKind] == ["a certdata.txt", "a change spec", "NSS's nssckbi.h",
                                                 "a PEM certificate", "a DER certificate",
                                                 "CCADB's report of included roots"]


DAY = datetime(2024, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["June 30, 2024", "June 30 2024", "Jun 30, 2024", "Jun. 30, 2024",
                                  "june 30 2024", "30 June 2024", "30th June 2024", "June 30th, 2024",
                                  "30 June, 2024", "Sunday, June 30, 2024", "30 of June 2024"])
def test_dates_in_words(text: str) -> None:
    assert date_in_words(text) == (DAY, False)
    assert iso_for_words(text) == ("2024-06-30", "2024-06-30T23:59:59Z")


def test_a_date_with_a_time_as_nss_comments_write_it() -> None:
    assert date_in_words("Sun Jun 30 00:00:00 2024") == (DAY, True)
    assert iso_for_words("Sun Jun 30 00:00:00 2024") == ("2024-06-30T00:00:00Z",)
    assert iso_for_words("Nov 30 23:59:59 2024 GMT") == ("2024-11-30T23:59:59Z",)  # openssl x509 -enddate


@pytest.mark.parametrize("text", ["2024-06-30", "June 31, 2024", "Juni 30 2024", "Ju 30 2024",
                                  "Someday June 30 2024", "June 2024", "next week", "", "30/06/2024"])
def test_not_dates_in_words(text: str) -> None:
    assert date_in_words(text) is None
    assert iso_for_words(text) == ()


def test_abbreviations_and_full_names_of_every_month() -> None:
    names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
    for number, name in enumerate(names, start=1):
        assert date_in_words(f"{name} 1, 2024") == (datetime(2024, number, 1, tzinfo=UTC), False)
        assert date_in_words(f"{name[:3]} 1 2024") == (datetime(2024, number, 1, tzinfo=UTC), False)
    assert date_in_words("Sept 1, 2024") == (datetime(2024, 9, 1, tzinfo=UTC), False)
