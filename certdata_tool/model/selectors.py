"""Selectors: the roots a change, `--root` or `--exclude` picks, and what to say when the count is wrong."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ..errors import CertdataError, ChangeError

# A hash prefix shorter than this picks roots by accident: 8 hex digits are 32 bits.
MIN_PREFIX_DIGITS = 8
MAX_SUGGESTIONS = 3
_NEAR = 0.6  # difflib's own cut-off for "close"
_SPREAD = 0.1  # how much less alike than the closest a suggestion may be
_HEX_NOISE = re.compile(r"[\s:]")
_HEX = frozenset("0123456789ABCDEF")
_KEYS = ("label", "sha256", "sha1")


class Selectable(Protocol):
    """What a selector looks at: a root (or anything with its label and fingerprints)."""

    @property
    def label(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    @property
    def sha1(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Selector:
    """Picks roots; every key given must hold. `count` is how many must match (default 1).

    `sha256` and `sha1` are upper-case hex: the whole digest, or a prefix of at least 8 digits
    that must pick its roots unambiguously.
    """

    label: str | None = None
    sha256: str | None = None
    sha1: str | None = None
    count: int = 1

    def __post_init__(self) -> None:
        # A selector made in code is held to what a spec's is: any case, colons or spaces, and at
        # least 8 digits (ChangeError otherwise); the loader's come here normalised already.
        for key, size in (("sha256", 32), ("sha1", 20)):
            value = getattr(self, key)
            if value is not None:
                try:
                    object.__setattr__(self, key, normalize_fingerprint(value, digest_size=size, key=key))
                except ValueError as error:
                    raise ChangeError(str(error)) from None

    def matches(self, root: Selectable) -> bool:
        return (
            (self.label is None or root.label == self.label)
            and (self.sha256 is None or root.sha256.startswith(self.sha256))
            and (self.sha1 is None or root.sha1.startswith(self.sha1))
        )

    @property
    def by_fingerprint(self) -> bool:
        """Whether it names a certificate (SHA-256 or SHA-1), not only a label."""
        return self.sha256 is not None or self.sha1 is not None

    @property
    def prefix(self) -> bool:
        """Whether a fingerprint is given as a prefix, not in full."""
        return (self.sha256 is not None and len(self.sha256) < 64) or (
            self.sha1 is not None and len(self.sha1) < 40)

    def describe(self) -> str:
        parts = [f"{key}={value}" for key, value in
                 (("label", self.label), ("sha256", self.sha256), ("sha1", self.sha1)) if value]
        return ", ".join(parts) or "(empty selector)"


def normalize_fingerprint(text: str, *, digest_size: int, key: str) -> str:
    """Upper-case hex of a fingerprint (or a prefix of at least 8 digits) written with any case,
    colons or spaces; ValueError for anything else."""
    cleaned = _HEX_NOISE.sub("", text).upper()
    digits = digest_size * 2
    if not MIN_PREFIX_DIGITS <= len(cleaned) <= digits or not _HEX.issuperset(cleaned):
        raise ValueError(f"{key} must be {digits} hex digits, or a unique prefix of at least "
                         f"{MIN_PREFIX_DIGITS} (colons and spaces allowed), got {text!r}")
    return cleaned


def parse_selector(text: str) -> Selector:
    """A command-line selector: `label=NAME`, `sha256=HEX` or `sha1=HEX` (HEX may be a prefix)."""
    key, sep, value = text.partition("=")
    key = key.strip().lower()
    if not sep or key not in _KEYS:
        raise CertdataError(f"bad selector {text!r}: expected label=NAME, sha256=HEX or sha1=HEX")
    try:
        if key == "sha256":
            return Selector(sha256=normalize_fingerprint(value, digest_size=32, key=key))
        if key == "sha1":
            return Selector(sha1=normalize_fingerprint(value, digest_size=20, key=key))
    except ValueError as error:
        raise CertdataError(f"bad selector: {error}") from None
    return Selector(label=value)


def nearest_labels(label: str, labels: Iterable[str]) -> tuple[str, ...]:
    """Up to three labels like `label`, the closest first: those about as close as the closest
    (a typo names one root, not every label that shares a word with it). Case and spacing are
    the commonest slips, so they do not count."""
    scored: dict[str, float] = {}
    wanted = " ".join(label.casefold().split())
    for other in labels:
        matcher = difflib.SequenceMatcher(None, wanted, " ".join(other.casefold().split()))
        if matcher.real_quick_ratio() >= _NEAR and matcher.quick_ratio() >= _NEAR:
            scored[other] = max(scored.get(other, 0.0), matcher.ratio())
    if not scored:
        return ()
    best = max(scored.values())
    near = [other for other, score in scored.items() if score >= max(_NEAR, best - _SPREAD)]
    near.sort(key=lambda other: -scored[other])  # stable: file order among equals
    return tuple(near[:MAX_SUGGESTIONS])


def did_you_mean(labels: Sequence[str]) -> str:
    """` (did you mean "A", "B" or "C"?)`, or nothing."""
    if not labels:
        return ""
    quoted = [f'"{label}"' for label in labels]
    words = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {words}?)"


def no_match_message(selector: Selector, candidates: Sequence[Selectable]) -> str:
    """Why nothing matched, with the nearest labels or the fingerprint the label really has."""
    message = f"no root matches {selector.describe()}"
    if selector.label is None:
        return message
    same_label = [root for root in candidates if root.label == selector.label]
    if same_label:
        # The label is right: a fingerprint is wrong (or names another certificate).
        shown = "; ".join(root.sha256 for root in same_label[:MAX_SUGGESTIONS])
        return f"{message} (the root labelled \"{selector.label}\" has SHA-256 {shown})"
    return message + did_you_mean(nearest_labels(selector.label, (root.label for root in candidates)))


_Root = TypeVar("_Root", bound=Selectable)


def select(all_roots: Iterable[_Root], selector: Selector) -> tuple[_Root, ...]:
    """The roots the selector picks; ChangeError when their number is not `selector.count`
    (with the nearest labels when none matches, and the candidates of an ambiguous prefix)."""
    candidates = tuple(all_roots)
    chosen = tuple(root for root in candidates if selector.matches(root))
    if len(chosen) == selector.count:
        return chosen
    if not chosen:
        raise ChangeError(no_match_message(selector, candidates))
    listed = "; ".join(f"{root.label} ({root.sha256[:16]}…)" for root in chosen[:5])
    if len(chosen) > 5:
        listed += f"; and {len(chosen) - 5} more"
    plural = "" if len(chosen) == 1 else "s"
    if selector.prefix and len(chosen) > selector.count:
        listed = "; ".join(f"{root.label} ({root.sha256})" for root in chosen[:10])
        raise ChangeError(f"{selector.describe()} is an ambiguous prefix: it matches {len(chosen)} "
                          f"roots: {listed}; give more digits")
    raise ChangeError(f"{selector.describe()} matches {len(chosen)} root{plural}, expected "
                      f"{selector.count}: {listed}")


def pick(all_roots: Iterable[_Root], selector: Selector) -> tuple[_Root, ...]:
    """Every root the selector matches, however many (`count` aside), as `show --root` lists them;
    ChangeError when none matches (with the nearest labels) or a prefix is ambiguous."""
    candidates = tuple(all_roots)
    chosen = tuple(root for root in candidates if selector.matches(root))
    if not chosen or (selector.prefix and len(chosen) > 1):
        return select(candidates, Selector(selector.label, selector.sha256, selector.sha1, count=1))
    return chosen


__all__ = [
    "MIN_PREFIX_DIGITS",
    "Selectable",
    "Selector",
    "did_you_mean",
    "nearest_labels",
    "no_match_message",
    "normalize_fingerprint",
    "parse_selector",
    "pick",
    "select",
]
