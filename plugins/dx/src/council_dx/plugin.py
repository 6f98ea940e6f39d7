"""The pluggy entry point: registers the ``dx`` material type with the core."""
from __future__ import annotations

from council_materials import MaterialType, hookimpl

from .builder import build
from .models import DxContent

__all__ = ["material_types"]


@hookimpl
def material_types() -> list[MaterialType]:
    """The one material this plugin builds, selected by ``source: dx``."""
    return [MaterialType(
        "dx", DxContent, build,
        "生産性向上・働き方改革部会: DX・AIの活用と建設業等の働き方改革に向けた取組",
    )]
