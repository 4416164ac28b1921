"""Change specs named on the command line: read, decoded and validated, with hints for a wrong file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .files import STDIO, display_name, read_bytes

if TYPE_CHECKING:
    from ..spec.load import Spec


def read_spec(path: str) -> Spec:
    """The spec at `path` (`-`: standard input), validated on its own (no certdata file needed)."""
    return load_spec_file(path, read_bytes(path))


def load_spec_file(path: str, data: bytes) -> Spec:
    """`data`, read from `path`, as a change spec. The certificate files an `add` names are read
    relative to the spec's folder; a file that looks like another input (a certdata.txt, a PEM)
    gets a hint saying so."""
    from ..spec.load import decode_spec, load_spec
    from ..syntax.sniff import TextKind
    from .files import spec_file_reader
    from .hints import hint_if_mistaken

    name = display_name(path)
    base_dir = None if path == STDIO else Path(path).parent
    with hint_if_mistaken(TextKind.CHANGE_SPEC, name, data):
        return load_spec(decode_spec(data, name), source=name, base_dir=base_dir,
                         read_file=spec_file_reader(base_dir))


__all__ = ["load_spec_file", "read_spec"]
