"""The content model of the WA material, in the working group's words.

Input: the mapping read from a meeting's ``content/wa.yaml``.
Output: an immutable, validated ``WaContent`` for ``council_wa.builder``.
Every human-readable field is ``Text``: ``**…**`` marks bold.
"""
from __future__ import annotations

from pydantic import Field

from council_materials.models import Photo, StrictModel, Text

__all__ = ["CollaborationEvent", "Pillar", "Outlook", "WaContent"]


class CollaborationEvent(StrictModel):
    """A 「WA×技術会議」 collaboration event: what it was, when, where, what happened."""

    title: Text = Field(description="Name of the event, e.g. 「WA×技術会議」コラボイベント")
    tagline: Text | None = Field(None, description="Catch line, e.g. キャリアアップに向けて…応援します")
    subtitle: Text | None = Field(None, description="Sub-name of the event, e.g. ～ゆるゆるつながるWAをつくる…～")
    date_and_venue: Text = Field(description="Date and venue as one line, e.g. 2月4日（火）@新宿住友ビル")
    programme_label: Text = Field("【内容】", description="Heading of the programme list")
    programme: list[Text] = Field(min_length=1, description="Programme items: opening, talks, panel, …")
    speakers: list[Photo] = Field(
        default_factory=list, description="Portraits of the speakers, captioned with their names (山田氏)")
    photos: list[Photo] = Field(default_factory=list, description="Scenes of the event with captions")


class Pillar(StrictModel):
    """One pillar of 今後の展開: the area, its 『… ×技術会議』 name and what it does."""

    area: Text = Field(description="e.g. 職員のキャリア形成")
    name: Text = Field(description="e.g. 『キャリア・メンター×技術会議』")
    description: Text = Field(description="e.g. = 女性技術職員向けの **キャリア形成支援** を **充実**")


class Outlook(StrictModel):
    """今後の展開: where the network goes next."""

    title: Text = "今後の展開"
    pillars: list[Pillar] = Field(min_length=1)


class WaContent(StrictModel):
    """The WA material of one meeting: collaboration events, then the outlook."""

    header: Text | None = Field(None, description="Running header line above every slide's title")
    events: list[CollaborationEvent] = Field(min_length=1, description="One slide per event")
    outlook: Outlook | None = Field(None, description="今後の展開; one slide after the events")
