"""Plugin hooks, with throwaway plugins on fresh plugin managers (never what happens to be installed)."""
from __future__ import annotations

import types
from pathlib import Path
from typing import Literal

import pytest
from pptx import Presentation

from council_materials import MaterialType, SlideKind, hookimpl
from council_materials.pipeline import load_bundle
from council_materials.errors import InputError, PluginError
from council_materials.layout.document import layout_bundle
from council_materials.layout.primitives import Rect, Rule
from council_materials.models import BulletsSlide, SlideBase, StrictModel, Text
from council_materials.plugins import ENV_PLUGINS, Registry, get_plugin_manager
from council_materials.render.pptx import render_pptx

ROSTER = "chair: {post: 座長職, name: 山田 太郎, specialty: 土木}\n"


def meeting_yaml(*materials: tuple[str, str, str | None]) -> str:
    """meeting.yaml with materials given as (id, source, content file)."""
    lines = ["council: テスト会議", "number: 3", "date: 2025-02-20", 'start: "16:00"', 'end: "17:00"',
             "agenda:", "  topics:", "    - title: 議題", "materials:"]
    for ident, source, content in materials:
        lines += [f"  - id: {ident}", f"    title: 資料{ident}", f"    source: {source}"]
        if content:
            lines.append(f"    content: {content}")
    return "\n".join(lines) + "\n"


def meeting_dir(tmp_path: Path, *materials: tuple[str, str, str | None], files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "meeting"
    root.mkdir()
    (root / "meeting.yaml").write_text(meeting_yaml(*materials), encoding="utf-8")
    (root / "roster.yaml").write_text(ROSTER, encoding="utf-8")
    for name, text in (files or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def plugin(name: str, **hooks) -> types.ModuleType:
    """A plugin object named ``name`` whose attributes are the given functions, marked as hook impls."""
    module = types.ModuleType(name)
    for hook, function in hooks.items():
        setattr(module, hook, hookimpl(function))
    return module


class NoteContent(StrictModel):
    lines: list[Text]


def build_note(content: NoteContent, ctx) -> list:
    return [BulletsSlide(title=f"{ctx.label} {ctx.entry.title}", items=content.lines)]


def note_type(name: str = "note", build=build_note) -> MaterialType:
    return MaterialType(name, NoteContent, build, "notes")


class BannerSlide(SlideBase):
    kind: Literal["banner"] = "banner"
    message: Text


def layout_banner(slide: BannerSlide, ctx, body) -> list:
    return [ctx.set_text(slide.message, body, size=20, align="center", name="banner", source="message")]


NOTE = "lines: [一つ目, 二つ目]\n"


def test_builtin_only(pm):
    registry = Registry.from_plugin_manager(pm)
    assert list(registry.material_types) == ["slides"]
    assert registry.owner("slides") == "council_materials.builtin"
    assert {"section", "bullets", "cards", "table", "comparison", "figures", "roadmap", "event_report",
            "image", "panels", "chart"} == set(registry.slide_kinds)


def test_material_types_registers_a_type(tmp_path):
    pm = get_plugin_manager(load_entrypoints=False,
                            extra=(plugin("notes_plugin", material_types=lambda: [note_type()]),))
    registry = Registry.from_plugin_manager(pm)
    assert registry.material_types["note"].content_model is NoteContent
    assert registry.owner("note") == "notes_plugin"
    bundle, _ = load_bundle(meeting_dir(tmp_path, ("n", "note", "n.yaml"), files={"n.yaml": NOTE}), pm)
    [material] = bundle.materials
    assert material.plugin == "notes_plugin" and material.label == "資料1"
    assert material.slides[0].items == ["一つ目", "二つ目"] and material.slides[0].title == "資料1 資料n"


def test_content_of_a_plugin_type_is_validated_with_its_model(tmp_path):
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("notes_plugin", material_types=lambda: [note_type()]),))
    root = meeting_dir(tmp_path, ("n", "note", "n.yaml"), files={"n.yaml": "lines: [a]\nline: b\n"})
    with pytest.raises(InputError) as info:
        load_bundle(root, pm)
    [p] = info.value.problems
    assert p.file == root / "n.yaml" and p.line == 2 and p.field == "line"


def test_slide_kinds_registers_a_kind_usable_from_slides(tmp_path, fonts):
    kind = SlideKind("banner", BannerSlide, layout_banner, "A big centred message")
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("banners", slide_kinds=lambda: [kind]),))
    registry = Registry.from_plugin_manager(pm)
    assert registry.owners["kind:banner"] == "banners"
    content = "slides:\n  - kind: banner\n    title: 横断幕\n    message: 大きな見出し\n  - kind: bullets\n    items: [a]\n"
    root = meeting_dir(tmp_path, ("b", "slides", "b.yaml"), files={"b.yaml": content})
    bundle, registry = load_bundle(root, pm)
    [material] = bundle.materials
    assert isinstance(material.slides[0], BannerSlide) and material.slides[0].message == "大きな見出し"
    laid = layout_bundle(bundle, registry=registry, fonts=fonts, meeting_dir=root)
    [(_, doc)] = laid.materials
    banners = [b for b in doc.pages[0].text_blocks() if b.name == "banner"]
    assert [line.text for b in banners for line in b.lines] == ["大きな見出し"]
    assert banners[0].size == 20


def layout_closing(slide: BannerSlide, ctx, body) -> list:
    """A closing page: the slide's title large in the middle, its message under it (the frame draws none)."""
    title = ctx.set_text(ctx.paras(slide.title or "", bold=True), Rect(body.x, body.y + body.h / 3, body.w, 40),
                         size=28, align="center", name="title", source="title", role="title")
    return [title, ctx.set_text(slide.message, Rect(body.x, title.rect.bottom + 12, body.w, 30), size=18,
                                align="center", name="message", source="message")]


def test_a_kind_says_what_it_is_and_the_frame_and_the_deck_follow(tmp_path, fonts):
    """A plugin's kind that draws its own title, opens a section and has a name: no title or rule from the
    frame, the page's role and name from the kind, and PowerPoint gets a section header layout of that name
    with the kind's own title in its placeholder; the same slide as a plain kind gets the frame's title."""
    closing = SlideKind("banner", BannerSlide, layout_closing, "A closing page", draws_title=True, page_role="section",
                        page_name="結び")
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("closings", slide_kinds=lambda: [closing]),))
    content = "slides:\n  - kind: bullets\n    title: 本文\n    items: [a]\n" \
              "  - kind: banner\n    title: ご清聴ありがとうございました\n    message: 事務局\n"
    root = meeting_dir(tmp_path, ("b", "slides", "b.yaml"), files={"b.yaml": content})
    bundle, registry = load_bundle(root, pm)
    [(_, document)] = layout_bundle(bundle, registry=registry, fonts=fonts, meeting_dir=root).materials
    body, last = document.pages
    assert (body.role, body.name, last.role, last.name) == ("body", "", "section", "結び")
    titles = [b for b in last.text_blocks() if b.role == "title"]
    assert [b.lines[0].text for b in titles] == ["ご清聴ありがとうございました"] and titles[0].size == 28
    assert not any(isinstance(item, Rule) and item.role == "title_rule" for item in last.items)
    assert any(isinstance(item, Rule) and item.role == "title_rule" for item in body.items)
    render_pptx(document, tmp_path / "deck.pptx")
    slides = Presentation(str(tmp_path / "deck.pptx")).slides
    layout = slides[1].slide_layout
    assert layout.name == "結び" and layout.element.get("type") == "secHead"
    assert slides[1].shapes.title.text_frame.text == "ご清聴ありがとうございました"
    assert slides[0].slide_layout.name != "結び" and slides[0].slide_layout.element.get("type") == "titleOnly"


@pytest.mark.parametrize("change, words", [
    ({"draws_title": "yes"}, "draws_title must be True or False, got 'yes'"),
    ({"page_role": "closing"}, "page_role must be one of 'body', 'section', 'cover', got 'closing'"),
    ({"page_name": "結び\n"}, "page_name must be a line of at most 60 characters"),
])
def test_what_a_kind_says_it_is_is_checked_naming_the_plugin(change, words):
    kind = SlideKind("banner", BannerSlide, layout_banner, **change)
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("banners", slide_kinds=lambda: [kind]),))
    with pytest.raises(PluginError) as info:
        Registry.from_plugin_manager(pm)
    assert info.value.plugin == "banners" and f"slide kind 'banner': {words}" in str(info.value)


def test_plugin_kind_layout_that_raises_names_the_plugin(tmp_path, fonts):
    def broken(slide, ctx, body):
        raise ZeroDivisionError("oops")
    kind = SlideKind("banner", BannerSlide, broken)
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("banners", slide_kinds=lambda: [kind]),))
    root = meeting_dir(tmp_path, ("b", "slides", "b.yaml"),
                       files={"b.yaml": "slides:\n  - kind: banner\n    message: x\n"})
    bundle, registry = load_bundle(root, pm)
    with pytest.raises(PluginError) as info:
        layout_bundle(bundle, registry=registry, fonts=fonts, meeting_dir=root)
    assert info.value.plugin == "banners" and "ZeroDivisionError: oops" in str(info.value)
    assert "資料1" in str(info.value)


def test_slide_kind_model_must_subclass_slidebase():
    kind = SlideKind("odd", NoteContent, layout_banner)  # type: ignore[arg-type]
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("odd_kinds", slide_kinds=lambda: [kind]),))
    with pytest.raises(PluginError, match="odd_kinds.*must subclass SlideBase"):
        Registry.from_plugin_manager(pm)


def test_check_bundle_problems_fail_naming_the_plugin(tmp_path):
    seen = []

    def check(bundle):
        seen.append([m.label for m in bundle.materials])
        return ["資料1 must come after the roadmap", "another problem"]
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("checker", check_bundle=check),))
    root = meeting_dir(tmp_path, ("a", "slides", "a.yaml"), files={"a.yaml": "slides:\n  - {kind: bullets, items: [a]}\n"})
    with pytest.raises(PluginError) as info:
        load_bundle(root, pm)
    assert seen == [["資料1"]]
    assert info.value.plugin == "checker"
    assert "資料1 must come after the roadmap" in str(info.value) and "another problem" in str(info.value)


@pytest.mark.parametrize("result", [None, []])
def test_check_bundle_all_well(tmp_path, result):
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("checker", check_bundle=lambda: result),))
    root = meeting_dir(tmp_path, ("a", "slides", "a.yaml"), files={"a.yaml": "slides:\n  - {kind: bullets, items: [a]}\n"})
    bundle, _ = load_bundle(root, pm)
    assert [m.label for m in bundle.materials] == ["資料1"]


def test_check_bundle_wrong_return_type(tmp_path):
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("checker", check_bundle=lambda: "bad"),))
    root = meeting_dir(tmp_path, ("a", "slides", "a.yaml"), files={"a.yaml": "slides:\n  - {kind: bullets, items: [a]}\n"})
    with pytest.raises(PluginError, match="'checker'.*list of strings"):
        load_bundle(root, pm)


def test_duplicate_material_type_names_both_plugins():
    pm = get_plugin_manager(load_entrypoints=False, extra=(
        plugin("alpha", material_types=lambda: [note_type()]), plugin("beta", material_types=lambda: [note_type()])))
    with pytest.raises(PluginError) as info:
        Registry.from_plugin_manager(pm)
    message = str(info.value)
    assert "'alpha'" in message and "'beta'" in message and "'note'" in message


def test_material_type_clashing_with_builtin_names_both():
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("gamma", material_types=lambda: [note_type("slides")]),))
    with pytest.raises(PluginError) as info:
        Registry.from_plugin_manager(pm)
    assert "council_materials.builtin" in str(info.value) and "'gamma'" in str(info.value)


def test_duplicate_slide_kind_names_both_plugins():
    kind = SlideKind("banner", BannerSlide, layout_banner)
    pm = get_plugin_manager(load_entrypoints=False, extra=(
        plugin("one", slide_kinds=lambda: [kind]), plugin("two", slide_kinds=lambda: [kind])))
    with pytest.raises(PluginError) as info:
        Registry.from_plugin_manager(pm)
    assert "slide kind 'banner'" in str(info.value) and "'one'" in str(info.value) and "'two'" in str(info.value)


def test_misspelt_hook_name_is_an_error():
    with pytest.raises(PluginError) as info:
        get_plugin_manager(load_entrypoints=False, extra=(plugin("typo_plugin", material_typess=lambda: []),))
    assert info.value.plugin == "typo_plugin"
    assert "material_typess" in str(info.value) and "material_types" in str(info.value)


def test_hook_with_unknown_argument_is_an_error():
    with pytest.raises(PluginError, match="bad_args"):
        get_plugin_manager(load_entrypoints=False, extra=(plugin("bad_args", check_bundle=lambda bundel: None),))


@pytest.mark.parametrize("hook, value", [
    ("material_types", {"note": "x"}), ("material_types", note_type()), ("material_types", ["note"]),
    ("slide_kinds", [BannerSlide]),
])
def test_hook_returning_wrong_type_names_the_plugin(hook, value):
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("sloppy", **{hook: lambda: value}),))
    with pytest.raises(PluginError) as info:
        Registry.from_plugin_manager(pm)
    assert info.value.plugin == "sloppy" and f"hook {hook} must return a list" in str(info.value)


def test_hook_that_raises_names_the_plugin():
    def boom():
        raise RuntimeError("no network")
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("flaky", material_types=boom),))
    with pytest.raises(PluginError) as info:
        Registry.from_plugin_manager(pm)
    assert info.value.plugin == "flaky" and "RuntimeError: no network" in str(info.value)


def test_builder_that_raises_names_plugin_and_material(tmp_path):
    def build(content, ctx):
        raise KeyError("missing figure")
    pm = get_plugin_manager(load_entrypoints=False, extra=(plugin("notes_plugin", material_types=lambda: [note_type(build=build)]),))
    root = meeting_dir(tmp_path, ("first", "slides", "a.yaml"), ("n", "note", "n.yaml"),
                       files={"a.yaml": "slides:\n  - {kind: bullets, items: [a]}\n", "n.yaml": NOTE})
    with pytest.raises(PluginError) as info:
        load_bundle(root, pm)
    assert info.value.plugin == "notes_plugin" and info.value.material == "資料2 n"
    assert "KeyError" in str(info.value) and "missing figure" in str(info.value)


@pytest.mark.parametrize("returned, what", [
    (lambda: ["not a slide"], "'str'"),
    (lambda: [{"kind": "bullets", "items": ["a"]}], "'dict'"),
    (lambda: [BannerSlide(message="unregistered kind")], "'banner'"),
    (lambda: BulletsSlide(items=["a"]), "expected a list"),
])
def test_builder_returning_a_non_slide_is_an_error(tmp_path, returned, what):
    pm = get_plugin_manager(load_entrypoints=False, extra=(
        plugin("notes_plugin", material_types=lambda: [note_type(build=lambda c, ctx: returned())]),))
    root = meeting_dir(tmp_path, ("n", "note", "n.yaml"), files={"n.yaml": NOTE})
    with pytest.raises(PluginError) as info:
        load_bundle(root, pm)
    assert info.value.plugin == "notes_plugin" and what in str(info.value)


def test_env_var_empty_loads_only_builtin(monkeypatch):
    monkeypatch.setenv(ENV_PLUGINS, "")
    pm = get_plugin_manager()
    assert [name for name, _ in pm.list_name_plugin()] == ["council_materials.builtin"]
    assert list(Registry.from_plugin_manager(pm).material_types) == ["slides"]


def test_env_var_limits_loading(monkeypatch):
    monkeypatch.setenv(ENV_PLUGINS, " dx , wa")
    names = {name for name, _ in get_plugin_manager().list_name_plugin()}
    assert names == {"council_materials.builtin", "dx", "wa"}


def test_env_var_naming_a_plugin_that_is_not_installed_is_an_error(monkeypatch):
    monkeypatch.setenv(ENV_PLUGINS, "dx,not-installed")
    with pytest.raises(PluginError, match="not-installed.*not installed; installed: .*dx"):
        get_plugin_manager()


def test_env_var_unset_loads_every_entry_point(monkeypatch):
    from importlib.metadata import entry_points
    monkeypatch.delenv(ENV_PLUGINS, raising=False)
    names = {name for name, _ in get_plugin_manager().list_name_plugin()}
    assert names == {"council_materials.builtin"} | {ep.name for ep in entry_points(group="council_materials")}


# -- hooks are called through pluggy: its order and wrappers work -------------------------------------
def marked(name: str, hook: str, function, **opts) -> types.ModuleType:  # type: ignore[no-untyped-def]
    """A plugin named ``name`` implementing ``hook`` with ``function``, marked with pluggy's ``opts``."""
    module = types.ModuleType(name)
    setattr(module, hook, hookimpl(**opts)(function))
    return module


def test_an_unhashable_plugin_object_is_refused_naming_it() -> None:
    odd = types.SimpleNamespace(__name__="odd", material_types=hookimpl(lambda: []))  # defines __eq__: no hash
    with pytest.raises(PluginError, match="a plugin must be a module or a hashable object") as info:
        get_plugin_manager(load_entrypoints=False, extra=(odd,))
    assert info.value.plugin == "odd"


def test_hooks_run_in_pluggys_order_with_each_wrapper_around_each_implementation() -> None:
    calls: list[str] = []

    def recorder(name: str):  # type: ignore[no-untyped-def]
        def slide_kinds() -> list:
            calls.append(name)
            return []
        return slide_kinds

    def wrapper():  # type: ignore[no-untyped-def]
        calls.append("(")
        result = yield
        calls.append(f"{len(result)})")
        return result

    def old_style():  # type: ignore[no-untyped-def]
        calls.append("[")
        outcome = yield
        calls.append(f"{len(outcome.get_result())}]")

    plugins = (marked("early", "slide_kinds", recorder("early"), tryfirst=True),
               marked("late", "slide_kinds", recorder("late"), trylast=True),
               marked("plain", "slide_kinds", recorder("plain")),
               marked("outer", "slide_kinds", wrapper, wrapper=True, tryfirst=True),
               marked("inner", "slide_kinds", old_style, hookwrapper=True))
    registry = Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False, extra=plugins))
    # tryfirst first, trylast last, the others last registered first (the core's kinds were registered
    # first); the tryfirst wrapper outermost, each wrapper around each implementation, seeing its result.
    assert calls == ["(", "[", "early", "1]", "1)", "(", "[", "plain", "1]", "1)", "(", "[", "1]", "1)",
                     "(", "[", "late", "1]", "1)"]
    assert "section" in registry.slide_kinds  # the core's kinds, through the same wrappers


def test_a_wrappers_change_to_a_plugins_result_stays_that_plugins(tmp_path: Path) -> None:
    def check_bundle(bundle) -> list[str]:  # type: ignore[no-untyped-def]
        return ["minor: a note", "the order is wrong"]

    def quiet():  # type: ignore[no-untyped-def]
        result = yield
        return [[problem for problem in problems if not problem.startswith("minor:")] for problems in result]

    pm = get_plugin_manager(load_entrypoints=False, extra=(marked("strict", "check_bundle", check_bundle),
                                                           marked("quiet", "check_bundle", quiet, wrapper=True)))
    root = meeting_dir(tmp_path, ("first", "slides", "a.yaml"), files={"a.yaml": "slides:\n  - {kind: bullets, items: [a]}\n"})
    with pytest.raises(PluginError) as info:
        load_bundle(root, pm)
    assert info.value.plugin == "strict" and "the order is wrong" in str(info.value) and "minor" not in str(info.value)


def test_a_failure_names_the_plugin_whose_code_raised_wrapper_or_implementation() -> None:
    def boom() -> list:
        raise RuntimeError("no network")

    def passes():  # type: ignore[no-untyped-def]
        return (yield)  # the implementation's exception goes on through the wrapper

    def breaks():  # type: ignore[no-untyped-def]
        yield
        raise ValueError("wrapper broke")

    for plugins, blamed, words in (
            ((marked("flaky", "material_types", boom), marked("careful", "material_types", passes, wrapper=True)),
             "flaky", "RuntimeError: no network"),
            ((marked("careless", "material_types", breaks, wrapper=True),), "careless", "ValueError: wrapper broke")):
        with pytest.raises(PluginError) as info:
            Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False, extra=plugins))
        assert info.value.plugin == blamed and f"hook material_types raised {words}" in str(info.value)


def test_a_wrapper_returning_no_list_is_named() -> None:
    def wrong():  # type: ignore[no-untyped-def]
        yield
        return "kinds"

    pm = get_plugin_manager(load_entrypoints=False, extra=(marked("odd", "slide_kinds", wrong, wrapper=True),))
    with pytest.raises(PluginError, match="a wrapper returned str") as info:
        Registry.from_plugin_manager(pm)
    assert info.value.plugin == "odd"
