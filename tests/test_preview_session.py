"""The preview's session, without a browser: parts laid out once and again only when changed, every problem
placed where it happens with the very line `council validate` prints, and cleared once the file is fixed."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from council_materials import MaterialType, SlideKind
from council_materials.layout import document as layout_document
from council_materials.models import BulletsSlide, StrictModel
from council_materials.plugins import get_plugin_manager
from council_materials.preview.session import PreviewSession
from council_materials.pipeline import validate_meeting

from meetings import MEETING, PLAN, write_meeting
from test_plugins import BannerSlide, plugin

LONG = "東京都技術会議では、DX・AIの活用と建設業等の働き方改革に向けた取組を各局が連携して推進している。" * 3
OVERFLOWING = PLAN.replace("      - 一つ目の項目\n", "".join(f"      - {LONG}{i}\n" for i in range(12))) \
    + "  - kind: bullets\n    title: 三頁目\n    items:\n" + "".join(f"      - 三{LONG}{i}\n" for i in range(12))


def _validate_lines(root: Path, pm) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for error in validate_meeting(root, pm) for line in error.lines()]


def _session(root: Path, pm) -> PreviewSession:  # type: ignore[no-untyped-def]
    session = PreviewSession(root, pm)
    session.refresh()
    return session


def _part(session: PreviewSession, pid: str):  # type: ignore[no-untyped-def]
    return next(part for part in session.snapshot.parts if part.id == pid)


def test_every_part_is_laid_out_and_drawn_page_by_page(tmp_path: Path, pm) -> None:
    root = write_meeting(tmp_path)
    told = []
    session = PreviewSession(root, pm, on_change=told.append)
    assert session.refresh() == ["cover", "plan"]
    snapshot = session.snapshot
    assert [(p.id, p.label, p.title) for p in snapshot.parts] == [("cover", "会議次第", "第5回 テスト会議"),
                                                                 ("plan", "資料1", "計画について")]
    assert [len(p.pages) for p in snapshot.parts] == [2, 2] and snapshot.problems == ()
    assert not any(p.pending or p.stale or p.problems or p.marks for p in snapshot.parts)
    assert told[-1] is snapshot and snapshot.revision == len(told)  # the frame first, then part by part
    page = _part(session, "plan").pages[0]
    assert page.dom_id == "p-plan-1" and f'data-key="{page.key}"' in page.html and "<svg" in page.html
    assert "計画の概要" in page.html and "資料1 計画について · plan.yaml · slides[0] (2行目) · 1頁" in page.html


def test_only_the_changed_part_is_laid_out_again(tmp_path: Path, pm, monkeypatch) -> None:
    root = write_meeting(tmp_path)
    session = _session(root, pm)
    before = session.snapshot
    laid: list[str] = []
    real = layout_document.layout_part
    monkeypatch.setattr(layout_document, "layout_part",
                        lambda material, **options: laid.append(material.id if material else "cover")
                        or real(material, **options))
    assert session.refresh() == [] and session.snapshot is before and laid == []
    (root / "plan.yaml").write_text(PLAN.replace("一つ目の項目", "直した項目"), encoding="utf-8")
    assert session.refresh() == ["plan"] and laid == ["plan"]
    cover, plan = session.snapshot.parts
    assert cover == before.parts[0] and plan.revision == session.snapshot.revision
    assert [p.key for p in plan.pages][1:] == [p.key for p in before.parts[1].pages][1:]  # page 2 unchanged
    assert "直した項目" in plan.pages[0].html


def test_every_overflow_is_marked_at_its_box_with_the_line_validate_prints(tmp_path: Path, pm) -> None:
    root = write_meeting(tmp_path, OVERFLOWING)
    session = _session(root, pm)
    plan = _part(session, "plan")
    assert len(plan.pages) == 3 and not plan.stale and plan.problems == ()
    assert [plan.marks[0]] == _validate_lines(root, pm)  # validate stops at a material's first overflow
    assert plan.marks[0].startswith(f"{root / 'plan.yaml'}:4:5: slides[0].items: 資料1 (plan), page 1, box 'column 1'")
    assert plan.marks[1].startswith(f"{root / 'plan.yaml'}:23:5: slides[2].items: 資料1 (plan), page 3, box 'column 1'")
    for page, where in ((0, "4:5: slides\\[0\\]"), (2, "23:5: slides\\[2\\]")):
        html = plan.pages[page].html
        assert html.count('class="mark overflow"') == 1 and 'class="spill"' in html
        assert re.search(rf'はみ出し \d+\.\d pt</b> <code>plan\.yaml:{where}\.items</code>', html)
    assert "mark" not in plan.pages[1].html
    (root / "plan.yaml").write_text(PLAN, encoding="utf-8")  # fixed: the mark goes
    session.refresh()
    assert _part(session, "plan").marks == () and "mark overflow" not in _part(session, "plan").pages[0].html


def test_a_file_that_cannot_be_read_keeps_its_last_pages_under_its_errors(tmp_path: Path, pm) -> None:
    root = write_meeting(tmp_path)
    session = _session(root, pm)
    good = _part(session, "plan").pages
    (root / "plan.yaml").write_text(PLAN.replace("items:", "itemz:"), encoding="utf-8")
    assert session.refresh() == ["plan"]
    plan = _part(session, "plan")
    assert plan.stale and plan.pages == good and list(plan.problems) == _validate_lines(root, pm)
    assert any("unknown key 'itemz'" in line for line in plan.problems)
    assert _part(session, "cover").problems == () and session.snapshot.problems == ()
    (root / "plan.yaml").write_text(PLAN, encoding="utf-8")
    session.refresh()
    assert not _part(session, "plan").stale and _part(session, "plan").problems == ()


def test_an_unreadable_meeting_file_puts_its_errors_on_the_cover_and_keeps_every_page(tmp_path: Path, pm) -> None:
    root = write_meeting(tmp_path)
    session = _session(root, pm)
    (root / "meeting.yaml").write_text(MEETING.replace("number: 5", "number: five"), encoding="utf-8")
    session.refresh()
    cover, plan = session.snapshot.parts
    assert cover.stale and plan.stale and len(plan.pages) == 2
    assert list(cover.problems) == _validate_lines(root, pm) and "meeting.yaml:2:1: number: expected a valid integer" in cover.problems[0]
    (root / "meeting.yaml").write_text(MEETING, encoding="utf-8")
    session.refresh()
    assert not any(p.stale or p.problems for p in session.snapshot.parts)


def test_a_bad_roster_leaves_the_materials_laid_out(tmp_path: Path, pm) -> None:
    root = write_meeting(tmp_path)
    (root / "roster.yaml").write_text("chair: {post: 座長職}\n", encoding="utf-8")
    session = _session(root, pm)
    cover, plan = session.snapshot.parts
    assert cover.pages == () and list(cover.problems) == _validate_lines(root, pm)
    assert len(plan.pages) == 2 and plan.problems == ()


def test_a_missing_picture_is_a_placeholder_marked_with_the_line_validate_prints(tmp_path: Path, pm) -> None:
    plan = PLAN + "  - kind: image\n    title: 写真\n    photos:\n      - {path: images/none.png, caption: ない写真}\n"
    root = write_meeting(tmp_path, plan)
    session = _session(root, pm)
    part = _part(session, "plan")
    assert len(part.pages) == 3 and list(part.marks) == _validate_lines(root, pm)
    assert part.marks[0].startswith(f"{root / 'plan.yaml'}:13:10: slides[2].photos[0].path: images/none.png: "
                                    "picture not found")
    html = part.pages[2].html
    assert 'class="mark picture"' in html and "写真を表示できません" in html and "ドラフト" in html


def test_a_plugin_that_fails_is_named_on_its_material(tmp_path: Path) -> None:
    def layout(slide, ctx, body):  # type: ignore[no-untyped-def]
        if "壊" in slide.message:
            raise ZeroDivisionError("oops")
        return [ctx.set_text(slide.message, body, name="banner", source="message")]
    kinds = plugin("banners", slide_kinds=lambda: [SlideKind("banner", BannerSlide, layout)])
    pm = get_plugin_manager(load_entrypoints=False, extra=(kinds,))
    root = write_meeting(tmp_path, "slides:\n  - kind: banner\n    message: 大きな見出し\n")
    session = _session(root, pm)
    assert _part(session, "plan").problems == () and len(_part(session, "plan").pages) == 1
    (root / "plan.yaml").write_text("slides:\n  - kind: banner\n    message: 壊れた見出し\n", encoding="utf-8")
    session.refresh()
    part = _part(session, "plan")
    assert part.stale and list(part.problems) == _validate_lines(root, pm)
    assert part.problems[0].startswith("plugin 'banners' (building material '資料1'): laying out a 'banner' slide")


def test_a_problem_of_no_part_is_the_meetings(tmp_path: Path) -> None:
    def check_bundle(bundle):  # type: ignore[no-untyped-def]
        return ["議題が足りません"]
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("checks", check_bundle=check_bundle),))
    root = write_meeting(tmp_path)
    session = _session(root, pm)
    assert list(session.snapshot.problems) == _validate_lines(root, pm)
    assert "議題が足りません" in session.snapshot.problems[0]


@pytest.mark.parametrize("where", ["meeting", "cache"])
def test_pictures_are_addressed_inside_the_meeting_or_the_cache(tmp_path: Path, pm, where: str) -> None:
    session = PreviewSession(write_meeting(tmp_path), pm, cache_dir=tmp_path / "cache")
    root = session.meeting_dir if where == "meeting" else (tmp_path / "cache").resolve()
    (root / "a b").mkdir(parents=True)
    (root / "a b" / "写真.png").write_bytes(b"x")
    url = session.picture_url(root / "a b" / "写真.png")
    assert re.fullmatch(rf"/{where}/a%20b/%E5%86%99%E7%9C%9F\.png\?v=[0-9a-f]{{12}}", url)
    assert session.picture_url(tmp_path / "elsewhere.png") == "/missing"


def test_the_fonts_are_the_themes_and_their_version_changes_with_them(tmp_path: Path, pm) -> None:
    bundled = Path(__file__).resolve().parents[1] / "src" / "council_materials" / "fonts"
    root = write_meeting(tmp_path)
    for name in ("a", "b"):
        (root / "fonts" / name).mkdir(parents=True)
        for face in ("Regular", "Bold"):
            shutil.copyfile(bundled / f"BIZUDPGothic-{face}.ttf", root / "fonts" / name / f"{face}.ttf")

    def theme(name: str) -> str:
        return MEETING + (f"theme:\n  fonts:\n    regular: {{path: fonts/{name}/Regular.ttf}}\n"
                          f"    bold: {{path: fonts/{name}/Bold.ttf}}\n")
    (root / "meeting.yaml").write_text(theme("a"), encoding="utf-8")
    session = _session(root, pm)
    first = session.snapshot.fonts
    assert re.fullmatch(r"[0-9a-f]{12}", first) and session.font_file("regular") == root / "fonts/a/Regular.ttf"
    assert session.font_file("bold") == root / "fonts/a/Bold.ttf" and session.font_file("italic") is None
    revision = session.snapshot.revision
    (root / "meeting.yaml").write_text(theme("b"), encoding="utf-8")
    session.refresh()  # copies of the same faces: the same pages, but a new version, so the browser reloads
    assert session.snapshot.revision > revision and session.snapshot.fonts not in ("", first)
    assert session.font_file("regular") == root / "fonts/b/Regular.ttf"


def test_a_builder_that_fails_is_named_on_its_material(tmp_path: Path) -> None:
    from council_materials import MaterialType

    from test_plugins import NoteContent, build_note, meeting_dir

    def build(content, ctx):  # type: ignore[no-untyped-def]
        if "壊" in content.lines[0]:
            raise KeyError("missing")
        return build_note(content, ctx)
    notes = plugin("notes", material_types=lambda: [MaterialType("note", NoteContent, build, "notes")])
    pm = get_plugin_manager(load_entrypoints=False, extra=(notes,))
    root = meeting_dir(tmp_path, ("n", "note", "n.yaml"), files={"n.yaml": "lines: [一つ目]\n"})
    session = _session(root, pm)
    assert [(p.id, len(p.pages), p.problems) for p in session.snapshot.parts] == [("cover", 2, ()), ("n", 1, ())]
    (root / "n.yaml").write_text("lines: [壊れた行]\n", encoding="utf-8")
    session.refresh()
    part = _part(session, "n")
    assert part.stale and list(part.problems) == _validate_lines(root, pm) and session.snapshot.problems == ()
    assert part.problems[0] == "plugin 'notes' (building material '資料1 n'): KeyError: 'missing'"


@pytest.mark.parametrize("lists_slides", [True, False])
def test_a_page_is_traced_to_its_slide_when_its_material_type_lists_slides(tmp_path: Path, lists_slides: bool) -> None:
    """Not by the type's name: a plugin's type that says its content lists the slides one for one is traced
    like the core's ``slides`` type; one that does not, to its file and plugin."""
    class DeckContent(StrictModel):
        slides: list[BulletsSlide]

    deck = MaterialType("deck", DeckContent, lambda content, ctx: list(content.slides), "slides of bullets",
                        lists_slides=lists_slides)
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("decks", material_types=lambda: [deck]),))
    plan = "slides:\n  - kind: bullets\n    title: 一\n    items: [a]\n  - kind: bullets\n    title: 二\n    items: [b]\n"
    root = write_meeting(tmp_path, plan=plan, meeting=MEETING.replace("source: slides", "source: deck"))
    session = _session(root, pm)
    assert not session.snapshot.problems
    html = _part(session, "plan").pages[1].html
    if lists_slides:
        assert "資料1 計画について · plan.yaml · slides[1] (5行目) · 2頁" in html
    else:
        assert "資料1 計画について · plan.yaml · 2頁 (plugin decks)" in html
