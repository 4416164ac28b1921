"""What every lint check needs to know about one file: its roots, which object belongs to which root."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache

from asn1crypto import parser

from ..model.roots import DistrustEntry, Root, TrustField, TrustLevel, read_roots, read_trust
from ..syntax.nssfile import CertdataFile, NssObject
from ..x509.nss_text import info_lines
from .findings import RULES_BY_CODE, Finding

# Usage values NSS accepts on a trust object without a certificate hash (nssTrust_IsSafeToIgnoreCertHash):
# such an object only distrusts, so it may apply to every certificate with its issuer and serial.
DISTRUST_ONLY = frozenset({TrustLevel.NOT_TRUSTED, TrustLevel.TRUST_UNKNOWN})
POSITIVE = frozenset({TrustLevel.TRUSTED_DELEGATOR, TrustLevel.VALID_DELEGATOR})


@dataclass(frozen=True, slots=True)
class CertificateParts:
    """The DER pieces of a certificate that certdata.txt repeats as attributes (tag and length included)."""

    issuer: bytes
    serial: bytes
    subject: bytes
    not_after: datetime | None  # None for a time form NSS reads but this check does not (offsets)


@lru_cache(maxsize=4096)
def expected_info(der: bytes, legacy_limits: bool = False) -> tuple[str, ...]:
    """addbuiltin's 7 info lines for a certificate, computed once for its two objects."""
    return info_lines(der, legacy_limits=legacy_limits)


@lru_cache(maxsize=4096)
def certificate_parts(der: bytes) -> CertificateParts | None:
    """Issuer, serial and subject of a DER certificate; None when it is not one NSS can read."""
    try:
        certificate = _element(der)
        outer = list(_children(certificate[4]))
        if certificate[:3] != (0, 1, 16) or len(outer) != 3:
            return None
        tbs = list(_children(outer[0][4]))
        if tbs and tbs[0][:3] == (2, 1, 0):  # explicit [0] version
            tbs = tbs[1:]
        if len(tbs) < 6 or tbs[0][:3] != (0, 0, 2) or any(part[:3] != (0, 1, 16) for part in tbs[1:6]):
            return None
        expected_info(der)  # what addbuiltin and NSS's decoder need: names, times, serial
    except ValueError:
        return None
    serial, issuer, validity, subject = tbs[0], tbs[2], tbs[3], tbs[4]
    times = list(_children(validity[4]))
    return CertificateParts(issuer=issuer[3] + issuer[4], serial=serial[3] + serial[4],
                            subject=subject[3] + subject[4],
                            not_after=_time(times[1]) if len(times) == 2 else None)


_UTC_TIME = re.compile(rb"(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z")
_GENERALIZED_TIME = re.compile(rb"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z")


def _time(element: _Element) -> datetime | None:
    """A UTCTime or GeneralizedTime in Z form (every root uses it)."""
    utc = element[2] == 23
    match = (_UTC_TIME if utc else _GENERALIZED_TIME).fullmatch(element[4])
    if match is None:
        return None
    year, month, day, hour, minute = (int(group) for group in match.groups()[:5])
    if utc:
        year += 2000 if year < 50 else 1900
    try:
        return datetime(year, month, day, hour, minute, int(match.group(6) or 0), tzinfo=UTC)
    except ValueError:
        return None


_Element = tuple[int, int, int, bytes, bytes]  # class, constructed, tag, header, contents


def _element(data: bytes) -> _Element:
    class_, method, tag, header, contents, _trailer = parser.parse(data, strict=True)
    return class_, method, tag, header, contents


def _children(contents: bytes) -> Iterator[_Element]:
    offset = 0
    while offset < len(contents):
        size: int = parser.peek(contents[offset:])
        yield _element(contents[offset : offset + size])
        offset += size


def is_distrust_only(obj: NssObject) -> bool:
    """An explicit distrust: some usage NOT_TRUSTED, none that trusts or asks to verify, no step-up.

    This is what NSS accepts without a certificate hash (nssTrust_IsSafeToIgnoreCertHash).
    """
    trust = read_trust(obj, [])
    levels = [trust.level(trust_field) for trust_field in TrustField]
    return (TrustLevel.NOT_TRUSTED in levels and not trust.step_up_approved
            and all(level is None or level in DISTRUST_ONLY for level in levels))


class LintContext:
    """The file, its roots (certificate + trust object) and the root each object and line belongs to."""

    def __init__(self, store: CertdataFile, at: datetime) -> None:
        self.store = store
        self.objects = store.objects
        self.at = at
        root_set = read_roots(store)
        roots = list(root_set.roots)
        entries = list(root_set.distrust_entries)
        # A trust object whose SHA-1 hash is wrong matches no certificate in the model. When its
        # certificate (same issuer and serial, not yet paired) is in the file, pair them anyway so
        # that lint reports one wrong hash instead of a missing trust and an orphan.
        for entry in list(entries):
            obj = self.objects[entry.trust_index]
            if entry.sha1 is None:
                continue
            candidates = [i for i, root in enumerate(roots) if root.trust_index is None
                          and self._issuer_serial(self.objects[root.certificate_index])
                          == (entry.issuer, entry.serial)]
            if not candidates:
                continue
            before = [i for i in candidates if roots[i].certificate_index < entry.trust_index]
            chosen = before[-1] if before else candidates[0]
            roots[chosen] = replace(roots[chosen], trust_index=entry.trust_index,
                                    trust=read_trust(obj, []))
            entries.remove(entry)
        self.roots: tuple[Root, ...] = tuple(roots)
        self.distrust_entries: tuple[DistrustEntry, ...] = tuple(entries)
        self.root_of: dict[int, Root] = {}
        for root in self.roots:
            self.root_of[root.certificate_index] = root
            if root.trust_index is not None:
                self.root_of[root.trust_index] = root
        self.entry_of = {entry.trust_index: entry for entry in self.distrust_entries}
        self._starts = [obj.preamble_line for obj in self.objects]

    @staticmethod
    def _issuer_serial(obj: NssObject) -> tuple[bytes, bytes]:
        issuer = obj.attribute("CKA_ISSUER")
        serial = obj.attribute("CKA_SERIAL_NUMBER")
        return (issuer.octal if issuer else b"", serial.octal if serial else b"")

    def finding(self, code: str, line: int, message: str, *, index: int | None = None,
                whole_file: bool = False) -> Finding:
        """A finding about object `index` (when None, the object that holds `line`) or the whole file."""
        if index is None and not whole_file:
            index = self.object_at(line)
        label: str | None = None
        sha256: str | None = None
        if index is not None:
            root = self.root_of.get(index)
            if root is not None:
                label, sha256 = root.label, root.sha256
            elif index in self.entry_of:
                label = self.entry_of[index].label
        return Finding(code, RULES_BY_CODE[code].level, line, message, label, sha256)

    def object_at(self, line: int) -> int | None:
        """Index of the object whose comment block or attributes hold `line`; None in the header."""
        position = bisect.bisect_right(self._starts, line) - 1
        return position if position >= 0 and line >= self._starts[position] else None
