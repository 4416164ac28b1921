"""Which NSS release first shipped each commit: grouping a file's history by `NSS_3_*_RTM` tag.

"Version X.Y" in a distribution's changelog is the certdata.txt of the first NSS release whose
nssckbi.h says X.Y (PROFILES.md), so a commit belongs to the first release, in version order,
whose history contains it; commits no release contains yet are unreleased.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RELEASE_TAG = re.compile(r"NSS_3(?:_\d+)+_RTM")


def release_number(tag: str) -> tuple[int, ...]:
    """`NSS_3_101_1_RTM` → (3, 101, 1), for ordering releases."""
    return tuple(int(part) for part in tag.removeprefix("NSS_").removesuffix("_RTM").split("_"))


@dataclass(frozen=True, slots=True)
class ReleaseGroup:
    """The commits (newest first) that a release shipped first; `tag` None for unreleased ones."""

    tag: str | None
    tag_commit: str | None
    commits: tuple[str, ...]


def group_by_release(commits: Sequence[str], parents: Mapping[str, Sequence[str]],
                     tags: Mapping[str, str]) -> list[ReleaseGroup]:
    """Group `commits` (git log order) by the first release tag whose history contains them.

    `parents` is the commit graph to walk (commits outside it are not followed); `tags` maps tag
    names to the commits they name; names that are not NSS release tags are ignored. Groups come
    newest release first, the unreleased commits before them.
    """
    releases = sorted((tag for tag in tags if RELEASE_TAG.fullmatch(tag)), key=release_number)
    owner: dict[str, str] = {}
    for tag in releases:
        stack = [tags[tag]]
        while stack:
            commit = stack.pop()
            if commit in owner or commit not in parents:
                continue
            owner[commit] = tag  # an earlier release did not contain it: this one is the first
            stack.extend(parents[commit])
    members: dict[str | None, list[str]] = {}
    for commit in commits:
        members.setdefault(owner.get(commit), []).append(commit)
    unreleased: list[str | None] = [None] if None in members else []
    released = sorted((tag for tag in members if tag is not None), key=release_number, reverse=True)
    return [ReleaseGroup(tag, None if tag is None else tags[tag], tuple(members[tag]))
            for tag in [*unreleased, *released]]


__all__ = ["RELEASE_TAG", "ReleaseGroup", "group_by_release", "release_number"]
