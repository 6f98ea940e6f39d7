"""Shared fixtures: fonts, a fresh plugin manager, the example meeting built once, test clients.

End-to-end tests need LibreOffice (``soffice``) and poppler (``pdftotext``,
``pdffonts``, ``pdftoppm``). Outside CI they skip with a reason when missing;
with ``COUNCIL_REQUIRE_CLIENTS=1`` (set by ``.ci/run``) a missing client fails.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from council_materials.build import BuildResult, build
from council_materials.plugins import get_plugin_manager
from council_materials.typography.fonts import FontPair, default_font_pair

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "council-120"


def pytest_configure(config: pytest.Config) -> None:
    """One cache folder per test session (font metrics, pictures, the state of each output folder), so
    that no test reuses what an earlier session or a user's build left in ~/.cache."""
    if "COUNCIL_MATERIALS_CACHE" not in os.environ:
        import tempfile
        os.environ["COUNCIL_MATERIALS_CACHE"] = tempfile.mkdtemp(prefix="council-test-cache-")


def require_client(command: str) -> str:
    """Path of ``command``; skip (or fail in CI) when it is not installed."""
    found = shutil.which(command)
    if found:
        return found
    message = f"{command} is not installed (scripts/setup.sh --test-clients installs it)"
    if os.environ.get("COUNCIL_REQUIRE_CLIENTS"):
        pytest.fail(message)
    pytest.skip(message)


def require_font(family: str = "BIZ UDPGothic") -> None:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout \
        if shutil.which("fc-list") else ""
    if family not in out:
        message = f"font {family!r} is not installed for LibreOffice (scripts/setup.sh --test-clients)"
        if os.environ.get("COUNCIL_REQUIRE_CLIENTS"):
            pytest.fail(message)
        pytest.skip(message)


def render_both(document, folder: Path, stem: str) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """Render ``document`` with both renderers into ``folder``; return the PDF and the PPTX."""
    from council_materials.render.pdf import render_pdf
    from council_materials.render.pptx import render_pptx

    pdf, pptx = folder / f"{stem}.pdf", folder / f"{stem}.pptx"
    render_pdf(document, pdf)
    render_pptx(document, pptx)
    return pdf, pptx


def soffice_to_pdf(source: Path, outdir: Path) -> Path:
    """Convert a PPTX with LibreOffice headless, with a private profile; return the PDF."""
    soffice = require_client("soffice")
    profile = outdir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=300)
    return outdir / (source.stem + ".pdf")


@pytest.fixture(scope="session")
def fonts() -> FontPair:
    return default_font_pair()


@pytest.fixture
def pm():
    """A plugin manager with only the core's built-in plugin (no installed plugins)."""
    return get_plugin_manager(load_entrypoints=False)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example meeting, built once per test session with every installed plugin."""
    out = tmp_path_factory.mktemp("example") / "out"
    return build(EXAMPLE, out, get_plugin_manager())
