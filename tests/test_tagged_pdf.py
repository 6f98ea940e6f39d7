"""End to end: every PDF of the example is a tagged PDF a screen reader can read (issue 15).

Checked with real clients: poppler's ``pdfinfo`` (``Tagged: yes``, and ``-struct-text``: the tree and
each element's text in reading order, compared with the layout's order), ``qpdf --check``, pikepdf
(every content stream: nothing outside a tagged or artifact sequence; every ``Figure`` has ``Alt``,
every ``TH`` a ``Scope``) and page-validation's PDF/UA-1 rules (the checks veraPDF's profile makes,
without a JVM). What a checker cannot judge — whether the alternative text says what the picture
shows, whether the reading order is the one a person follows — is held against the layout here.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import page as pdfua
import pikepdf
import pytest

from council_materials.build import BuildResult
from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.layout.document import COVER_BOOKMARK, LaidOut, layout_bundle
from council_materials.layout.primitives import Chart, Document, Picture, Table
from council_materials.plugins import get_plugin_manager

from conftest import EXAMPLE, require_client
from tagged import content_problems, elements, expected_leaves, leaves, struct_text

COMBINED = "第120回東京都技術会議_資料一式.pdf"


@pytest.fixture(scope="module")
def laid_out() -> LaidOut:
    bundle, registry = load_bundle(EXAMPLE, get_plugin_manager())
    return layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, EXAMPLE),
                         meeting_dir=EXAMPLE.resolve())


@pytest.fixture(scope="module")
def documents(example_build: BuildResult, laid_out: LaidOut) -> dict[Path, Document]:
    """Every PDF of the example build with the layout it was drawn from."""
    out = example_build.out_dir
    found = {out / "00_会議次第.pdf": laid_out.cover, out / COMBINED: laid_out.combined}
    for material, document in laid_out.materials:
        (pdf,) = out.glob(f"*_{material.label}_*.pdf")
        found[pdf] = document
    assert set(found) == {p for p in example_build.files if p.suffix == ".pdf"}
    return found


def test_pdfinfo_says_every_pdf_is_tagged_pdf_1_7(documents: dict[Path, Document]) -> None:
    pdfinfo = require_client("pdfinfo")
    for pdf in documents:
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, check=True).stdout.decode("utf-8", "replace")
        assert re.search(r"^Tagged:\s+yes$", info, re.M), pdf.name
        assert re.search(r"^PDF version:\s+1\.7$", info, re.M), pdf.name
        assert re.search(r"^Metadata Stream:\s+yes$", info, re.M), pdf.name


def test_qpdf_finds_nothing_wrong_in_any_pdf(documents: dict[Path, Document]) -> None:
    qpdf = require_client("qpdf")
    for pdf in documents:
        run = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert run.returncode == 0, f"{pdf.name}: {run.stdout[-800:]} {run.stderr[-800:]}"
        assert "No syntax or stream encoding errors found" in run.stdout, pdf.name


def test_the_structure_reads_the_layout_in_its_order(documents: dict[Path, Document]) -> None:
    """``pdfinfo -struct-text`` (what a screen reader follows) gives every text of every page, element by
    element, in the layout's order: headings, paragraphs, each bullet's marker and text, cells row by row."""
    pdfinfo = require_client("pdfinfo")
    compared = 0
    for pdf, document in documents.items():
        got = [(kind, "".join(text.split())) for kind, text in leaves(struct_text(pdfinfo, pdf))]
        want = expected_leaves(document.pages)
        assert [kind for kind, _ in got] == [kind for kind, _ in want], pdf.name
        for (kind, text), (_, expected) in zip(got, want):
            assert text == expected, f"{pdf.name}: {kind} reads {text!r}, the layout has {expected!r}"
        compared += len(got)
    assert compared > 2000


def test_a_row_of_figure_cards_is_read_card_by_card(documents: dict[Path, Document], laid_out: LaidOut) -> None:
    """資料2's figure cards (label, number, unit, note in a box each) are read whole, one after another,
    and the page's note after them: not five labels, then five numbers, as the page's text runs across."""
    pdfinfo = require_client("pdfinfo")
    material, document = next((m, d) for m, d in laid_out.materials if m.label == "資料2")
    page = next(p for p in document.pages if any(item.group.startswith("figure ") for item in p.items))
    cards: dict[str, list[str]] = {}
    for item in page.items:
        if item.group.startswith("figure ") and hasattr(item, "paragraphs"):
            cards.setdefault(item.group, []).append("".join(line.text for line in item.lines))
    assert len(cards) >= 3
    (pdf,) = [p for p in documents if f"_{material.label}_" in p.name]
    text = struct_text(pdfinfo, pdf)
    read = [t for _, t in leaves(text)]
    start = read.index(next(iter(cards.values()))[0])
    expected = [t for card in cards.values() for t in card]
    assert read[start:start + len(expected)] == expected
    notes = [item for item in page.items if getattr(item, "role", "") == "note"]
    if notes:
        assert read[start + len(expected)] == "".join(line.text for line in notes[0].lines)
    divs = re.findall(r"^(\s*)Div\n((?:\1  .*\n)+)", text, re.M)
    assert sum(all(t in body for t in card) for _, body in divs for card in cards.values()) >= len(cards)


def test_every_content_stream_is_tagged_or_artifact(documents: dict[Path, Document]) -> None:
    for pdf in documents:
        with pikepdf.open(pdf) as opened:
            assert content_problems(opened) == [], pdf.name


def test_every_figure_has_alt_and_a_box_and_every_th_a_scope(documents: dict[Path, Document]) -> None:
    for pdf, document in documents.items():
        pictures = [item for page in document.pages for item in page.items
                    if isinstance(item, Chart) or (isinstance(item, Picture) and item.alt)]
        headers = [cell for page in document.pages for item in page.items if isinstance(item, Table)
                   for cell in item.cells if cell.header]
        spans = sorted((cell.rowspan, cell.colspan) for page in document.pages for item in page.items
                       if isinstance(item, Table) for cell in item.cells)
        with pikepdf.open(pdf) as opened:
            found = list(elements(opened))
            figures = [e for e in found if e.S == "/Figure"]
            assert len(figures) == len(pictures), pdf.name
            for figure in figures:
                assert str(figure.Alt).strip(), pdf.name
                box = [float(v) for v in figure.A.BBox]
                assert box[0] < box[2] and box[1] < box[3]
            ths = [e for e in found if e.S == "/TH"]
            assert len(ths) == len(headers), pdf.name
            assert all(str(th.A.Scope) in ("/Column", "/Row") for th in ths), pdf.name
            cells = [e for e in found if e.S in ("/TD", "/TH")]
            got = sorted((int(c.A.get("/RowSpan", 1)) if "/A" in c else 1,
                          int(c.A.get("/ColSpan", 1)) if "/A" in c else 1) for c in cells)
            assert got == spans, pdf.name


def test_a_charts_alternative_text_gives_its_title_and_values(documents: dict[Path, Document]) -> None:
    """The ``Alt`` of a chart's ``Figure`` names it, then every series and category with its value as the
    chart's value labels print it."""
    checked = 0
    for pdf, document in documents.items():
        charts = [item for page in document.pages for item in page.items if isinstance(item, Chart)]
        if not charts:
            continue
        with pikepdf.open(pdf) as opened:
            alts = [str(e.Alt) for e in elements(opened) if e.S == "/Figure"]
        for chart in charts:
            (alt,) = [a for a in alts if a.startswith(chart.alt + "。")]
            assert all(category in alt for category in chart.categories)
            assert all(series.name in alt for series in chart.series)
            values = [label for label in chart.labels if " value " in label.name]
            assert values and all("".join(line.text for line in label.lines) in alt for label in values)
            checked += 1
    assert checked >= 2


def test_what_every_file_says_about_itself(documents: dict[Path, Document]) -> None:
    """Language, marked, title shown, XMP with the title and PDF/UA part 1, /Tabs /S, an /ID."""
    ids = set()
    for pdf, document in documents.items():
        with pikepdf.open(pdf) as opened:
            root = opened.Root
            assert str(root.Lang) == "ja-JP" and bool(root.MarkInfo.Marked), pdf.name
            assert bool(root.ViewerPreferences.DisplayDocTitle), pdf.name
            with opened.open_metadata() as xmp:
                assert xmp["dc:title"] == str(opened.docinfo.Title) == document.title, pdf.name
                assert xmp["pdfuaid:part"] == "1", pdf.name
            assert all(page.obj.Tabs == "/S" for page in opened.pages), pdf.name
            ids.add(bytes(opened.trailer.ID[0]))
    assert len(ids) == len(documents)


def test_bookmarks_of_the_combined_pdf_go_to_each_parts_first_heading(documents: dict[Path, Document]) -> None:
    combined = next(pdf for pdf in documents if pdf.name == COMBINED)
    with pikepdf.open(combined) as opened:
        sections = list(opened.Root.StructTreeRoot.K.K)
        assert [str(section.S) for section in sections] == ["/Sect"] * len(sections)
        item = opened.Root.Outlines.First
        titles = []
        for section in sections:
            first_heading = next(e for e in _walk(section) if e.S in ("/H1", "/H2"))
            assert item.SE.objgen == first_heading.objgen, str(item.Title)
            assert item.Dest[0].objgen == first_heading.Pg.objgen and item.Dest[1] == "/XYZ"
            titles.append(str(item.Title))
            item = item.get("/Next")
        assert titles[0] == COVER_BOOKMARK and len(titles) == len(documents) - 1
        assert int(opened.Root.StructTreeRoot.ParentTreeNextKey) == len(opened.pages)


def _walk(element: pikepdf.Dictionary):  # type: ignore[no-untyped-def]
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary):
            yield kid
            yield from _walk(kid)


def test_the_combined_pdf_reads_as_its_parts_one_after_another(documents: dict[Path, Document]) -> None:
    pdfinfo = require_client("pdfinfo")
    combined = next(pdf for pdf in documents if pdf.name == COMBINED)
    parts = sorted(pdf for pdf in documents if pdf.name != COMBINED)
    whole = struct_text(pdfinfo, combined).splitlines()[1:]
    assert whole == [line for part in parts for line in struct_text(pdfinfo, part).splitlines()[1:]]


def test_every_subset_has_a_name_of_its_own(documents: dict[Path, Document]) -> None:
    """A subset's tag comes from its content: in the combined PDF no name stands for two different subsets."""
    combined = next(pdf for pdf in documents if pdf.name == COMBINED)
    with pikepdf.open(combined) as opened:
        by_name: dict[str, set[str]] = {}
        for page in opened.pages:
            for font in page.Resources.Font.values():
                data = font.FontDescriptor.FontFile2.read_bytes()
                by_name.setdefault(str(font.BaseFont), set()).add(hashlib.sha256(data).hexdigest())
    assert all(len(subsets) == 1 for subsets in by_name.values())
    assert len({name.split("+")[0] for name in by_name}) == len(by_name) > 8


def test_the_pdfua_checker_finds_no_failure(documents: dict[Path, Document]) -> None:
    """page-validation's PDF/UA-1 profile (ISO 14289-1, the machine-checkable Matterhorn conditions)."""
    for pdf in documents:
        report = pdfua.validate_pdf(pdf, profile="ua1")
        failures = [f"{failure.rule_id}: {failure.message}" for failure in report.failures]
        assert report.is_compliant and not failures, f"{pdf.name}: {failures[:10]}"
        assert report.rules.total > 100


def test_the_pdfua_checker_does_find_what_is_missing(documents: dict[Path, Document], tmp_path: Path) -> None:
    """The checker is not a check that cannot fail: without a figure's Alt, the language or the title
    display, the same file fails."""
    pdf = next(p for p in documents if "資料2" in p.name)
    found = []
    for damage in ("Alt", "Lang", "DisplayDocTitle"):
        with pikepdf.open(pdf) as opened:
            if damage == "Alt":
                del next(e for e in elements(opened) if e.S == "/Figure")["/Alt"]
            elif damage == "Lang":
                del opened.Root["/Lang"]
            else:
                del opened.Root.ViewerPreferences["/DisplayDocTitle"]
            damaged = tmp_path / f"{damage}.pdf"
            opened.save(damaged)
        report = pdfua.validate_pdf(damaged, profile="ua1")
        assert not report.is_compliant, damage
        found.append({failure.rule_id for failure in report.failures})
    assert any("FIGURE" in rule for rule in found[0]) and any("LANGUAGE" in rule for rule in found[1])
