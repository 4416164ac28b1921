"""Floor 7 — NSS patches: the commits change specs make in an NSS tree, as values (git runs in cli/)."""

from __future__ import annotations

from .series import (
    NSS_CERTDATA,
    NSS_NSSCKBI,
    FileChange,
    Identity,
    NssTree,
    PatchCommit,
    PatchError,
    PatchSeries,
    bug_number,
    parse_identity,
    patch_series,
    subject,
)

__all__ = ["NSS_CERTDATA", "NSS_NSSCKBI", "FileChange", "Identity", "NssTree", "PatchCommit", "PatchError",
           "PatchSeries", "bug_number", "parse_identity", "patch_series", "subject"]
