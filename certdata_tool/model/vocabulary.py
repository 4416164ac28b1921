"""The words of certdata.txt and of Mozilla's root program: object classes, trust levels, usages,
distrust purposes, the fields of a root (listed once), and the old names NSS's constants had.

Until 2011 certdata.txt wrote the trust class and trust values with Netscape's names
(`CKO_NETSCAPE_TRUST`, `CKT_NETSCAPE_TRUSTED_DELEGATOR`, ...). NSS's pkcs11n.h defines each old
name as a current one, so the compiled module holds the same numbers: every reader of the model
asks `nss_name` what a token means, and the text itself is never rewritten.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..syntax.nssfile import NssObject

CERTIFICATE = "CKO_CERTIFICATE"
TRUST = "CKO_NSS_TRUST"
SERVER_DISTRUST_AFTER = "CKA_NSS_SERVER_DISTRUST_AFTER"
EMAIL_DISTRUST_AFTER = "CKA_NSS_EMAIL_DISTRUST_AFTER"
DISTRUST_AFTER_ATTRIBUTES = (SERVER_DISTRUST_AFTER, EMAIL_DISTRUST_AFTER)
MOZILLA_CA_POLICY = "CKA_NSS_MOZILLA_CA_POLICY"



class TrustLevel(Enum):
    """The CKT_NSS_* values of a trust object's usage attributes."""

    TRUSTED_DELEGATOR = "trusted_delegator"
    MUST_VERIFY_TRUST = "must_verify_trust"
    NOT_TRUSTED = "not_trusted"
    TRUSTED = "trusted"
    VALID_DELEGATOR = "valid_delegator"
    TRUST_UNKNOWN = "trust_unknown"

    @property
    def constant(self) -> str:
        """The name certdata.txt uses, such as `CKT_NSS_TRUSTED_DELEGATOR`."""
        return "CKT_NSS_" + self.name

    @classmethod
    def from_name(cls, text: str) -> TrustLevel:
        """`trusted_delegator` or `CKT_NSS_TRUSTED_DELEGATOR`; ValueError for anything else."""
        key = text.strip()
        if key.upper().startswith("CKT_NSS_"):
            key = key[len("CKT_NSS_") :]
        try:
            return cls(key.lower())
        except ValueError:
            names = ", ".join(level.value for level in cls)
            raise ValueError(f"unknown trust value {text!r} (expected one of {names})") from None


# addbuiltin's hasPositiveTrust(): the CA flags that make NSS trust a root as an issuer and put it
# under Mozilla's CA policy. P (CKT_NSS_TRUSTED, a trusted peer) is not one of them.
POSITIVE_TRUST = frozenset({TrustLevel.TRUSTED_DELEGATOR, TrustLevel.VALID_DELEGATOR})


class TrustField(Enum):
    """The usages a root program sets, with the trust-object attribute behind each."""

    SERVER_AUTH = "server_auth"
    EMAIL_PROTECTION = "email_protection"
    CODE_SIGNING = "code_signing"

    @property
    def attribute(self) -> str:
        return "CKA_TRUST_" + self.name


STEP_UP_APPROVED = "CKA_TRUST_STEP_UP_APPROVED"


class DistrustPurpose(Enum):
    """The two purposes NSS can distrust after a date."""

    SERVER = "server"
    EMAIL = "email"

    @property
    def attribute(self) -> str:
        return SERVER_DISTRUST_AFTER if self is DistrustPurpose.SERVER else EMAIL_DISTRUST_AFTER

    @property
    def comment_prefix(self) -> str:
        """NSS's comment above a set value, up to the date."""
        return f"# For {self.value.capitalize()} Distrust After: "


# The values of a root a spec sets and every view lists, in that order: one name each.
ROOT_FIELDS = (
    "label",
    *(f"trust.{trust_field.value}" for trust_field in TrustField),
    "trust.step_up_approved",
    *(f"distrust_after.{purpose.value}" for purpose in DistrustPurpose),
    "mozilla_ca_policy",
)

# The attribute behind each field: (object, attribute name).
FIELD_ATTRIBUTES = {
    ("certificate", "CKA_LABEL"): "label",
    ("trust", "CKA_LABEL"): "label",
    **{("trust", trust_field.attribute): f"trust.{trust_field.value}" for trust_field in TrustField},
    ("trust", STEP_UP_APPROVED): "trust.step_up_approved",
    **{("certificate", purpose.attribute): f"distrust_after.{purpose.value}" for purpose in DistrustPurpose},
    ("certificate", MOZILLA_CA_POLICY): "mozilla_ca_policy",
}

# Old name -> the current name with the same value in pkcs11n.h. Three old trust names do not mean
# what they say: CKT_NETSCAPE_UNTRUSTED has the value of CKT_NSS_MUST_VERIFY_TRUST,
# CKT_NETSCAPE_VALID that of CKT_NSS_NOT_TRUSTED, and CKT_NETSCAPE_MUST_VERIFY (CKT_NSS + 4) was
# always treated as CKT_NSS_TRUST_UNKNOWN. The same three under NSS's own prefix are kept as
# deprecated synonyms and read the same way.
_LEGACY: dict[str, str] = {
    "CKO_NETSCAPE_TRUST": "CKO_NSS_TRUST",
    "CKO_NETSCAPE_BUILTIN_ROOT_LIST": "CKO_NSS_BUILTIN_ROOT_LIST",
    "CKO_NETSCAPE_CRL": "CKO_NSS_CRL",
    "CKO_NETSCAPE_SMIME": "CKO_NSS_SMIME",
    "CKT_NETSCAPE_TRUSTED": "CKT_NSS_TRUSTED",
    "CKT_NETSCAPE_TRUSTED_DELEGATOR": "CKT_NSS_TRUSTED_DELEGATOR",
    "CKT_NETSCAPE_MUST_VERIFY_TRUST": "CKT_NSS_MUST_VERIFY_TRUST",
    "CKT_NETSCAPE_NOT_TRUSTED": "CKT_NSS_NOT_TRUSTED",
    "CKT_NETSCAPE_TRUST_UNKNOWN": "CKT_NSS_TRUST_UNKNOWN",
    "CKT_NETSCAPE_VALID_DELEGATOR": "CKT_NSS_VALID_DELEGATOR",
    "CKT_NETSCAPE_UNTRUSTED": "CKT_NSS_MUST_VERIFY_TRUST",
    "CKT_NETSCAPE_VALID": "CKT_NSS_NOT_TRUSTED",
    "CKT_NETSCAPE_MUST_VERIFY": "CKT_NSS_TRUST_UNKNOWN",
    "CKT_NSS_UNTRUSTED": "CKT_NSS_MUST_VERIFY_TRUST",
    "CKT_NSS_VALID": "CKT_NSS_NOT_TRUSTED",
    "CKT_NSS_MUST_VERIFY": "CKT_NSS_TRUST_UNKNOWN",
}

LEGACY_NAMES = frozenset(_LEGACY)


def nss_name(token: str) -> str:
    """The current NSS name a certdata.txt token means (itself when it is not an old name)."""
    return _LEGACY.get(token, token)


def object_class(obj: NssObject) -> str:
    """An object's CKA_CLASS by its current NSS name (`CKO_NETSCAPE_TRUST` reads as `CKO_NSS_TRUST`)."""
    value = obj.object_class
    return _LEGACY.get(value, value)


__all__ = [
    "CERTIFICATE",
    "DISTRUST_AFTER_ATTRIBUTES",
    "EMAIL_DISTRUST_AFTER",
    "FIELD_ATTRIBUTES",
    "LEGACY_NAMES",
    "MOZILLA_CA_POLICY",
    "POSITIVE_TRUST",
    "ROOT_FIELDS",
    "SERVER_DISTRUST_AFTER",
    "STEP_UP_APPROVED",
    "TRUST",
    "DistrustPurpose",
    "TrustField",
    "TrustLevel",
    "nss_name",
    "object_class",
]
