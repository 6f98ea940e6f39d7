"""``council new-plugin``: the package it writes installs, passes its own tests and builds a numbered material.

The end-to-end test runs the real ``council`` command in subprocesses. It installs the generated
package into a throwaway virtual environment that sees this one's packages (a ``.pth`` file adds
them, editable installs included), so the environment running the suite never gains the plugin,
even for a moment, and nothing needs uninstalling afterwards.
"""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from council_materials.cli import make_cli
from council_materials.errors import InputError
from council_materials.plugins import get_plugin_manager
from council_materials.scaffold import new_plugin

from conftest import EXAMPLE

FILES = ["README.md", "content/kankyo.yaml", "pyproject.toml", "schemas/kankyo.schema.json",
         "src/council_kankyo/__init__.py", "src/council_kankyo/builder.py", "src/council_kankyo/models.py",
         "src/council_kankyo/plugin.py", "tests/test_kankyo_builder.py"]


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != "COUNCIL_MATERIALS_PLUGINS"}
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def test_new_plugin_writes_the_package_files(tmp_path: Path) -> None:
    written = new_plugin("kankyo", tmp_path / "pkg", title="環境局の取組について")
    assert sorted(p.relative_to(tmp_path / "pkg").as_posix() for p in written) == FILES
    pyproject = (tmp_path / "pkg" / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "council-materials-kankyo"' in pyproject
    assert '[project.entry-points.council_materials]\nkankyo = "council_kankyo.plugin"' in pyproject
    sample = (tmp_path / "pkg" / "content" / "kankyo.yaml").read_text(encoding="utf-8")
    assert sample.startswith("# yaml-language-server: $schema=../schemas/kankyo.schema.json\n")
    schema = json.loads((tmp_path / "pkg" / "schemas" / "kankyo.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "KankyoContent" and schema["required"] == ["topics"]
    assert "環境局の取組について" in (tmp_path / "pkg" / "src" / "council_kankyo" / "plugin.py").read_text("utf-8")


@pytest.mark.parametrize("name, words", [
    ("Kankyo", "not valid"), ("1st", "not valid"), ("road-works", "not valid"), ("slides", "already installed"),
])
def test_new_plugin_refuses_bad_names(tmp_path: Path, name: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        new_plugin(name, tmp_path / "pkg", taken=["slides"])
    assert not (tmp_path / "pkg").exists()


def test_new_plugin_refuses_a_folder_in_use_and_a_quoted_title(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "keep.txt").write_text("mine", encoding="utf-8")
    runner = CliRunner()
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False))
    result = runner.invoke(cli, ["new-plugin", "kankyo", "-o", str(tmp_path / "pkg")])
    assert result.exit_code == 1 and "not an empty folder" in result.output and "Traceback" not in result.output
    assert [p.name for p in (tmp_path / "pkg").iterdir()] == ["keep.txt"]
    result = runner.invoke(cli, ["new-plugin", "kankyo", "-o", str(tmp_path / "new"), "--title", 'a "b"'])
    assert result.exit_code == 1 and "without quotes" in result.output and not (tmp_path / "new").exists()


def _venv(where: Path) -> Path:
    """A virtual environment that also sees every package of the one running the tests."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(where)])
    python = where / "bin" / "python"
    query = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = Path(_run([str(python), "-c", query]).stdout.strip())
    lines = [f"import site; site.addsitedir({folder!r})\n" for folder in site.getsitepackages()]
    (purelib / "_outer_environment.pth").write_text("".join(lines), encoding="utf-8")
    return python


def _council(python: Path) -> list[str]:
    return [str(python), "-m", "council_materials"]


def test_new_plugin_installs_tests_and_builds_as_material_8(tmp_path: Path) -> None:
    council = [sys.executable, "-m", "council_materials"]
    package = tmp_path / "council-materials-kankyo"
    done = _run([*council, "new-plugin", "kankyo", "-o", str(package), "--title", "環境局の取組について"])
    assert f"wrote 9 files into {package}" in done.stdout

    venv = _venv(tmp_path / "venv")
    _run([str(venv), "-m", "pip", "install", "--no-deps", "--quiet", "-e", str(package)])
    listed = _run([*_council(venv), "plugins"]).stdout
    assert "kankyo (council-materials-kankyo 0.1.0)\n  material types:\n    kankyo — 環境局の取組について\n" \
           "  hooks: material_types\n" in listed
    tests = _run([str(venv), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package)], cwd=package)
    assert "5 passed" in tests.stdout
    # `schema --write` puts the schema where the plugin's test reads it, wherever it is run from
    (package / "schemas" / "kankyo.schema.json").unlink()
    written = _run([*_council(venv), "schema", "kankyo", "--write"], cwd=tmp_path).stdout
    assert written == f"wrote {package / 'schemas' / 'kankyo.schema.json'}\n"
    assert not (tmp_path / "schemas").exists()
    tests = _run([str(venv), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package)], cwd=tmp_path)
    assert "5 passed" in tests.stdout

    meeting = tmp_path / "meeting"
    shutil.copytree(EXAMPLE, meeting)
    shutil.copy(package / "content" / "kankyo.yaml", meeting / "content" / "kankyo.yaml")
    text = (meeting / "meeting.yaml").read_text(encoding="utf-8")
    entry = ("  - id: kankyo\n    title: 環境局の取組について\n    owner: 環境局\n    source: kankyo\n"
             "    content: content/kankyo.yaml\nreferences:\n")
    (meeting / "meeting.yaml").write_text(text.replace("references:\n", entry), encoding="utf-8")
    _run([*_council(venv), "validate", str(meeting)])
    built = _run([*_council(venv), "build", str(meeting), "-o", str(tmp_path / "out"), "--format", "pdf"]).stdout
    assert "  08_資料8_環境局の取組について.pdf\n" in built

    combined = PdfReader(next((tmp_path / "out").glob("*_資料一式.pdf")))
    cover = "".join(combined.pages[0].extract_text().split())
    assert "資料8環境局の取組について" in cover and cover.index("資料7") < cover.index("資料8") < cover.index("参考")
    assert [o.title for o in combined.outline][-1] == "資料8 環境局の取組について"
    material = PdfReader(tmp_path / "out" / "08_資料8_環境局の取組について.pdf")
    assert len(material.pages) == 2
    first = "".join(material.pages[0].extract_text().split())
    assert "資料8" in first and "概要" in first and "令和6年度の主な取組と成果を報告します" in first
    assert "取組1再生可能エネルギーの導入" in "".join(material.pages[1].extract_text().split())
