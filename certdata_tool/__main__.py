"""`python -m certdata_tool` runs the command-line tool."""

from .cli import run

run()
