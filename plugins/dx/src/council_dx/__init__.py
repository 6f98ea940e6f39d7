"""council-materials-dx: the 生産性向上・働き方改革部会 (DX・AI) material.

Takes the working group's content file (``DxContent``) and builds the slides
of 資料 「DX・AIの活用と建設業等の働き方改革に向けた取組」 with ``build``.
The plugin registers itself through ``council_dx.plugin``.
"""
from __future__ import annotations

from .builder import build
from .models import DxContent

__all__ = ["DxContent", "build"]
