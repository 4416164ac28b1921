"""`export --exclude` and `--exclude-file`: every format and profile, Debian's blacklist.txt lines, warnings
that never break a build, and `--explain` naming the entry that excluded a root."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from conftest import TESTS_DIR
from profile_store import certificates
from typer.testing import CliRunner, Result

from certdata_tool.cli import app
from certdata_tool.errors import ExportError
from certdata_tool.exporting import ExportFormat
from certdata_tool.exporting.bundle import ExportOptions, export_bundle
from certdata_tool.exporting.exclusions import match_exclusions, parse_exclusion, read_exclusion_file
from certdata_tool.exporting.profiles import Profile
from certdata_tool.model.roots import read_roots
from certdata_tool.syntax.nssfile import parse

INPUT = TESTS_DIR / "cases" / "export" / "profiles" / "input.certdata.txt"
AT = "2025-01-07"
DER = {root.label + root.key_note: value for root, value in certificates()}
PLAIN = DER["Profile Plain Root"]
MANY = DER["Profile Many Names Root"]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["export", str(INPUT), *args])


def written(out: Path) -> bytes:
    """Every byte the export wrote, with the DER of every PEM block of any kind decoded and added."""
    data = b"".join(p.read_bytes() for p in sorted(out.iterdir())) if out.is_dir() else out.read_bytes()
    blocks = re.findall(rb"-----BEGIN [A-Z ]+-----\n(.*?)-----END", data, re.S)
    return data + b"".join(base64.b64decode(block) for block in blocks)


OUTPUTS = [("--format", f.value) for f in ExportFormat] + [("--profile", p.value) for p in Profile]


@pytest.mark.parametrize(("option", "name"), OUTPUTS)
def test_an_excluded_root_is_left_out_of_every_format(option: str, name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    base = [option, name, "--at", AT, "-o"]
    assert run(*base, str(tmp_path / "all")).exit_code == 0
    assert PLAIN in written(tmp_path / "all")
    # A prefix of 8 hex digits, lower case, with colons.
    prefix = ":".join(f"{byte:02x}" for byte in hashlib.sha256(PLAIN).digest()[:4])
    result = run(*base, str(out), "--exclude", f"sha256={prefix}")
    assert result.exit_code == 0, result.output
    assert PLAIN not in written(out) and MANY in written(out)


def test_label_sha1_and_repeated_exclusions() -> None:
    sha1 = hashlib.sha1(MANY).hexdigest().upper()
    result = run("--profile", "curl", "--at", AT, "-o", "-", "--exclude", "label=Profile Plain Root",
                 "--exclude", f"sha1={sha1}", "--explain")
    assert result.exit_code == 0
    assert "\nProfile Plain Root\n" not in result.stdout
    assert "\nProfile Many Names Root\n" not in result.stdout
    assert ("dropped    Profile Plain Root (line 21): excluded by --exclude label=Profile Plain Root"
            in result.stderr)
    assert f"excluded by --exclude sha1={sha1}" in result.stderr
    assert "(2 excluded)" in result.stderr


def test_exclude_file_with_selectors_and_blacklist_lines(tmp_path: Path) -> None:
    listing = tmp_path / "exclusions.txt"
    listing.write_text("# ours\n"
                       "label=Profile Plain Root\n"
                       "\n"
                       '  "Profile Many Names Root"  # Debian style\n'
                       '"Profile Gone Root"\n', encoding="utf-8")
    result = run("--profile", "certifi", "--at", AT, "-o", "-", "--exclude-file", str(listing), "--explain")
    assert result.exit_code == 0  # an entry that matches nothing never breaks a build
    assert '"Profile Plain Root"' not in result.stdout and '"Profile Many Names Root"' not in result.stdout
    assert f"excluded by {listing}:2 (label=Profile Plain Root)" in result.stderr
    assert f"excluded by {listing}:4 (\"Profile Many Names Root\")" in result.stderr
    assert (f"certdata-tool: warning: {listing}:5: exclusion \"Profile Gone Root\" matches no root "
            "(nothing excluded)") in result.stderr


def test_an_unmatched_option_warns_naming_the_option() -> None:
    result = run("--format", "pem", "-o", "-", "--exclude", "label=No Such Root")
    assert result.exit_code == 0
    assert "certdata-tool: warning: --exclude label=No Such Root: matches no root (nothing excluded)" \
        in result.stderr


def test_the_library_speaks_of_the_entry_not_of_an_option() -> None:
    """Below the CLI messages name the data; the command line adds its option (the test above)."""
    options = ExportOptions.from_words(exclude=["label=No Such Root", "label=Profile Plain Root"])
    result = export_bundle(INPUT.read_bytes(), options, "0")
    assert result.warnings() == ("exclusion label=No Such Root: matches no root (nothing excluded)",)
    assert "excluded by exclusion label=Profile Plain Root" in result.explanation()
    assert "--exclude" not in result.explanation()


def test_excluding_a_distrusted_root_removes_its_distrust_statement_too() -> None:
    before = run("--format", "openssl", "-o", "-")
    after = run("--format", "openssl", "-o", "-", "--exclude", "label=Explicitly Distrust Profile Root",
                "--exclude", "label=Profile Distrust Entry")
    assert "Explicitly Distrust Profile Root" in before.stdout
    assert after.exit_code == 0 and "Explicitly Distrust Profile Root" not in after.stdout
    assert "matches no root" not in after.stderr  # a distrust entry is matched by its label


@pytest.mark.parametrize(("entry", "message"), [
    ("sha256=E20B47", "sha256 needs 8 to 64 hex digits"),
    ("sha1=not hex at all", "sha1 needs 8 to 40 hex digits"),
    ("Profile Plain Root", "expected label=NAME, sha256=HEX, sha1=HEX or a label in double quotes"),
    ("label=", "the label is empty"),
])
def test_a_malformed_entry_is_an_error_naming_its_line(entry: str, message: str, tmp_path: Path) -> None:
    listing = tmp_path / "bad.txt"
    listing.write_text(f"# fine\n{entry}\n", encoding="utf-8")
    out = tmp_path / "out.pem"
    result = run("-o", str(out), "--exclude-file", str(listing))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"certdata-tool: error: {listing}:2: bad exclusion")
    assert message in result.stderr
    assert not out.exists()
    option = run("-o", str(out), "--exclude", entry)
    assert option.exit_code == 2 and message in option.stderr


def test_reading_a_file_as_debian_reads_blacklist_txt() -> None:
    entries = read_exclusion_file('\n  # c\n\t"A B"\t# why\nsha1=AA:BB:CC:DD\n"X#Y"\n', "b.txt")
    assert [(e.key, e.value, e.line) for e in entries[:2]] == [("quoted", '"A B"', 3),
                                                               ("sha1", "AABBCCDD", 4)]
    assert entries[0].matches("A B", None, None) and not entries[0].matches("a b", None, None)
    # The text before any `#` is the entry, even inside quotes (as Debian's script cuts it): it can
    # match no label, which is a warning, not an error.
    assert entries[2].text == '"X' and not entries[2].matches('X#Y', None, None)


def test_an_ambiguous_prefix_is_an_error() -> None:
    roots = read_roots(parse(INPUT.read_bytes())).roots
    twins = (roots[0]._replace(sha256="ABCDEF01" + "0" * 56),
             roots[1]._replace(sha256="ABCDEF01" + "1" * 56))
    with pytest.raises(ExportError, match="ambiguous prefix"):
        match_exclusions([parse_exclusion("sha256=abcdef01")], twins)
    longer = parse_exclusion("sha256=abcdef010")
    assert match_exclusions([longer], twins).by_line == {twins[0].line: longer}


def test_a_typo_in_an_exclusion_names_the_nearest_labels(tmp_path: Path) -> None:
    listing = tmp_path / "blacklist.txt"
    listing.write_text('"Profile Plain Rot"\n', encoding="utf-8")
    result = run("--format", "pem", "-o", "-", "--exclude", "label=Profile Plian Root", "--exclude-file",
                 str(listing))
    assert result.exit_code == 0  # still a warning: an unmatched entry never breaks a build
    warnings = [line for line in result.stderr.splitlines() if line.startswith("certdata-tool: warning:")]
    assert warnings == [
        "certdata-tool: warning: --exclude label=Profile Plian Root: matches no root (nothing excluded) "
        '(did you mean "Profile Plain Root"?)',
        f'certdata-tool: warning: {listing}:1: exclusion "Profile Plain Rot" matches no root (nothing '
        'excluded) (did you mean "Profile Plain Root"?)',
    ]
    # A fingerprint has no near label to suggest.
    sha256 = run("--format", "pem", "-o", "-", "--exclude", "sha256=00000000")
    assert "matches no root (nothing excluded)\n" in sha256.stderr
