"""What a change spec says, as frozen values: each change with the lines of its keys in the spec.
(NamedTuples: cheaper to define at every start than frozen dataclasses; docs/ARCHITECTURE.md.)"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ..model.roots import DistrustPurpose, TrustField, TrustLevel
from ..model.selectors import Selector

_NO_KEY_LINES: Mapping[str, int] = MappingProxyType({})  # a change made by code, not read from a spec


class ModifyChange(NamedTuple):
    """One `select:` entry: what to change on the roots it selects (or `remove`).

    `select:` may be a list of selectors: the change applies to the roots of each, and each must
    match its own count. `selector` is the first (or only) one, `more_selectors` the others.
    """

    selector: Selector
    distrust_after: Mapping[DistrustPurpose, datetime | None] | None = None
    trust: Mapping[TrustField, TrustLevel] | None = None
    step_up_approved: bool | None = None
    mozilla_ca_policy: bool | None = None
    rename: str | None = None
    remove: bool = False
    line: int = 0  # line of the list item in the spec
    path: str = "changes[0]"
    # Line of each key of the entry (`select`, `trust`, ...), so later errors point at it.
    key_lines: Mapping[str, int] = _NO_KEY_LINES
    more_selectors: tuple[Selector, ...] = ()
    # Where `selector` stands: `changes[0].select`, or `changes[0].select[1]` in a list.
    select_path: str = ""

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @property
    def selectors(self) -> tuple[Selector, ...]:
        return (self.selector, *self.more_selectors)

    def one_per_selector(self) -> tuple[ModifyChange, ...]:
        """The change once for each selector of a list (itself when `select:` is one mapping), each
        pointing at its own list item, so that every selector must match its own count."""
        if not self.more_selectors:
            return (self,)
        base = self.select_path or f"{self.path}.select"
        return tuple(
            self._replace(selector=selector, more_selectors=(), select_path=f"{base}[{index}]",
                          key_lines={**self.key_lines, "select": self.key_lines.get(f"select[{index}]",
                                                                                    self.line_of("select"))})
            for index, selector in enumerate(self.selectors))

    def where_selected(self) -> str:
        return self.select_path or f"{self.path}.select"


class AddChange(NamedTuple):
    """One `add:` entry: a new root, as NSS's addbuiltin prints it, at the end or after a root."""

    der: bytes  # the certificate, read when the spec was loaded
    label: str
    # All three usages (missing ones are must_verify_trust) and both purposes (missing ones None).
    trust: Mapping[TrustField, TrustLevel]
    distrust_after: Mapping[DistrustPurpose, datetime | None]
    step_up_approved: bool = False
    after: Selector | None = None
    certificate_ref: str | None = None  # the file name as the spec wrote it; None for inline PEM
    line: int = 0
    path: str = "changes[0]"
    # Line of each key of the entry and of the `add` mapping (`add`, `add.certificate`, ...).
    key_lines: Mapping[str, int] = _NO_KEY_LINES

    def __repr__(self) -> str:
        # The DER would fill a screen.
        return f"AddChange(label={self.label!r}, sha256={self.sha256!r}, path={self.path!r})"

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest().upper()


# The kinds of change a spec can hold.
Change = ModifyChange | AddChange


class Spec(NamedTuple):
    """A validated change spec."""

    version: int
    title: str | None
    bug: int | str | None
    changes: tuple[Change, ...]
    source: str = "<spec>"
    base_dir: Path | None = None  # where relative file names in the spec are resolved


__all__ = ["AddChange", "Change", "ModifyChange", "Spec"]
