"""Nothing a model accepts is dropped: every text field of every slide kind and of each plugin's
content, filled with a text of its own, is found in both outputs.

Each kind's model (and each installed plugin's content model) is filled from its fields alone
(``filled.Filler``), laid out, and rendered with both renderers. Every token must be in the PDF
(its text, or the alternative text of a figure in its structure tree) and in the PPTX (its slides,
their layouts and master, and charts, or a shape's description), so a field that a layout or a builder
forgets fails here by name.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from council_materials.hookspecs import SlideKind
from council_materials.layout.primitives import Document
from council_materials.models import Theme
from council_materials.plugins import Registry, get_plugin_manager
from council_materials.testing import build_slides, layout_slides

from conftest import render_both
from filled import Filler, write_picture

TOKEN = re.compile(r"z\d{4}x")


def _pdf_text(pdf: Path) -> str:
    """The text of every page and the alternative text of its figures (``/Alt`` of the tagged PDF's
    structure elements)."""
    parts = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    with pikepdf.open(pdf) as document:
        parts += [str(obj.Alt) for obj in document.objects if isinstance(obj, pikepdf.Dictionary) and "/Alt" in obj]
    return re.sub(r"\s+", "", "".join(parts))


def _pptx_text(pptx: Path) -> str:
    """The XML of the slides, their layouts and master (a deck's running header and frame are there)
    and the charts."""
    with zipfile.ZipFile(pptx) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                       if name.endswith(".xml") and any(part in name for part in ("slides/", "slideLayouts/",
                                                                                     "slideMasters/", "charts/")))


def _outputs(slides: list, meeting_dir: Path, fonts, tmp_path: Path) -> tuple[str, str, list]:  # type: ignore[no-untyped-def]
    """The PDF's and the PPTX's text, and the pages (small type that may shrink: much is filled in)."""
    pages = layout_slides(slides, meeting_dir=meeting_dir, theme=Theme(base_size=8, min_size=5))
    pdf, pptx = render_both(Document("filled", tuple(pages), fonts.faces()), tmp_path, "filled")
    return _pdf_text(pdf), _pptx_text(pptx), pages


def _missing(slides: list, tokens: dict[str, str], meeting_dir: Path, fonts, tmp_path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    pdf_text, pptx_text, _ = _outputs(slides, meeting_dir, fonts, tmp_path)
    return [f"{where} ({token}): {'' if token in pdf_text else 'PDF '}{'' if token in pptx_text else 'PPTX'}"
            for token, where in tokens.items() if token not in pdf_text or token not in pptx_text]


REGISTRY = Registry.from_plugin_manager(get_plugin_manager())


@pytest.mark.parametrize("kind", sorted(REGISTRY.slide_kinds), ids=str)
def test_every_field_of_every_slide_kind_is_in_both_outputs(kind: str, fonts, tmp_path: Path) -> None:
    spec: SlideKind = REGISTRY.slide_kinds[kind]
    write_picture(tmp_path)
    filler = Filler()
    slide = spec.model.model_validate(filler.model(spec.model, kind))
    assert len(filler.tokens) >= 5
    assert not _missing([slide], filler.tokens, tmp_path, fonts, tmp_path)


# The one field of a plugin's content that names another instead of being printed.
OVERRIDES = {"Initiative.phase": lambda filler: filler.find("phases[0].name")}


@pytest.mark.parametrize("material_type", sorted(name for name in REGISTRY.material_types if name != "slides"))
def test_every_field_of_each_plugin_content_is_in_both_outputs(material_type: str, fonts, tmp_path: Path) -> None:
    model = REGISTRY.content_model(REGISTRY.material_types[material_type])
    write_picture(tmp_path)
    filler = Filler(OVERRIDES, copies=1)  # a plugin's content is long already: every list once
    content = filler.model(model, material_type)
    slides = build_slides(material_type, content, meeting_dir=tmp_path, registry=REGISTRY)
    assert len(filler.tokens) >= 10
    assert not _missing(slides, filler.tokens, tmp_path, fonts, tmp_path)


def test_the_filler_reaches_nested_bullets_tables_and_charts() -> None:
    """The fill itself: nested bullets, both cell forms, a chart's every name and its unit."""
    from council_materials.models import ChartSlide, TableSlide

    filler = Filler()
    table = TableSlide.model_validate(filler.model(TableSlide, "table"))
    wheres = set(filler.tokens.values())
    assert any(".children[" in where for where in wheres)
    assert any(".rows[1][0].text" in where for where in wheres) and any(".rows[1][1]" in where for where in wheres)
    assert table.chart is not None and table.chart.unit in filler.tokens
    chart = ChartSlide.model_validate(Filler().model(ChartSlide, "chart"))
    assert all(TOKEN.fullmatch(c) for c in chart.charts[0].categories) and chart.charts[0].note

