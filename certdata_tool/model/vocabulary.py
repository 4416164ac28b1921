"""The names certdata.txt has used for NSS's constants, and the one name each means today.

Until 2011 certdata.txt wrote the trust class and trust values with Netscape's names
(`CKO_NETSCAPE_TRUST`, `CKT_NETSCAPE_TRUSTED_DELEGATOR`, ...). NSS's pkcs11n.h defines each old
name as a current one, so the compiled module holds the same numbers: every reader of the model
asks `nss_name` what a token means, and the text itself is never rewritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..syntax.nssfile import NssObject

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


__all__ = ["LEGACY_NAMES", "nss_name", "object_class"]
