"""`certdata-tool spec check`: change specs validated on their own, as a pre-commit hook runs it."""

import sys
from typing import Annotated

import typer

from ...errors import CertdataError, ExitCode
from ..app import print_error
from ..files import STDIO, display_name, read_bytes
from .spec import spec_app


@spec_app.command("check")
def spec_check_command(
    specs: Annotated[list[str], typer.Argument(
        metavar="SPEC...", help="Change specs (YAML) to check; - for standard input.")],
    skip_non_specs: Annotated[bool, typer.Option(
        "--skip-non-specs", help="Leave out YAML files that do not look like change specs (no "
        "top-level version: or changes: key), as the certdata-spec pre-commit hook does.")] = False,
) -> None:
    """Check change specs without a certdata file: YAML, keys, types, trust values, dates, labels,
    and the certificates an add names (read relative to the spec's folder).

    Whether a selector matches is a question for a certdata file: `apply --check` answers it. Every
    spec is checked and every problem printed; exit status 0 when all are valid, else 2.
    """
    from ...syntax.sniff import TextKind, looks_like
    from ..specs import load_spec_file

    if specs.count(STDIO) > 1:
        raise CertdataError("standard input (-) can be read only once: give at most one - among SPEC")
    failed = False
    for path in specs:
        try:
            data = read_bytes(path)
            if skip_non_specs and looks_like(data) is not TextKind.CHANGE_SPEC:
                continue
            spec = load_spec_file(path, data)
        except CertdataError as error:
            print_error(error)
            failed = True
            continue
        count = len(spec.changes)
        print(f"{display_name(path)}: a valid change spec ({count} change{'s' * (count != 1)})",
              file=sys.stderr)
    if failed:
        raise typer.Exit(ExitCode.TROUBLE)
