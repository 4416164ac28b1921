"""Apply change specs to a certdata file: pure, idempotent edits of only the lines a change concerns."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from .errors import ChangeError
from .headers import nss_time
from .model import (
    MOZILLA_CA_POLICY,
    STEP_UP_APPROVED,
    DistrustPurpose,
    Root,
    TrustField,
    TrustLevel,
    decode_distrust_value,
    encode_utctime,
    read_trust,
    roots,
    select,
)
from .nssfile import (
    Attribute,
    CertdataFile,
    Comment,
    Entry,
    NssObject,
    octal_attribute,
    simple_attribute,
    utf8_attribute,
)
from .spec import Change, ModifyChange, Spec

# The trust attributes in the order addbuiltin writes them, for inserting a missing one.
_TRUST_ORDER = (*(trust_field.attribute for trust_field in TrustField), STEP_UP_APPROVED)
_CERTIFICATE_ORDER = ("CKA_VALUE", MOZILLA_CA_POLICY, *(purpose.attribute for purpose in DistrustPurpose))
# `# Certificate "L"`, `# Trust for "L"`, `# Trust for Certificate "L"`, `# Distrust "L"`: the
# comment headers that repeat a root's label.
_CERTIFICATE_HEADING = re.compile(r'(# Certificate ")(.*)(".*)', re.DOTALL)
_TRUST_HEADING = re.compile(r'(# (?:Trust for Certificate|Trust for|Distrust) ")(.*)(".*)', re.DOTALL)
_VALUE_TOKEN = re.compile(r"([ \t]*\S+[ \t]+\S+[ \t]+)(\S+)(.*)", re.DOTALL)
# addbuiltin writes `# Distrust` when the usages carry only the "terminal record" flag (FORMAT.md §5):
# some usage NOT_TRUSTED and none with a positive flag.
_NO_FLAGS = frozenset({TrustLevel.MUST_VERIFY_TRUST, TrustLevel.TRUST_UNKNOWN, None})
_PERL_INTERPOLATED = "$@"


def apply(store: CertdataFile, spec: Spec | Sequence[Spec]) -> CertdataFile:
    """`store` with the changes of `spec` (or of several specs, in order) made; pure and idempotent."""
    return apply_with_warnings(store, spec)[0]


def apply_with_warnings(store: CertdataFile,
                        spec: Spec | Sequence[Spec]) -> tuple[CertdataFile, tuple[str, ...]]:
    """Like `apply`, also returning warnings (`SPEC:LINE: path: message`) a user should read."""
    specs = (spec,) if isinstance(spec, Spec) else tuple(spec)
    editor = _Editor(store)
    for one in specs:
        for change in one.changes:
            editor.apply(one, change)
    return editor.result(), tuple(editor.warnings)


class _Editor:
    """The objects of the file being edited, with the roots re-read only when identities change."""

    def __init__(self, store: CertdataFile) -> None:
        self.store = store
        self.objects = list(store.objects)
        self.newline = store.newline
        self.warnings: list[str] = []
        self._roots: tuple[Root, ...] | None = None

    def result(self) -> CertdataFile:
        objects = tuple(self.objects)
        return self.store if objects == self.store.objects else replace(self.store, objects=objects)

    def roots(self) -> tuple[Root, ...]:
        if self._roots is None:
            self._roots = roots(replace(self.store, objects=tuple(self.objects)))
        return self._roots

    def warn(self, spec: Spec, line: int, path: str, message: str) -> None:
        self.warnings.append(f"{spec.source}:{line}: {path}: {message}")

    def apply(self, spec: Spec, change: Change) -> None:
        if not isinstance(change, ModifyChange):
            raise TypeError(f"unknown kind of change: {type(change).__name__}")
        chosen, already_renamed = self.select(spec, change)
        if change.remove:
            self.remove(chosen)
            return
        before = list(self.objects)
        for root in chosen:
            if change.rename is not None:
                self.rename(root, change.rename)
            if change.trust is not None or change.step_up_approved is not None:
                self.set_trust(spec, change, root)
            if change.mozilla_ca_policy is not None:
                self.set_policy(root, change.mozilla_ca_policy)
            if change.distrust_after is not None:
                self.set_distrust_after(root, change.distrust_after)
        if already_renamed and any(now is not then for now, then in zip(self.objects, before, strict=True)):
            # Found by its new label, yet the change is not already made: the selector is wrong
            # (a typo naming no root), not a spec applied twice. Say so rather than edit that root.
            self.objects = before
            raise ChangeError(f"{change.path}.select: no root matches {change.selector.describe()}",
                              source=spec.source, line=change.line_of("select"))
        if change.rename is not None:
            self._roots = None
            self.check_label(spec, change, change.rename)

    def select(self, spec: Spec, change: ModifyChange) -> tuple[tuple[Root, ...], bool]:
        """The roots a change applies to, and whether they were found by the change's new label.

        ChangeError names the spec line when their number is wrong. A spec applies twice without
        error: a removed root is not found again (a warning says so), and a root selected by its
        old label is looked up by the new one (the caller checks that nothing is left to change).
        """
        selector = change.selector
        try:
            return select(self.roots(), selector), False
        except ChangeError as error:
            if not any(selector.matches(root) for root in self.roots()):
                if change.remove:
                    self.warn(spec, change.line_of("select"), f"{change.path}.select",
                              f"no root matches {selector.describe()}: nothing to remove "
                              "(already removed?)")
                    return (), False
                if change.rename is not None and selector.label is not None:
                    renamed = replace(selector, label=change.rename)
                    found = tuple(root for root in self.roots() if renamed.matches(root))
                    if len(found) == selector.count:
                        return found, True
            raise ChangeError(f"{change.path}.select: {error.message}", source=spec.source,
                              line=change.line_of("select")) from None

    # -- remove ------------------------------------------------------------------------------

    def remove(self, chosen: Sequence[Root]) -> None:
        """Drop the certificate and trust objects with their comment blocks (NSS deletes in place)."""
        doomed = {root.certificate_index for root in chosen}
        doomed.update(root.trust_index for root in chosen if root.trust_index is not None)
        self.objects = [obj for index, obj in enumerate(self.objects) if index not in doomed]
        self._roots = None

    # -- rename ------------------------------------------------------------------------------

    def rename(self, root: Root, label: str) -> None:
        """CKA_LABEL of both objects and the comment headers that repeat it."""
        self.edit(root.certificate_index, lambda obj: _relabel(obj, label, _CERTIFICATE_HEADING,
                                                               self.newline))
        if root.trust_index is not None:
            self.edit(root.trust_index, lambda obj: _relabel(obj, label, _TRUST_HEADING, self.newline))

    def check_label(self, spec: Spec, change: ModifyChange, label: str) -> None:
        line = change.line_of("rename")
        path = f"{change.path}.rename"
        holders = [root for root in self.roots() if root.label == label]
        if len(holders) > 1:
            others = ", ".join(str(root.line) for root in holders)
            self.warn(spec, line, path, f"the label {label!r} is now used by {len(holders)} roots "
                      f"({self.store.source} lines {others}); NSS expects labels to be unique")
        used = [character for character in _PERL_INTERPOLATED if character in label]
        if used:
            self.warn(spec, line, path, f"the label {label!r} contains {' and '.join(used)}, which "
                      "NSS's certdata.perl interpolates when it computes the label's size")

    # -- trust -------------------------------------------------------------------------------

    def set_trust(self, spec: Spec, change: ModifyChange, root: Root) -> None:
        if root.trust_index is None:
            raise ChangeError(f"{change.path}.trust: the root {root.label!r} has no trust object "
                              "(CKO_NSS_TRUST) whose values could be changed", source=spec.source,
                              line=change.line_of("trust"))
        values: list[tuple[str, str, str]] = [
            (trust_field.attribute, "CK_TRUST", level.constant)
            for trust_field, level in (change.trust or {}).items()
        ]
        if change.step_up_approved is not None:
            values.append((STEP_UP_APPROVED, "CK_BBOOL", _bool(change.step_up_approved)))
        before = self.objects[root.trust_index]
        obj = before
        for name, type_, token in values:
            obj = _set_value(obj, name, type_, token, self.newline, _TRUST_ORDER)
        if obj is not before:
            obj = _match_trust_heading(obj)
            self.objects[root.trust_index] = obj

    # -- CKA_NSS_MOZILLA_CA_POLICY -------------------------------------------------------------

    def set_policy(self, root: Root, value: bool) -> None:
        if value:
            self.edit(root.certificate_index, lambda obj: _set_value(
                obj, MOZILLA_CA_POLICY, "CK_BBOOL", "CK_TRUE", self.newline, _CERTIFICATE_ORDER))
        else:
            self.edit(root.certificate_index, lambda obj: _drop(obj, MOZILLA_CA_POLICY, comments=False))

    # -- distrust after ----------------------------------------------------------------------

    def set_distrust_after(self, root: Root, dates: Mapping[DistrustPurpose, datetime | None]) -> None:
        wanted = dict(dates)
        if root.trust_index is not None:
            trust_object = self.objects[root.trust_index]
            found = _distrust_on_trust_object(trust_object)
            if found:
                cert = self.objects[root.certificate_index]
                # A value NSS ignored on the trust object moves to where NSS reads it, unless the
                # spec sets that purpose or the certificate object already carries a date.
                for purpose, moment in found.items():
                    current = cert.attribute(purpose.attribute)
                    if purpose not in wanted and moment is not None and (
                            current is None or current.type != "MULTILINE_OCTAL"):
                        wanted[purpose] = moment
                for purpose in DistrustPurpose:
                    trust_object = _drop(trust_object, purpose.attribute, comments=True)
                self.objects[root.trust_index] = trust_object
        self.edit(root.certificate_index, lambda obj: _set_distrust(obj, wanted, self.newline))

    # -- helpers -----------------------------------------------------------------------------

    def edit(self, index: int, change: Callable[[NssObject], NssObject]) -> None:
        self.objects[index] = change(self.objects[index])


def _bool(value: bool) -> str:
    return "CK_TRUE" if value else "CK_FALSE"


def _ending(text: str) -> str:
    """The line terminator of a raw line ("" when the file ended without one)."""
    if text.endswith("\r\n"):
        return "\r\n"
    return "\n" if text.endswith("\n") else ""


def _index(obj: NssObject, name: str) -> int | None:
    for position, entry in enumerate(obj.entries):
        if isinstance(entry, Attribute) and entry.name == name:
            return position
    return None


def _splice(obj: NssObject, start: int, stop: int, new: Sequence[Entry], newline: str) -> NssObject:
    """Entries [start:stop] replaced by `new`; unchanged text gives back `obj` itself.

    The last line of a file may lack its newline; an edit there keeps the file's ending as it was.
    """
    entries = list(obj.entries)
    replacement = list(new)
    at_end = stop == len(entries) and bool(entries) and not _ending(entries[-1].text)
    if start and replacement and not _ending(entries[start - 1].text):
        entries[start - 1] = replace(entries[start - 1], text=entries[start - 1].text + newline)
    if at_end:
        if replacement:
            replacement[-1] = replace(replacement[-1], text=replacement[-1].text.rstrip("\r\n"))
        elif start:
            entries[start - 1] = replace(entries[start - 1], text=entries[start - 1].text.rstrip("\r\n"))
    entries[start:stop] = replacement
    if "".join(entry.text for entry in entries) == "".join(entry.text for entry in obj.entries):
        return obj
    return replace(obj, entries=tuple(entries))


def _set_value(obj: NssObject, name: str, type_: str, token: str, newline: str,
               order: Sequence[str]) -> NssObject:
    """Set `NAME TYPE TOKEN`: replace the value token where it stands, or insert the line by `order`."""
    position = _index(obj, name)
    if position is not None:
        attribute = obj.entries[position]
        assert isinstance(attribute, Attribute)
        match = _VALUE_TOKEN.fullmatch(attribute.text)
        if attribute.type == type_ and match is not None and "\n" not in match.group(2):
            text = match.group(1) + token + match.group(3)
        else:
            text = f"{name} {type_} {token}{newline}"
        new = Attribute(name, type_, token, text, 0)
        return _splice(obj, position, position + 1, [new], newline)
    return _splice(obj, *(2 * (_insertion_point(obj, name, order),)),
                   [simple_attribute(name, type_, token, newline)], newline)


def _insertion_point(obj: NssObject, name: str, order: Sequence[str]) -> int:
    """After the last attribute that comes before `name` in `order`, else before a later one, else the end."""
    rank = order.index(name)
    earlier = [_index(obj, other) for other in order[:rank]]
    found = [position for position in earlier if position is not None]
    if found:
        return max(found) + 1
    later = [_index(obj, other) for other in order[rank + 1 :]]
    found = [position for position in later if position is not None]
    if found:
        return _comment_start(obj, min(found))
    return len(obj.entries)


def _comment_start(obj: NssObject, position: int) -> int:
    """Where the `#` comment lines directly above entry `position` begin."""
    while position and isinstance(obj.entries[position - 1], Comment) and \
            obj.entries[position - 1].text.lstrip().startswith("#"):
        position -= 1
    return position


def _drop(obj: NssObject, name: str, *, comments: bool) -> NssObject:
    """`obj` without attribute `name` (and, if asked, the comment lines directly above it)."""
    position = _index(obj, name)
    if position is None:
        return obj
    start = _comment_start(obj, position) if comments else position
    return _splice(obj, start, position + 1, (), "")


def _relabel(obj: NssObject, label: str, heading: re.Pattern[str], newline: str) -> NssObject:
    position = _index(obj, "CKA_LABEL")
    if position is not None:
        attribute = obj.entries[position]
        assert isinstance(attribute, Attribute)
        if attribute.value != label or attribute.type != "UTF8":
            obj = _splice(obj, position, position + 1, [utf8_attribute("CKA_LABEL", label, newline)],
                          newline)
    preamble = list(obj.preamble)
    for number, line in enumerate(preamble):
        match = heading.fullmatch(line)
        if match is not None:
            # What follows the closing quote (a `, Bug NNN` suffix, the newline) stays.
            preamble[number] = f"{match.group(1)}{label}{match.group(3)}"
            break
    if tuple(preamble) != obj.preamble:
        obj = replace(obj, preamble=tuple(preamble))
    return obj


def _match_trust_heading(obj: NssObject) -> NssObject:
    """`# Trust for "L"` and `# Distrust "L"` follow the trust values as addbuiltin chooses them."""
    trust = read_trust(obj, [])
    levels = (trust.server_auth, trust.email_protection, trust.code_signing)
    distrust = TrustLevel.NOT_TRUSTED in levels and all(
        level is TrustLevel.NOT_TRUSTED or level in _NO_FLAGS for level in levels)
    old, new = ('# Trust for "', '# Distrust "') if distrust else ('# Distrust "', '# Trust for "')
    preamble = list(obj.preamble)
    for number, line in enumerate(preamble):
        if line.startswith(old):
            preamble[number] = new + line[len(old) :]
            return replace(obj, preamble=tuple(preamble))
        if line.startswith(new):
            break
    return obj


def _distrust_on_trust_object(obj: NssObject) -> dict[DistrustPurpose, datetime | None]:
    """Distrust-after attributes on a trust object (where NSS never reads them), with their dates."""
    found: dict[DistrustPurpose, datetime | None] = {}
    for purpose in DistrustPurpose:
        attribute = obj.attribute(purpose.attribute)
        if attribute is None:
            continue
        try:
            found[purpose] = decode_distrust_value(attribute)
        except ValueError:
            found[purpose] = None
    return found


def _distrust_entries(purpose: DistrustPurpose, moment: datetime | None, newline: str) -> list[Entry]:
    """NSS's form: the comment and the 13-byte UTCTime on one octal line, or CK_FALSE when unset."""
    if moment is None:
        return [simple_attribute(purpose.attribute, "CK_BBOOL", "CK_FALSE", newline)]
    comment = Comment(f"{purpose.comment_prefix}{nss_time(moment)}{newline}", 0)
    return [comment, octal_attribute(purpose.attribute, encode_utctime(moment), newline)]


def _distrust_span(obj: NssObject, purpose: DistrustPurpose) -> tuple[int, int] | None:
    """Entries of the attribute with NSS's comment directly above it, if that comment is there."""
    position = _index(obj, purpose.attribute)
    if position is None:
        return None
    start = position
    above = obj.entries[position - 1] if position else None
    if isinstance(above, Comment) and above.text.startswith(purpose.comment_prefix.rstrip()):
        start -= 1
    return start, position + 1


def _set_distrust(obj: NssObject, dates: Mapping[DistrustPurpose, datetime | None],
                  newline: str) -> NssObject:
    """Set the purposes in `dates` where they stand; insert whichever attribute is missing (NSS reads
    a date only when both are present), after CKA_NSS_MOZILLA_CA_POLICY or at the end."""
    for purpose in DistrustPurpose:
        span = _distrust_span(obj, purpose)
        if span is not None and purpose in dates:
            obj = _splice(obj, *span, _distrust_entries(purpose, dates[purpose], newline), newline)
    server, email = DistrustPurpose.SERVER, DistrustPurpose.EMAIL
    if _index(obj, server.attribute) is None:
        email_span = _distrust_span(obj, email)
        if email_span is not None:
            at = email_span[0]
        else:
            policy = _index(obj, MOZILLA_CA_POLICY)
            at = len(obj.entries) if policy is None else policy + 1
        obj = _splice(obj, at, at, _distrust_entries(server, dates.get(server), newline), newline)
    if _index(obj, email.attribute) is None:
        at = (_index(obj, server.attribute) or 0) + 1
        obj = _splice(obj, at, at, _distrust_entries(email, dates.get(email), newline), newline)
    return obj


__all__ = ["apply", "apply_with_warnings"]
