"""JSON Schemas of every input model, for editors (yaml-language-server).

Input: the ``Registry`` (plugins' content models and every slide kind).
Output: ``{file name: schema}`` for the meeting, the roster, the agenda (the
``agenda`` part of meeting.yaml, on its own), the ``slides`` content type and
each plugin's content model; ``write_schemas`` writes them
as sorted, indented JSON so the files in ``schemas/`` diff cleanly (a plugin's
own schema into its project's ``schemas/`` unless a folder is given).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel

from .models import Agenda, Meeting, Roster
from .plugins import BUILTIN, Registry

__all__ = ["all_schemas", "content_schema", "render_schema", "write_schemas", "project_folder"]


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


def project_folder(registry: Registry, name: str) -> Path | None:
    """The source project (the folder with its ``pyproject.toml`` and a ``schemas`` folder, as
    ``council new-plugin`` makes it) of the plugin that provides the material type ``name``, when it is
    installed from a source tree (an editable install, as a plugin under development is); None for the
    core's schemas, for plugins installed from a wheel and for projects without a ``schemas`` folder."""
    material_type = registry.material_types.get(name)
    if material_type is None or registry.owners.get(f"material:{name}") == BUILTIN:
        return None
    module = sys.modules.get(registry.content_model(material_type).__module__)
    source = Path(getattr(module, "__file__", None) or ".").resolve()
    for folder in source.parents:
        if "site-packages" in folder.parts or "dist-packages" in folder.parts:
            return None
        if (folder / "pyproject.toml").is_file():
            return folder if (folder / "schemas").is_dir() else None
    return None


def write_schemas(registry: Registry, folder: Path | None, names: Iterable[str] | None = None) -> list[Path]:
    """Write every schema (or those in ``names``, file names such as ``dx.schema.json``) into ``folder``;
    with no folder, a plugin's schema into its own project's ``schemas/`` folder (``project_folder``, where
    its tests read it) and the others into ``schemas`` in the current folder."""
    wanted = None if names is None else set(names)
    written = []
    for name, schema in all_schemas(registry).items():
        if wanted is not None and name not in wanted:
            continue
        project = None if folder is not None else project_folder(registry, name.removesuffix(".schema.json"))
        target = folder if folder is not None else project / "schemas" if project is not None else Path("schemas")
        target.mkdir(parents=True, exist_ok=True)
        path = target / name
        path.write_text(render_schema(schema), encoding="utf-8")
        written.append(path)
    return written
