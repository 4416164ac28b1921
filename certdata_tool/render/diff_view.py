"""diff's views by name: one place that maps a format to its renderer (each in its own module)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..diff import Diff
    from ..syntax.nssfile import CertdataFile


class DiffFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    UNIFIED = "unified"
    SPEC = "spec"


def render_diff(result: Diff, output_format: DiffFormat, old: CertdataFile, new: CertdataFile, *,
                colour: bool = False) -> str:
    """`result` (the diff of `old` and `new`) in `output_format`."""
    if output_format is DiffFormat.TEXT:
        from .text_diff import render_text

        return render_text(result, colour=colour)
    if output_format is DiffFormat.MARKDOWN:
        from .markdown_diff import render_markdown

        return render_markdown(result)
    if output_format is DiffFormat.JSON:
        from .json_diff import render_json

        return render_json(result)
    if output_format is DiffFormat.UNIFIED:
        from .unified import render_unified

        return render_unified(result, old, new)
    from .spec import render_spec

    return render_spec(result, old, new)


__all__ = ["DiffFormat", "render_diff"]
