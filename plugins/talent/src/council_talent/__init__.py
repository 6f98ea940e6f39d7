"""council-materials plugin of 技術力維持向上部会 (technical-staff recruitment and training).

Takes a meeting's ``talent`` content file (``TalentContent``) and builds the
material 「技術力の維持向上に向けた技術職員の確保と育成」 from the core's
built-in slide kinds. The hooks live in ``council_talent.plugin``.
"""
from __future__ import annotations

from .builder import build
from .models import TalentContent

__all__ = ["TalentContent", "build"]
__version__ = "0.1.0"
