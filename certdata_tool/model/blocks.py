"""The certificate and trust objects NSS's addbuiltin prints for a new root, and where they go in a file."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime

from ..moments import encode_utctime, nss_time
from ..syntax.nssfile import (
    Attribute,
    CertdataFile,
    Comment,
    Entry,
    NssObject,
    octal_attribute,
    simple_attribute,
    utf8_attribute,
)
from .roots import (
    CERTIFICATE,
    MOZILLA_CA_POLICY,
    POSITIVE_TRUST,
    STEP_UP_APPROVED,
    TRUST,
    DistrustPurpose,
    Trust,
    TrustField,
    TrustLevel,
)

__all__ = [
    "insert_root",
    "is_distrust",
    "is_titled_distrust",
    "label_problem",
    "root_blocks",
]

# Levels whose trust-string flags hold nothing but CERTDB_TERMINAL_RECORD (p) or nothing at all.
# TRUST_UNKNOWN has no trust-string flag; it counts as "nothing".
_NO_POSITIVE_FLAG = frozenset(
    {TrustLevel.NOT_TRUSTED, TrustLevel.MUST_VERIFY_TRUST, TrustLevel.TRUST_UNKNOWN})


def label_problem(label: str) -> str | None:
    """Why `label` cannot be a new CKA_LABEL (FORMAT.md §9), or None when it can.

    NSS copies the label into a C string literal and certdata.perl evals it: a quote or backslash
    would change it, a control character would break the line.
    """
    if not label:
        return "the new label is empty"
    if label != label.strip():
        return f"the new label {label!r} has leading or trailing whitespace"
    for char in label:
        if char in "\"\\":
            return f"the new label {label!r} contains {char!r}, which a CKA_LABEL cannot hold"
        # Cc: C0 controls, DEL and C1 controls; Zl/Zp: U+2028 and U+2029, which break lines too.
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return (f"the new label {label!r} contains the control character U+{ord(char):04X}, "
                    "which a CKA_LABEL cannot hold")
    return None


def is_distrust(server_auth: TrustLevel, email_protection: TrustLevel, code_signing: TrustLevel) -> bool:
    """addbuiltin's `# Distrust` test: the usages' flags together are exactly CERTDB_TERMINAL_RECORD."""
    levels = (server_auth, email_protection, code_signing)
    return TrustLevel.NOT_TRUSTED in levels and all(level in _NO_POSITIVE_FLAG for level in levels)


def is_titled_distrust(trust: Trust) -> bool:
    """Whether addbuiltin titles a trust object with these values `# Distrust` (else `# Trust for`):
    `is_distrust`, a usage the object lacks carrying no flag, as TRUST_UNKNOWN. The one test for the
    editor, which writes the title, and lint, which checks it."""
    return is_distrust(*(level or TrustLevel.TRUST_UNKNOWN
                         for level in (trust.server_auth, trust.email_protection, trust.code_signing)))


def _lines(lines: list[str], newline: str) -> tuple[str, ...]:
    return tuple(line + newline for line in lines)


def _object_start(object_class: str, label: str, newline: str) -> list[Entry]:
    """The attributes both objects open with: a read-only, public token object and its label."""
    return [
        simple_attribute("CKA_CLASS", "CK_OBJECT_CLASS", object_class, newline),
        simple_attribute("CKA_TOKEN", "CK_BBOOL", "CK_TRUE", newline),
        simple_attribute("CKA_PRIVATE", "CK_BBOOL", "CK_FALSE", newline),
        simple_attribute("CKA_MODIFIABLE", "CK_BBOOL", "CK_FALSE", newline),
        utf8_attribute("CKA_LABEL", label, newline),
    ]


def _distrust_entries(purpose: DistrustPurpose, moment: datetime | None, newline: str) -> list[Entry]:
    if moment is None:
        return [simple_attribute(purpose.attribute, "CK_BBOOL", "CK_FALSE", newline)]
    # The comment shows the same instant NSS's SECU_PrintTimeChoice would print for the value.
    value = encode_utctime(moment)
    return [Comment(purpose.comment_prefix + nss_time(moment) + newline, 0),
            octal_attribute(purpose.attribute, value, newline)]


def root_blocks(
    der: bytes,
    label: str,
    *,
    server_auth: TrustLevel,
    email_protection: TrustLevel,
    code_signing: TrustLevel,
    step_up_approved: bool = False,
    server_distrust_after: datetime | None = None,
    email_distrust_after: datetime | None = None,
    newline: str = "\n",
) -> tuple[NssObject, NssObject]:
    """The certificate object and trust object, comment blocks included, as addbuiltin prints them.

    ValueError when `der` is not a certificate, the label is unusable or a date is outside
    1950-2049 (a 13-byte UTCTime cannot hold it).
    """
    problem = label_problem(label)
    if problem is not None:
        raise ValueError(problem)
    # Here, not at the top: a spec that only modifies roots needs no certificate reader.
    from ..x509.der import certificate_parts
    from ..x509.nss_text import info_lines

    parts = certificate_parts(der)
    info = list(info_lines(der))
    trust_levels = {
        TrustField.SERVER_AUTH: server_auth,
        TrustField.EMAIL_PROTECTION: email_protection,
        TrustField.CODE_SIGNING: code_signing,
    }

    cert_entries: list[Entry] = [
        *_object_start(CERTIFICATE, label, newline),
        simple_attribute("CKA_CERTIFICATE_TYPE", "CK_CERTIFICATE_TYPE", "CKC_X_509", newline),
        octal_attribute("CKA_SUBJECT", parts.subject, newline),
        utf8_attribute("CKA_ID", "0", newline),
        octal_attribute("CKA_ISSUER", parts.issuer, newline),
        octal_attribute("CKA_SERIAL_NUMBER", parts.serial, newline),
        octal_attribute("CKA_VALUE", der, newline),
    ]
    if any(level in POSITIVE_TRUST for level in trust_levels.values()):
        cert_entries.append(simple_attribute(MOZILLA_CA_POLICY, "CK_BBOOL", "CK_TRUE", newline))
    cert_entries += _distrust_entries(DistrustPurpose.SERVER, server_distrust_after, newline)
    cert_entries += _distrust_entries(DistrustPurpose.EMAIL, email_distrust_after, newline)
    cert = NssObject(
        preamble=_lines(["", "#", f'# Certificate "{label}"', "#", *info], newline),
        entries=tuple(cert_entries),
        line=0,
    )

    heading = "Distrust" if is_distrust(server_auth, email_protection, code_signing) else "Trust for"
    trust_entries: list[Entry] = [
        *_object_start(TRUST, label, newline),
        octal_attribute("CKA_CERT_SHA1_HASH", hashlib.sha1(der).digest(), newline),
        octal_attribute("CKA_CERT_MD5_HASH", hashlib.md5(der).digest(), newline),
        octal_attribute("CKA_ISSUER", parts.issuer, newline),
        octal_attribute("CKA_SERIAL_NUMBER", parts.serial, newline),
        *(simple_attribute(field.attribute, "CK_TRUST", level.constant, newline)
          for field, level in trust_levels.items()),
        simple_attribute(STEP_UP_APPROVED, "CK_BBOOL", "CK_TRUE" if step_up_approved else "CK_FALSE",
                         newline),
    ]
    trust = NssObject(
        preamble=_lines(["", f'# {heading} "{label}"', *info], newline),
        entries=tuple(trust_entries),
        line=0,
    )
    return cert, trust


def _is_blank(line: str) -> bool:
    return not line.strip()


def _terminated(line: str, newline: str) -> str:
    if line.endswith("\n"):
        return line
    return line + "\n" if line.endswith("\r") else line + newline


def _end_with_newline(store: CertdataFile) -> CertdataFile:
    """The store with its last raw line terminated (NSS once committed a file without one)."""
    newline = store.newline
    if store.trailer:
        return store._replace(trailer=(*store.trailer[:-1], _terminated(store.trailer[-1], newline)))
    if store.objects:
        last = store.objects[-1]
        entry = last.entries[-1]
        text = _terminated(entry.text, newline)
        if text == entry.text:
            return store
        fixed: Entry = (entry._replace(text=text) if isinstance(entry, Attribute)
                        else Comment(text, entry.line))
        last = last._replace(entries=(*last.entries[:-1], fixed))
        return store._replace(objects=(*store.objects[:-1], last))
    if store.header:
        return store._replace(header=(*store.header[:-1], _terminated(store.header[-1], newline)))
    return store


def insert_root(store: CertdataFile, cert: NssObject, trust: NssObject,
                after_index: int | None = None) -> CertdataFile:
    """`store` with the two objects appended, or placed right after object `after_index`.

    Each block brings its own leading empty line. Appending first drops empty lines at the end
    of the file and terminates its last line, so the new block is separated by exactly one
    empty line and the file ends with a single newline. Comment lines after the last object
    stay where they are in the text: they move into the new certificate's comment block.
    """
    if after_index is not None and not 0 <= after_index < len(store.objects):
        raise IndexError(f"object index {after_index} is outside the file's {len(store.objects)} objects")
    if after_index is not None and after_index < len(store.objects) - 1:
        objects = store.objects
        return store._replace(objects=(*objects[: after_index + 1], cert, trust, *objects[after_index + 1 :]))

    trailer = list(store.trailer)
    while trailer and _is_blank(trailer[-1]):
        trailer.pop()
    store = _end_with_newline(store._replace(trailer=tuple(trailer)))
    if store.trailer:
        cert = cert._replace(preamble=(*store.trailer, *cert.preamble))
    return store._replace(objects=(*store.objects, cert, trust), trailer=())
