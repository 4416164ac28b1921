"""Trust and distrust-after as NSS reads them from a root's objects: the usage values of a trust
object, and the dates of a certificate object (a date counts only when both attributes are there)."""

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from ..moments import decode_utctime, human_date
from ..syntax.nssfile import Attribute, NssObject
from .vocabulary import LEGACY_NAMES, STEP_UP_APPROVED, DistrustPurpose, TrustField, TrustLevel, nss_name

Lookup = Callable[[str], Attribute | None]  # an object's attribute by name, as NssObject.attribute


class Trust(NamedTuple):
    """Trust values of a root, None where the trust object lacks the attribute (or is missing)."""

    server_auth: TrustLevel | None = None
    email_protection: TrustLevel | None = None
    code_signing: TrustLevel | None = None
    step_up_approved: bool | None = None

    def level(self, trust_field: TrustField) -> TrustLevel | None:
        level: TrustLevel | None = getattr(self, trust_field.value)
        return level


class DistrustAfter(NamedTuple):
    """Distrust-after dates (UTC); None where none is set."""

    server: datetime | None = None
    email: datetime | None = None

    def get(self, purpose: DistrustPurpose) -> datetime | None:
        return self.server if purpose is DistrustPurpose.SERVER else self.email



# The attributes read, with what they mean, in the order problems are reported.
_TRUST_ATTRIBUTES = tuple((trust_field.attribute, trust_field.value) for trust_field in TrustField)
_DISTRUST_ATTRIBUTES = tuple((purpose, purpose.attribute) for purpose in DistrustPurpose)
_LEVELS = {level.constant: level for level in TrustLevel}  # the spelling every real file uses
# ... and Netscape's names of the same values, which files before 2011 use.
_LEVELS.update({name: _LEVELS[nss_name(name)] for name in LEGACY_NAMES if nss_name(name) in _LEVELS})


def read_trust(obj: NssObject, problems: list[str]) -> Trust:
    """The usage values of a trust object; unreadable ones become problems, not errors."""
    return read_trust_by(obj.attribute, problems)


def read_trust_by(attribute: Lookup, problems: list[str]) -> Trust:
    levels: dict[str, TrustLevel | None] = {}
    for name, key in _TRUST_ATTRIBUTES:
        found = attribute(name)
        level = None
        if found is not None:
            level = _LEVELS.get(found.value) if isinstance(found.value, str) else None
            if level is None:
                try:
                    level = TrustLevel.from_name(str(found.value))
                except ValueError:
                    problems.append(f"{name} has the unknown value {found.value!s}")
        levels[key] = level
    step_up = attribute(STEP_UP_APPROVED)
    return Trust(
        server_auth=levels["server_auth"],
        email_protection=levels["email_protection"],
        code_signing=levels["code_signing"],
        step_up_approved=None if step_up is None else step_up.value == "CK_TRUE",
    )


def read_distrust_after(cert: NssObject, problems: list[str]) -> DistrustAfter:
    """What NSS reads: a date only when both attributes are present and readable (pki3hack.c)."""
    return read_distrust_after_by(cert.attribute, problems)


def read_distrust_after_by(attribute: Lookup, problems: list[str]) -> DistrustAfter:
    values: dict[DistrustPurpose, datetime | None] = {}
    present = 0
    for purpose, name in _DISTRUST_ATTRIBUTES:
        found = attribute(name)
        values[purpose] = None
        if found is None:
            continue
        present += 1
        if _is_false(found):
            continue
        try:
            values[purpose] = decode_distrust_value(found)
        except ValueError as error:
            problems.append(f"{name} (line {found.line}) is ignored by NSS: {error}")
    if present == 1 and any(values.values()):
        missing = next(name for _, name in _DISTRUST_ATTRIBUTES if attribute(name) is None)
        problems.append(f"the distrust-after date is ignored by NSS: the certificate object lacks "
                        f"{missing}, and NSS reads a date only when both attributes are present")
        return DistrustAfter()
    return DistrustAfter(server=values[DistrustPurpose.SERVER], email=values[DistrustPurpose.EMAIL])


IGNORED_ON_TRUST_OBJECT = "ignored by NSS (it reads distrust-after from the certificate object)"


def read_trust_object_distrust_after(attribute: Lookup, problems: list[str]) -> DistrustAfter:
    """Distrust-after values found on a trust object, decoded, each said once as a problem."""
    values: dict[DistrustPurpose, datetime | None] = {}
    for purpose, name in _DISTRUST_ATTRIBUTES:
        found = attribute(name)
        values[purpose] = None
        if found is None or _is_false(found):
            continue
        try:
            moment = values[purpose] = decode_distrust_value(found)
            what = human_date(moment)
        except ValueError as error:
            what = f"unreadable ({error})"
        problems.append(f"{name} on the trust object (line {found.line}): {what}, {IGNORED_ON_TRUST_OBJECT}")
    return DistrustAfter(server=values[DistrustPurpose.SERVER], email=values[DistrustPurpose.EMAIL])


def _is_false(attribute: Attribute) -> bool:
    return attribute.type == "CK_BBOOL" and attribute.value == "CK_FALSE"


def decode_distrust_value(attribute: Attribute) -> datetime:
    """The instant of a 13-byte UTCTime `YYMMDDHHMMSSZ` value; ValueError for anything else."""
    if attribute.type != "MULTILINE_OCTAL":
        raise ValueError(f"expected a 13-byte UTCTime or CK_BBOOL CK_FALSE, found {attribute.type} "
                         f"{attribute.value!s}")
    return decode_utctime(attribute.octal)
