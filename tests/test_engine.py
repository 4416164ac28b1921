"""The engine: each kind of change edits exactly NSS's lines (golden diffs), idempotence, order, errors."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT, TESTS_DIR, corpus_file
from conftest import assert_golden as check_golden_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certdata_tool.applying.editor import apply, apply_with_notes, apply_with_warnings
from certdata_tool.errors import ChangeError
from certdata_tool.model.roots import DistrustAfter, TrustLevel, roots
from certdata_tool.moments import encode_utctime
from certdata_tool.spec.load import Spec, load_spec
from certdata_tool.syntax.nssfile import dump, parse

SAMPLE = PROJECT_ROOT / "samples" / "certdata.txt"
GOLDEN = TESTS_DIR / "cases" / "apply" / "engine"
UPDATE = os.environ.get("CERTDATA_UPDATE_GOLDEN") == "1"

WEBSITES_2 = "E91B421D17FC3F8EDCA246928C3AE776A8B3C024A76A564375CB0EEE36B86CE2"
ROOT_CA_1 = "D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"
LEGACY = "57BDE4FCA146E15A4DFC505B3D6AD0ECC08790B8CA541DE2BA13EC4E1674FF91"
GLOBALTRUST_SPEC = """\
version: 1
title: "GLOBALTRUST 2020: set Distrust After for TLS and S/MIME"
bug: 1901080
changes:
  - select:
      label: "GLOBALTRUST 2020"
      sha256: "9A296A5182D1D451A2E37F439B74DAAFA267523329F90F9A0D2007C334E23C9A"
    distrust_after:
      server: 2024-06-30
      email: 2024-06-30
"""


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def diff_text(before: str, after: str) -> str:
    """A unified diff with one line of context: the golden form of an edit, easy to check by eye."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), "before", "after", n=1
        )
    )


def assert_golden(path: Path, actual: str) -> None:
    check_golden_file(path, actual)

def edit_after(text: str, anchor: str, old: str, new: str) -> str:
    """`text` with the first `old` after `anchor` replaced: builds the odd inputs NSS's history had."""
    start = text.index(anchor)
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def block_of(text: str, label: str) -> tuple[int, int]:
    """Start and end offsets of a root's two objects with their comment blocks."""
    start = text.index(f'\n\n#\n# Certificate "{label}"\n') + 1
    end = text.find("\n\n#\n# Certificate", start)
    return start, len(text) if end < 0 else end + 1


def run_specs(text: str, *spec_texts: str) -> tuple[str, tuple[str, ...]]:
    specs = [load_spec(spec_text, source=f"spec{number}.yaml") for number, spec_text in enumerate(spec_texts)]
    store, warnings = apply_with_warnings(parse(text, source="in.txt"), specs)
    return dump(store), warnings


# -- inputs with the odd forms NSS's history had ------------------------------------------------


def without_email_attribute(text: str) -> str:
    return edit_after(
        text,
        '# Certificate "Example Websites Root 2"',
        "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n",
        "",
    )


def without_server_attribute(text: str) -> str:
    return edit_after(
        text,
        '# Certificate "Example Websites Root 2"',
        "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n",
        "",
    )


def legacy_without_policy(text: str) -> str:
    return edit_after(
        text, '# Certificate "Example Legacy Root"', "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n", ""
    )


def root_ca_1_without_policy(text: str) -> str:
    return edit_after(
        text, '# Certificate "Example Root CA 1"', "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n", ""
    )


def distrust_on_trust_object(text: str) -> str:
    """A server date written on the trust object of "Example Root CA 1" (where NSS never reads it)."""
    value = "".join(f"\\{byte:03o}" for byte in b"230101000000Z")
    return edit_after(
        text,
        '# Trust for "Example Root CA 1"',
        "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n",
        "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n"
        "# For Server Distrust After: Sun Jan 01 00:00:00 2023\n"
        f"CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n{value}\nEND\n"
        "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n",
    )


def date_without_comment(text: str) -> str:
    """Like NSS 946f60002 (Trustis): a server date with no `# For Server Distrust After:` line."""
    return edit_after(
        text,
        '# Certificate "Example Distrusted After Root"',
        "# For Server Distrust After: Sun Jun 30 00:00:00 2024\n",
        "",
    )


def without_step_up(text: str) -> str:
    return edit_after(
        text, '# Trust for "Example Root CA 1"', "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n", ""
    )


def distrusted_heading(text: str) -> str:
    """ "Example Email Root" as an all-NOT_TRUSTED `# Distrust` record (FORMAT.md §5)."""
    text = edit_after(
        text,
        '# Trust for "Example Email Root"',
        '# Trust for "Example Email Root"',
        '# Distrust "Example Email Root"',
    )
    for value in (
        "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_MUST_VERIFY_TRUST",
        "CKA_TRUST_EMAIL_PROTECTION CK_TRUST CKT_NSS_TRUSTED_DELEGATOR",
        "CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST",
    ):
        text = edit_after(
            text, '# Distrust "Example Email Root"', value, value.rsplit(" ", 1)[0] + " CKT_NSS_NOT_TRUSTED"
        )
    return text


def websites_2_labelled_like_root_ca_1(text: str) -> str:
    start, end = block_of(text, "Example Websites Root 2")
    block = text[start:end].replace('"Example Websites Root 2"', '"Example Root CA 1"')
    return text[:start] + block + text[end:]


@dataclass(frozen=True)
class Case:
    name: str
    specs: tuple[str, ...]
    make_input: Callable[[str], str] = lambda text: text


def one(select: str, body: str) -> str:
    return f"version: 1\nchanges:\n  - select: {select}\n{body}"


# How a case changes the sample before applying its specs (its case.yaml `input`).
INPUTS: dict[str, Callable[[str], str]] = {
    function.__name__.replace("_", "-"): function
    for function in (legacy_without_policy, without_email_attribute, without_server_attribute,
                     distrust_on_trust_object, date_without_comment, distrusted_heading, without_step_up,
                     root_ca_1_without_policy, websites_2_labelled_like_root_ca_1)
}


def load_case(folder: Path) -> Case:
    """A folder of tests/cases/apply/engine/: spec.yaml (or spec1.yaml, spec2.yaml, ... applied in
    order), expected.diff, and case.yaml naming the `input` change to the sample when there is one."""
    specs = tuple(path.read_text(encoding="utf-8") for path in sorted(folder.glob("spec*.yaml")))
    meta_file = folder / "case.yaml"
    if not meta_file.exists():
        return Case(folder.name, specs)
    return Case(folder.name, specs, INPUTS[yaml.safe_load(meta_file.read_text(encoding="utf-8"))["input"]])


CASES = [load_case(folder) for folder in sorted(GOLDEN.iterdir()) if folder.is_dir()]
CASE = {case.name: case for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_edits_only_nss_lines(case: Case) -> None:
    before = case.make_input(sample_text())
    after, _ = run_specs(before, *case.specs)
    assert_golden(GOLDEN / case.name / "expected.diff", diff_text(before, after))
    # Applying the same specs to their own output changes nothing.
    again, _ = run_specs(after, *case.specs)
    assert again == after
    # Several specs are the same as one spec after the other.
    stepwise = before
    for spec_text in case.specs:
        stepwise, _ = run_specs(stepwise, spec_text)
    assert stepwise == after


def test_distrust_after_reads_back_as_set() -> None:
    text, _ = run_specs(sample_text(), CASE["distrust-set-both"].specs[0])
    root = next(r for r in roots(parse(text)) if r.sha256 == WEBSITES_2)
    assert root.distrust_after == DistrustAfter(
        server=datetime(2024, 6, 30, tzinfo=UTC), email=datetime(2025, 4, 15, 23, 59, 59, tzinfo=UTC)
    )
    assert root.problems == ()
    # The value is the 13 ASCII bytes of a UTCTime, one octal line, as NSS writes it.
    assert "\\062\\065\\060\\064\\061\\065\\062\\063\\065\\071\\065\\071\\132\nEND\n" in text
    assert encode_utctime(datetime(2025, 4, 15, 23, 59, 59, tzinfo=UTC)) == b"250415235959Z"


def test_moved_distrust_is_read_by_the_model() -> None:
    moved = CASE["distrust-moved-from-trust-object"]
    text, _ = run_specs(distrust_on_trust_object(sample_text()), moved.specs[0])
    root = next(r for r in roots(parse(text)) if r.label == "Example Root CA 1")
    assert root.distrust_after == DistrustAfter(
        server=datetime(2023, 1, 1, tzinfo=UTC), email=datetime(2024, 6, 30, tzinfo=UTC)
    )
    assert root.problems == ()


def test_nothing_to_do_returns_the_same_store() -> None:
    store = parse(sample_text())
    spec = load_spec(one('{label: "Example Root CA 1"}', "    trust: {server_auth: trusted_delegator}\n"))
    assert apply(store, spec) is store
    assert apply(store, []) is store


def test_missing_final_newline_stays_missing() -> None:
    before = sample_text().removesuffix("\n")
    after, _ = run_specs(
        before, one('{label: "Example Websites Root 2"}', "    trust: {step_up_approved: true}\n")
    )
    assert after == before.removesuffix("CK_FALSE") + "CK_TRUE"
    removed, _ = run_specs(before, one('{label: "Example Websites Root 2"}', "    remove: true\n"))
    start, _ = block_of(sample_text(), "Example Websites Root 2")
    assert removed == sample_text()[:start]


def test_insertion_at_the_end_of_a_file_without_final_newline() -> None:
    text = legacy_without_policy(sample_text())
    start, end = block_of(text, "Example Legacy Root")
    # Move the legacy root to the end and drop the final newline: the insertion lands on the last line.
    moved = (text[:start] + text[end:] + text[start:end]).removesuffix("\n")
    cut = moved.rindex("\n\n# Trust for")
    moved = moved[:cut] + "\n" + moved[cut + 1 :]
    after, _ = run_specs(moved, CASE["distrust-insert-at-end-without-policy"].specs[0])
    certificate_end = moved.index('\n\n# Trust for "Example Legacy Root"')
    assert after == (
        moved[:certificate_end] + "\nCKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n"
        "# For Email Distrust After: Sun Jun 30 00:00:00 2024\n"
        "CKA_NSS_EMAIL_DISTRUST_AFTER MULTILINE_OCTAL\n"
        "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132\nEND" + moved[certificate_end:]
    )


def test_crlf_files_get_crlf_lines() -> None:
    spec = CASE["distrust-insert-both"].specs[0]
    lf, _ = run_specs(sample_text(), spec)
    crlf, _ = run_specs(sample_text().replace("\n", "\r\n"), spec)
    assert crlf == lf.replace("\n", "\r\n")


def test_globaltrust_reference_case_byte_for_byte() -> None:
    before = corpus_file("certdata-2024-05-30-bb4242fc1.txt").decode("utf-8")
    expected = corpus_file("certdata-2024-06-13-469e60ef4.txt").decode("utf-8")
    spec = load_spec(GLOBALTRUST_SPEC, source="globaltrust.yaml")
    after = dump(apply(parse(before), spec))
    assert after == expected
    assert dump(apply(parse(after), spec)) == after


# -- warnings and errors -----------------------------------------------------------------------


def test_rename_to_a_used_label_warns() -> None:
    _, warnings = run_specs(
        sample_text(), one('{label: "Example Root CA 1"}', '    rename: "Example Email Root"\n')
    )
    assert warnings == (
        "spec0.yaml:4: changes[0].rename: the label 'Example Email Root' is now used by 2 "
        "roots (in.txt lines 84, 184); NSS expects labels to be unique",
    )


def test_rename_with_perl_interpolated_characters_warns() -> None:
    _, warnings = run_specs(
        sample_text(), one('{label: "Example Root CA 1"}', '    rename: "Pay $5 @ Example"\n')
    )
    assert warnings == (
        "spec0.yaml:4: changes[0].rename: the label 'Pay $5 @ Example' contains $ and @, which "
        "NSS's certdata.perl interpolates when it computes the label's size",
    )


def test_removing_an_absent_root_by_fingerprint_is_already_applied() -> None:
    spec = one(f'{{label: "Example Root CA 1", sha256: "{ROOT_CA_1}"}}', "    remove: true\n")
    once, _ = run_specs(sample_text(), spec)
    store, warnings, notes = apply_with_notes(parse(once, source="in.txt"), load_spec(spec, source="s.yaml"))
    assert dump(store) == once
    assert warnings == ()
    assert notes == (
        f"s.yaml:3: changes[0].select: no root has label=Example Root CA 1, "
        f"sha256={ROOT_CA_1} (removed before); nothing to remove",
    )


def test_removing_an_absent_root_by_label_alone_is_an_error_naming_the_nearest_labels() -> None:
    spec = one('{label: "Example Root CA 1"}', "    remove: true\n")
    once, _ = run_specs(sample_text(), spec)
    with pytest.raises(ChangeError) as caught:
        run_specs(once, spec)
    assert str(caught.value) == (
        "spec0.yaml:3: changes[0].select: no root matches label=Example Root CA 1 (did you mean "
        '"Example Email Root", "Example Legacy Root" or "Example Websites Root 2"?)')
    assert caught.value.hint is not None and "sha256" in caught.value.hint
    # A typo: the root stays, and the error names it.
    with pytest.raises(ChangeError, match=r'no root matches label=Example Legacy Rot \(did you mean '
                       r'"Example Legacy Root"'):
        run_specs(sample_text(), one('{label: "Example Legacy Rot"}', "    remove: true\n"))


@pytest.mark.parametrize(
    ("text", "spec_text", "message"),
    [
        (
            None,
            one('{label: "No Such Root"}', "    mozilla_ca_policy: true\n"),
            "spec0.yaml:3: changes[0].select: no root matches label=No Such Root",
        ),
        (
            None,
            one('{sha1: "00000000000000000000000000000000000000AA"}', "    remove: true\n"),
            None,
        ),  # a removal by fingerprint of an absent root is already applied
        (
            websites_2_labelled_like_root_ca_1,
            one('{label: "Example Root CA 1"}', "    mozilla_ca_policy: true\n"),
            "spec0.yaml:3: changes[0].select: label=Example Root CA 1 matches 2 roots, expected 1: Example "
            "Root CA 1 "
            "(D573141C6B82C96D…); Example Root CA 1 (E91B421D17FC3F8E…)",
        ),
        (
            None,
            one('{label: "Example Root CA 1", count: 3}', "    mozilla_ca_policy: true\n"),
            "spec0.yaml:3: changes[0].select: label=Example Root CA 1 matches 1 root, expected 3: Example "
            "Root CA 1 "
            "(D573141C6B82C96D…)",
        ),
        (
            lambda text: text.replace('"Example Root CA 1"', '"Other"', 2),
            one('{label: "Example Root CA 1"}', '    rename: "New"\n'),
            "spec0.yaml:3: changes[0].select: no root matches label=Example Root CA 1 (did you mean "
            '"Example Email Root", "Example Legacy Root" or "Example Websites Root 2"?)',
        ),
    ],
)
def test_change_errors_name_the_spec_line(
    text: Callable[[str], str] | None, spec_text: str, message: str | None
) -> None:
    source = sample_text() if text is None else text(sample_text())
    if message is None:
        run_specs(source, spec_text)
        return
    with pytest.raises(ChangeError) as caught:
        run_specs(source, spec_text)
    assert str(caught.value) == message


def test_trust_change_without_trust_object_makes_one() -> None:
    """A certificate without a trust object gets one, as addbuiltin writes it, right after it: the
    same object the sample file has, but for the values the change sets (issue 13)."""
    text = sample_text()
    start = text.index('\n# Trust for "Example Legacy Root"')
    end = text.index("\n#\n# Certificate", start)
    spec = one('{label: "Example Legacy Root"}', "    trust: {server_auth: trusted_delegator}\n")
    result, _ = run_specs(text[:start] + text[end:], spec)
    # The sample's trust object is trusted_delegator for server_auth, must_verify_trust otherwise.
    assert result == text


def test_errors_in_a_later_spec_leave_the_input_alone() -> None:
    store = parse(sample_text())
    specs = [
        load_spec(CASE["distrust-set-both"].specs[0], source="a.yaml"),
        load_spec(one('{sha1: "00000000000000000000000000000000000000AA"}', "    remove: true\n    \n"),
                  source="b.yaml"),
        load_spec(one('{label: "Nope"}', "    mozilla_ca_policy: true\n"), source="c.yaml"),
    ]
    with pytest.raises(ChangeError) as caught:
        apply(store, specs)
    assert str(caught.value) == "c.yaml:3: changes[0].select: no root matches label=Nope"
    assert dump(store) == sample_text()


def test_unknown_kind_of_change_is_a_programming_error() -> None:
    spec = Spec(version=1, title=None, bug=None, changes=("bogus",))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        apply(parse(sample_text()), spec)


# -- properties -----------------------------------------------------------------------------------

LABELS = (
    "Example Root CA 1",
    "Example Email Root",
    "Example Distrusted After Root",
    "Example Legacy Root",
    "Exemple Autorité Racine Ünïcode",
    "Example Websites Root 2",
)
DATES = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2049, 12, 31, 23, 59, 59)).map(
        lambda moment: moment.replace(microsecond=0)
    ),
)


@st.composite
def change_texts(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from(LABELS))
    body = ""
    if draw(st.booleans()):
        levels = draw(
            st.dictionaries(
                st.sampled_from(("server_auth", "email_protection", "code_signing")),
                st.sampled_from([level.value for level in TrustLevel]),
                min_size=1,
            )
        )
        body += "    trust: {" + ", ".join(f"{key}: {value}" for key, value in levels.items()) + "}\n"
    if draw(st.booleans()):
        dates = draw(st.dictionaries(st.sampled_from(("server", "email")), DATES, min_size=1))
        shown = {
            key: "null" if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")
            for key, value in dates.items()
        }
        body += "    distrust_after: {" + ", ".join(f"{key}: {value}" for key, value in shown.items()) + "}\n"
    if draw(st.booleans()):
        body += f"    mozilla_ca_policy: {draw(st.sampled_from(['true', 'false']))}\n"
    if not body or draw(st.booleans()):
        body += f'    rename: "{label}"\n'  # a rename to the same label must change nothing
    return f'  - select: {{label: "{label}"}}\n{body}'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(change_texts(), min_size=1, max_size=4), st.lists(change_texts(), min_size=1, max_size=3))
def test_idempotent_and_several_specs_are_one(first: list[str], second: list[str]) -> None:
    text = sample_text()
    spec_a = "version: 1\nchanges:\n" + "".join(first)
    spec_b = "version: 1\nchanges:\n" + "".join(second)
    once, _ = run_specs(text, spec_a, spec_b)
    assert run_specs(once, spec_a, spec_b)[0] == once
    step, _ = run_specs(run_specs(text, spec_a)[0], spec_b)
    assert step == once
    assert dump(parse(once)) == once
    # Bytes outside the selected roots never move.
    assert (
        once[: text.index('# Certificate "Example Root CA 1"')]
        == text[: text.index('# Certificate "Example Root CA 1"')]
    )


def test_a_rename_selected_by_the_old_label_applies_twice() -> None:
    spec = one('{label: "Example Root CA 1"}', '    rename: "Example Root CA One"\n'
               "    trust: {server_auth: not_trusted}\n")
    once, _ = run_specs(sample_text(), spec)
    assert '# Certificate "Example Root CA One"\n' in once
    assert run_specs(once, spec) == (once, ())


def test_a_wrong_selector_is_not_mistaken_for_an_applied_rename() -> None:
    # No root is called "Exmaple Root CA 1"; the root called like the new label must stay untouched.
    spec = one('{label: "Exmaple Root CA 1"}', '    rename: "Example Email Root"\n'
               "    trust: {server_auth: not_trusted}\n")
    with pytest.raises(ChangeError) as caught:
        run_specs(sample_text(), spec)
    assert str(caught.value) == ("spec0.yaml:3: changes[0].select: no root matches label=Exmaple Root CA 1 "
                                 '(did you mean "Example Root CA 1"?)')


def test_a_change_before_a_removal_of_the_same_root_applies_twice() -> None:
    spec = one(f'{{sha256: "{LEGACY}"}}', "    mozilla_ca_policy: false\n") + (
        f'  - select: {{sha256: "{LEGACY}"}}\n    remove: true\n'
    )
    once, _ = run_specs(sample_text(), spec)
    twice, warnings = run_specs(once, spec)
    assert twice == once
    assert warnings == (
        f"spec0.yaml:3: changes[0].select: no root matches sha256={LEGACY}: nothing to change (a "
        "later change removes it; already applied?)",
    )
    # Without the removal after it, a change that finds no root is still an error.
    with pytest.raises(ChangeError):
        run_specs(once, one(f'{{sha256: "{LEGACY}"}}', "    mozilla_ca_policy: false\n"))


def test_two_roots_renamed_to_one_label_apply_twice() -> None:
    spec = one('{label: "Example Distrusted After Root"}', '    rename: "Same"\n') + (
        '  - select: {label: "Example Email Root"}\n    rename: "Same"\n'
    )
    once, warnings = run_specs(sample_text(), spec)
    assert len(warnings) == 1 and "is now used by 2 roots" in warnings[0]
    assert run_specs(once, spec)[0] == once
    # A change that would edit one of them is refused: the label no longer says which root it meant.
    trust = one('{label: "Example Email Root"}',
                '    rename: "Same"\n    trust: {server_auth: not_trusted}\n')
    with pytest.raises(ChangeError):
        run_specs(once, trust)


def test_a_change_overridden_by_a_later_rename_applies_twice() -> None:
    spec = one('{label: "Example Legacy Root"}', "    distrust_after: {server: 2024-06-30}\n") + (
        '  - select: {label: "Example Legacy Root"}\n    distrust_after: {server: 2025-04-15T23:59:59Z}\n'
        '    rename: "Example Old Root"\n'
    )
    once, _ = run_specs(sample_text(), spec)
    assert '# Certificate "Example Old Root"' in once and "Tue Apr 15 23:59:59 2025" in once
    assert run_specs(once, spec) == (once, ())
    # Had the root's date been edited since, the old label names no root: an error, not a guess.
    value_2025 = "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n\\062\\065"
    assert once.count(value_2025) == 1
    edited = once.replace(value_2025, "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n\\062\\066")
    with pytest.raises(ChangeError) as caught:
        run_specs(edited, spec)
    assert str(caught.value) == ("spec0.yaml:3: changes[0].select: no root matches label=Example Legacy Root "
                                 '(did you mean "Example Old Root" or "Example Email Root"?)')


def test_roots_renamed_to_one_label_are_told_apart_by_the_spec_as_a_whole() -> None:
    """Found by a label two roots now share: the spec applies twice if one choice changes nothing."""
    spec = (
        one('{label: "Example Distrusted After Root"}', "    distrust_after: {server: 2024-06-30}\n")
        + '  - select: {label: "Example Distrusted After Root"}\n'
        "    distrust_after: {server: 1950-01-01}\n    rename: Same\n"
        '  - select: {label: "Example Email Root"}\n    distrust_after: {server: 1950-01-01}\n'
        "    rename: Same\n"
    )
    once, _ = run_specs(sample_text(), spec)
    assert once.count('# Certificate "Same"') == 2
    assert run_specs(once, spec) == (once, ())
