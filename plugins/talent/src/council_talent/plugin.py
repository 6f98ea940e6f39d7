"""The plugin's hook implementations: registers the ``talent`` material type.

Input: nothing (pluggy calls the hook once per build). Output: one
``MaterialType`` whose content model is ``TalentContent`` and whose builder is
``council_talent.builder.build``.
"""
from __future__ import annotations

from council_materials import MaterialType, hookimpl

from .builder import build
from .models import TalentContent

__all__ = ["material_types"]


@hookimpl
def material_types() -> list[MaterialType]:
    """The ``talent`` material: 技術力の維持向上に向けた技術職員の確保と育成."""
    return [MaterialType("talent", TalentContent, build,
                         "技術力維持向上部会: 技術職員の確保・育成・定着 (取組内容と次年度に向けて)")]
