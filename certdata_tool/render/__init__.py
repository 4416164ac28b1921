"""Renderers: roots, diffs and findings → text. One function per output format; no I/O."""
