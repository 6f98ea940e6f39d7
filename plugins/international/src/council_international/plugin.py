"""Registers the ``international`` material type with council-materials.

Takes in nothing; produces, through the ``material_types`` hook, the material
type that validates ``Content`` and builds it with ``build``.
"""
from __future__ import annotations

from council_materials import MaterialType, hookimpl

from .builder import build
from .models import Content

__all__ = ["material_types"]


@hookimpl
def material_types() -> list[MaterialType]:
    """The 国際発信力強化部会 material."""
    return [MaterialType("international", Content, build,
                         "国際発信力強化部会: まちづくりやインフラ分野における国際発信力の強化")]
