"""Checks of the comments reviewers read instead of the octal: object headers and distrust-after dates."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import NamedTuple

from ..model.blocks import is_titled_distrust
from ..model.roots import (
    CERTIFICATE,
    TRUST,
    DistrustPurpose,
    read_trust,
)
from ..model.vocabulary import object_class
from ..moments import decode_utctime, nss_time
from ..syntax.nssfile import Attribute, Comment, NssObject, latin1_for_undecodable
from ..x509 import der
from ..x509.nss_text import nss_name, nss_serial_line
from .context import LintContext, certificate_parts, expected_info
from .findings import Finding

_TITLE = re.compile(
    r'# (Certificate|Trust for Certificate|Trust for|Distrust|Explicitly Distrust) "(.*)"(.*)')
_BUG_SUFFIX = re.compile(r", Bug \d+")
_DISTRUST_COMMENT = re.compile(r"# For (Server|Email) Distrust After: (.*)")

# The info lines of addbuiltin's print_info(), by the prefix that names each (in its order).
_INFO_KEYS = ("# Issuer:", "# Serial Number", "# Subject:", "# Not Valid Before:", "# Not Valid After :",
              "# Fingerprint (SHA-256):", "# Fingerprint (SHA1):")
_MD5_KEY = "# Fingerprint (MD5):"
_OTHER_KEYS = (_MD5_KEY, "# Not Before:", "# Not After :")  # older and hand-written forms


class _Header(NamedTuple):
    """The comment block above one object, read by line prefix."""

    title: re.Match[str] | None
    title_line: int
    info: dict[str, tuple[int, str]]  # key prefix -> (line, text)


def check(ctx: LintContext) -> Iterator[Finding]:
    for index, obj in enumerate(ctx.objects):
        if object_class(obj) == CERTIFICATE:
            yield from _check_distrust_comments(ctx, index, obj)
        if object_class(obj) in (CERTIFICATE, TRUST):
            yield from _check_header(ctx, index, obj)


def _read_header(obj: NssObject) -> _Header:
    title: re.Match[str] | None = None
    title_line = obj.line
    info: dict[str, tuple[int, str]] = {}
    for offset, raw in enumerate(obj.preamble):
        text = raw.rstrip()
        line = obj.preamble_line + offset
        if title is None:
            title = _TITLE.fullmatch(text)
            if title is not None:
                title_line = line
                continue
        for key in (*_INFO_KEYS, *_OTHER_KEYS):
            if text.startswith(key):
                info.setdefault(key, (line, text))
                break
    return _Header(title, title_line, info)


def _says_distrust(obj: NssObject) -> bool:
    """addbuiltin titles a trust object `# Distrust` when its only trust flag is `p` (NOT_TRUSTED):
    the editor's own test, so that lint never contradicts a title an edit wrote."""
    return is_titled_distrust(read_trust(obj, []))


def _check_header(ctx: LintContext, index: int, obj: NssObject) -> Iterator[Finding]:
    header = _read_header(obj)
    root = ctx.root_of.get(index)
    mismatches: list[tuple[int, str]] = []
    legacy: list[str] = []
    is_certificate = object_class(obj) == CERTIFICATE
    if header.title is None:
        word = "Certificate" if is_certificate else ("Distrust" if _says_distrust(obj) else "Trust for")
        mismatches.append((obj.line, f'there is no `# {word} "LABEL"` comment above the object, as '
                                     "addbuiltin writes it"))
    else:
        _check_title(obj, header.title, header.title_line, is_certificate, mismatches, legacy)
    if root is not None:
        parts = certificate_parts(root.der) if root.der else None
        if parts is not None:
            _check_info(root.der, header, mismatches, legacy)
    elif index in ctx.entry_of:
        _check_distrust_entry_info(obj, header, mismatches, legacy)
    if mismatches:
        line, first = mismatches[0]
        more = f" (and {len(mismatches) - 1} more)" if len(mismatches) > 1 else ""
        yield ctx.finding("CD201", line, f"comment header disagrees with the object: {first}{more}; "
                          "reviewers read these lines, not the octal", index=index)
    if legacy:
        yield ctx.finding("CD303", header.title_line, "comment header in an older addbuiltin form: "
                          + "; ".join(legacy), index=index)


def _check_title(obj: NssObject, title: re.Match[str], line: int, is_certificate: bool,
                 mismatches: list[tuple[int, str]], legacy: list[str]) -> None:
    word, named, suffix = title.group(1), latin1_for_undecodable(title.group(2)), title.group(3)
    if is_certificate:
        if word != "Certificate":
            mismatches.append((line, f'a certificate object is titled `# {word} "…"`, expected '
                                     '`# Certificate "…"`'))
    elif word == "Certificate":
        mismatches.append((line, 'a trust object is titled `# Certificate "…"`'))
    elif word in ("Trust for Certificate", "Explicitly Distrust"):
        legacy.append(f"`# {word} \"…\"` title (written by hand or before 2014; addbuiltin writes "
                      "`# Trust for` or `# Distrust`)")
    else:
        expected = "Distrust" if _says_distrust(obj) else "Trust for"
        if word != expected:
            mismatches.append((line, f"titled `# {word}` but addbuiltin writes `# {expected}` for these "
                                     "trust values"))
    if suffix:
        if _BUG_SUFFIX.fullmatch(suffix):
            legacy.append(f"hand-written {suffix[2:]!r} after the quoted label")
        else:
            mismatches.append((line, f"unexpected {suffix!r} after the quoted label"))
    label = obj.attribute("CKA_LABEL")
    if label is None or label.trailing or not isinstance(label.value, str) or named == label.value:
        return  # a label with stray text is an error of its own (CD112)
    if "\\x" in label.text:
        legacy.append("the title spells the \\x-escaped label in ASCII")
    else:
        mismatches.append((line, f"the title names {named!r} but CKA_LABEL is {label.value!r}"))


def _check_info(der: bytes, header: _Header, mismatches: list[tuple[int, str]], legacy: list[str]) -> None:
    info = header.info
    if not any(key in info for key in (*_INFO_KEYS, _MD5_KEY)):
        legacy.append("no Issuer/Subject/validity/fingerprint lines (NSS added them in November 2013)")
        return
    for position, (key, want) in enumerate(zip(_INFO_KEYS, expected_info(der), strict=True)):
        found = info.get(key)
        if found is not None and found[1] == want:
            continue
        if found is not None and found[1] == expected_info(der, legacy_limits=True)[position]:
            legacy.append(f"`{key}` cut at 64 bytes per name part (addbuiltin before May 2014)")
            continue
        if found is None and key == "# Fingerprint (SHA-256):" and _MD5_KEY in info:
            md5_line, md5_text = info[_MD5_KEY]
            md5 = _MD5_KEY + " " + ":".join(f"{byte:02X}" for byte in hashlib.md5(der).digest())
            if md5_text == md5:
                legacy.append("MD5 fingerprint instead of SHA-256 (addbuiltin before May 2014)")
            else:
                mismatches.append((md5_line, f"{md5_text!r} should be {md5!r}"))
            continue
        if found is None:
            mismatches.append((header.title_line, f"the `{key}` line is missing (expected {want!r})"))
        else:
            mismatches.append((found[0], f"{found[1]!r} should be {want!r}"))
    mismatches.sort(key=lambda item: item[0])


def _check_distrust_entry_info(obj: NssObject, header: _Header, mismatches: list[tuple[int, str]],
                               legacy: list[str]) -> None:
    """A trust object without its certificate: only the issuer and serial lines can be checked."""
    issuer = obj.attribute("CKA_ISSUER")
    serial = obj.attribute("CKA_SERIAL_NUMBER")
    wanted: list[tuple[str, str]] = []
    try:
        if issuer is not None and issuer.octal:
            name = nss_name(issuer.octal)
            wanted.append(("# Issuer:", f"# Issuer: {name}"))
            legacy_name = nss_name(issuer.octal, legacy_limits=True)
            found = header.info.get("# Issuer:")
            if legacy_name != name and found is not None and found[1] == f"# Issuer: {legacy_name}":
                wanted.pop()
                legacy.append("`# Issuer:` cut at 64 bytes per name part (addbuiltin before May 2014)")
        if serial is not None and serial.octal:
            wanted.append(("# Serial Number", nss_serial_line(der.parse(serial.octal).content)))
    except ValueError:
        return  # undecodable issuer or serial: NSS could not print a comment for it either
    for key, want in wanted:
        found = header.info.get(key)
        if found is not None and found[1] != want:
            mismatches.append((found[0], f"{found[1]!r} should be {want!r}"))


def _check_distrust_comments(ctx: LintContext, index: int, obj: NssObject) -> Iterator[Finding]:
    entries = obj.entries
    for position, entry in enumerate(entries):
        if isinstance(entry, Comment):
            match = _DISTRUST_COMMENT.fullmatch(entry.text.rstrip())
            following = entries[position + 1] if position + 1 < len(entries) else None
            if match is not None and not _is_dated(following):
                yield ctx.finding("CD202", entry.line, f"stray {match.group(1)} distrust-after comment: no "
                                  "date follows it, so it tells reviewers of a date NSS does not have",
                                  index=index)
            continue
        if not _is_dated(entry):
            continue
        assert isinstance(entry, Attribute)
        purpose = next(p for p in DistrustPurpose if p.attribute == entry.name)
        date = decode_utctime(entry.octal)
        want = purpose.comment_prefix + nss_time(date)
        previous = entries[position - 1] if position > 0 else None
        said = (_DISTRUST_COMMENT.fullmatch(previous.text.rstrip())
                if isinstance(previous, Comment) else None)
        if previous is None or said is None:
            yield ctx.finding("CD202", entry.line, f"{entry.name} has no comment with its date above it "
                              f"(expected {want!r}): reviewers read the date there, not the octal",
                              index=index)
        elif said.group(1).lower() != purpose.value:
            yield ctx.finding("CD202", previous.line, f"the comment above {entry.name} is the "
                              f"{said.group(1)} comment (expected {want!r})", index=index)
        elif previous.text.rstrip() != want:
            yield ctx.finding("CD202", previous.line, f"the comment above {entry.name} says "
                              f"{said.group(2)!r} but the value is {nss_time(date)}: reviewers read the "
                              "date there, not the octal", index=index)


def _is_dated(entry: Attribute | Comment | None) -> bool:
    """A certificate's distrust-after attribute holding a readable date."""
    if not isinstance(entry, Attribute) or entry.type != "MULTILINE_OCTAL":
        return False
    if entry.name not in (p.attribute for p in DistrustPurpose):
        return False
    try:
        decode_utctime(entry.octal)
    except ValueError:
        return False
    return True
