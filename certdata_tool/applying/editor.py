"""Apply change specs to a certdata file: pure, idempotent edits of only the lines a change concerns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..errors import ChangeError
from ..model.blocks import insert_root, root_blocks
from ..model.roots import (
    DistrustPurpose,
    Root,
    TrustField,
    TrustLevel,
    read_roots,
    roots,
)
from ..model.selectors import Selector, no_match_message, select
from ..spec.load import AddChange, Change, ModifyChange, Spec
from ..syntax.nssfile import CertdataFile, dump
from . import edits, reapply

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
    editor = Editor(store, at)
    editor.run(plan(specs))
    return editor.result(), tuple(editor.warnings)


def apply_with_notes(store: CertdataFile, spec: Spec | Sequence[Spec], *,
                     at: datetime | None = None) -> tuple[CertdataFile, tuple[str, ...], tuple[str, ...]]:
    """Like `apply_with_warnings`, also returning the changes found already applied, which a report
    names (a removal by fingerprint whose root is gone), as `SPEC:LINE: path: message`."""
    specs = (spec,) if isinstance(spec, Spec) else tuple(spec)
    editor = Editor(store, at)
    editor.run(plan(specs))
    return editor.result(), tuple(editor.warnings), tuple(editor.notes)


def plan(specs: Sequence[Spec]) -> list[tuple[Spec, Change]]:
    """The changes of `specs` in order, a change with a list of selectors once per selector."""
    return [(one, part) for one in specs for change in one.changes
            for part in (change.one_per_selector() if isinstance(change, ModifyChange) else (change,))]


class Editor:
    """The objects of the file being edited, with the roots re-read only when identities change.

    It selects the roots each change names and dispatches the edits (edits.py, on top of
    splice.py); reapply.py decides what a spec applied before looks like.
    """

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
        self.notes: list[str] = []
        self._roots: tuple[Root, ...] | None = None
        self.found_by_new_label: list[tuple[Spec, ModifyChange]] = []

    def current(self) -> CertdataFile:
        """The file as edited so far: the given store itself while nothing changed (its roots are
        already read, and cached by identity)."""
        objects = tuple(self.objects)
        store = self.store
        if (self.header, objects, self.trailer) == (store.header, store.objects, store.trailer):
            return store
        return store._replace(header=self.header, objects=objects, trailer=self.trailer)

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

    def no_match(self, spec: Spec, change: ModifyChange) -> ChangeError:
        return ChangeError(f"{change.where_selected()}: {no_match_message(change.selector, self.roots())}",
                           source=spec.source, line=change.line_of("select"))

    def apply(self, spec: Spec, change: Change, later: Sequence[tuple[Spec, Change]] = ()) -> None:
        if isinstance(change, AddChange):
            self.add(spec, change, later)
            return
        if not isinstance(change, ModifyChange):
            raise TypeError(f"unknown kind of change: {type(change).__name__}")
        chosen, already_renamed = self.select(spec, change, later)
        if change.remove:
            self.objects = edits.remove(self.objects, chosen)
            self._roots = None
            return
        before = list(self.objects)
        if already_renamed:
            # Found by the label the spec gives it, so the spec was applied before: the change is
            # made, or a later change of the spec overrides it. Either way the spec as a whole
            # must change nothing (checked at the end of run); else the selector is wrong (a typo
            # naming no root) and must not edit a root that happens to carry the label.
            if len(chosen) != change.selector.count:
                chosen = reapply.settle(self, spec, change, chosen, later)
            for root in chosen:
                self.edit_root(spec, change, root)
            if any(now is not then for now, then in zip(self.objects, before, strict=True)):
                self.found_by_new_label.append((spec, change))
            return
        if change.trust is not None or change.step_up_approved is not None:
            chosen = self.give_trust_objects(spec, change, chosen)
        for root in chosen:
            self.edit_root(spec, change, root)
        if change.rename is not None:
            self._roots = None
            self.check_label(spec, change, change.rename)

    def edit_root(self, spec: Spec, change: ModifyChange, root: Root) -> None:
        """Each kind of edit the change asks for, in a fixed order (edits.py makes them)."""
        if change.rename is not None:
            edits.rename(self.objects, root, change.rename, self.newline)
        if change.trust is not None or change.step_up_approved is not None:
            if root.trust_index is None:
                raise ChangeError(f"{change.path}.trust: the root {root.label!r} has no trust object "
                                  "(CKO_NSS_TRUST) whose values could be changed", source=spec.source,
                                  line=change.line_of("trust"))
            edits.set_trust(self.objects, root.trust_index, change.trust or {}, change.step_up_approved,
                            self.newline)
            # A second trust object for the same certificate (lint CD111): NSS may read either, so
            # both get the new values, or the report would claim a change NSS may not see.
            for twin in read_roots(self.current()).distrust_entries:
                if twin.sha1 is not None and twin.sha1 == root.sha1:
                    edits.set_trust(self.objects, twin.trust_index, change.trust or {},
                                    change.step_up_approved, self.newline)
        if change.mozilla_ca_policy is not None:
            edits.set_policy(self.objects, root, change.mozilla_ca_policy, self.newline)
        if change.distrust_after is not None:
            edits.set_distrust_after(self.objects, root, change.distrust_after, self.newline)

    def give_trust_objects(self, spec: Spec, change: ModifyChange,
                           chosen: tuple[Root, ...]) -> tuple[Root, ...]:
        """`chosen` again, each with a trust object: one without gets a new one as addbuiltin writes
        it, right after its certificate object (usages the change does not name: must_verify_trust),
        so that `trust:` can give trust to a certificate that had none (as `diff --format spec`
        writes it when NEW adds a trust object)."""
        missing = [root for root in chosen if root.trust_index is None]
        if not missing:
            return chosen
        certificates = [self.objects[root.certificate_index] for root in chosen]
        for root in sorted(missing, key=lambda root: root.certificate_index, reverse=True):
            try:
                _, trust = root_blocks(root.der, root.label, server_auth=TrustLevel.MUST_VERIFY_TRUST,
                                       email_protection=TrustLevel.MUST_VERIFY_TRUST,
                                       code_signing=TrustLevel.MUST_VERIFY_TRUST, newline=self.newline)
            except ValueError as error:
                raise ChangeError(f"{change.path}.trust: the root {root.label!r} has no trust object "
                                  f"(CKO_NSS_TRUST), and none can be made for it: {error}",
                                  source=spec.source, line=change.line_of("trust")) from None
            self.objects.insert(root.certificate_index + 1, trust)
        self._roots = None
        by_object = {id(self.objects[root.certificate_index]): root for root in self.roots()}
        return tuple(by_object[id(certificate)] for certificate in certificates)

    def select(self, spec: Spec, change: ModifyChange,
               later: Sequence[tuple[Spec, Change]] = ()) -> tuple[tuple[Root, ...], bool]:
        """The roots a change applies to, and whether they were found by the change's new label.

        ChangeError names the spec line when their number is wrong. A spec applies twice without
        error: a root removed by fingerprint is not found again (a note says so), also by a change
        before the removal that selects it the same way (a warning); a root selected by its old
        label is looked up by the label the spec gives it (the caller then makes sure the spec as a
        whole changes nothing); a root a later add of the spec creates is not there yet.
        """
        selector = change.selector
        candidates = self.visible(later)
        try:
            return select(candidates, selector), False
        except ChangeError as error:
            if not any(selector.matches(root) for root in candidates):
                if change.remove and selector.by_fingerprint and not _still_there(selector, candidates):
                    # A certificate named by its fingerprint is gone: removed before, so the
                    # removal is already applied. (A label alone may be a typo: an error below.
                    # So is any part of the selector that still names a root of the file, a
                    # fingerprint or the label: then a typo elsewhere would keep a root trusted.)
                    self.notes.append(f"{spec.source}:{change.line_of('select')}: "
                                      f"{change.where_selected()}: no root has "
                                      f"{selector.describe()} (removed before); nothing to remove")
                    return (), False
                if any(isinstance(other, ModifyChange) and other.remove and other.selector == selector
                       for _, other in later):
                    self.warn(spec, change.line_of("select"), change.where_selected(),
                              f"no root matches {selector.describe()}: nothing to change (a later "
                              "change removes it; already applied?)")
                    return (), False
                renamed = reapply.renamed(selector, change, later)
                if renamed != selector:
                    found = tuple(root for root in candidates if renamed.matches(root))
                    # More roots may carry the new label (a rename to a used label warns): the
                    # caller settles which one the spec meant.
                    if len(found) >= selector.count:
                        return found, True
            hint = None
            if change.remove and selector.label is not None and not selector.by_fingerprint:
                hint = ("a removal by label must name a root; select it by sha256 as well, so that "
                        "re-running the spec after the removal is safe")
            raise ChangeError(f"{change.where_selected()}: {error.message}", source=spec.source,
                              line=change.line_of("select"), hint=hint) from None

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
            reapply.check_present(self, spec, change, present[0], later)
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

__all__ = ["apply", "apply_with_notes", "apply_with_warnings", "plan"]


def _still_there(selector: Selector, roots: Sequence[Root]) -> bool:
    """Whether a root of `roots` has the label, the SHA-256 or the SHA-1 the selector names."""
    return any((selector.label is not None and root.label == selector.label)
               or (selector.sha256 is not None and root.sha256.startswith(selector.sha256))
               or (selector.sha1 is not None and root.sha1.startswith(selector.sha1)) for root in roots)
