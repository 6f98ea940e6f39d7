"""Helpers for plugin authors' own tests.

Input: a plugin's content (a dict, or a YAML file) and, optionally, the
meeting folder its pictures live in. Output: the slides its builder makes,
and the laid-out pages of those slides, with the core's checks applied (an
overflowing box raises ``OverflowError_`` naming the box, as a build would;
``assert_no_overflow`` turns that into a test failure that says which box).

    from council_materials.testing import assert_no_overflow, build_pages, build_slides

    slides = build_slides("dx", "examples/council-120/content/dx.yaml")
    pages = assert_no_overflow(slides)  # pictures found in the content file's meeting folder
    pages = build_pages("dx", {"sections": [...]})  # validate, build and lay out in one go
    errors = validation_errors(DxContent, bad)     # what the content model refuses, each with loc and type
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import OverflowError_
from .hookspecs import BuildContext, MaterialType
from .incremental import SizeChoices
from .layout.document import layout_material
from .layout.primitives import Page
from .loading import load_model
from .models import Agenda, AgendaTopic, MaterialEntry, Meeting, Person, Roster, SlideBase, Theme
from .numbering import Bundle, NumberedMaterial
from .plugins import Registry, call_each, get_plugin_manager
from .typography.fonts import default_font_pair
from .typography.linebreak import LineBreaker

__all__ = ["test_meeting", "build_context", "build_slides", "BuiltSlides", "meeting_folder", "layout_slides", "registered_material_types", "build_pages",
           "assert_no_overflow", "validation_errors"]


def test_meeting(material_id: str = "material", source: str | None = None, *, title: str = "資料",
                 theme: Theme | None = None) -> Meeting:
    """A minimal valid meeting (第1回 テスト会議) listing one material."""
    entry = MaterialEntry(id=material_id, title=title, source=source)
    return Meeting(council="テスト会議", number=1, date=dt.date(2025, 2, 20), start=dt.time(16), end=dt.time(17),
                   agenda=Agenda(topics=[AgendaTopic(title="議題", materials=[material_id])]), materials=[entry],
                   theme=theme or Theme())


test_meeting.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def build_context(material_id: str = "material", source: str | None = None, *, label: str = "資料1",
                  meeting_dir: Path = Path("."), title: str = "資料") -> BuildContext:
    """The context a builder receives, for a one-material test meeting."""
    meeting = test_meeting(material_id, source, title=title)
    return BuildContext(meeting=meeting, entry=meeting.materials[0], label=label, meeting_dir=meeting_dir)


class BuiltSlides(list[SlideBase]):
    """The slides ``build_slides`` made, with the meeting folder their pictures are found in (the build's:
    the folder holding the content file's ``meeting.yaml``, else the content folder's parent), which
    ``layout_slides`` and ``assert_no_overflow`` use unless given another: tests find the pictures wherever
    they are run from."""

    def __init__(self, slides: Sequence[SlideBase], meeting_dir: Path) -> None:
        super().__init__(slides)
        self.meeting_dir = meeting_dir


def meeting_folder(content_file: Path) -> Path:
    """The meeting folder of a content file, as the build resolves its pictures: the nearest folder above it
    with a ``meeting.yaml``, else the parent of its folder (``content/x.yaml`` in a plugin's project)."""
    content_file = content_file.resolve()
    found = next((folder for folder in content_file.parents if (folder / "meeting.yaml").is_file()), None)
    return found or content_file.parent.parent


def _meeting_dir(slides: Sequence[SlideBase], meeting_dir: Path | None) -> Path:
    return (meeting_dir or getattr(slides, "meeting_dir", None) or Path(".")).resolve()


def build_slides(material_type: str, content: dict[str, Any] | Path | str, *, meeting_dir: Path | None = None,
                 registry: Registry | None = None) -> BuiltSlides:
    """Validate ``content`` with the material type's model (a file gets line-numbered errors) and build it."""
    registry = registry or Registry.from_plugin_manager(get_plugin_manager())
    kind = registry.material_types[material_type]
    model = registry.content_model(kind)
    if isinstance(content, (str, Path)):
        path = Path(content)
        validated = load_model(model, path)
        meeting_dir = meeting_dir or meeting_folder(path)
    else:
        validated = model.model_validate(content)
    folder = (meeting_dir or Path(".")).resolve()
    return BuiltSlides(kind.build(validated, build_context(material_type, material_type, meeting_dir=folder)), folder)


def layout_slides(slides: Sequence[SlideBase], *, meeting_dir: Path | None = None, theme: Theme | None = None,
                  registry: Registry | None = None, label: str = "資料1") -> list[Page]:
    """Lay the slides out as one material; raises as a build would (overflow, missing picture). Pictures
    are found in ``meeting_dir``, by default the one ``build_slides`` found (else the current folder)."""
    registry = registry or Registry.from_plugin_manager(get_plugin_manager())
    meeting = test_meeting(theme=theme)
    fonts = default_font_pair()
    material = NumberedMaterial(meeting.materials[0], label, 1, tuple(slides), None)
    roster = Roster(chair=Person(post="座長", name="座長", specialty="土木"))
    bundle = Bundle(meeting, roster, (material,))
    folder = _meeting_dir(slides, meeting_dir)
    choices = SizeChoices(material.id, meeting, fonts, folder, registry)  # as a build keeps them
    pages = layout_material(material, bundle=bundle, registry=registry, fonts=fonts, breaker=LineBreaker(fonts),
                            meeting_dir=folder, choices=choices)
    choices.save()
    return pages


def build_pages(material_type: str, content: dict[str, Any] | Path | str, *, meeting_dir: Path | None = None,
                theme: Theme | None = None, registry: Registry | None = None) -> list[Page]:
    """Validate, build and lay out one material: ``build_slides`` then ``layout_slides``."""
    registry = registry or Registry.from_plugin_manager(get_plugin_manager())
    slides = build_slides(material_type, content, meeting_dir=meeting_dir, registry=registry)
    return layout_slides(slides, theme=theme, registry=registry)


def assert_no_overflow(slides: Sequence[SlideBase], *, meeting_dir: Path | None = None, theme: Theme | None = None,
                       registry: Registry | None = None) -> list[Page]:
    """Lay the slides out and fail the test, naming page, box and field, if any text does not fit.

    Returns the pages, for further checks.
    """
    __tracebackhide__ = True  # pytest shows the failure at the caller
    try:
        return layout_slides(slides, meeting_dir=meeting_dir, theme=theme, registry=registry)
    except OverflowError_ as exc:
        raise AssertionError(f"text overflows: {exc}") from None


def registered_material_types(plugin: object) -> list[MaterialType]:
    """The material types ``plugin`` (a module or object with hook implementations) registers, through
    the hook, on a fresh plugin manager that also checks its hook names."""
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin,))
    name = pm.get_name(plugin)
    return [t for owner, types in call_each(pm, "material_types") if owner == name for t in types]


def validation_errors(model: type[BaseModel], data: Any) -> list[ErrorDetails]:
    """The errors ``model`` reports for ``data`` (each with its ``loc`` and ``type``, as pydantic gives them);
    fails the test when ``data`` is valid."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return exc.errors(include_url=False)
    raise AssertionError(f"{model.__name__} accepted data that should have been refused")
