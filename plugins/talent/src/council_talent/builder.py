"""Turn validated ``TalentContent`` into the material's slides (built-in kinds only).

Input: ``TalentContent`` and the ``BuildContext``. Output: the slides in seed
order: for each pillar (確保, 育成, 定着) its overview page as a ``table``
(measures with 継続/新規 tags), then its activity pages. Tables carry the
visit counts (with their chart beside them, when the content has one), the
sites and the survey outline; ``panels`` carry everything with pictures, one
column per block with the pictures in the last column and 次年度に向けて in
the full-width footer panel; a survey question with a chart of its answers
becomes that chart in its group's panel. Crowded seed pages become two
slides with the same header and title.
"""
from __future__ import annotations

from itertools import zip_longest
from typing import Sequence

from council_materials import BuildContext
from council_materials.models import (Bullet, BulletItem, Cell, ChartData, Panel, Photo, PanelsSlide, SlideBase,
                                      TableData, TableSlide, Text)

from .models import (Audience, CareerChart, CareerModels, Courses, EventsPage, Outreach, Pillar,
                     Question, Survey, SiteVisits, TalentContent)

__all__ = ["build"]

NEXT_YEAR = "次年度に向けて"
OVERVIEW = "概要"
COMMENTS = "アンケート"
SUMMARY_CHART = "概要版"
DETAIL_CHART = "詳細版"
TOTAL = "合計"
SITE_COLUMNS = ("局", "現場・施設", "受入人数", "開催日")
SURVEY_PERIOD, SURVEY_TARGET, SURVEY_RESPONSES = "実施期間", "調査対象", "回答数"
COMMENT_MARK = "✓"
POINT_MARK = "・"
CASE_MARK = "■"


def build(content: TalentContent, ctx: BuildContext) -> list[SlideBase]:
    """Return the slides of the material, pillar by pillar, in seed order."""
    head, over = content.header, content.overview_header
    rec, tra, ret = content.recruitment, content.training, content.retention
    return [
        _pillar(rec.overview, over),
        *_outreach(rec.outreach, head),
        *_events(rec.events, head),
        _pillar(tra.overview, over),
        *_site_visits(tra.site_visits, head),
        *_courses(tra.courses, head),
        _pillar(ret.overview, over),
        *_career_models(ret.career_models, head),
        *_survey(ret.survey, head),
    ]


# -- shared pieces ---------------------------------------------------------------------------

def _circled(number: int) -> str:
    """①…⑳ for 1…20 (measures are limited to 20 by the model)."""
    return chr(0x2460 + number - 1)


def _labelled(label: str, text: str) -> str:
    return f"**{label}** {text}"


def _next_year(lines: list[Text]) -> Panel | None:
    return Panel(heading=NEXT_YEAR, items=list(lines)) if lines else None


def _photos(photos: list[Photo]) -> list[Panel]:
    return [Panel(photos=list(photos))] if photos else []


def _comments(comments: list[Text]) -> list[Panel]:
    return [Panel(heading=COMMENTS, items=[f"{COMMENT_MARK} {c}" for c in comments])] if comments else []


def _panels(header: str, title: str, subtitle: str | None, panels: list[Panel],
            next_year: Sequence[str] = ()) -> list[SlideBase]:
    """A row of panels, one column each, with 次年度に向けて below; no slide when both are empty."""
    footer = _next_year(list(next_year))
    if not panels:
        if footer is None:
            return []
        panels, footer = [footer], None
    return [PanelsSlide(header=header, title=title, subtitle=subtitle, panels=panels,
                        columns=min(len(panels), 4), footer_panel=footer)]


# -- pages -----------------------------------------------------------------------------------

def _pillar(pillar: Pillar, header: str) -> TableSlide:
    rows: list[list[Cell | str | None]] = []
    for number, measure in enumerate(pillar.measures, 1):
        text = "\n".join([f"{_circled(number)} {measure.text}",
                          *(f"{POINT_MARK}{d}" for d in measure.details)])
        rows.append([text, Cell(text=measure.tag, align="center")])
    return TableSlide(header=header, title=pillar.title,
                      table=TableData(rows=rows, header_rows=0, widths=[6, 1]))


def _outreach(page: Outreach, header: str) -> list[SlideBase]:
    visits, promo = page.visits, page.promotion
    this, last = visits.this_year, visits.last_year
    rows: list[list[Cell | str | None]] = [[Cell(text=this.label, colspan=2), Cell(text=last.label, colspan=2)]]
    for now, before in zip_longest(this.counts, last.counts):
        rows.append([now.visited if now else "", now.count if now else "",
                     before.visited if before else "", before.count if before else ""])
    rows.append([TOTAL, this.total, TOTAL, last.total])
    table = TableSlide(header=header, title=page.title, subtitle=visits.heading,
                       items=[_labelled(OVERVIEW, visits.overview)],
                       table=TableData(rows=rows, widths=[3, 3, 2, 3]), chart=visits.chart)
    return [table,
            *_panels(header, page.title, visits.heading, _photos(visits.photos), visits.next_year),
            *_panels(header, page.title, promo.heading,
                     [Panel(items=list(promo.items), weight=3), *_photos(promo.photos)], promo.next_year)]


def _events(page: EventsPage, header: str) -> list[SlideBase]:
    slides: list[SlideBase] = []
    for number, audience in enumerate(page.audiences, 1):
        last = number == len(page.audiences)
        slides += _panels(header, page.title, audience.heading, _audience_panels(audience),
                          page.next_year if last else [])
    return slides


def _audience_panels(audience: Audience) -> list[Panel]:
    events = [Panel(heading=e.name, text=e.aim, items=list(e.details)) for e in audience.events]
    return events + _photos(audience.photos)


def _site_visits(page: SiteVisits, header: str) -> list[SlideBase]:
    rows: list[list[Cell | str | None]] = [list(SITE_COLUMNS)]
    rows += [[s.bureau, s.site, Cell(text=f"{s.capacity}名", align="center"), s.date] for s in page.sites]
    table = TableSlide(header=header, title=page.title, subtitle=page.heading,
                       items=[_labelled(OVERVIEW, page.overview)],
                       table=TableData(rows=rows, widths=[2, 5, 1.5, 1.5]))
    return [table, *_panels(header, page.title, page.heading,
                            _comments(page.comments) + _photos(page.photos), page.next_year)]


def _courses(page: Courses, header: str) -> list[SlideBase]:
    slides: list[SlideBase] = []
    for number, course in enumerate(page.courses, 1):
        last = number == len(page.courses)
        panels = [Panel(heading=OVERVIEW, text=course.overview, items=list(course.details)),
                  *_photos(course.photos), *(_comments(page.comments) if last else [])]
        slides += _panels(header, page.title, course.heading, panels, page.next_year if last else [])
    return slides


def _chart(label: str, chart: CareerChart) -> Panel:
    items = [f"{POINT_MARK}{p}" for p in chart.points]
    if chart.case:
        items.append(f"{CASE_MARK}{chart.case}")
    return Panel(heading=label, items=items, photos=[chart.photo], weight=1.5)


def _career_models(models: CareerModels, header: str) -> list[SlideBase]:
    slides: list[SlideBase] = []
    for number, track in enumerate(models.tracks, 1):
        first, last = number == 1, number == len(models.tracks)
        overview = [Panel(heading=OVERVIEW, items=list(models.overview))] if first and models.overview else []
        panels = [*overview, _chart(SUMMARY_CHART, track.summary), _chart(DETAIL_CHART, track.detail)]
        slides += _panels(header, track.title, track.heading, panels, models.next_year if last else [])
    return slides


def _question(question: Question) -> BulletItem | str:
    return BulletItem(text=question.text, children=list(question.results)) if question.results else question.text


def _answers(question: Question) -> ChartData | None:
    """The question's chart, titled with the question unless it has a title."""
    chart = question.chart
    return chart.model_copy(update={"title": question.text}) if chart and not chart.title else chart


def _listed(question: Question) -> list[Bullet]:
    """What of a question its panel lists as bullets: the question and its results, or, when its chart
    is titled with the question, the results alone (nothing is left out)."""
    if question.chart and not question.chart.title:
        return list(question.results)
    return [_question(question)]


def _group(heading: str, questions: list[Question]) -> Panel:
    """A group's panel: questions with charts as charts, the others (and every result in words) as bullets."""
    charts = [chart for chart in map(_answers, questions) if chart]
    return Panel(heading=heading, items=[bullet for q in questions for bullet in _listed(q)], charts=charts)


def _survey(survey: Survey, header: str) -> list[SlideBase]:
    outline, results = survey.outline, survey.results
    rows: list[list[Cell | str | None]] = [
        [label, Cell(text=text, align="left")] for label, text in (
            (OVERVIEW, outline.purpose),
            (SURVEY_PERIOD, outline.period),
            (SURVEY_TARGET, outline.target),
            (SURVEY_RESPONSES, f"{outline.respondents:,}名({outline.response_rate}%の回答率)"),
        )]
    table = TableSlide(header=header, title=outline.title, items=[_question(outline.profile)],
                       table=TableData(rows=rows, header_rows=0, widths=[1, 6]), chart=_answers(outline.profile))
    groups = [_group(g.heading, g.questions) for g in results.groups]
    return [table, *_panels(header, results.title, None, groups, results.next_year)]
