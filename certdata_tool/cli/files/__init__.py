"""The CLI's only file I/O: reading inputs (`-` for standard input), writing standard output, and
replacing files and folders whole or not at all."""

from .atomic import TEMPORARY_PREFIX
from .folders import write_directory
from .reading import STDIO, display_name, forget_reads, read_bounded, read_bytes, spec_file_reader
from .replace import write_bytes, write_files
from .stdout import PipeClosed, write_stdout

__all__ = [
    "STDIO",
    "TEMPORARY_PREFIX",
    "PipeClosed",
    "display_name",
    "forget_reads",
    "read_bounded",
    "read_bytes",
    "spec_file_reader",
    "write_bytes",
    "write_directory",
    "write_files",
    "write_stdout",
]
