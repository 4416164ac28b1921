"""Floor 7 — the apply use case: edits that turn a certdata.txt into what an NSS maintainer commits."""
