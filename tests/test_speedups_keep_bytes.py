"""What makes builds fast changes no byte: worker processes, the font cache, reused files."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE


def _build(out: Path, cache: Path, workers: str) -> dict[str, bytes]:
    env = {**os.environ, "COUNCIL_MATERIALS_WORKERS": workers, "COUNCIL_MATERIALS_CACHE": str(cache)}
    subprocess.run([sys.executable, "-m", "council_materials", "build", str(EXAMPLE), "-o", str(out)],
                   check=True, capture_output=True, env=env)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_one_or_two_workers_cold_or_warm_cache_give_the_same_bytes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold_one = _build(tmp_path / "a", cache, "1")  # fills the cache
    assert any((cache / "fonts").iterdir())
    warm_two = _build(tmp_path / "b", cache, "2")
    assert len(cold_one) == 18 and cold_one == warm_two  # 17 outputs and the manifest
