"""lint over all 137 NSS revisions: errors only where NSS really shipped a defect, and the known quirks."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pytest
from conftest import corpus_revisions, require_corpus

from certdata_tool.linting import Finding, Level, lint
from certdata_tool.syntax.nssfile import parse

pytestmark = pytest.mark.corpus

AT = datetime(2024, 7, 1, tzinfo=UTC)  # just after the newest corpus revision (2024-06-13)

# Every error-level finding in the corpus: (revision, line, code) -> why it is a real defect.
REAL_DEFECTS = {
    ("2014-02-19_a9e900681", 503, "CD112"):
        'CKA_LABEL UTF8 "Distrust a pb.com certificate that does not comply with the baseline '
        'requirements."" - a stray double quote after the closing quote of the label (FORMAT.md §12 Q6). '
        "certdata.perl's tokenizer drops the extra field, but any reader that takes the value to the end "
        "of the line (or checks it) gets a different label; NSS fixed it in 4d3218c3c.",
    ("2014-02-27_ee8820a8c", 622, "CD112"):
        "the same stray quote on the same distrust record, one commit later (ee8820a8c re-added roots "
        "and left the record as it was); 4d3218c3c (2014-03-05) removed it.",
}


@cache
def corpus_findings() -> dict[str, tuple[Finding, ...]]:
    require_corpus()
    return {name.removesuffix(".txt"): lint(parse(data, source=name), at=AT)
            for name, data in corpus_revisions()}


def where(revision: str, code: str) -> list[int]:
    return [finding.line for finding in corpus_findings()[revision] if finding.code == code]


def test_all_137_revisions_are_linted() -> None:
    assert len(corpus_findings()) == 137


def test_errors_are_exactly_the_real_defects() -> None:
    errors = {(revision, finding.line, finding.code)
              for revision, findings in corpus_findings().items()
              for finding in findings if finding.level is Level.ERROR}
    assert errors == set(REAL_DEFECTS)


def test_no_comment_header_disagrees_with_its_certificate() -> None:
    """Every header NSS ever committed is what addbuiltin printed then (older forms are CD303)."""
    assert [(revision, finding.line) for revision, findings in corpus_findings().items()
            for finding in findings if finding.code == "CD201"] == []


@pytest.mark.parametrize(("revision", "code", "line"), [
    ("2020-07-30_946f60002", "CD202", 11244),  # Q3: Trustis FPS Root CA, date without its comment
    ("2016-08-26_290842f91", "CD210", 12926),  # Q4: double blank line before Microsec e-Szigno 2009
    ("2022-11-30_79ef8de78", "CD210", 14937),  # Q4: double blank line before the TrustCor CA-2 trust
    ("2014-02-27_2db4e9e50", "CD210", 2086),  # Q4: double blank line before an Egypt Trust record
    ("2013-02-28_bf65ba4ce", "CD210", 17065),  # Q4: Verisign Class 1 (pre-2013)
    ("2024-05-30_037bef7bd", "CD207", 25484),  # Q8: no final newline
    ("2024-05-30_bb4242fc1", "CD207", 25485),  # Q8: an empty last line
    ("2024-06-13_469e60ef4", "CD207", 25491),  # Q8: the empty last line kept
    ("2021-02-23_c29eadf1d", "CD208", 1),  # Q9: header line 1 "# " before 641e7cc85
    ("2019-11-26_ce7d80af1", "CD203", 23359),  # Q2: Entrust Root Certification Authority - G4
    ("2013-04-11_6d10b1b24", "CD303", 24690),  # Q12: TURKTRUST names cut at 64 bytes (legacy)
])
def test_known_quirks_are_reported(revision: str, code: str, line: int) -> None:
    assert line in where(revision, code)


def test_trailing_space_on_line_1_ends_with_641e7cc85() -> None:
    with_it = [revision for revision, findings in corpus_findings().items()
               if any(finding.code == "CD208" and finding.line == 1 for finding in findings)]
    assert len(with_it) == 71
    assert "2021-02-23_641e7cc85" not in with_it


def test_truncated_names_are_legacy_not_mismatch() -> None:
    messages = [finding.message for finding in corpus_findings()["2013-11-25_6a93f295f"]
                if finding.code == "CD303" and finding.line == 15617]
    assert len(messages) == 1
    assert "`# Issuer:` cut at 64 bytes per name part" in messages[0]
    assert "the title spells the \\x-escaped label in ASCII" in messages[0]


def test_reference_file_findings() -> None:
    findings = corpus_findings()["2024-06-13_469e60ef4"]
    assert [(f.code, f.level, f.line, f.label) for f in findings] == [
        # the DigiNotar entry kept MD5 fingerprints and "Trust for Certificate" (FORMAT.md §6.5)
        ("CD303", Level.INFO, 5658, "Explicitly Distrust DigiNotar Root CA"),
        ("CD303", Level.INFO, 5788, "Explicitly Distrust DigiNotar Root CA"),
        ("CD203", Level.WARNING, 14832, "Entrust Root Certification Authority - G4"),
        ("CD207", Level.WARNING, 25491, None),
    ]
