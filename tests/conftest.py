"""Shared fixtures: the real NSS corpus (read from ../shared, never copied) and small helpers."""

from __future__ import annotations

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


def require_corpus() -> Path:
    """The corpus folder, or skip the calling test with the reason it is missing."""
    folder = corpus_dir()
    if not (folder / "revisions.tar.xz").is_file():
        pytest.skip(
            f"real NSS corpus not found at {folder} (set CERTDATA_CORPUS); "
            "it is always present in CI"
        )
    return folder


@cache
def _corpus_members() -> tuple[tuple[str, bytes], ...]:
    archive = require_corpus() / "revisions.tar.xz"
    with lzma.open(archive) as raw, tarfile.open(fileobj=io.BytesIO(raw.read())) as tar:
        members = sorted(
            (m for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")),
            key=lambda m: m.name,
        )
        return tuple(
            (Path(m.name).name, tar.extractfile(m).read())  # type: ignore[union-attr]
            for m in members
        )


def corpus_revisions() -> tuple[tuple[str, bytes], ...]:
    """Every corpus revision as (file name, raw bytes), oldest first."""
    return _corpus_members()


def corpus_file(name: str) -> bytes:
    """One of the unpacked reference files beside the archive, such as certdata-2024-06-13-469e60ef4.txt."""
    return (require_corpus() / name).read_bytes()


@pytest.fixture
def revisions() -> tuple[tuple[str, bytes], ...]:
    return corpus_revisions()


def iter_revision_texts() -> Iterator[tuple[str, str]]:
    for name, data in corpus_revisions():
        yield name, data.decode("utf-8")
