"""Resolved operating inputs of a pot (SI floats), produced by `alref.scenario`.

Lives in the cell layer so that the models depend on plain data, not on the scenario
schema (which also covers higher layers: campaign, economics, footprint).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario in SI floats, ready for the models."""

    name: str
    design: str
    current_a: float
    scale_to_a: float | None
    temperature_k: float
    acd_m: float
    pot_control: str | None  # None: the design's default mode
    ambient_k: float
    electrolyte_family: str | None
    electrolyte_wt_pct: dict[str, float]
    feed_scrap: str | dict[str, float]
    charge_temperature_k: float
    anode_cu_wt_pct: float | None
    design_parameters: dict[str, float] = field(default_factory=dict)
