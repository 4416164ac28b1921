"""`certdata-tool patch`: what git format-patch writes, applied by git am, ending where `apply --in-place
--nssckbi` does; real NSS commits replayed as patches; trees and specs it must refuse."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TESTS_DIR, assert_golden, corpus_index, corpus_revisions
from test_apply_cli import NSSCKBI
from typer.testing import CliRunner, Result

import certdata_tool
from certdata_tool.cli import app
from certdata_tool.patch.series import FileChange, Identity, PatchError, bug_number, parse_identity, subject
from certdata_tool.render.git_diff import blob_id, file_diff
from certdata_tool.render.patch import _diffstat, _from_header, _subject_header
from certdata_tool.spec.load import load_spec

SAMPLES = PROJECT_ROOT / "samples"
SAMPLE = SAMPLES / "certdata.txt"
DISTRUST = SAMPLES / "distrust-after.yaml"
ADD = SAMPLES / "add.yaml"
TRUST = SAMPLES / "trust.yaml"
NSS_SPECS = TESTS_DIR / "data" / "specs" / "nss"
GOLDEN = TESTS_DIR / "cases" / "patch"
CERTDATA = "lib/ckfw/builtins/certdata.txt"
HEADER = "lib/ckfw/builtins/nssckbi.h"
OWNER = "Tree Owner <owner@example.org>"
SIGNATURE = f"certdata-tool {certdata_tool.__version__}"


@pytest.fixture(autouse=True)
def _quiet_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """git as on a fresh machine: no user configuration, no identity from the environment."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def git(tree: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(tree), *args], capture_output=True, check=True)
    return done.stdout.decode("utf-8", "surrogateescape")


def make_tree(folder: Path, certdata: bytes, nssckbi: bytes = NSSCKBI.encode("utf-8")) -> Path:
    """A git checkout holding NSS's two files at HEAD, its identity the tree owner's."""
    (folder / "lib" / "ckfw" / "builtins").mkdir(parents=True)
    (folder / CERTDATA).write_bytes(certdata)
    (folder / HEADER).write_bytes(nssckbi)
    (folder / "README").write_text("not one of the patch's files\n", encoding="utf-8")
    git(folder, "init", "--quiet")
    git(folder, "config", "user.name", "Tree Owner")
    git(folder, "config", "user.email", "owner@example.org")
    git(folder, "add", ".")
    git(folder, "commit", "--quiet", "-m", "Import NSS's root store")
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def patch(*args: str) -> bytes:
    result = run("patch", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def am(tree: Path, patch_bytes: bytes, scratch: Path) -> None:
    mbox = scratch / "series.mbox"
    mbox.write_bytes(patch_bytes)
    git(tree, "am", "--quiet", str(mbox))


def applied(scratch: Path, certdata: bytes, specs: list[Path]) -> tuple[bytes, bytes]:
    """What `apply --in-place --nssckbi` makes of the two files with all the specs."""
    scratch.mkdir()
    (scratch / "certdata.txt").write_bytes(certdata)
    (scratch / "nssckbi.h").write_text(NSSCKBI, encoding="utf-8")
    result = run("apply", str(scratch / "certdata.txt"), *map(str, specs), "--in-place", "--report", "none",
                 "--nssckbi", str(scratch / "nssckbi.h"))
    assert result.exit_code == 0, result.output
    return (scratch / "certdata.txt").read_bytes(), (scratch / "nssckbi.h").read_bytes()


def tree_files(tree: Path) -> tuple[bytes, bytes]:
    return (tree / CERTDATA).read_bytes(), (tree / HEADER).read_bytes()


def revision(short: str) -> bytes:
    (data,) = [data for name, data in corpus_revisions() if name.endswith(f"_{short}.txt")]
    return data


def nss_subject(short: str) -> str:
    (row,) = [row for row in corpus_index() if row["short"] == short]
    return row["subject"]


# -- git am applies it, and the tree ends where apply does -----------------------------------------------


def test_git_am_applies_the_patch_and_the_tree_ends_as_apply_in_place_leaves_it(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    head = git(tree, "rev-parse", "HEAD")
    output = patch(str(tree), str(DISTRUST), "--reviewer", "jschanck", "--at", "2025-04-20T10:11:12Z")
    # Made without touching the tree: same HEAD, nothing changed, nothing left behind.
    assert git(tree, "rev-parse", "HEAD") == head
    assert git(tree, "status", "--porcelain", "--untracked-files=all") == ""
    am(tree, output, tmp_path)
    assert tree_files(tree) == applied(tmp_path / "apply", SAMPLE.read_bytes(), [DISTRUST])
    log = git(tree, "log", "-1", "--format=%an <%ae>%n%aI%n%s").splitlines()
    assert log == [OWNER, "2025-04-20T10:11:12+00:00",
                   "Bug 1234567 - Example Root CA 1: set Distrust After for TLS and S/MIME r=jschanck"]
    assert git(tree, "show", "--format=", "--name-only", "HEAD").split() == [CERTDATA, HEADER]


def test_the_patch_is_what_git_format_patch_writes_for_the_commit(tmp_path: Path) -> None:
    """git am, then git format-patch of the commit it made: the same bytes, headers to signature."""
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    output = patch(str(tree), str(DISTRUST), "--reviewer", "jschanck", "--at", "2025-04-20",
                   "--author", "A. U. Thor <author@example.com>")
    am(tree, output, tmp_path)
    again = git(tree, "format-patch", "--zero-commit", "--full-index", "--stdout", f"--signature={SIGNATURE}",
                "-1").encode("utf-8", "surrogateescape")
    assert output == again
    assert output.startswith(b"From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
                             b'From: "A. U. Thor" <author@example.com>\n'
                             b"Date: Sun, 20 Apr 2025 00:00:00 +0000\n"
                             b"Subject: [PATCH] Bug 1234567 - Example Root CA 1: set Distrust After for TLS\n"
                             b" and S/MIME r=jschanck\n")
    assert output.endswith(f"-- \n{SIGNATURE}\n\n".encode())


def test_a_series_is_one_commit_per_spec_with_the_version_bump_in_the_last(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    output = patch(str(tree), str(DISTRUST), str(ADD), "--at", "2025-04-20T10:11:12Z",
                   "--author", "Jörg Müller <joerg@example.com>")
    text = output.decode("utf-8")
    assert [line for line in text.splitlines() if line.startswith("Subject:")] == [
        "Subject: [PATCH 1/2] Bug 1234567 - Example Root CA 1: set Distrust After for",
        "Subject: [PATCH 2/2] Bug 1234572 - Add Example New Root",
    ]
    am(tree, output, tmp_path)
    log = git(tree, "log", "--format=%an|%aI|%s", "-3").splitlines()
    by = "Jörg Müller|2025-04-20T10:11:12+00:00|"
    assert log[:2] == [f"{by}Bug 1234572 - Add Example New Root",
                       f"{by}Bug 1234567 - Example Root CA 1: set Distrust After for TLS and S/MIME"]
    assert log[2].startswith("Tree Owner|") and log[2].endswith("|Import NSS's root store")
    assert git(tree, "show", "--format=", "--name-only", "HEAD~1").split() == [CERTDATA]
    assert git(tree, "show", "--format=", "--name-only", "HEAD").split() == [CERTDATA, HEADER]
    first, _ = applied(tmp_path / "first", SAMPLE.read_bytes(), [DISTRUST])
    assert git(tree, "show", f"HEAD~1:{CERTDATA}").encode("utf-8", "surrogateescape") == first
    assert tree_files(tree) == applied(tmp_path / "both", SAMPLE.read_bytes(), [DISTRUST, ADD])
    again = git(tree, "format-patch", "--zero-commit", "--full-index", "--stdout", f"--signature={SIGNATURE}",
                "-2").encode("utf-8")
    assert output == again


def test_a_title_that_is_not_ascii_is_encoded_as_git_encodes_it(tmp_path: Path) -> None:
    title = ("Retirer le bit e-mail de l\u2019autorité « Example Root CA 1 », demandé par l\u2019équipe de "
             "sécurité")
    spec = tmp_path / "trust.yaml"
    spec.write_text(TRUST.read_text(encoding="utf-8").replace("title:", f'title: "{title}"\n# was:'),
                    encoding="utf-8")
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    output = patch(str(tree), str(spec), "--reviewer", "jschanck", "--at", "2025-04-20")
    header = "Subject: " + output.decode("utf-8").split("\nSubject: ", 1)[1].split("\nMIME-Version:", 1)[0]
    assert header.isascii() and header.startswith("Subject: [PATCH] =?UTF-8?q?Bug=201234569=20-=20Retirer")
    # Four encoded words, none past 76 columns (and below: exactly what git writes).
    assert header.count("\n =?UTF-8?q?") == 3 and all(len(line) <= 76 for line in header.splitlines())
    am(tree, output, tmp_path)
    assert git(tree, "log", "-1", "--format=%s").strip() == f"Bug 1234569 - {title} r=jschanck"
    again = git(tree, "format-patch", "--zero-commit", "--full-index", "--stdout", f"--signature={SIGNATURE}",
                "-1").encode("utf-8")
    assert output == again


def test_without_at_there_is_no_date_header_and_git_am_still_applies_it(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    output = patch(str(tree), str(TRUST))
    headers = output.split(b"\n\n", 1)[0].decode("utf-8").splitlines()
    names = [line.split(":", 1)[0] for line in headers[1:]]
    assert names == ["From", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"]
    assert headers[1] == f"From: {OWNER}"  # the tree's identity, without git var's timestamp
    am(tree, output, tmp_path)
    assert tree_files(tree) == applied(tmp_path / "apply", SAMPLE.read_bytes(), [TRUST])


def test_bytes_that_are_not_utf8_and_a_last_line_without_newline_go_through_git_am(tmp_path: Path) -> None:
    """An old file's Latin-1 comment stays byte for byte; nssckbi.h without its final newline gets
    `\\ No newline at end of file` where the hunk reaches it."""
    certdata = SAMPLE.read_bytes().replace(b"# This Source Code Form", b"# Caf\xe9. This Source Code Form", 1)
    assert certdata != SAMPLE.read_bytes()
    header = NSSCKBI.encode("utf-8").replace(b"\n#define NSS_BUILTINS_HARDWARE_VERSION_MAJOR 1\n"
                                             b"#define NSS_BUILTINS_HARDWARE_VERSION_MINOR 0\n\n"
                                             b"#endif /* NSSCKBI_H */\n", b"\n#endif")
    tree = make_tree(tmp_path / "nss", certdata, header)
    result = run("patch", str(tree), str(DISTRUST), "--at", "2025-04-20")
    assert result.exit_code == 0, result.output
    assert "not valid UTF-8" in result.stderr  # the warning every command gives for such a file
    assert b"\n\\ No newline at end of file\n" in result.stdout_bytes
    am(tree, result.stdout_bytes, tmp_path)
    want, _ = applied(tmp_path / "apply", certdata, [DISTRUST])
    assert (tree / CERTDATA).read_bytes() == want
    assert b"Caf\xe9." in want
    bumped = header.replace(b"MINOR 68", b"MINOR 70").replace(b'"2.68"', b'"2.70"')
    assert (tree / HEADER).read_bytes() == bumped
    assert git(tree, "status", "--porcelain") == ""


def test_golden_patch(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    output = patch(str(tree), str(DISTRUST), str(ADD), "--reviewer", "jschanck",
                   "--at", "2025-04-20T23:59:59Z",
                   "--author", "Jane Doe <jane@example.com>").decode("utf-8")
    assert output.count(f"\n-- \n{SIGNATURE}\n\n") == 2
    assert_golden(GOLDEN / "distrust-then-add.patch", output.replace(SIGNATURE, "certdata-tool VERSION"))


def test_output_file(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    target = tmp_path / "bug.patch"
    result = run("patch", str(tree), str(TRUST), "-o", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_bytes() == patch(str(tree), str(TRUST))


# -- real NSS commits, replayed as patches -----------------------------------------------------------------


@pytest.mark.corpus
def test_nss_commits_replayed_as_a_patch_series(tmp_path: Path) -> None:
    """NSS 817872bc7 and 9a29c1a53 (distrust dates, 3 then 12 roots) from their hand-written specs:
    git am gives NSS's files commit by commit, with NSS's own subjects."""
    first, second = tmp_path / "817872bc7.yaml", tmp_path / "9a29c1a53.yaml"
    for target, name, short in ((first, "817872bc7-server-distrust.yaml", "817872bc7"),
                                (second, "9a29c1a53-symantec.yaml", "9a29c1a53")):
        # NSS's subjects end the title with a period; the spec's title is NSS's words.
        text = (NSS_SPECS / name).read_text(encoding="utf-8")
        title = nss_subject(short).split(" - ", 1)[1].rsplit(" r=", 1)[0]
        target.write_text("\n".join(f'title: "{title}"' if line.startswith("title:") else line
                                    for line in text.splitlines()) + "\n", encoding="utf-8")
    tree = make_tree(tmp_path / "nss", revision("ce7d80af1"))
    output = patch(str(tree), str(first), str(second), "--reviewer", "jcj", "--at", "2020-05-27")
    am(tree, output, tmp_path)
    subjects = git(tree, "log", "--format=%s", "-2").splitlines()
    assert subjects == [nss_subject("9a29c1a53"), nss_subject("817872bc7")]
    assert git(tree, "show", f"HEAD~1:{CERTDATA}").encode("utf-8") == revision("817872bc7")
    assert (tree / CERTDATA).read_bytes() == revision("9a29c1a53")
    assert tree_files(tree) == applied(tmp_path / "apply", revision("ce7d80af1"), [first, second])


@pytest.mark.corpus
def test_hunks_are_placed_as_git_places_them(tmp_path: Path) -> None:
    """NSS d3cb8727c removed 3 roots and added 10: each removal reads `-#`, `-# Certificate ...` down
    to its blank line, hunk for hunk what git diff writes (a plain difflib diff shifts each by a line,
    and the additions too)."""
    (row,) = [row for row in corpus_index() if row["short"] == "d3cb8727c"]
    old, new = dict(corpus_revisions())[row["parent_file"]], revision("d3cb8727c")
    change = FileChange(CERTDATA, "100644", old.decode("utf-8"), new.decode("utf-8"))
    ours, _, _ = file_diff(change)
    (tmp_path / "a").write_bytes(old)
    (tmp_path / "b").write_bytes(new)
    theirs = subprocess.run(["git", "diff", "--no-index", "--no-color", str(tmp_path / "a"),
                             str(tmp_path / "b")], capture_output=True, check=False).stdout.decode("utf-8")
    assert ours.count("\n@@ ") == 4
    assert ours[ours.index("\n@@ "):] == theirs[theirs.index("\n@@ "):]


# -- what is refused ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CERTDATA, HEADER])
def test_a_tree_with_uncommitted_changes_to_the_files_is_refused(tmp_path: Path, path: str) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    (tree / "README").write_text("other files may change\n", encoding="utf-8")
    assert run("patch", str(tree), str(DISTRUST)).exit_code == 0
    with (tree / path).open("a", encoding="utf-8") as stream:
        stream.write("\n")
    for staged in (False, True):
        if staged:
            git(tree, "add", path)
        result = run("patch", str(tree), str(DISTRUST))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (f"certdata-tool: error: {tree}: uncommitted changes to {path}: commit or "
                                 "stash them first (the patch is made against HEAD)\n")


def test_a_spec_without_a_bug_or_title_is_refused_naming_the_key(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    text = DISTRUST.read_text(encoding="utf-8")
    for key in ("bug", "title"):
        spec = tmp_path / f"no-{key}.yaml"
        kept = [line for line in text.splitlines(keepends=True) if not line.startswith(f"{key}:")]
        spec.write_text("".join(kept), encoding="utf-8")
        result = run("patch", str(tree), str(DISTRUST), str(spec))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith(f"certdata-tool: error: {spec}: no {key}: ")
        assert len(result.stderr.splitlines()) == 1


def test_a_spec_that_changes_nothing_is_refused(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    result = run("patch", str(tree), str(DISTRUST), str(DISTRUST))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"certdata-tool: error: {DISTRUST}: changes nothing in {tree}/{CERTDATA} "
                             "(already applied?): a commit needs a change\n")


def test_the_output_cannot_be_a_file_of_the_tree(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    result = run("patch", str(tree), str(DISTRUST), "-o", str(tree / CERTDATA))
    assert result.exit_code == 2
    assert "is also an input of this command" in result.stderr
    assert git(tree, "status", "--porcelain") == ""


def test_not_a_git_tree_and_bad_options(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    result = run("patch", str(folder), str(DISTRUST), "--author", OWNER)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"certdata-tool: error: {folder}: git rev-parse: not a git repository")
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    result = run("patch", str(tree / "lib"), str(DISTRUST), "--author", OWNER)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"certdata-tool: error: {tree / 'lib'}: is the folder lib inside a git "
                             "checkout: give the top of the NSS checkout\n")
    for args, message in (
        (("--author", "Jane Doe"), "--author 'Jane Doe': expected \"NAME <EMAIL>\""),
        (("--reviewer", "two words"), "--reviewer 'two words': expected a reviewer's nick without spaces"),
        (("--at", "June 30, 2024"), "--at 'June 30, 2024': expected "),
    ):
        result = run("patch", str(tree), str(DISTRUST), *args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr.startswith(f"certdata-tool: error: {message}"), result.stderr


def test_a_tree_without_identity_asks_for_author(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    git(tree, "config", "--unset", "user.name")
    git(tree, "config", "--unset", "user.email")
    git(tree, "config", "user.useConfigOnly", "true")  # git must not guess one from the host name
    result = run("patch", str(tree), str(DISTRUST), "--author", OWNER)
    assert result.exit_code == 0, result.output
    result = run("patch", str(tree), str(DISTRUST))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"certdata-tool: error: {tree}: git var: ")
    assert result.stderr.splitlines()[-1] == ('hint: give the author with --author "NAME <EMAIL>" (or '
                                              "set user.name and user.email)")


def test_the_library_makes_the_same_mail(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "nss", SAMPLE.read_bytes())
    output = patch(str(tree), str(DISTRUST), str(TRUST), "--reviewer", "jschanck", "--at", "2025-04-20",
                   "--author", OWNER)
    specs = [certdata_tool.load_spec(path.read_text(encoding="utf-8"), source=str(path))
             for path in (DISTRUST, TRUST)]
    store = certdata_tool.parse(SAMPLE.read_bytes(), source=f"{tree}/{CERTDATA}")
    series = certdata_tool.patch_series(store, NSSCKBI, specs, author=OWNER, reviewer="jschanck",
                                        at="2025-04-20")
    assert isinstance(series, certdata_tool.PatchSeries) and len(series.commits) == 2
    mail: str = certdata_tool.render.patch_mail(series, SIGNATURE)
    assert mail.encode("utf-8") == output
    with pytest.raises(certdata_tool.CertdataError, match="author 'nobody': expected"):
        certdata_tool.patch_series(store, NSSCKBI, specs, author="nobody")
    # One spec alone is a series of one, as apply takes it (a Spec is a tuple too: it is not a list).
    one = certdata_tool.patch_series(store, NSSCKBI, specs[0], author=OWNER, at="2025-04-20")
    assert one == certdata_tool.patch_series(store, NSSCKBI, specs[:1], author=OWNER, at="2025-04-20")
    assert len(one.commits) == 1


# -- the pieces ----------------------------------------------------------------------------------------------


def test_subjects_follow_nss_convention() -> None:
    spec = load_spec('version: 1\ntitle: "Add  Taiwan CA Roots\n  to NSS."\nbug: 1234567\nchanges:\n'
                     '  - select: {label: X}\n    remove: true\n')
    assert subject(spec) == "Bug 1234567 - Add Taiwan CA Roots to NSS."
    assert subject(spec, "jschanck,bwilson") == "Bug 1234567 - Add Taiwan CA Roots to NSS. r=jschanck,bwilson"


def test_a_subject_never_says_its_bug_or_r_twice() -> None:
    """A title pasted from Bugzilla's own "Bug N - " form, and a reviewer given as "r=NAME"."""
    spec = load_spec('version: 1\ntitle: "Bug 1234567 - Add Taiwan CA Roots to NSS."\nbug: 1234567\n'
                     'changes:\n  - select: {label: X}\n    remove: true\n')
    assert subject(spec, "r=jschanck") == "Bug 1234567 - Add Taiwan CA Roots to NSS. r=jschanck"
    other = load_spec('version: 1\ntitle: "Bug 7 - follow-up"\nbug: 1234567\n'
                      'changes:\n  - select: {label: X}\n    remove: true\n')
    assert subject(other) == "Bug 1234567 - Bug 7 - follow-up"  # another bug's number is the title's own


@pytest.mark.parametrize(("bug", "number"), [
    ("1901080", 1901080),
    ("https://bugzilla.mozilla.org/show_bug.cgi?id=1901080", 1901080),
    ("https://bugzilla.mozilla.org/show_bug.cgi?format=multiple&id=1901080#c3", 1901080),
    ("https://bugzil.la/1901080", 1901080),
])
def test_the_bug_number_comes_from_a_number_or_a_bugzilla_url(bug: str, number: int) -> None:
    spec = load_spec(f"version: 1\nbug: {bug}\nchanges:\n  - select: {{label: X}}\n    remove: true\n")
    assert bug_number(spec) == number


def test_a_url_without_a_bug_number_is_refused() -> None:
    spec = load_spec("version: 1\nbug: https://example.com/issues/7\nchanges:\n  - select: {label: X}\n"
                     "    remove: true\n", source="s.yaml")
    with pytest.raises(PatchError, match="the subject needs a Bugzilla bug number"):
        bug_number(spec)


def test_identities() -> None:
    assert parse_identity(" Jane Doe  <jane@example.com> ") == Identity("Jane Doe", "jane@example.com")
    for bad in ("Jane", "<jane@example.com>", "Jane <>", "Jane <a b>", "Jane\x1b <j@e>"):
        with pytest.raises(PatchError):
            parse_identity(bad)


def test_headers_are_encoded_and_folded_as_git_does() -> None:
    # Checked against git 2.39's format-patch (cases the round trips above do not reach).
    assert _from_header(Identity("Jörg Müller", "j@e")) == "From: =?UTF-8?q?J=C3=B6rg=20M=C3=BCller?= <j@e>\n"
    assert _from_header(Identity('A "B" C.', "j@e")) == 'From: "A \\"B\\" C." <j@e>\n'
    title = ("Bug 1 - TÜBİTAK Kamu SM SSL Kök Sertifikas\u0131 - Sürüm 1 removal with some more words to "
             "make it long enough")
    assert _subject_header("[PATCH] ", title) == (
        "Subject: [PATCH] =?UTF-8?q?Bug=201=20-=20T=C3=9CB=C4=B0TAK=20Kamu=20SM=20S?=\n"
        " =?UTF-8?q?SL=20K=C3=B6k=20Sertifikas=C4=B1=20-=20S=C3=BCr=C3=BCm=201=20re?=\n"
        " =?UTF-8?q?moval=20with=20some=20more=20words=20to=20make=20it=20long=20en?=\n"
        " =?UTF-8?q?ough?=\n")
    assert _subject_header("[PATCH] ", "x" * 70) == "Subject: [PATCH] \n " + "x" * 70 + "\n"


def test_diffstat_scales_as_git_does() -> None:
    # git diff --stat=72 of a 1400-line insertion and a 4-line change (git 2.39).
    assert _diffstat([(CERTDATA, 1400, 0), (HEADER, 2, 2)]) == (
        " lib/ckfw/builtins/certdata.txt | 1400 ++++++++++++++++++++++++++++++++\n"
        " lib/ckfw/builtins/nssckbi.h    |    4 +-\n"
        " 2 files changed, 1402 insertions(+), 2 deletions(-)\n")


def test_blob_ids_are_git_hash_object(tmp_path: Path) -> None:
    text = "caf\udce9\nno newline"
    (tmp_path / "f").write_bytes(text.encode("utf-8", "surrogateescape"))
    assert blob_id(text) == subprocess.run(["git", "hash-object", str(tmp_path / "f")], capture_output=True,
                                           check=True, text=True).stdout.strip()
