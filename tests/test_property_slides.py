"""Property tests over every built-in slide kind: arbitrary text either builds or is refused cleanly.

For each kind, a template slide has every text field replaced by generated
Unicode text; the meeting is written to disk as YAML and built with the real
pipeline. Either both files come out and reopen (python-pptx; pdfminer
extracts the PDF's text), or the build raises one of the tool's own errors
(a located input error, an overflow, a missing glyph) — never anything else.
Run longer with ``COUNCIL_HYPOTHESIS_EXAMPLES=200``.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfminer.high_level import extract_text
from PIL import Image
from pptx import Presentation

from council_materials.build import build
from council_materials.errors import CouncilError
from council_materials.plugins import Registry, get_plugin_manager

from meetings import MEETING, ROSTER

T = "\x00TEXT\x00"  # placeholder replaced by generated text
TEMPLATES: dict[str, dict[str, Any]] = {
    "section": {"title": T, "subtitle": T, "lines": [T]},
    "bullets": {"items": [T, {"text": T, "children": [T]}], "columns": 2},
    "cards": {"cards": [{"heading": T, "tag": T, "fields": [{"label": T, "text": T, "items": [T]}]}]},
    "table": {"items": [T], "caption": T, "table": {"rows": [[T, T], [T, {"text": T}]]}},
    "comparison": {"left": {"heading": T, "items": [T]}, "right": {"heading": T, "text": T}, "arrow": T},
    "figures": {"items": [T], "figures": [{"label": T, "value": T, "unit": T, "note": T}]},
    "roadmap": {"phase": T, "rows": [{"label": T, "steps": [T, None, T], "goal": T}]},
    "event_report": {"overview": [T], "next_year": T, "events": [
        {"name": T, "owner": T, "period": T, "place": T, "activities": [T], "results": [T]}]},
    "image": {"photos": [{"path": "pic.png", "caption": T, "alt": T}], "items": [T]},
    "panels": {"panels": [{"heading": T, "text": T, "items": [T]}], "footer_panel": {"heading": T, "text": T}},
    "chart": {"items": [T], "charts": [{"title": T, "note": T, "unit": T, "categories": [T, T],
                                        "series": [{"name": T, "values": [1, 2.5]}, {"name": T, "values": [3, None]}]}]},
}
EXAMPLES = int(os.environ.get("COUNCIL_HYPOTHESIS_EXAMPLES", "6"))

japanese = st.text(alphabet="あいうアイウ漢字会議、。「」（）ー・ABCxyz0123 ,.&<>*\n", max_size=60)
anything = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
texts = st.one_of(japanese, anything)


def test_every_builtin_kind_has_a_template() -> None:
    registry = Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False))
    assert set(registry.slide_kinds) == set(TEMPLATES)


def _fill(value: Any, draw: Any) -> Any:
    if value == T:
        return draw(texts)
    if isinstance(value, dict):
        return {k: _fill(v, draw) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, draw) for v in value]
    return value


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prop")
    Image.new("RGB", (60, 40), (180, 190, 200)).save(root / "pic.png")
    return root


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_text_builds_or_is_refused_cleanly(kind: str, data: st.DataObject, workdir: Path) -> None:
    slide = {"kind": kind, "header": data.draw(texts), "title": data.draw(texts), "notes": [data.draw(texts)],
             **_fill(TEMPLATES[kind], data.draw)}
    root = workdir / "meeting"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    shutil.copy(workdir / "pic.png", root / "pic.png")
    (root / "meeting.yaml").write_text(MEETING, encoding="utf-8")
    (root / "roster.yaml").write_text(ROSTER, encoding="utf-8")
    (root / "plan.yaml").write_text(json.dumps({"slides": [slide]}, ensure_ascii=False), encoding="utf-8")
    out = workdir / "out"
    try:
        result = build(root, out, get_plugin_manager(load_entrypoints=False))
    except CouncilError as refused:
        assert str(refused).strip()
        return
    pdf = next(p for p in result.files if p.name.startswith("01_") and p.suffix == ".pdf")
    extract_text(str(pdf))
    assert len(Presentation(str(pdf.with_suffix(".pptx"))).slides) == 1
