"""Turns validated ``DxContent`` into the core's built-in slide kinds.

Input: a ``DxContent`` and the core's ``BuildContext``.
Output: the slides of the material, in print order:

1. overview: 背景 (panels), then DXの活用 · 働き方改革 ~新3K + (Plus)~ · outcomes (panels);
2. 現状の課題 of every phase (panels, one per phase);
3. the 取組 (cards), consecutive ones of one phase two to a slide, titled by the phase;
4. 将来像 of every phase (panels);
5. 将来像に向けたロードマップ, one roadmap slide per phase;
6. 働き方改革: 現状・課題 → 将来像 (comparison).
"""
from __future__ import annotations

from itertools import groupby

from council_materials import BuildContext
from council_materials.models import (
    Bullet, BulletItem, Card, CardField, CardsSlide, ComparisonSlide, Panel, PanelsSlide, RoadmapRow,
    RoadmapSlide, SlideBase,
)

from .models import Body, CardLabels, DxContent, Illustration, Initiative, Overview, PhasePage

__all__ = ["build", "CARDS_PER_SLIDE", "PHASE_COLUMNS"]

CARDS_PER_SLIDE = 2
"""How many 取組 cards share a slide (as in the seed: two per A4 page)."""

PHASE_COLUMNS = 2
"""Columns of the pages that show every phase (2 × 2 for four phases)."""


def build(content: DxContent, ctx: BuildContext) -> list[SlideBase]:
    """Return every slide of the material, in print order.

    Everything printed comes from ``content``; ``ctx`` is part of the builder signature only.
    """
    header = content.header
    return [
        *_overview(content.overview, header),
        _phase_panels(content.pages.issues, {p.name: p.issues for p in content.phases}, header),
        *_initiative_slides(content.initiatives, content.card_labels, header),
        _phase_panels(content.pages.vision, {p.name: p.vision for p in content.phases}, header),
        *_roadmaps(content, header),
        _work_style(content, header),
    ]


def _overview(overview: Overview, header: str) -> list[SlideBase]:
    """The opening seed page, split in two: 背景 → conclusion, then the DX・働き方改革 diagram.

    The 背景 lines keep their own marks (◆, ➡), so they are set as text, not as bullets.
    """
    new3k = overview.work_style
    background = PanelsSlide(
        header=header, title=overview.title,
        panels=[Panel(text="\n".join(overview.background))],
        footer_panel=Panel(text=overview.conclusion),
    )
    diagram = PanelsSlide(
        header=header, title=overview.title, columns=3,
        panels=[
            Panel(heading=overview.dx.heading, items=list(overview.dx.items)),
            Panel(heading=new3k.heading, items=[
                BulletItem(text=new3k.base_label, children=list(new3k.base)),
                BulletItem(text=new3k.plus_label, children=list(new3k.plus)),
                f"→ {new3k.result}",
            ]),
            Panel(items=list(overview.outcomes)),
        ],
        footer_panel=Panel(
            text=overview.goal, items=[overview.vision] if overview.vision else []),
    )
    return [background, diagram]


def _phase_panels(page: PhasePage, bullets: dict[str, list[Bullet]], header: str) -> PanelsSlide:
    """One panel per phase (name → its bullets), in the phases' order."""
    return PanelsSlide(
        header=header, title=page.title, notes=list(page.notes), columns=PHASE_COLUMNS,
        panels=[Panel(heading=name, items=list(items)) for name, items in bullets.items()],
    )


def _initiative_slides(initiatives: list[Initiative], labels: CardLabels,
                       header: str) -> list[SlideBase]:
    """Cards slides titled by the phase, ``CARDS_PER_SLIDE`` consecutive 取組 of one phase each."""
    slides: list[SlideBase] = []
    for phase, run in groupby(initiatives, key=lambda initiative: initiative.phase):
        members = list(run)
        for start in range(0, len(members), CARDS_PER_SLIDE):
            chunk = members[start:start + CARDS_PER_SLIDE]
            slides.append(CardsSlide(
                header=header, title=phase, columns=len(chunk),
                cards=[_card(initiative, labels) for initiative in chunk],
            ))
    return slides


def _card(initiative: Initiative, labels: CardLabels) -> Card:
    fields = [_field(labels.purpose, initiative.purpose)]
    if initiative.image is not None:
        fields.append(_image_field(initiative.image))
    fields += [_field(labels.effect, initiative.effect), _field(labels.issues, initiative.issues)]
    return Card(heading=initiative.name, fields=fields)


def _field(label: str, body: Body) -> CardField:
    if isinstance(body, str):
        return CardField(label=label, text=body)
    return CardField(label=label, items=list(body))


def _image_field(image: Illustration) -> CardField:
    return CardField(label=image.label, text=image.text, items=list(image.items),
                     photos=list(image.photos))


def _roadmaps(content: DxContent, header: str) -> list[RoadmapSlide]:
    """One roadmap slide per phase; rows that name no step get empty cells."""
    page = content.pages.roadmap
    blank: list[str | None] = [None] * len(page.steps)
    return [
        RoadmapSlide(
            header=header, title=page.title, notes=list(page.notes), phase=phase.name,
            steps=list(page.steps), goal_heading=page.goal_heading,
            rows=[RoadmapRow(label=row.label, steps=list(row.steps) or blank, goal=row.goal)
                  for row in phase.roadmap],
        )
        for phase in content.phases
    ]


def _work_style(content: DxContent, header: str) -> ComparisonSlide:
    reform = content.work_style
    return ComparisonSlide(
        header=header, title=reform.title, arrow=reform.arrow,
        left=Panel(heading=reform.current.heading, items=list(reform.current.items)),
        right=Panel(heading=reform.future.heading, items=list(reform.future.items)),
    )
