"""Every hook a plugin can implement, with what it receives and returns.

A plugin is a module or object whose functions carry ``@hookimpl`` and are
named after the specs below. It is found through the ``council_materials``
entry-point group::

    [project.entry-points.council_materials]
    mybureau = "mybureau_council.plugin"

An implementation may accept fewer arguments than its spec lists (pluggy
passes only those it names), so specs can grow without breaking plugins.
The core validates, numbers, lays out and renders; a plugin only models its
own content and turns it into slides. ``docs/plugin-guide.md`` explains each
hook with a worked example; ``council new-plugin NAME`` writes a working
plugin to start from.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generic, Sequence, TypeVar

import pluggy
from pydantic import BaseModel

if TYPE_CHECKING:  # pragma: no cover
    from .numbering import Bundle
    from .layout.context import LayoutContext
    from .layout.primitives import Document, Item, PageRole, Rect
    from .models import Meeting, MaterialEntry, SlideBase

__all__ = ["hookspec", "hookimpl", "MaterialType", "SlideKind", "OutputFormat", "BuildContext", "PROJECT"]

PROJECT = "council_materials"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class BuildContext:
    """What a material builder may know besides its content. ``meeting`` and ``entry`` (like the content) are
    the builder's own copies: changing them changes nothing else."""

    meeting: "Meeting"
    entry: "MaterialEntry"
    label: str  # 資料N or 参考
    meeting_dir: Path


@dataclass(frozen=True)
class MaterialType:
    """A kind of material a plugin can build.

    ``name`` is what a meeting's material entry names as its ``source``;
    ``content_model`` validates the entry's content file (YAML); ``build``
    turns the validated content into a list of slides (instances of
    registered slide kinds).

    ``lists_slides``: the content file's ``slides`` list is the material's
    slides, one for one, in order (the core's ``slides`` type): a problem on
    a page is then shown at its slide in the content file (up to a slide that
    became several pages), and ``council new-meeting`` starts the file with a
    slide to fill in.
    """

    name: str
    content_model: type[BaseModel]
    build: Callable[[Any, BuildContext], Sequence["SlideBase"]]
    description: str = ""
    lists_slides: bool = False


SlideT = TypeVar("SlideT", bound="SlideBase")
"""A kind's model: its layout and paginate functions take (and give) slides of that model."""
LayoutFunction = Callable[[SlideT, "LayoutContext", "Rect"], "list[Item]"]
PaginateFunction = Callable[[SlideT, "LayoutContext", Callable[[SlideT], "Rect"]], Sequence[SlideT]]


@dataclass(frozen=True)
class SlideKind(Generic[SlideT]):
    """A slide kind: its model (with a ``kind`` literal) and the function that lays it out.

    ``layout(slide, ctx, body)`` returns the items of the page body inside the
    rectangle ``body``; the core draws the page frame (header, title, stamp,
    footer) around it. Use ``ctx`` to set text (it measures with the build's
    fonts and raises overflow errors that name the box).

    ``paginate(slide, ctx, body_of)`` (optional) lets one slide become several
    pages: it returns the slides to lay out in its place (``[slide]`` when it
    fits), each an instance of ``model``, e.g. a long table cut by rows with
    「（続き）」 after the title. ``body_of(s)`` gives the body rectangle the
    page frame leaves for slide ``s`` (its title, subtitle and notes decide
    it). The core paginates every slide of a material first, so page numbers
    (「p / n」) count the extra pages, then lays out each page.

    What a kind is, for the core to treat its pages accordingly (never by its name):

    - ``draws_title``: the kind draws the slide's ``title`` and ``subtitle`` itself, where it wants
      them, with ``ctx.set_text(..., role="title")`` (and ``"subtitle"``); the frame then draws
      neither, nor the rule under the title (the core's ``section`` does: its title is centred
      on the page).
    - ``page_role``: what its pages are in the document (``layout.primitives.PageRole``):
      ``"section"`` for a page that opens a part of a material (PowerPoint gives it a section
      header layout), ``"cover"`` for a title page, ``"body"`` (the default) for any other.
    - ``page_name``: what a page of this kind is called in the deck (「セクション」); its pages
      then share a PowerPoint slide layout of their own, listed under that name. Empty (the
      default): a page shares the layout of the pages that show the same frame.
    """

    name: str
    model: type[SlideT]
    layout: LayoutFunction[SlideT]
    description: str = ""
    paginate: PaginateFunction[SlideT] | None = None
    draws_title: bool = False
    page_role: "PageRole" = "body"
    page_name: str = ""


@dataclass(frozen=True)
class OutputFormat:
    """A kind of file a build writes for each part (the cover sheet, each material).

    ``name`` is what ``council build --format`` takes and the file's suffix (``NN_資料N.NAME``): lower-case
    letters and digits. ``render(document, path)`` writes one part's laid-out ``Document`` (pages of
    positioned primitives, text already broken into lines) to ``path``, deciding nothing (the layout
    placed everything) and writing no other file. ``default``: written by a build given no ``--format``.
    """

    name: str
    render: Callable[["Document", Path], None]
    description: str = ""
    default: bool = True


@hookspec
def material_types() -> list[MaterialType]:
    """Return the material types this plugin builds.

    Called once per build. Each ``MaterialType.name`` must be unique across
    all installed plugins; a meeting's material entry selects one with
    ``source: NAME``. Example::

        @hookimpl
        def material_types():
            return [MaterialType("dx", DxContent, build_dx, "資料: DX・AI")]
    """


@hookspec
def slide_kinds() -> list[SlideKind]:
    """Return slide kinds this plugin adds (model + layout function).

    Called once per build. The core registers its own kinds (listed with
    their fields in ``docs/slide-kinds.md``) the same way. A kind name must
    be unique across plugins; ``slides`` content files and every plugin's
    builder can then use it. Example::

        @hookimpl
        def slide_kinds():
            return [SlideKind("message", MessageSlide, layout_message, "A message in a framed box")]
    """


@hookspec
def check_bundle(bundle: "Bundle") -> list[str] | None:
    """Inspect the assembled, numbered bundle before layout.

    Called once per full build and by ``council validate`` (not by
    ``council build --only``, which builds one material), after every
    material is built. Return a list of problems (human-readable strings);
    any problem fails the build with the plugin's name attached. Return
    ``None`` or ``[]`` when all is well. Example: a plugin that needs its
    material to come before another's can check the order here.
    """


@hookspec
def output_formats() -> list[OutputFormat]:
    """Return the output formats this plugin writes.

    Called once per build (and by ``council plugins``). The core registers PDF, PPTX and standalone HTML
    the same way; ``council build --format NAME`` and ``council watch --format NAME`` accept every
    registered name, and a name must be unique across plugins. The renderer gets each part's laid-out
    document and the path to write. Example::

        @hookimpl
        def output_formats():
            return [OutputFormat("txt", write_text, "the text of every page, line by line", default=False)]
    """
