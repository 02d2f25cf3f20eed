"""Scenario sections `[economics]` and `[footprint]` (schema only; owned by the assess layer).

Fields are filled in by the economics/footprint implementation; unknown keys are rejected.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class EconomicsSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FootprintSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
