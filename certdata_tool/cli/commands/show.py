"""`certdata-tool show`: list the roots with their trust and distrust-after dates."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import CertdataError
from ..app import app, emit, load_certdata, warn_about_roots

if TYPE_CHECKING:
    pass


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


@app.command()
def show(
    certdata: Annotated[str, typer.Argument(
        metavar="CERTDATA", help="certdata.txt to read; - for standard input.")],
    output_format: Annotated[ShowFormat, typer.Option(
        "--format", "-f", help="Output format.")] = ShowFormat.TABLE,
    root: Annotated[list[str] | None, typer.Option(
        "--root", "-r", metavar="SELECTOR",
        help="Only roots matching label=NAME, sha256=HEX or sha1=HEX (repeatable).")] = None,
) -> None:
    """List the roots of a certdata.txt with their trust and distrust-after dates."""
    from ...model.roots import Root, RootSet, read_roots
    from ...model.selectors import parse_selector, pick
    from ...render import show as render

    store = load_certdata(certdata)
    root_set = file_roots = read_roots(store)
    if root:
        chosen: list[Root] = []
        for text in root:
            selector = parse_selector(text)
            try:
                matches = pick(root_set.roots, selector)
            except CertdataError as error:
                raise CertdataError(f"--root: {error.message}") from None
            chosen.extend(r for r in matches if r not in chosen)
        root_set = RootSet(tuple(r for r in root_set.roots if r in chosen), ())
    warn_about_roots(store, root_set)
    if output_format is ShowFormat.JSON:
        emit(render.render_json(root_set, file_roots.roots))
    elif output_format is ShowFormat.MARKDOWN:
        emit(render.render_markdown(root_set))
    else:
        emit(render.render_table(root_set))
