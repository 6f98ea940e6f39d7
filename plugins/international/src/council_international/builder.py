"""Turns the 国際発信力強化部会 content into the core's built-in slide kinds.

Takes in: a validated ``Content`` and the ``BuildContext`` of the material.
Produces: the material's slides in order: a ``section`` cover; the overview as
``panels`` (目的, 取組の柱 with their 実績 inline, 事務局) and ``figures`` (the
実績 as key figures, with the note on counting); then per page: ``event_report`` for a report, ``table`` (search
screen, with the overview and the database's fields above it) + ``panels``
(活用・効果, 渡航状況) for the database, ``panels`` for an exchange sequence,
``comparison`` for a reflection, ``panels`` for an agreement (its areas, then
its exchanges). Texts pass through unchanged; only the 実績 are joined into
the seed's ``label：valueunit`` form.
"""
from __future__ import annotations

from typing import Any, Callable

from council_materials import BuildContext
from council_materials.models import (Bullet, BulletItem, Cell, ComparisonSlide, Event,
                                      EventReportSlide, Figure, FiguresSlide, Panel, PanelsSlide,
                                      SectionSlide, SlideBase, TableData, TableSlide)

from .models import (AgreementPage, Block, Content, Count, DatabasePage, Exchange, ExchangePage,
                     Measure, Overview, ReflectionPage, ReportPage)

__all__ = ["build"]


def build(content: Content, ctx: BuildContext) -> list[SlideBase]:
    """The slides of the material, cover first, pages in the order the content lists them."""
    slides: list[SlideBase] = [
        SectionSlide(title=content.cover.group, lines=[content.cover.council]),
        *_overview(content.overview),
    ]
    for page in content.pages:
        slides.extend(_PAGES[type(page)](page))
    return slides


def _count(count: Count) -> str:
    return f"{count.label}：{count.value}{count.unit}"


def _panel(block: Block) -> Panel:
    return Panel(heading=block.heading, text=block.text, items=block.items, photos=block.photos)


def _headed(heading: str | None, items: list[Bullet]) -> list[Bullet]:
    """``items`` under ``heading`` as one nested bullet, or as they are without a heading."""
    return [BulletItem(text=heading, children=items)] if heading else list(items)


def _block_bullets(block: Block) -> list[Bullet]:
    """A block as bullets under its heading: its sentence first, then its items (its pictures go to
    a panel of the page: nothing of a block is left out)."""
    return _headed(block.heading, [*([block.text] if block.text else []), *block.items])


def _measure_bullet(measure: Measure) -> BulletItem:
    children: list[Bullet] = [
        item if isinstance(item, str) else f"{item.text} {_count(item.count)}"
        for item in measure.activities
    ]
    if measure.counts:
        children.append("　".join(_count(count) for count in measure.counts))
    return BulletItem(text=measure.heading, children=children)


def _figures(overview: Overview) -> list[Figure]:
    figures = []
    for pillar in overview.pillars:
        for measure in pillar.measures:
            for item in measure.activities:
                if not isinstance(item, str):
                    figures.append(Figure(label=item.count.label, value=str(item.count.value),
                                          unit=item.count.unit, note=item.text))
            figures.extend(Figure(label=count.label, value=str(count.value), unit=count.unit,
                                  note=measure.heading) for count in measure.counts)
    return figures


def _overview(overview: Overview) -> list[SlideBase]:
    items: list[Bullet] = [
        BulletItem(text=pillar.heading, children=[_measure_bullet(m) for m in pillar.measures])
        for pillar in overview.pillars
    ]
    if overview.knowledge:
        items.extend(_block_bullets(overview.knowledge))
    notes = [overview.count_note] if overview.count_note else []
    photos = list(overview.knowledge.photos) if overview.knowledge else []
    slides: list[SlideBase] = [
        PanelsSlide(header=overview.header, title=overview.title,
                    panels=[_panel(overview.purpose), Panel(items=items, photos=photos)],
                    footer_panel=_panel(overview.secretariat)),
    ]
    figures = _figures(overview)
    if figures:
        slides.append(FiguresSlide(header=overview.header, title=overview.title, figures=figures, notes=notes))
    return slides


def _report(page: ReportPage) -> list[SlideBase]:
    events = [
        Event(name=e.name, owner=e.bureau, period=e.dates, period_label=e.dates_label,
              place=e.place, activities=e.actions, results=e.results, photos=e.photos)
        for e in page.events
    ]
    return [EventReportSlide(header=page.header, title=page.title, overview=page.overview,
                             events=events, next_year=page.next_year)]


def _database(page: DatabasePage) -> list[SlideBase]:
    screen = page.search_screen
    rows: list[list[Cell | str]] = [list(screen.columns)]
    rows.extend([row.condition, row.example] for row in screen.rows)
    if screen.button:
        rows.append([Cell(text=screen.button, colspan=2, align="right")])
    panels = [_panel(page.benefits), *([_panel(page.travel_status)] if page.travel_status else [])]
    photos = [*page.overview.photos, *page.contents.photos]
    if photos:
        panels.append(Panel(photos=photos))
    return [
        TableSlide(header=page.header, title=page.title,
                   items=[*_block_bullets(page.overview), *_block_bullets(page.contents)],
                   table=TableData(rows=rows), caption=screen.heading),
        PanelsSlide(header=page.header, title=page.title, panels=panels, columns=len(panels)),
    ]


def _exchange_panel(exchange: Exchange) -> Panel:
    return Panel(heading=exchange.heading, text=exchange.category, photos=exchange.photos)


def _outlook(text: str | None) -> Panel | None:
    return Panel(text=text) if text else None


def _exchange(page: ExchangePage) -> list[SlideBase]:
    return [PanelsSlide(header=page.header, title=page.title,
                        panels=[_exchange_panel(step) for step in page.steps],
                        columns=min(len(page.steps), 4), footer_panel=_outlook(page.outlook))]


def _reflection(page: ReflectionPage) -> list[SlideBase]:
    survey = page.survey
    lines = [survey.destination, *([survey.theme] if survey.theme else [])]
    left = Panel(heading=survey.category, text="\n".join(lines),
                 items=_headed(survey.findings_heading, survey.findings), photos=survey.photos)
    return [ComparisonSlide(header=page.header, title=page.title, left=left,
                            right=_panel(page.reflection), arrow=page.arrow)]


def _agreement(page: AgreementPage) -> list[SlideBase]:
    panels = [_panel(page.signing), *(_panel(area) for area in page.areas)]
    columns = min(len(panels), 3)
    if not page.exchanges:
        return [PanelsSlide(header=page.header, title=page.title, panels=panels, columns=columns,
                            footer_panel=_outlook(page.outlook))]
    return [
        PanelsSlide(header=page.header, title=page.title, panels=panels, columns=columns),
        PanelsSlide(header=page.header, title=page.title, panels=[_exchange_panel(e) for e in page.exchanges],
                    columns=min(len(page.exchanges), 4), footer_panel=_outlook(page.outlook)),
    ]


_PAGES: dict[type[Any], Callable[[Any], list[SlideBase]]] = {
    ReportPage: _report,
    DatabasePage: _database,
    ExchangePage: _exchange,
    ReflectionPage: _reflection,
    AgreementPage: _agreement,
}
