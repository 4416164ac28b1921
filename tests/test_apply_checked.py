"""apply_checked, the library's apply with the CLI's guard: everything a command shows, as values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import PROJECT_ROOT
from hypothesis import given
from hypothesis import strategies as st
from test_lint_change import with_wrong_sha1

import certdata_tool
from certdata_tool.applying import checked
from certdata_tool.applying import editor as engine
from certdata_tool.spec.load import Spec, load_spec
from certdata_tool.spec.write import add_spec_yaml
from certdata_tool.syntax.nssfile import CertdataFile, dump, parse
from certdata_tool.x509.checks import certificate_from_bytes

SAMPLES = PROJECT_ROOT / "samples"
NSSCKBI = "#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR 2\n#define NSS_BUILTINS_LIBRARY_VERSION_MINOR 68\n" \
          '#define NSS_BUILTINS_LIBRARY_VERSION "2.68"\n'
POLICY_SPEC = 'version: 1\ntitle: One\nbug: 7\nchanges:\n  - select: {label: "Example Email Root"}\n' \
              "    mozilla_ca_policy: true\n"


def store() -> CertdataFile:
    return parse((SAMPLES / "certdata.txt").read_bytes(), source="certdata.txt")


def distrust_spec() -> Spec:
    return load_spec((SAMPLES / "distrust-after.yaml").read_text(encoding="utf-8"), source="d.yaml")


def test_the_library_face_exports_it() -> None:
    assert certdata_tool.ApplyOutcome is checked.ApplyOutcome
    assert {"apply_checked", "ApplyOutcome"} <= set(certdata_tool.__all__)
    # The face takes a date as text, as lint and export do; the outcome is the library's own.
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    outcome = certdata_tool.apply_checked(store(), distrust_spec(), at="2025-01-01")
    assert outcome == checked.apply_checked(store(), [distrust_spec()], at=moment)
    assert outcome == certdata_tool.apply_checked(store(), [distrust_spec()], at=moment)
    with pytest.raises(certdata_tool.ChangeError, match="at 'soon'"):
        certdata_tool.apply_checked(store(), distrust_spec(), at="soon")


def test_a_change_gives_text_diff_and_a_bump() -> None:
    before = store()
    outcome = checked.apply_checked(before, [distrust_spec()], nssckbi=NSSCKBI, nssckbi_source="h")
    assert outcome.changed and outcome.refusal is None
    assert outcome.text == dump(outcome.store) != dump(before)
    assert outcome.text == dump(certdata_tool.apply(before, distrust_spec()))
    assert outcome.diff.has_differences
    assert outcome.nssckbi is not None and outcome.nssckbi.changed
    assert (outcome.nssckbi.old_version, outcome.nssckbi.new_version) == ("2.68", "2.70")
    assert '"2.70"' in outcome.nssckbi.text


def test_applied_twice_changes_nothing_and_bumps_nothing() -> None:
    once = checked.apply_checked(store(), distrust_spec())
    twice = checked.apply_checked(once.store, distrust_spec(), nssckbi=NSSCKBI)
    assert not twice.changed and not twice.diff.has_differences
    assert twice.nssckbi is not None and twice.nssckbi.text == NSSCKBI and not twice.nssckbi.changed


def test_title_and_bug_join_the_specs() -> None:
    specs = [load_spec(POLICY_SPEC, source="a.yaml"),
             load_spec(POLICY_SPEC.replace("One", "Two").replace("7", "8"), source="b.yaml")]
    outcome = checked.apply_checked(store(), specs)
    assert (outcome.title, outcome.bug) == ("One; Two", "7, 8")


def test_a_new_lint_error_is_a_refusal_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.apply_with_notes

    def careless(*args: object, **kwargs: object) -> tuple[CertdataFile, tuple[str, ...], tuple[str, ...]]:
        new, warnings, notes = real(*args, **kwargs)  # type: ignore[arg-type]
        return with_wrong_sha1(new, "Example Email Root"), warnings, notes

    monkeypatch.setattr(engine, "apply_with_notes", careless)
    outcome = checked.apply_checked(store(), load_spec(POLICY_SPEC), nssckbi=NSSCKBI)
    assert outcome.refusal is not None
    assert "would add lint error CD106" in outcome.refusal.message
    assert outcome.refusal.source == "certdata.txt" and outcome.refusal.line
    assert outcome.nssckbi is None  # nothing is bumped for a change that must not be written
    with pytest.raises(certdata_tool.CertdataError) as caught:
        outcome.raise_if_refused()
    assert caught.value is outcome.refusal


def test_new_warnings_are_findings_with_lines() -> None:
    spec = load_spec('version: 1\nchanges:\n  - select: {label: "Example Websites Root 2"}\n'
                     "    distrust_after: {email: 2025-04-15}\n")
    outcome = checked.apply_checked(store(), spec, at=datetime(2025, 1, 1, tzinfo=UTC))
    assert outcome.refusal is None
    assert [finding.code for finding in outcome.new_findings] == ["CD204"]
    assert outcome.new_findings[0].line > 0


# -- the one YAML writer -----------------------------------------------------------------------------

NEW_ROOT = certificate_from_bytes((SAMPLES / "roots" / "new-root.pem").read_bytes(), "new-root.pem")


@given(st.text(min_size=1, max_size=40))
def test_an_add_spec_reads_back_its_title(title: str) -> None:
    # The spec writer and diff --format spec quote with the same writer: any title, U+0085 and
    # U+2028 included, is read back as written.
    text = add_spec_yaml(NEW_ROOT, certificate_ref=None, label="New Root", trust={}, title=title)
    assert load_spec(text).title == title


def test_a_title_with_a_next_line_character_reads_back() -> None:
    text = add_spec_yaml(NEW_ROOT, certificate_ref=None, label="New Root", trust={}, title="a\x85b")
    assert 'title: "a\\u0085b"' in text
    spec = load_spec(text)
    assert spec.title == "a\x85b"
    assert spec._replace(title=None).title is None
