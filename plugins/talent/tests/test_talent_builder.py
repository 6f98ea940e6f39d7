"""Tests of the talent builder and plugin: the slides built from the example content."""
from __future__ import annotations

import copy
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pluggy
import pytest

from council_materials.loading import load_yaml
from council_materials import BuildContext, hookspecs
from council_materials.testing import build_context
from council_materials.models import (BulletItem, Cell, PanelsSlide,
                                      SlideBase, TableSlide)
from council_talent import plugin
from council_talent.builder import build
from council_talent.models import TalentContent

MEETING_DIR = Path(__file__).resolve().parents[3] / "examples" / "council-120"
EXAMPLE = MEETING_DIR / "content" / "talent.yaml"
HEADER = "令和6年度 東京都技術会議 技術力維持向上部会 技術力の維持向上に向けた技術職員の確保と育成"
OVERVIEW_HEADER = "令和6年度 東京都技術会議 技術力維持向上部会"

EXPECTED = [  # (kind, title, subtitle)
    ("table", "都庁技術者の確保", None),
    ("table", "都庁技術者の「確保」 主な取組内容 (1 / 2)", "大学、工業高校への訪問"),
    ("panels", "都庁技術者の「確保」 主な取組内容 (1 / 2)", "大学、工業高校への訪問"),
    ("panels", "都庁技術者の「確保」 主な取組内容 (1 / 2)", "就活イベント、経験者採用のPR"),
    ("panels", "都庁技術者の「確保」 主な取組内容（2 / 2）", "学生向け（1 day仕事体験・現場見学会）"),
    ("panels", "都庁技術者の「確保」 主な取組内容（2 / 2）", "合格者向け（事業説明会・現場見学会・本庁職場見学会）"),
    ("table", "都庁技術者の育成", None),
    ("table", "都庁技術者の「育成」 主な取組内容（1/2） ○ 現場講習会の充実", "現場見学会（職員向け）"),
    ("panels", "都庁技術者の「育成」 主な取組内容（1/2） ○ 現場講習会の充実", "現場見学会（職員向け）"),
    ("panels", "都庁技術者の「育成」 主な取組内容（2/2） ○ ICT・DXを含む先端技術の研修", "技術研修（ICT・DX技術）"),
    ("panels", "都庁技術者の「育成」 主な取組内容（2/2） ○ ICT・DXを含む先端技術の研修", "技術研修（民間技術）"),
    ("table", "都庁技術者の定着", None),
    ("panels", "都庁技術者の「定着」 主な取組内容 (1/4) ○ 異動モデルパターン(1/2)", "構成・職種ごとの整理 (土木)"),
    ("panels", "都庁技術者の「定着」 主な取組内容 (2/4) ○ 異動モデルパターン(2/2)", "職種ごとの整理 (建築)"),
    ("table", "「都庁技術者」の定着 主な取組内容 (3 / 4) ○ 若手技術職員へのアンケート結果 (1 / 2)", None),
    ("panels", "「都庁技術者」の定着 主な取組内容（4/4） ○ 若手技術職員へのアンケート結果（2/2）", None),
]
OVERVIEW_PAGES = {0, 6, 11}
NEXT_YEAR_PAGES = {2, 3, 5, 8, 10, 13, 15}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return load_yaml(EXAMPLE)[0]


@pytest.fixture(scope="module")
def ctx() -> BuildContext:
    return build_context("talent", "talent", label="資料3", meeting_dir=MEETING_DIR)


@pytest.fixture(scope="module")
def slides(document: dict[str, Any], ctx: BuildContext) -> list[SlideBase]:
    return build(TalentContent.model_validate(document), ctx)


def _build(data: dict[str, Any], ctx: BuildContext) -> list[SlideBase]:
    return build(TalentContent.model_validate(data), ctx)


def _cells(slide: SlideBase) -> list[list[str | None]]:
    assert isinstance(slide, TableSlide)
    return [[c.text if isinstance(c, Cell) else c for c in row] for row in slide.table.rows]


def _panel_texts(slide: SlideBase) -> list[str]:
    """Every heading, text, bullet and caption of a panels slide, in order."""
    assert isinstance(slide, PanelsSlide)
    out: list[str] = []
    panels = [*slide.panels, *([slide.footer_panel] if slide.footer_panel else [])]
    for panel in panels:
        out += [t for t in (panel.heading, panel.text) if t]
        for item in panel.items:
            out.append(item.text if isinstance(item, BulletItem) else item)
            if isinstance(item, BulletItem):
                out += [c.text if isinstance(c, BulletItem) else c for c in item.children]
        out += [p.caption for p in panel.photos if p.caption]
    return out


def test_slides_kinds_titles_and_order(slides: list[SlideBase]) -> None:
    assert [(s.kind, s.title, s.subtitle) for s in slides] == EXPECTED


def test_every_slide_carries_its_running_header(slides: list[SlideBase]) -> None:
    for number, slide in enumerate(slides):
        assert slide.header == (OVERVIEW_HEADER if number in OVERVIEW_PAGES else HEADER), number


def test_next_year_panels_close_their_pages(slides: list[SlideBase]) -> None:
    with_next_year = {n for n, s in enumerate(slides)
                      if isinstance(s, PanelsSlide) and s.footer_panel is not None}
    assert with_next_year == NEXT_YEAR_PAGES
    for number in with_next_year:
        assert slides[number].footer_panel.heading == "次年度に向けて"  # type: ignore[attr-defined]
    assert slides[2].footer_panel.items == [  # type: ignore[attr-defined]
        "引き続き、新たな試験制度や奨学金補助などを学生に向けてPR",
        "都庁技術職のやりがいを実感できる職場体験など、新たな取り組みの試行"]


def test_pillar_overviews_number_measures_and_tag_them(slides: list[SlideBase]) -> None:
    assert _cells(slides[0]) == [
        ["① 学生が都政に興味や関心をもつ情報発信の強化", "継続"],
        ["② 経験者採用のPR", "新規"],
        ["③ 技術職の仕事内容や魅力を体感出来る機会の創出", "継続"],
        ["④ 入都試験合格者へのフォロー", "継続"],
    ]
    assert _cells(slides[6])[1] == ["② ICT・DXを含む先端技術の研修", "継続"]
    assert _cells(slides[11]) == [[
        "① 魅力ある職場の構築と若手職員の定着\n・育成ロードマップの作成に寄与するキャリアモデルの整理\n"
        "・若手のニーズ把握のためアンケートを実施", "新規"]]
    assert slides[0].table.header_rows == 0  # type: ignore[attr-defined]


def test_visits_table_sets_this_year_beside_last_year(slides: list[SlideBase]) -> None:
    visits = slides[1]
    assert visits.items == ["**概要** 大学訪問またはWEBにより、都庁の魅力や新たな試験制度をPR"]  # type: ignore[attr-defined]
    assert _cells(visits) == [
        ["R6実績", "[参考: R5実績]"],
        ["大学 (実施済)", "46回 (うちWEB4回)", "大学", "59回 (うちWEB12回)"],
        ["(開催日決定)", "5回", "工業高校", "3回"],
        ["工業高校 (実施済)", "5回", "", ""],
        ["合計", "56回", "合計", "62回"],
    ]
    assert [c.colspan for c in visits.table.rows[0]] == [2, 2]  # type: ignore[attr-defined,union-attr]


def test_promotion_and_events_panels(slides: list[SlideBase]) -> None:
    promo = slides[3]
    assert isinstance(promo, PanelsSlide)
    assert promo.columns == 2
    assert _panel_texts(promo)[:2] == ["就活イベント (対面・WEB)", "5月19日 (日) 「インターンシップ&キャリア発見フェア (東京ビッグサイト)」"]
    assert [p.caption for p in promo.panels[1].photos] == ["土木学会誌広告", "デジタルサイネージ"]
    students, candidates = slides[4], slides[5]
    assert isinstance(students, PanelsSlide) and isinstance(candidates, PanelsSlide)
    assert [p.heading for p in students.panels] == ["1 day仕事体験", "現場見学会", None]
    assert students.panels[0].items == ["開催日：令和6年8月16日（金）", "参加者：理系学生50名"]
    assert students.footer_panel is None
    assert [p.heading for p in candidates.panels] == ["事業説明会", "現場見学会", "本庁職場見学会", None]
    assert candidates.columns == 4
    assert candidates.panels[2].text == "公務員の仕事を内側から見て、入都に対する不安を払拭する"


def test_site_visits_table_and_comments(slides: list[SlideBase]) -> None:
    rows = _cells(slides[7])
    assert rows[0] == ["局", "現場・施設", "受入人数", "開催日"]
    assert rows[4] == ["都市整備局", "品川周辺のまちづくり、泉岳寺駅地区再開発事業", "15名", "1月16日"]
    comments = slides[8].panels[0]  # type: ignore[attr-defined]
    assert comments.heading == "アンケート"
    assert len(comments.items) == 4 and all(i.startswith("✓ ") for i in comments.items)
    assert [p.caption for p in slides[8].panels[1].photos] == [  # type: ignore[attr-defined]
        "森ヶ崎水再生センター", "白丸水力発電所", "朝霞浄水場", "品川周辺のまちづくり"]


def test_courses_put_comments_on_the_last_course(slides: list[SlideBase]) -> None:
    ict, private = slides[9], slides[10]
    assert [p.heading for p in ict.panels] == ["概要", None]  # type: ignore[attr-defined]
    assert [p.heading for p in private.panels] == ["概要", None, "アンケート"]  # type: ignore[attr-defined]
    assert private.panels[0].items[-1].startswith("内容：日本橋川沿いエリア")  # type: ignore[attr-defined]


def test_career_models_show_overview_then_charts(slides: list[SlideBase]) -> None:
    civil, architecture = slides[12], slides[13]
    assert [p.heading for p in civil.panels] == ["概要", "概要版", "詳細版"]  # type: ignore[attr-defined]
    assert civil.panels[2].items == [  # type: ignore[attr-defined]
        "・具体的 (約2年、異動単位) キャリアモデル", "■局間異動の後、原局に戻る場合"]
    assert civil.panels[2].photos[0].caption == "土木職①(案) Uターンタイプ"  # type: ignore[attr-defined]
    assert [p.heading for p in architecture.panels] == ["概要版", "詳細版"]  # type: ignore[attr-defined]


def test_survey_outline_and_questions(slides: list[SlideBase]) -> None:
    outline, results = slides[14], slides[15]
    assert outline.items == ["回答属性"]  # type: ignore[attr-defined]
    rows = _cells(outline)
    assert [r[0] for r in rows] == ["概要", "実施期間", "調査対象", "回答数"]
    assert rows[3][1] == "1,635名(42%の回答率)"
    assert isinstance(results, PanelsSlide) and results.columns == 3
    assert [p.heading for p in results.panels] == [
        "入都前の意識、入都後に感じたこと", "仕事や職場について", "今後のキャリア形成"]
    assert results.panels[2].items == ["管理職", "転職"]


def test_every_photo_is_a_png_under_images_talent(slides: list[SlideBase]) -> None:
    paths = [photo.path for s in slides if isinstance(s, PanelsSlide) for p in s.panels for photo in p.photos]
    assert len(paths) == 22 == len(set(paths))
    assert all(p.startswith("images/talent/") and p.endswith(".png") for p in paths)


def test_question_results_become_child_bullets(document: dict[str, Any], ctx: BuildContext) -> None:
    data = copy.deepcopy(document)
    data["retention"]["survey"]["results"]["groups"][2]["questions"][0]["results"] = ["目指したい 30%"]
    panel = _build(data, ctx)[-1].panels[2]  # type: ignore[attr-defined]
    assert panel.items[0] == BulletItem(text="管理職", children=["目指したい 30%"])


def test_visits_chart_beside_the_table_shows_the_table_figures(slides: list[SlideBase]) -> None:
    visits = slides[1]
    chart = visits.chart  # type: ignore[attr-defined]
    assert chart is not None and chart.type == "stacked" and chart.unit == "回"
    assert chart.categories == ["R6実績", "R5実績"]
    totals = [sum(v or 0 for v in column) for column in zip(*(s.values for s in chart.series))]
    table_totals = [int(c.rstrip("回")) for c in _cells(visits)[-1][1::2]]
    assert totals == table_totals == [56, 62]


SHARES = {"type": "stacked_100", "horizontal": True, "unit": "%", "categories": ["全体"],
          "series": [{"name": "目指したい", "values": [30]}, {"name": "目指したくない", "values": [70]}]}


def test_a_question_with_a_chart_becomes_that_chart(document: dict[str, Any], ctx: BuildContext) -> None:
    data = copy.deepcopy(document)
    data["retention"]["survey"]["results"]["groups"][2]["questions"][0]["chart"] = SHARES
    data["retention"]["survey"]["outline"]["profile"]["chart"] = {**SHARES, "title": "職種別の回答者"}
    slides = _build(data, ctx)
    panel = slides[-1].panels[2]  # type: ignore[attr-defined]
    assert panel.items == ["転職"]
    assert [c.title for c in panel.charts] == ["管理職"]  # titled with the question
    assert slides[-2].chart.title == "職種別の回答者"  # type: ignore[attr-defined]


def test_visits_without_photos_keep_next_year_on_a_panel(document: dict[str, Any], ctx: BuildContext) -> None:
    data = copy.deepcopy(document)
    data["recruitment"]["outreach"]["visits"]["photos"] = []
    slides = _build(data, ctx)
    assert len(slides) == len(EXPECTED)
    assert slides[2].panels[0].heading == "次年度に向けて"  # type: ignore[attr-defined]
    assert slides[2].footer_panel is None  # type: ignore[attr-defined]
    data["recruitment"]["outreach"]["visits"]["next_year"] = []
    assert [s.subtitle for s in _build(data, ctx)[1:3]] == ["大学、工業高校への訪問", "就活イベント、経験者採用のPR"]


def test_plugin_registers_the_talent_material_type() -> None:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(plugin)
    pm.check_pending()
    (types,) = pm.hook.material_types()
    assert [(t.name, t.content_model, t.build) for t in types] == [("talent", TalentContent, build)]


def test_entry_point_names_the_plugin_module() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="council_materials")}
    assert found.get("talent") == "council_talent.plugin"
