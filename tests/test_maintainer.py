"""The maintainer's workflow end to end: list selectors on a real NSS commit, removals that cannot miss."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TESTS_DIR, corpus_revisions
from typer.testing import CliRunner, Result

from certdata_tool.applying.editor import apply
from certdata_tool.cli import app
from certdata_tool.spec.load import ModifyChange, load_spec
from certdata_tool.syntax.nssfile import dump, parse

SAMPLE = PROJECT_ROOT / "samples" / "certdata.txt"
SYMANTEC_SPEC = TESTS_DIR / "data" / "specs" / "nss" / "9a29c1a53-symantec.yaml"
LEGACY_SHA256 = "57BDE4FCA146E15A4DFC505B3D6AD0ECC08790B8CA541DE2BA13EC4E1674FF91"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def revision(short: str) -> bytes:
    (data,) = [data for name, data in corpus_revisions() if name.endswith(f"_{short}.txt")]
    return data


@pytest.mark.corpus
def test_symantec_distrust_dates_replay_with_list_selectors(tmp_path: Path) -> None:
    """NSS 9a29c1a53 set server distrust-after dates on twelve Symantec roots, four dates in all:
    one change per date, each with a list of selectors, gives NSS's file byte for byte."""
    spec = load_spec(SYMANTEC_SPEC.read_text(encoding="utf-8"), source=SYMANTEC_SPEC.name)
    changes = [change for change in spec.changes if isinstance(change, ModifyChange)]
    assert len(changes) == len(spec.changes) == 4
    assert sum(len(change.selectors) for change in changes) == 12
    dates = {tuple((change.distrust_after or {}).values()) for change in changes}
    assert len(dates) == 4  # four dates: at least four changes are needed
    old, new = revision("817872bc7"), revision("9a29c1a53")
    ours = dump(apply(parse(old), spec))
    assert ours.encode("utf-8") == new
    # Through the command line, and again: already applied.
    before = tmp_path / "certdata.txt"
    before.write_bytes(old)
    assert run("apply", str(before), str(SYMANTEC_SPEC), "--in-place", "--report", "none").exit_code == 0
    assert before.read_bytes() == new
    assert run("apply", str(before), str(SYMANTEC_SPEC), "--check").exit_code == 0


def test_a_typo_in_a_removal_by_label_exits_2_naming_the_nearest_label(tmp_path: Path) -> None:
    spec = tmp_path / "remove.yaml"
    spec.write_text('version: 1\nchanges:\n  - select: {label: "Example Legacy Rot"}\n    remove: true\n',
                    encoding="utf-8")
    out = tmp_path / "out.txt"
    for args in (("--check",), ("-o", str(out))):
        result = run("apply", str(SAMPLE), str(spec), *args)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f'certdata-tool: error: {spec}:3: changes[0].select: no root matches label=Example Legacy Rot '
            '(did you mean "Example Legacy Root"?)',
            "hint: a removal by label must name a root; select it by sha256 as well, so that re-running "
            "the spec after the removal is safe",
        ]
        assert not out.exists()


def test_a_removal_by_sha256_applied_again_changes_nothing_and_says_so(tmp_path: Path) -> None:
    spec = tmp_path / "remove.yaml"
    spec.write_text(f'version: 1\nchanges:\n  - select: {{sha256: "{LEGACY_SHA256[:12]}"}}\n'
                    "    remove: true\n", encoding="utf-8")
    certdata = tmp_path / "certdata.txt"
    certdata.write_bytes(SAMPLE.read_bytes())
    first = run("apply", str(certdata), str(spec), "--in-place", "--report", "none")
    assert first.exit_code == 0, first.stderr
    removed = certdata.read_bytes()
    assert b"Example Legacy Root" not in removed and removed != SAMPLE.read_bytes()
    again = run("apply", str(certdata), str(spec), "--in-place")
    assert again.exit_code == 0, again.stderr
    assert certdata.read_bytes() == removed
    assert again.stdout.endswith(
        f"no differences\nAlready applied: {spec}:3: changes[0].select: no root has "
        f"sha256={LEGACY_SHA256[:12]} (removed before); nothing to remove\n")
    check = run("apply", str(certdata), str(spec), "--check")
    assert check.exit_code == 0


LEGACY_SHA1 = "B195D7AAB9BC13F35CBCFBE0FDDA9BAD802BFCA9"
ROOT_CA_1_SHA256 = "D573141C6B82C96DF32B8AF05E5730296A234C06A4EC58D34A578D68795BE719"


@pytest.mark.parametrize(("selector", "says"), [
    # The label has a typo, the fingerprint is right: the root is there, so nothing was removed before.
    (f'{{label: "Example Legacy Rot", sha256: "{LEGACY_SHA256[:8]}"}}',
     'did you mean "Example Legacy Root"?'),
    # The label is right, one digit of the fingerprint is wrong.
    (f'{{label: "Example Legacy Root", sha256: "{LEGACY_SHA256[:7]}D"}}',
     f'the root labelled "Example Legacy Root" has SHA-256 {LEGACY_SHA256}'),
    # Two fingerprints of two roots that are both in the file.
    (f'{{sha1: "{LEGACY_SHA1[:8]}", sha256: "{ROOT_CA_1_SHA256[:8]}"}}',
     f"no root matches sha256={ROOT_CA_1_SHA256[:8]}, sha1={LEGACY_SHA1[:8]}"),
])
def test_a_removal_is_already_applied_only_when_nothing_it_names_is_left(tmp_path: Path, selector: str,
                                                                         says: str) -> None:
    """Any part of the selector that still names a root of the file makes a miss an error: a typo
    elsewhere in it must not pass for a removal made before, leaving the root trusted."""
    spec = tmp_path / "remove.yaml"
    spec.write_text(f"version: 1\nchanges:\n  - select: {selector}\n    remove: true\n", encoding="utf-8")
    for args in (("--check",), ("-o", str(tmp_path / "out.txt"))):
        result = run("apply", str(SAMPLE), str(spec), *args)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"certdata-tool: error: {spec}:3: changes[0].select: no root matches")
        assert says in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_a_removal_by_label_and_sha256_applied_again_is_already_applied(tmp_path: Path) -> None:
    spec = tmp_path / "remove.yaml"
    spec.write_text(f'version: 1\nchanges:\n  - select: {{label: "Example Legacy Root", sha256: '
                    f'"{LEGACY_SHA256}"}}\n    remove: true\n', encoding="utf-8")
    certdata = tmp_path / "certdata.txt"
    certdata.write_bytes(SAMPLE.read_bytes())
    assert run("apply", str(certdata), str(spec), "--in-place", "--report", "none").exit_code == 0
    removed = certdata.read_bytes()
    again = run("apply", str(certdata), str(spec), "--in-place")
    assert again.exit_code == 0, again.stderr
    assert certdata.read_bytes() == removed
    assert "(removed before); nothing to remove" in again.stdout
