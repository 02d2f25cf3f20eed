"""`Solution`: the result of a campaign simulation (PyBaMM-like).

Named time series with units in their names (``sol["Cell voltage [V]"]``), tapped lots,
the actions log, residue, summary KPIs, the termination reason and the citations used.
Writing a run folder and the HTML report live in `alref.report` (one layer up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Lot:
    """One tap of cathode metal."""

    t_s: float
    mass_kg: float
    composition_wt_pct: Mapping[str, float]  # every element incl. Al
    grade: str | None

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
        }


@dataclass(frozen=True)
class Action:
    """One protocol action that was carried out."""

    t_s: float
    kind: str  # e.g. "charge_scrap", "tap", "drain_residue", "correct_bath", "add_cu"
    detail: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"t_days": self.t_s / 86400.0, "kind": self.kind, **dict(self.detail)}


@dataclass
class Solution:
    """Everything a campaign run produced."""

    scenario: str
    scenario_hash: str
    time_s: np.ndarray
    series: dict[str, np.ndarray]  # name with unit in brackets -> values at time_s
    lots: list[Lot]
    actions: list[Action]
    residue_kg: float
    residue_composition_wt_pct: dict[str, float]
    summary: dict[str, Any]
    termination: str
    citations: list[str]
    grade_limits: dict[str, dict[str, float]] = field(default_factory=dict)  # grade -> El -> max wt %
    seed: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)  # name -> {value, unit, source|assumption}

    def __getitem__(self, name: str) -> np.ndarray:
        if name in ("Time [s]",):
            return self.time_s
        if name == "Time [d]":
            return self.time_s / 86400.0
        try:
            return self.series[name]
        except KeyError:
            raise KeyError(f"no series {name!r}; available: {sorted(self.series)}") from None

    @property
    def names(self) -> list[str]:
        return sorted(self.series)
