"""Records of a campaign run: the lots tapped and the actions carried out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Action", "Lot"]


@dataclass(frozen=True)
class Lot:
    """One tap of cathode metal."""

    t_s: float
    mass_kg: float
    composition_wt_pct: Mapping[str, float]  # every element incl. Al
    grade: str | None  # purest grade the analysis meets
    meets_target: bool | None = None  # meets the plan's target grade (None: not judged)

    @property
    def al_wt_pct(self) -> float:
        return float(self.composition_wt_pct.get("Al", 0.0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "t_days": self.t_s / 86400.0,
            "mass_kg": self.mass_kg,
            "al_wt_pct": self.al_wt_pct,
            "composition_wt_pct": dict(self.composition_wt_pct),
            "grade": self.grade,
            "meets_target": self.meets_target,
        }


@dataclass(frozen=True)
class Action:
    """One protocol action that was carried out."""

    t_s: float
    kind: str  # e.g. "charge_scrap", "tap", "drain_residue", "correct_bath", "add_cu"
    detail: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"t_days": self.t_s / 86400.0, "kind": self.kind, **dict(self.detail)}
