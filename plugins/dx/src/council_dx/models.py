"""The working group's content model for one meeting's DX・働き方改革 material.

Input: the mapping read from the meeting's ``content/dx.yaml``.
Output: a validated, immutable ``DxContent`` that ``builder.build`` turns
into slides. The model follows how the 生産性向上・働き方改革部会 writes its
material: an overview (背景, DXの活用, 働き方改革 ~新3K + (Plus)~), the
phases 計画・設計・施工・維持管理 each with 現状の課題, 将来像 and a
ロードマップ, the 取組 of each phase (①目的 ②イメージ ③効果 ④現状の課題), and
働き方改革 as 現状・課題 → 将来像.
"""
from __future__ import annotations

from typing import Union

from pydantic import Field, ValidationInfo, field_validator

from council_materials.models import Bullet, Photo, StrictModel, Text

__all__ = [
    "Body", "Block", "NewThreeK", "Overview", "RoadmapItem", "Phase", "Illustration",
    "Initiative", "CardLabels", "PhasePage", "RoadmapPage", "Pages", "WorkStyleReform",
    "DxContent",
]

Body = Union[Text, list[Bullet]]
"""One sentence, or a list of bullets."""


class Block(StrictModel):
    """A headed list, e.g. DXの活用 or 現状・課題."""

    heading: Text
    items: list[Bullet] = Field(min_length=1)


class NewThreeK(StrictModel):
    """働き方改革 ~新3K + (Plus)~: the three K, three more K, and what they add up to."""

    heading: Text = Field(description="e.g. 働き方改革 ~新3K + (Plus)~")
    base_label: Text = Field(description="e.g. 新3K")
    base: list[Text] = Field(min_length=1, description="e.g. 給与 Kyuuyo, 休暇 Kyuuka, 希望 Kibou")
    plus_label: Text = Field(description="e.g. +(Plus)")
    plus: list[Text] = Field(min_length=1, description="e.g. 教育 Kyouiku, 環境 Kankyo, 健康 Kenko")
    result: Text = Field(description="What both add up to, e.g. “幸福” Koufuku")


class Overview(StrictModel):
    """The opening page: 背景, DXの活用 and 働き方改革, and what they achieve."""

    title: Text = Field(description="e.g. インフラ整備におけるDX・働き方改革")
    background: list[Text] = Field(
        min_length=1, description="背景, one line each with its mark as written, e.g. ◆ 生産年齢人口の減少…")
    conclusion: Text = Field(description="The sentence the background leads to, e.g. ➡ インフラ整備においても…")
    dx: Block = Field(description="DXの活用 and its pillars")
    work_style: NewThreeK
    outcomes: list[Text] = Field(min_length=1, description="e.g. 技術継承, 品質向上, 生産性向上")
    goal: Text = Field(description="What the outcomes serve, e.g. インフラ整備需要への対応、…")
    vision: Text | None = Field(None, description="The ◆ sentence on the whole cycle 計画 … 再構築")


class RoadmapItem(StrictModel):
    """One row of a phase's ロードマップ: a 取組, where it stands at each STEP, and its 実現."""

    label: Text = Field("", description="The 取組, e.g. 遠隔臨場; empty when the page names none")
    steps: list[Text | None] = Field(
        default_factory=list,
        description="One entry per STEP (null: empty cell); leave out when the row only has a goal")
    goal: Text | None = Field(None, description="実現; null continues the goal of the row above")


class Phase(StrictModel):
    """A phase of the infrastructure cycle, e.g. 計画Phase."""

    name: Text = Field(description="e.g. 計画Phase")
    issues: list[Bullet] = Field(min_length=1, description="現状の課題")
    vision: list[Bullet] = Field(min_length=1, description="将来像")
    roadmap: list[RoadmapItem] = Field(min_length=1, description="将来像に向けたロードマップ")


class Illustration(StrictModel):
    """②イメージ: pictures with their captions, and any text printed with them."""

    label: Text = Field("②イメージ：", description="e.g. ②照査システムのイメージ：")
    photos: list[Photo] = Field(default_factory=list)
    text: Text | None = Field(None, description="A caption for all pictures, or a remark")
    items: list[Bullet] = Field(default_factory=list, description="e.g. a legend (凡例)")


class Initiative(StrictModel):
    """A 取組, printed as a card."""

    name: Text = Field(description="e.g. 都市の3Dデジタルマップ化の推進")
    phase: Text = Field(description="The name of one of the phases, e.g. 計画Phase")
    purpose: Body = Field(description="①目的")
    image: Illustration | None = Field(None, description="②イメージ")
    effect: Body = Field(description="③効果")
    issues: Body = Field(description="④現状の課題")


class CardLabels(StrictModel):
    """The labels of an initiative card's fields (②'s label is set per initiative)."""

    purpose: Text = "①目的："
    effect: Text = "③効果："
    issues: Text = "④現状の課題："


class PhasePage(StrictModel):
    """Title and footnotes (※ …) of a page that shows every phase."""

    title: Text | None = None
    notes: list[Text] = Field(default_factory=list)


class RoadmapPage(PhasePage):
    """将来像に向けたロードマップ: the STEP headings and the goal heading."""

    steps: list[Text] = Field(min_length=1, description="e.g. STEP 1, STEP 2, STEP 3")
    goal_heading: Text = Field(description="e.g. 実現")


class Pages(StrictModel):
    """The pages that show every phase: 現状の課題, 将来像, ロードマップ."""

    issues: PhasePage
    vision: PhasePage
    roadmap: RoadmapPage


class WorkStyleReform(StrictModel):
    """働き方改革: 現状・課題 → 将来像."""

    title: Text = Field(description="e.g. 働き方改革")
    current: Block = Field(description="現状・課題")
    future: Block = Field(description="将来像")
    arrow: Text | None = Field(None, description="Text on the arrow between them, e.g. ロードマップ")


class DxContent(StrictModel):
    """content/dx.yaml: one meeting's 資料 of the 生産性向上・働き方改革部会."""

    header: Text = Field(description="Running line on every page, e.g. 令和6年度 東京都技術会議 …部会")
    overview: Overview
    pages: Pages
    phases: list[Phase] = Field(min_length=1, description="In cycle order: 計画, 設計, 施工, 維持管理")
    card_labels: CardLabels = Field(default_factory=CardLabels)
    initiatives: list[Initiative] = Field(
        min_length=1, description="取組 in print order; consecutive ones of one phase share a page, two at a time")
    work_style: WorkStyleReform

    @field_validator("phases")
    @classmethod
    def _phases_fit_roadmap(cls, phases: list[Phase], info: ValidationInfo) -> list[Phase]:
        names = [phase.name for phase in phases]
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            raise ValueError(f"phase names must be unique; repeated: {', '.join(doubled)}")
        pages = info.data.get("pages")
        if pages is None:  # pages failed validation; that error is reported already
            return phases
        width = len(pages.roadmap.steps)
        for p, phase in enumerate(phases):
            for r, row in enumerate(phase.roadmap):
                if row.steps and len(row.steps) != width:
                    raise ValueError(
                        f"phases[{p}].roadmap[{r}] ({row.label or row.goal!r}) has {len(row.steps)} "
                        f"steps; pages.roadmap.steps has {width}")
        return phases

    @field_validator("initiatives")
    @classmethod
    def _initiatives_name_a_phase(cls, initiatives: list[Initiative],
                                  info: ValidationInfo) -> list[Initiative]:
        phases = info.data.get("phases")
        if phases is None:  # phases failed validation; that error is reported already
            return initiatives
        names = [phase.name for phase in phases]
        for i, initiative in enumerate(initiatives):
            if initiative.phase not in names:
                raise ValueError(
                    f"initiatives[{i}].phase {initiative.phase!r} is not one of the phases: "
                    f"{', '.join(names)}")
        return initiatives
