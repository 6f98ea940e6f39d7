"""council-materials plugin for the 国際発信力強化部会 (international exchange working group).

Takes in the group's content file (``content/international.yaml`` of a meeting
folder) and produces the slides of its material: a cover, the group's purpose
and activity counts, event reports, the exchange database and the exchange
stories. ``models`` holds the content model, ``builder`` maps it onto the
core's slide kinds, ``plugin`` registers both with the core.
"""
from __future__ import annotations

from .builder import build
from .models import Content

__all__ = ["Content", "build"]
