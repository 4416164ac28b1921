"""Apply change specs to a certdata file: pure, idempotent edits of only the lines a change concerns."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from ..errors import ChangeError
from ..model.blocks import insert_root, is_distrust, root_blocks
from ..model.roots import (
    MOZILLA_CA_POLICY,
    POSITIVE_TRUST,
    STEP_UP_APPROVED,
    DistrustPurpose,
    Root,
    Selector,
    TrustField,
    TrustLevel,
    decode_distrust_value,
    read_trust,
    roots,
    select,
)
from ..moments import encode_utctime, nss_time
from ..spec.load import AddChange, Change, ModifyChange, Spec
from ..syntax.nssfile import (
    Attribute,
    CertdataFile,
    Comment,
    Entry,
    NssObject,
    dump,
    octal_attribute,
    simple_attribute,
    utf8_attribute,
)

# The trust attributes in the order addbuiltin writes them, for inserting a missing one.
_TRUST_ORDER = (*(trust_field.attribute for trust_field in TrustField), STEP_UP_APPROVED)
_CERTIFICATE_ORDER = ("CKA_VALUE", MOZILLA_CA_POLICY, *(purpose.attribute for purpose in DistrustPurpose))
# `# Certificate "L"`, `# Trust for "L"`, `# Trust for Certificate "L"`, `# Distrust "L"`: the
# comment headers that repeat a root's label.
_CERTIFICATE_HEADING = re.compile(r'(# Certificate ")(.*)(".*)', re.DOTALL)
_TRUST_HEADING = re.compile(r'(# (?:Trust for Certificate|Trust for|Distrust) ")(.*)(".*)', re.DOTALL)
_VALUE_TOKEN = re.compile(r"([ \t]*\S+[ \t]+\S+[ \t]+)(\S+)(.*)", re.DOTALL)
_PERL_INTERPOLATED = "$@"


def apply(store: CertdataFile, spec: Spec | Sequence[Spec]) -> CertdataFile:
    """`store` with the changes of `spec` (or of several specs, in order) made; pure and idempotent."""
    return apply_with_warnings(store, spec)[0]


def apply_with_warnings(store: CertdataFile, spec: Spec | Sequence[Spec], *,
                        at: datetime | None = None) -> tuple[CertdataFile, tuple[str, ...]]:
    """Like `apply`, also returning warnings (`SPEC:LINE: path: message`) a user should read.

    `at` is the moment an added root's validity period is checked at; None (the default, as
    the core never reads the clock) checks everything but the validity period.
    """
    specs = (spec,) if isinstance(spec, Spec) else tuple(spec)
    editor = _Editor(store, at)
    editor.run([(one, change) for one in specs for change in one.changes])
    return editor.result(), tuple(editor.warnings)


# The values of a root an add sets, and a spec applied twice must find again.
_ROOT_VALUES = ("label", *(f"trust.{trust_field.value}" for trust_field in TrustField),
                "trust.step_up_approved", *(f"distrust_after.{purpose.value}" for purpose in DistrustPurpose),
                "mozilla_ca_policy")


class _Editor:
    """The objects of the file being edited, with the roots re-read only when identities change."""

    def __init__(self, store: CertdataFile, at: datetime | None = None, *,
                 origin: CertdataFile | None = None) -> None:
        self.store = store
        # The file the spec was given, for a trial run that starts from an edited one (None: this
        # editor is that run, and checks at the end what it found by new labels).
        self.origin = origin
        self.objects = list(store.objects)
        # An appended root may end the header or the last object with a newline and absorbs the
        # lines after the last object: the editor keeps all three parts of the file.
        self.header = store.header
        self.trailer = store.trailer
        self.newline = store.newline
        self.at = at
        self.warnings: list[str] = []
        self._roots: tuple[Root, ...] | None = None
        self.found_by_new_label: list[tuple[Spec, ModifyChange]] = []

    def current(self) -> CertdataFile:
        """The file as edited so far: the given store itself while nothing changed (its roots are
        already read, and cached by identity)."""
        objects = tuple(self.objects)
        store = self.store
        if (self.header, objects, self.trailer) == (store.header, store.objects, store.trailer):
            return store
        return replace(store, header=self.header, objects=objects, trailer=self.trailer)

    def result(self) -> CertdataFile:
        return self.current()

    def roots(self) -> tuple[Root, ...]:
        if self._roots is None:
            self._roots = roots(self.current())
        return self._roots

    def warn(self, spec: Spec, line: int, path: str, message: str) -> None:
        self.warnings.append(f"{spec.source}:{line}: {path}: {message}")

    def run(self, plan: Sequence[tuple[Spec, Change]]) -> None:
        """Make the changes in order; each may look at the ones after it, for a spec applied twice."""
        for position, (spec, change) in enumerate(plan):
            self.apply(spec, change, plan[position + 1 :])
        if self.origin is None and self.found_by_new_label and dump(self.current()) != dump(self.store):
            # A root was found by its new label only because the spec was applied before; a spec
            # applied before changes nothing, so the selector named no root after all.
            raise self.no_match(*self.found_by_new_label[0])

    def settle(self, spec: Spec, change: ModifyChange, chosen: Sequence[Root],
               later: Sequence[tuple[Spec, Change]]) -> tuple[Root, ...]:
        """Of several roots with the label the spec gives one root, the one with which the spec as
        a whole changes nothing (it was applied before); else the selector names no root."""
        if change.selector.count == 1:
            origin = dump(self.store if self.origin is None else self.origin)
            for candidate in chosen:
                trial = _Editor(self.current(), None, origin=self.origin or self.store)
                try:
                    trial.edit_root(spec, change, candidate)
                    trial.run(later)
                except ChangeError:
                    continue
                if dump(trial.current()) == origin:
                    return (candidate,)
        raise self.no_match(spec, change)

    def no_match(self, spec: Spec, change: ModifyChange) -> ChangeError:
        return ChangeError(f"{change.path}.select: no root matches {change.selector.describe()}",
                           source=spec.source, line=change.line_of("select"))

    def apply(self, spec: Spec, change: Change, later: Sequence[tuple[Spec, Change]] = ()) -> None:
        if isinstance(change, AddChange):
            self.add(spec, change, later)
            return
        if not isinstance(change, ModifyChange):
            raise TypeError(f"unknown kind of change: {type(change).__name__}")
        chosen, already_renamed = self.select(spec, change, later)
        if change.remove:
            self.remove(chosen)
            return
        before = list(self.objects)
        if already_renamed:
            # Found by the label the spec gives it, so the spec was applied before: the change is
            # made, or a later change of the spec overrides it. Either way the spec as a whole
            # must change nothing (checked at the end of run); else the selector is wrong (a typo
            # naming no root) and must not edit a root that happens to carry the label.
            if len(chosen) != change.selector.count:
                chosen = self.settle(spec, change, chosen, later)
            for root in chosen:
                self.edit_root(spec, change, root)
            if any(now is not then for now, then in zip(self.objects, before, strict=True)):
                self.found_by_new_label.append((spec, change))
            return
        for root in chosen:
            self.edit_root(spec, change, root)
        if change.rename is not None:
            self._roots = None
            self.check_label(spec, change, change.rename)

    def edit_root(self, spec: Spec, change: ModifyChange, root: Root) -> None:
        if change.rename is not None:
            self.rename(root, change.rename)
        if change.trust is not None or change.step_up_approved is not None:
            self.set_trust(spec, change, root)
        if change.mozilla_ca_policy is not None:
            self.set_policy(root, change.mozilla_ca_policy)
        if change.distrust_after is not None:
            self.set_distrust_after(root, change.distrust_after)

    def select(self, spec: Spec, change: ModifyChange,
               later: Sequence[tuple[Spec, Change]] = ()) -> tuple[tuple[Root, ...], bool]:
        """The roots a change applies to, and whether they were found by the change's new label.

        ChangeError names the spec line when their number is wrong. A spec applies twice without
        error: a removed root is not found again (a warning says so), also by a change before the
        removal that selects it the same way; a root selected by its old label is looked up by the
        label the spec gives it (the caller then makes sure the spec as a whole changes nothing);
        a root a later add of the spec creates is not there yet.
        """
        selector = change.selector
        candidates = self.visible(later)
        try:
            return select(candidates, selector), False
        except ChangeError as error:
            if not any(selector.matches(root) for root in candidates):
                if change.remove:
                    self.warn(spec, change.line_of("select"), f"{change.path}.select",
                              f"no root matches {selector.describe()}: nothing to remove "
                              "(already removed?)")
                    return (), False
                if any(isinstance(other, ModifyChange) and other.remove and other.selector == selector
                       for _, other in later):
                    self.warn(spec, change.line_of("select"), f"{change.path}.select",
                              f"no root matches {selector.describe()}: nothing to change (a later "
                              "change removes it; already applied?)")
                    return (), False
                renamed = _renamed(selector, change, later)
                if renamed != selector:
                    found = tuple(root for root in candidates if renamed.matches(root))
                    # More roots may carry the new label (a rename to a used label warns): the
                    # caller settles which one the spec meant.
                    if len(found) >= selector.count:
                        return found, True
            raise ChangeError(f"{change.path}.select: {error.message}", source=spec.source,
                              line=change.line_of("select")) from None

    def visible(self, later: Sequence[tuple[Spec, Change]]) -> tuple[Root, ...]:
        """The roots a change can select: not those a later add of the spec creates, which the
        file already holds when the spec is applied a second time."""
        created = {change.sha256 for _, change in later if isinstance(change, AddChange)}
        return tuple(root for root in self.roots() if root.sha256 not in created)

    # -- add ---------------------------------------------------------------------------------

    def add(self, spec: Spec, change: AddChange, later: Sequence[tuple[Spec, Change]]) -> None:
        """Append the root (or place it after `after`) as addbuiltin prints it.

        A certificate already in the file is not added twice: when the root is as this add and the
        `later` changes make it, the add is already made (a spec applies twice); otherwise it is an
        error.
        """
        sha256 = change.sha256
        # The cached roots keep their identities, not their values, which earlier changes may have edited.
        self._roots = None
        present = [root for root in self.roots() if root.sha256 == sha256]
        if present:
            self.check_present(spec, change, present[0], later)
            return
        after_index = None
        if change.after is not None:
            try:
                (anchor,) = select(self.visible(later), change.after)
            except ChangeError as error:
                raise ChangeError(f"{change.path}.add.after: {error.message}", source=spec.source,
                                  line=change.line_of("add.after")) from None
            # After the root's trust object (NSS writes it right after the certificate object).
            after_index = anchor.certificate_index if anchor.trust_index is None else max(
                anchor.certificate_index, anchor.trust_index)
        try:
            cert, trust = root_blocks(
                change.der, change.label,
                server_auth=change.trust[TrustField.SERVER_AUTH],
                email_protection=change.trust[TrustField.EMAIL_PROTECTION],
                code_signing=change.trust[TrustField.CODE_SIGNING],
                step_up_approved=change.step_up_approved,
                server_distrust_after=change.distrust_after.get(DistrustPurpose.SERVER),
                email_distrust_after=change.distrust_after.get(DistrustPurpose.EMAIL),
                newline=self.newline,
            )
        except ValueError as error:  # the loader checked all of it; say so should one slip through
            raise ChangeError(f"{change.path}.add: {error}", source=spec.source,
                              line=change.line_of("add")) from None
        holders = [root for root in self.roots() if root.label == change.label]
        added = insert_root(self.current(), cert, trust, after_index)
        self.header, self.objects, self.trailer = added.header, list(added.objects), added.trailer
        self._roots = None
        line, path = change.line_of("add.label"), f"{change.path}.add.label"
        if holders:
            lines = ", ".join(str(root.line) for root in holders)
            self.warn(spec, line, path, f"the label {change.label!r} is already used by "
                      f"{'another root' if len(holders) == 1 else f'{len(holders)} roots'} "
                      f"({self.store.source} line{'s' if len(holders) > 1 else ''} {lines}); "
                      "NSS expects labels to be unique")
        self.warn_perl(spec, line, path, change.label)
        from ..x509.checks import certificate_warnings

        for problem in certificate_warnings(change.der, self.at):
            self.warn(spec, change.line_of("add.certificate"), f"{change.path}.add.certificate", problem)

    def check_present(self, spec: Spec, change: AddChange, root: Root,
                      later: Sequence[tuple[Spec, Change]]) -> None:
        """An add of a certificate the file holds: nothing to do when the root is what the add, and
        the changes after it, make of it. ChangeError otherwise: an add never edits a root."""
        made = {
            "label": change.label,
            **{f"trust.{trust_field.value}": change.trust[trust_field] for trust_field in TrustField},
            "trust.step_up_approved": change.step_up_approved,
            **{f"distrust_after.{purpose.value}": change.distrust_after.get(purpose)
               for purpose in DistrustPurpose},
            "mozilla_ca_policy": any(level in POSITIVE_TRUST for level in change.trust.values()),
        }
        differing = [key for key in _ROOT_VALUES if _root_values(root)[key] != made[key]]
        if differing and later:
            # A later change of the spec may have edited the root the add made (say, a select by
            # its label that sets a date). Compare what the rest of the spec makes of the root
            # as it is with what it makes of the root added afresh.
            try:
                as_is = self.trial(self.current(), change.sha256, later)
            except ChangeError:
                return  # the rest of the spec fails on its own; let its error be the one shown
            try:
                afresh = self.trial(self.without(root), change.sha256, [(spec, change), *later])
            except ChangeError:
                afresh = None
            if afresh is not None and as_is is not None:
                differing = [key for key in _ROOT_VALUES if as_is[key] != afresh[key]]
        if differing:
            raise ChangeError(
                f"{change.path}.add.certificate: the certificate (SHA-256 {change.sha256[:16]}…) is "
                f"already in the file as {root.label!r} ({self.store.source} line {root.line}) with "
                f"another {', '.join(differing)}; to change a root that is already there, use "
                f"- select: {{sha256: \"{change.sha256}\"}} with trust, distrust_after or rename",
                source=spec.source, line=change.line_of("add.certificate"))

    def trial(self, store: CertdataFile, sha256: str,
              plan: Sequence[tuple[Spec, Change]]) -> dict[str, object] | None:
        """The values of the root with this certificate after `plan` is applied to `store`."""
        editor = _Editor(store, None, origin=self.origin or self.store)
        editor.run(plan)
        found = [root for root in roots(editor.current()) if root.sha256 == sha256]
        return _root_values(found[0]) if found else None

    def without(self, root: Root) -> CertdataFile:
        doomed = {root.certificate_index, root.trust_index}
        return replace(self.current(), objects=tuple(obj for index, obj in enumerate(self.objects)
                                                     if index not in doomed))

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
        self.warn_perl(spec, line, path, label)

    def warn_perl(self, spec: Spec, line: int, path: str, label: str) -> None:
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


def _renamed(selector: Selector, change: ModifyChange, later: Sequence[tuple[Spec, Change]]) -> Selector:
    """The selector by the label the spec gives the root: its own rename, then those of later
    changes that select it the same way (a spec applied twice finds the root by its new name)."""
    if selector.label is None:
        return selector
    renamed = selector if change.rename is None else replace(selector, label=change.rename)
    for _, other in later:
        if isinstance(other, ModifyChange) and other.rename is not None and other.selector == renamed:
            renamed = replace(renamed, label=other.rename)
    return renamed


def _root_values(root: Root) -> dict[str, object]:
    return {
        "label": root.label,
        **{f"trust.{trust_field.value}": root.trust.level(trust_field) for trust_field in TrustField},
        "trust.step_up_approved": bool(root.trust.step_up_approved),
        **{f"distrust_after.{purpose.value}": root.distrust_after.get(purpose)
           for purpose in DistrustPurpose},
        "mozilla_ca_policy": root.mozilla_ca_policy,
    }


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
    # A missing usage carries no flag, as TRUST_UNKNOWN.
    distrust = is_distrust(*(level or TrustLevel.TRUST_UNKNOWN
                             for level in (trust.server_auth, trust.email_protection, trust.code_signing)))
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
