"""Bump the builtins library version in NSS's nssckbi.h, as NSS does with every root change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import CertdataError

MAJOR = "NSS_BUILTINS_LIBRARY_VERSION_MAJOR"
MINOR = "NSS_BUILTINS_LIBRARY_VERSION_MINOR"
VERSION = "NSS_BUILTINS_LIBRARY_VERSION"
CK_BYTE_MAX = 255  # the minor version is a CK_BYTE

_DEFINE = re.compile(r"(?P<lead>[ \t]*#[ \t]*define[ \t]+)(?P<name>\w+)(?P<gap>[ \t]+)(?P<value>[^\r\n]*?)"
                     r"(?P<tail>[ \t]*(?:/\*.*?\*/[ \t]*|//.*)?)(?P<end>\r?\n|$)")
_NUMBER = re.compile(r"\d{1,3}")
_STRING = re.compile(r'"(\d{1,3})\.(\d{1,3})"')
_EXPLICIT = re.compile(r"(\d{1,3})\.(\d{1,3})")


@dataclass(frozen=True, slots=True)
class _Define:
    name: str
    value: str
    line: int  # 1-based
    start: int  # offsets of the value in the text
    end: int


class NssckbiError(CertdataError):
    """nssckbi.h cannot be read or bumped as asked."""


def bump(header_text: str, explicit: str | None = None, *,
         source: str = "nssckbi.h") -> tuple[str, str, str]:
    """(new text, old version, new version) with the library version raised.

    Without `explicit`, the minor version goes to the next even number (NSS's rule for the main
    line); `explicit` ("2.87") sets a version of one's choosing, such as an odd one for a point
    release. Only the three version lines change.
    """
    defines = _defines(header_text)
    major_define = _require(defines, MAJOR, source)
    minor_define = _require(defines, MINOR, source)
    string_define = _require(defines, VERSION, source)
    major = _number(major_define, source)
    minor = _number(minor_define, source)
    match = _STRING.fullmatch(string_define.value)
    if match is None:
        raise NssckbiError(f"{VERSION} is {string_define.value}, expected a string such as \"2.86\"",
                           source=source, line=string_define.line)
    if (int(match.group(1)), int(match.group(2))) != (major, minor):
        raise NssckbiError(f"{VERSION} {string_define.value} does not match {MAJOR} {major} and "
                           f"{MINOR} {minor}; fix the file by hand first", source=source,
                           line=string_define.line)
    old = f"{major}.{minor}"
    if explicit is None:
        new_major, new_minor = major, minor + 2 - minor % 2
        if new_minor > CK_BYTE_MAX - 1:
            raise NssckbiError(f"{MINOR} {minor} cannot go higher (it is a CK_BYTE); choose the new "
                               "version", source=source, line=minor_define.line, setting="nssckbi_version")
    else:
        wanted = _EXPLICIT.fullmatch(explicit.strip())
        if wanted is None or int(wanted.group(2)) > CK_BYTE_MAX or int(wanted.group(1)) > CK_BYTE_MAX:
            raise NssckbiError(f"bad version {explicit!r}: expected MAJOR.MINOR such as 2.87, each at "
                               f"most {CK_BYTE_MAX}")
        new_major, new_minor = int(wanted.group(1)), int(wanted.group(2))
        if (new_major, new_minor) < (major, minor):
            raise NssckbiError(f"the version {new_major}.{new_minor} is lower than the file's {old}",
                               source=source, line=minor_define.line)
    new = f"{new_major}.{new_minor}"
    replacements = [
        (major_define, str(new_major)),
        (minor_define, str(new_minor)),
        (string_define, f'"{new}"'),
    ]
    text = header_text
    for define, value in sorted(replacements, key=lambda item: item[0].start, reverse=True):
        text = text[: define.start] + value + text[define.end :]
    return text, old, new


def _defines(text: str) -> dict[str, list[_Define]]:
    found: dict[str, list[_Define]] = {}
    for match in _DEFINE.finditer(text):
        if match.group("name") in (MAJOR, MINOR, VERSION):
            line = text.count("\n", 0, match.start()) + 1
            define = _Define(match.group("name"), match.group("value"), line, match.start("value"),
                             match.end("value"))
            found.setdefault(define.name, []).append(define)
    return found


def _require(defines: dict[str, list[_Define]], name: str, source: str) -> _Define:
    found = defines.get(name, [])
    if not found:
        raise NssckbiError(f"no #define {name} line: is this NSS's lib/ckfw/builtins/nssckbi.h?",
                           source=source)
    if len(found) > 1:
        raise NssckbiError(f"#define {name} appears {len(found)} times (lines "
                           f"{', '.join(str(d.line) for d in found)}); expected once", source=source,
                           line=found[1].line)
    return found[0]


def _number(define: _Define, source: str) -> int:
    if _NUMBER.fullmatch(define.value) is None or int(define.value) > CK_BYTE_MAX:
        raise NssckbiError(f"{define.name} is {define.value!r}, expected a number from 0 to {CK_BYTE_MAX}",
                           source=source, line=define.line)
    return int(define.value)


def version(header_text: str) -> str | None:
    """The builtins library version `X.Y` that nssckbi.h declares; None when it declares none.

    NSS writes it twice, as `NSS_BUILTINS_LIBRARY_VERSION "2.68"` and as the MAJOR and MINOR
    numbers; the string wins, the numbers are the fallback (very old headers lack one or the other).
    """
    defines = _defines(header_text)
    for define in defines.get(VERSION, ())[:1]:
        match = _STRING.fullmatch(define.value)
        if match is not None:
            return f"{int(match.group(1))}.{int(match.group(2))}"
    major, minor = defines.get(MAJOR, ()), defines.get(MINOR, ())
    if major and minor and _NUMBER.fullmatch(major[0].value) and _NUMBER.fullmatch(minor[0].value):
        return f"{int(major[0].value)}.{int(minor[0].value)}"
    return None


__all__ = ["NssckbiError", "bump", "version"]
