"""The guides keep up with the code: hooks, their tests, slide kinds, meeting fields, commands."""
from __future__ import annotations

import ast
import importlib.util
import inspect
import re
from pathlib import Path

import pytest
import yaml

from council_materials import hookspecs
from council_materials.cli import make_cli
from council_materials.models import (Agenda, AgendaTopic, FontFile, FontSet, MaterialEntry, Meeting, Person,
                                      Roster, Theme)
from council_materials.plugins import Registry, get_plugin_manager

from conftest import ROOT

DOCS = ROOT / "docs"
HOOKS = sorted(name for name, value in vars(hookspecs).items() if hasattr(value, "council_materials_spec"))


def _signature(name: str) -> str:
    function = getattr(hookspecs, name)
    params = ", ".join(f"{p}: {a.annotation}" for p, a in inspect.signature(function).parameters.items())
    returned = inspect.signature(function).return_annotation
    return f"def {name}({params}) -> {returned}".replace('"', "").replace("'", "")


def _test_names() -> set[str]:
    names = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    return names


def test_the_hooks_are_found() -> None:
    assert {"check_bundle", "material_types", "slide_kinds"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_documented(hook: str) -> None:
    guide = (DOCS / "plugin-guide.md").read_text(encoding="utf-8")
    assert f"\n## `{hook}`\n" in guide, f"docs/plugin-guide.md has no section for the hook {hook}"
    section = guide.split(f"\n## `{hook}`\n", 1)[1].split("\n## ", 1)[0]
    assert f"```text\n{_signature(hook)}\n```" in section, f"the guide's signature of {hook} is not {_signature(hook)}"
    for part in ("**Arguments:**", "**Returns**", "**Worked example**", "```python"):
        assert part in section, f"the guide's section on {hook} lacks {part}"


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_have_tests(hook: str) -> None:
    assert any(name.startswith(f"test_hook_{hook}_") for name in _test_names()), \
        f"no test named test_hook_{hook}_… in tests/"


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_slide_kind_pictures", DOCS / "make_slide_kind_pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False))


def test_every_builtin_slide_kind_has_a_section_and_a_picture(registry: Registry) -> None:
    reference = (DOCS / "slide-kinds.md").read_text(encoding="utf-8")
    for name in _script().builtin_kinds(registry):
        assert f"\n## `{name}`\n" in reference, f"docs/slide-kinds.md has no section for {name}"
        assert f"![{name}](images/kind-{name}.png)" in reference
        picture = DOCS / "images" / f"kind-{name}.png"
        assert picture.is_file() and picture.read_bytes().startswith(b"\x89PNG"), f"{picture} missing"
        assert picture.stat().st_size < 60_000, f"{picture} is large: render it at 40 dpi"


def test_slide_kinds_reference_is_current(registry: Registry) -> None:
    assert (DOCS / "slide-kinds.md").read_text(encoding="utf-8") == _script().render_markdown(registry), \
        "docs/slide-kinds.md has drifted from the models: run python docs/make_slide_kind_pictures.py"


def test_slide_kind_examples_are_valid_slides(registry: Registry) -> None:
    examples = [yaml.safe_load(text) for text in _script().EXAMPLES.values()]
    content = registry.slides_content_model().model_validate({"slides": examples})
    assert [slide.kind for slide in content.slides] == list(_script().EXAMPLES)


@pytest.mark.parametrize("model", [Meeting, Theme, FontSet, FontFile, Agenda, AgendaTopic, MaterialEntry, Roster,
                                   Person])
def test_secretariat_guide_describes_every_field(model) -> None:  # type: ignore[no-untyped-def]
    guide = (DOCS / "secretariat-guide.md").read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"`{name}`" not in guide]
    assert missing == [], f"docs/secretariat-guide.md does not describe {model.__name__}: {missing}"


@pytest.mark.parametrize("document", ["README.md", "docs/secretariat-guide.md"])
def test_every_command_is_documented(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    for command in make_cli().commands:
        assert re.search(rf"council {re.escape(command)}\b", text), f"{document} does not mention council {command}"


def test_guides_link_to_each_other() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for guide in ("docs/plugin-guide.md", "docs/secretariat-guide.md", "docs/slide-kinds.md"):
        assert f"({guide})" in readme and Path(ROOT / guide).is_file()


def _material_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_material_types", DOCS / "make_material_types.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_material_types_reference_is_current() -> None:
    registry = Registry.from_plugin_manager(get_plugin_manager())
    text = _material_script().render_markdown(registry)
    assert (DOCS / "material-types.md").read_text(encoding="utf-8") == text, \
        "docs/material-types.md has drifted from the models: run python docs/make_material_types.py"
    for name, material_type in registry.material_types.items():
        assert f"\n## `{name}`\n" in text
        model = registry.content_model(material_type)
        if name != "slides":
            assert all(f"| `{field}` |" in text for field in model.model_fields), name
    assert "(material-types.md)" in (DOCS / "secretariat-guide.md").read_text(encoding="utf-8")


def test_plugin_guide_names_every_core_slide_class() -> None:
    from council_materials.models import slides

    guide = (DOCS / "plugin-guide.md").read_text(encoding="utf-8")
    classes = [name for name in slides.__all__ if name.endswith("Slide") and name != "SlideBase"]
    assert len(classes) >= 11
    for name in classes:
        kind = getattr(slides, name).model_fields["kind"].default
        assert f"| `{name}` | `{kind}` |" in guide, f"docs/plugin-guide.md does not name {name} in its table"
