"""JSON Schemas of every input model, for editors (yaml-language-server).

Input: the ``Registry`` (plugins' content models and every slide kind).
Output: ``{file name: schema}`` for the meeting, the roster, the agenda (the
``agenda`` part of meeting.yaml, on its own), the ``slides`` content type and
each plugin's content model; ``write_schemas`` writes them
as sorted, indented JSON so the files in ``schemas/`` diff cleanly.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel

from .models import Agenda, Meeting, Roster
from .plugins import Registry

__all__ = ["all_schemas", "content_schema", "render_schema", "write_schemas"]


def content_schema(name: str, model: type[BaseModel]) -> dict:
    """The schema of material type ``name``'s content files."""
    schema = model.model_json_schema()
    schema.setdefault("title", f"{name} content")
    return schema


def all_schemas(registry: Registry) -> dict[str, dict]:
    schemas: dict[str, dict] = {
        "meeting.schema.json": Meeting.model_json_schema(),
        "roster.schema.json": Roster.model_json_schema(),
        "agenda.schema.json": Agenda.model_json_schema(),
    }
    for name, material_type in sorted(registry.material_types.items()):
        schemas[f"{name}.schema.json"] = content_schema(name, registry.content_model(material_type))
    return schemas


def render_schema(schema: dict) -> str:
    return json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema},
                      ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(registry: Registry, folder: Path, names: Iterable[str] | None = None) -> list[Path]:
    """Write every schema (or those in ``names``, file names such as ``dx.schema.json``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = None if names is None else set(names)
    written = []
    for name, schema in all_schemas(registry).items():
        if wanted is not None and name not in wanted:
            continue
        path = folder / name
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written
