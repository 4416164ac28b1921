"""`certdata-tool schema`: the JSON Schema of the change-spec format."""

from typing import TYPE_CHECKING

from ..app import app, emit

if TYPE_CHECKING:
    pass


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the change-spec format, for editors."""
    from ...spec.schema import render_schema

    emit(render_schema())
