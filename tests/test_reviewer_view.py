"""The reviewer's view (issue 16): values in every summary row, certificate facts of added and removed
roots, dates on trust objects said once, changes outside roots located, a comment fit for a pull request."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from certdata_factory import HEADER, MUST_VERIFY, FakeRoot, certdata_text, certificate, octal
from conftest import TESTS_DIR, assert_golden, corpus_index, corpus_revisions
from typer.testing import CliRunner

from certdata_tool.cli import app
from certdata_tool.diff import Diff, compare
from certdata_tool.model.roots import read_roots
from certdata_tool.render.json_diff import render_json
from certdata_tool.render.markdown_diff import GITHUB_COMMENT_LIMIT, render_markdown
from certdata_tool.render.show import render_json as show_json
from certdata_tool.render.text_diff import OUTSIDE_LINES_SHOWN, render_text
from certdata_tool.syntax.nssfile import CertdataFile, parse
from certdata_tool.x509 import certificate as certificate_module
from certdata_tool.x509.certificate import certificate_facts

CASES = TESTS_DIR / "cases" / "diff"
IGNORED = "ignored by NSS (it reads distrust-after from the certificate object)"
runner = CliRunner()

# The keys of a ROOT object, in the order of CONTRACT.md ("Output shapes", show).
ROOT_KEYS = ["label", "sha256", "sha1", "subject_spki_sha256", "subject", "issuer", "serial", "not_before",
             "not_after", "key", "signature_algorithm", "self_signed", "ca", "trust", "distrust_after",
             "mozilla_ca_policy", "line", "position", "problems"]
FACT_KEYS = ["subject", "issuer", "serial", "not_before", "not_after", "key", "signature_algorithm",
             "sha1", "sha256", "subject_spki_sha256", "self_signed", "ca", "position"]


def views(diff: Diff) -> dict[str, str]:
    return {"text.txt": render_text(diff), "markdown.md": render_markdown(diff),
            "diff.json": render_json(diff)}


def check_views(name: str, diff: Diff) -> dict[str, str]:
    outputs = views(diff)
    for file_name, output in outputs.items():
        assert_golden(CASES / name / file_name, output)
    return outputs


# -- the real NSS commits --------------------------------------------------------------------------

@cache
def commit_pair(short: str) -> tuple[CertdataFile, CertdataFile]:
    """The parent revision and the revision of one NSS commit of the corpus."""
    row = next(r for r in corpus_index() if r["short"] == short)
    contents = dict(corpus_revisions())
    name = f"{row['date']}_{short}.txt"
    return (parse(contents[row["parent_file"]], source=row["parent_file"]),
            parse(contents[name], source=name))


def commit_diff(short: str) -> Diff:
    return compare(*commit_pair(short))


def summary_rows(markdown: str) -> list[str]:
    """The rows of the Markdown summary table, without its heading and rule."""
    lines = markdown.splitlines()
    start = lines.index("| Root | SHA-256 | Changes |") + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("| "):
            break
        rows.append(line)
    return rows


@pytest.mark.corpus
@pytest.mark.parametrize(("short", "roots", "fields"), [
    ("9a29c1a53", 12, ["Distrust for TLS After"]),  # Symantec: TLS only
    ("79ef8de78", 3, ["Distrust for TLS After", "Distrust for S/MIME After"]),  # TrustCor: both
])
def test_every_summary_row_of_a_multi_root_distrust_shows_its_dates(short: str, roots: int,
                                                                    fields: list[str]) -> None:
    diff = commit_diff(short)
    outputs = check_views(f"corpus-{short}", diff)
    rows = summary_rows(outputs["markdown.md"])
    assert len(rows) == len(diff.modified) == roots
    for row, change in zip(rows, diff.modified, strict=True):
        for field_change in change.changes:
            assert field_change.old is None and isinstance(field_change.new, datetime)
        cell = row.split(" | ")[2]
        expected = [f"{field}: none → {change.new.distrust_after.server:%Y-%m-%d %H:%M:%S} UTC"
                    if "TLS" in field else
                    f"{field}: none → {change.new.distrust_after.email:%Y-%m-%d %H:%M:%S} UTC"
                    for field in fields]
        assert cell.removesuffix(" |") == "<br>".join(expected)
    # The text view gives each changed field old → new as well, one line each.
    text = outputs["text.txt"]
    for change in diff.modified:
        block = text.split(f"Modified: {change.new.label}\n", 1)[1].split("\n\n", 1)[0]
        assert [line.strip() for line in block.splitlines()[1:]] == [
            line.split(" | ")[0] for line in summary_rows(outputs["markdown.md"])
            [diff.modified.index(change)].split(" | ")[2].removesuffix(" |").split("<br>")]


def bjca_roots() -> list[tuple[str, bytes]]:
    diff = commit_diff("31ffadb83")
    assert [root.label for root in diff.added] == ["BJCA Global Root CA1", "BJCA Global Root CA2"]
    assert (diff.removed, diff.modified) == ((), ())
    return [(root.label, root.der) for root in diff.added]


@pytest.mark.corpus
def test_added_roots_show_every_fact_in_all_three_views() -> None:
    diff = commit_diff("31ffadb83")
    outputs = check_views("corpus-31ffadb83", diff)
    document = json.loads(outputs["diff.json"])
    assert [list(root) for root in document["added"]] == [ROOT_KEYS, ROOT_KEYS]
    text, markdown = outputs["text.txt"], outputs["markdown.md"]
    before = {"BJCA Global Root CA1": "Security Communication ECC RootCA1",
              "BJCA Global Root CA2": "BJCA Global Root CA1"}
    for root, entry in zip(diff.added, document["added"], strict=True):
        facts = root.facts()
        assert set(FACT_KEYS) <= set(entry)
        assert entry["position"] == {"after": before[root.label]}
        assert (entry["sha256"], entry["sha1"]) == (facts.sha256, facts.sha1)
        words = {
            "Subject": facts.subject, "Issuer": facts.issuer, "Serial number": facts.serial,
            "Not before": f"{facts.not_before:%Y-%m-%d %H:%M:%S} UTC",
            "Not after": f"{facts.not_after:%Y-%m-%d %H:%M:%S} UTC", "Key": facts.key,
            "Signature algorithm": facts.signature_algorithm, "SHA-1": facts.sha1,
            "Subject + SPKI SHA-256": facts.subject_spki_sha256, "Self-signed": "yes", "CA": "yes",
            "Position": f'after "{before[root.label]}"',
        }
        block = text.split(f"Added: {root.label}\n", 1)[1].split("\n\n", 1)[0]
        details = markdown.split(f"<summary>{root.label} (added)</summary>", 1)[1].split("</details>", 1)[0]
        for name, value in words.items():
            assert f"  {name}: {value}\n" in block + "\n", name
            assert (f"- {name}: `{value}`\n" in details) or (f"- {name}: {value}\n" in details), name
        assert entry["not_before"] == f"{facts.not_before:%Y-%m-%dT%H:%M:%SZ}"
        assert (entry["self_signed"], entry["ca"]) == (True, True)


def _openssl(der: bytes, *arguments: str) -> str:
    openssl = shutil.which("openssl")
    assert openssl is not None
    result = subprocess.run([openssl, "x509", "-inform", "DER", "-noout", *arguments], input=der,
                            capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def _openssl_value(output: str, key: str) -> str:
    return next(line.split("=", 1)[1] for line in output.splitlines() if line.startswith(key + "="))


@pytest.mark.corpus
@pytest.mark.consumer
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_facts_of_the_bjca_roots_are_what_openssl_says() -> None:
    for label, der in bjca_roots():
        facts = certificate_facts(der)
        fields = _openssl(der, "-subject", "-issuer", "-nameopt", "RFC2253", "-serial", "-startdate",
                          "-enddate", "-dateopt", "iso_8601")
        assert facts.subject == _openssl_value(fields, "subject"), label
        assert facts.issuer == _openssl_value(fields, "issuer"), label
        # openssl prints the serial's magnitude; CCADB (and we) keep a leading 00 byte of the DER.
        assert facts.serial.removeprefix("00") == _openssl_value(fields, "serial"), label
        assert f"{facts.not_before:%Y-%m-%d %H:%M:%S}Z" == _openssl_value(fields, "notBefore")
        assert f"{facts.not_after:%Y-%m-%d %H:%M:%S}Z" == _openssl_value(fields, "notAfter")
        for digest, value in (("-sha1", facts.sha1), ("-sha256", facts.sha256)):
            fingerprint = _openssl(der, "-fingerprint", digest).strip().split("=", 1)[1]
            assert value == fingerprint.replace(":", ""), (label, digest)
        text = _openssl(der, "-text")
        algorithm = re.search(r"Signature Algorithm: (\S+)", text)
        assert algorithm is not None and facts.signature_algorithm == algorithm.group(1)
        bits = re.search(r"Public-Key: \((\d+) bit\)", text)
        curve = re.search(r"NIST CURVE: (\S+)", text)
        assert bits is not None
        assert facts.key == (f"EC {curve.group(1)}" if curve else f"RSA {bits.group(1)}"), label
        assert facts.ca is ("CA:TRUE" in text)
        assert facts.self_signed is (_openssl_value(fields, "subject") == _openssl_value(fields, "issuer"))
        # Subject + SPKI: openssl's SubjectPublicKeyInfo, after the subject as the DER holds it.
        public_key = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-pubkey"], input=der,
                                    capture_output=True, check=True, timeout=60).stdout
        spki = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=public_key,
                              capture_output=True, check=True, timeout=60).stdout
        from asn1crypto import x509 as asn1_x509

        subject = asn1_x509.Certificate.load(der)["tbs_certificate"]["subject"].dump()
        assert facts.subject_spki_sha256 == hashlib.sha256(subject + spki).hexdigest().upper()


@cache
def _every_corpus_certificate() -> tuple[tuple[str, bytes], ...]:
    found: dict[str, tuple[str, bytes]] = {}
    for name, data in corpus_revisions()[::4] + corpus_revisions()[-1:]:
        for root in read_roots(parse(data, source=name)).roots:
            found.setdefault(root.sha256, (root.label, root.der))
    return tuple(found.values())


@pytest.mark.corpus
def test_the_fallback_reader_agrees_with_cryptography_on_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every fact but self_signed (which needs cryptography's verification) also reads without it.
    certificates = _every_corpus_certificate()
    assert len(certificates) > 250
    first = [certificate_facts.__wrapped__(der) for _, der in certificates]
    monkeypatch.setattr(certificate_module, "_load", lambda der: None)
    for (label, der), facts in zip(certificates, first, strict=True):
        fallback = certificate_facts.__wrapped__(der)
        assert replace(fallback, self_signed=facts.self_signed) == facts, label
        assert fallback.self_signed is None or not facts.self_signed


@pytest.mark.corpus
@pytest.mark.parametrize(("label", "serial", "openssl_serial", "ca"), [
    ("Go Daddy Root Certificate Authority - G2", "00", "00", True),  # serial number 0
    ("EC-ACC", "EE2B3DEBD421DE14A862AC04F3DDC401", "-11D4C2142BDE21EB579D53FB0C223BFF", True),  # negative
    # cryptography refuses its certificatePolicies (a UserNotice in a VisibleString): cA from the DER.
    ("AC Raíz Certicámara S.A.", "077E52937BE015E357F0698CCBEC0C", "077E52937BE015E357F0698CCBEC0C", True),
])
def test_odd_real_roots_still_read(label: str, serial: str, openssl_serial: str, ca: bool) -> None:
    der = next(der for name, der in _every_corpus_certificate() if name == label)
    facts = certificate_facts(der)
    assert (facts.serial, facts.ca) == (serial, ca)
    # The DER content bytes, two's complement: the same number openssl prints (verified by hand).
    expected = int(openssl_serial, 16)
    assert int.from_bytes(bytes.fromhex(facts.serial), "big", signed=True) == expected
    assert facts.key.startswith("RSA ") and facts.subject.startswith("CN=")


def test_an_unreadable_certificate_gives_empty_facts_not_an_error() -> None:
    facts = certificate_facts(b"\x30\x03\x02\x01\x00")
    assert (facts.subject, facts.serial, facts.key, facts.ca, facts.self_signed) == ("", "", "", None, False)
    assert facts.sha256 == hashlib.sha256(b"\x30\x03\x02\x01\x00").hexdigest().upper()


# -- a distrust-after date on a trust object --------------------------------------------------------

IZENPE = FakeRoot("Izenpe.com", certificate("Izenpe.com"))
DEC_2026 = datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC)


def _on_trust_object(root: FakeRoot, moment: datetime) -> FakeRoot:
    body = octal(moment.strftime("%y%m%d%H%M%SZ").encode()).splitlines()
    return replace(root, trust_extra=("CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL", *body, "END"))


def test_a_trust_object_date_is_decoded_and_flagged_once_per_view() -> None:
    old = certdata_text([IZENPE])
    new = certdata_text([_on_trust_object(IZENPE, DEC_2026)])
    diff = compare(parse(old, source="old.txt"), parse(new, source="new.txt"))
    outputs = check_views("trust-object-date", diff)
    for name in ("text.txt", "markdown.md"):
        assert outputs[name].count(IGNORED) == 1, name
        assert "Distrust for TLS After (trust object): none → 2026-12-01 23:59:59 UTC" in outputs[name]
    row = summary_rows(outputs["markdown.md"])[0]
    assert "Distrust for TLS After (trust object): none → 2026-12-01 23:59:59 UTC" in row
    assert IGNORED not in row
    entry = json.loads(outputs["diff.json"])["modified"][0]
    assert entry["changes"] == {
        "trust_object.distrust_after.server": {"old": None, "new": "2026-12-01T23:59:59Z"}}
    assert [problem for problem in entry["problems"] if IGNORED in problem] == entry["problems"]
    assert len(entry["problems"]) == 1 and "2026-12-01 23:59:59 UTC" in entry["problems"][0]
    assert entry["attribute_changes"] == []
    # What NSS reads did not change.
    assert diff.modified[0].new.distrust_after.server is None


def test_show_json_carries_the_trust_object_date_as_a_problem() -> None:
    store = parse(certdata_text([_on_trust_object(IZENPE, DEC_2026)]), source="x.txt")
    entry = json.loads(show_json(read_roots(store)))["roots"][0]
    assert list(entry) == ROOT_KEYS
    assert entry["distrust_after"] == {"server": None, "email": None}
    assert len(entry["problems"]) == 1 and IGNORED in entry["problems"][0]


def test_the_warning_is_said_once_per_diff(tmp_path: Path) -> None:
    # Both files carry the value; NEW also changes the root's trust.
    dated = _on_trust_object(IZENPE, DEC_2026)
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(certdata_text([dated]), encoding="utf-8")
    new.write_text(certdata_text([replace(dated, server_auth=MUST_VERIFY)]), encoding="utf-8")
    result = runner.invoke(app, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert result.stderr.count(IGNORED) == 1
    assert result.stderr.startswith(f"certdata-tool: warning: {old}:")
    assert result.stdout.count(IGNORED) == 1


# -- changes outside roots --------------------------------------------------------------------------

ALPHA = FakeRoot("Alpha Root", certificate("Alpha Root"))
BRAVO = FakeRoot("Bravo Root", certificate("Bravo Root"))
CHARLIE = FakeRoot("Charlie Root", certificate("Charlie Root"))
LICENSE_OLD = "#\n# This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.\n"
LICENSE_NEW = "#\n# This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.1.\n"


def test_the_outside_note_names_line_ranges_and_shows_the_hunk() -> None:
    # A changed license line, and Charlie moved before Bravo, while Alpha's trust changes.
    old = certdata_text([ALPHA, BRAVO, CHARLIE], header=LICENSE_OLD + HEADER)
    new = certdata_text([replace(ALPHA, server_auth=MUST_VERIFY), CHARLIE, BRAVO],
                        header=LICENSE_NEW + HEADER)
    diff = compare(parse(old, source="old.txt"), parse(new, source="new.txt"))
    assert [c.label for c in diff.modified] == ["Alpha Root"]
    outputs = check_views("outside-roots", diff)
    old_lines, new_lines = old.splitlines(), new.splitlines()
    # A root's comment block starts with a blank line and `#` before `# Certificate "..."`.
    charlie_old = old_lines.index('# Certificate "Charlie Root"') - 2
    charlie_new = new_lines.index('# Certificate "Charlie Root"') - 2
    size = len(old_lines) - charlie_old
    assert size == new_lines.index('# Certificate "Bravo Root"') - 2 - charlie_new
    assert outputs["text.txt"].split("\n\n")[1] == (
        "Comments, blank lines, header text or object order changed outside these roots:\n"
        "  @@ OLD line 2 → NEW line 2 @@\n"
        "  -# This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.\n"
        "  +# This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.1.\n"
        f"  @@ OLD lines {charlie_old + 1}-{charlie_old + size} → NEW lines {charlie_new + 1}-"
        f"{charlie_new + size} @@ moved: Charlie Root")
    document = json.loads(outputs["diff.json"])
    assert document["outside_changes"] == [
        {"old": {"first": 2, "last": 2}, "new": {"first": 2, "last": 2}, "moved": None},
        {"old": {"first": charlie_old + 1, "last": charlie_old + size},
         "new": {"first": charlie_new + 1, "last": charlie_new + size}, "moved": "Charlie Root"}]
    assert "```diff\n@@ OLD line 2 → NEW line 2 @@\n-# This Source Code" in outputs["markdown.md"]


def test_the_outside_note_shows_a_short_hunk_then_counts() -> None:
    notes = "".join(f"# note {n}\n" for n in range(30))
    old = certdata_text([ALPHA])
    new = certdata_text([replace(ALPHA, server_auth=MUST_VERIFY)], trailer=notes)
    diff = compare(parse(old), parse(new))
    text = render_text(diff)
    shown = [line for line in text.splitlines() if re.match(r"  [-+]", line)]
    assert shown == [f"  +# note {n}" for n in range(OUTSIDE_LINES_SHOWN)]
    assert f"  @@ OLD none (after line {len(old.splitlines())}) → NEW lines " in text
    assert (f"  ... and {30 - OUTSIDE_LINES_SHOWN} more changed lines (`diff --format unified` shows them "
            "all)\n") in text


def test_no_note_when_only_roots_changed() -> None:
    old = certdata_text([ALPHA, BRAVO])
    new = certdata_text([ALPHA, replace(BRAVO, server_auth=MUST_VERIFY)])
    diff = compare(parse(old), parse(new))
    assert (diff.formatting_changed, diff.outside) == (False, ())
    assert "outside" not in render_text(diff) and "```" not in render_markdown(diff)


# -- the pull-request comment -----------------------------------------------------------------------

def test_markdown_escapes_what_github_would_read_as_markup() -> None:
    label = "Root | <b>x</b> *y* `z` _w_ [l](u) ~s~ $m$ \x1b[31m\u202e"
    odd = FakeRoot(label, certificate("Odd"))
    diff = compare(parse(certdata_text([])), parse(certdata_text([odd])))
    markdown = check_views("markdown-escaping", diff)["markdown.md"]
    row = summary_rows(markdown)[0]
    cell = row.split(" | ")[0].removeprefix("| ")
    assert cell == r"Root \| \<b\>x\</b\> \*y\* \`z\` \_w\_ \[l\](u) \~s\~ \$m\$ \\x1b\[31m\\u202e"
    summary = next(line for line in markdown.splitlines() if line.startswith("<summary>"))
    assert summary == ("<summary>Root | &lt;b&gt;x&lt;/b&gt; *y* `z` _w_ [l](u) ~s~ $m$ \\x1b[31m\\u202e "
                       "(added)</summary>")
    assert "\x1b" not in markdown and "\u202e" not in markdown
    assert "<b>" not in markdown


def test_a_whole_file_change_fits_in_one_github_comment() -> None:
    roots = [FakeRoot(f"Root number {n:03d}", certificate(f"Root number {n:03d}")) for n in range(160)]
    diff = compare(parse(certdata_text([])), parse(certdata_text(roots)))
    whole = render_markdown(diff, limit=10**9)
    assert len(whole) > GITHUB_COMMENT_LIMIT  # the case is real
    fitted = render_markdown(diff)
    assert len(fitted) <= GITHUB_COMMENT_LIMIT
    assert fitted.startswith("### 0 roots modified, 160 added, 0 removed\n")
    assert len(summary_rows(fitted)) == 160  # every root keeps its row
    kept = fitted.count("<details>")
    assert 0 < kept < 160
    assert fitted.rstrip().endswith(f"the details of {160 - kept} roots. `certdata-tool diff --format text` "
                                    "shows everything.*")
    assert fitted.count("Left out to stay within GitHub's 65,536-character comment limit") == 1
    # What is kept is the start of the whole comment, unchanged.
    assert whole.startswith(fitted.rsplit("\n\n*Left out", 1)[0])


def test_the_heading_is_one_line_with_counts() -> None:
    diff = compare(parse(certdata_text([ALPHA])), parse(certdata_text([ALPHA, BRAVO])))
    lines = render_markdown(diff, title="Add Bravo", bug="123").splitlines()
    assert [line for line in lines if line.startswith("#")] == [
        "### Add Bravo — 0 roots modified, 1 added, 0 removed"]
