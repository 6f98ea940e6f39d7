"""The strict base model every input model derives from."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["StrictModel"]


class StrictModel(BaseModel):
    """Unknown keys are errors; instances are immutable once validated. A model's validator is built when
    it is first used (``defer_build``): a build whose files are unchanged takes them from the cache
    folder (``loading.load_validated``) and never builds most of them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
