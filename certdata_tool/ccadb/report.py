"""Reading CCADB's IncludedCACertificateReportPEMCSV: a ReportRoot per row, its PEM checked by hash."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from ..errors import ReportError
from ..model.roots import DistrustPurpose, TrustField
from ..model.selectors import normalize_fingerprint
from ..moments import UTCTIME_YEARS, read_ccadb_day
from ..x509.checks import pem_certificate

__all__ = ["NEEDED_COLUMNS", "PURPOSE_WORDS", "REPORT_NAME", "Report", "ReportRoot", "TrustBit",
           "read_report"]

REPORT_NAME = "IncludedCACertificateReportPEMCSV"

SHA256 = "SHA-256 Fingerprint"
NAME = "Common Name or Certificate Name"
TRUST_BITS = "Trust Bits"
TLS_DISTRUST = "Distrust for TLS After Date"
SMIME_DISTRUST = "Distrust for S/MIME After Date"
PEM = "PEM Info"
OWNER = "Owner"
APPROVAL_BUG = "Approval Bug"
NEEDED_COLUMNS = (SHA256, NAME, TRUST_BITS, TLS_DISTRUST, SMIME_DISTRUST, PEM)
DISTRUST_COLUMNS = {DistrustPurpose.SERVER: TLS_DISTRUST, DistrustPurpose.EMAIL: SMIME_DISTRUST}
# How Mozilla's root program names the two dates in words.
PURPOSE_WORDS = {DistrustPurpose.SERVER: "Distrust for TLS After",
                 DistrustPurpose.EMAIL: "Distrust for S/MIME After"}



class TrustBit(Enum):
    """Mozilla's trust bits as CCADB names them, in the order the report lists them."""

    WEBSITES = "Websites"
    EMAIL = "Email"

    @property
    def trust_field(self) -> TrustField:
        """The trust-object usage that is `trusted_delegator` when the bit is set."""
        return TrustField.SERVER_AUTH if self is TrustBit.WEBSITES else TrustField.EMAIL_PROTECTION


@dataclass(frozen=True, slots=True)
class ReportRoot:
    """One row of the report: a root Mozilla includes, with its trust bits and distrust dates."""

    sha256: str  # upper-case hex, checked against the PEM
    name: str  # "Common Name or Certificate Name"
    der: bytes = field(repr=False)
    trust_bits: tuple[TrustBit, ...]  # in TrustBit order, no repeats
    server_distrust_after: date | None  # "Distrust for TLS After Date"
    email_distrust_after: date | None  # "Distrust for S/MIME After Date"
    owner: str | None
    approval_bug: str | None
    line: int  # where the record starts, counted by LF

    def distrust_after(self, purpose: DistrustPurpose) -> date | None:
        return self.server_distrust_after if purpose is DistrustPurpose.SERVER else self.email_distrust_after


@dataclass(frozen=True, slots=True)
class Report:
    roots: tuple[ReportRoot, ...]  # in the report's order
    source: str


def read_report(data: bytes, source: str = "<report>") -> Report:
    """Every row of a report in CCADB's layout; ReportError names the line of the record at fault."""
    text = _decode(data, source)
    lines = _lines(text)
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    header_line = 1
    columns: dict[str, int] = {}
    roots: list[ReportRoot] = []
    seen: dict[str, int] = {}
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ReportError(f"not CSV as CCADB writes it: {_csv_problem(error)}", source=source,
                              line=start) from None
        if not row or row == [""]:
            continue  # a blank line
        if header is None:
            header, header_line = [name.strip() for name in row], start
            columns = _columns(header, source, start)
            continue
        if len(row) != len(header):
            raise ReportError(f"the record has {len(row)} fields, the header (line {header_line}) has "
                              f"{len(header)}", source=source, line=start)
        root = _root(row, columns, source, start)
        if root.sha256 in seen:
            raise ReportError(f"the certificate {root.sha256} is listed twice (first on line "
                              f"{seen[root.sha256]})", source=source, line=start)
        seen[root.sha256] = start
        roots.append(root)
    if header is None:
        raise ReportError(f"empty report: expected CCADB's {REPORT_NAME} CSV with a header row",
                          source=source, line=1)
    return Report(tuple(roots), source)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")  # CCADB's file may start with a byte-order mark
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReportError(f"not valid UTF-8 (byte 0x{data[error.start]:02x}); CCADB's report is UTF-8 text",
                          source=source, line=line) from None


def _lines(text: str) -> Iterator[str]:
    """The text cut after each LF only: a PEM's CR CR LF is one line, and line numbers count LFs."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return "a quoted field is not closed before the end of the file (is the file cut off?)"
    return message


def _columns(header: list[str], source: str, line: int) -> dict[str, int]:
    """Column name → index, for the columns the reader uses."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in (*NEEDED_COLUMNS, OWNER, APPROVAL_BUG):
            if name in columns:
                raise ReportError(f"the header has two {name!r} columns", source=source, line=line)
            columns[name] = index
    for name in NEEDED_COLUMNS:
        if name not in columns:
            raise ReportError(f"the header has no {name!r} column; is this CCADB's {REPORT_NAME}?",
                              source=source, line=line)
    return columns


def _root(row: list[str], columns: dict[str, int], source: str, line: int) -> ReportRoot:
    def value(name: str) -> str | None:
        index = columns.get(name)
        return None if index is None else row[index]

    def fail(message: str) -> ReportError:
        return ReportError(message, source=source, line=line)

    try:
        sha256 = normalize_fingerprint(value(SHA256) or "", digest_size=32, key=SHA256)
    except ValueError as error:
        raise fail(str(error)) from None
    # CCADB wraps the PEM in single quotes and ends its lines with CR CR LF.
    pem = (value(PEM) or "").replace("'", "").replace("\r", "")
    try:
        der = pem_certificate(pem.encode("utf-8"), PEM)
    except ValueError as error:
        raise fail(str(error)) from None
    actual = hashlib.sha256(der).hexdigest().upper()
    if actual != sha256:
        raise fail(f"{PEM} hashes to {actual}, not to its {SHA256} {sha256}")
    bits: list[TrustBit] = []
    for word in (value(TRUST_BITS) or "").split(";"):
        word = word.strip()
        if not word:
            continue
        try:
            bit = TrustBit(word)
        except ValueError:
            raise fail(f"{TRUST_BITS}: unknown trust bit {word!r} (expected Websites or Email)") from None
        bits.append(bit)
    dates = {purpose: _date(value(column) or "", column, fail)
             for purpose, column in DISTRUST_COLUMNS.items()}
    return ReportRoot(
        sha256=sha256,
        name=(value(NAME) or "").strip(),
        der=der,
        trust_bits=tuple(bit for bit in TrustBit if bit in bits),
        server_distrust_after=dates[DistrustPurpose.SERVER],
        email_distrust_after=dates[DistrustPurpose.EMAIL],
        owner=(value(OWNER) or "").strip() or None,
        approval_bug=(value(APPROVAL_BUG) or "").strip() or None,
        line=line,
    )


def _date(text: str, column: str, fail: Callable[[str], ReportError]) -> date | None:
    """A `YYYY.MM.DD` date as CCADB writes them; empty means none."""
    if not text.strip():
        return None
    try:
        day = read_ccadb_day(text)
    except ValueError as error:
        raise fail(f"{column}: {error}") from None
    low, high = UTCTIME_YEARS
    if not low <= day.year <= high:
        raise fail(f"{column}: {text.strip()} is outside {low}-{high}, which a distrust-after value in "
                   "certdata.txt cannot express")
    return day
