"""The layout says what each item is: roles, groups and list items, checked on the example's pages.

Every renderer relies on these (PowerPoint's title placeholder and layouts, a tagged PDF's structure
and artifacts, the preview), so they are checked here once, without rendering.
"""
from __future__ import annotations

import typing

import pytest

from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.layout.context import LayoutContext
from council_materials.layout.document import LaidOut, layout_bundle
from council_materials.layout.primitives import (DECORATION_ROLES, FRAME_ROLES, Box, Chart, Picture, Role, Rule, Table,
                                                 TextBlock)
from council_materials.models import BulletItem, Theme
from council_materials.plugins import get_plugin_manager
from council_materials.typography.linebreak import LineBreaker

from conftest import EXAMPLE


@pytest.fixture(scope="module")
def laid_out() -> LaidOut:
    bundle, registry = load_bundle(EXAMPLE, get_plugin_manager())
    return layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, EXAMPLE),
                         meeting_dir=EXAMPLE.resolve())


def test_the_roles_named_as_frame_and_decoration_are_roles() -> None:
    roles = set(typing.get_args(Role))
    assert FRAME_ROLES < roles and DECORATION_ROLES < roles
    assert "title" not in DECORATION_ROLES and "figure" not in DECORATION_ROLES


def test_every_material_page_has_its_frame_and_at_most_one_title(laid_out: LaidOut) -> None:
    untitled = 0
    for material, document in laid_out.materials:
        for page in document.pages:
            roles = [item.role for item in page.items]
            where = f"{material.label} p.{page.number}"
            assert {"stamp", "footer", "page_number", "footer_rule"} <= set(roles), where
            stamp = [item for item in page.items if isinstance(item, TextBlock) and item.role == "stamp"]
            assert [block.lines[0].text for block in stamp] == [material.label], where
            number = next(item for item in page.items if isinstance(item, TextBlock) and item.role == "page_number")
            assert number.lines[0].text == f"{material.label}  {page.number} / {len(document.pages)}", where
            assert roles.count("title") <= 1, where  # the frame's title, or a section page's own
            titles = [item for item in page.items if isinstance(item, TextBlock) and item.role == "title"]
            if not titles:  # a slide without a title (資料2 p.2: panels under the running header)
                untitled += 1
                continue
            assert titles[0].lines[0].text and titles[0].size >= 18, where
    assert untitled <= 3


def test_the_cover_has_a_title_on_every_page(laid_out: LaidOut) -> None:
    pages = laid_out.cover.pages
    titles = [[item for item in page.items if isinstance(item, TextBlock) and item.role == "title"] for page in pages]
    assert all(len(found) == 1 for found in titles)
    assert "".join(line.text for line in titles[0][0].lines).startswith("第120回")
    assert any(found[0].lines[0].text.endswith("組織名簿") for found in titles[1:])


def test_items_that_only_draw_are_decoration_and_what_is_read_is_not(laid_out: LaidOut) -> None:
    for page in laid_out.combined.pages:
        for item in page.items:
            if isinstance(item, (Rule, Box)):
                assert item.role in DECORATION_ROLES
            elif isinstance(item, (Picture, Chart)):
                assert item.role == "figure"
            elif isinstance(item, Table):
                assert item.role == "table"


def test_groups_are_contiguous_and_hold_a_card_or_panel_whole(laid_out: LaidOut) -> None:
    grouped_pages = 0
    for page in laid_out.combined.pages:
        seen: list[str] = []
        for item in page.items:
            if item.group and (not seen or seen[-1] != item.group):
                assert item.group not in seen, f"page {page.number}: group {item.group!r} is split"
                seen.append(item.group)
        cards = [item for item in page.items if item.group.startswith(("card ", "panel ", "figure "))]
        if cards:
            grouped_pages += 1
            first = {}
            for item in cards:
                first.setdefault(item.group, item)
            # a card or panel starts with its frame, then what is inside it
            assert all(isinstance(item, Box) for item in first.values()), page.number
    assert grouped_pages >= 10


def test_list_items_begin_with_their_bullet_and_know_their_level(laid_out: LaidOut) -> None:
    bullets = 0
    for page in laid_out.combined.pages:
        for block in page.text_blocks():
            for para in block.paragraphs:
                if para.bullet:
                    bullets += 1
                    assert para.lines[0].text.startswith(para.bullet), (page.number, block.name)
                    assert para.indent_rest > para.indent_first
    assert bullets > 100


def test_nested_bullets_carry_their_level(fonts) -> None:  # type: ignore[no-untyped-def]
    ctx = LayoutContext(theme=Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=EXAMPLE,
                        material="test")
    paras = ctx.bullets([BulletItem(text="親", children=["子", BulletItem(text="子2", children=["孫"])]),
                         "①　自前の記号"])
    assert [(p.bullet, p.level) for p in paras] == [("・", 0), ("◦", 1), ("◦", 1), ("・", 2), ("①　", 0)]
    from council_materials.layout.primitives import Rect
    block = ctx.set_text(paras, Rect(0, 0, 300, 200), role="text", group="g")
    assert [(p.bullet, p.level) for p in block.paragraphs] == [("・", 0), ("◦", 1), ("◦", 1), ("・", 2), ("①　", 0)]
    assert block.group == "g" and block.role == "text"
    assert [p.lines[0].text for p in block.paragraphs] == ["・親", "◦子", "◦子2", "・孫", "①　自前の記号"]
