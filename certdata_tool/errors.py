"""The tool's error types (all carry the file and line a user must look at) and its exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes as diff(1) and cmp(1) use them."""

    OK = 0
    DIFFERENCES = 1  # diff: differences; apply --check: would change; lint: errors found
    TROUBLE = 2  # bad usage, bad input, I/O error


class CertdataError(Exception):
    """Any error a user can cause. The CLI prints it as one line and exits 2.

    The message speaks of the data. `setting` names the library argument that would settle the
    error (`"nssckbi_version"`) where the message ends by asking for it ("choose the new version"):
    the CLI adds the flag that sets it ("... with --nssckbi-version").
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 hint: str | None = None, setting: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.hint = hint
        self.setting = setting

    def location(self) -> str:
        """`FILE:LINE: `, `FILE: ` or nothing, for the front of the message."""
        if self.source is None:
            return f"line {self.line}: " if self.line is not None else ""
        if self.line is None:
            return f"{self.source}: "
        return f"{self.source}:{self.line}: "

    def __str__(self) -> str:
        return f"{self.location()}{self.message}"


class ParseError(CertdataError):
    """The certdata text cannot be read."""


class SpecError(CertdataError):
    """A change spec is invalid (YAML, keys, types, values, selectors)."""


class ChangeError(CertdataError):
    """A valid change cannot be applied to this file (for example a selector matches nothing)."""


class ExportError(CertdataError):
    """An export cannot be written as asked (for example a foreign file in the target folder)."""


class ReportError(CertdataError):
    """A CCADB report cannot be read (its line is the one where the CSV record starts)."""
