"""Files from before 2011 (CKO_NETSCAPE_TRUST, CKT_NETSCAPE_*) mean what their NSS names mean.

The old files are built here in the layout of that time: no CKA_NSS_MOZILLA_CA_POLICY, no
distrust-after attributes, a CVS_ID line, and Netscape's names for the trust class and values.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from certdata_factory import (
    HEADER,
    MUST_VERIFY,
    NOT_TRUSTED,
    FakeDistrustEntry,
    FakeRoot,
    certdata_text,
    certificate,
)
from typer.testing import CliRunner

from certdata_tool.changelog import Reason, changelog
from certdata_tool.cli import app
from certdata_tool.diff import compare
from certdata_tool.linting import lint
from certdata_tool.model.roots import TrustLevel, read_roots
from certdata_tool.model.vocabulary import LEGACY_NAMES, nss_name
from certdata_tool.syntax.nssfile import dump, parse

runner = CliRunner()

OLD_STYLE = {"distrust_after_attributes": False, "mozilla_ca_policy": False}
WEB = replace(FakeRoot("Old Web Root", certificate("Old Web Root")), **OLD_STYLE)  # type: ignore[arg-type]
MAIL = replace(FakeRoot("Old Mail Root", certificate("Old Mail Root")), server_auth=MUST_VERIFY,
               email_protection="CKT_NSS_TRUSTED_DELEGATOR", **OLD_STYLE)  # type: ignore[arg-type]
# Written with the old names that do not say what they mean (see model/vocabulary.py).
ODD = replace(FakeRoot("Odd Names Root", certificate("Odd Names Root")), server_auth="CKT_NSS_VALID",
              email_protection="CKT_NSS_UNTRUSTED", code_signing="CKT_NSS_MUST_VERIFY",
              **OLD_STYLE)  # type: ignore[arg-type]
DISTRUST = FakeDistrustEntry("Old Distrust", certificate("Old Distrusted", 7))
ITEMS: list[FakeRoot | FakeDistrustEntry] = [WEB, MAIL, ODD, DISTRUST]


def modern_text() -> str:
    return certdata_text(ITEMS)


def old_text() -> str:
    """The same file as NSS wrote it before 2011."""
    text = certdata_text(ITEMS, header=HEADER.replace("BEGINDATA\n", 'CVS_ID "@(#) $RCSfile$ $Revision$ '
                                                                         '$Date$"\n\nBEGINDATA\n'))
    for new_name, old_name in (("CKO_NSS_", "CKO_NETSCAPE_"), ("CKT_NSS_VALID", "CKT_NETSCAPE_VALID"),
                               ("CKT_NSS_UNTRUSTED", "CKT_NETSCAPE_UNTRUSTED"),
                               ("CKT_NSS_MUST_VERIFY\n", "CKT_NETSCAPE_MUST_VERIFY\n"),
                               ("CKT_NSS_", "CKT_NETSCAPE_")):
        text = text.replace(new_name, old_name)
    assert "_NSS_" not in text.split("BEGINDATA", 1)[1]
    return text


def test_the_old_file_uses_only_old_names_and_round_trips() -> None:
    text = old_text()
    assert "CKO_NETSCAPE_TRUST" in text and "CKT_NETSCAPE_TRUSTED_DELEGATOR" in text
    assert dump(parse(text)) == text


def test_every_old_name_reads_as_a_current_one() -> None:
    for name in LEGACY_NAMES:
        assert "NETSCAPE" not in nss_name(name)
        assert nss_name(name) != name
    assert nss_name("CKT_NETSCAPE_VALID") == "CKT_NSS_NOT_TRUSTED"  # pkcs11n.h: same value
    assert nss_name("CKT_NETSCAPE_UNTRUSTED") == "CKT_NSS_MUST_VERIFY_TRUST"
    assert nss_name("CKT_NSS_TRUSTED_DELEGATOR") == "CKT_NSS_TRUSTED_DELEGATOR"


def test_roots_of_an_old_file_have_their_trust() -> None:
    old, modern = read_roots(parse(old_text())), read_roots(parse(modern_text()))
    assert [r.trust for r in old.roots] == [r.trust for r in modern.roots]
    web, mail, odd = old.roots
    assert web.trust.server_auth is TrustLevel.TRUSTED_DELEGATOR
    assert mail.trust.email_protection is TrustLevel.TRUSTED_DELEGATOR
    assert (odd.trust.server_auth, odd.trust.email_protection, odd.trust.code_signing) == (
        TrustLevel.NOT_TRUSTED, TrustLevel.MUST_VERIFY_TRUST, TrustLevel.TRUST_UNKNOWN)
    assert all(root.trust_index is not None and not root.problems for root in old.roots)
    assert [entry.label for entry in old.distrust_entries] == ["Old Distrust"]
    assert old.distrust_entries[0].trust.server_auth is TrustLevel.NOT_TRUSTED


def test_show_of_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "certdata.txt"
    path.write_text(old_text(), encoding="utf-8")
    result = runner.invoke(app, ["show", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [root["trust"]["server_auth"] for root in document["roots"]] == [
        "trusted_delegator", "must_verify_trust", "not_trusted"]
    assert "no trust object" not in result.stderr


def test_diff_of_old_and_new_names_changes_no_root() -> None:
    result = compare(parse(old_text()), parse(modern_text()))
    assert not result.root_changes
    assert result.formatting_changed  # the text did change
    # A real change in an old file is seen as one.
    changed = parse(old_text().replace(
        "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NETSCAPE_TRUSTED_DELEGATOR",
        "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NETSCAPE_MUST_VERIFY_TRUST", 1))
    modified = compare(parse(old_text()), changed).modified
    assert [(c.label, [f.field for f in c.changes]) for c in modified] == [
        ("Old Web Root", ["trust.server_auth"])]


def test_export_of_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "certdata.txt"
    path.write_text(old_text(), encoding="utf-8")
    result = runner.invoke(app, ["export", str(path), "-o", "-", "--purpose", "server", "--purpose", "email"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("-----BEGIN CERTIFICATE-----") == 2
    assert "Old Web Root" in result.stdout and "Old Mail Root" in result.stdout


def test_changelog_across_the_rename_of_the_names() -> None:
    assert changelog(parse(old_text()), parse(modern_text())).empty
    empty = parse(certdata_text([]))
    added = changelog(empty, parse(old_text())).added
    assert [(n.label, n.reason) for n in added] == [("Old Web Root", Reason.NEW_ROOT)]


@pytest.mark.parametrize("text", [old_text(), modern_text()], ids=["old", "modern"])
def test_lint_reads_old_names_as_their_nss_names(text: str) -> None:
    findings = lint(parse(text), at=datetime(2025, 1, 1, tzinfo=UTC))
    codes = {finding.code for finding in findings}
    assert "CD212" not in codes  # an unknown object class
    assert not [f for f in findings if f.code == "CD102" and "CK_TRUST" not in f.message
                and "NETSCAPE" in f.message]
    assert not [f for f in findings if "NETSCAPE" in f.message]


def test_not_trusted_constant_is_the_same_name_netscape_gave_it() -> None:
    # CKT_NETSCAPE_NOT_TRUSTED is not in the text above (it was spelled VALID then); read it anyway.
    text = old_text().replace("CKT_NETSCAPE_VALID", "CKT_NETSCAPE_NOT_TRUSTED")
    assert read_roots(parse(text)).roots[2].trust.server_auth is TrustLevel.NOT_TRUSTED
    assert NOT_TRUSTED == "CKT_NSS_NOT_TRUSTED"
