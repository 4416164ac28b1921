"""lint: one fixture per rule, targeted edits of a clean file, new_findings, rule choice, output, CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import DATA_DIR, PROJECT_ROOT, corpus_file
from conftest import assert_golden as check_golden_file
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from certdata_tool.cli import app
from certdata_tool.cli.commands.lint import LintFormat
from certdata_tool.errors import CertdataError
from certdata_tool.linting import RULES, Finding, Level, choose_rules, filter_findings, lint, new_findings
from certdata_tool.render import lint as render
from certdata_tool.syntax.nssfile import parse, simple_attribute

LINT_DATA = DATA_DIR / "lint"
GOLDEN = LINT_DATA / "golden"
AT = datetime(2025, 1, 1, tzinfo=UTC)  # the moment every fixture is judged at
CLEAN = (LINT_DATA / "clean.txt").read_text(encoding="utf-8")
ROOT_1 = "Example Root CA 1"
DATED = "Example Distrusted After Root"


def lint_text(text: str, at: datetime = AT) -> tuple[Finding, ...]:
    return lint(parse(text, source="certdata.txt"), at=at)


def codes_and_lines(findings: tuple[Finding, ...]) -> list[tuple[str, int]]:
    return [(finding.code, finding.line) for finding in findings]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the start of the `occurrence`-th `needle` in `text`."""
    position = -1
    for _ in range(occurrence):
        position = text.index(needle, position + 1)
    return text.count("\n", 0, position) + 1


def once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def first(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/data/lint/golden/NAME (see conftest.assert_golden)."""
    check_golden_file(GOLDEN / name, actual)

# -- one fixture per rule ------------------------------------------------------------------------

# code -> (line, root label) of the one finding tests/data/lint/CODE.txt must give (lines checked by
# hand against the files; line 1 of each file says what was edited).
EXPECTED: dict[str, tuple[int, str | None]] = {
    "CD101": (19, ROOT_1),  # CKO_CERTIFICATE line of the certificate without CKA_ID
    "CD102": (107, ROOT_1),  # CKA_TRUST_STEP_UP_APPROVED CK_TRUST CK_FALSE
    "CD103": (21, ROOT_1),  # the second CKA_TOKEN
    "CD104": (19, ROOT_1),  # the certificate left without trust
    "CD105": (17, ROOT_1),  # the trust object left without certificate
    "CD106": (87, ROOT_1),  # CKA_CERT_SHA1_HASH
    "CD107": (101, ROOT_1),  # the trust object's CKA_SERIAL_NUMBER
    "CD108": (43, ROOT_1),  # CKA_VALUE
    "CD109": (108, ROOT_1),  # CKA_NSS_SERVER_DISTRUST_AFTER on the trust object
    "CD110": (174, DATED),  # CKA_NSS_SERVER_DISTRUST_AFTER 241330000000Z
    "CD111": (119, "Example Root CA 1 again"),  # the repeated certificate
    "CD112": (86, ROOT_1),  # CKA_LABEL UTF8 "Example Root CA 1""
    "CD201": (16, ROOT_1),  # # Not Valid After : ... 2045
    "CD202": (174, DATED),  # # For Server Distrust After: Mon Jul 01 ...
    "CD203": (19, ROOT_1),  # the certificate without distrust-after attributes
    "CD204": (179, DATED),  # CKA_NSS_EMAIL_DISTRUST_AFTER of a root not trusted for email
    "CD205": (86, ROOT_1),  # the trust object's CKA_LABEL
    "CD206": (119, ROOT_1),  # the second root with the label
    "CD207": (217, None),  # the last line, without newline
    "CD208": (9, ROOT_1),  # "# " in the first certificate's comment block
    "CD209": (1, None),  # the first CRLF
    "CD210": (109, DATED),  # the second of two blank lines
    "CD211": (108, ROOT_1),  # CKA_NSS_MOZILLA_CA_POLICY on the trust object
    "CD212": (219, None),  # CKA_CLASS CK_OBJECT_CLASS CKO_DATA
    "CD301": (229, "Example Expired Root"),
    "CD302": (175, DATED),  # CKA_NSS_SERVER_DISTRUST_AFTER 2023-06-30
    "CD303": (10, ROOT_1),  # # Certificate "Example Root CA 1" (its block has an MD5 fingerprint)
    "CD304": (23, ROOT_1),  # CKA_LABEL UTF8 "Example Root CA \x31"
}


def test_every_rule_has_a_fixture_and_every_fixture_a_rule() -> None:
    fixtures = {path.stem for path in LINT_DATA.glob("CD*.txt")}
    assert fixtures == {rule.code for rule in RULES} == set(EXPECTED)


def test_rule_table_is_consistent() -> None:
    assert len({rule.code for rule in RULES}) == len({rule.name for rule in RULES}) == len(RULES)
    family = {"1": Level.ERROR, "2": Level.WARNING, "3": Level.INFO}
    for rule in RULES:
        assert re.fullmatch(r"CD[123]\d\d", rule.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert rule.level is family[rule.code[2]], rule.code


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_fixture_triggers_its_rule_and_nothing_else(code: str) -> None:
    text = (LINT_DATA / f"{code}.txt").read_bytes()
    findings = lint(parse(text, source=f"{code}.txt"), at=AT)
    line, label = EXPECTED[code]
    assert [(f.code, f.line, f.label) for f in findings] == [(code, line, label)]
    assert findings[0].level is findings[0].rule.level


def test_clean_fixture_has_no_findings() -> None:
    assert lint_text(CLEAN) == ()


def test_fixture_roots_carry_their_sha256() -> None:
    finding = lint_text((LINT_DATA / "CD203.txt").read_text(encoding="utf-8"))[0]
    # SHA-256 of samples/roots/example-root-ca-1.pem, as its comment header in clean.txt says.
    assert finding.sha256 == ("D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719")


def test_fixtures_are_reproducible(tmp_path: Path) -> None:
    """make_fixtures.py writes exactly the committed files (so their edits are what line 1 says)."""
    copy = tmp_path / "lint"
    copy.mkdir()
    script = (LINT_DATA / "make_fixtures.py").read_text(encoding="utf-8")
    (copy / "make_fixtures.py").write_text(
        script.replace("PROJECT = HERE.parent.parent.parent", f"PROJECT = Path({str(PROJECT_ROOT)!r})"),
        encoding="utf-8")
    subprocess.run([sys.executable, str(copy / "make_fixtures.py")], check=True, cwd=tmp_path)
    for path in LINT_DATA.glob("*.txt"):
        assert (copy / path.name).read_bytes() == path.read_bytes(), path.name


# -- targeted edits of the clean file ---------------------------------------------------------------

FIRST_CERT_AT = CLEAN.index(f'#\n# Certificate "{ROOT_1}"')
FIRST_TRUST_AT = CLEAN.index(f'# Trust for "{ROOT_1}"')
SECOND_CERT_AT = CLEAN.index(f'#\n# Certificate "{DATED}"')
FIRST_CERT = CLEAN[FIRST_CERT_AT:FIRST_TRUST_AT]
FIRST_TRUST = CLEAN[FIRST_TRUST_AT : SECOND_CERT_AT - 1]  # without the blank line after it
SERVER_COMMENT = "# For Server Distrust After: Sun Jun 30 00:00:00 2024\n"


def in_first_trust(old: str, new: str) -> Callable[[str], str]:
    return lambda text: once(text, FIRST_TRUST, once(FIRST_TRUST, old, new))


def distrusted_first_trust(code_signing: str | None, title: str = "Distrust") -> Callable[[str], str]:
    """The first trust object distrusted for websites and email, its code-signing usage set to
    `code_signing` (None: left out), titled `# TITLE`."""
    trust = FIRST_TRUST.replace("CKT_NSS_TRUSTED_DELEGATOR", "CKT_NSS_NOT_TRUSTED")
    usage = "CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST\n"
    trust = once(trust, usage, "" if code_signing is None else usage.replace("CKT_NSS_MUST_VERIFY_TRUST",
                                                                                 code_signing))
    trust = once(trust, f'# Trust for "{ROOT_1}"', f'# {title} "{ROOT_1}"')
    return lambda text: once(text, FIRST_TRUST, trust)


def in_first_cert(old: str, new: str) -> Callable[[str], str]:
    return lambda text: once(text, FIRST_CERT, once(FIRST_CERT, old, new))


def explicit_distrust_entry(text: str) -> str:
    """A trust-only p,p,p record for serial 0x1003 (no such certificate), as addbuiltin -D writes."""
    block = FIRST_TRUST
    block = re.sub(r"CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n.*?END\nCKA_CERT_MD5_HASH MULTILINE_OCTAL\n.*?END\n",
                   "", block, flags=re.DOTALL)
    block = block.replace("CKT_NSS_TRUSTED_DELEGATOR", "CKT_NSS_NOT_TRUSTED")
    block = block.replace("CKT_NSS_MUST_VERIFY_TRUST", "CKT_NSS_NOT_TRUSTED")
    block = block.replace(f'# Trust for "{ROOT_1}"', '# Distrust "Distrust Example serial 0x1003"')
    block = block.replace(f'"{ROOT_1}"', '"Distrust Example serial 0x1003"')
    block = block.replace("# Serial Number: 4097 (0x1001)", "# Serial Number: 4099 (0x1003)")
    block = block.replace("\\002\\002\\020\\001\n", "\\002\\002\\020\\003\n")
    return text + "\n" + block


# (id, edit of clean.txt, [(code, line-finder)]) - a line finder gets the edited text.
Edit = Callable[[str], str]
LineOf = Callable[[str], int]
VARIANTS: list[tuple[str, Edit, list[tuple[str, LineOf]]]] = [
    ("md5 hash differs",
     in_first_trust("CKA_CERT_MD5_HASH MULTILINE_OCTAL\n\\", "CKA_CERT_MD5_HASH MULTILINE_OCTAL\n\\000\\"),
     [("CD106", lambda t: line_of(t, "CKA_CERT_MD5_HASH"))]),
    ("certificate subject differs from the DER",
     lambda t: first(t, "CKA_SUBJECT MULTILINE_OCTAL\n\\060", "CKA_SUBJECT MULTILINE_OCTAL\n\\061"),
     [("CD107", lambda t: line_of(t, "CKA_SUBJECT"))]),
    ("trust object without hashes but with trust",
     lambda t: first(t, FIRST_TRUST, re.sub(
         r"CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n.*?END\nCKA_CERT_MD5_HASH MULTILINE_OCTAL\n.*?END\n", "",
         FIRST_TRUST, flags=re.DOTALL)),
     [("CD101", lambda t: line_of(t, "CKO_NSS_TRUST"))] * 2),
    ("explicit distrust entry is not an orphan", explicit_distrust_entry, []),
    ("second trust object for one certificate",
     lambda t: t + "\n" + FIRST_TRUST,
     [("CD111", lambda t: line_of(t, "CKO_NSS_TRUST", 3))]),
    ("label with trailing whitespace",
     lambda t: once(t, FIRST_CERT + FIRST_TRUST,
                    (FIRST_CERT + FIRST_TRUST).replace(f'"{ROOT_1}"', f'"{ROOT_1} "')),
     [("CD112", lambda t: line_of(t, f'CKA_LABEL UTF8 "{ROOT_1} "')),
      ("CD112", lambda t: line_of(t, f'CKA_LABEL UTF8 "{ROOT_1} "', 2))]),
    ("label with a control character",
     lambda t: once(t, '"Mozilla Builtin Roots"', '"Mozilla\tBuiltin Roots"'), [("CD112", lambda t: 7)]),
    ("label with a Perl interpolation",
     lambda t: once(t, '"Mozilla Builtin Roots"', '"Mozilla $Builtin Roots"'), [("CD112", lambda t: 7)]),
    ("empty label", lambda t: once(t, '"Mozilla Builtin Roots"', '""'), [("CD112", lambda t: 7)]),
    ("\\x escapes that are not UTF-8",
     lambda t: once(t, '"Mozilla Builtin Roots"', '"Mozilla \\xff Roots"'),
     [("CD112", lambda t: 7), ("CD304", lambda t: 7)]),
    ("distrust date without its comment", lambda t: once(t, SERVER_COMMENT, ""),
     [("CD202", lambda t: line_of(t, "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL"))]),
    ("distrust comment above CK_FALSE",
     in_first_cert("CKA_NSS_SERVER_DISTRUST_AFTER", SERVER_COMMENT + "CKA_NSS_SERVER_DISTRUST_AFTER"),
     [("CD202", lambda t: line_of(t, SERVER_COMMENT))]),
    ("distrust comment for the other purpose",
     lambda t: once(t, SERVER_COMMENT, SERVER_COMMENT.replace("Server", "Email")),
     [("CD202", lambda t: line_of(t, "# For Email Distrust After", 1))]),
    ("only the server distrust-after attribute",
     in_first_cert("CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n", ""), [("CD203", lambda t: 19)]),
    ("distrust-after CK_TRUE",
     in_first_cert("CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE",
                   "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_TRUE"),
     [("CD110", lambda t: line_of(t, "CKA_NSS_SERVER_DISTRUST_AFTER"))]),
    ("distrust-after of 12 bytes",
     lambda t: once(t, "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\060\\132\nEND\n# For Email",
                    "\\062\\064\\060\\066\\063\\060\\060\\060\\060\\060\\060\\132\nEND\n# For Email"),
     [("CD202", lambda t: line_of(t, SERVER_COMMENT)),
      ("CD110", lambda t: line_of(t, "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL"))]),
    ("CKA_TOKEN CK_FALSE", in_first_cert("CKA_TOKEN CK_BBOOL CK_TRUE", "CKA_TOKEN CK_BBOOL CK_FALSE"),
     [("CD102", lambda t: 20)]),
    ("unknown trust value",
     in_first_trust("CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST",
                    "CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_SOMETIMES"),
     [("CD102", lambda t: line_of(t, "CKT_NSS_SOMETIMES"))]),
    ("text after a one-token value",
     in_first_cert("CKA_TOKEN CK_BBOOL CK_TRUE", "CKA_TOKEN CK_BBOOL CK_TRUE CK_FALSE"),
     [("CD102", lambda t: 20)]),
    ("misspelt attribute",
     in_first_cert("CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n",
                   "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n"
                   "CKA_NSS_EMAIL_DISTRUST_AFTR CK_BBOOL CK_FALSE\n"),
     [("CD211", lambda t: line_of(t, "DISTRUST_AFTR"))]),
    ("Distrust title on a trusted root",
     in_first_trust(f'# Trust for "{ROOT_1}"', f'# Distrust "{ROOT_1}"'),
     [("CD201", lambda t: line_of(t, f'# Distrust "{ROOT_1}"'))]),
    ("title names another label",
     in_first_cert(f'# Certificate "{ROOT_1}"', '# Certificate "Example Root CA 2"'),
     [("CD201", lambda t: line_of(t, '# Certificate "Example Root CA 2"'))]),
    ("Subject line missing",
     lambda t: first(t, "# Subject: CN=Example Root CA 1,O=Example Trust Services,C=US\n", ""),
     [("CD201", lambda t: line_of(t, f'# Certificate "{ROOT_1}"'))]),
    ("Trust for Certificate title",
     in_first_trust(f'# Trust for "{ROOT_1}"', f'# Trust for Certificate "{ROOT_1}"'),
     [("CD303", lambda t: line_of(t, "# Trust for Certificate"))]),
    ("no info lines (before November 2013)",
     in_first_cert(FIRST_CERT[FIRST_CERT.index("# Issuer"): FIRST_CERT.index("CKA_CLASS")], ""),
     [("CD303", lambda t: line_of(t, f'# Certificate "{ROOT_1}"'))]),
    ("empty last line", lambda t: t + "\n", [("CD207", lambda t: 218)]),
    ("two empty last lines are one finding", lambda t: t + "\n\n", [("CD207", lambda t: 218)]),
    ("distrust-after on the root list object",
     lambda t: once(t, '"Mozilla Builtin Roots"\n',
                    '"Mozilla Builtin Roots"\nCKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n'),
     [("CD211", lambda t: 8)]),
    # addbuiltin's `# Distrust` test as the editor applies it: TRUST_UNKNOWN and a missing usage carry
    # no flag, like MUST_VERIFY_TRUST (lint once called such an object's title `# Trust for`).
    ("distrust with an unknown usage titled Distrust", distrusted_first_trust("CKT_NSS_TRUST_UNKNOWN"), []),
    ("distrust with an unknown usage titled Trust for",
     distrusted_first_trust("CKT_NSS_TRUST_UNKNOWN", "Trust for"),
     [("CD201", lambda t: line_of(t, f'# Trust for "{ROOT_1}"'))]),
    ("distrust without a code-signing usage titled Distrust", distrusted_first_trust(None),
     [("CD101", lambda t: line_of(t, "CKO_NSS_TRUST"))]),
    ("must-verify trust object without certificate",
     lambda t: once(once(t, FIRST_CERT, ""), FIRST_TRUST,
                    FIRST_TRUST.replace("CKT_NSS_TRUSTED_DELEGATOR", "CKT_NSS_MUST_VERIFY_TRUST")),
     [("CD105", lambda t: line_of(t, "CKO_NSS_TRUST"))]),
]


@pytest.mark.parametrize(("edit", "expected"), [(edit, expected) for _, edit, expected in VARIANTS],
                         ids=[name for name, _, _ in VARIANTS])
def test_targeted_edit(edit: Edit, expected: list[tuple[str, LineOf]]) -> None:
    text = edit(CLEAN)
    assert codes_and_lines(lint_text(text)) == [(code, where(text)) for code, where in expected]


def test_messages_say_why() -> None:
    hashless = VARIANTS[2][1](CLEAN)
    messages = [finding.message for finding in lint_text(hashless)]
    assert messages == [
        "CKO_NSS_TRUST object has no CKA_CERT_SHA1_HASH: NSS accepts a trust object without the "
        "certificate's SHA-1 only when it does nothing but distrust, so this trust is discarded",
        "CKO_NSS_TRUST object has no CKA_CERT_MD5_HASH: addbuiltin writes it on every trust object for "
        "a certificate, and other readers expect it",
    ]


def test_edited_store_is_numbered_as_it_would_be_written() -> None:
    """apply lints its result before writing it: attributes an edit made have no line of their own."""
    store = parse(CLEAN)
    trust = store.objects[2]
    assert trust.object_class == "CKO_NSS_TRUST"
    edited = trust._replace(entries=(*trust.entries,
                                     simple_attribute("CKA_NSS_MOZILLA_CA_POLICY", "CK_BBOOL", "CK_TRUE")))
    store = store._replace(objects=(*store.objects[:2], edited, *store.objects[3:]))
    assert codes_and_lines(lint(store, at=AT)) == [("CD211", EXPECTED["CD211"][0])]


# -- dates ------------------------------------------------------------------------------------------

def test_distrust_after_past_counts_398_days_exactly() -> None:
    limit = datetime(2024, 6, 30, tzinfo=UTC) + timedelta(days=398)  # 2025-08-02
    assert lint_text(CLEAN, at=limit) == ()
    later = lint_text(CLEAN, at=limit + timedelta(seconds=1))
    assert codes_and_lines(later) == [("CD302", line_of(CLEAN, "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE")),
                                      ("CD302", line_of(CLEAN, "CKA_NSS_EMAIL_DISTRUST_AFTER MULTILINE"))]


def test_expiry_is_judged_at_the_given_moment() -> None:
    text = (LINT_DATA / "CD301.txt").read_text(encoding="utf-8")
    assert lint_text(text, at=datetime(2009, 12, 31, tzinfo=UTC)) == ()
    # notAfter of Example Root CA 1 is Sat Dec 31 23:59:59 2044 (its comment header says so).
    expired = lint_text(CLEAN, at=datetime(2045, 1, 1, tzinfo=UTC))
    assert ("CD301", 19) in codes_and_lines(expired)


def test_lint_needs_an_aware_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        lint(parse(CLEAN), at=datetime(2025, 1, 1))  # a naive moment: which zone would it be?


def test_findings_are_sorted_by_line_then_code() -> None:
    text = (LINT_DATA / "CD209.txt").read_bytes().decode("utf-8") + "\r\n"  # CRLF kept
    findings = lint_text(text, at=datetime(2026, 1, 1, tzinfo=UTC))
    assert codes_and_lines(findings) == [("CD209", 1), ("CD302", 175), ("CD302", 179), ("CD207", 218)]


# -- the sample file -------------------------------------------------------------------------------

def test_sample_file_findings() -> None:
    """samples/certdata.txt is clean but for the root it keeps without distrust-after attributes on
    purpose (it mirrors Entrust Root Certification Authority - G4, FORMAT.md §12 Q2)."""
    text = (PROJECT_ROOT / "samples" / "certdata.txt").read_text(encoding="utf-8")
    findings = lint_text(text)
    assert [(f.code, f.line, f.label) for f in findings] == [
        ("CD203", line_of(text, 'CKA_LABEL UTF8 "Example Legacy Root"') - 4, "Example Legacy Root")]


# -- new_findings, for apply -------------------------------------------------------------------------

def test_new_findings_ignores_moved_lines() -> None:
    text = (LINT_DATA / "CD203.txt").read_text(encoding="utf-8")
    before = lint_text(text)
    after = lint_text(once(text, "BEGINDATA\n", "# one\n# two\n# three\nBEGINDATA\n"))
    assert [f.line for f in after] == [f.line + 3 for f in before]
    assert new_findings(before, after) == ()


def test_new_findings_reports_a_new_error() -> None:
    after = lint_text((LINT_DATA / "CD112.txt").read_text(encoding="utf-8"))
    assert new_findings(lint_text(CLEAN), after) == after
    assert new_findings(after, after) == ()


def test_new_findings_blanks_line_numbers_in_messages_and_counts_duplicates() -> None:
    def finding(line: int, message: str, label: str = "A", sha256: str | None = "AA") -> Finding:
        return Finding("CD103", Level.ERROR, line, message, label, sha256)

    before = (finding(10, "CKA_TOKEN appears again (first on line 9)"),)
    moved = (finding(20, "CKA_TOKEN appears again (first on line 19)"),)
    assert new_findings(before, moved) == ()
    twice = (*moved, finding(30, "CKA_TOKEN appears again (first on line 19)"))
    assert new_findings(before, twice) == (twice[1],)
    renamed = (finding(10, "CKA_TOKEN appears again (first on line 9)", label="B"),)
    assert new_findings(before, renamed) == ()  # the same root (SHA-256), renamed
    other_root = (finding(10, "CKA_TOKEN appears again (first on line 9)", sha256="BB"),)
    assert new_findings(before, other_root) == other_root
    unlabelled = (finding(5, "trailing whitespace", label="", sha256=None),)
    assert new_findings(unlabelled, unlabelled) == ()


# -- choosing rules ---------------------------------------------------------------------------------

def test_choose_rules_by_code_prefix_and_name() -> None:
    assert choose_rules() == frozenset(rule.code for rule in RULES)
    assert choose_rules(["CD1"]) == frozenset(rule.code for rule in RULES if rule.level is Level.ERROR)
    assert choose_rules(["cd203", "hash-mismatch"]) == {"CD203", "CD106"}
    assert choose_rules(["CD2"], ["CD208", "crlf"]) == (
        {rule.code for rule in RULES if rule.level is Level.WARNING} - {"CD208", "CD209"})
    assert choose_rules([], ["CD1", "CD2", "CD3"]) == frozenset()


@pytest.mark.parametrize("bad", ["CD999", "CD4", "nonsense", ""])
def test_choose_rules_refuses_unknown_names(bad: str) -> None:
    with pytest.raises(CertdataError, match="unknown lint rule"):
        choose_rules([bad])


def test_filter_findings() -> None:
    findings = lint_text(CLEAN, at=datetime(2026, 1, 1, tzinfo=UTC))
    assert len(findings) == 2
    assert filter_findings(findings, frozenset({"CD302"})) == findings
    assert filter_findings(findings, frozenset({"CD301"})) == ()


# -- output -----------------------------------------------------------------------------------------

def golden_input() -> str:
    """clean.txt with an error (stray quote), a warning with no root (trailing space on line 1),
    info findings (judged at 2026-01-01) and a non-ASCII label."""
    text = once(CLEAN, "# certdata-tool lint fixture: clean: no rule fires\n",
                "# certdata-tool lint fixture: golden \n")
    text = in_first_trust(f'CKA_LABEL UTF8 "{ROOT_1}"', f'CKA_LABEL UTF8 "{ROOT_1}""')(text)
    return text.replace(f'"{DATED}"', '"Example Distrusted After Root Ünïcode"')


def test_text_golden() -> None:
    findings = lint_text(golden_input(), at=datetime(2026, 1, 1, tzinfo=UTC))
    assert_golden("lint.txt", render.render_text(findings, "certdata.txt"))


def test_json_golden() -> None:
    findings = lint_text(golden_input(), at=datetime(2026, 1, 1, tzinfo=UTC))
    output = render.render_json(findings)
    assert_golden("lint.json", output)
    document = json.loads(output)
    assert list(document) == ["schema", "findings"]
    assert document["schema"] == "certdata-tool/lint/1"
    assert [list(item) for item in document["findings"]] == [
        ["code", "level", "line", "message", "label"]] * len(findings)


def test_text_output_keeps_one_line_per_finding_and_colours_only_when_asked() -> None:
    finding = Finding("CD112", Level.ERROR, 7, "the label contains the control character U+000A",
                      "bad\nlabel")
    assert render.render_text([finding], "f.txt") == (
        'f.txt:7: error CD112 "bad\\nlabel": the label contains the control character U+000A\n')
    coloured = render.render_text([finding], "f.txt", colour=True)
    assert "\x1b[1;31merror\x1b[0m" in coloured


def test_summary() -> None:
    assert render.summary((), "f.txt") == "f.txt: no findings"
    findings = lint_text(golden_input(), at=datetime(2026, 1, 1, tzinfo=UTC))
    assert render.summary(findings, "f.txt") == "f.txt: 4 findings (1 error, 1 warning, 2 info)"


# -- command line ------------------------------------------------------------------------------------

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lint", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_cli_clean_file_exits_0() -> None:
    path = str(LINT_DATA / "clean.txt")
    assert run(path, "--at", "2025-01-01") == (0, "", f"{path}: no findings\n")


def test_cli_error_exits_1() -> None:
    path = str(LINT_DATA / "CD112.txt")
    code, out, err = run(path, "--at", "2025-01-01")
    assert code == 1
    assert out == (f'{path}:86: error CD112 "Example Root CA 1": the label has \'"\' after its closing '
                   "quote: certdata.perl drops it, but other readers of certdata.txt take the label to "
                   "the end of the line\n")
    assert err == f"{path}: 1 finding (1 error, 0 warnings, 0 info)\n"


def test_cli_warnings_alone_exit_0() -> None:
    code, out, _ = run(str(LINT_DATA / "CD203.txt"), "--at", "2025-01-01")
    assert code == 0
    assert " warning CD203 " in out


@pytest.mark.parametrize(("options", "exit_code", "codes"), [
    (["--select", "CD2"], 0, []),
    (["--ignore", "CD112"], 0, []),
    (["--select", "CD112,CD203"], 1, ["CD112"]),
    (["--select", "CD203", "--select", "bad-label"], 1, ["CD112"]),
    (["--select", "CD1", "--ignore", "bad-label"], 0, []),
])
def test_cli_select_and_ignore(options: list[str], exit_code: int, codes: list[str]) -> None:
    code, out, _ = run(str(LINT_DATA / "CD112.txt"), "--at", "2025-01-01", *options)
    assert code == exit_code
    assert [line.split()[2] for line in out.splitlines()] == codes


def test_cli_at_defaults_to_now() -> None:
    path = str(LINT_DATA / "CD301.txt")
    assert run(path, "--at", "2009-12-31")[0:2] == (0, "")
    code, out, _ = run(path)  # the root expired in 2010: any clock reading now sees it
    assert code == 0
    assert any(line.startswith(f'{path}:229: info CD301 "Example Expired Root": the certificate expired '
                               "on Fri Jan 01 00:00:00 2010 (checked at ") for line in out.splitlines())


def test_cli_json() -> None:
    code, out, err = run(str(LINT_DATA / "CD112.txt"), "--format", "json", "--at", "2025-01-01T00:00:00Z")
    assert code == 1
    assert json.loads(out) == {"schema": "certdata-tool/lint/1", "findings": [{
        "code": "CD112", "level": "error", "line": 86,
        "message": "the label has '\"' after its closing quote: certdata.perl drops it, but other "
                   "readers of certdata.txt take the label to the end of the line",
        "label": "Example Root CA 1"}]}
    assert err.endswith("1 finding (1 error, 0 warnings, 0 info)\n")


@pytest.mark.parametrize("output_format", list(LintFormat))
def test_cli_every_format(output_format: LintFormat) -> None:
    code, out, _ = run(str(LINT_DATA / "CD203.txt"), "--format", output_format.value, "--at", "2025-01-01")
    assert code == 0
    assert "CD203" in out


def test_cli_reads_standard_input() -> None:
    text = (LINT_DATA / "CD203.txt").read_text(encoding="utf-8")
    code, out, err = run("-", "--at", "2025-01-01", stdin=text)
    assert code == 0
    assert out.startswith("<stdin>:19: warning CD203 ")
    assert err == "<stdin>: 1 finding (0 errors, 1 warning, 0 info)\n"


@pytest.mark.parametrize(("args", "message"), [
    ([str(DATA_DIR / "malformed" / "no-begindata.txt")], "no BEGINDATA line"),
    ([str(LINT_DATA / "clean.txt"), "--select", "CD999"], "unknown lint rule 'CD999'"),
    ([str(LINT_DATA / "clean.txt"), "--at", "soon"], "--at 'soon'"),
    ([str(LINT_DATA / "missing.txt")], "no such file"),
])
def test_cli_trouble_exits_2(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err.startswith("certdata-tool: error: ")
    assert message in err


# -- docs -------------------------------------------------------------------------------------------

def test_docs_list_every_rule_with_its_fixture_example() -> None:
    docs = (PROJECT_ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (CD\d+) (\S+) \((\w+)\)$", docs, re.MULTILINE)
    assert headings == [(rule.code, rule.name, rule.level.value) for rule in RULES]
    for rule in RULES:
        section = docs[docs.index(f"### {rule.code} "):]
        example = section[section.index("```\n") + 4 : section.index("\n```", section.index("```\n"))]
        fixture = (LINT_DATA / f"{rule.code}.txt").read_bytes()
        rendered = render.render_text(lint(parse(fixture), at=AT), "certdata.txt")
        assert example + "\n" == rendered, rule.code


# -- speed ------------------------------------------------------------------------------------------

@pytest.mark.corpus
def test_lint_of_the_real_file_takes_under_a_second_end_to_end() -> None:
    data = corpus_file("certdata-2024-06-13-469e60ef4.txt")
    started = time.perf_counter()
    lint(parse(data), at=AT)
    assert time.perf_counter() - started < 1.0
    path = Path(os.environ.get("CERTDATA_CORPUS", PROJECT_ROOT.parent / "shared" / "nss-certdata"))
    command = [sys.executable, "-m", "certdata_tool", "lint", str(path / "certdata-2024-06-13-469e60ef4.txt"),
               "--at", "2024-07-01"]
    timings = []
    for _ in range(3):  # the best of three: a busy machine should not fail the test
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, check=False)
        timings.append(time.perf_counter() - started)
        assert result.returncode == 0, result.stderr
    assert min(timings) < 1.0, timings


# -- robustness -------------------------------------------------------------------------------------

_OCTAL_AT = [match.start() for match in re.finditer(r"\\[0-3][0-7]{2}", CLEAN)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_OCTAL_AT), st.integers(0, 255)), min_size=1, max_size=4))
def test_lint_never_fails_on_changed_bytes(changes: list[tuple[int, int]]) -> None:
    """Any byte of any value changed (certificate, names, hashes, dates): findings, never an exception."""
    text = list(CLEAN)
    for position, value in changes:
        text[position + 1 : position + 4] = f"{value:03o}"
    findings = lint_text("".join(text))
    assert codes_and_lines(findings) == sorted(codes_and_lines(findings), key=lambda item: (item[1], item[0]))
