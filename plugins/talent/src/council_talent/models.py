"""The content model of 技術力維持向上部会's material, in the working group's words.

Input: the mapping read from a meeting's ``talent.yaml``. Output: a validated,
immutable ``TalentContent``: the three pillars 確保 (recruitment), 育成
(training) and 定着 (retention), each with its overview page of measures
(継続/新規) and the pages of its main activities, each ending with
次年度に向けて. Every human-readable field is ``Text`` (``**bold**`` marks
emphasis); pictures are ``Photo``s relative to the meeting folder; figures
that make a chart (visit counts, survey answers) are ``ChartData``.
"""
from __future__ import annotations

from typing import Literal

from council_materials.models import Bullet, ChartData, Photo, StrictModel, Text
from pydantic import Field

__all__ = [
    "Measure", "Pillar", "VisitCount", "VisitRecord", "Visits", "Promotion", "Outreach",
    "Event", "Audience", "EventsPage", "Recruitment", "Site", "SiteVisits", "Course", "Courses",
    "Training", "CareerChart", "CareerTrack", "CareerModels", "Question", "QuestionGroup",
    "SurveyOutline", "SurveyResults", "Survey", "Retention", "TalentContent",
]

NextYear = list[Text]
"""次年度に向けて: one entry per sentence."""


class Measure(StrictModel):
    """A measure (取組) on a pillar's overview page; numbered ①②… in list order."""

    text: Text = Field(description="取組, e.g. 学生が都政に興味や関心をもつ情報発信の強化")
    tag: Literal["継続", "新規"] = Field(description="継続 or 新規")
    details: list[Text] = Field(default_factory=list, description="Sub-points printed with ・")


class Pillar(StrictModel):
    """A pillar's overview page: its title and its measures with 継続/新規 tags."""

    title: Text = Field(description="e.g. 都庁技術者の確保")
    measures: list[Measure] = Field(min_length=1, max_length=20)


# -- 確保 (recruitment) ---------------------------------------------------------------------

class VisitCount(StrictModel):
    """One line of a year's visit record: where (and how far along) and how many."""

    visited: Text = Field(description="訪問先, e.g. 大学 (実施済), (開催日決定), 工業高校")
    count: Text = Field(description="回数, e.g. 46回 (うちWEB4回)")


class VisitRecord(StrictModel):
    """One fiscal year's university and technical-school visits."""

    label: Text = Field(description="e.g. R6実績 or [参考: R5実績]")
    counts: list[VisitCount] = Field(min_length=1)
    total: Text = Field(description="合計, e.g. 56回")


class Visits(StrictModel):
    """大学、工業高校への訪問: this year's visits against last year's."""

    heading: Text = Field(description="e.g. 大学、工業高校への訪問")
    overview: Text = Field(description="概要")
    this_year: VisitRecord
    last_year: VisitRecord = Field(description="Printed beside this year's as 参考")
    chart: ChartData | None = Field(None, description="The counts as a chart beside the table (the table's figures)")
    photos: list[Photo] = Field(default_factory=list)
    next_year: NextYear = Field(default_factory=list)


class Promotion(StrictModel):
    """就活イベント、経験者採用のPR: events, pamphlets, blog, adverts."""

    heading: Text = Field(description="e.g. 就活イベント、経験者採用のPR")
    items: list[Bullet] = Field(min_length=1, description="What was done, as nested bullets")
    photos: list[Photo] = Field(default_factory=list)
    next_year: NextYear = Field(default_factory=list)


class Outreach(StrictModel):
    """The page of visits and PR (確保 主な取組内容 1/2)."""

    title: Text
    visits: Visits
    promotion: Promotion


class Event(StrictModel):
    """One event for students or successful candidates (1 day仕事体験, 現場見学会, …)."""

    name: Text = Field(description="e.g. 1 day仕事体験")
    aim: Text = Field(description="What the event is for, printed after the name")
    details: list[Text] = Field(
        default_factory=list,
        description="開催日・参加局・参加者 lines as printed, e.g. 開催日：令和6年8月16日（金）")


class Audience(StrictModel):
    """The events for one audience: 学生向け or 合格者向け."""

    heading: Text = Field(description="e.g. 学生向け（1 day仕事体験・現場見学会）")
    events: list[Event] = Field(min_length=1)
    photos: list[Photo] = Field(default_factory=list)


class EventsPage(StrictModel):
    """The page of events (確保 主な取組内容 2/2); 次年度に向けて follows the last audience."""

    title: Text
    audiences: list[Audience] = Field(min_length=1)
    next_year: NextYear = Field(default_factory=list)


class Recruitment(StrictModel):
    """確保: overview, visits and PR, events."""

    overview: Pillar
    outreach: Outreach
    events: EventsPage


# -- 育成 (training) -------------------------------------------------------------------------

class Site(StrictModel):
    """A site of the cross-bureau site visits for staff."""

    bureau: Text = Field(description="局")
    site: Text = Field(description="現場・施設")
    capacity: int = Field(ge=1, description="受入人数 (printed with 名)")
    date: Text = Field(description="開催日, e.g. 11月13日")


class SiteVisits(StrictModel):
    """現場見学会（職員向け）: sites by bureau, participants' comments, photos."""

    title: Text
    heading: Text = Field(description="e.g. 現場見学会（職員向け）")
    overview: Text = Field(description="概要")
    sites: list[Site] = Field(min_length=1)
    comments: list[Text] = Field(default_factory=list, description="アンケート: participants' comments")
    photos: list[Photo] = Field(default_factory=list)
    next_year: NextYear = Field(default_factory=list)


class Course(StrictModel):
    """A training course (技術研修), e.g. ICT・DX技術 or 民間技術."""

    heading: Text = Field(description="e.g. 技術研修（ICT・DX技術）")
    overview: Text = Field(description="概要")
    details: list[Text] = Field(
        default_factory=list, description="開催日・参加者・内容 lines as printed, e.g. 開催日：令和7年1月10日")
    photos: list[Photo] = Field(default_factory=list)


class Courses(StrictModel):
    """The page of training courses; アンケート and 次年度に向けて follow the last course."""

    title: Text
    courses: list[Course] = Field(min_length=1)
    comments: list[Text] = Field(default_factory=list, description="アンケート: participants' comments")
    next_year: NextYear = Field(default_factory=list)


class Training(StrictModel):
    """育成: overview, site visits, training courses."""

    overview: Pillar
    site_visits: SiteVisits
    courses: Courses


# -- 定着 (retention) ------------------------------------------------------------------------

class CareerChart(StrictModel):
    """The 概要版 or 詳細版 chart of a job type's career model (異動モデルパターン)."""

    points: list[Text] = Field(default_factory=list, description="What the chart shows, printed with ・")
    case: Text | None = Field(None, description="The case the chart follows, printed with ■")
    photo: Photo = Field(description="The chart; its caption names the model, e.g. 土木職①(案) Uターンタイプ")


class CareerTrack(StrictModel):
    """One job type's page of career models (職種ごとの整理)."""

    title: Text
    heading: Text = Field(description="e.g. 構成・職種ごとの整理 (土木)")
    summary: CareerChart = Field(description="概要版")
    detail: CareerChart = Field(description="詳細版")


class CareerModels(StrictModel):
    """異動モデルパターン: 概要 on the first page, 次年度に向けて on the last."""

    overview: list[Bullet] = Field(default_factory=list, description="概要")
    tracks: list[CareerTrack] = Field(min_length=1)
    next_year: NextYear = Field(default_factory=list)


class Question(StrictModel):
    """A survey question (or 回答属性) with its results: a chart of the answers, or bullets."""

    text: Text
    results: list[Text] = Field(default_factory=list, description="Results in words, as bullets under the question")
    chart: ChartData | None = Field(None, description="The answers as a chart (e.g. stacked_100), titled with the "
                                                      "question unless it has a title of its own")


class QuestionGroup(StrictModel):
    """Questions under one heading, e.g. 仕事や職場について."""

    heading: Text
    questions: list[Question] = Field(min_length=1)


class SurveyOutline(StrictModel):
    """The young-staff survey's outline page: 概要, 実施期間, 調査対象, 回答数."""

    title: Text
    profile: Question = Field(description="回答属性")
    purpose: Text = Field(description="概要")
    period: Text = Field(description="実施期間, e.g. 12月18日(水)～1月6日(月)で実施")
    target: Text = Field(description="調査対象")
    respondents: int = Field(ge=0, description="回答数 (persons)")
    response_rate: int = Field(ge=0, le=100, description="回答率 in percent")


class SurveyResults(StrictModel):
    """The survey's results page: questions by group, then 次年度に向けて."""

    title: Text
    groups: list[QuestionGroup] = Field(min_length=1)
    next_year: NextYear = Field(default_factory=list)


class Survey(StrictModel):
    """若手技術職員へのアンケート."""

    outline: SurveyOutline
    results: SurveyResults


class Retention(StrictModel):
    """定着: overview, career models, young-staff survey."""

    overview: Pillar
    career_models: CareerModels
    survey: Survey


class TalentContent(StrictModel):
    """資料: 技術力の維持向上に向けた技術職員の確保と育成."""

    header: Text = Field(description="Running header of the activity pages")
    overview_header: Text = Field(description="Running header of the three pillar overview pages")
    recruitment: Recruitment = Field(description="確保")
    training: Training = Field(description="育成")
    retention: Retention = Field(description="定着")
