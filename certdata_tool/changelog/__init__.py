"""Floor 7 — release notes: what changed for users of a bundle, between two files or over git history."""

from __future__ import annotations

from .notes import Changelog, DistrustAfterNote, Reason, RenameNote, RootNote, changelog, notes_between
from .revisions import Blob, Commit, History, HistoryEntry, Revision, history

__all__ = ["Blob", "Changelog", "Commit", "DistrustAfterNote", "History", "HistoryEntry", "Reason",
           "RenameNote", "Revision", "RootNote", "changelog", "history", "notes_between"]
