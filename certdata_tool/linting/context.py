"""What every lint check needs to know about one file: its roots, which object belongs to which root."""

from __future__ import annotations

import bisect
from datetime import datetime
from functools import lru_cache

from ..model.roots import DistrustEntry, Root, TrustField, TrustLevel, read_roots, read_trust
from ..syntax.nssfile import CertdataFile, NssObject
from ..x509 import der
from ..x509.nss_text import info_lines
from .findings import RULES_BY_CODE, Finding

# Usage values NSS accepts on a trust object without a certificate hash (nssTrust_IsSafeToIgnoreCertHash):
# such an object only distrusts, so it may apply to every certificate with its issuer and serial.
DISTRUST_ONLY = frozenset({TrustLevel.NOT_TRUSTED, TrustLevel.TRUST_UNKNOWN})


@lru_cache(maxsize=4096)
def expected_info(der: bytes, legacy_limits: bool = False) -> tuple[str, ...]:
    """addbuiltin's 7 info lines for a certificate, computed once for its two objects."""
    return info_lines(der, legacy_limits=legacy_limits)


@lru_cache(maxsize=4096)
def certificate_parts(der_certificate: bytes) -> der.CertificateParts | None:
    """Issuer, serial and subject of a DER certificate; None when it is not one NSS can read."""
    try:
        parts = der.certificate_parts(der_certificate)
        expected_info(der_certificate)  # what addbuiltin and NSS's decoder need: names, times, serial
    except ValueError:
        return None
    return parts


def validity_end(der_certificate: bytes) -> datetime | None:
    """notAfter of a certificate NSS can read (certificate_parts is not None), as NSS reads it."""
    try:
        return der.validity_end(der_certificate)
    except ValueError:
        return None


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
            roots[chosen] = roots[chosen]._replace(trust_index=entry.trust_index,
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
