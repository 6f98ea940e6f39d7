"""`council preview` in a real browser (Debian's Chromium through Playwright): every page of the example
shows, each character where the PDF puts it; a save updates the page in place; problems show where they
happen, with the lines `council validate` prints, and go when the file is fixed."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from council_materials.build import BuildResult
from council_materials.pipeline import read_inputs
from council_materials.layout.context import Overflow
from council_materials.layout.document import layout_part
from council_materials.plugins import get_plugin_manager
from council_materials.typography.linebreak import LineBreaker
from council_materials.pipeline import validate_meeting

from browser import CHARS_JS, CHROMIUM, Preview, launch
from conftest import EXAMPLE, require_client
from readback import pdf_chars

SHOWN = ("() => document.fonts.status === 'loaded' && document.querySelector('.part') &&"
         " !document.querySelector('p.pending')")
GROWN = "✓ 海外で得た知見や人脈を都の施策立案に反映するとともに、グローバルに活躍することで都のプレゼンスを向上"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_client(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    """A copy of the example to edit."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "council-120"))


def _open(browser: Any, preview: Preview, height: int = 900) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(preview.url)
    page.wait_for_function(SHOWN, timeout=30_000)
    return page


def _edit(page: Any, path: Path, text: str) -> None:
    """Save ``text`` into ``path`` and wait until the browser has applied the update."""
    shown = page.evaluate("() => Number(document.documentElement.dataset.revision)")
    path.write_text(text, encoding="utf-8")
    page.wait_for_function(f"() => Number(document.documentElement.dataset.revision) > {shown}", timeout=20_000)
    page.wait_for_function(SHOWN, timeout=20_000)


def _validate(meeting: Path) -> list[str]:
    return [line for error in validate_meeting(meeting, get_plugin_manager()) for line in error.lines()]


def _where_the_pdf_puts_them(drawn: list, expected: list) -> tuple[float, int]:
    """Match every character the browser drew to the same character on the PDF's page, nearest first; each
    must start, end and sit on its baseline within 1 pt of it. The worst distance and the count."""
    worst, count = 0.0, 0
    for (dom_id, chars), pdf in zip(drawn, expected):
        pool: dict[str, list] = {}
        for char in pdf:
            if char.text.strip():
                pool.setdefault(char.text, []).append(char)
        assert len(chars) == sum(len(v) for v in pool.values()), f"{dom_id}: not the PDF's characters"
        for text, x0, x1, baseline in chars:
            assert pool.get(text), f"{dom_id}: {text!r} is not on the PDF's page"
            nearest = min(pool[text], key=lambda c: abs(c.x0 - x0) + abs(c.baseline - baseline))
            pool[text].remove(nearest)
            off = max(abs(nearest.x0 - x0), abs(nearest.x1 - x1), abs(nearest.baseline - baseline))
            assert off <= 1.0, f"{dom_id}: {text!r} drawn at ({x0:.2f}–{x1:.2f}, {baseline:.2f}), " \
                               f"the PDF has ({nearest.x0:.2f}–{nearest.x1:.2f}, {nearest.baseline:.2f})"
            worst, count = max(worst, off), count + 1
    return worst, count


def test_every_page_of_the_example_shows_each_character_where_the_pdf_puts_it(browser: Any,
                                                                                example_build: BuildResult) -> None:
    combined = next(path for path in example_build.files if path.name.endswith("資料一式.pdf"))
    with Preview(EXAMPLE) as preview:
        page = _open(browser, preview)
        drawn = page.evaluate(CHARS_JS, ".sheet-wrap")
        loaded = page.evaluate("() => performance.getEntriesByType('resource').filter(e => e.responseStatus === 200)"
                               ".map(e => new URL(e.name).pathname + new URL(e.name).search)")
        hrefs = page.evaluate("() => [...document.querySelectorAll('svg.sheet image')].map(e => e.getAttribute('href'))")
        toc = page.locator("#toc .page-links a").count()
    expected = pdf_chars(combined)
    assert len(drawn) == len(expected) == example_build.pages == toc == 56
    assert drawn[0][0] == "p-cover-1" and drawn[2][0] == "p-dx-1"
    worst, count = _where_the_pdf_puts_them(drawn, expected)
    assert count > 20_000 and worst < 0.1  # in fact a few hundredths of a point: the same font, the same advances
    assert len(hrefs) > 40 and set(hrefs) <= set(loaded), "a picture did not load"
    assert {"/fonts/regular", "/fonts/bold"} <= {url.split("?")[0] for url in loaded}


def test_hovering_a_page_shows_its_material_file_and_slide(browser: Any) -> None:
    with Preview(EXAMPLE) as preview:
        page = _open(browser, preview)
        label = page.locator("#p-themes-r7-1 .where")
        assert not label.is_visible()
        page.locator("#p-themes-r7-1 .page").hover()
        assert label.is_visible()
        assert label.inner_text() == "資料4 令和7年度検討テーマ（案）について · content/themes-r7.yaml · slides[0] (4行目) · 1頁"
        page.locator("#p-dx-3 .page").hover()
        assert page.locator("#p-dx-3 .where").inner_text() == \
            "資料1 DX・AIの活用と建設業等の働き方改革に向けた取組 · content/dx.yaml · 3頁 (plugin dx)"


def test_a_save_updates_only_what_changed_in_place_and_keeps_the_scroll(browser: Any, meeting: Path) -> None:
    themes = meeting / "content" / "themes-r7.yaml"
    with Preview(meeting) as preview:
        page = _open(browser, preview)
        page.evaluate("() => { window.notReloaded = true; document.getElementById('p-dx-3').dataset.probe = 'kept'; }")
        page.locator("#p-global-talent-1").scroll_into_view_if_needed()
        page.mouse.wheel(0, 120)
        page.wait_for_timeout(300)
        before = page.evaluate("() => document.getElementById('p-global-talent-1').getBoundingClientRect().top")
        added = "  - kind: bullets\n    title: 追加した頁\n    items: [保存すると画面に出る]\n"
        _edit(page, themes, themes.read_text(encoding="utf-8") + added)
        assert page.evaluate("() => window.notReloaded === true")  # no reload: the page applied the update itself
        assert page.evaluate("() => document.getElementById('p-dx-3').dataset.probe") == "kept"  # not replaced
        assert page.locator("#p-themes-r7-2 svg text", has_text="保存すると画面に出る").count() == 1
        after = page.evaluate("() => document.getElementById('p-global-talent-1').getBoundingClientRect().top")
        assert abs(after - before) <= 1  # 資料4 grew by a page above it; what was in view stayed in view
        assert page.locator("#toc li", has_text="資料4").locator(".page-links a").count() == 2
        assert page.locator("#p-themes-r7-1 svg text", has_text="資料4  1 / 2").count() == 1


def test_an_overflow_shows_at_its_box_with_its_location_and_goes_when_fixed(browser: Any, meeting: Path) -> None:
    talent = meeting / "content" / "global-talent.yaml"
    original = talent.read_text(encoding="utf-8")
    with Preview(meeting) as preview:
        page = _open(browser, preview)
        assert page.locator(".mark").count() == 0
        _edit(page, talent, original.replace(GROWN, GROWN * 9))
        marks = page.locator("#p-global-talent-1 .mark.overflow")
        assert marks.count() == 2
        lines = [marks.nth(i).get_attribute("data-line") for i in range(2)]
        assert lines[0] == _validate(meeting)[0]  # validate names the first; the preview shows both
        assert [line.split(": ")[0].rsplit("/", 2)[-2:] for line in lines] == [["content", "global-talent.yaml:4:5"]] * 2
        assert "box 'panel 1'" in lines[0] and "box 'panel 3'" in lines[1]
        inputs, _ = read_inputs(meeting, get_plugin_manager())
        assert inputs is not None
        material = next(m for m in inputs.materials if m.id == "global-talent")
        overflows: list[Overflow] = []
        layout_part(material, bundle=inputs.bundle, registry=inputs.registry, fonts=inputs.fonts,
                    breaker=LineBreaker(inputs.fonts), meeting_dir=inputs.meeting_dir, draft=True, overflows=overflows)
        over = overflows[0].error.needed - overflows[0].error.available  # by how much, as the layout says
        assert over > 1
        tag = page.locator("#p-global-talent-1 .tag").first
        assert tag.is_visible() and tag.inner_text().startswith(f"はみ出し {over:.1f} pt content/global-talent.yaml:4:5: slides[0]")
        sheet = page.locator("#p-global-talent-1 svg.sheet").bounding_box()
        box = marks.first.bounding_box()
        pt = 96 / 72  # CSS pixels per point at 100 %
        assert [(box["x"] - sheet["x"]) / pt, (box["y"] - sheet["y"]) / pt, box["width"] / pt, box["height"] / pt] == \
            pytest.approx([overflows[0].rect.x, overflows[0].rect.y, overflows[0].rect.w, overflows[0].rect.h], abs=0.5)
        assert page.locator("#toc li.has-problems", has_text="資料5").count() == 1
        _edit(page, talent, original)
        assert page.locator(".mark").count() == 0 and page.locator("#toc li.has-problems").count() == 0


def test_a_file_that_cannot_be_read_shows_its_errors_on_its_material_until_fixed(browser: Any, meeting: Path) -> None:
    scholarship = meeting / "content" / "scholarship.yaml"
    original = scholarship.read_text(encoding="utf-8")
    with Preview(meeting) as preview:
        page = _open(browser, preview)
        _edit(page, scholarship, original.replace("header_rows: 1", "header_rows: one").replace("caption:", "captoin:"))
        shown = page.locator("#part-scholarship .part-problems li").all_inner_texts()
        assert shown == _validate(meeting) and len(shown) == 2
        assert page.locator("#part-scholarship.stale .sheet-wrap").count() == 1  # the last good page, dimmed
        assert page.locator("#part-scholarship p.stale").is_visible()
        assert page.locator(".part-problems").count() == 1  # nowhere else
        _edit(page, scholarship, original)
        assert page.locator(".part-problems").count() == 0 and page.locator(".part.stale").count() == 0


def test_a_materials_standalone_html_shows_each_character_where_its_pdf_puts_it(browser: Any, tmp_path: Path,
                                                                                  example_build: BuildResult) -> None:
    from council_materials.render.html_file import render_html

    inputs, _ = read_inputs(EXAMPLE, get_plugin_manager())
    assert inputs is not None
    material = next(m for m in inputs.materials if m.id == "international")
    document = layout_part(material, bundle=inputs.bundle, registry=inputs.registry, fonts=inputs.fonts,
                           breaker=LineBreaker(inputs.fonts), meeting_dir=inputs.meeting_dir)
    render_html(document, tmp_path / "international.html")
    page = browser.new_page()
    page.goto((tmp_path / "international.html").as_uri())
    page.wait_for_function("() => document.fonts.status === 'loaded' && document.fonts.size === 2")
    drawn = page.evaluate(CHARS_JS, "section.page")
    pictures = page.evaluate("() => [...document.querySelectorAll('image')].map(e => e.getBBox().width > 0)")
    page.close()
    pdf = next(path for path in example_build.files if path.name.startswith("02_資料2") and path.suffix == ".pdf")
    expected = pdf_chars(pdf)
    assert len(drawn) == len(expected) == len(document.pages) == 16
    worst, count = _where_the_pdf_puts_them(drawn, expected)
    assert count > 5_000 and worst < 0.1  # the embedded subsets keep the faces' advances
    assert len(pictures) > 20 and all(pictures)
