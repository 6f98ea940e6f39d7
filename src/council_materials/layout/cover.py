"""The cover sheet (date, title, 会議次第, 【資料】 list) and the roster, A4 portrait.

Input: the assembled ``Bundle`` (meeting, roster, numbered materials).
Output: the cover sheet's pages. Everything printed here comes from the
bundle, so the list of materials is never typed twice.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Person
from .context import LEADING, LayoutContext
from .frame import A4_PORTRAIT
from .kinds import CONTINUED
from .primitives import Item, Page, PageRole, Rect, Role, Rule

if TYPE_CHECKING:
    import datetime as dt

    from ..numbering import Bundle

__all__ = ["layout_cover", "era_date", "spaced", "ERAS"]

WEEKDAYS = "月火水木金土日"
COVER: tuple[str, PageRole, str] = ("cover", "cover", "表紙")
"""The cover sheet's agenda pages: kind, role (its title page) and name (``Page``)."""
ROSTER: tuple[str, PageRole, str] = ("roster", "body", "名簿")
"""The roster's pages."""
MARGIN_X, MARGIN_Y = 64.0, 56.0


ERAS = ((2019, 5, 1, "令和"), (1989, 1, 8, "平成"), (1926, 12, 25, "昭和"), (1912, 7, 30, "大正"), (1868, 10, 23, "明治"))
"""Each era's first day (Gregorian calendar) and name, newest first; meeting.yaml refuses earlier dates."""


def era_date(day: dt.date) -> str:
    """A date in the seed's style: 令和7年2月20日(木) (令和 from 2019-05-01, 平成 from 1989-01-08, 昭和 from
    1926-12-25, 大正 from 1912-07-30, 明治 from 1868-10-23; the first year of an era is 元年)."""
    key = (day.year, day.month, day.day)
    for year, month, first, era in ERAS:
        if key >= (year, month, first):
            number = day.year - year + 1
            break
    else:
        raise ValueError(f"{day.isoformat()} is before 明治, the first era dates are printed in")
    year_text = "元" if number == 1 else str(number)
    return f"{era}{year_text}年{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"


def spaced(word: str) -> str:
    """Short headings printed letter-spaced as in the seed: 開 会."""
    return " ".join(word) if len(word) <= 4 else word


def _post(person: Person) -> str:
    if person.concurrent:
        return f"{person.post} ({'・'.join(person.concurrent)} 兼務)"
    return person.post


def layout_cover(bundle: "Bundle", ctx: LayoutContext) -> list[Page]:
    width, height = A4_PORTRAIT
    meeting = bundle.meeting
    content = Rect(MARGIN_X, MARGIN_Y, width - 2 * MARGIN_X, height - 2 * MARGIN_Y)
    items: list[Item] = []
    y = content.y
    when = f"{era_date(meeting.date)}\n{meeting.start:%H:%M}～{meeting.end:%H:%M}"  # the wave dash of a range
    if meeting.venue:
        when += f"\n{meeting.venue}"
    block = ctx.set_text(when, Rect(content.x, y, content.w, 60), size=11, align="right", name="date",
                         source="date")
    items.append(block)
    y = block.rect.bottom + 36
    block = ctx.set_text(ctx.paras(meeting.title, bold=True), Rect(content.x, y, content.w, 40), size=20,
                         align="center", name="meeting title", source="number", role="title")
    items.append(block)
    y = block.rect.bottom + 30
    block = ctx.set_text(ctx.paras(spaced("会議次第"), bold=True), Rect(content.x, y, content.w, 30), size=16,
                         align="center", name="agenda heading", role="heading")
    items.append(block)
    y = block.rect.bottom + 20
    size = 11.0
    num_w = 26.0
    topic_w = 30.0
    agenda = meeting.agenda

    pages: list[Page] = []

    def room(need: float, heading: str) -> None:
        """Start a new page when ``need`` points do not fit: a long agenda or list goes on overleaf."""
        nonlocal items, y
        if y + need <= content.bottom:
            return
        pages.append(_page(items, len(pages) + 1, content, COVER))
        items, y = [], content.y
        block = ctx.set_text(ctx.paras(heading + CONTINUED, bold=True), Rect(content.x, y, content.w, 30),
                             size=size, name=f"{heading} continued", role="title")
        items.append(block)
        y = block.rect.bottom + 8

    def put(text: str, x: float, name: str, source: str | None, bold: bool = False, gap: float = 6,
            heading: str = spaced("会議次第"), role: Role = "text") -> None:
        nonlocal y
        paras = ctx.paras(text, bold=bold)
        need = ctx.measure(paras, content.right - x, size)
        room(need, heading)
        items.append(ctx.set_text(paras, Rect(x, y, content.right - x, need), size=size, name=name, source=source,
                                  role=role))
        y += need + gap

    put(f"1　{spaced(agenda.opening)}", content.x, "opening", "agenda.opening", gap=14)
    put(f"2　{spaced('議題')}", content.x, "topics", None)
    topics = [(t.title, t.points) for t in agenda.topics]
    if agenda.other:
        topics.append((agenda.other, []))
    for n, (title, points) in enumerate(topics, 1):
        put(f"({n}) {title}", content.x + num_w, f"topic {n}", f"agenda.topics[{n - 1}].title", gap=4)
        for k, point in enumerate(points):
            put(f"・ {point}", content.x + num_w + topic_w, f"topic {n} point {k + 1}",
                f"agenda.topics[{n - 1}].points[{k}]", gap=3)
        y += 6
    y += 8
    put(f"3　{spaced(agenda.closing)}", content.x, "closing", "agenda.closing", gap=30)
    put("【資料】", content.x, "materials heading", None, bold=True, gap=8, role="heading")
    label_w = 60.0
    for entry in bundle.materials:
        paras = ctx.paras(entry.title)
        need = ctx.measure(paras, content.right - content.x - label_w, size)
        room(need, "【資料】")
        items.append(ctx.set_text(spaced(entry.label) if entry.label == "参考" else entry.label,
                                  Rect(content.x, y, label_w, size * LEADING), size=size,
                                  name=f"{entry.label} label"))
        items.append(ctx.set_text(paras, Rect(content.x + label_w, y, content.w - label_w, need), size=size,
                                  name=f"{entry.label} title", source=f"materials[{entry.id}].title"))
        y += need + 4
    pages.append(_page(items, len(pages) + 1, content, COVER))
    pages += _roster_pages(bundle, ctx, content, len(pages))
    return pages


def _page(items: list[Item], number: int, content: Rect, what: tuple[str, PageRole, str]) -> Page:
    """A page of the cover sheet, A4 portrait; ``what``: ``COVER`` or ``ROSTER``."""
    kind, role, name = what
    return Page(*A4_PORTRAIT, tuple(items), number=number, material_id="cover", kind=kind, role=role, name=name,
                body=content)


def _roster_pages(bundle: "Bundle", ctx: LayoutContext, content: Rect, start: int) -> list[Page]:
    roster = bundle.roster
    size = 10.5
    name_w = content.w * 0.34
    post_w = content.w - name_w - 12
    pages: list[Page] = []
    items: list[Item] = []
    y = content.y

    def new_page() -> None:
        nonlocal items, y
        if items:
            pages.append(_page(items, start + len(pages) + 1, content, ROSTER))
        items, y = [], content.y
        block = ctx.set_text(ctx.paras(roster.title, bold=True), Rect(content.x, y, content.w, 30), size=16,
                             align="center", name="roster title", source="roster.title", role="title")
        items.append(block)
        y = block.rect.bottom + 18

    new_page()
    groups = [("座長", [roster.chair], "chair"), ("副座長", roster.vice_chairs, "vice_chairs"),
              ("委員", roster.members, "members"), (None, roster.observers, "observers")]
    for heading, people, key in groups:
        if not people:
            continue
        if heading:
            if y + 2 * size * LEADING > content.bottom:
                new_page()
            items.append(ctx.set_text(f"({heading})", Rect(content.x, y, content.w, size * LEADING), size=size,
                                      name=f"{key} heading", role="heading"))
            y += size * LEADING + 4
        for index, person in enumerate(people):
            mark = "※ " if key == "observers" else ""
            post = ctx.paras(mark + _post(person))
            name = ctx.paras(f"{person.name} ({person.specialty})")
            need = max(ctx.measure(post, post_w, size), ctx.measure(name, name_w, size))
            if y + need > content.bottom:
                new_page()
            src = f"roster.{key}[{index}]"
            items.append(ctx.set_text(post, Rect(content.x + 12, y, post_w - 12, need), size=size,
                                      name=f"{src} post", source=f"{src}.post"))
            items.append(ctx.set_text(name, Rect(content.right - name_w, y, name_w, need), size=size,
                                      name=f"{src} name", source=f"{src}.name"))
            y += need + 3
            items.append(Rule(content.x + 12, y, content.right, y, color="D9D9D9", width=0.5))
            y += 4
        y += 8
    if roster.observers:
        if y + size * LEADING > content.bottom:
            new_page()
        items.append(ctx.set_text(roster.observer_legend, Rect(content.x, y, content.w, size * LEADING), size=size,
                                  name="observer legend", source="roster.observer_legend"))
    pages.append(_page(items, start + len(pages) + 1, content, ROSTER))
    return pages
