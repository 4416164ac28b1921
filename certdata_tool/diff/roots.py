"""Roots of two files paired by certificate, and what differs between the two of a pair: the
fields a reviewer reads, then every other attribute, in words."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from ..model.roots import Root
from ..syntax.nssfile import Attribute, CertdataFile, NssObject
from .values import (
    DIFF_FIELD_ATTRIBUTES,
    FIELDS,
    FieldChange,
    RootChange,
    attribute_signature,
    field_value,
    signature,
)


def pair_roots(old_roots: tuple[Root, ...],
                new_roots: tuple[Root, ...]) -> tuple[list[tuple[Root, Root]], list[Root], list[Root]]:
    """Pairs (old, new) of the same certificate in NEW's order, then added and removed roots.

    A certificate held twice in one file is paired occurrence by occurrence, in file order.
    """
    waiting: dict[str, deque[Root]] = {}
    for root in old_roots:
        waiting.setdefault(root.sha256, deque()).append(root)
    pairs: list[tuple[Root, Root]] = []
    added: list[Root] = []
    for root in new_roots:
        queue = waiting.get(root.sha256)
        if queue:
            pairs.append((queue.popleft(), root))
        else:
            added.append(root)
    paired = {id(old_root) for old_root, _ in pairs}
    removed = [root for root in old_roots if id(root) not in paired]
    return pairs, added, removed



def _root_objects(store: CertdataFile, root: Root) -> tuple[NssObject, NssObject | None]:
    return root.certificate(store), root.trust_object(store)


def root_change(old: CertdataFile, new: CertdataFile, old_root: Root, new_root: Root) -> RootChange | None:
    old_cert, old_trust = _root_objects(old, old_root)
    new_cert, new_trust = _root_objects(new, new_root)
    if old_cert is new_cert and old_trust is new_trust:
        return None  # an edit shares the objects it did not touch: nothing to compare
    old_trust_sig = None if old_trust is None else signature(old_trust)
    new_trust_sig = None if new_trust is None else signature(new_trust)
    if signature(old_cert) == signature(new_cert) and old_trust_sig == new_trust_sig:
        return None
    changes = tuple(
        FieldChange(field, field_value(old_root, field), field_value(new_root, field))
        for field in FIELDS
        if field_value(old_root, field) != field_value(new_root, field)
    )
    said = {change.field for change in changes}
    words = list(_attribute_changes("certificate", old_cert, new_cert, said, new_root))
    if old_trust is None and new_trust is not None:
        words.append("trust object added")
    elif old_trust is not None and new_trust is None:
        words.append("trust object removed")
    elif old_trust is not None and new_trust is not None:
        words.extend(_attribute_changes("trust", old_trust, new_trust, said, new_root))
    return RootChange(old_root, new_root, changes, tuple(words))


def _attribute_changes(kind: str, old_obj: NssObject, new_obj: NssObject, said: set[str],
                       new_root: Root) -> Iterator[str]:
    """Differences between two objects' attributes that no changed field already says."""
    old_attributes = _by_name(old_obj.attributes())
    new_attributes = _by_name(new_obj.attributes())

    def covered(name: str, new_attribute: Attribute | None) -> bool:
        field = DIFF_FIELD_ATTRIBUTES.get((kind, name))
        if field is None or field not in said:
            return False
        # A trust object's label is covered by a rename only when it follows the new label.
        return not (kind == "trust" and name == "CKA_LABEL"
                    and (new_attribute is None or new_attribute.value != new_root.label))

    prefix = f"{kind} object: "
    for key, old_attribute in old_attributes.items():
        name = key[0]
        new_attribute = new_attributes.get(key)
        if new_attribute is None:
            if not covered(name, None):
                yield f"{prefix}{name} removed (was {_describe(old_attribute)})"
        elif (attribute_signature(old_attribute) != attribute_signature(new_attribute)
              and not covered(name, new_attribute)):
            yield f"{prefix}{name} changed ({_describe(old_attribute)} → {_describe(new_attribute)})"
    for key, new_attribute in new_attributes.items():
        if key not in old_attributes and not covered(key[0], new_attribute):
            yield f"{prefix}{key[0]} added ({_describe(new_attribute)})"
    common_old = [key for key in old_attributes if key in new_attributes]
    common_new = [key for key in new_attributes if key in old_attributes]
    if common_old != common_new:
        yield f"{prefix}attribute order changed"


def _by_name(attributes: Iterable[Attribute]) -> dict[tuple[str, int], Attribute]:
    """Attributes keyed by (name, occurrence), so a repeated attribute is compared in order."""
    seen: dict[str, int] = {}
    keyed: dict[tuple[str, int], Attribute] = {}
    for attribute in attributes:
        count = seen.get(attribute.name, 0)
        seen[attribute.name] = count + 1
        keyed[(attribute.name, count)] = attribute
    return keyed


def _describe(attribute: Attribute) -> str:
    """An attribute's type and value in a few words (octal values by their size only)."""
    if attribute.type == "MULTILINE_OCTAL":
        size = len(attribute.octal)
        return f"MULTILINE_OCTAL, {size} byte{'' if size == 1 else 's'}"
    if attribute.type == "UTF8":
        return f'UTF8 "{attribute.value!s}"'
    return f"{attribute.type} {attribute.value!s}"
