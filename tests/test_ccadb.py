"""`ccadb`: CCADB's report read in its exact layout, each perturbation giving exactly its finding, the fix."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from ccadb_report import COLUMNS, Row, pem_info, report_from_certdata, rows_from_certdata, write_report
from certdata_factory import NOT_TRUSTED, FakeRoot, certdata_text, certificate
from conftest import PROJECT_ROOT, TESTS_DIR, assert_golden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from certdata_tool import apply, load_spec
from certdata_tool.ccadb.fix import fix_changes, fix_spec
from certdata_tool.ccadb.reconcile import FindingKind, Reconciliation, reconcile, reconcile_report
from certdata_tool.ccadb.report import TrustBit, read_report
from certdata_tool.cli import app
from certdata_tool.cli.commands.ccadb import CcadbFormat
from certdata_tool.errors import ReportError
from certdata_tool.model.roots import DistrustPurpose, Root, TrustField, TrustLevel, read_roots
from certdata_tool.model.selectors import Selector
from certdata_tool.render.ccadb import render_json, render_markdown, render_text
from certdata_tool.spec.load import AddChange, ModifyChange
from certdata_tool.spec.write import changes_yaml
from certdata_tool.syntax.nssfile import CertdataFile, parse

CASES = TESTS_DIR / "cases" / "ccadb"
SAMPLE = (PROJECT_ROOT / "samples" / "certdata.txt").read_bytes()
STORE = parse(SAMPLE, source="certdata.txt")
SAMPLE_ROOTS = read_roots(STORE).roots
BY_LABEL = {root.label: root for root in SAMPLE_ROOTS}
runner = CliRunner()

# (kind, sha256, purpose) of each finding: what the perturbation tests compare.
Key = tuple[str, str, str | None]


def keys(reconciliation: Reconciliation) -> list[Key]:
    return [(f.kind.value, f.sha256, None if f.purpose is None else f.purpose.value)
            for f in reconciliation.findings]


def rows() -> list[Row]:
    return rows_from_certdata(SAMPLE)


def row_of(table: list[Row], label: str) -> Row:
    sha256 = BY_LABEL[label].sha256
    return next(row for row in table if row["SHA-256 Fingerprint"] == sha256)


def check(data: bytes, store: CertdataFile = STORE) -> Reconciliation:
    return reconcile_report(store, data, "report.csv")


def new_row(common_name: str, bits: str = "Websites") -> Row:
    """A report row for a root certdata.txt does not have."""
    der = certificate(common_name)
    row = dict(rows()[0])
    row.update({"Common Name or Certificate Name": common_name, "Owner": "Example New Owner",
                "SHA-256 Fingerprint": hashlib.sha256(der).hexdigest().upper(), "PEM Info": pem_info(der),
                "Trust Bits": bits, "Distrust for TLS After Date": "", "Distrust for S/MIME After Date": "",
                "Approval Bug": "https://bugzilla.mozilla.org/show_bug.cgi?id=1900001"})
    return row


# ---------------------------------------------------------------- the generator writes CCADB's layout


def test_the_generated_report_has_ccadbs_exact_layout() -> None:
    data = report_from_certdata(SAMPLE)
    text = data.decode("utf-8")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(table[0]) == COLUMNS and len(COLUMNS) == 36
    assert all(len(record) == 36 for record in table)
    assert len(table) == 1 + len(SAMPLE_ROOTS)  # every sample root is trusted for websites or email
    # Every field quoted: each record line starts with a quote, fields are joined by ","
    assert text.startswith('"Owner","Certificate Issuer Organization",')
    assert "\r\n\"" in text and ',""' in text
    record = dict(zip(COLUMNS, table[1], strict=True))
    assert record["PEM Info"].startswith("'-----BEGIN CERTIFICATE-----\r\r\n")
    assert record["PEM Info"].endswith("\r\r\n-----END CERTIFICATE-----'")
    assert record["Valid From [GMT]"][4] == "." and len(record["Valid From [GMT]"]) == 10
    by_sha = {dict(zip(COLUMNS, r, strict=True))["SHA-256 Fingerprint"]: dict(zip(COLUMNS, r, strict=True))
              for r in table[1:]}
    distrusted = by_sha[BY_LABEL["Example Distrusted After Root"].sha256]
    assert (distrusted["Trust Bits"], distrusted["Distrust for TLS After Date"],
            distrusted["Distrust for S/MIME After Date"]) == ("Websites;Email", "2024.06.30", "2024.06.30")
    assert by_sha[BY_LABEL["Example Email Root"].sha256]["Trust Bits"] == "Email"
    # One audit firm has quotes: RFC 4180 doubles them in the file.
    assert '"Auditor ""Nord"" Oy"' in text or all('Nord' not in r[32] for r in table[1:])


def test_the_generated_facts_are_the_certificates() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    for row in rows():
        der = bytes(next(r.der for r in SAMPLE_ROOTS if r.sha256 == row["SHA-256 Fingerprint"]))
        cert = x509.load_der_x509_certificate(der)
        spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        subject_spki = hashlib.sha256(cert.subject.public_bytes() + spki).hexdigest().upper()
        assert row["Subject + SPKI SHA256"] == subject_spki
        assert int(row["Certificate Serial Number"], 16) == cert.serial_number
        assert row["Valid To [GMT]"] == cert.not_valid_after_utc.strftime("%Y.%m.%d")
        assert row["Public Key Algorithm"].split()[0] in ("RSA", "EC", "Ed25519")


# ---------------------------------------------------------------- the reader


def test_the_reader_reads_every_row_with_its_line() -> None:
    data = report_from_certdata(SAMPLE)
    report = read_report(data, "report.csv")
    assert len(report.roots) == len(SAMPLE_ROOTS)
    for row in report.roots:
        # A record starts on the line (counted by LF) of its first field, where its fingerprint is too.
        assert row.line == data.count(b"\n", 0, data.index(row.sha256.encode())) + 1
        assert hashlib.sha256(row.der).hexdigest().upper() == row.sha256
    first = report.roots[0]
    assert first.line == 2 and report.roots[1].line > 2 + 10  # a PEM spans many lines
    distrusted = next(r for r in report.roots if r.sha256 == BY_LABEL["Example Distrusted After Root"].sha256)
    assert distrusted.trust_bits == (TrustBit.WEBSITES, TrustBit.EMAIL)
    assert (distrusted.server_distrust_after, distrusted.email_distrust_after) == (date(2024, 6, 30),) * 2
    assert distrusted.owner and distrusted.approval_bug and distrusted.approval_bug.startswith("https://")


def test_a_report_of_the_same_file_agrees() -> None:
    result = check(report_from_certdata(SAMPLE))
    assert result.agree and keys(result) == []
    assert (len(result.certdata_roots), len(result.ccadb_roots)) == (6, 6)


@pytest.mark.parametrize("variant",
                         ["bom", "lf-records", "spaces-in-bits", "lower-case-colons", "blank-line"])
def test_what_ccadb_may_serve_still_agrees(variant: str) -> None:
    table = rows()
    record_end = "\r\n"
    if variant == "spaces-in-bits":
        for row in table:
            row["Trust Bits"] = row["Trust Bits"].replace(";", " ; ")
    if variant == "lower-case-colons":
        for row in table:
            sha = row["SHA-256 Fingerprint"].lower()
            row["SHA-256 Fingerprint"] = ":".join(sha[i:i + 2] for i in range(0, 64, 2))
    if variant == "lf-records":
        record_end = "\n"
    data = write_report(table, record_end=record_end)
    if variant == "bom":
        data = b"\xef\xbb\xbf" + data
    if variant == "blank-line":
        data += b"\r\n"
    assert keys(check(data)) == []


def test_reading_is_by_column_name_not_position() -> None:
    reversed_columns = tuple(reversed(COLUMNS))
    assert keys(check(write_report(rows(), columns=reversed_columns))) == []


# ---------------------------------------------------------------- perturbations: exactly their finding


def _drop(table: list[Row]) -> list[Row]:
    return [row for row in table if row is not row_of(table, "Example Legacy Root")]


def _extra(table: list[Row]) -> list[Row]:
    return [*table, new_row("CCADB Only Root")]


def _trust(table: list[Row]) -> list[Row]:
    row_of(table, "Example Root CA 1")["Trust Bits"] = "Websites"
    return table


def _trust_added(table: list[Row]) -> list[Row]:
    row_of(table, "Example Legacy Root")["Trust Bits"] = "Email;Websites"
    return table


def _date(table: list[Row]) -> list[Row]:
    row_of(table, "Example Distrusted After Root")["Distrust for S/MIME After Date"] = "2025.04.15"
    return table


def _date_set(table: list[Row]) -> list[Row]:
    row_of(table, "Example Websites Root 2")["Distrust for TLS After Date"] = "2025.04.15"
    return table


def _date_cleared(table: list[Row]) -> list[Row]:
    row_of(table, "Example Distrusted After Root")["Distrust for TLS After Date"] = ""
    return table


def _shuffle(table: list[Row]) -> list[Row]:
    random.Random(18).shuffle(table)
    return table


def _same(table: list[Row]) -> list[Row]:
    return table


def sha(label: str) -> str:
    return BY_LABEL[label].sha256


NEW_SHA = hashlib.sha256(certificate("CCADB Only Root")).hexdigest().upper()
PERTURBATIONS: list[tuple[str, Callable[[list[Row]], list[Row]], list[Key]]] = [
    ("dropped-row", _drop, [("extra", sha("Example Legacy Root"), None)]),
    ("extra-row", _extra, [("missing", NEW_SHA, None)]),
    ("trust-bit-removed", _trust, [("trust", sha("Example Root CA 1"), None)]),
    ("trust-bit-added", _trust_added, [("trust", sha("Example Legacy Root"), None)]),
    ("date-changed", _date, [("distrust_after", sha("Example Distrusted After Root"), "email")]),
    ("date-set", _date_set, [("distrust_after", sha("Example Websites Root 2"), "server")]),
    ("date-cleared", _date_cleared, [("distrust_after", sha("Example Distrusted After Root"), "server")]),
    ("shuffled-rows", _shuffle, []),
]


@pytest.mark.parametrize(("name", "change", "expected"), PERTURBATIONS, ids=[p[0] for p in PERTURBATIONS])
def test_each_perturbation_gives_exactly_its_finding(
        name: str, change: Callable[[list[Row]], list[Row]], expected: list[Key]) -> None:
    result = check(write_report(change(rows())))
    assert keys(result) == expected
    if not expected:
        assert fix_spec(result) == ""
        return
    # And the spec that fixes it makes the two agree.
    report = write_report(change(rows()))
    fixed = apply(STORE, load_spec(fix_spec(result), source="fix.yaml"))
    assert check(report, fixed).agree


def test_an_extra_column_changes_nothing() -> None:
    columns = (*COLUMNS[:10], "Some Column CCADB Added", *COLUMNS[10:])
    table = [{**row, "Some Column CCADB Added": "new; values"} for row in rows()]
    assert keys(check(write_report(table, columns=columns))) == []


def test_a_header_with_a_leading_space_is_read() -> None:
    header = [" " + name if name == "Certificate Practice & Policy Statement (CP/CPS)" else name
              for name in COLUMNS]
    header[COLUMNS.index("Trust Bits")] = " Trust Bits "
    assert keys(check(write_report(rows(), header=header))) == []


def test_older_column_names_are_not_needed() -> None:
    # Until 2025 the audit columns had other names and NetSec / S/MIME BR Audit did not exist.
    renamed = {"TLS BR Audit": "BR Audit", "TLS EVG Audit": "EV Audit", "Audit Firm": "Auditor"}
    columns = tuple(name for name in COLUMNS if name not in ("NetSec Audit", "S/MIME BR Audit"))
    header = [renamed.get(name, name) for name in columns]
    assert keys(check(write_report(rows(), columns=columns, header=header))) == []


def test_the_only_needed_columns_are_the_contracts() -> None:
    needed = ("SHA-256 Fingerprint", "Common Name or Certificate Name", "Trust Bits",
              "Distrust for TLS After Date", "Distrust for S/MIME After Date", "PEM Info")
    result = check(write_report(rows(), columns=needed))
    assert result.agree
    assert all(row.owner is None and row.approval_bug is None for row in result.ccadb_roots)


# ---------------------------------------------------------------- meaning


def _store(*roots: FakeRoot) -> CertdataFile:
    return parse(certdata_text(list(roots)), source="certdata.txt")


def test_a_root_trusted_for_nothing_is_not_extra() -> None:
    kept = FakeRoot("Kept For Distrust", certificate("Kept For Distrust"), server_auth=NOT_TRUSTED)
    store = _store(kept)
    assert check(write_report([]), store).agree


def test_code_signing_alone_is_not_in_ccadb() -> None:
    signing = FakeRoot("Code Only", certificate("Code Only"), server_auth="CKT_NSS_MUST_VERIFY_TRUST",
                       code_signing="CKT_NSS_TRUSTED_DELEGATOR")
    assert check(write_report([]), _store(signing)).agree


def test_dates_compare_by_utc_calendar_day() -> None:
    midnight = FakeRoot("Midnight", certificate("Midnight"),
                        server_distrust_after=datetime(2024, 6, 30, tzinfo=UTC))
    last_second = FakeRoot("Last Second", certificate("Last Second"),
                           email_distrust_after=datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC))
    store = _store(midnight, last_second)
    table = rows_from_certdata(certdata_text([midnight, last_second]))
    assert keys(check(write_report(table), store)) == []
    for row in table:
        assert "2024.06.30" in (row["Distrust for TLS After Date"], row["Distrust for S/MIME After Date"])
    table[0]["Distrust for TLS After Date"] = table[0]["Distrust for TLS After Date"] or "2024.07.01"
    table[1]["Distrust for TLS After Date"] = table[1]["Distrust for TLS After Date"] or "2024.07.01"
    assert [k for k, _, _ in keys(check(write_report(table), store))] == ["distrust_after"]


def test_a_date_on_the_trust_object_is_no_date_and_the_fix_moves_it() -> None:
    date_text = "".join(f"\\{byte:03o}" for byte in b"240630235959Z")
    stray = FakeRoot("Stray Date", certificate("Stray Date"),
                     trust_extra=("CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL", date_text, "END"))
    store = _store(stray)
    intended = replace(stray, trust_extra=(), server_distrust_after=datetime(2024, 6, 30, tzinfo=UTC))
    table = rows_from_certdata(certdata_text([intended]))
    result = check(write_report(table), store)
    assert [(f.kind, f.certdata, f.ccadb) for f in result.findings] == [
        (FindingKind.DISTRUST_AFTER, None, date(2024, 6, 30))]
    fixed = apply(store, load_spec(fix_spec(result)))
    assert check(write_report(table), fixed).agree
    trust_object = read_roots(fixed).roots[0].trust_object(fixed)
    assert trust_object is not None and trust_object.attribute("CKA_NSS_SERVER_DISTRUST_AFTER") is None


def test_findings_are_sorted_by_kind_then_sha256() -> None:
    table = _date(_trust(_extra(_drop(rows()))))
    table.append(new_row("Another CCADB Root", "Email"))
    result = check(write_report(table))
    order = [(list(FindingKind).index(f.kind), f.sha256) for f in result.findings]
    assert order == sorted(order) and len(order) == 5


# ---------------------------------------------------------------- the fix


def test_the_fix_follows_the_contract() -> None:
    table = _date_set(_trust(_extra(_drop(rows()))))
    result = check(write_report(table))
    text = fix_spec(result)
    spec = load_spec(text, source="fix.yaml")
    changes = list(spec.changes)
    removal, edit_a, edit_b, addition = changes
    assert isinstance(removal, ModifyChange) and removal.remove
    assert removal.selector == Selector(sha256=sha("Example Legacy Root"))
    assert isinstance(edit_a, ModifyChange) and isinstance(edit_b, ModifyChange)
    edits = {edit.selector.sha256: edit for edit in (edit_a, edit_b)}
    # A bit CCADB lacks becomes must_verify_trust, never not_trusted; the other bit is left alone.
    assert edits[sha("Example Root CA 1")].trust == {
        TrustField.EMAIL_PROTECTION: TrustLevel.MUST_VERIFY_TRUST}
    # CCADB's day as NSS writes it: the last second of that day.
    assert edits[sha("Example Websites Root 2")].distrust_after == {
        DistrustPurpose.SERVER: datetime(2025, 4, 15, 23, 59, 59, tzinfo=UTC)}
    assert "server: 2025-04-15T23:59:59Z" in text
    assert isinstance(addition, AddChange) and addition.label == "CCADB Only Root"
    assert addition.sha256 == NEW_SHA and addition.certificate_ref is None
    assert addition.trust == {TrustField.SERVER_AUTH: TrustLevel.TRUSTED_DELEGATOR,
                              TrustField.EMAIL_PROTECTION: TrustLevel.MUST_VERIFY_TRUST,
                              TrustField.CODE_SIGNING: TrustLevel.MUST_VERIFY_TRUST}
    # Each change is preceded by a comment naming the CCADB owner and the approval bug.
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(("  - select:", "  - add:")):
            assert lines[index - 1].startswith("  # CCADB owner: ") or "no CCADB owner" in lines[index - 1]
    owner = row_of(table, "Example Root CA 1")
    assert f"  # CCADB owner: {owner['Owner']}; approval bug: {owner['Approval Bug']}" in lines


def test_the_fix_carries_ccadb_dates_into_an_added_root() -> None:
    row = new_row("Dated CCADB Root", "Websites;Email")
    row["Distrust for S/MIME After Date"] = "2026.01.31"
    result = check(write_report([*rows(), row]))
    (addition,) = [change for _, change in fix_changes(result)]
    assert isinstance(addition, AddChange)
    assert addition.distrust_after == {DistrustPurpose.SERVER: None,
                                       DistrustPurpose.EMAIL: datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC)}
    fixed = apply(STORE, load_spec(fix_spec(result)))
    assert check(write_report([*rows(), row]), fixed).agree


def test_a_name_that_cannot_be_a_label_falls_back_to_the_subject() -> None:
    row = new_row("Subject Name Root")
    row["Common Name or Certificate Name"] = 'Bad "Quoted" Name'
    (addition,) = [change for _, change in fix_changes(check(write_report([*rows(), row])))]
    assert isinstance(addition, AddChange) and addition.label == "Subject Name Root"


def test_a_label_already_used_is_noted() -> None:
    row = new_row("Fresh Root")
    row["Common Name or Certificate Name"] = "Example Root CA 1"
    text = fix_spec(check(write_report([*rows(), row])))
    assert '# note: certdata.txt already has a root labelled "Example Root CA 1"' in text


def test_no_fix_when_they_agree() -> None:
    assert fix_spec(check(report_from_certdata(SAMPLE))) == ""


def test_changes_yaml_reads_back_to_the_same_changes() -> None:
    der = certificate("Round Trip Root")
    changes: list[ModifyChange | AddChange] = [
        ModifyChange(selector=Selector(sha256="AB" * 32, count=2), remove=True),
        ModifyChange(selector=Selector(label='Tricky "Label" \\ \u2028'), rename="Plain Label",
                     trust={TrustField.SERVER_AUTH: TrustLevel.NOT_TRUSTED}, step_up_approved=True,
                     mozilla_ca_policy=False,
                     distrust_after={DistrustPurpose.SERVER: None,
                                     DistrustPurpose.EMAIL: datetime(2024, 6, 30, tzinfo=UTC)}),
        AddChange(der=der, label="Round Trip Root",
                  trust={TrustField.SERVER_AUTH: TrustLevel.TRUSTED_DELEGATOR,
                         TrustField.EMAIL_PROTECTION: TrustLevel.MUST_VERIFY_TRUST,
                         TrustField.CODE_SIGNING: TrustLevel.MUST_VERIFY_TRUST},
                  distrust_after={DistrustPurpose.SERVER: datetime(2030, 1, 1, 23, 59, 59, tzinfo=UTC),
                                  DistrustPurpose.EMAIL: None},
                  step_up_approved=True, after=Selector(sha1="CD" * 20)),
    ]
    text = changes_yaml([(("comment\nwith a line break",), change) for change in changes],
                        header=["header"], title="Round trip")
    spec = load_spec(text)

    def plain(change: ModifyChange | AddChange) -> object:
        return change._replace(line=0, path="", key_lines={})

    assert [plain(change) for change in spec.changes] == [plain(change) for change in changes]
    assert spec.title == "Round trip"
    assert "# comment\\nwith a line break" in text


# ---------------------------------------------------------------- malformed reports


def _line_of_row(data: bytes, index: int) -> int:
    """The line where data row `index` (0-based) starts."""
    table = rows()
    return data.count(b"\n", 0, data.index(table[index]["SHA-256 Fingerprint"].encode())) + 1


def test_malformed_reports_name_the_line_where_the_record_starts() -> None:
    good = write_report(rows())
    cases: list[tuple[bytes, int, str]] = []
    table = rows()
    wrong = table[1]["SHA-256 Fingerprint"]
    table[1]["SHA-256 Fingerprint"] = "00" * 32
    cases.append((write_report(table), _line_of_row(good, 1),
                  f"PEM Info hashes to {wrong}, not to its SHA-256 Fingerprint {'00' * 32}"))
    table = rows()
    table[2]["Distrust for TLS After Date"] = "2024-06-30"
    cases.append((write_report(table), _line_of_row(good, 2),
                  "Distrust for TLS After Date: '2024-06-30' is not a date such as 2024.11.30 (YYYY.MM.DD)"))
    table = rows()
    table[2]["Distrust for S/MIME After Date"] = "2024.02.30"
    cases.append((write_report(table), _line_of_row(good, 2),
                  "Distrust for S/MIME After Date: '2024.02.30' is not a valid date: day is out of range for "
                  "month"))
    table = rows()
    table[2]["Distrust for TLS After Date"] = "2050.01.01"
    cases.append((write_report(table), _line_of_row(good, 2),
                  "Distrust for TLS After Date: 2050.01.01 is outside 1950-2049, which a distrust-after "
                  "value in certdata.txt cannot express"))
    table = rows()
    table[3]["Trust Bits"] = "Websites;Code"
    cases.append((write_report(table), _line_of_row(good, 3),
                  "Trust Bits: unknown trust bit 'Code' (expected Websites or Email)"))
    table = rows()
    table.append(dict(table[0]))
    data = write_report(table)
    cases.append((data, data.count(b"\n", 0, data.rindex(table[0]["SHA-256 Fingerprint"].encode())) + 1,
                  f"the certificate {table[0]['SHA-256 Fingerprint']} is listed twice (first on line 2)"))
    table = rows()
    table[1]["PEM Info"] = "'no certificate here'"
    cases.append((write_report(table), _line_of_row(good, 1),
                  "PEM Info is not a certificate: it holds no PEM CERTIFICATE block (PEM blocks found: none "
                  "complete)"))
    cut = good[: good.index(rows()[3]["SHA-256 Fingerprint"].encode()) + 400]
    cases.append((cut, _line_of_row(good, 3),
                  "not CSV as CCADB writes it: a quoted field is not closed before the end of the file "
                  "(is the file cut off?)"))
    short = good.replace(b'"Not EV",', b"", 1)
    cases.append((short, 2, "the record has 35 fields, the header (line 1) has 36"))
    no_column = write_report(rows(), columns=tuple(c for c in COLUMNS if c != "Trust Bits"))
    cases.append((no_column, 1, "the header has no 'Trust Bits' column; is this CCADB's "
                  "IncludedCACertificateReportPEMCSV?"))
    latin1 = good.replace(rows()[1]["Owner"].encode(), b"Soci\xe9t\xe9", 1)
    cases.append((latin1, _line_of_row(good, 1), "not valid UTF-8 (byte 0xe9); CCADB's report is UTF-8 text"))
    cases.append((b"", 1, "empty report: expected CCADB's IncludedCACertificateReportPEMCSV CSV with a "
                  "header row"))
    for data, line, message in cases:
        with pytest.raises(ReportError) as raised:
            read_report(data, "report.csv")
        assert (raised.value.source, raised.value.line, raised.value.message) == ("report.csv", line, message)
        assert "\n" not in str(raised.value)


# ---------------------------------------------------------------- views and the command line


def _golden_inputs(folder: Path) -> None:
    table = _date(_trust(_extra(_drop(rows()))))
    (folder / "certdata.txt").write_bytes(SAMPLE)
    (folder / "report.csv").write_bytes(write_report(table))


GOLDEN_VIEWS = [("text", "expected.txt"), ("markdown", "expected.md"), ("json", "expected.json"),
                ("spec", "expected.spec.yaml")]


@pytest.mark.parametrize(("output_format", "golden"), GOLDEN_VIEWS)
def test_views_match_their_golden_files(output_format: str, golden: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _golden_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["ccadb", "certdata.txt", "report.csv", "--format", output_format])
    assert (result.exit_code, result.stderr) == (1, "")
    assert_golden(CASES / golden, result.stdout)


def test_the_golden_report_is_the_generators(tmp_path: Path) -> None:
    _golden_inputs(tmp_path)
    assert_golden(CASES / "report.csv", (tmp_path / "report.csv").read_bytes().decode("utf-8"))


def test_json_is_the_contracts_shape() -> None:
    result = check(write_report(_date(_trust(_extra(_drop(rows()))))))
    document = json.loads(render_json(result))
    assert list(document) == ["schema", "certdata", "ccadb", "findings"]
    assert document["schema"] == "certdata-tool/ccadb/1"
    assert document["certdata"] == {"roots": 6} and document["ccadb"] == {"roots": 6}
    for finding in document["findings"]:
        assert list(finding) == ["kind", "sha256", "label", "purpose", "certdata", "ccadb"]
    assert [f["kind"] for f in document["findings"]] == ["missing", "extra", "trust", "distrust_after"]
    assert document["findings"][2]["certdata"] == ["Websites", "Email"]
    assert document["findings"][2]["ccadb"] == ["Websites"]
    assert document["findings"][3]["purpose"] == "email"
    dates = (document["findings"][3]["certdata"], document["findings"][3]["ccadb"])
    assert dates == ("2024-06-30", "2025-04-15")


def test_exit_codes_and_agreement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("certdata.txt").write_bytes(SAMPLE)
    Path("same.csv").write_bytes(report_from_certdata(SAMPLE))
    for output_format in ("text", "markdown", "json"):
        result = runner.invoke(app, ["ccadb", "certdata.txt", "same.csv", "--format", output_format])
        assert result.exit_code == 0, result.output
    text = runner.invoke(app, ["ccadb", "certdata.txt", "same.csv"]).stdout
    assert "agrees with CCADB" in text
    spec = runner.invoke(app, ["ccadb", "certdata.txt", "same.csv", "--format", "spec"])
    assert (spec.exit_code, spec.stdout) == (0, "")
    Path("bad.csv").write_bytes(b"not a report\n")
    bad = runner.invoke(app, ["ccadb", "certdata.txt", "bad.csv", "--format", "spec"])
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.startswith(
        "certdata-tool: error: bad.csv:1: the header has no 'SHA-256 Fingerprint' column")
    stdin = runner.invoke(app, ["ccadb", "-", "same.csv"], input=SAMPLE)
    assert stdin.exit_code == 0


def test_the_fix_from_the_command_line_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _golden_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    spec = runner.invoke(app, ["ccadb", "certdata.txt", "report.csv", "--format", "spec"])
    Path("fix.yaml").write_text(spec.stdout, encoding="utf-8")
    assert runner.invoke(app, ["apply", "certdata.txt", "fix.yaml", "--in-place"]).exit_code == 0
    assert runner.invoke(app, ["ccadb", "certdata.txt", "report.csv"]).exit_code == 0
    assert runner.invoke(app, ["apply", "certdata.txt", "fix.yaml", "--check"]).exit_code == 0


def test_labels_and_names_are_printed_safely() -> None:
    row = new_row("Control Root")
    row["Common Name or Certificate Name"] = "Control\x1b[2J Root\r\nforged line"
    row["Owner"] = "Owner\x07"
    result = check(write_report([*rows(), row]))
    text = render_text(result)
    markdown = render_markdown(result)
    for output in (text, markdown):
        assert "\x1b" not in output and "\x07" not in output and "\r" not in output
    assert '"Control\\x1b[2J Root\\x0d\\x0aforged line"' in text
    assert len(markdown.splitlines()) == 5  # verdict, blank line, header, rule, one row


# ---------------------------------------------------------------- real NSS history


def _bits(root: Root) -> tuple[str, ...]:
    levels = (("Websites", root.trust.server_auth), ("Email", root.trust.email_protection))
    return tuple(word for word, level in levels if level is TrustLevel.TRUSTED_DELEGATOR)


def _expected(old: CertdataFile, new: CertdataFile) -> list[Key]:
    """What must differ, worked out from the two revisions' roots alone."""
    old_roots: dict[str, Root] = {}
    for root in read_roots(old).roots:
        old_roots.setdefault(root.sha256, root)
    included = {root.sha256: root for root in read_roots(new).roots if _bits(root)}
    found: list[Key] = []
    found += [("missing", sha256, None) for sha256 in included if sha256 not in old_roots]
    found += [("extra", sha256, None) for sha256, root in old_roots.items()
              if _bits(root) and sha256 not in included]
    for sha256, root in included.items():
        before = old_roots.get(sha256)
        if before is None:
            continue
        if _bits(before) != _bits(root):
            found.append(("trust", sha256, None))
        for purpose in ("server", "email"):
            moments = (getattr(before.distrust_after, purpose), getattr(root.distrust_after, purpose))
            days = {None if moment is None else moment.astimezone(UTC).date() for moment in moments}
            if len(days) == 2:
                found.append(("distrust_after", sha256, purpose))
    order = {"missing": 0, "extra": 1, "trust": 2, "distrust_after": 3}
    return sorted(found, key=lambda key: (order[key[0]], key[1], key[2] != "server"))


def _pairs() -> list[tuple[str, str]]:
    # The oldest revision, one from 2020 (before most distrust-after dates) and the one before the
    # last, each against the last (GLOBALTRUST 2020's dates), and two neighbours with a removal.
    return [("2013-02-28_bf65ba4ce.txt", "2024-06-13_469e60ef4.txt"),
            ("2020-06-12_fb3c8143d.txt", "2024-06-13_469e60ef4.txt"),
            ("2024-05-30_bb4242fc1.txt", "2024-06-13_469e60ef4.txt"),
            ("2017-11-22_1bd950174.txt", "2019-11-26_ce7d80af1.txt")]


@pytest.mark.corpus
@pytest.mark.parametrize(("old_name", "new_name"), _pairs())
def test_report_spec_apply_report_agrees_on_real_revisions(old_name: str, new_name: str) -> None:
    from conftest import corpus_revisions

    contents = dict(corpus_revisions())
    if old_name not in contents or new_name not in contents:
        pytest.skip(f"{old_name} or {new_name} is not in this corpus")
    old = parse(contents[old_name], source=old_name)
    new = parse(contents[new_name], source=new_name)
    report = report_from_certdata(contents[new_name])
    result = reconcile(old, read_report(report, "report.csv"))
    expected = _expected(old, new)
    assert expected, "a pair of revisions that agree proves nothing"
    assert keys(result) == expected
    fixed = apply(old, load_spec(fix_spec(result), source="fix.yaml"))
    assert reconcile(fixed, read_report(report, "report.csv")).agree
    # The fix touched only what the report asked for: every root of the later revision that CCADB
    # lists is there with its trust bits and dates, and nothing trusted is left that CCADB lacks.
    after = {root.sha256: root for root in read_roots(fixed).roots}
    for sha256 in {k[1] for k in expected if k[0] == "missing"}:
        assert _bits(after[sha256]) == _bits(next(r for r in read_roots(new).roots if r.sha256 == sha256))


def test_the_library_face_reconciles_too() -> None:
    import certdata_tool

    assert {"reconcile_ccadb", "ReportError"} <= set(certdata_tool.__all__)
    assert issubclass(certdata_tool.ReportError, certdata_tool.CertdataError)
    result = certdata_tool.reconcile_ccadb(STORE, write_report(_drop(rows())), "report.csv")
    assert keys(result) == [("extra", sha("Example Legacy Root"), None)]
    with pytest.raises(certdata_tool.ReportError):
        certdata_tool.reconcile_ccadb(STORE, b'"Owner"\n', "report.csv")


# ---------------------------------------------------------------- mutated reports

GOOD_REPORT = write_report(rows())
_FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")) // 2, deadline=3000,
                 suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(cut=st.integers(0, len(GOOD_REPORT)), position=st.integers(0, len(GOOD_REPORT) - 1),
       byte=st.sampled_from(b'",\r\n\'\x00\xff;. A=-'), action=st.sampled_from(["cut", "replace", "insert"]))
def test_a_mutated_report_reads_or_names_a_line(cut: int, position: int, byte: int, action: str) -> None:
    if action == "cut":
        data = GOOD_REPORT[:cut]
    elif action == "replace":
        data = GOOD_REPORT[:position] + bytes([byte]) + GOOD_REPORT[position + 1:]
    else:
        data = GOOD_REPORT[:position] + bytes([byte]) + GOOD_REPORT[position:]
    try:
        result = check(data)
        spec = fix_spec(result)
    except ReportError as error:
        assert error.source == "report.csv" and error.line is not None
        assert 1 <= error.line <= data.count(b"\n") + 1
        assert "\n" not in str(error)
        return
    render_text(result), render_markdown(result), render_json(result)  # every view renders it
    if spec:
        load_spec(spec)  # and the spec it writes is valid


def test_ccadb_days_and_the_last_second() -> None:
    from certdata_tool.moments import last_second, read_ccadb_day

    assert read_ccadb_day(" 2024.11.30 ") == date(2024, 11, 30)
    assert last_second(date(2024, 11, 30)) == datetime(2024, 11, 30, 23, 59, 59, tzinfo=UTC)
    for text in ("2024-11-30", "2024.1.30", "30.11.2024", "2024.11.30.", ""):
        with pytest.raises(ValueError, match=re.escape("is not a date such as 2024.11.30")):
            read_ccadb_day(text)
    with pytest.raises(ValueError, match=re.escape("is not a valid date: month must be in 1..12")):
        read_ccadb_day("2024.13.01")


@pytest.mark.parametrize("output_format", list(CcadbFormat))
def test_every_format_renders_and_sets_the_exit_code(output_format: CcadbFormat, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _golden_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    Path("same.csv").write_bytes(report_from_certdata(SAMPLE))
    differ = runner.invoke(app, ["ccadb", "certdata.txt", "report.csv", "--format", output_format.value])
    agree = runner.invoke(app, ["ccadb", "certdata.txt", "same.csv", "--format", output_format.value])
    assert (differ.exit_code, agree.exit_code) == (1, 0)
    assert differ.stdout.strip() and (agree.stdout == "") == (output_format is CcadbFormat.SPEC)


def test_the_report_may_come_from_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _golden_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    piped = runner.invoke(app, ["ccadb", "certdata.txt", "-", "--format", "json"],
                          input=Path("report.csv").read_bytes())
    named = runner.invoke(app, ["ccadb", "certdata.txt", "report.csv", "--format", "json"])
    assert (piped.exit_code, piped.stdout) == (1, named.stdout)
    both = runner.invoke(app, ["ccadb", "-", "-"])
    assert both.exit_code == 2
    assert both.stderr == ("certdata-tool: error: CERTDATA and REPORT.csv cannot both be - (standard input "
                           "can be read only once)\n")
