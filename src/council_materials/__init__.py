"""council-materials: compile a council meeting's materials into PPTX and PDF.

The pipeline runs one way: load and validate the meeting folder, collect
contributions from plugins, assemble and number, lay out once, render twice.
Plugin authors need ``hookimpl``, ``MaterialType``, ``SlideKind`` (and
``OutputFormat`` for a new kind of output file) and the models in
``council_materials.models``.
"""
from __future__ import annotations

from .hookspecs import BuildContext, MaterialType, OutputFormat, SlideKind, hookimpl

__version__ = "0.1.0"
__all__ = ["hookimpl", "MaterialType", "SlideKind", "OutputFormat", "BuildContext", "__version__"]
