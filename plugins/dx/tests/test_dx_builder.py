"""The dx builder: the slides it builds from the example content, and the plugin hook."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from council_dx import plugin
from council_dx.builder import build
from council_dx.models import DxContent
from council_materials.loading import load_model
from council_materials import BuildContext
from council_materials.testing import build_context, registered_material_types
from council_materials.models import (
    BulletItem, CardsSlide, ComparisonSlide, PanelsSlide, RoadmapSlide, SlideBase,
)

HERE = Path(__file__).resolve()
EXAMPLE = HERE.parents[3] / "examples" / "council-120" / "content" / "dx.yaml"
SEED = HERE.parents[4] / "shared" / "seeds" / "000_4f56b74c6e25fd5d.txt"
COVERAGE_TOOL = HERE.parents[4] / "shared" / "tools" / "seed_coverage.py"
SEED_LINES = slice(134, 699)  # lines 135-699: 資料1
HEADER = "令和6年度 東京都技術会議 生産性向上・働き方改革部会"


@pytest.fixture(scope="module")
def content() -> DxContent:
    return load_model(DxContent, EXAMPLE)


@pytest.fixture(scope="module")
def ctx() -> BuildContext:
    return build_context("dx", "dx", label="資料1", meeting_dir=EXAMPLE.parents[1])


@pytest.fixture(scope="module")
def slides(content: DxContent, ctx: BuildContext) -> list[SlideBase]:
    return build(content, ctx)


def strings(value: Any) -> list[str]:
    """Every printed string of a dumped slide, in order (paths and alt texts are not printed)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key not in ("kind", "path", "alt") for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_kinds_titles_and_order(slides: list[SlideBase]) -> None:
    assert [(slide.kind, slide.title) for slide in slides] == [
        ("panels", "インフラ整備におけるDX・働き方改革"),
        ("panels", "インフラ整備におけるDX・働き方改革"),
        ("panels", "現状の課題"),
        ("cards", "計画Phase"),
        ("cards", "設計Phase"),
        ("cards", "施工Phase"),
        ("cards", "施工Phase"),
        ("cards", "維持管理Phase"),
        ("cards", "維持管理Phase"),
        ("cards", "維持管理Phase"),
        ("cards", "維持管理Phase"),
        ("panels", "将来像"),
        ("roadmap", "将来像に向けたロードマップ"),
        ("roadmap", "将来像に向けたロードマップ"),
        ("roadmap", "将来像に向けたロードマップ"),
        ("roadmap", "将来像に向けたロードマップ"),
        ("comparison", "働き方改革"),
    ]


def test_every_slide_carries_the_header(slides: list[SlideBase]) -> None:
    assert {slide.header for slide in slides} == {HEADER}


def test_overview_background_keeps_its_marks(slides: list[SlideBase]) -> None:
    background = slides[0]
    assert isinstance(background, PanelsSlide)
    assert background.panels[0].text.splitlines()[0].startswith("◆ 生産年齢人口の減少")
    assert background.footer_panel is not None
    assert background.footer_panel.text.startswith("➡ インフラ整備においても**DXの活用・働き方改革**")


def test_overview_diagram(slides: list[SlideBase]) -> None:
    diagram = slides[1]
    assert isinstance(diagram, PanelsSlide)
    dx, new3k, outcomes = diagram.panels
    assert dx.heading == "DXの活用" and dx.items[0] == "AIの実装"
    assert new3k.heading == "働き方改革 ~新3K + (Plus)~"
    base, plus, result = new3k.items
    assert isinstance(base, BulletItem) and base.text == "新3K"
    assert base.children == ["給与 Kyuuyo", "休暇 Kyuuka", "希望 Kibou"]
    assert isinstance(plus, BulletItem) and plus.children == ["教育 Kyouiku", "環境 Kankyo", "健康 Kenko"]
    assert result == "→ “幸福” Koufuku"
    assert outcomes.heading is None and outcomes.items == ["技術継承", "品質向上", "生産性向上", "安全性向上", "環境配慮"]
    assert diagram.footer_panel is not None
    assert diagram.footer_panel.text.startswith("インフラ整備需要への対応")
    assert diagram.footer_panel.items[0].startswith("計画から設計、施工、維持管理、再構築のサイクル")


def test_phase_pages_have_one_panel_per_phase(slides: list[SlideBase]) -> None:
    issues, vision = slides[2], slides[11]
    for page in (issues, vision):
        assert isinstance(page, PanelsSlide)
        assert [panel.heading for panel in page.panels] == ["計画Phase", "設計Phase", "施工Phase", "維持管理Phase"]
    assert issues.panels[0].items[0] == "必要な**データ収集に時間と手間を要する**。"
    assert len(issues.panels[2].items) == 4
    assert vision.panels[3].items[2] == "**AIが技術継承に寄与**するとともに、非常時には必要な**防災対応をAIが補助**"
    assert issues.notes == []
    assert vision.notes == ["※各Phaseにおける一般的な取組を整理", "※今後の技術開発状況等に応じて適宜変更"]


def test_initiative_cards(slides: list[SlideBase]) -> None:
    cards = [slide for slide in slides if isinstance(slide, CardsSlide)]
    assert [len(slide.cards) for slide in cards] == [2, 2, 2, 1, 2, 2, 2, 2]
    assert [slide.columns for slide in cards] == [2, 2, 2, 1, 2, 2, 2, 2]
    first = cards[0].cards[0]
    assert first.heading == "都市の3Dデジタルマップ化の推進"
    assert [field.label for field in first.fields] == ["①目的：", "②イメージ：", "③効果：", "④現状の課題："]
    assert [photo.caption for photo in first.fields[1].photos] == [
        "3Dデジタルマップの構築例 (都庁周辺)", "3Dデジタルマップの活用イメージ (例) まちの将来像の可視化"]
    assert cards[3].cards[0].heading == "遠隔臨場による施工管理"
    assert cards[-1].cards[1].heading == "デジタル端末を活用した駅消火設備維持管理業務"


def test_card_fields_take_text_or_bullets(slides: list[SlideBase]) -> None:
    ict = slides[5].cards[0]
    assert ict.heading == "工事におけるICTの活用"
    purpose, image, effect, issues = ict.fields
    assert purpose.text == "建設現場の人手不足解消に資する生産性の向上" and purpose.items == []
    assert [photo.caption for photo in image.photos] == ["従来", "従来", "ICT", "ICT"]
    assert effect.text is None and effect.items == ["施工時の安全性の向上", "日当たり施工量の増加及び作業人員の縮減"]
    assert issues.text == "3次元測量、3次元設計の作成費用等が増加"


def test_image_labels_follow_the_content(slides: list[SlideBase]) -> None:
    labels = {card.heading: card.fields[1].label
              for slide in slides if isinstance(slide, CardsSlide) for card in slide.cards}
    assert labels["設計図書等のAI照査（試行）"] == "②照査システムのイメージ："
    assert labels["カメラ・センサー等の活用による道路監視システムの導入"] == "《道路監視システムのイメージ》"
    assert labels["東京みなとDXシステムの構築"] == "②既存システム等の一元化イメージ："


def test_roadmaps_one_per_phase(slides: list[SlideBase]) -> None:
    roadmaps = [slide for slide in slides if isinstance(slide, RoadmapSlide)]
    assert [slide.phase for slide in roadmaps] == ["計画Phase", "設計Phase", "施工Phase", "維持管理Phase"]
    assert all(slide.steps == ["STEP 1", "STEP 2", "STEP 3"] and slide.goal_heading == "実現"
               for slide in roadmaps)
    planning, _, works, upkeep = roadmaps
    assert planning.rows[0].steps == [None, None, None] and planning.rows[0].label == ""
    assert [row.label for row in works.rows] == ["工事情報共有システム", "遠隔臨場", "ICT施工"]
    assert works.rows[1].steps == ["全工事で導入 (工事の一場で活用)", "全工事で導入 (全場で活用可能)", None]
    assert [row.goal for row in upkeep.rows][:2] == ["日常点検や清掃が無人化・自動化", None]
    assert upkeep.rows[3].steps[0] is None
    assert all(slide.notes == ["※各Phaseにおける一般的な取組を整理", "※今後の技術開発状況等に応じて適宜変更"]
               for slide in roadmaps)


def test_work_style_comparison(slides: list[SlideBase]) -> None:
    reform = slides[-1]
    assert isinstance(reform, ComparisonSlide)
    assert (reform.left.heading, reform.right.heading, reform.arrow) == ("現状・課題", "将来像", "ロードマップ")
    assert len(reform.left.items) == 4
    assert reform.right.items[0].splitlines()[1].startswith("・書類に代わり、")


def test_builds_are_repeatable(content: DxContent, ctx: BuildContext, slides: list[SlideBase]) -> None:
    assert build(content, ctx) == slides


def test_material_type_is_registered_through_the_hook() -> None:
    types = registered_material_types(plugin)
    [material] = types
    assert material.name == "dx"
    assert material.content_model is DxContent
    assert material.build is build
    assert "働き方改革" in material.description


@pytest.mark.skipif(not (SEED.exists() and COVERAGE_TOOL.exists()), reason="shared seed not available")
def test_seed_lines_are_all_printed(slides: list[SlideBase], tmp_path: Path) -> None:
    """Every line of the seed's 資料1 is in the slides, compared the way seed_coverage.py does."""
    spec = importlib.util.spec_from_file_location("seed_coverage", COVERAGE_TOOL)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    part = tmp_path / "dx_seed.txt"
    part.write_text("\n".join(SEED.read_text(encoding="utf-8").splitlines()[SEED_LINES]), encoding="utf-8")
    printed = tool.normalise("".join(s for slide in slides for s in strings(slide.model_dump())))
    missing = [line for line in tool.seed_lines(part) if line not in printed]
    # 資料1 is the core's stamp; 現状題 is the seed's garbled 現状・課題 heading.
    assert missing == ["資料1", "現状題"]
