"""Write docs/material-types.md: every material type's content fields, generated from the models.

Input: the installed plugins' material types (the core's ``slides`` and the working groups' ``dx``,
``international``, ``talent``, ``wa``), their content models, and the example meetings' content
files. Output: the reference a secretary reads to write a content file: per type, what it builds,
the fields of its content file (a table per model, nested models in their own tables) and the
beginning of a real content file of that type from ``examples/``.

    python docs/make_material_types.py     # from the repository root

``tests/test_docs.py`` fails when the Markdown drifts from what this writes.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml
from pydantic import BaseModel

from council_materials.models import SlideBase
from council_materials.plugins import BUILTIN, Registry, get_plugin_manager

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_tables import field_table, parts_of  # noqa: E402

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
EXAMPLES = (ROOT / "examples" / "council-121", ROOT / "examples" / "council-120")
EXCERPT = 30
"""Lines of an example content file shown per type."""


def example_file(source: str) -> Path | None:
    """The content file of the first material of type ``source`` in the example meetings (the
    ordinary 121st meeting first)."""
    for meeting in EXAMPLES:
        data = yaml.safe_load((meeting / "meeting.yaml").read_text(encoding="utf-8"))
        for entry in data.get("materials", []) + data.get("references", []):
            if entry.get("source") == source and entry.get("content"):
                return meeting / entry["content"]
    return None


def _excerpt(path: Path) -> list[str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not line.startswith("# yaml-language-server")]
    shown = lines[:EXCERPT]
    return ["```yaml", *shown, *(["# …"] if len(lines) > EXCERPT else []), "```"]


def render_markdown(registry: Registry) -> str:
    """The text of docs/material-types.md."""
    lines = [
        "# Material types: what each content file holds",
        "",
        "<!-- Written by docs/make_material_types.py from the models: edit those, then run it. -->",
        "",
        "Each material in `meeting.yaml` names its `source`, the material type that builds it, and its",
        "`content` file. The content file is checked against the type's fields below (an unknown or",
        "misspelt field is an error at its line). `council schema NAME` prints the same as a JSON Schema",
        "for editors. Text fields take `**…**` for bold and a line break (`\\n`, or a new line in a `|`",
        "block) where a line must end; everything else is broken by the layout. Paths are relative to the",
        "meeting folder.",
        "",
        "| type | what it builds | from |",
        "| --- | --- | --- |",
    ]
    names = sorted(registry.material_types, key=lambda n: (registry.owner(n) != BUILTIN, n))
    for name in names:
        owner = registry.owner(name)
        lines.append(f"| [`{name}`](#{name}) | {registry.material_types[name].description} | "
                     f"{'the core' if owner == BUILTIN else f'plugin `{owner}`'} |")
    lines.append("")
    for name in names:
        model = registry.content_model(registry.material_types[name])
        lines += [f"## `{name}`", "", registry.material_types[name].description, ""]
        if name == "slides":
            kinds = ", ".join(f"[`{kind}`](slide-kinds.md#{kind})" for kind in registry.slide_kinds)
            lines += ["One field, `slides` (required): the list of slides, at least one, each a mapping that starts",
                      f"with `kind:` — {kinds}. Every kind's fields are in [the slide kinds](slide-kinds.md).", ""]
        else:
            lines += [(model.__doc__ or "").strip(), "", *field_table(model, anchor=f"{name}-"), ""]
            parts: dict[str, type[BaseModel]] = {}
            parts_of(model, parts, stop=(SlideBase,))
            for part, part_model in parts.items():
                lines += [f"### {name}-{part.lower()}", "", f"**{part}**: {(part_model.__doc__ or '').strip()}", "",
                          *field_table(part_model, anchor=f"{name}-"), ""]
        example = example_file(name)
        if example is not None:
            lines += [f"Example: the beginning of `{example.relative_to(ROOT).as_posix()}`:", "", *_excerpt(example),
                      ""]
    return "\n".join(lines)


def main() -> None:
    registry = Registry.from_plugin_manager(get_plugin_manager())
    (DOCS / "material-types.md").write_text(render_markdown(registry), encoding="utf-8")
    print("wrote docs/material-types.md")


if __name__ == "__main__":
    main()
