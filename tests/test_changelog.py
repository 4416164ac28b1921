"""Release notes between two files: reasons, dates, renames, the views, Debian's lines, the command."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from certdata_factory import MUST_VERIFY, NOT_TRUSTED, TRUSTED, FakeRoot, certdata_text, certificate
from conftest import TESTS_DIR, corpus_file
from typer.testing import CliRunner

from certdata_tool.changelog import Changelog, Reason, changelog
from certdata_tool.changelog.notes import DistrustAfterNote, RenameNote, RootNote
from certdata_tool.cli import app
from certdata_tool.cli.commands.changelog import ChangelogFormat
from certdata_tool.errors import CertdataError
from certdata_tool.exporting.policy import Purpose
from certdata_tool.render.changelog import (
    changelog_debian,
    changelog_json,
    changelog_markdown,
    changelog_text,
)
from certdata_tool.syntax.nssfile import parse

CASES = TESTS_DIR / "cases" / "changelog"
runner = CliRunner()

JUNE_30 = datetime(2024, 6, 30, tzinfo=UTC)
APRIL_15 = datetime(2025, 4, 15, 23, 59, 59, tzinfo=UTC)


def root(label: str, serial: int = 1, **values: object) -> FakeRoot:
    return replace(FakeRoot(label, certificate(label, serial)), **values)  # type: ignore[arg-type]


def notes(old: list[FakeRoot], new: list[FakeRoot], *purposes: Purpose) -> Changelog:
    return changelog(parse(certdata_text(old)), parse(certdata_text(new)), purposes or (Purpose.SERVER,))


def sha256(fake: FakeRoot) -> str:
    import hashlib

    return hashlib.sha256(fake.der).hexdigest().upper()


# -- what the notes say ---------------------------------------------------------------------------

def test_a_label_reused_by_a_new_certificate_is_removed_and_added() -> None:
    first, second = root("Reused Root", 1), root("Reused Root", 2)
    assert first.der != second.der
    result = notes([first], [second])
    assert result.added == (RootNote("Reused Root", sha256(second), Reason.NEW_ROOT),)
    assert result.removed == (RootNote("Reused Root", sha256(first), Reason.ROOT_REMOVED),)
    assert result.renamed == ()


def test_a_trust_bit_turned_off_is_trust_revoked() -> None:
    kept, dropped = root("Kept Root"), root("Dropped Root")
    result = notes([kept, dropped], [kept, replace(dropped, server_auth=MUST_VERIFY)])
    assert result.removed == (RootNote("Dropped Root", sha256(dropped), Reason.TRUST_REVOKED),)
    assert result.added == () and result.distrust_after == () and result.renamed == ()


def test_websites_trust_granted_later_is_trust_granted() -> None:
    email_only = root("Email Root", server_auth=MUST_VERIFY, email_protection=TRUSTED)
    result = notes([email_only], [replace(email_only, server_auth=TRUSTED)])
    assert result.added == (RootNote("Email Root", sha256(email_only), Reason.TRUST_GRANTED),)
    assert result.removed == ()


def test_a_new_untrusted_root_and_a_removed_untrusted_root_are_not_in_the_bundle() -> None:
    distrusted = root("Distrusted", server_auth=NOT_TRUSTED, email_protection=NOT_TRUSTED)
    assert notes([], [distrusted]).empty
    assert notes([distrusted], []).empty


def test_the_bundle_is_every_root_trusted_for_one_of_the_purposes() -> None:
    both = root("Both Root", email_protection=TRUSTED)
    server_lost = replace(both, server_auth=MUST_VERIFY)
    # Still in the websites-or-email bundle: nothing to say for its users.
    assert notes([both], [server_lost], Purpose.SERVER, Purpose.EMAIL).empty
    assert notes([both], [server_lost], Purpose.SERVER).removed[0].reason is Reason.TRUST_REVOKED
    assert notes([both], [server_lost], Purpose.EMAIL).empty


def test_code_signing_purpose() -> None:
    signer = root("Signer", server_auth=MUST_VERIFY, code_signing=TRUSTED)
    result = notes([], [signer], Purpose.CODE_SIGNING)
    assert result.added == (RootNote("Signer", sha256(signer), Reason.NEW_ROOT),)
    assert notes([], [signer]).empty


def test_distrust_after_set_changed_and_cleared_for_the_chosen_purposes() -> None:
    set_root, changed, cleared = root("Set Root"), root("Changed Root"), root("Cleared Root")
    old = [set_root, replace(changed, server_distrust_after=JUNE_30),
           replace(cleared, server_distrust_after=JUNE_30, email_distrust_after=JUNE_30,
                   email_protection=TRUSTED)]
    new = [replace(set_root, server_distrust_after=JUNE_30, email_distrust_after=JUNE_30),
           replace(changed, server_distrust_after=APRIL_15),
           replace(cleared, email_protection=TRUSTED)]
    result = notes(old, new)
    assert result.distrust_after == (
        DistrustAfterNote("Changed Root", sha256(changed), Purpose.SERVER, JUNE_30, APRIL_15),
        DistrustAfterNote("Cleared Root", sha256(cleared), Purpose.SERVER, JUNE_30, None),
        DistrustAfterNote("Set Root", sha256(set_root), Purpose.SERVER, None, JUNE_30),
    )
    assert [note.kind for note in result.distrust_after] == ["changed", "cleared", "set"]
    # Email: only the root trusted for email counts (Set Root's email date means nothing to NSS users).
    email = notes(old, new, Purpose.EMAIL)
    assert email.distrust_after == (
        DistrustAfterNote("Cleared Root", sha256(cleared), Purpose.EMAIL, JUNE_30, None),)
    both = notes(old, new, Purpose.SERVER, Purpose.EMAIL)
    assert [(n.label, n.purpose) for n in both.distrust_after] == [
        ("Changed Root", Purpose.SERVER), ("Cleared Root", Purpose.SERVER), ("Cleared Root", Purpose.EMAIL),
        ("Set Root", Purpose.SERVER)]


def test_a_new_root_brings_its_date() -> None:
    dated = root("Dated Root", server_distrust_after=JUNE_30)
    result = notes([], [dated])
    assert result.added[0].reason is Reason.NEW_ROOT
    assert result.distrust_after == (DistrustAfterNote("Dated Root", sha256(dated), Purpose.SERVER, None,
                                                       JUNE_30),)


def test_a_date_on_a_root_that_is_not_trusted_is_not_a_note() -> None:
    untrusted = root("Untrusted", server_auth=MUST_VERIFY)
    assert notes([untrusted], [replace(untrusted, server_distrust_after=JUNE_30)]).empty


def test_renames_of_roots_in_the_bundle() -> None:
    trusted, untrusted = root("Old Name"), root("Quiet Old", server_auth=MUST_VERIFY)
    result = notes([trusted, untrusted],
                   [replace(trusted, label="New Name"), replace(untrusted, label="Quiet New")])
    assert result.renamed == (RenameNote(sha256(trusted), "Old Name", "New Name"),)
    assert result.added == result.removed == ()


def test_a_certificate_held_twice_is_one_root() -> None:
    twice = root("Twice")
    assert notes([twice], [twice, twice]).empty
    assert notes([], [twice, twice]).added == (RootNote("Twice", sha256(twice), Reason.NEW_ROOT),)


def test_lists_are_sorted_by_label_then_sha256() -> None:
    same_a, same_b = root("Same", 1), root("Same", 2)
    result = notes([], [root("zeta"), same_b, root("Beta"), same_a, root("alpha")])
    expected = ["zeta", "Beta", "alpha", "Same", "Same"]
    assert sorted(n.label for n in result.added) == sorted(expected)
    labels = [(n.label, n.sha256) for n in result.added]
    assert labels == sorted(labels)
    assert labels[0][0] == "Beta"  # code point order, upper case first


def test_unchanged_files_have_empty_notes() -> None:
    fake = root("Steady")
    assert notes([fake], [fake]).empty


def test_no_purpose_is_an_error() -> None:
    store = parse(certdata_text([]))
    with pytest.raises(CertdataError, match="no purpose"):
        changelog(store, store, ())


# -- the views ------------------------------------------------------------------------------------

def _release_case() -> tuple[list[FakeRoot], list[FakeRoot]]:
    reused_old, reused_new = root("Reused Label", 1), root("Reused Label", 2)
    revoked = root("revoked root")
    granted = root("Granted Root", server_auth=MUST_VERIFY, email_protection=TRUSTED)
    renamed = root("Before Rename")
    dated = root("GLOBALTRUST 2020", email_protection=TRUSTED)
    gone = root("Cybertrust Global Root")
    old = [reused_old, revoked, granted, renamed, dated, gone]
    new = [reused_new, replace(revoked, server_auth=MUST_VERIFY), replace(granted, server_auth=TRUSTED),
           replace(renamed, label="After | Rename"), root("Certainly Root E1"),
           replace(dated, server_distrust_after=JUNE_30, email_distrust_after=JUNE_30)]
    return old, new


@pytest.mark.parametrize("view", ["text", "markdown", "json", "debian", "debian-version"])
def test_views_golden(view: str) -> None:
    old, new = _release_case()
    result = notes(old, new)
    rendered = {
        "text": lambda: changelog_text(result),
        "markdown": lambda: changelog_markdown(result),
        "json": lambda: changelog_json(result),
        "debian": lambda: changelog_debian(result),
        "debian-version": lambda: changelog_debian(result, "2.60"),
    }[view]()
    suffix = {"text": "txt", "markdown": "md", "json": "json"}.get(view, "txt")
    from conftest import assert_golden

    assert_golden(CASES / "release" / f"{view}.{suffix}", rendered)


def test_json_is_the_contract_shape() -> None:
    old, new = _release_case()
    document = json.loads(changelog_json(notes(old, new, Purpose.SERVER, Purpose.EMAIL)))
    assert list(document) == ["schema", "purposes", "added", "removed", "distrust_after", "renamed"]
    assert document["schema"] == "certdata-tool/changelog/1"
    assert document["purposes"] == ["server", "email"]
    moves = document["added"] + document["removed"]
    assert all(list(item) == ["label", "sha256", "reason"] for item in moves)
    assert all(list(item) == ["label", "sha256", "purpose", "old", "new"]
               for item in document["distrust_after"])
    assert all(list(item) == ["sha256", "old", "new"] for item in document["renamed"])
    assert {item["reason"] for item in document["added"] + document["removed"]} == {
        "new root", "root removed", "trust revoked"}  # Granted Root was in the bundle by email trust
    date = next(item for item in document["distrust_after"] if item["purpose"] == "email")
    assert date == {"label": "GLOBALTRUST 2020", "sha256": sha256(root("GLOBALTRUST 2020")),
                    "purpose": "email", "old": None, "new": "2024-06-30T00:00:00Z"}


def test_debian_lines_character_for_character() -> None:
    # PROFILES.md: a bullet naming the version, then four spaces before headings and items, labels in
    # double quotes, sorted without regard to case.
    old = [root("DST Root CA X3"), root("Cybertrust Global Root"), root("kept")]
    new = [root("kept"), root("certainly Root R1"), root("Certainly Root E1")]
    assert changelog_debian(notes(old, new), "2.60") == (
        "  * Update Mozilla certificate authority bundle to version 2.60\n"
        "    The following certificate authorities were added (+):\n"
        '    + "Certainly Root E1"\n'
        '    + "certainly Root R1"\n'
        "    The following certificate authorities were removed (-):\n"
        '    - "Cybertrust Global Root"\n'
        '    - "DST Root CA X3"\n'
    )


def test_debian_leaves_out_empty_headings() -> None:
    gone = root("Gone Root")
    assert changelog_debian(notes([gone], [])) == (
        "    The following certificate authorities were removed (-):\n"
        '    - "Gone Root"\n')
    assert changelog_debian(notes([], [gone])) == (
        "    The following certificate authorities were added (+):\n"
        '    + "Gone Root"\n')
    assert changelog_debian(notes([gone], [gone])) == ""
    assert changelog_debian(notes([gone], [gone]), "2.68") == (
        "  * Update Mozilla certificate authority bundle to version 2.68\n")


def test_text_of_empty_notes() -> None:
    assert changelog_text(notes([], [])) == "Roots trusted for websites: no changes\n"
    assert changelog_text(notes([], [], Purpose.SERVER, Purpose.EMAIL)) == (
        "Roots trusted for websites or email: no changes\n")


# -- the command ----------------------------------------------------------------------------------

@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    old, new = _release_case()
    old_path, new_path = tmp_path / "old.txt", tmp_path / "new.txt"
    old_path.write_text(certdata_text(old), encoding="utf-8")
    new_path.write_text(certdata_text(new), encoding="utf-8")
    return str(old_path), str(new_path)


@pytest.mark.parametrize("output_format", list(ChangelogFormat))
def test_every_format_on_the_command_line(files: tuple[str, str], output_format: ChangelogFormat) -> None:
    result = runner.invoke(app, ["changelog", *files, "--format", output_format.value])
    assert result.exit_code == 0, result.output
    old, new = _release_case()
    expected = {
        ChangelogFormat.TEXT: changelog_text, ChangelogFormat.MARKDOWN: changelog_markdown,
        ChangelogFormat.JSON: changelog_json, ChangelogFormat.DEBIAN: changelog_debian,
    }[output_format](notes(old, new))
    assert result.stdout == expected


def test_command_purposes_and_nss_version(files: tuple[str, str]) -> None:
    result = runner.invoke(app, ["changelog", *files, "-p", "email", "--purpose", "server", "-f", "json"])
    assert json.loads(result.stdout)["purposes"] == ["server", "email"]
    result = runner.invoke(app, ["changelog", *files, "-f", "debian", "--nss-version", "2.60"])
    assert result.stdout.startswith("  * Update Mozilla certificate authority bundle to version 2.60\n")


@pytest.mark.parametrize("arguments", [
    ["--nss-version", "2.60"],  # only for debian
    ["-f", "debian", "--nss-version", "two"],
    ["-p", "nothing"],
])
def test_command_usage_errors(files: tuple[str, str], arguments: list[str]) -> None:
    result = runner.invoke(app, ["changelog", *files, *arguments])
    assert result.exit_code == 2
    assert result.stderr.startswith("certdata-tool: error: ")
    assert "Traceback" not in result.output


def test_both_standard_input_is_refused() -> None:
    result = runner.invoke(app, ["changelog", "-", "-"])
    assert result.exit_code == 2
    assert "standard input" in result.stderr


@pytest.mark.corpus
def test_globaltrust_commit_sets_two_dates() -> None:
    old = parse(corpus_file("certdata-2024-05-30-bb4242fc1.txt"))
    new = parse(corpus_file("certdata-2024-06-13-469e60ef4.txt"))
    result = changelog(old, new, (Purpose.SERVER, Purpose.EMAIL))
    assert result.added == result.removed == ()
    assert result.renamed == ()
    moment = datetime(2024, 6, 30, tzinfo=UTC)
    label = "GLOBALTRUST 2020"
    digest = "9A296A5182D1D451A2E37F439B74DAAFA267523329F90F9A0D2007C334E23C9A"
    assert result.distrust_after == (DistrustAfterNote(label, digest, Purpose.SERVER, None, moment),
                                     DistrustAfterNote(label, digest, Purpose.EMAIL, None, moment))


def test_the_library_face() -> None:
    import certdata_tool

    old = parse(certdata_text([root("Gone")]))
    new = parse(certdata_text([root("Come")]))
    assert "release_notes" in certdata_tool.__all__
    assert certdata_tool.release_notes(old, new) == changelog(old, new)
    assert certdata_tool.release_notes(old, new, [Purpose.EMAIL]).empty


def test_labels_cannot_drive_the_terminal() -> None:
    sneaky = root("Evil\x1b[2J Root")
    result = notes([], [sneaky])
    for view in (changelog_text(result), changelog_markdown(result), changelog_debian(result)):
        assert "\x1b" not in view and "x1b[2J Root" in view
    assert json.loads(changelog_json(result))["added"][0]["label"] == "Evil\x1b[2J Root"
