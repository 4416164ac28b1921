"""`certdata-tool show` through CliRunner (golden outputs, selectors, errors, stdin), and once for real."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TESTS_DIR, corpus_file
from conftest import assert_golden as check_golden_file
from test_model import NEWEST, _independent_roots
from test_nssfile import MALFORMED, MALFORMED_CASES
from typer.testing import CliRunner, Result

from certdata_tool.cli import app

SAMPLE = PROJECT_ROOT / "samples" / "certdata.txt"
GOLDEN = TESTS_DIR / "cases" / "show"
UPDATE = os.environ.get("CERTDATA_UPDATE_GOLDEN") == "1"


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/cases/show/NAME (see conftest.assert_golden)."""
    check_golden_file(GOLDEN / name, actual)

def assert_one_error_line(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"certdata-tool: error: {message}\n"
    assert "Traceback" not in result.output


def sample_sha256(slug: str) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = (PROJECT_ROOT / "samples" / "roots" / f"{slug}.pem").read_bytes()
    return hashlib.sha256(x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)).hexdigest()


# -- output formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(("output_format", "golden"),
                         [("table", "sample.table.txt"), ("json", "sample.json"), ("markdown", "sample.md")])
def test_formats_of_the_sample(output_format: str, golden: str) -> None:
    result = run("show", str(SAMPLE), "--format", output_format)
    assert (result.exit_code, result.stderr) == (0, "")
    assert_golden(golden, result.stdout)


def test_table_is_the_default_and_short_options_work() -> None:
    assert run("show", str(SAMPLE)).stdout == run("show", str(SAMPLE), "-f", "table").stdout
    assert run("show", str(SAMPLE), "-f", "json", "-r", "label=Example Email Root").exit_code == 0


def test_json_facts_of_the_sample() -> None:
    document = json.loads(run("show", str(SAMPLE), "--format", "json").stdout)
    assert document["schema"] == "certdata-tool/show/1"
    assert document["distrust_entries"] == []
    roots = {root["label"]: root for root in document["roots"]}
    assert list(roots) == ["Example Root CA 1", "Example Email Root", "Example Distrusted After Root",
                           "Example Legacy Root", "Exemple Autorité Racine Ünïcode",
                           "Example Websites Root 2"]
    # The contract's order (CONTRACT.md, "Output shapes").
    assert list(document["roots"][0]) == ["label", "sha256", "sha1", "subject_spki_sha256", "subject",
                                          "issuer", "serial", "not_before", "not_after", "key",
                                          "signature_algorithm", "self_signed", "ca", "trust",
                                          "distrust_after", "mozilla_ca_policy", "line", "position",
                                          "problems"]
    assert [root["position"] for root in document["roots"][:2]] == [{"after": None},
                                                                    {"after": "Example Root CA 1"}]
    dated = roots["Example Distrusted After Root"]
    assert dated["distrust_after"] == {"server": "2024-06-30T00:00:00Z", "email": "2024-06-30T00:00:00Z"}
    assert dated["sha256"] == sample_sha256("example-distrusted-after-root").upper()
    assert roots["Example Email Root"]["trust"] == {"server_auth": "must_verify_trust",
                                                   "email_protection": "trusted_delegator",
                                                   "code_signing": "must_verify_trust",
                                                   "step_up_approved": False}
    assert roots["Example Legacy Root"]["distrust_after"] == {"server": None, "email": None}
    text = SAMPLE.read_text(encoding="utf-8").split("\n")
    for root in document["roots"]:
        # `line` is the certificate's CKA_CLASS line, right after its comment block.
        assert text[root["line"] - 1] == "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE"
        assert text[root["line"] - 2].startswith("# Fingerprint (SHA1): ")
        assert text[root["line"] + 3] == f'CKA_LABEL UTF8 "{root["label"]}"'


# -- selectors ------------------------------------------------------------------------------------


def labels_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [root["label"] for root in json.loads(result.stdout)["roots"]]


def test_root_by_label() -> None:
    result = run("show", str(SAMPLE), "--format", "json", "--root", "label=Exemple Autorité Racine Ünïcode")
    assert labels_of(result) == ["Exemple Autorité Racine Ünïcode"]


def test_root_by_sha256_with_colons_and_lower_case() -> None:
    digest = sample_sha256("example-websites-root-2")
    colons = ":".join(digest[i : i + 2] for i in range(0, 64, 2))
    assert labels_of(run("show", str(SAMPLE), "-f", "json", "--root", f"sha256={colons}")) == [
        "Example Websites Root 2"]
    assert labels_of(run("show", str(SAMPLE), "-f", "json", "--root", f"sha256={digest.upper()}")) == [
        "Example Websites Root 2"]


def test_several_roots_come_in_file_order_once() -> None:
    result = run("show", str(SAMPLE), "-f", "json", "--root", "label=Example Websites Root 2",
                 "--root", "label=Example Root CA 1", "--root", "label=Example Root CA 1")
    assert labels_of(result) == ["Example Root CA 1", "Example Websites Root 2"]


def test_selected_table_counts_only_the_selection() -> None:
    result = run("show", str(SAMPLE), "--root", "label=Example Email Root")
    assert result.stdout.endswith(
        "\n1 root: 0 trusted for websites, 1 for email, 0 with a distrust-after date\n")


def test_root_matching_nothing() -> None:
    assert_one_error_line(run("show", str(SAMPLE), "--root", "label=No Such Root"),
                          "--root label=No Such Root: no root matches")


def test_bad_selector() -> None:
    assert_one_error_line(run("show", str(SAMPLE), "--root", "Example Root CA 1"),
                          "bad selector 'Example Root CA 1': expected label=NAME, sha256=HEX or sha1=HEX")
    assert_one_error_line(run("show", str(SAMPLE), "--root", "sha256=12:34"),
                          "bad selector: sha256 must be 64 hex digits (colons and spaces allowed), "
                          "got '12:34'")


# -- errors, stdin, warnings ----------------------------------------------------------------------


@pytest.mark.parametrize(("file_name", "line", "message"), MALFORMED_CASES)
def test_malformed_file(file_name: str, line: int, message: str) -> None:
    path = MALFORMED / file_name
    assert_one_error_line(run("show", str(path)), f"{path}:{line}: {message}")


def test_malformed_stdin_names_stdin() -> None:
    data = (MALFORMED / "unterminated-octal.txt").read_bytes()
    assert_one_error_line(run("show", "-", stdin=data), "<stdin>:5: unterminated MULTILINE_OCTAL value of "
                                                         "CKA_VALUE: no END line before the end of the file")


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.txt"
    assert_one_error_line(run("show", str(missing)), f"{missing}: no such file")


def test_dash_reads_standard_input() -> None:
    from_stdin = run("show", "-", "--format", "json", stdin=SAMPLE.read_bytes())
    assert from_stdin.exit_code == 0 and from_stdin.stderr == ""
    assert from_stdin.stdout == run("show", str(SAMPLE), "--format", "json").stdout


def test_certificate_without_trust_object_warns() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    cut = text[: text.index('\n\n# Trust for "Example Websites Root 2"') + 1]
    result = run("show", "-", "--format", "json", stdin=cut.encode("utf-8"))
    assert result.exit_code == 0
    problem = ("no trust object: NSS gives this certificate no trust at all "
               "(the file may be cut off, or the trust object was removed)")
    line = cut.split("\n").index('CKA_LABEL UTF8 "Example Websites Root 2"') - 3
    assert result.stderr == f"certdata-tool: warning: <stdin>:{line}: Example Websites Root 2: {problem}\n"
    last = json.loads(result.stdout)["roots"][-1]
    assert (last["label"], last["line"], last["problems"]) == ("Example Websites Root 2", line, [problem])
    assert last["trust"] == {"server_auth": None, "email_protection": None, "code_signing": None,
                             "step_up_approved": None}


def test_root_selection_warns_only_about_the_roots_shown() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    cut = text[: text.index('\n\n# Trust for "Example Websites Root 2"') + 1]
    other = run("show", "-", "--root", "label=Example Root CA 1", stdin=cut.encode("utf-8"))
    assert (other.exit_code, other.stderr) == (0, "")
    cut_root = run("show", "-", "--root", "label=Example Websites Root 2", stdin=cut.encode("utf-8"))
    assert cut_root.exit_code == 0
    assert "Example Websites Root 2: no trust object" in cut_root.stderr


# -- the real newest revision ---------------------------------------------------------------------


@pytest.mark.corpus
def test_json_of_the_newest_revision(tmp_path: Path) -> None:
    data = corpus_file(NEWEST)
    path = tmp_path / NEWEST
    path.write_bytes(data)
    result = run("show", str(path), "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    document = json.loads(result.stdout)
    independent = _independent_roots(data.decode("utf-8"))
    assert len(document["roots"]) == len(independent) == 172
    for root, (label, sha256, trust) in zip(document["roots"], independent, strict=True):
        assert (root["label"], root["sha256"]) == (label, sha256)
        assert {key: root["trust"][key] for key in trust} == trust
        assert root["problems"] == []
    by_label = {root["label"]: root for root in document["roots"]}
    assert by_label["GLOBALTRUST 2020"]["distrust_after"] == {"server": "2024-06-30T00:00:00Z",
                                                               "email": "2024-06-30T00:00:00Z"}
    assert by_label["Entrust Root Certification Authority - G4"]["distrust_after"] == {"server": None,
                                                                                         "email": None}


# -- the installed program ------------------------------------------------------------------------


def test_installed_program_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "certdata-tool"
    found = str(script) if script.exists() else shutil.which("certdata-tool")
    command = [found] if found else [sys.executable, "-m", "certdata_tool"]
    env = {**os.environ, "NO_COLOR": "1"}
    shown = subprocess.run([*command, "show", str(SAMPLE), "--format", "json"], capture_output=True, env=env,
                           cwd=tmp_path, timeout=60, check=False)
    assert (shown.returncode, shown.stderr) == (0, b"")
    assert shown.stdout == (GOLDEN / "sample.json").read_bytes()
    module = subprocess.run([sys.executable, "-m", "certdata_tool", "show", str(MALFORMED / "empty.txt")],
                            capture_output=True, env=env, cwd=tmp_path, timeout=60, check=False)
    assert module.returncode == 2 and module.stdout == b""
    assert module.stderr == (f"certdata-tool: error: {MALFORMED / 'empty.txt'}:1: empty file: expected a "
                             "certdata.txt with a BEGINDATA line\n").encode()
