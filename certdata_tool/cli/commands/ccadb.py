"""`certdata-tool ccadb`: reconcile certdata.txt with CCADB's report of Mozilla's included roots."""

from enum import StrEnum
from typing import Annotated

import typer

from ...errors import CertdataError, ExitCode
from ..app import app, emit, load_certdata, warn_about_roots
from ..files import display_name, read_bytes


class CcadbFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    SPEC = "spec"


@app.command("ccadb")
def ccadb_command(
    certdata: Annotated[str, typer.Argument(
        metavar="CERTDATA", help="certdata.txt to check; - for standard input.")],
    report: Annotated[str, typer.Argument(
        metavar="REPORT.csv", help="CCADB's IncludedCACertificateReportPEMCSV, as downloaded.")],
    output_format: Annotated[CcadbFormat, typer.Option(
        "--format", "-f", help="text: one block per finding; markdown: for a bug comment; "
        "json: certdata-tool/ccadb/1; spec: a change spec that makes CERTDATA agree.")] = CcadbFormat.TEXT,
) -> None:
    """Compare certdata.txt with CCADB's report: roots missing or extra, trust bits, distrust-after dates.

    Exit status: 0 they agree, 1 they differ, 2 trouble.
    """
    from ...ccadb.fix import fix_spec
    from ...ccadb.reconcile import reconcile_report
    from ...render import ccadb as render
    from ...syntax.sniff import TextKind
    from ..hints import hint_if_mistaken

    if certdata == "-" and report == "-":
        raise CertdataError("CERTDATA and REPORT.csv cannot both be - (standard input can be read only once)")
    store = load_certdata(certdata)
    warn_about_roots(store)
    data, name = read_bytes(report), display_name(report)
    with hint_if_mistaken(TextKind.CCADB_REPORT, name, data):  # the two files swapped, or a PEM
        result = reconcile_report(store, data, name)
    views = {CcadbFormat.TEXT: render.render_text, CcadbFormat.MARKDOWN: render.render_markdown,
             CcadbFormat.JSON: render.render_json, CcadbFormat.SPEC: fix_spec}
    emit(views[output_format](result))
    if not result.agree:
        raise typer.Exit(ExitCode.DIFFERENCES)
