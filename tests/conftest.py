"""Shared fixtures: the real NSS corpus (read from ../shared, never copied) and small helpers."""

from __future__ import annotations

import difflib
import io
import lzma
import os
import tarfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"


def corpus_dir() -> Path:
    """Where the real NSS revisions are: $CERTDATA_CORPUS or ../shared/nss-certdata."""
    configured = os.environ.get("CERTDATA_CORPUS")
    if configured:
        return Path(configured)
    return PROJECT_ROOT.parent / "shared" / "nss-certdata"


def corpus_missing_reason() -> str | None:
    """Why the corpus cannot be read, or None when it is there."""
    folder = corpus_dir()
    if (folder / "revisions.tar.xz").is_file() and (folder / "index.tsv").is_file():
        return None
    return f"real NSS corpus not found at {folder} (set CERTDATA_CORPUS); it is always present in CI"


def require_corpus() -> Path:
    """The corpus folder, or skip the calling test with the reason it is missing."""
    reason = corpus_missing_reason()
    if reason is not None:
        pytest.skip(reason)
    return corpus_dir()


def pytest_runtest_setup(item: pytest.Item) -> None:
    # One gate for every test marked `corpus`: a fresh clone without ../shared skips them, with the
    # reason, before any of their code can touch the missing files.
    if item.get_closest_marker("corpus") is not None:
        reason = corpus_missing_reason()
        if reason is not None:
            pytest.skip(reason)


@cache
def corpus_index() -> tuple[dict[str, str], ...]:
    """index.tsv rows (seq, hash, short, date, bytes, subject, parent_file), in history order.

    History order is not file-name order: 946f60002 is dated before commits it follows.
    """
    rows = (require_corpus() / "index.tsv").read_text(encoding="utf-8").splitlines()
    names = rows[0].split("\t")
    table = [dict(zip(names, row.split("\t"), strict=False)) for row in rows[1:] if row]
    return tuple(sorted(table, key=lambda row: int(row["seq"])))


def revision_name(row: dict[str, str]) -> str:
    return f"{row['date']}_{row['short']}.txt"


@cache
def _corpus_members() -> tuple[tuple[str, bytes], ...]:
    archive = require_corpus() / "revisions.tar.xz"
    with lzma.open(archive) as raw, tarfile.open(fileobj=io.BytesIO(raw.read())) as tar:
        contents = {
            Path(m.name).name: tar.extractfile(m).read()  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile() and m.name.endswith(".txt")
        }
    return tuple((revision_name(row), contents[revision_name(row)]) for row in corpus_index())


def corpus_revisions() -> tuple[tuple[str, bytes], ...]:
    """Every corpus revision as (file name, raw bytes), in NSS history order (index.tsv `seq`)."""
    return _corpus_members()


def corpus_pairs() -> tuple[tuple[str, bytes, str, bytes], ...]:
    """(parent name, parent bytes, child name, child bytes) for each commit after the first,
    following index.tsv's `parent_file` column."""
    contents = dict(corpus_revisions())
    return tuple(
        (row["parent_file"], contents[row["parent_file"]], revision_name(row), contents[revision_name(row)])
        for row in corpus_index()
        if row.get("parent_file")
    )


def corpus_file(name: str) -> bytes:
    """One of the unpacked reference files beside the archive, such as certdata-2024-06-13-469e60ef4.txt."""
    return (require_corpus() / name).read_bytes()


@pytest.fixture
def revisions() -> tuple[tuple[str, bytes], ...]:
    return corpus_revisions()


def iter_revision_texts() -> Iterator[tuple[str, str]]:
    for name, data in corpus_revisions():
        yield name, data.decode("utf-8")


def assert_golden(path: Path, actual: str) -> None:
    """Compare `actual` with the golden file `path`, showing a unified diff when they differ.

    CERTDATA_UPDATE_GOLDEN=1 rewrites the file instead (then read the change by hand).
    """
    if os.environ.get("CERTDATA_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.is_file():
        pytest.fail(f"golden file {path} is missing: run with CERTDATA_UPDATE_GOLDEN=1, then read it")
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True),
                                            actual.splitlines(keepends=True),
                                            f"expected/{path.name}", f"actual/{path.name}"))
        pytest.fail(f"output differs from golden file {path} (CERTDATA_UPDATE_GOLDEN=1 rewrites it):\n{diff}")
