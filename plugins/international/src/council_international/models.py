"""Content model of the 国際発信力強化部会 material, in the working group's words.

Takes in: the mapping read from a meeting's ``content/international.yaml``.
Produces: a validated, immutable ``Content``: the cover (扉), the overview
(目的, 事務局, 取組の柱 with their 実績) and the pages that follow, each a
``page`` kind: ``report`` (概要, 実施内容 of events and visits, 次年度に向けて),
``database`` (海外交流データベース), ``exchange`` (a sequence of exchanges with
one partner, e.g. PUB), ``reflection`` (先進事例調査 → 施策への反映) and
``agreement`` (a MoU, its 協力分野 and the exchanges under it).

Every human-readable field is ``Text`` (``**bold**`` marks emphasis) and holds
the line as the group writes it, label included where the page prints one
(``"○調査先：…"``); ``builder`` arranges these strings, it does not reword them.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from council_materials.models import Bullet, Photo, StrictModel, Text

__all__ = [
    "Block", "Cover", "Count", "Activity", "Measure", "Pillar", "Overview", "PageBase",
    "Event", "ReportPage", "SearchRow", "SearchScreen", "DatabasePage", "Exchange",
    "ExchangePage", "Survey", "ReflectionPage", "AgreementPage", "Page", "Content",
]


class Block(StrictModel):
    """A headed block of a page: heading, a sentence, bullets and pictures."""

    heading: Text | None = Field(None, description="e.g. 【目的】, 活用・効果, 1 最適な建設施工の実現")
    text: Text | None = None
    items: list[Bullet] = Field(default_factory=list)
    photos: list[Photo] = Field(default_factory=list)


class Cover(StrictModel):
    """扉: the page that opens the material."""

    council: Text = Field(description="年度と会議, e.g. 令和6年度 東京都技術会議")
    group: Text = Field(description="部会名, e.g. 国際発信力強化部会")


class Count(StrictModel):
    """実績: how many cities an activity reached (延べ数), e.g. 渡航：99都市."""

    label: Text = Field(description="e.g. 実施, 渡航, 受入, 協定")
    value: int = Field(ge=0)
    unit: Text = Field(description="e.g. 都市")


class Activity(StrictModel):
    """取組 counted on its own, e.g. 国際会議でのプレゼン、ブース出展 実施：15都市."""

    text: Text
    count: Count


class Measure(StrictModel):
    """A measure of a pillar (① …): its 取組 and the 実績 counted for the measure as a whole."""

    heading: Text = Field(description="e.g. ① 国際ネットワークを活用した発信の強化")
    activities: list[Union[Activity, Text]] = Field(min_length=1, description="取組")
    counts: list[Count] = Field(default_factory=list, description="実績 of the whole measure")


class Pillar(StrictModel):
    """取組の柱, e.g. (1) 東京都の技術やノウハウを世界各都市に発信."""

    heading: Text
    measures: list[Measure] = Field(min_length=1)


class PageBase(StrictModel):
    """What every page has: the running header line and, where the page has one, a title."""

    header: Text = Field(description="Running header, one line, e.g. 令和6年度 東京都技術会議 "
                                     "国際発信力強化部会 (1) 東京都の技術やノウハウを世界各都市に発信")
    title: Text | None = None


class Overview(PageBase):
    """The group at a glance: 目的, 事務局, 取組の柱 with 実績, the note on counts."""

    purpose: Block = Field(description="【目的】")
    secretariat: Block = Field(description="【事務局】")
    pillars: list[Pillar] = Field(min_length=1)
    knowledge: Block | None = Field(None, description="※これまでの取組に関する知見の集積と活用")
    count_note: Text | None = Field(None, description="注：… on how the 実績 are counted")


class Event(StrictModel):
    """One event attended or visit made (実施内容の一件)."""

    name: Text = Field(description="e.g. 危機管理会議2024")
    bureau: Text | None = Field(None, description="担当局, printed as 【…】")
    dates: Text | None = Field(None, description="会期 / 日程")
    dates_label: Text = Field("会期", description="会期 or 日程")
    place: Text | None = Field(None, description="場所")
    actions: list[Bullet] = Field(default_factory=list, description="取組")
    results: list[Bullet] = Field(default_factory=list, description="成果")
    photos: list[Photo] = Field(default_factory=list)


class ReportPage(PageBase):
    """実施報告: 概要, 実施内容 (events and visits), 次年度に向けて."""

    page: Literal["report"]
    overview: list[Bullet] = Field(default_factory=list, description="概要")
    events: list[Event] = Field(min_length=1, description="実施内容")
    next_year: Text | None = Field(None, description="次年度に向けて")


class SearchRow(StrictModel):
    """A row of the database's search screen: the condition and an example choice."""

    condition: Text = Field(description="e.g. 「取組分類」のカテゴリ名を選択する。⇒")
    example: Text = Field(description="e.g. ②都が海外技術を調査")


class SearchScreen(StrictModel):
    """The database's search screen (検索画面), shown as a table."""

    heading: Text | None = Field(None, description="e.g. 実施内容")
    columns: tuple[Text, Text] = Field(description="e.g. 検索画面, 対象DB")
    rows: list[SearchRow] = Field(min_length=1)
    button: Text | None = Field(None, description="e.g. 実行!")


class DatabasePage(PageBase):
    """海外交流データベース: 概要, its search screen, its fields, 活用・効果, 渡航状況."""

    page: Literal["database"]
    overview: Block = Field(description="概要")
    search_screen: SearchScreen
    contents: Block = Field(description="【データベースの主な内容】")
    benefits: Block = Field(description="活用・効果")
    travel_status: Block | None = Field(None, description="e.g. 東京都からの海外渡航状況 (a map)")


class Exchange(StrictModel):
    """One exchange with a partner: what and when, its kind, pictures."""

    heading: Text = Field(description="e.g. ○ PUB職員来日対応 (R6.7)")
    category: Text | None = Field(None, description="都が海外技術を調査 / 都が技術を発信 / 相互の技術共有")
    photos: list[Photo] = Field(default_factory=list)


class ExchangePage(PageBase):
    """相互交流: exchanges with one partner in order, and where they lead."""

    page: Literal["exchange"]
    steps: list[Exchange] = Field(min_length=1)
    outlook: Text | None = Field(None, description="e.g. …MoU締結について調整を行っていく")


class Survey(StrictModel):
    """先進事例調査: where, on what, what was learnt."""

    category: Text | None = Field(None, description="e.g. 都が海外技術を調査")
    destination: Text = Field(description="調査先 line, e.g. ○調査先：米国(…)(R5.10)")
    theme: Text | None = Field(None, description="調査テーマ line")
    findings_heading: Text | None = Field(None, description="e.g. ○調査によって得られた知見：")
    findings: list[Bullet] = Field(default_factory=list)
    photos: list[Photo] = Field(default_factory=list)


class ReflectionPage(PageBase):
    """施策への反映: a survey on the left, how it changed the metropolitan policy on the right."""

    page: Literal["reflection"]
    survey: Survey
    arrow: Text | None = Field(None, description="e.g. 施策への反映")
    reflection: Block = Field(description="○施策への反映状況：")


class AgreementPage(PageBase):
    """基本合意書 (MoU): its signing, 協力分野, the exchanges under it, what comes next."""

    page: Literal["agreement"]
    signing: Block = Field(description="e.g. ○ニューヨーク市とのMoU締結 (R6.11.11): 目的, 協力分野")
    areas: list[Block] = Field(min_length=1, description="協力分野, one block each")
    exchanges: list[Exchange] = Field(default_factory=list)
    outlook: Text | None = Field(None, description="e.g. 今後、協力分野ごとに部会を設置し…")


Page = Annotated[
    Union[ReportPage, DatabasePage, ExchangePage, ReflectionPage, AgreementPage],
    Field(discriminator="page"),
]
"""A page after the overview, chosen by its ``page`` key."""


class Content(StrictModel):
    """``content/international.yaml``: the whole material of the 国際発信力強化部会."""

    cover: Cover
    overview: Overview
    pages: list[Page] = Field(min_length=1)
