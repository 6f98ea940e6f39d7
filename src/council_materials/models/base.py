"""The strict base model every input model derives from."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["StrictModel"]


class StrictModel(BaseModel):
    """Unknown keys are errors; instances are immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)
