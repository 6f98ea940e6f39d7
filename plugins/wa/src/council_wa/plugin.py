"""Registers the ``wa`` material type with council-materials.

Input: nothing; pluggy calls ``material_types`` once per build.
Output: the ``MaterialType`` pairing ``WaContent`` with ``build``.
"""
from __future__ import annotations

from council_materials import MaterialType, hookimpl

from .builder import build
from .models import WaContent

__all__ = ["material_types"]


@hookimpl
def material_types() -> list[MaterialType]:
    """Return the WA material type: collaboration events and 今後の展開."""
    return [MaterialType("wa", WaContent, build, "資料: WAの取組について（女性技術職員ネットワーク）")]
