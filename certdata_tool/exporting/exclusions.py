"""Roots a packager leaves out: `--exclude SELECTOR` and `--exclude-file FILE` (selectors, or Debian's
blacklist.txt lines), each remembering where it was written so that `--explain` and warnings can say."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ExportError
from ..model.roots import DistrustEntry, Root

_HEX_NOISE = re.compile(r"[\s:]")
_HEX = re.compile(r"[0-9A-F]+")
_MIN_PREFIX = 8  # hex digits: the contract's shortest fingerprint prefix
_DIGITS = {"sha256": 64, "sha1": 40}


@dataclass(frozen=True, slots=True)
class Exclusion:
    """One entry that leaves roots out: by label (exact), or by SHA-256 / SHA-1 (whole or a prefix)."""

    key: str  # "label", "quoted" (a label in double quotes, as in blacklist.txt), "sha256" or "sha1"
    value: str  # the label (quoted: with its quotes), or upper-case hex without separators
    text: str  # the entry as the user wrote it
    source: str | None = None  # the file it came from; None for an entry given directly
    line: int | None = None
    # What an entry given directly is called in messages; the CLI names its option (`--exclude`).
    given_as: str = "exclusion"

    def origin(self) -> str:
        """Where the entry was written: `blacklist.txt:3`, or `exclusion label=…`."""
        if self.source is None:
            return f"{self.given_as} {self.text}"
        return f"{self.source}:{self.line}"

    def describe(self) -> str:
        """The entry and where it was written, for the explanation of an export."""
        if self.source is None:
            return f"{self.given_as} {self.text}"
        return f"{self.source}:{self.line} ({self.text})"

    def matches(self, label: str, sha256: str | None, sha1: str | None) -> bool:
        if self.key == "label":
            return label == self.value
        if self.key == "quoted":
            return f'"{label}"' == self.value
        digest = sha256 if self.key == "sha256" else sha1
        return digest is not None and digest.startswith(self.value)

    def unmatched_warning(self, labels: Iterable[str] = ()) -> str:
        """The warning for an entry that matches nothing (upstream removed the root, or a typo),
        with up to three of `labels` (the file's) near a label it names."""
        hint = ""
        if self.key in ("label", "quoted"):
            from ..model.selectors import did_you_mean, nearest_labels  # only when one is missed

            wanted = self.value[1:-1] if self.key == "quoted" else self.value
            hint = did_you_mean(nearest_labels(wanted, labels))
        if self.source is None:
            return f"{self.given_as} {self.text}: matches no root (nothing excluded){hint}"
        return f"{self.source}:{self.line}: exclusion {self.text} matches no root (nothing excluded){hint}"


def parse_exclusion(text: str, *, source: str | None = None, line: int | None = None,
                    given_as: str = "exclusion") -> Exclusion:
    """`label=NAME`, `sha256=HEX` or `sha1=HEX` (hex in any case, `:` and spaces allowed, a prefix of
    8 or more digits), or a label in double quotes as Debian's blacklist.txt has them. `given_as`
    names an entry without a file in messages."""

    def bad(why: str) -> ExportError:
        return ExportError(f"bad exclusion {text!r}: {why}", source=source, line=line)

    if text.startswith('"'):
        # Debian's way: the entry is compared with the label as written, quotes included (so an entry
        # cut short by a `#` matches nothing, and says so, as it never did for Debian either).
        return Exclusion("quoted", text, text, source, line, given_as)
    key, sep, value = text.partition("=")
    key = key.strip().lower()
    if not sep or key not in ("label", "sha256", "sha1"):
        raise bad('expected label=NAME, sha256=HEX, sha1=HEX or a label in double quotes ("NAME")')
    if key == "label":
        if not value:
            raise bad("the label is empty")
        return Exclusion("label", value, text, source, line, given_as)
    digits = _HEX_NOISE.sub("", value).upper()
    if not _HEX.fullmatch(digits) or not _MIN_PREFIX <= len(digits) <= _DIGITS[key]:
        raise bad(f"{key} needs {_MIN_PREFIX} to {_DIGITS[key]} hex digits (colons and spaces allowed)")
    return Exclusion(key, digits, text, source, line, given_as)


def read_exclusion_file(text: str, source: str) -> tuple[Exclusion, ...]:
    """The entries of an exclusion file, read as Debian reads blacklist.txt: each line stripped, blank
    lines and lines starting with `#` skipped, and of the others the text before any `#`."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        entry = line.split("#", 1)[0].strip()
        entries.append(parse_exclusion(entry, source=source, line=number))
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class ExclusionMatch:
    """Which entry excluded which roots and distrust entries (by line), and the entries that matched
    nothing."""

    by_line: dict[int, Exclusion]  # line of the root or distrust entry -> the first entry matching it
    unmatched: tuple[Exclusion, ...]


def match_exclusions(exclusions: Iterable[Exclusion], roots: tuple[Root, ...],
                     entries: tuple[DistrustEntry, ...] = ()) -> ExclusionMatch:
    """Match every exclusion against every root (and, by label or SHA-1, every distrust entry); an
    ambiguous hash prefix is an error, since it cannot say which root it means."""
    by_line: dict[int, Exclusion] = {}
    unmatched: list[Exclusion] = []
    for exclusion in exclusions:
        hits = [root for root in roots if exclusion.matches(root.label, root.sha256, root.sha1)]
        if exclusion.key in ("sha256", "sha1"):
            certificates = {root.sha256 for root in hits}
            if len(certificates) > 1:
                shown = "; ".join(f"{root.label} ({root.sha256[:16]}…)" for root in hits[:5])
                raise ExportError(f"exclusion {exclusion.text!r} is an ambiguous prefix: {shown}",
                                  source=exclusion.source, line=exclusion.line,
                                  hint="give more hex digits")
        lines = [root.line for root in hits]
        lines += [entry.line for entry in entries if exclusion.matches(entry.label, None, entry.sha1)]
        if not lines:
            unmatched.append(exclusion)
        for line in lines:
            by_line.setdefault(line, exclusion)
    return ExclusionMatch(by_line, tuple(unmatched))
