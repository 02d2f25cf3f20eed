"""`CycleFigures`: the physical quantities of one pot cycle that economics and footprint need.

Extracted once from a campaign `Solution` (plus the pot's initial inventory); the economics
and footprint functions take this plain record, so tests can build one by hand.
Masses in kg, energy in kWh (DC at the pot, including bought auxiliary heat), time in days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alref.assess.pretreatment import pretreatment_lines
from alref.campaign.solution import Solution
from alref.materials.composition import Composition
from alref.materials.grades import check_grade, get_grade


@dataclass(frozen=True)
class CycleFigures:
    """One pot, one cycle (all SI-ish: kg, kWh, days)."""

    product_kg: float
    premium_grade_kg: float  # lots meeting the premium grade
    scrap_kg: float  # as received
    scrap_metal_kg: float  # metallic part of the scrap
    energy_kwh_dc: float
    cycle_days: float
    current_a: float
    salts_kg: Mapping[str, float] = field(default_factory=dict)
    spent_bath_kg: float = 0.0
    copper_kg: float = 0.0  # starter alloy Cu + add_cu actions
    starter_al_kg: float = 0.0
    residue_kg: float = 0.0
    residue_wt_pct: Mapping[str, float] = field(default_factory=dict)
    scrap_metal_wt_pct: Mapping[str, float] = field(default_factory=dict)
    hourly_energy_kwh: tuple[float, ...] = ()  # energy in each elapsed hour of the cycle
    bleed_kg: float = 0.0  # anode alloy bled (kept-anode pots, `alref.campaign.potlife`)
    bleed_wt_pct: Mapping[str, float] = field(default_factory=dict)
    refill_scrap_kg: float = 0.0  # scrap melted outside the pot for the refill (kept anode)
    # demagging of the scrap before charging (`feed.pretreatment`, alref.assess.pretreatment)
    pretreatment_usd_per_t: float = 0.0  # reagent cost per t product
    pretreatment_co2_t_per_t: float = 0.0  # reagent cradle-to-gate CO2e per t product

    @property
    def product_t(self) -> float:
        return self.product_kg / 1000.0

    @property
    def offgrade_kg(self) -> float:
        return max(self.product_kg - self.premium_grade_kg, 0.0)

    @property
    def residue_copper_kg(self) -> float:
        return self.residue_kg * self.residue_wt_pct.get("Cu", 0.0) / 100.0

    @property
    def bleed_copper_kg(self) -> float:
        return self.bleed_kg * self.bleed_wt_pct.get("Cu", 0.0) / 100.0

    @property
    def melted_kg(self) -> float:
        """Metal melted outside the pot: the starter alloy (Al + Cu) of a campaign, or the
        molten scrap refill and Cu make-up of a kept-anode pot."""
        return self.starter_al_kg + max(self.copper_kg, 0.0) + self.refill_scrap_kg


def premium_grade_mass(sol: Solution, grade: str, key: str = "economics.premium_grade") -> float:
    """kg of tapped lots that pass `grade` (alref.materials.grades, rounding method)."""
    g = get_grade(grade, key=key)
    total = 0.0
    for lot in sol.lots:
        comp = Composition.from_wt_pct(lot.composition_wt_pct, balance="Al")
        if check_grade(comp, g).passed:
            total += lot.mass_kg
    return total


def hourly_energy(sol: Solution) -> tuple[float, ...]:
    """Energy per elapsed hour from the cumulative-energy series (constant power in a step)."""
    try:
        cum = np.asarray(sol["Cumulative energy [kWh]"], dtype=float)
    except KeyError:
        return ()
    t_h = np.asarray(sol.time_s, dtype=float) / 3600.0
    if len(t_h) < 2:
        return ()
    total = float(sol.summary["energy_kwh_per_kg"]) * float(sol.summary["product_kg"])
    # extend to the end of the cycle with the last step's power
    t_end = float(sol.summary["cycle_days"]) * 24.0
    if t_end > t_h[-1] and cum[-1] < total:
        t_h = np.append(t_h, t_end)
        cum = np.append(cum, total)
    hours = np.arange(0.0, np.ceil(t_h[-1]) + 1.0)
    at = np.interp(hours, t_h, cum)
    return tuple(float(x) for x in np.diff(at))


def cycle_figures(sol: Solution, initial_anode_kg: Mapping[str, float], scrap_metal_yield: float,
                  premium_grade: str = "P1020A") -> CycleFigures:
    """Read a Solution's summary and actions log into `CycleFigures`.

    `initial_anode_kg` is the pot's starter alloy ({"Al": kg, "Cu": kg}); bath make-up comes
    from `correct_bath` actions (``<Salt>_kg``), spent bath from `replace_bath` (``removed_kg``),
    Cu additions from `add_cu` (``mass_kg``).
    """
    s = sol.summary
    salts: dict[str, float] = {}
    spent = 0.0
    cu = float(initial_anode_kg.get("Cu", 0.0))
    for a in sol.actions:
        if a.kind == "correct_bath":
            for k, v in a.detail.items():
                if k.endswith("_kg"):
                    salts[k[:-3]] = salts.get(k[:-3], 0.0) + float(v)
        elif a.kind == "replace_bath":
            spent += float(a.detail.get("removed_kg", 0.0))
        elif a.kind == "add_cu":
            cu += float(a.detail.get("mass_kg", 0.0))
    product = float(s["product_kg"])
    scrap = float(s["scrap_charged_kg"])
    return CycleFigures(
        product_kg=product,
        premium_grade_kg=premium_grade_mass(sol, premium_grade),
        scrap_kg=scrap,
        scrap_metal_kg=scrap * scrap_metal_yield,
        energy_kwh_dc=float(s["energy_kwh_per_kg"]) * product,
        cycle_days=float(s["cycle_days"]),
        current_a=float(s["current_a"]),
        salts_kg=salts,
        spent_bath_kg=spent,
        copper_kg=cu,
        starter_al_kg=float(initial_anode_kg.get("Al", 0.0)),
        residue_kg=float(s["residue_kg"]),
        residue_wt_pct=dict(s["residue_composition_wt_pct"]),
        scrap_metal_wt_pct=dict(s.get("feed_composition_wt_pct", {})),
        hourly_energy_kwh=hourly_energy(sol),
        **figures_pretreatment(s),
    )


def figures_pretreatment(summary: Mapping[str, Any]) -> dict[str, float]:
    """The `CycleFigures` pre-treatment fields of a run summary (zeros without one)."""
    lines = pretreatment_lines(summary)
    return {"pretreatment_usd_per_t": lines["cost_usd_per_t"],
            "pretreatment_co2_t_per_t": lines["co2_t_per_t"]}
