"""The library's face: every public name of certdata_tool, called as a user would, with typed results.

The CLI is a thin layer over these functions; here they are used without it, on the sample file.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ccadb_report import rows_from_certdata, write_report
from conftest import DATA_DIR, PROJECT_ROOT
from typer.testing import CliRunner

import certdata_tool
from certdata_tool import render
from certdata_tool.cli import app

SAMPLE = (PROJECT_ROOT / "samples" / "certdata.txt").read_text("utf-8")
DISTRUST_SPEC = (PROJECT_ROOT / "samples" / "distrust-after.yaml").read_text("utf-8")
CHANGED_LABEL = "Example Root CA 1"  # the root samples/distrust-after.yaml changes
CHANGED_SHA256 = "D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"


def _store() -> certdata_tool.CertdataFile:
    return certdata_tool.parse(SAMPLE, source="certdata.txt")


def _outcome() -> certdata_tool.ApplyOutcome:
    spec = certdata_tool.load_spec(DISTRUST_SPEC, source="distrust-after.yaml")
    return certdata_tool.apply_checked(_store(), [spec])


# ---------------------------------------------------------------- the names


def test_every_public_name_is_there_and_documented() -> None:
    for name in certdata_tool.__all__:
        value = getattr(certdata_tool, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(value), f"certdata_tool.{name} has no docstring"


def test_the_api_the_contract_names_is_public() -> None:
    contract = {"parse", "dump", "roots", "load_spec", "apply", "apply_checked", "compare", "lint", "export",
                "render", "CertdataError", "ParseError", "SpecError"}
    assert contract <= set(certdata_tool.__all__)


def test_every_view_of_render_is_public_documented_and_returns_str() -> None:
    for name in render.__all__:
        function = getattr(render, name)
        assert inspect.isfunction(function), name
        assert inspect.getdoc(function), f"render.{name} has no docstring"
        assert inspect.signature(function).return_annotation in ("str", str), name


def test_importing_the_package_loads_neither_yaml_nor_cryptography() -> None:
    # The lazy face: `import certdata_tool` and touching render must stay cheap for the CLI.
    code = ("import sys, certdata_tool, certdata_tool.render\n"
            "heavy = ('yaml', 'cryptography', 'certdata_tool.render.show')\n"
            "print(sorted(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_render_functions_survive_their_modules_being_imported() -> None:
    # Importing a submodule sets the package attribute of that name: no view may share a module's name.
    import certdata_tool.render.apply_report
    import certdata_tool.render.json_diff
    import certdata_tool.render.markdown_diff
    import certdata_tool.render.text_diff  # noqa: F401

    modules = {path.stem for path in (PROJECT_ROOT / "certdata_tool" / "render").glob("*.py")}
    assert not modules & set(render.__all__)
    assert inspect.isfunction(render.diff_markdown)


# ---------------------------------------------------------------- the use cases


def test_apply_checked_returns_the_new_file_its_diff_and_no_refusal() -> None:
    outcome = _outcome()
    assert isinstance(outcome, certdata_tool.ApplyOutcome)
    assert outcome.changed and outcome.refusal is None
    assert outcome.text == certdata_tool.dump(outcome.store) != SAMPLE
    [change] = outcome.diff.modified
    assert (change.label, change.sha256) == (CHANGED_LABEL, CHANGED_SHA256)
    changed = {root.label: root for root in certdata_tool.roots(outcome.store)}[CHANGED_LABEL]
    assert changed.distrust_after.server == datetime(2025, 4, 15, 23, 59, 59, tzinfo=UTC)


def test_apply_checked_twice_changes_nothing() -> None:
    spec = certdata_tool.load_spec(DISTRUST_SPEC, source="distrust-after.yaml")
    again = certdata_tool.apply_checked(_outcome().store, spec)
    assert not again.changed
    assert again.text == _outcome().text


def test_compare_names_the_changed_root_and_fields() -> None:
    diff = certdata_tool.compare(_store(), _outcome().store)
    assert isinstance(diff, certdata_tool.Diff)
    assert (len(diff.added), len(diff.removed), len(diff.modified)) == (0, 0, 1)
    fields = [field_change.field for field_change in diff.modified[0].changes]
    assert fields == ["distrust_after.server", "distrust_after.email"]
    assert not certdata_tool.compare(_store(), _store()).has_differences


def test_lint_finds_a_real_problem_and_accepts_a_date_as_text() -> None:
    store = certdata_tool.parse((DATA_DIR / "lint" / "CD101.txt").read_text("utf-8"), source="CD101.txt")
    findings = certdata_tool.lint(store, at="2025-01-01")
    assert [(finding.code, finding.label) for finding in findings] == [("CD101", CHANGED_LABEL)]
    assert findings == certdata_tool.lint(store, at=datetime(2025, 1, 1, tzinfo=UTC))
    assert findings[0].level.value == "error"


def test_lint_refuses_a_date_it_cannot_read_with_a_certdata_error() -> None:
    with pytest.raises(certdata_tool.CertdataError,
                       match="at 'soon': expected 2024-06-30 or 2024-06-30T23:59:59Z"):
        certdata_tool.lint(_store(), at="soon")
    with pytest.raises(certdata_tool.CertdataError, match="naive"):
        certdata_tool.lint(_store(), at=datetime(2025, 1, 1))  # naive: the point of the test


def test_export_gives_one_pem_per_root_trusted_for_websites() -> None:
    store = _store()
    pem = certdata_tool.export(store, format="pem")
    assert isinstance(pem, bytes)
    websites = [root for root in certdata_tool.roots(store)
                if root.trust.server_auth is certdata_tool.TrustLevel.TRUSTED_DELEGATOR]
    assert pem.count(b"-----BEGIN CERTIFICATE-----") == len(websites) > 0
    for root in websites:
        assert root.sha256.encode() in pem


def test_export_of_a_folder_gives_a_file_per_root() -> None:
    store = _store()
    files = certdata_tool.export(store, format="directory")
    assert isinstance(files, dict)
    pems = {name: data for name, data in files.items() if name.endswith(".pem")}
    websites = [root for root in certdata_tool.roots(store)
                if root.trust.server_auth is certdata_tool.TrustLevel.TRUSTED_DELEGATOR]
    assert len(pems) == len(websites)
    assert pems[f"{CHANGED_LABEL.replace(' ', '_')}.pem"].startswith(f"# {CHANGED_LABEL}\n".encode())
    assert all(data.count(b"-----BEGIN CERTIFICATE-----") == 1 for data in pems.values())


# ---------------------------------------------------------------- short reprs


def test_repr_of_a_root_is_its_label_and_sha256() -> None:
    root = certdata_tool.roots(_store())[0]
    assert repr(root) == f"Root(label='{CHANGED_LABEL}', sha256='{CHANGED_SHA256}')"


def test_repr_of_a_diff_counts_and_carries_no_der() -> None:
    diff = _outcome().diff
    assert repr(diff) == ("Diff(old_roots=6, new_roots=6, added=0, removed=0, modified=1, "
                          "formatting_changed=False)")
    assert len(repr(diff.modified[0])) < 1000  # a RootChange holds two roots: their short reprs
    assert "\\x" not in repr(diff.modified[0])


def test_repr_of_a_file_and_of_an_outcome_is_short() -> None:
    assert repr(_store()) == "CertdataFile(source='certdata.txt', objects=13)"
    outcome = _outcome()
    assert repr(outcome) == "ApplyOutcome(source='certdata.txt', changed=True, specs=1, new_findings=0)"
    store = _store()
    root = certdata_tool.roots(store)[0]
    expected = f"NssObject(CKO_CERTIFICATE, label='{CHANGED_LABEL}', line={root.line})"
    assert repr(root.certificate(store)) == expected


def test_repr_of_a_distrust_entry_is_short() -> None:
    spec = ('version: 1\nchanges:\n  - select: {label: "Example Legacy Root"}\n'
            "    trust: {server_auth: not_trusted}\n")
    store = certdata_tool.apply(_store(), certdata_tool.load_spec(spec))
    entries = certdata_tool.read_roots(store).distrust_entries
    for entry in entries:
        assert len(repr(entry)) < 200


# ---------------------------------------------------------------- every view


def test_show_views() -> None:
    root_set = certdata_tool.read_roots(_store())
    table = render.show_table(root_set)
    assert CHANGED_LABEL in table and CHANGED_SHA256[:16] in table
    assert f"| {CHANGED_LABEL} |" in render.show_markdown(root_set)
    document = json.loads(render.show_json(root_set))
    assert document["schema"] == "certdata-tool/show/1"
    assert document["roots"][0]["sha256"] == CHANGED_SHA256


def test_diff_views() -> None:
    old, new = _store(), _outcome().store
    diff = certdata_tool.compare(old, new)
    text = render.diff_text(diff, title="T")
    assert CHANGED_LABEL in text and "2025-04-15" in text and "\x1b[" not in text
    assert "\x1b[" in render.diff_text(diff, colour=True)
    assert CHANGED_LABEL in render.diff_markdown(diff)
    document = json.loads(render.diff_json(diff, bug="1234567"))
    assert document["schema"] == "certdata-tool/diff/1"
    assert [entry["sha256"] for entry in document["modified"]] == [CHANGED_SHA256]
    unified = render.diff_unified(diff, old, new)
    assert unified.startswith("--- ") and "+CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL" in unified
    spec = render.diff_spec(diff, old, new)
    again = certdata_tool.apply(old, certdata_tool.load_spec(spec))
    assert certdata_tool.dump(again) == certdata_tool.dump(new)


def test_lint_views() -> None:
    store = certdata_tool.parse((DATA_DIR / "lint" / "CD101.txt").read_text("utf-8"), source="CD101.txt")
    findings = certdata_tool.lint(store, at="2025-01-01")
    assert re.match(r"CD101\.txt:\d+: error CD101 ", render.lint_text(findings, "CD101.txt"))
    document = json.loads(render.lint_json(findings))
    assert document["schema"] == "certdata-tool/lint/1"
    assert [finding["code"] for finding in document["findings"]] == ["CD101"]


def test_apply_report_views() -> None:
    outcome = _outcome()
    title = "Example Root CA 1: set Distrust After for TLS and S/MIME"
    assert title in render.apply_report_text(outcome)
    assert CHANGED_LABEL in render.apply_report_markdown(outcome)
    document = json.loads(render.apply_report_json(outcome))
    assert [entry["label"] for entry in document["modified"]] == [CHANGED_LABEL]


def test_changelog_and_history_views() -> None:
    from certdata_tool.changelog.revisions import Commit, History, HistoryEntry
    from certdata_tool.exporting.policy import Purpose

    removal = 'version: 1\nchanges:\n  - select: {label: "Example Websites Root 2"}\n    remove: true\n'
    new = certdata_tool.apply(_store(), certdata_tool.load_spec(removal))
    notes = certdata_tool.release_notes(_store(), new)
    assert "Example Websites Root 2" in render.changelog_text(notes)
    assert "Example Websites Root 2" in render.changelog_markdown(notes)
    document = json.loads(render.changelog_json(notes))
    assert [entry["label"] for entry in document["removed"]] == ["Example Websites Root 2"]
    assert "Example Websites Root 2" in render.changelog_debian(notes, "3.99")
    commit = Commit("ab" * 20, datetime(2025, 1, 2, tzinfo=UTC), "Bug 1 - Remove a root")
    history = History("lib/ckfw/builtins/certdata.txt", (Purpose.SERVER,),
                      (HistoryEntry(commit, "3.99", notes),))
    for view in (render.history_text, render.history_markdown):
        shown = view(history)
        assert "Bug 1 - Remove a root" in shown and "Example Websites Root 2" in shown
    assert json.loads(render.history_json(history))["entries"][0]["commit"] == "ab" * 20


def test_ccadb_views() -> None:
    rows = rows_from_certdata(SAMPLE.encode("utf-8"))
    missing = rows[0]["SHA-256 Fingerprint"]
    report = write_report(rows[1:])  # the first root is in certdata but not in the report
    reconciliation = certdata_tool.reconcile_ccadb(_store(), report, "report.csv")
    assert missing in render.ccadb_text(reconciliation)
    assert missing in render.ccadb_markdown(reconciliation)
    document = json.loads(render.ccadb_json(reconciliation))
    assert [(f["kind"], f["sha256"]) for f in document["findings"]] == [("extra", missing)]
    fixed = certdata_tool.apply(_store(), certdata_tool.load_spec(render.ccadb_spec(reconciliation)))
    assert certdata_tool.reconcile_ccadb(fixed, report, "report.csv").agree
    assert missing not in {root.sha256 for root in certdata_tool.roots(fixed)}
    text = report.decode("utf-8")  # the report's text will do as well as its bytes
    assert certdata_tool.reconcile_ccadb(_store(), text, "report.csv") == reconciliation


# ---------------------------------------------------------------- --version


def test_version_prints_the_package_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"certdata-tool {certdata_tool.__version__}\n")
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert certdata_tool.__version__ == project["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", certdata_tool.__version__)


def test_version_in_a_real_process() -> None:
    result = subprocess.run([sys.executable, "-m", "certdata_tool", "--version"], capture_output=True,
                            text=True, check=False, cwd=Path(__file__).parent)
    expected = f"certdata-tool {certdata_tool.__version__}\n"
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")


def test_the_readme_documents_every_public_name() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    for name in (*certdata_tool.__all__, *(f"render.{view}" for view in render.__all__)):
        if name.startswith("_") or name[0].isupper():
            continue
        assert f"{name}(" in readme or f"`{name}`" in readme, name


def test_the_readme_examples_of_the_api_parse() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks
    for block in blocks:
        ast.parse(block)


# -- what a library caller may get wrong: a CertdataError naming the choices, never a traceback ---


def test_release_notes_take_purposes_as_text_or_members() -> None:
    old, new = _store(), _outcome().store
    by_member = certdata_tool.release_notes(old, new, [certdata_tool.Purpose.SERVER])
    assert by_member.distrust_after  # the sample spec sets a server date
    assert certdata_tool.release_notes(old, new, ["server"]) == by_member
    assert certdata_tool.release_notes(old, new, "server") == by_member
    with pytest.raises(certdata_tool.CertdataError, match="unknown purpose 'web': expected one of server"):
        certdata_tool.release_notes(old, new, ["web"])


@pytest.mark.parametrize(("options", "message"), [
    ({"format": "PEM"}, "unknown format 'PEM': expected one of pem, openssl"),
    ({"profile": "fedora"}, "unknown profile 'fedora': expected one of certifi, curl, debian"),
    ({"purposes": ["web"]}, "unknown purpose 'web'"),
    ({"distrust_after": "later"}, "unknown distrust-after policy 'later': expected one of keep"),
    ({"profile": "curl", "at": 20250101}, "at: expected a date as text .* found int"),
])
def test_export_names_a_bad_option(options: dict[str, object], message: str) -> None:
    with pytest.raises(certdata_tool.ExportError, match=message):
        certdata_tool.export(_store(), **options)  # type: ignore[arg-type]


def test_export_takes_one_purpose_as_text_and_a_date_as_a_date() -> None:
    from datetime import date

    store = _store()
    assert certdata_tool.export(store, purposes="email") == certdata_tool.export(store, purposes=["email"])
    assert (certdata_tool.export(store, profile="curl", at=date(2025, 6, 10))
            == certdata_tool.export(store, profile="curl", at="2025-06-10"))


def test_export_of_a_file_with_bytes_that_are_not_utf8() -> None:
    data = SAMPLE.encode("utf-8").replace(b'# Certificate "Example Root CA 1"',
                                          b'# Certificate "Example Root CA 1" caf\xe9', 1)
    store = certdata_tool.parse(data)
    pem = certdata_tool.export(store)
    assert isinstance(pem, bytes) and pem.count(b"BEGIN CERTIFICATE") == pem.count(b"END CERTIFICATE") > 0


def test_a_selector_made_in_code_reads_fingerprints_as_a_spec_does() -> None:
    root = certdata_tool.roots(_store())[0]
    with_colons = ":".join(root.sha256[i:i + 2].lower() for i in range(0, 16, 2))
    assert certdata_tool.Selector(sha256=with_colons).matches(root)
    with pytest.raises(certdata_tool.ChangeError, match="at least 8"):
        certdata_tool.Selector(sha256=root.sha256[:4])


def test_a_spec_is_read_from_bytes_too_and_text_is_not_a_spec() -> None:
    assert certdata_tool.load_spec(DISTRUST_SPEC.encode("utf-8")) == certdata_tool.load_spec(DISTRUST_SPEC)
    with pytest.raises(certdata_tool.SpecError, match="not valid UTF-8"):
        certdata_tool.load_spec(b"version: 1\n\xff\n")
    for wrong in (DISTRUST_SPEC, [DISTRUST_SPEC], None):
        with pytest.raises(certdata_tool.ChangeError, match="expected a Spec or a list of them"):
            certdata_tool.apply(_store(), wrong)  # type: ignore[arg-type]
        with pytest.raises(certdata_tool.ChangeError, match="expected a Spec or a list of them"):
            certdata_tool.apply_checked(_store(), wrong)  # type: ignore[arg-type]


def test_export_warns_of_an_exclusion_that_matches_nothing() -> None:
    store = _store()
    with pytest.warns(UserWarning, match="label=No Such Root"):
        pem = certdata_tool.export(store, exclude=["label=No Such Root"])
    assert pem == certdata_tool.export(store)  # a warning, never an error: nothing is left out
