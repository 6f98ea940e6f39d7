"""Large but valid inputs still build: a 500-page material, a roster of 200 people."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pptx import Presentation

from council_materials.build import build
from council_materials.plugins import get_plugin_manager

from meetings import MEETING, write_meeting
from readback import pptx_shapes


def _pm():
    return get_plugin_manager(load_entrypoints=False)


def test_a_material_of_500_pages(tmp_path: Path) -> None:
    slide = ("  - kind: bullets\n    title: 第{n}ページ\n    items:\n"
             "      - インフラ整備におけるDXの活用と働き方改革により、生産性・安全性・品質の向上を図る（{n}）\n"
             "      - text: 技術継承と環境配慮\n        children: [データの一元管理, 履歴情報の管理]\n")
    plan = "slides:\n" + "".join(slide.format(n=n) for n in range(1, 501))
    root = write_meeting(tmp_path, plan=plan)
    result = build(root, tmp_path / "out", _pm())
    pdf = next(p for p in result.files if p.name.startswith("01_") and p.suffix == ".pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 500
    assert "第500ページ" in reader.pages[499].extract_text()
    assert "500 / 500" in reader.pages[499].extract_text()
    assert len(Presentation(str(pdf.with_suffix(".pptx"))).slides) == 500


def test_a_roster_of_200_people_continues_over_pages(tmp_path: Path) -> None:
    people = "".join(f"  - {{post: 第{n}部長, name: 委員 {n:03d}, specialty: 土木}}\n" for n in range(1, 200))
    root = write_meeting(tmp_path)
    (root / "roster.yaml").write_text(
        "chair: {post: 座長職, name: 山田 太郎, specialty: 土木}\nmembers:\n" + people, encoding="utf-8")
    result = build(root, tmp_path / "out", _pm())
    cover = PdfReader(next(p for p in result.files if p.name == "00_会議次第.pdf"))
    assert len(cover.pages) >= 6
    text = "".join(page.extract_text() for page in cover.pages)
    for n in (1, 100, 199):
        assert f"委員 {n:03d}" in text
    assert text.count("東京都技術会議組織名簿") == len(cover.pages) - 1  # the title on every roster page


def test_forty_materials_continue_the_cover_sheet_list_overleaf(tmp_path: Path) -> None:
    entries = "".join(f"  - id: m{n}\n    title: 第{n}の資料（令和7年度の取組と今後の展開について）\n    source: slides\n"
                      f"    content: plan.yaml\n" for n in range(1, 41))
    meeting = MEETING.split("materials:\n  - id: plan")[0] + "materials:\n" + entries
    root = write_meeting(tmp_path, meeting=meeting.replace("materials: [plan]", "materials: [m1]"))
    result = build(root, tmp_path / "out", _pm())
    cover = PdfReader(next(p for p in result.files if p.name == "00_会議次第.pdf"))
    text = "".join(page.extract_text() for page in cover.pages)
    assert "【資料】（続き）" in text and "資料40" in text.replace(" ", "")
    assert len(cover.pages) == 3  # agenda and list, the list continued, the roster


def test_a_40_megapixel_photo_is_downscaled_and_builds(tmp_path: Path) -> None:
    from PIL import Image

    root = write_meeting(tmp_path, plan="slides:\n  - kind: image\n    title: 大きな写真\n    photos:\n"
                                        "      - {path: big.jpg, caption: 4000万画素}\n")
    Image.new("RGB", (7300, 5480), (90, 140, 200)).save(root / "big.jpg", quality=80)
    result = build(root, tmp_path / "out", _pm())
    pdf = next(p for p in result.files if p.name.startswith("01_") and p.suffix == ".pdf")
    assert pdf.stat().st_size < 2_000_000  # the page needs about 200 dpi, not 40 megapixels
    deck = Presentation(str(pdf.with_suffix(".pptx")))
    picture = next(s for s in pptx_shapes(deck.slides[0].shapes) if s.shape_type == 13)  # in its photo card
    assert picture.image.size[0] < 3000
