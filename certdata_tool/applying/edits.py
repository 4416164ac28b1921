"""Each kind of edit a change makes to a root's objects: remove, rename, trust, policy, distrust-after.

The functions change the editor's list of objects in place and touch only the lines they concern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from ..model.blocks import is_titled_distrust
from ..model.roots import (
    MOZILLA_CA_POLICY,
    STEP_UP_APPROVED,
    DistrustPurpose,
    Root,
    TrustField,
    TrustLevel,
    decode_distrust_value,
    read_trust,
)
from ..moments import encode_utctime, nss_time
from ..syntax.nssfile import (
    Attribute,
    Comment,
    Entry,
    NssObject,
    octal_attribute,
    simple_attribute,
    utf8_attribute,
)
from .splice import drop, index_of, set_value, splice

# The trust attributes in the order addbuiltin writes them, for inserting a missing one.
_TRUST_ORDER = (*(trust_field.attribute for trust_field in TrustField), STEP_UP_APPROVED)
_CERTIFICATE_ORDER = ("CKA_VALUE", MOZILLA_CA_POLICY, *(purpose.attribute for purpose in DistrustPurpose))
# `# Certificate "L"`, `# Trust for "L"`, `# Trust for Certificate "L"`, `# Distrust "L"`: the
# comment headers that repeat a root's label.
_CERTIFICATE_HEADING = re.compile(r'(# Certificate ")(.*)(".*)', re.DOTALL)
_TRUST_HEADING = re.compile(r'(# (?:Trust for Certificate|Trust for|Distrust) ")(.*)(".*)', re.DOTALL)


def remove(objects: list[NssObject], chosen: Sequence[Root]) -> list[NssObject]:
    """Without the certificate and trust objects of `chosen`, comment blocks and all (as NSS
    deletes them: in place)."""
    doomed = {root.certificate_index for root in chosen}
    doomed.update(root.trust_index for root in chosen if root.trust_index is not None)
    return [obj for index, obj in enumerate(objects) if index not in doomed]


def rename(objects: list[NssObject], root: Root, label: str, newline: str) -> None:
    """CKA_LABEL of both objects and the comment headers that repeat it."""
    objects[root.certificate_index] = _relabel(objects[root.certificate_index], label, _CERTIFICATE_HEADING,
                                               newline)
    if root.trust_index is not None:
        objects[root.trust_index] = _relabel(objects[root.trust_index], label, _TRUST_HEADING, newline)


def set_trust(objects: list[NssObject], trust_index: int, trust: Mapping[TrustField, TrustLevel],
              step_up_approved: bool | None, newline: str) -> None:
    """The usages' values (and step-up) on the trust object; its `# Trust for` or `# Distrust`
    heading follows them."""
    values: list[tuple[str, str, str]] = [
        (trust_field.attribute, "CK_TRUST", level.constant) for trust_field, level in trust.items()
    ]
    if step_up_approved is not None:
        values.append((STEP_UP_APPROVED, "CK_BBOOL", "CK_TRUE" if step_up_approved else "CK_FALSE"))
    before = objects[trust_index]
    obj = before
    for name, type_, token in values:
        obj = set_value(obj, name, type_, token, newline, _TRUST_ORDER)
    if obj is not before:
        objects[trust_index] = _match_trust_heading(obj)


def set_policy(objects: list[NssObject], root: Root, value: bool, newline: str) -> None:
    """CKA_NSS_MOZILLA_CA_POLICY CK_TRUE where addbuiltin puts it, or no such line."""
    cert = objects[root.certificate_index]
    if value:
        objects[root.certificate_index] = set_value(cert, MOZILLA_CA_POLICY, "CK_BBOOL", "CK_TRUE", newline,
                                                    _CERTIFICATE_ORDER)
    else:
        objects[root.certificate_index] = drop(cert, MOZILLA_CA_POLICY, comments=False)


def set_distrust_after(objects: list[NssObject], root: Root,
                       dates: Mapping[DistrustPurpose, datetime | None], newline: str) -> None:
    """The distrust-after dates on the certificate object, where NSS reads them."""
    wanted = dict(dates)
    if root.trust_index is not None:
        trust_object = objects[root.trust_index]
        found = _distrust_on_trust_object(trust_object)
        if found:
            cert = objects[root.certificate_index]
            # A value NSS ignored on the trust object moves to where NSS reads it, unless the
            # spec sets that purpose or the certificate object already carries a date.
            for purpose, moment in found.items():
                current = cert.attribute(purpose.attribute)
                if purpose not in wanted and moment is not None and (
                        current is None or current.type != "MULTILINE_OCTAL"):
                    wanted[purpose] = moment
            for purpose in DistrustPurpose:
                trust_object = drop(trust_object, purpose.attribute, comments=True)
            objects[root.trust_index] = trust_object
    objects[root.certificate_index] = _set_distrust(objects[root.certificate_index], wanted, newline)


def _relabel(obj: NssObject, label: str, heading: re.Pattern[str], newline: str) -> NssObject:
    position = index_of(obj, "CKA_LABEL")
    if position is not None:
        attribute = obj.entries[position]
        assert isinstance(attribute, Attribute)
        if attribute.value != label or attribute.type != "UTF8":
            obj = splice(obj, position, position + 1, [utf8_attribute("CKA_LABEL", label, newline)],
                          newline)
    preamble = list(obj.preamble)
    for number, line in enumerate(preamble):
        match = heading.fullmatch(line)
        if match is not None:
            # What follows the closing quote (a `, Bug NNN` suffix, the newline) stays.
            preamble[number] = f"{match.group(1)}{label}{match.group(3)}"
            break
    if tuple(preamble) != obj.preamble:
        obj = obj._replace(preamble=tuple(preamble))
    return obj


def _match_trust_heading(obj: NssObject) -> NssObject:
    """`# Trust for "L"` and `# Distrust "L"` follow the trust values as addbuiltin chooses them."""
    distrust = is_titled_distrust(read_trust(obj, []))
    old, new = ('# Trust for "', '# Distrust "') if distrust else ('# Distrust "', '# Trust for "')
    preamble = list(obj.preamble)
    for number, line in enumerate(preamble):
        if line.startswith(old):
            preamble[number] = new + line[len(old) :]
            return obj._replace(preamble=tuple(preamble))
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
    position = index_of(obj, purpose.attribute)
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
            obj = splice(obj, *span, _distrust_entries(purpose, dates[purpose], newline), newline)
    server, email = DistrustPurpose.SERVER, DistrustPurpose.EMAIL
    if index_of(obj, server.attribute) is None:
        email_span = _distrust_span(obj, email)
        if email_span is not None:
            at = email_span[0]
        else:
            policy = index_of(obj, MOZILLA_CA_POLICY)
            at = len(obj.entries) if policy is None else policy + 1
        obj = splice(obj, at, at, _distrust_entries(server, dates.get(server), newline), newline)
    if index_of(obj, email.attribute) is None:
        at = (index_of(obj, server.attribute) or 0) + 1
        obj = splice(obj, at, at, _distrust_entries(email, dates.get(email), newline), newline)
    return obj


__all__ = ["remove", "rename", "set_distrust_after", "set_policy", "set_trust"]
