"""git for `history` and `patch`: the commits that changed a file, its versions through one cat-file
stream; HEAD's files and the author identity a patch is made with.

`git log` lists the commits and, with `--raw`, the blob of the file before and after each one
(against the first parent, as for any commit); one `git cat-file --batch` process then sends each
distinct blob once, in the order the history reads them, so at most one blob is in memory here.
"""

from __future__ import annotations

import contextlib
import posixpath
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import IO

from ..changelog.releases import RELEASE_TAG, ReleaseGroup, group_by_release
from ..changelog.revisions import Blob, Commit, History, Revision, history
from ..errors import CertdataError
from ..exporting.policy import Purpose

# Settings that would change what `git log` lists or prints: the defaults, whatever the repository
# or the user's configuration says.
_CONFIG = ("-c", "log.follow=false", "-c", "log.showSignature=false", "-c", "log.showRoot=true",
           "-c", "core.quotePath=false", "-c", "diff.renames=false")
_RECORD, _FIELD = "\x1e", "\x1f"


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A commit that changed the file, with the file's blob before (None: absent) and after it."""

    commit: Commit
    old: str | None
    new: str | None


class Git:
    """One repository (a working tree or a bare one), read with the `git` program."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.run("rev-parse", "--git-dir")  # a clear error now rather than at the first log

    def command(self, *args: str) -> list[str]:
        # --no-optional-locks: reading never writes, not even the index refresh `git status` makes.
        return ["git", "-C", self.directory, "--literal-pathspecs", "--no-optional-locks", *_CONFIG, *args]

    def run(self, *args: str) -> str:
        return self.output(*args).decode("utf-8", "replace")

    def output(self, *args: str) -> bytes:
        """What git prints on standard output, as bytes (a blob's bytes are not always UTF-8)."""
        try:
            done = subprocess.run(self.command(*args), capture_output=True, check=False)
        except FileNotFoundError:
            raise CertdataError("cannot run git: it is not installed (or not on PATH)") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = message[-1] if message else f"exit status {done.returncode}"
            raise CertdataError(f"git {args[0]}: {reason.removeprefix('fatal: ')}", source=self.directory)
        return done.stdout

    def log(self, revision_range: str, path: str) -> list[LogEntry]:
        """The commits that changed `path`, newest first, as `git log REVISION_RANGE -- PATH` lists them."""
        text = self.run("log", "--no-color", "--no-renames", "--raw", "--no-abbrev",
                        "--diff-merges=first-parent", f"--format={_RECORD}%H{_FIELD}%ct{_FIELD}%s",
                        "--end-of-options", revision_range, "--", path)
        entries = []
        for record in text.split(_RECORD)[1:]:
            head, _, rest = record.partition("\n")
            commit, timestamp, subject = head.split(_FIELD, 2)
            old = new = None
            for line in rest.splitlines():
                # :100644 100644 OLD NEW M<TAB>path
                if line.startswith(":") and "\t" in line:
                    fields = line.split("\t", 1)[0].split()
                    old, new = _blob_id(fields[2]), _blob_id(fields[3])
                    break
            moment = datetime.fromtimestamp(int(timestamp), UTC)
            entries.append(LogEntry(Commit(commit, moment, subject), old, new))
        return entries

    def release_tags(self) -> dict[str, str]:
        """NSS release tags (`NSS_3_*_RTM`) → the commit each names."""
        text = self.run("for-each-ref", "--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)",
                        "refs/tags/")
        tags = {}
        for line in text.splitlines():
            name, target, peeled = [*line.split("\t"), "", ""][:3]
            if RELEASE_TAG.fullmatch(name):
                tags[name] = peeled or target  # an annotated tag names its commit through the tag
        return tags

    def graph(self, revision_range: str) -> tuple[dict[str, tuple[str, ...]], dict[str, Commit]]:
        """Every commit of the range: its parents, and how git log shows it."""
        text = self.run("log", "--no-color", f"--format=%H{_FIELD}%P{_FIELD}%ct{_FIELD}%s",
                        "--end-of-options", revision_range, "--")
        parents: dict[str, tuple[str, ...]] = {}
        commits: dict[str, Commit] = {}
        for line in text.splitlines():
            commit, parent_list, timestamp, subject = line.split(_FIELD, 3)
            parents[commit] = tuple(parent_list.split())
            commits[commit] = Commit(commit, datetime.fromtimestamp(int(timestamp), UTC), subject)
        return parents, commits

    def blobs(self) -> BlobStream:
        return BlobStream(self)


def _blob_id(text: str) -> str | None:
    return None if not text.strip("0") else text  # all zeros: the file is absent on that side


class BlobStream:
    """One `git cat-file --batch` process: an object name in, its bytes out."""

    def __init__(self, git: Git) -> None:
        self.git = git
        self.process = subprocess.Popen(git.command("cat-file", "--batch"), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.writer: threading.Thread | None = None

    def __enter__(self) -> BlobStream:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def read(self, name: str) -> tuple[str, bytes] | None:
        """(object id, bytes) of `name` (an id or `COMMIT:PATH`); None when there is no such object."""
        stdin, _ = self._pipes()
        stdin.write(name.encode("utf-8") + b"\n")
        stdin.flush()
        return self._answer(name)

    def _answer(self, name: str) -> tuple[str, bytes] | None:
        _, stdout = self._pipes()
        header = stdout.readline().decode("utf-8", "replace").rstrip("\n")
        parts = header.split(" ")
        if len(parts) != 3 or not parts[2].isdigit():
            if header.endswith((" missing", " ambiguous")):
                return None
            raise CertdataError(f"git cat-file: unexpected answer {header!r} for {name}",
                                source=self.git.directory)
        oid, _, size = parts
        data = stdout.read(int(size))
        stdout.read(1)  # the newline after the content
        return oid, data

    def read_all(self, names: Sequence[str]) -> Iterator[tuple[str, bytes] | None]:
        """The answers for `names`, in order. The names are written by a thread, so git works on the
        next object while the caller reads this one; a blob id git lacks is an error."""
        stdin, _ = self._pipes()
        request = "".join(name + "\n" for name in names).encode("utf-8")

        def write() -> None:
            try:
                with contextlib.suppress(OSError):  # the reader stopped early: git has gone
                    stdin.write(request)
            finally:
                with contextlib.suppress(OSError):
                    stdin.close()

        self.writer = threading.Thread(target=write, daemon=True)
        self.writer.start()
        for name in names:
            answer = self._answer(name)
            if answer is None and ":" not in name:
                raise CertdataError(f"git cat-file: blob {name} is missing (a shallow or damaged clone?)",
                                    source=self.git.directory)
            yield answer

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        return stdin, stdout

    def close(self) -> None:
        stdin, stdout = self._pipes()
        if self.writer is None:
            stdin.close()
        stdout.close()  # a writer still blocked on a full pipe fails and ends
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
        if self.writer is not None:
            self.writer.join()


def nssckbi_path(path: str) -> str:
    """nssckbi.h beside the certdata.txt (lib/ckfw/builtins/nssckbi.h for the default path)."""
    return posixpath.join(posixpath.dirname(path), "nssckbi.h")


@dataclass(frozen=True, slots=True)
class _Step:
    """A revision to hand over once git has sent what it asks for."""

    commit: Commit
    certdata: str | None  # blob id
    parent: str | None
    header: str  # COMMIT:PATH of nssckbi.h
    release: str | None = None
    commits: tuple[str, ...] = ()


def commit_revisions(entries: Sequence[LogEntry], stream: BlobStream, path: str) -> Iterator[Revision]:
    """One revision per commit, each distinct blob read once."""
    header_path = nssckbi_path(path)
    return _revisions([_Step(e.commit, e.new, e.old, f"{e.commit.commit}:{header_path}") for e in entries],
                      stream)


def release_revisions(entries: Sequence[LogEntry], stream: BlobStream, path: str,
                      groups: Sequence[ReleaseGroup], commits: dict[str, Commit]) -> Iterator[Revision]:
    """One revision per release (the unreleased commits first): from the file before its oldest
    commit to the file after its newest."""
    by_commit = {entry.commit.commit: entry for entry in entries}
    header_path = nssckbi_path(path)
    steps = []
    for group in groups:
        newest, oldest = by_commit[group.commits[0]], by_commit[group.commits[-1]]
        at = group.tag_commit or newest.commit.commit
        steps.append(_Step(commits.get(at, newest.commit), newest.new, oldest.old, f"{at}:{header_path}",
                           group.tag, group.commits))
    return _revisions(steps, stream)


def _revisions(steps: Sequence[_Step], stream: BlobStream) -> Iterator[Revision]:
    """The revisions of `steps`, with every object they need asked of git at once, in the order
    they are read: git finds the next blob while this process reads the last one."""
    sent: set[str] = set()
    fresh: list[tuple[bool, bool]] = []  # per step: are its certdata and parent blobs sent now?
    names: list[str] = []
    for step in steps:
        flags = []
        for oid in (step.certdata, step.parent):
            new = oid is not None and oid not in sent
            if new:
                assert oid is not None
                sent.add(oid)
                names.append(oid)
            flags.append(new)
        names.append(step.header)
        fresh.append((flags[0], flags[1]))
    answers = stream.read_all(names)
    for step, (certdata_fresh, parent_fresh) in zip(steps, fresh, strict=True):
        certdata = _blob(stream, step.certdata, next(answers) if certdata_fresh else None)
        parent = _blob(stream, step.parent, next(answers) if parent_fresh else None)
        header = next(answers)
        yield Revision(step.commit, certdata, parent, None if header is None else header[1],
                       release=step.release, commits=step.commits)


def _blob(stream: BlobStream, oid: str | None, answer: tuple[str, bytes] | None) -> Blob | None:
    """The blob `oid`: with its bytes when git just sent them, else as sent before."""
    if oid is None:
        return None
    if answer is None:
        return Blob(oid, None)  # the history keeps what it read in it
    return Blob(oid, answer[1])


@dataclass(frozen=True, slots=True)
class HeadFile:
    """A file as the tree's HEAD commit has it."""

    path: str
    mode: str  # git's mode, such as 100644
    data: bytes


def head_files(directory: str, paths: Sequence[str]) -> list[HeadFile]:
    """`paths` as HEAD has them, for a patch made against HEAD. A path that the index or the
    working tree changes is refused: git am would not apply the patch there, or not cleanly."""
    git = Git(directory)
    inside = git.run("rev-parse", "--show-prefix").strip()
    if inside:  # the patch's paths are the repository's: git am runs at its top
        raise CertdataError(f"is the folder {inside.rstrip('/')} inside a git checkout: give the top of the "
                            "NSS checkout", source=directory)
    changed = [entry[3:] for entry in git.run("status", "--porcelain=v1", "-z", "--untracked-files=no",
                                              "--", *paths).split("\0") if entry]
    if changed:
        raise CertdataError(f"uncommitted changes to {', '.join(changed)}: commit or stash them first (the "
                            "patch is made against HEAD)", source=directory)
    listed = {}
    for entry in git.run("ls-tree", "-z", "HEAD", "--", *paths).split("\0"):
        if entry:
            info, path = entry.split("\t", 1)
            mode, _, oid = info.split()
            listed[path] = (mode, oid)
    missing = [path for path in paths if path not in listed]
    if missing:
        raise CertdataError(f"HEAD has no {missing[0]}: is this a checkout of NSS?", source=directory)
    return [HeadFile(path, mode, git.output("cat-file", "blob", oid))
            for path, (mode, oid) in ((path, listed[path]) for path in paths)]


def author_identity(directory: str) -> str:
    """`NAME <EMAIL>` git gives commits in `directory` (its configuration, GIT_AUTHOR_NAME, ...),
    without the timestamp `git var` adds: the patch's date is never the clock's."""
    try:
        ident = Git(directory).run("var", "GIT_AUTHOR_IDENT").strip()
    except CertdataError as error:
        raise CertdataError(error.message, source=error.source, hint="give the author with --author "
                            "\"NAME <EMAIL>\" (or set user.name and user.email)") from None
    name, _, _ = ident.rpartition(" ")  # NAME <EMAIL> SECONDS ZONE
    return name.rpartition(" ")[0]


Progress = Callable[[Iterator[Revision], int], Iterator[Revision]]


def read_history(directory: str, revision_range: str, path: str, purposes: Sequence[Purpose],
                 releases: bool = False, progress: Progress | None = None) -> History:
    """The history of `path` in the repository at `directory`: git read here, notes made by
    `changelog.revisions` as the blobs stream in."""
    git = Git(directory)
    path = posixpath.normpath(path).lstrip("/")  # `./lib/...` means the same file, in a bare repository too
    entries = git.log(revision_range, path)
    with git.blobs() as stream:
        if releases:
            parents, commits = git.graph(revision_range)
            groups = group_by_release([e.commit.commit for e in entries], parents, git.release_tags())
            revisions = release_revisions(entries, stream, path, groups, commits)
            total = len(groups)
        else:
            revisions = commit_revisions(entries, stream, path)
            total = len(entries)
        if progress is not None:
            revisions = progress(revisions, total)
        return history(revisions, path=path, purposes=purposes, releases=releases)


__all__ = ["BlobStream", "Git", "HeadFile", "LogEntry", "Progress", "author_identity", "commit_revisions",
           "head_files", "nssckbi_path", "read_history", "release_revisions"]
