"""`certdata-tool patch`: the NSS patch for change specs, as `git format-patch` writes it."""

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..app import app, parse_at, warn_about_encoding, warn_about_roots, warning_line
from ..files import read_bytes, write_bytes

if TYPE_CHECKING:
    from ...patch.series import NssTree


@app.command("patch")
def patch_command(
    tree: Annotated[str, typer.Argument(
        metavar="NSS_TREE", help="A git checkout of NSS: the patch is made against its HEAD; nothing "
        "in it is changed.")],
    specs: Annotated[list[str], typer.Argument(
        metavar="SPEC...", help="Change specs (YAML), one commit each, in order; - for standard input.")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the patch here (- for standard output) instead of "
        "standard output.")] = None,
    reviewer: Annotated[str | None, typer.Option(
        "--reviewer", metavar="NAME", help="Ends each subject with r=NAME, as NSS's commits do.")] = None,
    author: Annotated[str | None, typer.Option(
        "--author", metavar='"NAME <EMAIL>"', help="The commits' author; default: the tree's git "
        "identity (git var GIT_AUTHOR_IDENT).")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", metavar="DATE", help="The commits' date (Date header), also the moment added "
        "certificates are checked at; without it the patch has no Date header.")] = None,
) -> None:
    """Write the NSS patch for change specs, as git format-patch does: git am in NSS_TREE applies it.

    One commit per spec (several make a numbered series), each changing
    lib/ckfw/builtins/certdata.txt as apply does, on top of the ones before; the last also bumps
    the library version in lib/ckfw/builtins/nssckbi.h. Subjects follow NSS's convention,
    "Bug N - TITLE r=NAME", from each spec's bug and title. A tree with uncommitted changes to
    those files is refused. Exit status: 0 written, 2 trouble.
    """
    from ... import __version__
    from ...patch.series import parse_identity, patch_series
    from ...render.apply_report import new_finding_lines
    from ...render.patch import format_patch
    from ..git import author_identity
    from .apply import _read_specs  # here: importing it registers apply, which a patch run does not need

    moment = None if at is None else parse_at(at)
    loaded = _read_specs(specs)
    nss_tree = _read_tree(tree)
    identity = parse_identity(author if author is not None else author_identity(tree),
                              what="--author" if author is not None else "the tree's git identity")
    series = patch_series(nss_tree, loaded, author=identity, reviewer=reviewer, at=moment)
    for commit in series.commits:
        for line in (*commit.outcome.warnings, *new_finding_lines(commit.outcome)):
            warning_line(line)
    text = format_patch(series, signature=f"certdata-tool {__version__}")
    write_bytes(output or "-", text.encode("utf-8", "surrogateescape"))


def _read_tree(tree: str) -> "NssTree":
    """HEAD's certdata.txt and nssckbi.h (git refuses a tree that changes them). The files of the
    working tree are read too, as inputs: -o cannot overwrite them."""
    from ...errors import CertdataError
    from ...patch.series import NSS_CERTDATA, NSS_NSSCKBI, NssTree
    from ...syntax.nssfile import parse
    from ..git import head_files

    certdata, header = head_files(tree, [NSS_CERTDATA, NSS_NSSCKBI])
    names = [os.path.join(tree, path) for path in (NSS_CERTDATA, NSS_NSSCKBI)]
    for name in names:
        read_bytes(name)
    store = parse(certdata.data, source=names[0])
    warn_about_encoding(store)
    warn_about_roots(store)
    try:
        header_text = header.data.decode("utf-8")
    except UnicodeDecodeError:
        raise CertdataError("not valid UTF-8 text", source=names[1]) from None
    return NssTree(store, header_text, certdata.mode, header.mode, names[1])
