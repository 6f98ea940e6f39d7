"""The international builder: the slides it builds from the example content, and the plugin hook."""
from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from council_international import plugin
from council_international.builder import build
from council_international.models import Content
from council_materials.loading import load_model
from council_materials import BuildContext, hookspecs
from council_materials.testing import build_context, registered_material_types
from council_materials.models import (BulletItem, Cell, ComparisonSlide,
                                      EventReportSlide, FiguresSlide, PanelsSlide, SectionSlide, SlideBase, TableSlide)

HERE = Path(__file__).resolve()
EXAMPLE = HERE.parents[3] / "examples" / "council-120" / "content" / "international.yaml"
SEED = HERE.parents[4] / "shared" / "seeds" / "000_4f56b74c6e25fd5d.txt"
COVERAGE_TOOL = HERE.parents[4] / "shared" / "tools" / "seed_coverage.py"
SEED_LINES = slice(699, 1267)  # lines 700-1267: 資料2
GROUP = "令和6年度 東京都技術会議 国際発信力強化部会"
KNOWLEDGE = f"{GROUP} これまでの取組に関する知見の集積と活用"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_model(Content, EXAMPLE)


@pytest.fixture(scope="module")
def ctx() -> BuildContext:
    return build_context("international", "international", label="資料2", meeting_dir=EXAMPLE.parents[1])


@pytest.fixture(scope="module")
def slides(content: Content, ctx: BuildContext) -> list[SlideBase]:
    return build(content, ctx)


def test_international_kinds_titles_and_order(slides: list[SlideBase]) -> None:
    assert [(slide.kind, slide.title) for slide in slides] == [
        ("section", "国際発信力強化部会"),
        ("panels", None),
        ("figures", None),
        ("event_report", "① 国際ネットワークを活用した発信の強化 <国際会議でのプレゼン、ブース出展>"),
        ("event_report", "① 国際ネットワークを活用した発信の強化 <開発途上国への技術支援・協力>"),
        ("event_report", "② 戦略的な広報の推進 <海外向けSNSによる発信、PRペーパーの活用>"),
        ("event_report", "○ 国際イベントを活用した交流の拡大 <SusHi Tech Tokyoなどの国際イベントと連携>"),
        ("event_report", "○ 海外技術者等との交流① <海外主要都市への渡航調査、海外技術者との意見交換等の実施>"),
        ("event_report", "○ 海外技術者等との交流② <海外主要都市への渡航調査、海外技術者との意見交換等の実施>"),
        ("table", "○ 海外交流データベースの構築"),
        ("panels", "○ 海外交流データベースの構築"),
        ("panels", "○ PUB (シンガポール公益事業庁) との相互交流【水道局・下水道局】"),
        ("comparison", "○先進事例調査を踏まえた施策への反映【都市整備局】"),
        ("panels", "○ニューヨーク市との基本合意書(MoU)締結に基づく二都市間交流の展開【政策企画局・技術系各局】"),
        ("panels", "○ニューヨーク市との基本合意書(MoU)締結に基づく二都市間交流の展開【政策企画局・技術系各局】"),
        ("event_report", "○ニューヨーク市との基本合意書(MoU)締結に基づく相互の技術交流【水道局・下水道局】"),
    ]


def test_international_headers_are_the_seed_running_lines(slides: list[SlideBase]) -> None:
    assert slides[0].header is None
    assert [slide.header for slide in slides[1:]] == [
        f"{GROUP} まちづくりやインフラ分野における国際発信力の強化",
        f"{GROUP} まちづくりやインフラ分野における国際発信力の強化",
        *[f"{GROUP} (1) 東京都の技術やノウハウを世界各都市に発信"] * 3,
        f"{GROUP} (2) 国際ネットワークを活用した発信の強化",
        *[f"{GROUP} (3) 海外主要都市との技術交流"] * 2,
        *[KNOWLEDGE] * 7,
    ]


def test_international_cover(slides: list[SlideBase]) -> None:
    cover = slides[0]
    assert isinstance(cover, SectionSlide)
    assert cover.lines == ["令和6年度 東京都技術会議"]


def test_international_purpose_pillars_and_secretariat(slides: list[SlideBase]) -> None:
    overview = slides[1]
    assert isinstance(overview, PanelsSlide)
    purpose, pillars = overview.panels
    assert purpose.heading == "【目的】"
    assert len(purpose.text.splitlines()) == 2
    assert purpose.text.startswith("コロナ禍を経て都市に求められる機能")
    assert overview.footer_panel is not None
    assert (overview.footer_panel.heading, overview.footer_panel.text) == ("【事務局】", "下水道局、水道局")

    assert pillars.heading is None
    first, second, third, knowledge = pillars.items
    assert isinstance(first, BulletItem) and first.text == "(1) 東京都の技術やノウハウを世界各都市に発信"
    spread = first.children[0]
    assert isinstance(spread, BulletItem) and spread.text == "① 国際ネットワークを活用した発信の強化"
    assert spread.children == ["国際会議でのプレゼン、ブース出展 実施：15都市", "開発途上国への技術支援・協力 実施：2都市"]
    assert isinstance(second, BulletItem) and second.text == "(2) 国際ネットワークを活用した交流"
    assert isinstance(third, BulletItem)
    exchange = third.children[0]
    assert isinstance(exchange, BulletItem)
    assert exchange.children[-1] == "渡航：99都市　受入：45都市　協定：4都市"
    assert isinstance(knowledge, BulletItem) and knowledge.text == "※これまでの取組に関する知見の集積と活用"
    assert knowledge.children == ["・新技術等の知見を集積し、分野別にデータベース化", "・知見等を活用した施策について評価"]


def test_international_key_figures(slides: list[SlideBase]) -> None:
    figures = slides[2]
    assert isinstance(figures, FiguresSlide)
    assert figures.items == []
    assert [(f.label, f.value, f.unit) for f in figures.figures] == [
        ("実施", "15", "都市"), ("実施", "2", "都市"),
        ("渡航", "99", "都市"), ("受入", "45", "都市"), ("協定", "4", "都市"),
    ]
    assert figures.figures[0].note == "国際会議でのプレゼン、ブース出展"
    assert figures.figures[2].note == "① 海外技術者等との交流"
    assert figures.notes == ["注：各取組の実績都市数は、延べ数を記載。重複を含む"]


def test_international_event_reports(slides: list[SlideBase]) -> None:
    reports = [slide for slide in slides if isinstance(slide, EventReportSlide)]
    assert [len(report.events) for report in reports] == [2, 2, 2, 2, 2, 2, 1]
    assert [len(report.overview) for report in reports] == [1, 2, 1, 2, 2, 2, 1]
    crisis = reports[0].events[0]
    assert (crisis.name, crisis.owner, crisis.period_label, crisis.period, crisis.place) == (
        "危機管理会議2024", "建設局", "会期", "令和6年5月28日～31日", "インドネシア(ジャカルタ)")
    assert [photo.caption for photo in crisis.photos] == ["[会議でのプレゼンの様子]"]
    ahmedabad = reports[1].events[0]
    assert ahmedabad.period_label == "日程" and ahmedabad.owner == "水道局"
    assert ahmedabad.name == "**アーメダバード市公社への技術協力**(関係強化・連携促進に向けた現地調査)"
    assert reports[1].next_year.splitlines()[1].startswith("ウランバートル市：")
    sns = reports[2].events[0]
    assert sns.period is None and sns.place is None
    assert sns.results[0].startswith("閲覧者より、")
    assert [len(event.photos) for report in reports for event in report.events] == [
        1, 2, 2, 2, 2, 1, 1, 3, 2, 2, 2, 2, 4]
    new_york = reports[-1].events[0]
    assert new_york.owner == "水道局・下水道局"
    session = new_york.activities[0]
    assert isinstance(session, BulletItem)
    assert session.children == ["・雨水管理", "・気候変動による飲料水供給等の影響及び環境対策", "・デジタル技術", "・危機管理"]
    assert new_york.results[-1] == "次回の開催について調整していくことを確認（東京開催予定）"
    assert reports[-1].next_year is None
    assert reports[3].next_year.endswith("「SusHi Tech Tokyo2025」に向けPRを進めていく")


def test_international_database_search_screen(slides: list[SlideBase]) -> None:
    table, panels = slides[9], slides[10]
    assert isinstance(table, TableSlide) and isinstance(panels, PanelsSlide)
    overview, contents = table.items
    assert isinstance(overview, BulletItem) and overview.text == "概要" and len(overview.children) == 2
    assert isinstance(contents, BulletItem) and contents.text == "【データベースの主な内容】"
    assert contents.children[0] == "取組分類（技術発信、技術調査、技術共有等）" and len(contents.children) == 6
    assert table.caption == "実施内容"
    rows = table.table.rows
    assert rows[0] == ["検索画面", "対象DB"]
    assert rows[1:5] == [
        ["「渡航（予定）都市名」を選択する。⇒", "①海外渡航 ニューヨーク"],
        ["「取組分類」のカテゴリ名を選択する。⇒", "②都が海外技術を調査"],
        ["「技術分類」のカテゴリ名を選択する。⇒", "②環境"],
        ["追加検索: 検索用のキーワードを自由に入力する。⇒", "DX"],
    ]
    assert rows[5] == [Cell(text="実行!", colspan=2, align="right")]
    assert table.table.header_rows == 1
    assert panels.columns == 2
    assert [panel.heading for panel in panels.panels] == ["活用・効果", "○ 東京都からの海外渡航状況（令和4～6年度）"]
    assert [len(panel.items) for panel in panels.panels] == [4, 0]
    assert panels.panels[1].photos[0].path == "images/international/travel-status-map.png"


def test_international_pub_exchange(slides: list[SlideBase]) -> None:
    pub = slides[11]
    assert isinstance(pub, PanelsSlide)
    assert pub.columns == 4
    assert [(panel.heading, panel.text) for panel in pub.panels] == [
        ("○ 先進事例調査 (R5.12) (膜分離活性汚泥法)", "都が海外技術を調査"),
        ("○ シンガポール国際水週間 2024 (R6.6)", "都が技術を発信"),
        ("○ PUB職員来日対応 (R6.7)", "相互の技術共有"),
        ("○ PUBとの技術交流 (R7.1)", "相互の技術共有"),
    ]
    assert all(len(panel.photos) == 1 for panel in pub.panels)
    assert pub.footer_panel is not None
    assert pub.footer_panel.text == "これまでの相互交流のさらなる発展を目指し、PUBとのMoU締結について調整を行っていく"


def test_international_policy_reflection(slides: list[SlideBase]) -> None:
    reflection = slides[12]
    assert isinstance(reflection, ComparisonSlide)
    assert reflection.arrow == "施策への反映"
    left, right = reflection.left, reflection.right
    assert left.heading == "都が海外技術を調査"
    assert left.text.splitlines() == ["○調査先：米国(ポートランド市、ニューヨーク市)(R5.10)",
                                      "調査テーマ：気候変動を踏まえた豪雨に対する取組に関する調査"]
    [findings] = left.items
    assert isinstance(findings, BulletItem) and findings.text == "○調査によって得られた知見："
    assert findings.children[0] == "・NYでは水害対策は「共有の責任」であり、**広報の強化や規制の仕組みづくり**が必要"
    assert len(left.photos) == 4 and len(right.photos) == 3
    assert right.heading == "○施策への反映状況："
    policy, pilot = right.items
    assert isinstance(policy, BulletItem) and policy.text == "**東京都豪雨対策基本方針改定**"
    assert isinstance(policy, BulletItem) and policy.children[0] == "✓ 雨水流出抑制の取組への支援を充実"
    assert isinstance(pilot, BulletItem) and len(pilot.children) == 2


def test_international_new_york_agreement(slides: list[SlideBase]) -> None:
    areas, exchange = slides[13], slides[14]
    assert isinstance(areas, PanelsSlide) and isinstance(exchange, PanelsSlide)
    assert areas.columns == 3 and areas.footer_panel is None
    assert [panel.heading for panel in areas.panels] == [
        "○ニューヨーク市とのMoU締結 (R6.11.11)",
        "1 最適な建設施工の実現",
        "2 強靱で持続可能な技術（建設資材の技術革新を含む）",
        "3 インフラの高度な維持管理と更新",
        "4 都市交通の高度化",
        "5 水管理の成功事例",
    ]
    assert [len(panel.items) for panel in areas.panels] == [2, 2, 2, 3, 2, 1]
    assert areas.panels[0].photos[0].caption == "NY市とのMOU締結"
    [visit] = exchange.panels
    assert (visit.heading, visit.text) == ("○NY市環境保護局との技術交流 (R6.11)", "相互の技術共有")
    assert [photo.caption for photo in visit.photos] == ["[NY市との意見交換]", "[下水処理場の視察]"]
    assert exchange.footer_panel is not None
    assert exchange.footer_panel.text.startswith("今後、協力分野ごとに部会を設置し")


def test_international_agreement_without_exchanges_is_one_slide(content: Content, ctx: BuildContext) -> None:
    pages = list(content.pages)
    pages[9] = pages[9].model_copy(update={"exchanges": []})
    slides = build(content.model_copy(update={"pages": pages}), ctx)
    assert len(slides) == 15
    areas = slides[13]
    assert isinstance(areas, PanelsSlide) and areas.footer_panel is not None
    assert areas.footer_panel.text.startswith("今後、協力分野ごとに部会を設置し")


def test_international_overview_without_counts_has_no_figures(content: Content, ctx: BuildContext) -> None:
    data = content.model_dump()
    for pillar in data["overview"]["pillars"]:
        for measure in pillar["measures"]:
            measure["counts"] = []
            measure["activities"] = [a if isinstance(a, str) else a["text"] for a in measure["activities"]]
    slides = build(Content.model_validate(data), ctx)
    assert [slide.kind for slide in slides[:3]] == ["section", "panels", "event_report"]
    pillars = slides[1].panels[1].items
    assert pillars[0].children[0].children == ["国際会議でのプレゼン、ブース出展", "開発途上国への技術支援・協力"]


def test_international_builds_are_repeatable(content: Content, ctx: BuildContext,
                                             slides: list[SlideBase]) -> None:
    assert build(content, ctx) == slides


def test_international_material_type_is_registered_through_the_hook() -> None:
    types = registered_material_types(plugin)
    [material] = types
    assert material.name == "international"
    assert material.content_model is Content
    assert material.build is build
    assert "国際発信力" in material.description


def test_international_entry_point_names_the_plugin_module() -> None:
    points = importlib.metadata.entry_points(group=hookspecs.PROJECT)
    [point] = [p for p in points if p.name == "international"]
    assert point.value == "council_international.plugin"
    assert point.load() is plugin


OWN_MARKS = "・✓○※"
"""Leading characters the layout keeps as a bullet's own mark instead of drawing one."""


def printed_lines(value: Any, key: str = "") -> list[str]:
    """The text lines of a dumped slide as the layout prints them.

    Bullets get the layout's marker unless their text brings its own; an event prints
    ▶ name【owner】, <会期/日程>, <場所>, <取組> and <成果> around its fields. Paths, alt
    texts and options are not printed.
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        if key in BULLET_LISTS:
            return bullet_lines(value)
        return [line for item in value for line in printed_lines(item, key)]
    if isinstance(value, dict):
        lines = [line for name, item in value.items() if name not in ("kind", "path", "alt", "align")
                 for line in printed_lines(item, name)]
        if "activities" in value:  # an event
            lines += [f"▶ {value['name']}【{value['owner']}】", f"<{value['period_label']}> {value['period']}",
                      f"<場所> {value['place']}", "<取組>", "<成果>"]
        return lines
    return []


def bullet_lines(items: list[Any], level: int = 0) -> list[str]:
    """Nested bullets with the layout's markers: ・ at the top level, ◦ below it, ・ deeper."""
    lines = []
    for item in items:
        text = item if isinstance(item, str) else item["text"]
        lines.append(text if text[:1] in OWN_MARKS else ("◦" if level == 1 else "・") + text)
        if isinstance(item, dict):
            lines.extend(bullet_lines(item["children"], level + 1))
    return lines


BULLET_LISTS = {"items", "overview", "activities", "results"}


@pytest.mark.skipif(not (SEED.exists() and COVERAGE_TOOL.exists()), reason="shared seed not available")
def test_international_seed_lines_are_all_printed(slides: list[SlideBase], tmp_path: Path) -> None:
    """Every line of the seed's 資料2 is in the slides, compared the way seed_coverage.py does."""
    spec = importlib.util.spec_from_file_location("seed_coverage", COVERAGE_TOOL)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    part = tmp_path / "international_seed.txt"
    part.write_text("\n".join(SEED.read_text(encoding="utf-8").splitlines()[SEED_LINES]), encoding="utf-8")
    printed = tool.normalise("\n".join(line for slide in slides for line in printed_lines(slide.model_dump())))
    missing = [line for line in tool.seed_lines(part) if line not in printed]
    # Typos fixed in the content (日本使館 → 日本大使館, スtockホルム → ストックホルム), and the
    # seed's ✓ line that continues the sentence of the one before it, joined to it.
    assert len(missing) == 3
    assert missing[0].startswith("下水道管の維持管理・更新に関する人材育成事業") and "日本使館" in missing[0]
    assert missing[1:] == ["<場所>スtockホルム(スウェーデン)", "✓公共用地において先行的に取組を実施"]
