"""Checks of each object on its own: required attributes, types, duplicates, labels, distrust-after values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..model.roots import (
    CERTIFICATE,
    DISTRUST_AFTER_ATTRIBUTES,
    MOZILLA_CA_POLICY,
    STEP_UP_APPROVED,
    TRUST,
    TrustField,
    TrustLevel,
)
from ..model.vocabulary import LEGACY_NAMES, nss_name
from ..model.vocabulary import object_class as class_of
from ..moments import decode_utctime
from ..syntax.nssfile import Attribute, NssObject
from .context import LintContext, is_distrust_only
from .findings import Finding

ROOT_LIST = "CKO_NSS_BUILTIN_ROOT_LIST"
SHA1_HASH = "CKA_CERT_SHA1_HASH"
MD5_HASH = "CKA_CERT_MD5_HASH"
_COMMON = ("CKA_TOKEN", "CKA_PRIVATE", "CKA_MODIFIABLE", "CKA_LABEL")

# What each class needs (FORMAT.md §5, §8): NSS finds objects by CKA_TOKEN and CKA_CLASS, certificates
# and trust by issuer and serial, issuers by subject.
REQUIRED: dict[str, tuple[str, ...]] = {
    ROOT_LIST: _COMMON,
    CERTIFICATE: (*_COMMON, "CKA_CERTIFICATE_TYPE", "CKA_SUBJECT", "CKA_ID", "CKA_ISSUER",
                  "CKA_SERIAL_NUMBER", "CKA_VALUE"),
    TRUST: (*_COMMON, "CKA_ISSUER", "CKA_SERIAL_NUMBER", *(f.attribute for f in TrustField),
            STEP_UP_APPROVED),
}

# Every trust attribute NSS defines (the header table of certdata.txt lists them all).
_TRUST_USAGES = tuple(f"CKA_TRUST_{usage}" for usage in (
    "DIGITAL_SIGNATURE", "NON_REPUDIATION", "KEY_ENCIPHERMENT", "DATA_ENCIPHERMENT", "KEY_AGREEMENT",
    "KEY_CERT_SIGN", "CRL_SIGN", "SERVER_AUTH", "CLIENT_AUTH", "CODE_SIGNING", "EMAIL_PROTECTION",
    "IPSEC_END_SYSTEM", "IPSEC_TUNNEL", "IPSEC_USER", "TIME_STAMPING"))

KNOWN: dict[str, frozenset[str]] = {
    ROOT_LIST: frozenset(("CKA_CLASS", *_COMMON)),
    CERTIFICATE: frozenset(("CKA_CLASS", *REQUIRED[CERTIFICATE], MOZILLA_CA_POLICY,
                            *DISTRUST_AFTER_ATTRIBUTES, "CKA_NSS_EMAIL")),
    TRUST: frozenset(("CKA_CLASS", *_COMMON, "CKA_ISSUER", "CKA_SERIAL_NUMBER", SHA1_HASH, MD5_HASH,
                      "CKA_EXPIRES", *_TRUST_USAGES, STEP_UP_APPROVED)),
}
_ALL_KNOWN = frozenset().union(*KNOWN.values())

_BOOL = ("CK_TRUE", "CK_FALSE")
_TRUST_VALUES = tuple(level.constant for level in TrustLevel)
# Netscape's names of the same values (files before 2011) compile to the same numbers.
_TRUST_VALUES += tuple(sorted(name for name in LEGACY_NAMES if nss_name(name) in _TRUST_VALUES))
# attribute -> (type, the values that type may hold here, or None for any)
TYPES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "CKA_CLASS": ("CK_OBJECT_CLASS", None),
    "CKA_TOKEN": ("CK_BBOOL", ("CK_TRUE",)),  # NSS searches builtins with CKA_TOKEN = CK_TRUE
    "CKA_PRIVATE": ("CK_BBOOL", ("CK_FALSE",)),  # a private object is hidden until login
    "CKA_MODIFIABLE": ("CK_BBOOL", _BOOL),
    "CKA_LABEL": ("UTF8", None),
    "CKA_ID": ("UTF8", None),
    "CKA_CERTIFICATE_TYPE": ("CK_CERTIFICATE_TYPE", ("CKC_X_509",)),
    "CKA_SUBJECT": ("MULTILINE_OCTAL", None),
    "CKA_ISSUER": ("MULTILINE_OCTAL", None),
    "CKA_SERIAL_NUMBER": ("MULTILINE_OCTAL", None),
    "CKA_VALUE": ("MULTILINE_OCTAL", None),
    SHA1_HASH: ("MULTILINE_OCTAL", None),
    MD5_HASH: ("MULTILINE_OCTAL", None),
    MOZILLA_CA_POLICY: ("CK_BBOOL", _BOOL),
    STEP_UP_APPROVED: ("CK_BBOOL", _BOOL),
    **{name: ("CK_TRUST", _TRUST_VALUES) for name in _TRUST_USAGES},
}

_RAW_LABEL = re.compile(r'UTF8[ \t]+"([^"]*)"')
_INTERPOLATED = re.compile(r"(?<!\\)[$@]")


def check(ctx: LintContext) -> Iterator[Finding]:
    for index, obj in enumerate(ctx.objects):
        yield from _check_object(ctx, index, obj)


def _check_object(ctx: LintContext, index: int, obj: NssObject) -> Iterator[Finding]:
    object_class = class_of(obj)
    if object_class not in REQUIRED:
        yield ctx.finding("CD212", obj.line, f"object class {object_class} is not one of NSS's root "
                          f"store classes ({', '.join(REQUIRED)}); the checks of this object are skipped",
                          index=index)
        return
    seen: dict[str, Attribute] = {}
    for attribute in obj.attributes():
        first = seen.setdefault(attribute.name, attribute)
        if first is not attribute:
            yield ctx.finding("CD103", attribute.line, f"{attribute.name} appears again (first on line "
                              f"{first.line}): NSS uses the first value and never reads this one",
                              index=index)
            continue
        yield from _check_attribute(ctx, index, object_class, attribute)
    required = list(REQUIRED[object_class])
    if object_class == TRUST and not is_distrust_only(obj):
        required += [SHA1_HASH, MD5_HASH]
    for name in required:
        if name not in seen:
            yield ctx.finding("CD101", obj.line, _missing_message(object_class, name), index=index)


def _missing_message(object_class: str, name: str) -> str:
    if name == SHA1_HASH:
        why = ("NSS accepts a trust object without the certificate's SHA-1 only when it does nothing but "
               "distrust, so this trust is discarded")
    elif name == MD5_HASH:
        why = "addbuiltin writes it on every trust object for a certificate, and other readers expect it"
    elif name in ("CKA_ISSUER", "CKA_SERIAL_NUMBER") and object_class == TRUST:
        why = "NSS finds a certificate's trust object by issuer and serial number"
    elif name == "CKA_TOKEN":
        why = "NSS looks for built-in objects with CKA_TOKEN CK_TRUE and never finds this one"
    elif name.startswith("CKA_TRUST_"):
        why = "NSS then treats that usage as unknown"
    else:
        why = (f"addbuiltin writes it on every {object_class} object, and NSS answers a query for a "
               "missing attribute with an error")
    return f"{object_class} object has no {name}: {why}"


def _check_attribute(ctx: LintContext, index: int, object_class: str,
                     attribute: Attribute) -> Iterator[Finding]:
    name = attribute.name
    if name in DISTRUST_AFTER_ATTRIBUTES:
        if object_class == TRUST:
            yield ctx.finding("CD109", attribute.line, f"{name} on a trust object: NSS reads distrust-after "
                              "only from the certificate object, so this has no effect", index=index)
        elif object_class == CERTIFICATE:
            problem = distrust_value_problem(attribute)
            if problem:
                yield ctx.finding("CD110", attribute.line, f"{name} {problem}: NSS needs both attributes "
                                  "readable to apply any distrust-after date", index=index)
        else:
            yield ctx.finding("CD211", attribute.line, f"{name} on a {object_class} object: NSS never "
                              "reads it there", index=index)
        return
    if name not in KNOWN[object_class]:
        where = ("NSS never reads it there" if name in _ALL_KNOWN
                 else "it is not an attribute of NSS's root store objects")
        yield ctx.finding("CD211", attribute.line, f"{name} on a {object_class} object: {where}",
                          index=index)
        return
    expected = TYPES.get(name)
    if expected is not None:
        type_, values = expected
        if attribute.type != type_:
            yield ctx.finding("CD102", attribute.line, f"{name} has type {attribute.type}, expected "
                              f"{type_}: certdata.perl compiles whatever is written, and NSS then reads "
                              "a value of the wrong size", index=index)
            return
        if values is not None and attribute.value not in values:
            yield ctx.finding("CD102", attribute.line, f"{name} is {attribute.value!s}, expected "
                              f"{' or '.join(values)}", index=index)
            return
    if name == "CKA_LABEL":
        yield from _check_label(ctx, index, attribute)
    elif attribute.trailing:
        yield ctx.finding("CD102", attribute.line, f"{name} has {_shown(attribute.trailing)} after its "
                          "value: certdata.perl ignores it, other readers may not", index=index)


def distrust_value_problem(attribute: Attribute) -> str | None:
    """Why NSS cannot read a certificate's distrust-after value; None when it can."""
    if attribute.type == "CK_BBOOL":
        if attribute.value == "CK_FALSE":
            return None
        return f"is CK_BBOOL {attribute.value!s}; only CK_FALSE (no date) or a 13-byte UTCTime is read"
    if attribute.type != "MULTILINE_OCTAL":
        return f"has type {attribute.type}; expected MULTILINE_OCTAL (a date) or CK_BBOOL CK_FALSE"
    data = attribute.octal
    if len(data) != 13:
        return (f"is {len(data)} bytes long, not the 13 bytes of a UTCTime YYMMDDHHMMSSZ "
                "(NSS checks the length)")
    try:
        decode_utctime(data)
    except ValueError:
        return f"is {_shown(data.decode('latin-1'))}, not a valid UTCTime YYMMDDHHMMSSZ"
    return None


def _check_label(ctx: LintContext, index: int, attribute: Attribute) -> Iterator[Finding]:
    label = str(attribute.value)
    line = attribute.line
    raw_match = _RAW_LABEL.search(attribute.text)
    raw = raw_match.group(1) if raw_match else label
    if attribute.trailing:
        yield ctx.finding("CD112", line, f"the label has {_shown(attribute.trailing)} after its closing "
                          "quote: certdata.perl drops it, but other readers of certdata.txt take the "
                          "label to the end of the line", index=index)
    if not label:
        yield ctx.finding("CD112", line, "the label is empty: NSS and every tool that lists roots need a "
                          "name", index=index)
    elif label != label.strip():
        yield ctx.finding("CD112", line, f"the label {_shown(label)} has leading or trailing whitespace: "
                          "selectors and downstream tools that match labels miss it", index=index)
    control = next((char for char in label if unicodedata.category(char) == "Cc"), None)
    if control is not None:
        yield ctx.finding("CD112", line, f"the label contains the control character U+{ord(control):04X}",
                          index=index)
    if "\ufffd" in label and "\ufffd" not in raw:
        yield ctx.finding("CD112", line, "the label's escapes do not decode to valid UTF-8", index=index)
    interpolated = _INTERPOLATED.search(raw)
    if interpolated is not None:
        yield ctx.finding("CD112", line, f"the label contains an unescaped {interpolated.group()!r}: "
                          "certdata.perl evaluates labels as Perl strings to size them, and interpolation "
                          "gives a wrong size", index=index)
    if "\\x" in raw:
        yield ctx.finding("CD304", line, "the label is written with \\x escapes; NSS writes raw UTF-8 since "
                          "2014 (C's \\x escapes are greedy, so escaped text is easy to get wrong)",
                          index=index)


def _shown(text: str) -> str:
    """Text quoted for a one-line message, with control characters made visible."""
    return repr(text)
