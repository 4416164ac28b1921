"""Corpus replay: `apply` of the spec `diff --format spec` derives reproduces NSS's commits byte for byte."""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import TESTS_DIR, corpus_pairs, corpus_revisions, require_corpus

from certdata_tool.applying.editor import apply
from certdata_tool.diff import Diff, compare
from certdata_tool.model.roots import read_roots
from certdata_tool.render.spec import render_spec
from certdata_tool.spec.load import load_spec
from certdata_tool.syntax.nssfile import CertdataFile, dump, parse

pytestmark = pytest.mark.corpus

HAND_WRITTEN = TESTS_DIR / "data" / "specs" / "nss"

# NSS commits whose file differs from the replay only by an incidental edit NSS made beside the
# change (FORMAT.md §10 and §12). Each names the one line that differs and why.
QUIRKS = {
    "290842f91": (
        "blank",
        "the removal of 9 roots left a second empty line before "
        "'Microsec e-Szigno Root CA 2009' (FORMAT.md §10, Q4)",
    ),
    "79ef8de78": (
        "blank",
        "setting the TrustCor distrust-after dates added a second empty line before "
        "'# Trust for \"TrustCor RootCert CA-2\"' (FORMAT.md §10, Q4)",
    ),
    "946f60002": (
        "comment",
        "the Trustis FPS Root CA date was written without its "
        "'# For Server Distrust After:' comment (FORMAT.md §12, Q3)",
    ),
    "884de6f5e": (
        "blank",
        "besides the removals, NSS deleted a stray second empty line before line 12374 (FORMAT.md §12, Q5)",
    ),
}
# Commits that remove roots and also explicit distrust entries (trust objects without a
# certificate), which a spec cannot select: the roots are replayed with a spec, the entries are
# dropped by the test, and the result must be NSS's file.
WITH_DISTRUST_ENTRIES = {"884de6f5e", "aa3f76bb8", "79991641d"}


@dataclass(frozen=True)
class Commit:
    short: str
    subject: str
    parent: str
    name: str


@cache
def commits() -> tuple[Commit, ...]:
    """Consecutive revisions in history order (index.tsv), which is not file-name order."""
    folder = require_corpus()
    with (folder / "index.tsv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    return tuple(
        Commit(row["short"], row["subject"], row["parent_file"], f"{row['date']}_{row['short']}.txt")
        for row in rows
        if row["parent_file"]
    )


@cache
def stores() -> dict[str, CertdataFile]:
    return {name: parse(data, source=name) for name, data in corpus_revisions()}


def differences(ours: str, theirs: str) -> list[tuple[str, list[str], list[str]]]:
    """The edits that turn our text into NSS's: (kind, our lines, NSS's lines)."""
    ours_lines, their_lines = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, ours_lines, their_lines, autojunk=False)
    return [
        (tag, ours_lines[a:b], their_lines[c:d])
        for tag, a, b, c, d in matcher.get_opcodes()
        if tag != "equal"
    ]


def assert_only_the_quirk(short: str, ours: str, theirs: str) -> None:
    kind, reason = QUIRKS[short]
    found = differences(ours, theirs)
    assert len(found) == 1, f"{short} ({reason}): more than the quirk differs: {found[:3]}"
    tag, our_lines, their_lines = found[0]
    if kind == "blank":
        assert (tag, our_lines + their_lines) in (("insert", ["\n"]), ("delete", ["\n"])), (short, found)
    else:
        assert tag == "delete" and len(our_lines) == 1 and not their_lines, (short, found)
        assert our_lines[0].startswith("# For Server Distrust After: "), (short, found)


def replayable(diff: Diff) -> bool:
    """A commit that changes distrust-after dates, trust values or labels, or removes roots, and adds none."""
    return not diff.added and bool(diff.removed or any(change.changes for change in diff.modified))


def without_distrust_entries(store: CertdataFile, diff: Diff) -> CertdataFile:
    gone = {(entry.issuer, entry.serial, entry.sha1) for entry in diff.distrust_entries_removed}
    doomed = {
        entry.trust_index
        for entry in read_roots(store).distrust_entries
        if (entry.issuer, entry.serial, entry.sha1) in gone
    }
    return store._replace(
        objects=tuple(obj for index, obj in enumerate(store.objects) if index not in doomed)
    )


def removal_spec(diff: Diff) -> str:
    return "version: 1\nchanges:\n" + "".join(
        f'  - select: {{sha256: "{root.sha256}"}}\n    remove: true\n' for root in diff.removed
    )


def test_replay_every_commit_a_spec_can_express() -> None:
    revisions = stores()
    exact: list[str] = []
    quirks: list[str] = []
    entries: list[str] = []
    skipped: dict[str, list[str]] = {"adds roots": [], "no root changes": []}
    for commit in commits():
        old, new = revisions[commit.parent], revisions[commit.name]
        theirs = dump(new)
        diff = compare(old, new)
        if diff.distrust_entries_added or diff.distrust_entries_removed:
            if not replayable(diff):
                skipped["no root changes"].append(commit.short)
                continue
            spec = load_spec(removal_spec(diff), source=f"{commit.short}.yaml")
            ours = dump(without_distrust_entries(apply(old, spec), diff))
            entries.append(commit.short)
        elif diff.added:
            skipped["adds roots"].append(commit.short)
            continue
        elif not replayable(diff):
            skipped["no root changes"].append(commit.short)
            continue
        else:
            spec = load_spec(render_spec(diff, old, new), source=f"{commit.short}.yaml")
            ours = dump(apply(old, spec))
            if commit.short not in QUIRKS:
                # The spec is already applied to NSS's file: applying it there changes nothing.
                assert dump(apply(new, spec)) == theirs, commit.short
        if commit.short in QUIRKS:
            assert_only_the_quirk(commit.short, ours, theirs)
            quirks.append(commit.short)
        else:
            assert ours == theirs, f"{commit.short} {commit.subject}: replay differs"
            exact.append(commit.short)
    print(
        f"\nreplayed {len(exact)} commits byte for byte, {len(quirks)} up to a named quirk "
        f"({', '.join(quirks)}); distrust-entry commits: {', '.join(entries)}"
    )
    assert sorted(quirks) == sorted(QUIRKS)
    assert set(entries) == WITH_DISTRUST_ENTRIES
    assert len(exact) == 55  # distrust-after dates, trust values, CA-policy marks and removals
    assert len(exact) + len(quirks) + len(skipped["adds roots"]) + len(skipped["no root changes"]) == len(
        commits()
    )
    # The reference case is among them.
    assert "469e60ef4" in exact


def test_derived_spec_for_the_reference_commit() -> None:
    revisions = stores()
    old, new = revisions["2024-05-30_bb4242fc1.txt"], revisions["2024-06-13_469e60ef4.txt"]
    text = render_spec(compare(old, new), old, new)
    assert text == (
        "# Change spec written by `certdata-tool diff --format spec`:\n"
        "# `certdata-tool apply OLD THIS-FILE` turns the old certdata.txt into the new one.\n"
        "version: 1\n"
        "changes:\n"
        "  # GLOBALTRUST 2020\n"
        '  - select: {sha256: "9A296A5182D1D451A2E37F439B74DAAFA267523329F90F9A0D2007C334E23C9A"}\n'
        "    distrust_after:\n"
        "      server: 2024-06-30T00:00:00Z\n"
        "      email: 2024-06-30T00:00:00Z\n"
    )


@pytest.mark.parametrize("path", sorted(HAND_WRITTEN.glob("*.yaml")), ids=lambda path: path.stem)
def test_hand_written_specs_for_nss_commits(path: Path) -> None:
    """Specs a maintainer would write from the bug (labels, not fingerprints) give NSS's commit."""
    short = path.stem.split("-")[0]
    commit = next(commit for commit in commits() if commit.short == short)
    revisions = stores()
    spec = load_spec(path.read_text(encoding="utf-8"), source=path.name)
    ours = dump(apply(revisions[commit.parent], spec))
    assert ours == dump(revisions[commit.name])
    assert dump(apply(parse(ours), spec)) == ours


# Commits since June 2020 that add roots and whose file differs from the replay by one incidental
# edit NSS made beside the additions (FORMAT.md §11-§12).
ADD_QUIRKS = {
    "641e7cc85": "the header's first line lost its trailing space ('# ' became '#', FORMAT.md §12 Q9)",
    "037bef7bd": "NSS left the file without a final newline (FORMAT.md §12 Q8)",
}
# The 2021-12-13 batch: each root landed before the one added just before it (FORMAT.md §4).
PLACED_AFTER = {"05bfbc37c", "ab53cb7fa", "e16d50751", "8e4935504"}
ADDITIONS_SINCE = "2020-06"  # since then every added root is exactly as addbuiltin prints it


def test_replay_every_commit_that_adds_roots_since_june_2020() -> None:
    """`diff --format spec` → load_spec → apply gives NSS's commit, added roots (inline PEM) included."""
    exact: list[str] = []
    quirks: list[str] = []
    placed: set[str] = set()
    added = 0
    for parent_name, parent_bytes, name, data in corpus_pairs():
        if name < ADDITIONS_SINCE:
            continue
        old, new = parse(parent_bytes, source=parent_name), parse(data, source=name)
        diff = compare(old, new)
        if not diff.added:
            continue
        short = name.removesuffix(".txt").split("_")[1]
        text = render_spec(diff, old, new)
        assert text.count("  - add:\n") == len(diff.added), short
        if "      after: {sha256: " in text:
            placed.add(short)
        spec = load_spec(text, source=f"{short}.yaml")
        ours, theirs = dump(apply(old, spec)), dump(new)
        added += len(diff.added)
        # NSS's own file already has everything: applying the spec there changes nothing.
        assert apply(new, spec) is new, short
        if short == "641e7cc85":
            assert differences(ours, theirs) == [("replace", ["# \n"], ["#\n"])], short
            assert ours.startswith("# \n") and ours[3:] == theirs[2:]
            quirks.append(short)
        elif short == "037bef7bd":
            assert ours == theirs + "\n", short
            quirks.append(short)
        else:
            assert ours == theirs, f"{short}: replay differs: {differences(ours, theirs)[:2]}"
            exact.append(short)
    print(
        f"\nreplayed {len(exact) + len(quirks)} commits adding {added} roots since {ADDITIONS_SINCE}: "
        f"{len(exact)} byte for byte, {len(quirks)} up to a named quirk ({', '.join(quirks)})"
    )
    assert sorted(quirks) == sorted(ADD_QUIRKS)
    assert placed == PLACED_AFTER
    assert (len(exact), added) == (41, 75)
