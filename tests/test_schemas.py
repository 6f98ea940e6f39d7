"""The JSON Schemas in schemas/ are exactly what the models generate today."""
from __future__ import annotations

import json

from council_materials.plugins import Registry, get_plugin_manager
from council_materials.schemas import all_schemas, render_schema

from conftest import EXAMPLE, ROOT


def test_checked_in_schemas_match_the_models() -> None:
    schemas = all_schemas(Registry.from_plugin_manager(get_plugin_manager()))
    for name in ("meeting.schema.json", "roster.schema.json", "agenda.schema.json", "slides.schema.json", "dx.schema.json",
                 "international.schema.json", "talent.schema.json", "wa.schema.json"):
        assert name in schemas
    for name, schema in schemas.items():
        path = ROOT / "schemas" / name
        assert path.is_file(), f"{name} missing: run `council schema --write`"
        assert path.read_text(encoding="utf-8") == render_schema(schema), \
            f"schemas/{name} has drifted from the models: run `council schema --write`"


def test_every_example_file_points_at_its_schema() -> None:
    files = [EXAMPLE / "meeting.yaml", EXAMPLE / "roster.yaml", *sorted((EXAMPLE / "content").glob("*.yaml"))]
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path.name
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path.name} points at a missing schema {target}"
        assert json.loads(target.read_text(encoding="utf-8"))["type"] == "object"
