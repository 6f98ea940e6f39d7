"""LibreOffice, driven through its UNO API (``uno_deck.py`` under the system Python), reads and edits our
decks as a user would: every slide's title comes from its title placeholder; lengthening a panel's
text keeps it inside the panel; an inserted slide and those after it are numbered right.

Expectations come from the example's layout and from the decks themselves, never from fixed positions.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from council_materials.build import BuildResult
from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.layout.document import LaidOut, layout_bundle
from council_materials.layout.primitives import Box, TextBlock
from council_materials.plugins import get_plugin_manager

from conftest import EXAMPLE, require_client, require_font
from readback import pdf_chars, squash

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("uno_deck.py")


def _uno(*args: str) -> dict | list:
    """Run ``uno_deck.py`` with the system Python (python3-uno); skip, or fail in CI, when it cannot."""
    require_client("soffice")
    require_font()
    found = shutil.which(SYSTEM_PYTHON) and subprocess.run([SYSTEM_PYTHON, "-c", "import uno"],
                                                          capture_output=True).returncode == 0
    if not found:
        message = "python3-uno is not installed for /usr/bin/python3 (scripts/setup.sh --test-clients)"
        if os.environ.get("COUNCIL_REQUIRE_CLIENTS"):
            pytest.fail(message)
        pytest.skip(message)
    out = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), *args], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def laid_out() -> LaidOut:
    bundle, registry = load_bundle(EXAMPLE, get_plugin_manager())
    return layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, EXAMPLE),
                         meeting_dir=EXAMPLE.resolve())


def _title_of(page) -> str:  # type: ignore[no-untyped-def]
    blocks = [item for item in page.items if isinstance(item, TextBlock)]
    block = next((b for b in blocks if b.role == "title"), None) or next(b for b in blocks if b.role == "header")
    return "".join(line.text for line in block.lines)


def test_libreoffice_reads_every_slides_title_from_its_title_placeholder(laid_out: LaidOut,
                                                                          example_build: BuildResult) -> None:
    decks = sorted(p for p in example_build.files if p.suffix == ".pptx")
    documents = [laid_out.cover] + [document for _, document in laid_out.materials]
    assert len(decks) == len(documents) == 8
    read = 0
    for path, document in zip(decks, documents):
        slides = _uno("titles", str(path))
        assert len(slides) == len(document.pages)
        for page, slide in zip(document.pages, slides):
            assert [squash(t) for t in slide["titles"]] == [squash(_title_of(page))], (path.name, page.number)
            read += 1
    assert read == sum(len(d.pages) for d in documents)


def _panel(laid_out: LaidOut) -> tuple[str, int, str, str, Box]:
    """A deck's page with two panels (box, heading band, body text): label, page, the two groups' names
    and the first panel's outer box."""
    for material, document in laid_out.materials:
        for page in document.pages:
            names = []
            for item in page.items:
                group = [i for i in page.items if i.group == item.group]
                if (item.group and item.group.startswith("panel") and item.group not in names
                        and any(isinstance(i, TextBlock) and i.role == "heading" for i in group)
                        and any(isinstance(i, TextBlock) and i.role == "text" and i.name == item.group for i in group)):
                    names.append(item.group)
            if len(names) >= 2 and page.number < len(document.pages):
                outer = max((i for i in page.items if i.group == names[0] and isinstance(i, Box)),
                            key=lambda b: b.rect.w * b.rect.h)
                return material.label, page.number, names[0], names[1], outer
    raise AssertionError("no page with two panels in the example")


def test_edit_lengthened_text_stays_in_its_panel_and_inserted_slides_are_numbered(
        laid_out: LaidOut, example_build: BuildResult, tmp_path: Path) -> None:
    """Lengthen one panel's text by half and another's six-fold (it must shrink to fit), insert a slide
    after the page, set the total once on the master, export: every character of the edited texts is
    inside its panel, and every page shows 「資料N  p / n」 with its own number and the new total."""
    label, number, first, second, outer = _panel(laid_out)
    document = next(d for m, d in laid_out.materials if m.label == label)
    deck = next(p for p in example_build.files if p.suffix == ".pptx" and f"_{label}_" in p.name)
    total = len(document.pages)
    result = _uno("edit", str(deck), str(tmp_path), str(number), f"{first}=1.5,{second}=6", str(number + 1),
                  f"/ {total}", f"/ {total + 1}")
    assert result["slides"] == total + 1 and result["replaced"] >= 1
    edited = {edit["name"]: edit for edit in result["edited"]}
    assert len(squash(edited[first]["after"])) >= 1.45 * len(squash(edited[first]["before"]))
    assert edited[first]["group"] == pytest.approx([outer.rect.x, outer.rect.y, outer.rect.w, outer.rect.h], abs=0.1)

    before, after = pdf_chars(tmp_path / "before.pdf"), pdf_chars(tmp_path / "after.pdf")
    assert len(after) == total + 1
    unchanged = {(c.text, round(c.x0, 1), round(c.baseline, 1)) for c in before[number - 1]}
    page = document.pages[number - 1]
    footer = next(i for i in page.items if isinstance(i, TextBlock) and i.role == "page_number").rect
    moved = [c for c in after[number - 1] if c.text.strip()  # the page number's total aside
             and (c.text, round(c.x0, 1), round(c.baseline, 1)) not in unchanged and not footer.y <= c.baseline]

    def inside(c, name: str) -> bool:  # type: ignore[no-untyped-def]
        x, y, w, h = edited[name]["group"]
        return x - 0.5 <= c.x0 and c.x1 <= x + w + 0.5 and y <= c.baseline - 0.7 * c.size and c.baseline <= y + h

    assert moved and all(inside(c, first) or inside(c, second) for c in moved), [
        (c.text, round(c.x0), round(c.baseline)) for c in moved if not (inside(c, first) or inside(c, second))][:10]
    for name in (first, second):
        shown = [c for c in moved if inside(c, name)]
        added = len(squash(edited[name]["after"])) - len(squash(edited[name]["before"]))
        assert len(shown) >= added, f"{name}: {len(shown)} characters moved or added, {added} typed"
    body = next(i for i in page.items if isinstance(i, TextBlock) and i.name == second and i.group == second)
    assert max(c.size for c in moved if inside(c, second)) < body.size  # six-fold: shrunk to fit its panel

    for page, chars in enumerate(after, 1):
        text = squash("".join(c.text for c in chars))
        assert f"{label}{page}/{total + 1}" in text, f"page {page}"
    assert "挿入したスライド" in squash("".join(c.text for c in after[number]))
