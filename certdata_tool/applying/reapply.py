"""A spec applied twice changes nothing: how the editor recognises changes already made.

A removed root is not there, a renamed one carries its new label, an added one is already in
the file; these functions decide, with trial runs of the rest of the spec where needed, whether
what the editor finds is the spec's own earlier result or a mistake in the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import ChangeError
from ..model.roots import (
    POSITIVE_TRUST,
    ROOT_FIELDS,
    DistrustPurpose,
    Root,
    TrustField,
    field_value,
    roots,
)
from ..model.selectors import Selector
from ..spec.load import AddChange, Change, ModifyChange, Spec
from ..syntax.nssfile import CertdataFile, dump

if TYPE_CHECKING:
    from .editor import Editor

def settle(editor: Editor, spec: Spec, change: ModifyChange, chosen: Sequence[Root],
           later: Sequence[tuple[Spec, Change]]) -> tuple[Root, ...]:
    """Of several roots with the label the spec gives one root, the one with which the spec as
    a whole changes nothing (it was applied before); else the selector names no root."""
    if change.selector.count == 1:
        origin = dump(editor.store if editor.origin is None else editor.origin)
        for candidate in chosen:
            trial = type(editor)(editor.current(), None, origin=editor.origin or editor.store)
            try:
                trial.edit_root(spec, change, candidate)
                trial.run(later)
            except ChangeError:
                continue
            if dump(trial.current()) == origin:
                return (candidate,)
    raise editor.no_match(spec, change)


def check_present(editor: Editor, spec: Spec, change: AddChange, root: Root,
                  later: Sequence[tuple[Spec, Change]]) -> None:
    """An add of a certificate the file holds: nothing to do when the root is what the add, and
    the changes after it, make of it. ChangeError otherwise: an add never edits a root."""
    if editor.origin is not None:
        # A trial run asks what the plan makes of another root, which this add never edits; the
        # real run judges this add when it reaches it. Judging it in every trial too made trials
        # of trials: time exponential in the number of such adds (15 took 100 s).
        return
    made = {
        "label": change.label,
        **{f"trust.{trust_field.value}": change.trust[trust_field] for trust_field in TrustField},
        "trust.step_up_approved": change.step_up_approved,
        **{f"distrust_after.{purpose.value}": change.distrust_after.get(purpose)
           for purpose in DistrustPurpose},
        "mozilla_ca_policy": any(level in POSITIVE_TRUST for level in change.trust.values()),
    }
    differing = [key for key in ROOT_FIELDS if root_values(root)[key] != made[key]]
    if differing and later:
        # A later change of the spec may have edited the root the add made (say, a select by
        # its label that sets a date). Compare what the rest of the spec makes of the root
        # as it is with what it makes of the root added afresh.
        try:
            as_is = _trial(editor, editor.current(), change.sha256, later)
        except ChangeError:
            return  # the rest of the spec fails on its own; let its error be the one shown
        try:
            afresh = _trial(editor, _without(editor, root), change.sha256, [(spec, change), *later])
        except ChangeError:
            afresh = None
        if afresh is not None and as_is is not None:
            differing = [key for key in ROOT_FIELDS if as_is[key] != afresh[key]]
    if differing:
        raise ChangeError(
            f"{change.path}.add.certificate: the certificate (SHA-256 {change.sha256[:16]}…) is "
            f"already in the file as {root.label!r} ({editor.store.source} line {root.line}) with "
            f"another {', '.join(differing)}; to change a root that is already there, use "
            f"- select: {{sha256: \"{change.sha256}\"}} with trust, distrust_after or rename",
            source=spec.source, line=change.line_of("add.certificate"))


def _trial(editor: Editor, store: CertdataFile, sha256: str,
           plan: Sequence[tuple[Spec, Change]]) -> dict[str, object] | None:
    """The values of the root with this certificate after `plan` is applied to `store`."""
    trial = type(editor)(store, None, origin=editor.origin or editor.store)
    trial.run(plan)
    found = [root for root in roots(trial.current()) if root.sha256 == sha256]
    return root_values(found[0]) if found else None


def _without(editor: Editor, root: Root) -> CertdataFile:
    doomed = {root.certificate_index, root.trust_index}
    return editor.current()._replace(objects=tuple(obj for index, obj in enumerate(editor.objects)
                                                   if index not in doomed))


def renamed(selector: Selector, change: ModifyChange, later: Sequence[tuple[Spec, Change]]) -> Selector:
    """The selector by the label the spec gives the root: its own rename, then those of later
    changes that select it the same way (a spec applied twice finds the root by its new name)."""
    if selector.label is None:
        return selector
    renamed = selector if change.rename is None else replace(selector, label=change.rename)
    for _, other in later:
        if isinstance(other, ModifyChange) and other.rename is not None and other.selector == renamed:
            renamed = replace(renamed, label=other.rename)
    return renamed


def root_values(root: Root) -> dict[str, object]:
    """The values of a root an add sets, and a spec applied twice must find again."""
    values = {field: field_value(root, field) for field in ROOT_FIELDS}
    values["trust.step_up_approved"] = bool(root.trust.step_up_approved)  # missing means false
    return values


__all__ = ["check_present", "renamed", "root_values", "settle"]
