"""Reproducible builds: the same inputs give byte-identical files, whatever the clock, zone or load order."""
from __future__ import annotations

import os
import subprocess
import sys
import types
import zipfile
from pathlib import Path

from council_materials import MaterialType, hookimpl
from council_materials.build import build
from council_materials.models import BulletsSlide, StrictModel
from council_materials.plugins import get_plugin_manager

from conftest import EXAMPLE
from meetings import MEETING, write_meeting


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}  # the manifest too: it is the same


def _cli_build(out: Path, **env: str) -> dict[str, bytes]:
    subprocess.run([sys.executable, "-m", "council_materials", "build", str(EXAMPLE), "-o", str(out)],
                   check=True, capture_output=True, env={**os.environ, **env})
    return _files(out)


def test_example_is_byte_identical_across_time_zones_and_hash_seeds(tmp_path: Path) -> None:
    first = _cli_build(tmp_path / "a", TZ="UTC", PYTHONHASHSEED="1")
    second = _cli_build(tmp_path / "b", TZ="Asia/Tokyo", PYTHONHASHSEED="2")
    assert len(first) == 18  # 17 outputs and the manifest
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between builds"


def test_pptx_zip_entries_have_fixed_times_and_properties_from_the_meeting(example_build) -> None:
    deck = next(p for p in example_build.files if p.suffix == ".pptx")
    with zipfile.ZipFile(deck) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    # the meeting starts at 16:00 in Tokyo (+09:00): 07:00 UTC, stated as such
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-02-20T07:00:00Z</dcterms:created>" in core
    assert "東京都技術会議" in core and "<dc:language>ja-JP</dc:language>" in core


class _Note(StrictModel):
    text: str = "内容"


def _plugin(name: str, type_name: str) -> types.ModuleType:
    @hookimpl
    def material_types() -> list[MaterialType]:
        return [MaterialType(type_name, _Note, lambda c, ctx: [BulletsSlide(title=type_name, items=[c.text])])]
    module = types.ModuleType(name)  # a plugin is a module (or a hashable object)
    module.material_types = material_types  # type: ignore[attr-defined]
    return module


def test_plugin_registration_order_does_not_change_the_output(tmp_path: Path) -> None:
    meeting = MEETING.replace("    source: slides\n    content: plan.yaml\n",
                              "    source: alpha\n  - id: beta\n    title: ベータ\n    source: beta\n")
    root = write_meeting(tmp_path, meeting=meeting)
    one, two = _plugin("one", "alpha"), _plugin("two", "beta")
    build(root, tmp_path / "ab", get_plugin_manager(load_entrypoints=False, extra=(one, two)))
    build(root, tmp_path / "ba", get_plugin_manager(load_entrypoints=False, extra=(two, one)))
    assert _files(tmp_path / "ab") == _files(tmp_path / "ba")


def test_source_date_epoch_is_the_stamped_date(tmp_path: Path, monkeypatch) -> None:
    from pypdf import PdfReader

    root = write_meeting(tmp_path)
    pm = get_plugin_manager(load_entrypoints=False)
    build(root, tmp_path / "meeting-date", pm)
    pdf = PdfReader(tmp_path / "meeting-date" / "00_会議次第.pdf")
    assert pdf.metadata["/CreationDate"].startswith("D:20250220160000")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(root, tmp_path / "a", pm)
    build(root, tmp_path / "b", pm)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert PdfReader(tmp_path / "a" / "00_会議次第.pdf").metadata["/CreationDate"].startswith("D:20231114221320")
    with zipfile.ZipFile(tmp_path / "a" / "00_会議次第.pptx") as z:
        assert "2023-11-14T22:13:20" in z.read("docProps/core.xml").decode()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    import pytest
    from council_materials.errors import CouncilError
    with pytest.raises(CouncilError, match="SOURCE_DATE_EPOCH must be a whole number"):
        build(root, tmp_path / "c", pm)
