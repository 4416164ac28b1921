"""The semantic diff and its views: self-made cases, golden files, and a replay of the real NSS history."""

from __future__ import annotations

import codecs
import hashlib
import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from certdata_factory import (
    HEADER,
    MUST_VERIFY,
    NOT_TRUSTED,
    TRUSTED,
    FakeDistrustEntry,
    FakeRoot,
    certdata_text,
    certificate,
    octal,
)
from conftest import TESTS_DIR, corpus_file, corpus_index, corpus_revisions
from conftest import assert_golden as check_golden_file
from hypothesis import given, settings
from hypothesis import strategies as st

from certdata_tool.diff import FIELDS, Diff, FieldChange, compare
from certdata_tool.model.roots import TrustLevel
from certdata_tool.render.json_diff import render_json
from certdata_tool.render.markdown_diff import render_markdown
from certdata_tool.render.text_diff import FIELD_WORDS, render_text
from certdata_tool.render.unified import render_unified
from certdata_tool.syntax.nssfile import CertdataFile, parse

CASES = TESTS_DIR / "cases" / "diff"
GLOBALTRUST_OLD = "certdata-2024-05-30-bb4242fc1.txt"
GLOBALTRUST_NEW = "certdata-2024-06-13-469e60ef4.txt"
GLOBALTRUST_SHA256 = "9A296A5182D1D451A2E37F439B74DAAFA267523329F90F9A0D2007C334E23C9A"
JUNE_30 = datetime(2024, 6, 30, tzinfo=UTC)


def store(text: str, source: str) -> CertdataFile:
    return parse(text, source=source)


def diff_texts(old: str, new: str) -> Diff:
    return compare(store(old, "old.txt"), store(new, "new.txt"))


def root(name: str, **values: object) -> FakeRoot:
    return FakeRoot(name, certificate(name), **values)  # type: ignore[arg-type]


def sha256(name: str) -> str:
    return hashlib.sha256(certificate(name)).hexdigest().upper()


# -- golden files -----------------------------------------------------------------------------------

def check_golden(path: Path, actual: str) -> None:
    check_golden_file(path, actual)

def trust_object_date(purpose: str, moment: datetime) -> tuple[str, ...]:
    """Lines of a distrust-after attribute for the end of a trust object (where NSS never reads it)."""
    body = octal(moment.strftime("%y%m%d%H%M%SZ").encode()).splitlines()
    return (f"CKA_NSS_{purpose}_DISTRUST_AFTER MULTILINE_OCTAL", *body, "END")


# -- compare(): one field at a time ---------------------------------------------------------------

# (field, FakeRoot values before, after, expected old value, expected new value)
FIELD_CASES = [
    ("label", {}, {"label": "Renamed Root"}, "Field Root", "Renamed Root"),
    ("trust.server_auth", {}, {"server_auth": MUST_VERIFY},
     TrustLevel.TRUSTED_DELEGATOR, TrustLevel.MUST_VERIFY_TRUST),
    ("trust.email_protection", {}, {"email_protection": TRUSTED},
     TrustLevel.MUST_VERIFY_TRUST, TrustLevel.TRUSTED_DELEGATOR),
    ("trust.code_signing", {}, {"code_signing": NOT_TRUSTED},
     TrustLevel.MUST_VERIFY_TRUST, TrustLevel.NOT_TRUSTED),
    ("trust.step_up_approved", {}, {"step_up_approved": True}, False, True),
    ("distrust_after.server", {}, {"server_distrust_after": JUNE_30}, None, JUNE_30),
    ("distrust_after.email", {"email_distrust_after": JUNE_30}, {"email_distrust_after": None},
     JUNE_30, None),
    ("mozilla_ca_policy", {}, {"mozilla_ca_policy": False}, True, False),
    ("trust_object.distrust_after.server", {}, {"trust_extra": trust_object_date("SERVER", JUNE_30)},
     None, JUNE_30),
    ("trust_object.distrust_after.email", {"trust_extra": trust_object_date("EMAIL", JUNE_30)},
     {"trust_extra": ()}, JUNE_30, None),
]


def test_field_cases_cover_every_field() -> None:
    assert [case[0] for case in FIELD_CASES] == list(FIELDS)
    assert list(FIELD_WORDS) == list(FIELDS)


@pytest.mark.parametrize(("field", "before", "after", "old_value", "new_value"), FIELD_CASES,
                         ids=[case[0] for case in FIELD_CASES])
def test_each_field_change_is_reported_alone(field: str, before: dict[str, object],
                                             after: dict[str, object], old_value: object,
                                             new_value: object) -> None:
    neighbour = root("Neighbour Root")
    old_root = replace(root("Field Root"), **before)  # type: ignore[arg-type]
    new_root = replace(old_root, **after)  # type: ignore[arg-type]
    diff = diff_texts(certdata_text([neighbour, old_root]), certdata_text([neighbour, new_root]))
    assert diff.added == () and diff.removed == ()
    assert len(diff.modified) == 1
    change = diff.modified[0]
    assert change.sha256 == sha256("Field Root")
    assert change.changes == (FieldChange(field, old_value, new_value),)
    assert change.attribute_changes == ()
    assert not diff.formatting_changed  # a rename's comment headers belong to the root's change
    assert diff.has_differences and not diff.identical


def test_identical_texts_have_no_differences() -> None:
    text = certdata_text([root("A"), root("B")])
    diff = diff_texts(text, text)
    assert diff == Diff(diff.old_roots, diff.new_roots, (), (), (), (), (), False)
    assert diff.identical and not diff.has_differences
    assert len(diff.old_roots) == len(diff.new_roots) == 2


def test_several_changes_of_one_root_come_in_field_order() -> None:
    old = root("Multi Root")
    new = replace(old, label="Multi Root 2", server_auth=MUST_VERIFY, email_distrust_after=JUNE_30)
    diff = diff_texts(certdata_text([old]), certdata_text([new]))
    assert [c.field for c in diff.modified[0].changes] == [
        "label", "trust.server_auth", "distrust_after.email"]
    assert diff.modified[0].old.label == "Multi Root" and diff.modified[0].new.label == "Multi Root 2"


def test_added_removed_and_order() -> None:
    old = certdata_text([root("Removed 1"), root("Kept"), root("Removed 2"), root("Changed 1"),
                         root("Changed 2")])
    new = certdata_text([root("Added 2"), root("Changed 2", server_auth=MUST_VERIFY), root("Kept"),
                         root("Changed 1", server_auth=MUST_VERIFY), root("Added 1")])
    diff = diff_texts(old, new)
    assert [r.label for r in diff.added] == ["Added 2", "Added 1"]  # NEW's order
    assert [r.label for r in diff.removed] == ["Removed 1", "Removed 2"]  # OLD's order
    assert [c.label for c in diff.modified] == ["Changed 2", "Changed 1"]  # NEW's order
    assert diff.formatting_changed  # "Kept" and "Changed 1" moved relative to each other


def test_label_reused_for_another_certificate_is_a_removal_and_an_addition() -> None:
    old = FakeRoot("GTS Root R1", certificate("GTS Root R1", serial=1))
    new = FakeRoot("GTS Root R1", certificate("GTS Root R1", serial=2))
    diff = diff_texts(certdata_text([old]), certdata_text([new]))
    assert [r.sha256 for r in diff.removed] == [hashlib.sha256(old.der).hexdigest().upper()]
    assert [r.sha256 for r in diff.added] == [hashlib.sha256(new.der).hexdigest().upper()]
    assert diff.modified == ()


def test_same_certificate_twice_pairs_occurrences_in_order() -> None:
    first = root("Twice")
    second = replace(first, server_auth=MUST_VERIFY)
    diff = diff_texts(certdata_text([first, second]), certdata_text([first]))
    assert [(r.trust.server_auth, r.line) for r in diff.removed] == [
        (TrustLevel.MUST_VERIFY_TRUST, diff.old_roots[1].line)]
    assert diff.modified == ()
    diff = diff_texts(certdata_text([first, first]), certdata_text([first, second]))
    assert len(diff.modified) == 1 and diff.modified[0].new.line == diff.new_roots[1].line


def test_attribute_change_without_field_change() -> None:
    # NSS 47e35ec46: both distrust-after attributes added as CK_FALSE: no field changes.
    old = root("Old Style", distrust_after_attributes=False)
    diff = diff_texts(certdata_text([old]), certdata_text([replace(old, distrust_after_attributes=True)]))
    assert len(diff.modified) == 1
    assert diff.modified[0].changes == ()
    assert diff.modified[0].attribute_changes == (
        "certificate object: CKA_NSS_SERVER_DISTRUST_AFTER added (CK_BBOOL CK_FALSE)",
        "certificate object: CKA_NSS_EMAIL_DISTRUST_AFTER added (CK_BBOOL CK_FALSE)",
    )


def test_distrust_after_on_the_trust_object_is_its_own_field_and_a_problem() -> None:
    # NSS ignores it there: not a distrust-after change, but decoded and said, so nobody misses it.
    old = root("Wrong Place")
    new = replace(old, trust_extra=("CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL",
                                    r"\062\064\060\066\063\060\060\060\060\060\060\060\132", "END"))
    diff = diff_texts(certdata_text([old]), certdata_text([new]))
    change = diff.modified[0]
    assert change.changes == (FieldChange("trust_object.distrust_after.server", None, JUNE_30),)
    assert change.attribute_changes == ()
    assert change.new.distrust_after.server is None
    line = certdata_text([new]).splitlines().index("CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL") + 1
    assert change.new.problems == (
        f"CKA_NSS_SERVER_DISTRUST_AFTER on the trust object (line {line}): 2024-06-30 00:00:00 UTC, "
        "ignored by NSS (it reads distrust-after from the certificate object)",)


def test_trust_label_that_does_not_follow_a_rename_is_reported() -> None:
    old = root("Before")
    diff = diff_texts(certdata_text([old]),
                      certdata_text([replace(old, label="After", trust_label="Something Else")]))
    assert diff.modified[0].changes == (FieldChange("label", "Before", "After"),)
    assert diff.modified[0].attribute_changes == (
        'trust object: CKA_LABEL changed (UTF8 "Before" → UTF8 "Something Else")',)


def test_changed_value_of_another_attribute() -> None:
    text = certdata_text([root("Hash Root")])
    md5_line = text.splitlines()[text.splitlines().index("CKA_CERT_MD5_HASH MULTILINE_OCTAL") + 1]
    changed = text.replace(md5_line, md5_line[:-4] + r"\000")
    diff = diff_texts(text, changed)
    assert diff.modified[0].attribute_changes == (
        "trust object: CKA_CERT_MD5_HASH changed (MULTILINE_OCTAL, 16 bytes → MULTILINE_OCTAL, 16 bytes)",)


def test_attribute_order_is_an_attribute_change() -> None:
    text = certdata_text([root("Order Root")])
    swapped = text.replace("CKA_TRUST_EMAIL_PROTECTION CK_TRUST CKT_NSS_MUST_VERIFY_TRUST\n"
                           "CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST\n",
                           "CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST\n"
                           "CKA_TRUST_EMAIL_PROTECTION CK_TRUST CKT_NSS_MUST_VERIFY_TRUST\n")
    assert swapped != text
    diff = diff_texts(text, swapped)
    assert [(c.changes, c.attribute_changes) for c in diff.modified] == [
        ((), ("trust object: attribute order changed",))]


def test_formatting_only_changes() -> None:
    roots = [root("A"), root("B")]
    text = certdata_text(roots)
    variants = {
        "comment": certdata_text([replace(roots[0], comments=("# a note",)), roots[1]]),
        "header": text.replace("# certdata.txt made", "# certdata.txt, made"),
        "blank line": text.replace('\n# Trust for "B"', '\n\n# Trust for "B"'),
        "trailer": text + "\n",
        "order": certdata_text([roots[1], roots[0]]),
        "spacing": text.replace("CKA_TOKEN CK_BBOOL CK_TRUE", "CKA_TOKEN  CK_BBOOL CK_TRUE", 2),
        "octal line breaks": _rewrap_first_value(text),
        "comment after a value": text.replace("CKC_X_509\n", "CKC_X_509 # X.509\n", 1),
    }
    for name, changed in variants.items():
        assert changed != text, name
        diff = diff_texts(text, changed)
        assert (diff.added, diff.removed, diff.modified) == ((), (), ()), name
        assert diff.formatting_changed and diff.has_differences and not diff.identical, name


def _rewrap_first_value(text: str) -> str:
    start = text.index("CKA_VALUE MULTILINE_OCTAL\n") + len("CKA_VALUE MULTILINE_OCTAL\n")
    end = text.index("END\n", start)
    body = text[start:end].replace("\n", "")
    rewrapped = "".join(body[i : i + 32] + "\n" for i in range(0, len(body), 32))
    return text[:start] + rewrapped + text[end:]


def test_root_changes_alone_are_not_formatting() -> None:
    a, b = root("A"), root("B")
    diff = diff_texts(certdata_text([a]), certdata_text([a, b]))
    assert not diff.formatting_changed
    diff = diff_texts(certdata_text([a, b]), certdata_text([b]))
    assert not diff.formatting_changed


def test_distrust_entries_added_and_removed() -> None:
    kept, gone, new = (FakeDistrustEntry(f"Distrust {n}", certificate(f"Bad {n}")) for n in "KGN")
    diff = diff_texts(certdata_text([root("A"), kept, gone]), certdata_text([root("A"), kept, new]))
    assert [e.label for e in diff.distrust_entries_added] == ["Distrust N"]
    assert [e.label for e in diff.distrust_entries_removed] == ["Distrust G"]
    assert (diff.added, diff.removed, diff.modified, diff.formatting_changed) == ((), (), (), False)
    assert diff.root_changes and diff.has_differences


def test_a_non_root_object_change_is_not_hidden() -> None:
    text = certdata_text([root("A")])
    diff = diff_texts(text, text.replace('"Mozilla Builtin Roots"', '"Other Builtin Roots"'))
    assert diff.formatting_changed and not diff.root_changes


POOL = [root(f"Pool Root {n}") for n in range(6)]
VARIANTS = [{}, {"server_auth": MUST_VERIFY}, {"email_distrust_after": JUNE_30}, {"label": "Pool Renamed"}]


def _pool_file(picks: list[tuple[int, int]]) -> str:
    return certdata_text([replace(POOL[index], **VARIANTS[variant]) for index, variant in picks])  # type: ignore[arg-type]


_picks = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=6, unique_by=lambda p: p[0])


@settings(max_examples=40, deadline=None)
@given(_picks, _picks)
def test_random_root_sets(old_picks: list[tuple[int, int]], new_picks: list[tuple[int, int]]) -> None:
    old_text, new_text = _pool_file(old_picks), _pool_file(new_picks)
    old, new = store(old_text, "old"), store(new_text, "new")
    diff = compare(old, new)
    old_variant, new_variant = dict(old_picks), dict(new_picks)
    assert [r.sha256 for r in diff.added] == [
        sha256(f"Pool Root {i}") for i, _ in new_picks if i not in old_variant]
    assert [r.sha256 for r in diff.removed] == [
        sha256(f"Pool Root {i}") for i, _ in old_picks if i not in new_variant]
    assert [c.sha256 for c in diff.modified] == [
        sha256(f"Pool Root {i}") for i, v in new_picks if i in old_variant and old_variant[i] != v]
    assert diff.has_differences == (old_text != new_text)
    assert apply_unified(old_text, render_unified(diff, old, new)) == new_text
    assert not compare(new, new).has_differences


# -- views: golden files --------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str
    old: str
    new: str
    title: str | None = None
    bug: str | None = None


def self_made_cases() -> list[Case]:
    base = [root("Alpha Root"), root("Bravo Root", email_protection=TRUSTED), root("Charlie Root")]
    fields = [root(f"Field {n}") for n in range(1, 9)]
    fields[5] = replace(fields[5], email_distrust_after=JUNE_30)
    changed_fields = [
        replace(fields[0], label="Field 1 renamed"),
        replace(fields[1], server_auth=MUST_VERIFY),
        replace(fields[2], email_protection=TRUSTED),
        replace(fields[3], code_signing=NOT_TRUSTED),
        replace(fields[4], step_up_approved=True),
        replace(fields[5], server_distrust_after=datetime(2025, 4, 15, 23, 59, 59, tzinfo=UTC),
                email_distrust_after=None),
        replace(fields[6], mozilla_ca_policy=False),
        fields[7],
    ]
    entry = FakeDistrustEntry("Distrusted Intermediate", certificate("Bad Intermediate"))
    entry2 = FakeDistrustEntry("Another Distrusted Intermediate", certificate("Bad Intermediate 2"))
    old_style = [replace(r, distrust_after_attributes=False) for r in base]
    # A header line, a comment in a root's comment block and a second blank line changed.
    formatting_only = certdata_text(
        [base[0], replace(base[1], comments=("# Note: renewed in 2024",)), base[2]],
        header=HEADER.replace("for certdata-tool's tests", "(tests)"),
    ).replace('\n\n# Trust for "Charlie Root"', '\n\n\n# Trust for "Charlie Root"')
    return [
        Case("fields", certdata_text(fields), certdata_text(changed_fields)),
        Case("rename", certdata_text(base),
             certdata_text([base[0], replace(base[1], label="Bravo Root 2024"), base[2]])),
        Case("added-removed", certdata_text(base),
             certdata_text([base[0], base[2], root("Delta Root", server_distrust_after=JUNE_30,
                                                   email_protection=TRUSTED, mozilla_ca_policy=False)])),
        Case("label-reused", certdata_text(base),
             certdata_text([base[0], FakeRoot("Bravo Root", certificate("Bravo Root", 2)), base[2]])),
        Case("formatting-only", certdata_text(base), formatting_only),
        Case("attribute-only", certdata_text(old_style), certdata_text(base)),
        Case("distrust-entries", certdata_text([base[0], entry, base[1]]),
             certdata_text([base[0], base[1], entry2], trailer="\n")),
        Case("no-differences", certdata_text(base), certdata_text(base)),
    ]


def globaltrust_case(title: str | None = None, bug: str | None = None) -> Case:
    return Case("globaltrust", corpus_file(GLOBALTRUST_OLD).decode(), corpus_file(GLOBALTRUST_NEW).decode(),
                title, bug)


def views(case: Case) -> dict[str, str]:
    old_source, new_source = (GLOBALTRUST_OLD, GLOBALTRUST_NEW) if case.name == "globaltrust" else (
        "old/certdata.txt", "new/certdata.txt")
    old, new = store(case.old, old_source), store(case.new, new_source)
    diff = compare(old, new)
    return {
        "text.txt": render_text(diff, title=case.title, bug=case.bug),
        "text-colour.txt": render_text(diff, colour=True, title=case.title, bug=case.bug),
        "markdown.md": render_markdown(diff, title=case.title, bug=case.bug),
        "diff.json": render_json(diff, title=case.title, bug=case.bug),
        "unified.diff": render_unified(diff, old, new),
    }


@pytest.mark.parametrize("case", self_made_cases(), ids=lambda case: case.name)
def test_views_of_self_made_cases(case: Case) -> None:
    for name, output in views(case).items():
        check_golden(CASES / case.name / name, output)
    assert apply_unified(case.old, views(case)["unified.diff"]) == case.new


@pytest.mark.corpus
def test_views_of_the_globaltrust_pair() -> None:
    for name, output in views(globaltrust_case()).items():
        check_golden(CASES / "globaltrust" / name, output)
    titled = globaltrust_case("GLOBALTRUST 2020: set Distrust After for TLS and S/MIME", "1901080")
    for name, output in views(titled).items():
        if name != "unified.diff":
            check_golden(CASES / "globaltrust-titled" / name, output)


def test_colour_only_when_asked() -> None:
    case = self_made_cases()[0]
    outputs = views(case)
    assert "\x1b[" in outputs["text-colour.txt"]
    for name in ("text.txt", "markdown.md", "diff.json", "unified.diff"):
        assert "\x1b" not in outputs[name], name
    assert re.sub(r"\x1b\[[0-9;]*m", "", outputs["text-colour.txt"]) == outputs["text.txt"]


def test_json_keys_in_contract_order() -> None:
    import json

    case = self_made_cases()[0]
    document = json.loads(views(case)["diff.json"])
    assert list(document) == ["schema", "old", "new", "added", "removed", "modified",
                              "distrust_entries", "formatting_changed", "outside_changes"]
    assert list(document["modified"][0]) == ["label", "sha256", "changes", "problems", "attribute_changes"]
    titled = json.loads(render_json(diff_texts(case.old, case.new), title="T", bug="https://x/1"))
    assert (titled["title"], titled["bug"]) == ("T", "https://x/1")


def test_title_and_bug_references() -> None:
    diff = diff_texts(certdata_text([root("A")]), certdata_text([root("A")]))
    assert render_text(diff, title="Two bugs", bug="1901080, https://example.org/b/2").splitlines() == [
        "Two bugs",
        "Bug 1901080: https://bugzilla.mozilla.org/show_bug.cgi?id=1901080",
        "Bug: https://example.org/b/2",
        "",
        "no differences",
    ]
    assert render_markdown(diff, title="Two bugs", bug="1901080, https://example.org/b/2").splitlines() == [
        "### Two bugs — no differences",
        "",
        "Bug: [Bug 1901080](https://bugzilla.mozilla.org/show_bug.cgi?id=1901080), <https://example.org/b/2>",
    ]
    assert render_markdown(diff, bug="1901080").splitlines()[2] == (
        "[Bug 1901080](https://bugzilla.mozilla.org/show_bug.cgi?id=1901080)")
    assert render_text(diff, bug="see the thread").splitlines()[0] == "Bug: see the thread"


def test_markdown_escapes_labels() -> None:
    odd = FakeRoot("Root | <Test> & *Co*", certificate("Odd"))
    diff = diff_texts(certdata_text([]), certdata_text([odd]))
    lines = render_markdown(diff).splitlines()
    assert lines[4] == (f"| Root \\| \\<Test\\> \\& \\*Co\\* | `{sha256('Odd')}` | added: Websites: trusted; "
                        "Email: not trusted; Code signing: not trusted |")
    # Inside HTML, Markdown is not read: entities, and nothing else.
    assert "<summary>Root | &lt;Test&gt; &amp; *Co* (added)</summary>" in lines


def test_unified_hunks_name_header_and_end_of_file() -> None:
    text = certdata_text([root("A"), root("B")])
    changed = text.replace("# certdata.txt made", "# certdata.txt, made") + "\n"
    old, new = store(text, "a"), store(changed, "b")
    output = render_unified(compare(old, new), old, new)
    assert [line for line in output.splitlines() if line.startswith("@@")] == [
        "@@ -1,5 +1,5 @@ (header)",
        f"@@ -{text.count(chr(10)) - 2},3 +{text.count(chr(10)) - 2},4 @@ (end of file)",
    ]
    assert apply_unified(text, output) == changed


def test_unified_marks_a_missing_final_newline() -> None:
    text = certdata_text([root("A")])
    old, new = store(text, "a"), store(text.rstrip("\n"), "b")
    output = render_unified(compare(old, new), old, new)
    assert output.endswith("-CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n"
                           "+CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n"
                           "\\ No newline at end of file\n")
    assert "@@ A\n" in output
    assert apply_unified(text, output) == text.rstrip("\n")


_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def apply_unified(old: str, patch: str) -> str:
    """Apply a unified diff the way patch(1) would, checking every context and removed line."""
    source = old.split("\n")
    source = [line + "\n" for line in source[:-1]] + ([source[-1]] if source[-1] else [])
    lines = patch.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    result: list[str] = []
    position = 0
    index = 2 if lines else 0
    while index < len(lines):
        match = _HUNK.match(lines[index])
        assert match, f"expected a hunk header, got {lines[index]!r}"
        start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
        result.extend(source[position:start])
        position = start
        index += 1
        while index < len(lines) and not lines[index].startswith("@@"):
            line = lines[index]
            body = line[1:]
            if index + 1 < len(lines) and lines[index + 1].startswith("\\ No newline"):
                body = body[:-1]
                index += 1
            if line[0] in " -":
                assert source[position] == body, f"patch does not match at line {position + 1}"
                position += 1
                if line[0] == " ":
                    result.append(body)
            else:
                assert line[0] == "+", line
                result.append(body)
            index += 1
    result.extend(source[position:])
    return "".join(result)


# -- the real history: an independent reading of every pair -----------------------------------------

_COMMENT_LINE = re.compile(r"^[ \t]*(?:#[^\n]*)?\n", re.M)
_ATTRIBUTE = re.compile(
    r"^[ \t]*(\w+)[ \t]+MULTILINE_OCTAL[^\n]*\n(.*?)^[^\n]*END[^\n]*$"
    r"|^[ \t]*(\w+)[ \t]+(\w+)[ \t]+(\"[^\"\n]*\"|[^\s#]+)[^\n]*$",
    re.M | re.S,
)

Attributes = tuple[tuple[str, str, object], ...]


@dataclass(frozen=True)
class Reading:
    """What a file holds, read with nothing but regular expressions (independent of the tool)."""

    roots: dict[str, list[tuple[Attributes, Attributes | None]]]  # SHA-256 -> occurrences
    entries: Counter[Attributes]  # trust objects that match no certificate


def read_independently(text: str) -> Reading:
    data = text[text.index("BEGINDATA") :].split("\n", 1)[1]
    data = _COMMENT_LINE.sub("", data)
    objects: list[list[tuple[str, str, object]]] = []
    for match in _ATTRIBUTE.finditer(data):
        if match.group(1):
            value: object = codecs.escape_decode(match.group(2).replace("\n", "").encode())[0]
            attribute = (match.group(1), "MULTILINE_OCTAL", value)
        else:
            raw = match.group(5)
            if raw.startswith('"'):
                raw = codecs.escape_decode(raw[1:-1].encode())[0].decode("utf-8", "replace")
            attribute = (match.group(3), match.group(4), raw)
        if attribute[0] == "CKA_CLASS":
            objects.append([])
        objects[-1].append(attribute)

    def get(obj: list[tuple[str, str, object]], name: str) -> object:
        return next((value for n, _, value in obj if n == name), None)

    positions = [p for p, obj in enumerate(objects) if get(obj, "CKA_CLASS") == "CKO_CERTIFICATE"]
    certificates = [objects[p] for p in positions]
    sha1s = [hashlib.sha1(get(cert, "CKA_VALUE")).digest() for cert in certificates]  # type: ignore[arg-type]
    trust_of: dict[int, list[tuple[str, str, object]]] = {}
    entries: Counter[Attributes] = Counter()
    for position, obj in enumerate(objects):
        if get(obj, "CKA_CLASS") != "CKO_NSS_TRUST":
            continue
        sha1 = get(obj, "CKA_CERT_SHA1_HASH")
        # The trust object belongs to the nearest free certificate before it with that hash
        # (or, without a hash, that issuer and serial number).
        candidates = [
            i for i, cert in enumerate(certificates)
            if i not in trust_of and (
                sha1s[i] == sha1 if sha1 is not None
                else (get(cert, "CKA_ISSUER"), get(cert, "CKA_SERIAL_NUMBER"))
                == (get(obj, "CKA_ISSUER"), get(obj, "CKA_SERIAL_NUMBER")))
        ]
        before = [i for i in candidates if positions[i] < position]
        if candidates:
            trust_of[before[-1] if before else candidates[0]] = obj
        else:
            entries[tuple(obj)] += 1
    roots: dict[str, list[tuple[Attributes, Attributes | None]]] = {}
    for i, cert in enumerate(certificates):
        digest = hashlib.sha256(get(cert, "CKA_VALUE")).hexdigest().upper()  # type: ignore[arg-type]
        trust = trust_of.get(i)
        roots.setdefault(digest, []).append((tuple(cert), None if trust is None else tuple(trust)))
    return Reading(roots, entries)


def independent_fields(cert: Attributes, trust: Attributes | None) -> dict[str, object]:
    def get(attributes: Attributes | None, name: str) -> tuple[str, object] | None:
        return next(((t, v) for n, t, v in attributes or () if n == name), None)

    fields: dict[str, object] = {"label": get(cert, "CKA_LABEL")}
    for name in ("SERVER_AUTH", "EMAIL_PROTECTION", "CODE_SIGNING", "STEP_UP_APPROVED"):
        fields[f"trust.{name.lower()}"] = get(trust, f"CKA_TRUST_{name}")
    dates = [get(cert, f"CKA_NSS_{p}_DISTRUST_AFTER") for p in ("SERVER", "EMAIL")]
    for purpose, date in zip(("server", "email"), dates, strict=True):
        # NSS reads a date only when both attributes are there (FORMAT.md §13).
        usable = None not in dates and date is not None and date[0] == "MULTILINE_OCTAL"
        fields[f"distrust_after.{purpose}"] = date if usable else None
    policy = get(cert, "CKA_NSS_MOZILLA_CA_POLICY")
    fields["mozilla_ca_policy"] = policy is not None and policy[1] == "CK_TRUE"
    for purpose in ("server", "email"):
        # A date on the trust object (NSS never reads it there) is a field of its own.
        found = get(trust, f"CKA_NSS_{purpose.upper()}_DISTRUST_AFTER")
        fields[f"trust_object.distrust_after.{purpose}"] = (
            found if found is not None and found[0] == "MULTILINE_OCTAL" else None)
    return fields


@cache
def _corpus() -> dict[str, tuple[str, CertdataFile]]:
    return {name: (data.decode("utf-8"), parse(data, source=name)) for name, data in corpus_revisions()}


@cache
def _reading(name: str) -> Reading:
    return read_independently(_corpus()[name][0])


def _pairs() -> list[tuple[str, str]]:
    """Every consecutive pair, the real parent → child pairs where history order differs from date
    order, and a few far-apart pairs (pairs no single commit made)."""
    names = list(_corpus())
    pairs = list(itertools.pairwise(names))
    for row in corpus_index():
        child = f"{row['date']}_{row['short']}.txt"
        if row["parent_file"] and (row["parent_file"], child) not in pairs:
            pairs.append((row["parent_file"], child))
    pairs += [(names[0], names[-1]), (names[-1], names[0]), (names[60], names[-1])]
    return pairs


def _expected(old: Reading, new: Reading) -> dict[str, object]:
    added: list[str] = []
    removed: list[str] = []
    modified: dict[str, set[str]] = {}
    for digest in sorted(set(old.roots) | set(new.roots)):
        before, after = old.roots.get(digest, []), new.roots.get(digest, [])
        added += [digest] * max(0, len(after) - len(before))
        removed += [digest] * max(0, len(before) - len(after))
        for (cert_a, trust_a), (cert_b, trust_b) in zip(before, after, strict=False):
            if (cert_a, trust_a) != (cert_b, trust_b):
                fields_a, fields_b = independent_fields(cert_a, trust_a), independent_fields(cert_b, trust_b)
                modified[digest] = {f for f in FIELDS if fields_a[f] != fields_b[f]}
    return {
        "added": sorted(added),
        "removed": sorted(removed),
        "modified": modified,
        "entries added": sum((new.entries - old.entries).values()),
        "entries removed": sum((old.entries - new.entries).values()),
    }


def _actual(diff: Diff) -> dict[str, object]:
    return {
        "added": sorted(r.sha256 for r in diff.added),
        "removed": sorted(r.sha256 for r in diff.removed),
        "modified": {c.sha256: {f.field for f in c.changes} for c in diff.modified},
        "entries added": len(diff.distrust_entries_added),
        "entries removed": len(diff.distrust_entries_removed),
    }


@pytest.mark.corpus
def test_every_corpus_pair_matches_an_independent_reading() -> None:
    pairs = _pairs()
    assert len(pairs) >= 136 + 3
    mismatches = []
    for old_name, new_name in pairs:
        diff = compare(_corpus()[old_name][1], _corpus()[new_name][1])
        expected = _expected(_reading(old_name), _reading(new_name))
        if _actual(diff) != expected:
            mismatches.append(f"{old_name} → {new_name}: expected {expected}, got {_actual(diff)}")
        assert all(change.changes or change.attribute_changes for change in diff.modified)
        assert diff.has_differences == (_corpus()[old_name][0] != _corpus()[new_name][0])
    assert mismatches == []


@pytest.mark.corpus
def test_unified_diff_of_every_consecutive_pair_turns_old_into_new() -> None:
    names = list(_corpus())
    for old_name, new_name in itertools.pairwise(names):
        (old_text, old), (new_text, new) = _corpus()[old_name], _corpus()[new_name]
        output = render_unified(compare(old, new), old, new)
        assert apply_unified(old_text, output) == new_text, new_name
        assert all(line.split("@@")[2].strip() for line in output.splitlines() if line.startswith("@@"))


def _history_pair(short: str) -> Diff:
    """The diff made by one NSS commit: its parent revision → the revision."""
    row = next(r for r in corpus_index() if r["short"] == short)
    return compare(_corpus()[row["parent_file"]][1], _corpus()[f"{row['date']}_{short}.txt"][1])


@pytest.mark.corpus
def test_93ac86e1e_sets_mozilla_ca_policy_on_every_root() -> None:
    diff = _history_pair("93ac86e1e")
    assert len(diff.modified) == 173
    assert {(c.changes, c.attribute_changes) for c in diff.modified} == {
        ((FieldChange("mozilla_ca_policy", False, True),), ())}
    assert (diff.added, diff.removed, diff.formatting_changed) == ((), (), False)


@pytest.mark.corpus
def test_47e35ec46_adds_distrust_attributes_without_changing_a_field() -> None:
    diff = _history_pair("47e35ec46")
    assert len(diff.modified) == 149
    assert {(c.changes, c.attribute_changes) for c in diff.modified} == {((), (
        "certificate object: CKA_NSS_SERVER_DISTRUST_AFTER added (CK_BBOOL CK_FALSE)",
        "certificate object: CKA_NSS_EMAIL_DISTRUST_AFTER added (CK_BBOOL CK_FALSE)"))}
    assert diff.formatting_changed  # the header's attribute table was widened


@pytest.mark.corpus
def test_469e60ef4_sets_globaltrust_distrust_dates() -> None:
    diff = _history_pair("469e60ef4")
    assert [(c.label, c.sha256, c.changes, c.attribute_changes) for c in diff.modified] == [(
        "GLOBALTRUST 2020", GLOBALTRUST_SHA256,
        (FieldChange("distrust_after.server", None, JUNE_30),
         FieldChange("distrust_after.email", None, JUNE_30)), ())]
    assert (diff.added, diff.removed, diff.formatting_changed) == ((), (), False)


@pytest.mark.corpus
def test_a_removal_and_an_addition() -> None:
    removal = _history_pair("6d12b2325")
    assert [r.label for r in removal.removed] == ["Visa eCommerce Root"]
    assert (removal.added, removal.modified, removal.formatting_changed) == ((), (), False)
    addition = _history_pair("c6bc26a58")
    assert [(r.label, r.sha256) for r in addition.added] == [
        ("ISRG Root X1", "96BCEC06264976F37460779ACF28C5A7CFE8A3C0AAE11A8FFCEE05C0BDDF08C6")]
    assert (addition.removed, addition.modified, addition.formatting_changed) == ((), (), False)


@pytest.mark.corpus
def test_replaced_root_with_the_same_label() -> None:
    diff = _history_pair("5588d743b")  # "Replace Google Trust Services LLC (GTS) R1 root certificate"
    assert [r.label for r in diff.removed] == [r.label for r in diff.added] == ["GTS Root R1"]
    assert diff.removed[0].sha256 != diff.added[0].sha256
    assert diff.modified == ()


@pytest.mark.corpus
@pytest.mark.parametrize("short", ["f8cfc9242", "cad0a345d", "4d3218c3c", "bb4242fc1"])
def test_formatting_only_commits(short: str) -> None:
    # f8cfc9242: MD5 → SHA-256 fingerprint comments; cad0a345d: CVS_ID header line removed;
    # 4d3218c3c: stray quote after a label, which certdata.perl ignores; bb4242fc1: final newline.
    diff = _history_pair(short)
    assert not diff.root_changes
    assert diff.formatting_changed and diff.has_differences
    text = render_text(diff)
    assert text.startswith("Comments, blank lines, header text or object order changed; no root did:\n"
                           "  @@ OLD ")
    assert text.endswith("\n\nformatting only: no root changed\n")
