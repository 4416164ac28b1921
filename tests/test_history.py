"""`history` on git repositories built here: one entry per commit, nssckbi.h's version, releases."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from certdata_factory import MUST_VERIFY, FakeRoot, certdata_text, certificate
from conftest import TESTS_DIR, assert_golden, corpus_revisions
from typer.testing import CliRunner

from certdata_tool.changelog import Blob, Commit, Reason, Revision, changelog, history
from certdata_tool.changelog.releases import group_by_release, release_number
from certdata_tool.changelog.revisions import RevisionReader
from certdata_tool.cli import app
from certdata_tool.cli.git import BlobStream, Git, commit_revisions, read_history
from certdata_tool.exporting.policy import Purpose
from certdata_tool.syntax.nssfile import parse

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CASES = TESTS_DIR / "cases" / "changelog"
PATH = "lib/ckfw/builtins/certdata.txt"
runner = CliRunner()

ALPHA = FakeRoot("Alpha Root", certificate("Alpha Root"))
BRAVO = FakeRoot("Bravo Root", certificate("Bravo Root"))
CHARLIE = FakeRoot("Charlie Root", certificate("Charlie Root"))


def nssckbi(version: str) -> str:
    major, minor = version.split(".")
    return (f"#define NSS_BUILTINS_LIBRARY_VERSION_MAJOR {major}\n"
            f"#define NSS_BUILTINS_LIBRARY_VERSION_MINOR {minor}\n"
            f'#define NSS_BUILTINS_LIBRARY_VERSION "{version}"\n')


@dataclass
class Repo:
    """A git repository written commit by commit, with fixed names and dates (so fixed hashes)."""

    path: Path
    clock: int = 0

    def git(self, *args: str) -> str:
        self.clock += 1
        moment = f"{1_704_024_000 + self.clock * 86_400} +0000"  # day `clock` of 2024, noon UTC
        env = {**os.environ, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment,
               "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.path)}
        done = subprocess.run(["git", "-C", str(self.path), "-c", "user.name=Test", "-c",
                               "user.email=test@example.org", "-c", "commit.gpgsign=false",
                               "-c", "init.defaultBranch=main", *args],
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
        return done.stdout

    def write(self, name: str, text: str) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, subject: str, **files: str) -> str:
        for name, text in files.items():
            self.write(name.replace("__", "/"), text)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", subject)
        return self.git("rev-parse", "HEAD").strip()


CERTDATA = "lib__ckfw__builtins__certdata.txt"
NSSCKBI = "lib__ckfw__builtins__nssckbi.h"


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Repo, dict[str, str]]:
    """Eight commits, five of which change certdata.txt; two release tags."""
    repo = Repo(tmp_path / "nss")
    repo.path.mkdir()
    repo.git("init", "-q")
    c: dict[str, str] = {}
    c["first"] = repo.commit("Bug 1 - first roots", **{CERTDATA: certdata_text([ALPHA, BRAVO]),
                                                        NSSCKBI: nssckbi("2.60")})
    c["readme"] = repo.commit("Bug 2 - a README", README="not certdata\n")
    c["charlie"] = repo.commit("Bug 3 - add Charlie", **{CERTDATA: certdata_text([ALPHA, BRAVO, CHARLIE])})
    c["bump"] = repo.commit("Bug 3 - bump the version", **{NSSCKBI: nssckbi("2.62")})
    repo.git("tag", "NSS_3_90_RTM")
    c["remove"] = repo.commit("Bug 4 - remove Bravo, Alpha loses websites", **{
        CERTDATA: certdata_text([replace(ALPHA, server_auth=MUST_VERIFY), CHARLIE]),
        NSSCKBI: nssckbi("2.64")})
    c["rename"] = repo.commit("Bug 5 - rename Charlie", **{CERTDATA: certdata_text(
        [replace(ALPHA, server_auth=MUST_VERIFY), replace(CHARLIE, label="Charlie Root 2024")])})
    repo.git("tag", "-a", "-m", "3.91", "NSS_3_91_RTM")
    repo.git("tag", "NSS_3_91_BETA1")  # not a release tag
    c["dated"] = repo.commit("Bug 6 - distrust Charlie after June", **{CERTDATA: certdata_text(
        [replace(ALPHA, server_auth=MUST_VERIFY),
         replace(CHARLIE, label="Charlie Root 2024",
                 server_distrust_after=datetime(2024, 6, 30, tzinfo=UTC))])})
    c["unrelated"] = repo.commit("Bug 7 - unrelated", README="still not certdata\n")
    return repo, c


def run_history(repo: Repo, *arguments: str) -> dict[str, Any]:
    result = runner.invoke(app, ["history", str(repo.path), *arguments, "--format", "json"])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def entries(document: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = document["entries"]
    return found


def test_one_entry_per_commit_that_changed_the_file(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, c = repo
    document = run_history(git_repo)
    assert document["schema"] == "certdata-tool/history/1"
    assert document["path"] == PATH
    listed = [entry["commit"] for entry in entries(document)]
    # What git itself says, independently of the tool.
    assert listed == git_repo.git("log", "--format=%H", "--", PATH).split()
    assert listed == [c["dated"], c["rename"], c["remove"], c["charlie"], c["first"]]
    assert list(entries(document)[0]) == ["commit", "date", "subject", "nss_version", "added", "removed",
                                          "distrust_after", "renamed"]


def test_nss_version_at_each_commit(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, _ = repo
    versions = [(entry["subject"], entry["nss_version"]) for entry in entries(run_history(git_repo))]
    assert versions == [("Bug 6 - distrust Charlie after June", "2.64"), ("Bug 5 - rename Charlie", "2.64"),
                        ("Bug 4 - remove Bravo, Alpha loses websites", "2.64"),
                        ("Bug 3 - add Charlie", "2.60"),  # bumped in the next commit
                        ("Bug 1 - first roots", "2.60")]


def test_the_changelog_of_each_commit(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, c = repo
    dated, renamed, removed, charlie, first = entries(run_history(git_repo))
    assert dated["distrust_after"] == [{"label": "Charlie Root 2024", "sha256": _sha256(CHARLIE),
                                        "purpose": "server", "old": None, "new": "2024-06-30T00:00:00Z"}]
    assert renamed["renamed"] == [{"sha256": _sha256(CHARLIE), "old": "Charlie Root",
                                   "new": "Charlie Root 2024"}]
    assert removed["removed"] == [
        {"label": "Alpha Root", "sha256": _sha256(ALPHA), "reason": "trust revoked"},
        {"label": "Bravo Root", "sha256": _sha256(BRAVO), "reason": "root removed"}]
    assert charlie["added"] == [{"label": "Charlie Root", "sha256": _sha256(CHARLIE), "reason": "new root"}]
    # The file's first commit: no parent revision, so every root is new.
    assert [item["label"] for item in first["added"]] == ["Alpha Root", "Bravo Root"]
    assert first["date"] == "2024-01-03T12:00:00Z"
    assert git_repo.git("log", "-1", "--format=%cI", c["first"]).strip() == "2024-01-03T12:00:00+00:00"


def test_releases_group_commits_by_the_first_release_tag(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, c = repo
    document = run_history(git_repo, "--releases")
    found = [(e["release"], e["commit"], e["nss_version"], e["commits"]) for e in entries(document)]
    tag_91 = git_repo.git("rev-parse", "NSS_3_91_RTM^{commit}").strip()
    tag_90 = git_repo.git("rev-parse", "NSS_3_90_RTM").strip()
    assert tag_91 == c["rename"] and tag_90 == c["bump"]
    assert found == [
        (None, c["dated"], "2.64", [c["dated"]]),
        ("NSS_3_91_RTM", tag_91, "2.64", [c["rename"], c["remove"]]),
        ("NSS_3_90_RTM", tag_90, "2.62", [c["charlie"], c["first"]]),  # the version at the tag
    ]
    release_91 = entries(document)[1]
    # From the file before the release's oldest commit to the file at the tag.
    assert [item["label"] for item in release_91["removed"]] == ["Alpha Root", "Bravo Root"]
    assert release_91["renamed"] == [{"sha256": _sha256(CHARLIE), "old": "Charlie Root",
                                      "new": "Charlie Root 2024"}]
    assert list(release_91) == ["release", "commit", "date", "subject", "nss_version", "commits", "added",
                                "removed", "distrust_after", "renamed"]


def test_revision_range_and_a_bare_repository(repo: tuple[Repo, dict[str, str]], tmp_path: Path) -> None:
    git_repo, c = repo
    document = run_history(git_repo, "NSS_3_90_RTM..HEAD")
    assert [e["commit"] for e in entries(document)] == [c["dated"], c["rename"], c["remove"]]
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(git_repo.path), str(bare)], check=True)
    assert run_history(Repo(bare)) == run_history(git_repo)


def test_a_moved_file_is_not_followed(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, _ = repo
    git_repo.git("mv", "lib", "nss-lib")
    moved = git_repo.commit("Bug 8 - move the tree")
    new_path = "nss-lib/ckfw/builtins/certdata.txt"
    document = run_history(git_repo, "--path", new_path)
    listed = entries(document)
    assert [e["commit"] for e in listed] == [moved]
    assert document["path"] == new_path
    assert listed[0]["nss_version"] == "2.64"  # nssckbi.h beside the file
    assert [item["reason"] for item in listed[0]["added"]] == ["new root"]
    old = entries(run_history(git_repo))
    assert old[0]["commit"] == moved and old[0]["added"] == [] and len(old) == 6
    assert {item["reason"] for item in old[0]["removed"]} == {"root removed"}


def test_text_and_markdown_views(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, _ = repo
    for view, suffix in (("text", "txt"), ("markdown", "md")):
        for extra in ([], ["--releases"]):
            result = runner.invoke(app, ["history", str(git_repo.path), "--format", view, *extra])
            assert result.exit_code == 0, result.output
            assert result.stderr == ""  # no progress bar off a terminal
            name = f"history{'-releases' if extra else ''}.{suffix}"
            assert_golden(CASES / "history" / name, result.stdout)


def test_purposes(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, _ = repo
    email = entries(run_history(git_repo, "--purpose", "email"))
    assert all(not e["added"] and not e["removed"] for e in email)  # the roots are websites roots


@pytest.mark.parametrize(("arguments", "message"), [
    (["{repo}/README"], "git rev-parse"),
    (["{tmp}"], "not a git repository"),
    (["{repo}", "no-such-revision"], "git log"),
    (["{repo}", "--", "--output={tmp}/written"], "git log"),  # a revision, never an option of git's
])
def test_trouble_is_one_line(repo: tuple[Repo, dict[str, str]], tmp_path: Path, arguments: list[str],
                             message: str) -> None:
    git_repo, _ = repo
    outside = tmp_path / "outside"
    outside.mkdir()
    filled = [a.format(repo=git_repo.path, tmp=outside) for a in arguments]
    result = runner.invoke(app, ["history", *filled])
    assert result.exit_code == 2
    assert result.stderr.startswith("certdata-tool: error: ")
    assert message in result.stderr.lower()
    assert "Traceback" not in result.output
    assert not (outside / "written").exists()


def test_each_blob_is_read_once(repo: tuple[Repo, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo, _ = repo
    names: list[str] = []
    original = BlobStream.read_all

    def counting(self: BlobStream, asked: Sequence[str]) -> Iterator[tuple[str, bytes] | None]:
        names.extend(asked)
        return original(self, asked)

    monkeypatch.setattr(BlobStream, "read_all", counting)
    result = read_history(str(git_repo.path), "HEAD", PATH, [Purpose.SERVER])
    blobs = [name for name in names if ":" not in name]
    assert len(blobs) == len(set(blobs)) == 5  # five versions of the file
    assert len(names) - len(blobs) == len(result.entries) == 5  # and nssckbi.h per commit


def _sha256(fake: FakeRoot) -> str:
    import hashlib

    return hashlib.sha256(fake.der).hexdigest().upper()


# -- the pure part: revisions in, notes out ---------------------------------------------------

def _revisions(texts: list[str]) -> Iterator[Revision]:
    """Newest first, each text's parent the one after it, blobs sent once."""
    sent: set[str] = set()

    def blob(index: int) -> Blob | None:
        if index >= len(texts):
            return None
        oid = f"{index:040x}"
        if oid in sent:
            return Blob(oid, None)
        sent.add(oid)
        return Blob(oid, texts[index].encode("utf-8"))

    for index in range(len(texts)):
        yield Revision(Commit(f"c{index}", datetime(2024, 1, 1, tzinfo=UTC), f"commit {index}"),
                       blob(index), blob(index + 1), nssckbi("2.70").encode())


def test_history_matches_changelog_of_each_pair() -> None:
    texts = [certdata_text(items) for items in (
        [replace(ALPHA, server_auth=MUST_VERIFY), CHARLIE], [ALPHA, BRAVO, CHARLIE], [BRAVO, ALPHA], [ALPHA])]
    result = history(_revisions(texts))
    assert [e.nss_version for e in result.entries] == ["2.70"] * 4
    for index, entry in enumerate(result.entries):
        old = parse(texts[index + 1]) if index + 1 < len(texts) else parse(certdata_text([]))
        assert entry.changelog == changelog(old, parse(texts[index]))
    assert result.entries[0].changelog.removed[0].reason is Reason.TRUST_REVOKED


def test_the_reader_parses_only_new_objects_and_keeps_one_revision() -> None:
    base = [FakeRoot(f"Root {n}", certificate(f"Root {n}")) for n in range(6)]
    texts = [certdata_text([*base, CHARLIE]), certdata_text(base)]
    reader = RevisionReader()
    reader.summary(Blob("b", texts[1].encode()), "older")
    first_count = reader.objects_parsed
    assert first_count == 13  # the root list and six roots of two objects
    reader.summary(Blob("a", texts[0].encode()), "newer")
    # Charlie's two objects, and the last trust object before it (its text now ends differently).
    assert reader.objects_parsed - first_count <= 3
    assert len(reader.previous) == 15 and reader.parsed == 2
    assert reader.summary(Blob("a", None), "again") is reader.summaries["a"]


def test_a_file_that_is_not_utf8_is_read_as_latin1_with_a_warning() -> None:
    latin = FakeRoot("Caf\u00e9 Root", certificate("Cafe Root"))
    data = certdata_text([latin]).encode("latin-1")
    result = history([Revision(Commit("c0", datetime(2009, 1, 1, tzinfo=UTC), "old"), Blob("x", data), None)])
    assert [n.label for n in result.entries[0].changelog.added] == ["Caf\u00e9 Root"]
    assert len(result.warnings) == 1 and "Latin-1" in result.warnings[0] and "c0:" in result.warnings[0]


def test_a_malformed_revision_names_its_line() -> None:
    bad = certdata_text([ALPHA]).replace("CKA_TOKEN CK_BBOOL CK_TRUE\n", "CKA_TOKEN\n", 2)
    from certdata_tool.errors import ParseError

    with pytest.raises(ParseError) as caught:
        history([Revision(Commit("c0", datetime(2024, 1, 1, tzinfo=UTC), "bad"), Blob("x", bad.encode()),
                          None)])
    assert caught.value.source == f"c0:{PATH}"
    assert caught.value.line == bad.splitlines().index("CKA_TOKEN") + 1


def test_release_grouping_by_version_order() -> None:
    # c4 -> c3 -> c2 -> c1; tags in an order that is not version order as text.
    parents = {"c4": ("c3",), "c3": ("c2",), "c2": ("c1",), "c1": ()}
    tags = {"NSS_3_100_RTM": "c3", "NSS_3_99_RTM": "c2", "NSS_3_99_BETA1": "c1", "OTHER": "c4"}
    groups = group_by_release(["c4", "c3", "c2", "c1"], parents, tags)
    assert [(g.tag, g.commits) for g in groups] == [
        (None, ("c4",)), ("NSS_3_100_RTM", ("c3",)), ("NSS_3_99_RTM", ("c2", "c1"))]
    assert release_number("NSS_3_101_1_RTM") == (3, 101, 1)


@pytest.mark.corpus
def test_history_of_the_corpus_equals_changelog_of_each_pair() -> None:
    revisions = corpus_revisions()[-40:]  # the newest 40: the whole corpus takes half a minute here
    texts = [data.decode("utf-8") for _, data in reversed(revisions)]  # newest first
    result = history(_revisions(texts), purposes=(Purpose.SERVER, Purpose.EMAIL))
    stores = [parse(text) for text in texts]
    both = (Purpose.SERVER, Purpose.EMAIL)
    for index, entry in enumerate(result.entries[:-1]):
        name = revisions[len(revisions) - 1 - index][0]
        assert entry.changelog == changelog(stores[index + 1], stores[index], both), name
    assert sum(len(e.changelog.added) for e in result.entries[:-1]) > 10


def test_git_reads_a_log_entry_per_commit(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, c = repo
    log = Git(str(git_repo.path)).log("HEAD", PATH)
    assert [entry.commit.commit for entry in log] == [c["dated"], c["rename"], c["remove"], c["charlie"],
                                                      c["first"]]
    assert log[-1].old is None and log[-1].new is not None
    assert all(later.old == earlier.new for later, earlier in itertools.pairwise(log))
    with Git(str(git_repo.path)).blobs() as stream:
        revisions = list(commit_revisions(log, stream, PATH))
    sent = [b for r in revisions for b in (r.certdata, r.parent) if b is not None and b.data is not None]
    assert len(sent) == 5


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_every_history_format(repo: tuple[Repo, dict[str, str]], output_format: str) -> None:
    from certdata_tool.cli.commands.history import HistoryFormat

    assert {member.value for member in HistoryFormat} == {"text", "markdown", "json"}
    git_repo, c = repo
    result = runner.invoke(app, ["history", str(git_repo.path), "-f", output_format])
    assert result.exit_code == 0, result.output
    assert c["dated"] in result.stdout or c["dated"][:12] in result.stdout


def test_progress_passes_every_revision_through(capsys: pytest.CaptureFixture[str]) -> None:
    from certdata_tool.cli.commands.history import _progress

    revisions = list(_revisions([certdata_text([ALPHA]), certdata_text([])]))
    assert list(_progress(iter(revisions), len(revisions))) == revisions
    assert capsys.readouterr().out == ""  # never on standard output


def test_a_path_no_commit_changed_is_a_warning(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, _ = repo
    result = runner.invoke(app, ["history", str(git_repo.path), "--path", "lib/certdata.txt", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["entries"] == []
    assert "no commit in HEAD changed lib/certdata.txt" in result.stderr


def test_merges_and_branches_as_git_log_lists_them(repo: tuple[Repo, dict[str, str]]) -> None:
    git_repo, c = repo
    git_repo.git("checkout", "-q", "-b", "side", c["remove"])
    side = git_repo.commit("Bug 9 - add Bravo back on a branch", **{CERTDATA: certdata_text(
        [replace(ALPHA, server_auth=MUST_VERIFY), CHARLIE, BRAVO])})
    git_repo.git("checkout", "-q", "main")
    git_repo.git("merge", "-q", "--no-ff", "-X", "theirs", "-m", "Merge side", "side")
    merge = git_repo.git("rev-parse", "HEAD").strip()
    document = run_history(git_repo, "--path", "./" + PATH)
    listed = [e["commit"] for e in entries(document)]
    assert listed == git_repo.git("log", "--format=%H", "--", PATH).split()
    assert side in listed and document["path"] == PATH
    # Each entry's notes are against its first parent's file.
    by_commit = {e["commit"]: e for e in entries(document)}
    assert [n["label"] for n in by_commit[side]["added"]] == ["Bravo Root"]
    assert merge in by_commit  # the merged file differs from both parents
    first_parent_file = git_repo.git("show", f"{merge}^1:{PATH}")
    merged_file = git_repo.git("show", f"{merge}:{PATH}")
    expected = changelog(parse(first_parent_file), parse(merged_file))
    assert expected.added
    assert [n["label"] for n in by_commit[merge]["added"]] == [n.label for n in expected.added]


def test_the_reader_agrees_with_a_whole_parse_over_random_edits() -> None:
    import random

    from certdata_tool.changelog.notes import summarize
    from certdata_tool.model.roots import read_roots

    rng = random.Random(15)
    pool = [FakeRoot(f"Pool Root {n}", certificate(f"Pool Root {n}")) for n in range(12)]
    current = pool[:6]
    reader = RevisionReader()
    for step in range(40):
        choice = rng.randrange(6)
        if choice == 0 and len(current) < len(pool):
            current.insert(rng.randrange(len(current) + 1), next(r for r in pool if r not in current))
        elif choice == 1 and len(current) > 1:
            current.pop(rng.randrange(len(current)))
        elif choice == 2:
            index = rng.randrange(len(current))
            level = rng.choice([MUST_VERIFY, "CKT_NSS_TRUSTED_DELEGATOR"])
            current[index] = replace(current[index], server_auth=level)
        elif choice == 3:
            index = rng.randrange(len(current))
            current[index] = replace(current[index], label=f"{current[index].label} {step}")
        elif choice == 4 and len(current) > 1:
            moved = current.pop(rng.randrange(len(current)))
            current.insert(rng.randrange(len(current) + 1), moved)
        else:
            index = rng.randrange(len(current))
            current[index] = replace(current[index], comments=(f"# note {step}",))
        text = certdata_text(current, trailer=f"# end {step}\n" if step % 3 else "")
        expected = summarize(read_roots(parse(text)).roots)
        assert reader.summary(Blob(f"{step:040x}", text.encode()), f"step {step}") == expected, step
    assert reader.objects_parsed < 40 * 13  # most objects were taken, not parsed
