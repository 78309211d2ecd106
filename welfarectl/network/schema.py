"""JSON Schemas of the catalogue files, from the models, for editors with a YAML language server."""

from __future__ import annotations

import json
from pathlib import Path

from .models import FILE_KINDS

SCHEMA_DIR = "catalogue/schema"


def render_schema(kind: str) -> str:
    """The JSON Schema of one catalogue file kind, as stable, indented JSON text."""
    schema = FILE_KINDS[kind].model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": f"welfarectl catalogue/{kind}.yaml", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_path(kind: str) -> str:
    return f"{SCHEMA_DIR}/{kind}.schema.json"


def modeline(kind: str) -> str:
    """The comment that points a YAML language server at the schema (path relative to catalogue/)."""
    return f"# yaml-language-server: $schema=schema/{kind}.schema.json"


def write_schemas(root: Path) -> list[Path]:
    from welfarectl.base.output import write_files_atomic

    return write_files_atomic({root / schema_path(kind): render_schema(kind).encode("utf-8") for kind in FILE_KINDS})
