"""The preview's picture of a meeting: every part laid out and drawn, its problems placed, kept current.

Input: a meeting folder and a plugin manager. Output: a ``Snapshot``: the parts (the cover sheet, each
material) in order, each with its pages as HTML (``page.page_html``: the SVG of ``render.html`` with its
problems marked at their boxes), the lines of its other problems and the revision at which it last
changed; and the problems that belong to no part.

``refresh`` reads the folder again (``pipeline.read_inputs``: every problem ``council validate`` finds
there), and lays out again (``pipeline.lay_out``) only the parts whose key or read files changed
(``incremental.part_key``, ``incremental.unchanged``), in draft mode and recording overflows, so that
a part shows each of its problems where it is and is drawn to its end. A part that cannot be read or laid out keeps its last pages, marked stale, under its errors.
``on_change`` is told after each part that changed, so the first pages show before the last are laid
out. Pictures are addressed as ``/meeting/…`` or ``/cache/…`` (the server serves only those two
folders) and fonts as ``/fonts/regular`` and ``/fonts/bold``.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence
from urllib.parse import quote

import pluggy

from ..errors import CouncilError, internal, slide_path
from ..incremental import Read, file_stamp, part_key, picture_cache_dir, unchanged
from ..inputs import Inputs
from ..layout.context import Overflow
from ..layout.primitives import FontFaces, Page
from ..loading import dotted
from ..numbering import NumberedMaterial
from ..pipeline import bundle_of, lay_out, read_inputs
from ..render.html import render_page
from .page import page_html
from .problems import COVER, Mark, file_owners, overflow_marks, place_errors, placeholder_marks

if TYPE_CHECKING:
    from ..typography.fonts import Face, FontPair
    from ..typography.linebreak import LineBreaker

__all__ = ["PageView", "PartView", "Snapshot", "PreviewSession"]

COVER_LABEL = "会議次第"


@dataclass(frozen=True)
class PageView:
    """One page as the browser gets it: its element id, a key that changes with its markup, the markup."""

    dom_id: str
    key: str
    html: str


@dataclass(frozen=True)
class PartView:
    """A part as shown: its pages, the problems not shown on a page, how many are, whether its pages are
    from the last layout that worked (``stale``) or not made yet (``pending``), and the revision at which
    any of this last changed."""

    id: str
    label: str
    title: str
    pages: tuple[PageView, ...] = ()
    problems: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()  # the lines of the problems marked on its pages
    stale: bool = False
    pending: bool = False
    revision: int = 0

    def shown(self) -> tuple:
        """Everything the browser shows of the part (the revision aside)."""
        return (self.label, self.title, tuple(p.key for p in self.pages), self.problems, self.marks, self.stale,
                self.pending)


@dataclass(frozen=True)
class Snapshot:
    """The meeting as shown at ``revision``: its parts in order and the problems that belong to none."""

    revision: int = 0
    title: str = ""
    parts: tuple[PartView, ...] = ()
    problems: tuple[str, ...] = ()
    fonts: str = ""  # names the versions of the two font files the pages are drawn with ("": not known yet)


@dataclass
class _Laid:
    """A part's last layout: its key and the files it read, its pages as drawn and the lines of the
    problems marked on them."""

    key: str | None
    reads: tuple[Read, ...]
    pages: tuple[PageView, ...]
    marks: tuple[str, ...] = ()


class PreviewSession:
    """A meeting folder as the preview shows it; ``refresh`` after every change (from one thread at a time)."""

    def __init__(self, meeting_dir: Path, pm: pluggy.PluginManager, *, cache_dir: Path | None = None,
                 on_change: Callable[[Snapshot], None] | None = None) -> None:
        self.meeting_dir = meeting_dir.resolve()
        self.cache_dir = (cache_dir or picture_cache_dir())
        self.pm = pm
        self.on_change = on_change
        self.snapshot = Snapshot(title=self.meeting_dir.name)
        self.fonts: FontFaces | None = _theme_fonts(self.meeting_dir)
        self._laid: dict[str, _Laid] = {}
        self._owners: dict[Path, str] = {}
        self._labels: dict[str, str] = {}
        self._breaker: tuple[tuple[Face, Face], LineBreaker] | None = None
        self._lock = threading.Lock()

    # -- addresses ----------------------------------------------------------------------------
    def picture_url(self, path: Path) -> str:
        """The address of a picture the layout chose: in the meeting folder or the picture cache."""
        path = Path(path)
        for prefix, root in (("meeting", self.meeting_dir), ("cache", self.cache_dir.resolve())):
            if path.is_relative_to(root):
                version = hashlib.sha256(str(file_stamp(path)).encode()).hexdigest()[:12]
                return f"/{prefix}/{quote(path.relative_to(root).as_posix())}?v={version}"
        return "/missing"

    def _font_version(self) -> str:
        if self.fonts is None:
            return ""
        files = [(str(path), file_stamp(path)) for path in (self.fonts.regular, self.fonts.bold)]
        return hashlib.sha256(repr(files).encode("utf-8", "surrogatepass")).hexdigest()[:12]

    def font_file(self, face: str) -> Path | None:
        """The file of the ``regular`` or ``bold`` face the pages are drawn with."""
        if self.fonts is None:
            return None
        return {"regular": self.fonts.regular, "bold": self.fonts.bold}.get(face)

    # -- refreshing ---------------------------------------------------------------------------
    def refresh(self) -> list[str]:
        """Read the folder again and lay out what changed; the ids of the parts whose view changed."""
        with self._lock:
            try:
                inputs, errors = read_inputs(self.meeting_dir, self.pm)
            except Exception as exc:  # a bug must not end the preview: show it
                inputs, errors = None, [CouncilError(internal(exc))]
            if inputs is not None:
                self._owners, self._labels = file_owners(inputs), {COVER_LABEL: COVER} | {
                    m.label: m.id for m in inputs.materials}
                if inputs.fonts is not None:
                    self.fonts = inputs.fonts.faces()
            by_part, loose = place_errors(errors, self._owners, self._labels)
            if inputs is None:  # meeting.yaml itself is unreadable: every part keeps its last pages
                parts = [replace(p, problems=tuple(by_part.get(p.id, ())), stale=bool(p.pages), pending=False)
                         for p in self.snapshot.parts]
                return self._publish(self.snapshot.title, parts, loose)
            plan = _plan(inputs)
            for gone in set(self._laid) - {pid for pid, *_ in plan}:
                del self._laid[gone]
            old = {p.id: p for p in self.snapshot.parts}
            views = [self._carried(old.get(pid), pid, label, title, by_part.get(pid, []))
                     for pid, label, title, _ in plan]
            changed = self._publish(inputs.meeting.title, views, loose)
            for index, (pid, label, title, material) in enumerate(plan):
                view = self._lay_out(inputs, views[index], material, by_part.get(pid, []))
                if view.shown() != views[index].shown():
                    views[index] = view
                    changed += self._publish(inputs.meeting.title, views, loose)
            return list(dict.fromkeys(changed))

    def _carried(self, old: PartView | None, pid: str, label: str, title: str, problems: list[str]) -> PartView:
        """A part before it is laid out again: its last pages, or none yet."""
        laid = self._laid.get(pid)
        if laid is None:
            return PartView(pid, label, title, problems=tuple(problems), pending=True)
        return PartView(pid, label, title, laid.pages, tuple(problems), laid.marks, stale=old.stale if old else False,
                        revision=old.revision if old else 0)

    def _lay_out(self, inputs: Inputs, view: PartView, material: NumberedMaterial | None,
                 problems: list[str]) -> PartView:
        """The part laid out again if its key or a file it read changed (and it can be: its inputs were read)."""
        fonts = inputs.fonts
        readable = fonts is not None and (inputs.roster is not None if material is None else bool(material.slides))
        if not readable:  # its problems are listed; keep the last pages
            return replace(view, stale=bool(view.pages), pending=False)
        assert fonts is not None
        key = part_key(material, bundle_of(inputs), inputs.registry, fonts, inputs.meeting_dir, True, self.cache_dir)
        laid = self._laid.get(view.id)
        if laid is not None and key is not None and laid.key == key and unchanged(laid.reads):
            return replace(view, pages=laid.pages, marks=laid.marks, stale=False, pending=False)
        overflows: list[Overflow] = []
        try:
            part = lay_out(inputs, material, draft=True, breaker=self._line_breaker(fonts), cache_dir=self.cache_dir,
                           overflows=overflows)
            if part.document is None:  # a box too small for anything, a plugin's failure: keep the last pages
                lines = [line for problem in part.problems for line in problem.lines()]
                return replace(view, problems=tuple(problems + lines), stale=bool(view.pages), pending=False)
            marks = overflow_marks(overflows, part.document.pages, inputs, material)
            if material is not None:
                marks += placeholder_marks(part.placeholders, part.warnings, part.document.pages, inputs)
            pages = self._draw(view.id, part.document.pages, marks, inputs, material)
        except Exception as exc:  # a bug: say so where it happened, keep the preview running
            line = internal(exc, f"laying out {view.label}")
            return replace(view, problems=tuple(problems + [line]), stale=bool(view.pages), pending=False)
        mark_lines = tuple(mark.line for mark in marks)
        self._laid[view.id] = _Laid(key, part.reads, pages, mark_lines)
        return replace(view, pages=pages, marks=mark_lines, stale=False, pending=False)

    def _line_breaker(self, fonts: FontPair) -> LineBreaker:
        """One line breaker per version of the two font files (it keeps what it measured; a face read again
        from a changed file is another object)."""
        from ..typography.linebreak import LineBreaker

        faces = (fonts.regular, fonts.bold)
        if self._breaker is None or any(a is not b for a, b in zip(self._breaker[0], faces)):
            self._breaker = (faces, LineBreaker(fonts))
        return self._breaker[1]

    def _draw(self, pid: str, pages: Sequence[Page], marks: list[Mark], inputs: Inputs,
              material: NumberedMaterial | None) -> tuple[PageView, ...]:
        out = []
        for index, page in enumerate(pages):
            dom_id = f"p-{pid}-{index + 1}"
            html = page_html(dom_id, page, render_page(page, self.picture_url),
                             [m for m in marks if m.page == index], _origin(inputs, material, index + 1))
            key = hashlib.sha1(html.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            out.append(PageView(dom_id, key, html.replace('<div class="sheet-wrap" ', f'<div class="sheet-wrap" data-key="{key}" ', 1)))
        return tuple(out)

    def _publish(self, title: str, parts: list[PartView], loose: list[str]) -> list[str]:
        """Make ``parts`` the snapshot, each changed part (and the snapshot) at a new revision; tell
        ``on_change``. The ids of the parts that changed."""
        before = self.snapshot
        old = {p.id: p for p in before.parts}
        revision = before.revision + 1
        changed = [p.id for p in parts if p.id not in old or old[p.id].shown() != p.shown()]
        fonts = self._font_version()
        same_frame = before.title == title and before.problems == tuple(loose) and before.fonts == fonts and \
            [p.id for p in before.parts] == [p.id for p in parts]
        if not changed and same_frame:
            return []
        for index, part in enumerate(parts):
            if part.id in changed:
                parts[index] = replace(part, revision=revision)
        self.snapshot = Snapshot(revision, title, tuple(parts), tuple(loose), fonts)
        if self.on_change is not None:
            self.on_change(self.snapshot)
        return changed


def _theme_fonts(meeting_dir: Path) -> FontFaces | None:
    """The faces meeting.yaml's theme names, read at once (a few milliseconds), so the browser can load
    them while everything else is read and laid out; ``None`` when they cannot be known yet."""
    from ..inputs import resolve_fonts
    from ..loading import load_validated
    from ..models import Meeting

    try:
        return resolve_fonts(load_validated(Meeting, meeting_dir / "meeting.yaml")[0], meeting_dir).faces()
    except Exception:  # noqa: BLE001 - read again, and every problem reported, by the first refresh
        return None


def _plan(inputs: Inputs) -> list[tuple[str, str, str, NumberedMaterial | None]]:
    """The parts: id, label, title and material (``None``: the cover), the cover and every material that has
    pages (a listed-only entry has none), in order."""
    return [(COVER, COVER_LABEL, inputs.meeting.title, None)] + [
        (m.id, m.label, m.title, m) for m in inputs.materials if m.entry.source is not None]


def _origin(inputs: Inputs, material: NumberedMaterial | None, number: int) -> str:
    """Where a page comes from, for the author to find it: material, file, and the slide when known."""
    def relative(path: Path) -> str:
        return path.relative_to(inputs.meeting_dir).as_posix() if path.is_relative_to(inputs.meeting_dir) \
            else str(path)
    if material is None:
        return f"{COVER_LABEL} · meeting.yaml, {inputs.meeting.roster} · {number}頁"
    where = f"{material.label} {material.title} · {relative(inputs.source_file(material))}"
    source = inputs.sources.get(material.position)
    path = slide_path(inputs, material, number)
    if path is not None and source is not None:  # the page's slide as written in the content file
        mark = source.index.mark(path)
        return f"{where} · {dotted(path)}" + (f" ({mark[0]}行目)" if mark else "") + f" · {number}頁"
    return f"{where} · {number}頁" + (f" (plugin {material.plugin})" if material.plugin else "")
