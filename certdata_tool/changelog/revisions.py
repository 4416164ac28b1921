"""Release notes over a file's history: one changelog per commit (or per release), newest first.

The CLI runs git and hands over the revisions; this module only reads them. Consecutive revisions
share nearly all their objects, so each revision is cut into objects by their `CKA_CLASS` lines
and only the objects whose text the previous revision did not have are parsed: the roots of the
others (and their SHA-256) are already known. Each distinct blob is read once, and only the last
parsed revision is kept beside the one being read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import ParseError
from ..exporting.policy import Purpose
from ..model.roots import read_roots
from ..syntax.nssckbi import version
from ..syntax.nssfile import CertdataFile, NssObject, parse
from .notes import Changelog, Summary, notes_of_summaries, purposes_of, summarize

DEFAULT_PATH = "lib/ckfw/builtins/certdata.txt"


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit as git log shows it."""

    commit: str  # the full hash
    date: datetime  # the commit date, UTC
    subject: str


@dataclass(frozen=True, slots=True)
class Blob:
    """One version of the file: its git object id and its bytes.

    `data` is None when a blob with the same id came earlier in the same stream of revisions (the
    reader keeps what it found in every blob it read), so git sends each blob once.
    """

    oid: str
    data: bytes | None


@dataclass(frozen=True, slots=True)
class Revision:
    """One step of the history: the file after it, the file before it (None where absent) and
    nssckbi.h at it. For a release, `release` is its tag and `commits` the commits it groups."""

    commit: Commit
    certdata: Blob | None
    parent: Blob | None
    nssckbi: bytes | None = None
    release: str | None = None
    commits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    commit: Commit
    nss_version: str | None  # "X.Y" from nssckbi.h at the commit
    changelog: Changelog
    release: str | None = None
    commits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class History:
    path: str
    purposes: tuple[Purpose, ...]
    entries: tuple[HistoryEntry, ...]
    releases: bool = False  # entries are releases (tags), not commits
    warnings: tuple[str, ...] = field(default=())  # what a reader must not miss, such as a non-UTF-8 file


def history(revisions: Iterable[Revision], *, path: str = DEFAULT_PATH,
            purposes: Iterable[Purpose] = (Purpose.SERVER,), releases: bool = False) -> History:
    """The release notes of every revision, in the order given (git log's: newest first)."""
    chosen = purposes_of(purposes)
    reader = RevisionReader(path)
    entries = [entry_of(revision, reader, chosen) for revision in revisions]
    return History(path, chosen, tuple(entries), releases, tuple(reader.warnings))


def entry_of(revision: Revision, reader: RevisionReader, purposes: tuple[Purpose, ...]) -> HistoryEntry:
    commit = revision.commit.commit
    new = reader.summary(revision.certdata, commit) if revision.certdata is not None else {}
    old = reader.summary(revision.parent, f"{commit}^") if revision.parent is not None else {}
    nss_version = None
    if revision.nssckbi is not None:
        nss_version = version(revision.nssckbi.decode("utf-8", "replace"))
    return HistoryEntry(revision.commit, nss_version, notes_of_summaries(old, new, purposes),
                        revision.release, revision.commits)


class RevisionReader:
    """What each blob holds, read once per blob, parsing only objects the previous blob lacked."""

    def __init__(self, path: str = DEFAULT_PATH) -> None:
        self.path = path
        self.summaries: dict[str, Summary] = {}  # blob id -> what notes need of it
        self.previous: dict[str, NssObject] = {}  # object text -> object, of the last blob parsed
        self.warnings: list[str] = []
        self.parsed = 0  # blobs parsed (for tests and benchmarks)
        self.objects_parsed = 0

    def summary(self, blob: Blob, revision: str) -> Summary:
        found = self.summaries.get(blob.oid)
        if found is not None:
            return found
        if blob.data is None:
            raise ValueError(f"blob {blob.oid} was announced as sent before, but never came")
        source = f"{revision}:{self.path}"
        text = self._decode(blob.data, source)
        store = self._store(text, source)
        summary = summarize(read_roots(store).roots)
        self.summaries[blob.oid] = summary
        self.parsed += 1
        return summary

    def _decode(self, data: bytes, source: str) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            # One NSS revision of 2009 has a label in Latin-1: read it as such, keep every byte.
            line = data.count(b"\n", 0, error.start) + 1
            self.warnings.append(f"{source}:{line}: not valid UTF-8 (byte "
                                 f"0x{data[error.start:error.start + 1].hex()}); read as Latin-1")
            return data.decode("latin-1")

    def _store(self, text: str, source: str) -> CertdataFile:
        """The objects of `text`, those the previous blob had taken from it rather than parsed.

        Only roots are read from the result: objects taken from the previous blob keep that blob's
        line numbers, which nothing here shows.
        """
        header_end, starts = _object_starts(text)
        chunks = [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
        previous = self.previous
        fresh = [chunk for chunk in chunks if chunk not in previous]
        parsed: dict[str, NssObject] = {}
        if fresh:
            try:
                # Every chunk starts an object at its CKA_CLASS line; a chunk without a final newline
                # (the file's end) is the last one, so the joined chunks read object by object.
                objects = parse(text[:header_end] + "".join(fresh), source=source).objects
            except ParseError:
                objects = ()
            if len(objects) != len(fresh) or not header_end:
                # Let the reader of the whole text name the line (or read what chunks could not).
                whole = parse(text, source=source)
                self.previous = {}
                self.objects_parsed += len(whole.objects)
                return whole
            parsed = dict(zip(fresh, objects, strict=True))
            self.objects_parsed += len(objects)
        objects_in_order = tuple(previous.get(chunk) or parsed[chunk] for chunk in chunks)
        self.previous = dict(zip(chunks, objects_in_order, strict=True))
        return CertdataFile(header=(), objects=objects_in_order, source=source)


def _object_starts(text: str) -> tuple[int, list[int]]:
    """Where the text before the first object ends, and where every object's CKA_CLASS line starts.

    A CKA_CLASS line starts every object and nothing else (octal bodies hold only digits and
    backslashes, UTF8 values one line, and comments start with #).
    """
    begin = text.find("BEGINDATA")
    if begin < 0:
        return 0, []
    starts: list[int] = []
    position = begin
    find = text.find
    while True:
        position = find("CKA_CLASS", position)
        if position < 0:
            break
        line_start = text.rfind("\n", 0, position) + 1
        if line_start == position or not text[line_start:position].strip(" \t"):
            starts.append(line_start)
        position += 9
    if not starts:
        return 0, []
    return starts[0], starts


__all__ = ["DEFAULT_PATH", "Blob", "Commit", "History", "HistoryEntry", "Revision", "RevisionReader",
           "entry_of", "history"]
