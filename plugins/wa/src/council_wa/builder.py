"""Turns validated WA content into slides of built-in kinds.

Input: a ``WaContent`` and the ``BuildContext`` of the material.
Output: one ``panels`` slide per collaboration event (date and venue with the
programme beside the photos), then one ``cards`` slide for 今後の展開 with a
card per pillar.
"""
from __future__ import annotations

from council_materials import BuildContext
from council_materials.models import (BulletItem, Card, CardField, CardsSlide, Panel, PanelsSlide,
                                      SlideBase)

from .models import CollaborationEvent, Outlook, WaContent

__all__ = ["build"]


def build(content: WaContent, ctx: BuildContext) -> list[SlideBase]:
    """Return the slides of the WA material, events first, outlook last."""
    slides: list[SlideBase] = [_event_slide(event, content.header) for event in content.events]
    if content.outlook is not None:
        slides.append(_outlook_slide(content.outlook, content.header))
    return slides


def _event_slide(event: CollaborationEvent, header: str | None) -> PanelsSlide:
    details = Panel(
        heading=event.subtitle,
        items=[event.date_and_venue, BulletItem(text=event.programme_label, children=list(event.programme))],
    )
    photos = [*event.speakers, *event.photos]
    panels = [details, Panel(photos=photos, weight=1.2)] if photos else [details]
    return PanelsSlide(header=header, title=event.title, subtitle=event.tagline,
                       panels=panels, columns=len(panels))


def _outlook_slide(outlook: Outlook, header: str | None) -> CardsSlide:
    cards = [Card(heading=pillar.area, fields=[CardField(label=pillar.name, text=pillar.description)])
             for pillar in outlook.pillars]
    return CardsSlide(header=header, title=outlook.title, cards=cards, columns=min(len(cards), 2))
