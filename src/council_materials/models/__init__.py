"""Input models: the meeting folder's files and the slide kinds."""
from __future__ import annotations

from .base import StrictModel
from .charts import ChartData, ChartSeries, ChartType
from .meeting import (Agenda, AgendaTopic, Color, FontFile, FontSet, MaterialEntry, Meeting,
                      Person, RelPath, Roster, Theme)
from .slides import *  # noqa: F403
from .slides import __all__ as _slide_names
from .text import Slug, Text, clean_text, parse_runs, plain

__all__ = [
    "StrictModel", "ChartData", "ChartSeries", "ChartType", "Agenda", "AgendaTopic", "Color", "FontFile",
    "FontSet", "MaterialEntry", "Meeting", "Person", "RelPath", "Roster", "Theme", "Slug", "Text", "clean_text",
    "parse_runs", "plain", *_slide_names,
]
