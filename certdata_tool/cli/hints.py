"""Hints for a file given in the wrong place: what it looks like by its content, and where it goes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import CertdataError
from ..syntax.sniff import TextKind, looks_like

# Where each kind of file goes, as a user would type it ({name}: the file, quoted for a shell).
_WHERE = {
    TextKind.CERTDATA: "certdata-tool apply CERTDATA SPEC takes it first",
    TextKind.CHANGE_SPEC: "certdata-tool apply CERTDATA SPEC takes it after the certdata file",
    TextKind.NSSCKBI: "apply bumps its version with --nssckbi {name}",
    TextKind.PEM: "certdata-tool spec add {name} writes a spec that adds it",
    TextKind.DER: "certdata-tool spec add {name} writes a spec that adds it",
    TextKind.CCADB_REPORT: "certdata-tool ccadb CERTDATA REPORT.csv takes it after the certdata file",
}


def mistaken_input(expected: TextKind, name: str, data: bytes) -> str | None:
    """A hint when `data`, read from `name` as `expected`, looks like another kind of input."""
    import shlex  # here: only a failed read needs it

    kind = looks_like(data)
    if kind is None or kind is expected:
        return None
    if kind is TextKind.CERTDATA and expected is TextKind.CCADB_REPORT:
        where = "certdata-tool ccadb CERTDATA REPORT.csv takes it first"
    else:
        where = _WHERE[kind].format(name=shlex.quote(name))
    return f"{name} looks like {kind.value}, not {expected.value}; {where}"


@contextmanager
def hint_if_mistaken(expected: TextKind, name: str, data: bytes) -> Iterator[None]:
    """Give an error about reading `data` (named `name`) as `expected` a hint when the file looks
    like another input: the message says what went wrong in the file, the hint which file it is."""
    try:
        yield
    except CertdataError as error:
        if error.hint is None and error.source == name:
            error.hint = mistaken_input(expected, name, data)
        raise


def not_a_certificate(error: CertdataError, files: list[tuple[str, bytes]]) -> None:
    """`spec add certdata.txt`: the error names the file that holds no certificate; when that file
    looks like another input, the hint says which (a certdata.txt, a spec, nssckbi.h)."""
    if error.hint is not None:
        return
    for name, data in files:
        if str(error).startswith((f"{name} ", f"{name}:")):
            kind = looks_like(data)
            if kind not in (None, TextKind.PEM, TextKind.DER):
                error.hint = mistaken_input(TextKind.PEM, name, data)
            return


def swapped(command: str, first: tuple[str, bytes], second: tuple[str, bytes]) -> str | None:
    """`apply SPEC CERTDATA`: a hint with the command in the right order when FIRST (name, bytes),
    given as the certdata, looks like a spec and SECOND, given as the spec, like a certdata.txt."""
    import shlex

    (first_name, first_data), (second_name, second_data) = first, second
    if looks_like(first_data) is not TextKind.CHANGE_SPEC or looks_like(second_data) is not TextKind.CERTDATA:
        return None
    return (f"the arguments look swapped ({first_name} is a change spec, {second_name} a certdata.txt): "
            f"certdata-tool {command} {shlex.quote(second_name)} {shlex.quote(first_name)}")


__all__ = ["hint_if_mistaken", "mistaken_input", "not_a_certificate", "swapped"]
