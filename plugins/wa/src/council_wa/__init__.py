"""council-materials plugin of WA, the Tokyo government's women engineers' network.

It contributes one material type, ``wa``: the 「WA×技術会議」 collaboration
events and 今後の展開 (the four pillars of the network's next steps), read
from a meeting's ``content/wa.yaml`` and built into built-in slide kinds.
"""
from __future__ import annotations

from .builder import build
from .models import CollaborationEvent, Outlook, Pillar, WaContent

__all__ = ["WaContent", "CollaborationEvent", "Outlook", "Pillar", "build"]
