"""Between two cycles of a pot that keeps its anode: sludge drain, alloy bleed, Cu and bath.

The plan (`PotLifePlan`, defaults in ``data/pot_life.toml``, every value a labelled
assumption or cited) says how the pot is turned around:

1. **Sludge drain.** ``cooled_sump``: a share of the anode alloy passes through a cooled
   sump at ``sump_temperature`` (raised, if needed, to ``liquidus_margin`` above the Al–Cu
   matrix liquidus of the liquid that returns, `alref.thermo.alloy_liquidus`); primary Si
   and the Fe/Mn/Ti/Cr intermetallics crystallise to COST 507 equilibrium
   (`alref.thermo.solubility.precipitate`) and are filtered out together with the sludge
   already in the pot. ``ladle``: only the sludge in the pot is ladled out. The drained
   cake keeps liquid alloy in the voids between its crystals: a liquid volume fraction
   ``cake_liquid_fraction`` (ε) of the cake, so the entrained mass is
   ε/(1−ε) · Σ m_i/ρ_i · ρ_alloy(T) — set by the solids' volume (phase densities,
   ``thermo/sludge_phases.toml``, oxide ``residue.toml``) and the liquid alloy's density
   at the drain temperature (`alref.properties.alloy_density`), not by a mass ratio.
   With ``cake_pressed`` the hot cake is pressed like a dross and ``press_recovery`` of
   the alloy it holds runs back into the pot (off by default: not the plan's practice).
2. **Alloy bleed.** The next cycle starts by charging scrap up to the compartment level
   (campaign action ``charge_scrap`` with ``hold_level``). The bleed is the share of the
   alloy that must leave so the refilled alloy starts at the Cu set point (when Cu comes in
   with the scrap faster than it leaves) and at most at the Zn limit.
3. **Cu make-up** only when the refilled alloy would start below the band's floor.
4. **Refill** of the alloy up to the compartment level with scrap melted outside the pot
   (domain-physics 2.5: molten feed through the forehearth is the common practice; a cold
   charge of a few hundred kg would freeze the alloy): its metal joins the alloy, its oxide
   the sludge, its organics and moisture leave as off-gas. The melting energy is the
   remelter's (`alref.assess`).
5. **Bath top-up** to the design's bath mass with fresh bath of the initial composition.

Every kg that leaves or enters is returned as element masses, so the balance over many
cycles closes (`alref.campaign.potlife`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from alref import data
from alref.campaign.state import (
    PotState,
    add_into,
    compounds_to_elements,
    oxide_density_kg_m3,
    phases_to_elements,
)
from alref.errors import ConfigError
from alref.properties.alloy_density import density as alloy_density
from alref.thermo.alloy_liquidus import liquidus as matrix_liquidus
from alref.thermo.solubility import precipitate, sludge_phases

KELVIN = 273.15
METHODS = ("cooled_sump", "ladle")


@dataclass(frozen=True)
class PotLifePlan:
    """How a kept-anode pot is turned around between cycles (see module docstring)."""

    method: str = "cooled_sump"
    sump_temperature_k: float = 873.15
    liquidus_margin_k: float = 15.0
    treated_fraction: float = 1.0
    cake_liquid_fraction: float = 0.42
    cake_pressed: bool = False
    press_recovery: float = 0.65
    cu_target_wt_pct: float = 33.0
    cu_min_wt_pct: float = 30.0
    cu_max_wt_pct: float = 45.0
    zn_max_wt_pct: float = 4.0
    bleed_max_fraction: float = 0.5
    bath_top_up: bool = True
    lining_life_days: float = 1500.0
    diaphragm_life_days: float = 365.0
    diaphragm_change_days: float = 2.0
    rebuild_days: float = 30.0
    turnaround_days: float = 1.0
    steady_tolerance: Mapping[str, float] = field(default_factory=dict)
    steady_window: int = 2

    @classmethod
    def default(cls, **overrides: Any) -> PotLifePlan:
        """The plan of ``data/pot_life.toml`` with keyword overrides (checked)."""
        raw = data.load("pot_life")
        d, b, s, st = raw["drain"], raw["bleed"], raw["service_life"], raw["steady_state"]
        plan = cls(
            method=str(d["method"]),
            sump_temperature_k=float(d["sump_temperature_c"]) + KELVIN,
            liquidus_margin_k=float(d["liquidus_margin_k"]),
            treated_fraction=float(d["treated_fraction"]),
            cake_liquid_fraction=float(d["cake"]["liquid_volume_fraction"]),
            cake_pressed=bool(d["press"]["pressed"]),
            press_recovery=float(d["press"]["metal_recovery"]),
            cu_target_wt_pct=float(b["cu_target_wt_pct"]),
            cu_min_wt_pct=float(b["cu_min_wt_pct"]), cu_max_wt_pct=float(b["cu_max_wt_pct"]),
            zn_max_wt_pct=float(b["zn_max_wt_pct"]), bleed_max_fraction=float(b["max_fraction"]),
            bath_top_up=bool(raw["bath"]["top_up"]),
            lining_life_days=float(s["lining_life_days"]),
            diaphragm_life_days=float(s["diaphragm"]["life_days"]),
            diaphragm_change_days=float(s["diaphragm"]["change_days"]),
            rebuild_days=float(s["rebuild"]["rebuild_days"]),
            turnaround_days=float(s["rebuild"]["turnaround_days"]),
            steady_tolerance={k: float(st[k]) for k in ("cu_wt_pct", "scrap_rel", "purity_wt_pct")},
            steady_window=int(st["window"]),
        )
        plan = replace(plan, **overrides)
        plan.check()
        return plan

    def check(self) -> None:
        """ConfigError naming the plan key of a value out of range."""
        if self.method not in METHODS:
            raise ConfigError("pot_life.method", f"unknown drain method {self.method!r}; "
                                                 f"allowed: {', '.join(METHODS)}")
        bounds = {"treated_fraction": (0.0, 1.0), "cake_liquid_fraction": (0.0, 0.9),
                  "press_recovery": (0.0, 1.0),
                  "bleed_max_fraction": (0.0, 1.0), "cu_target_wt_pct": (0.0, 72.5),
                  "zn_max_wt_pct": (0.0, 100.0), "lining_life_days": (1.0, 1e5),
                  "diaphragm_life_days": (1.0, 1e5), "turnaround_days": (0.0, 365.0),
                  "sump_temperature_k": (600.0, 1400.0)}
        for name, (lo, hi) in bounds.items():
            v = getattr(self, name)
            if not (isinstance(v, int | float) and math.isfinite(v) and lo <= v <= hi):
                raise ConfigError(f"pot_life.{name}", f"must be in [{lo:g}, {hi:g}], got {v!r}")
        if not self.cu_min_wt_pct <= self.cu_target_wt_pct <= self.cu_max_wt_pct:
            raise ConfigError("pot_life.cu_target_wt_pct",
                              f"must lie in the band [{self.cu_min_wt_pct:g}, "
                              f"{self.cu_max_wt_pct:g}] wt %, got {self.cu_target_wt_pct:g}")


@dataclass
class Turnaround:
    """What one turnaround did: the state after it and every stream (kg)."""

    state: PotState
    solids_kg: dict[str, float]  # sludge phases drained (incl. the scrap's oxide)
    entrained: dict[str, float]  # liquid alloy drained with the solids (elements)
    bleed: dict[str, float]  # alloy bled (elements)
    cu_added_kg: float
    bath_added: dict[str, float]  # fresh bath (compounds)
    sump_temperature_k: float | None
    refill_scrap_kg: float = 0.0  # scrap melted outside the pot and poured in
    refill_offgas_kg: float = 0.0  # its organics and moisture (not element-resolved)
    inputs: dict[str, float] = field(default_factory=dict)  # elements
    outputs: dict[str, float] = field(default_factory=dict)  # elements

    @property
    def residue(self) -> dict[str, float]:
        """Element masses of the drained sludge (solids + entrained alloy)."""
        out = phases_to_elements(self.solids_kg)
        add_into(out, self.entrained)
        return out


def _wt(masses: Mapping[str, float]) -> dict[str, float]:
    tot = math.fsum(v for v in masses.values() if v > 0)
    return {k: 100.0 * v / tot for k, v in masses.items() if v > 0} if tot > 0 else {}


def _scaled(masses: Mapping[str, float], f: float) -> dict[str, float]:
    return {k: v * f for k, v in masses.items()}


def _sump(alloy: Mapping[str, float], plan: PotLifePlan) -> tuple[dict[str, float],
                                                                     dict[str, float], float]:
    """Liquid and solids (phases) of the treated alloy at the sump temperature, raised until
    the returned liquid is `liquidus_margin_k` above its Al–Cu matrix liquidus."""
    T = plan.sump_temperature_k
    pos = {k: v for k, v in alloy.items() if v > 0}
    for _ in range(8):
        liquid, solids = precipitate(pos, T)
        need = matrix_liquidus(_wt(liquid)).value + plan.liquidus_margin_k
        if need <= T + 1e-6:
            break
        T = need
    liquid = {k: liquid.get(k, 0.0) for k in alloy}  # keep zero/negative rounding entries
    for k, v in alloy.items():
        if not v > 0:
            liquid[k] = v
    return liquid, solids, T


def solids_volume_m3(solids: Mapping[str, float]) -> float:
    """Volume (m³) of sludge phases and oxide (kg by phase), at their solid densities."""
    ph = sludge_phases()
    rho_ox = oxide_density_kg_m3()
    return math.fsum(m / (ph[n].density if n in ph else rho_ox)
                     for n, m in solids.items() if m > 0)


def entrained_mass(solids: Mapping[str, float], liquid: Mapping[str, float], T: float,
                   liquid_fraction: float) -> float:
    """Liquid alloy (kg) a drained cake of `solids` keeps when the liquid fills the volume
    fraction `liquid_fraction` of the cake: ε/(1−ε) · V_solids · ρ_alloy(liquid, T)."""
    v_s = solids_volume_m3(solids)
    if v_s <= 0 or liquid_fraction <= 0:
        return 0.0
    rho = alloy_density(_wt(liquid), T).value
    return liquid_fraction / (1.0 - liquid_fraction) * v_s * rho


def _bleed_fraction(R: Mapping[str, float], level: float, scrap_wt: Mapping[str, float],
                    el: str, limit_wt_pct: float) -> float:
    """Share f of the alloy R to bleed so that, refilled with scrap metal of `scrap_wt` up to
    `level` kg, element `el` starts at `limit_wt_pct` (0 if it would start below)."""
    r_mass = math.fsum(R.values())
    r_el, c_s, c_t = R.get(el, 0.0), scrap_wt.get(el, 0.0) / 100, limit_wt_pct / 100
    if r_mass <= 0 or (r_el + max(level - r_mass, 0.0) * c_s) <= c_t * level:
        return 0.0
    denom = r_el - r_mass * c_s
    keep = (c_t - c_s) * level / denom if denom > 0 else 1.0
    return min(max(1.0 - keep, 0.0), 1.0)


def turnaround(end: PotState, plan: PotLifePlan, level_kg: float, bath_kg: float,
               bath0_wt: Mapping[str, float], scrap_metal_wt: Mapping[str, float],
               metal_yield: float = 1.0, oxide_wt_pct: float = 0.0,
               pot_temperature_k: float = 1023.15) -> Turnaround:
    """Drain, bleed, Cu, refill and bath of the pot at the end of a cycle (module
    docstring). `level_kg`: alloy (+ sludge) the compartment holds; `bath_kg`, `bath0_wt`:
    the design's bath mass and initial composition; `scrap_metal_wt`, `metal_yield`,
    `oxide_wt_pct`: the feed's metal (wt %), metallic yield and oxide (wt % of scrap);
    `pot_temperature_k`: the alloy's temperature when sludge is ladled at pot temperature."""
    alloy = dict(end.anode)
    solids = dict(end.sludge)  # in-pot sludge leaves by every method
    T_sump = None
    liquid_treated: dict[str, float] = {}
    if plan.method == "cooled_sump" and plan.treated_fraction > 0:
        treated = _scaled(alloy, plan.treated_fraction)
        rest = _scaled(alloy, 1.0 - plan.treated_fraction)
        liquid_treated, new_solids, T_sump = _sump(treated, plan)
        add_into(solids, new_solids)
    else:
        rest = alloy
    # entrained liquid: from the treated liquid at the sump temperature (cooled sump) or
    # the pot alloy at the pot temperature (ladle), filling the cake's voids
    pool = liquid_treated if liquid_treated else rest
    pool_mass = math.fsum(v for v in pool.values() if v > 0)
    T_cake = T_sump if T_sump is not None else pot_temperature_k
    ent_mass = min(entrained_mass(solids, pool, T_cake, plan.cake_liquid_fraction), pool_mass)
    if plan.cake_pressed:  # the pressed-out alloy runs back into the pot
        ent_mass *= 1.0 - plan.press_recovery
    entrained = _scaled(pool, ent_mass / pool_mass) if pool_mass > 0 else {}
    remaining = dict(rest) if liquid_treated else {}
    add_into(remaining, pool)
    add_into(remaining, entrained, -1.0)
    # bleed to the Cu set point (from above) and under the Zn limit
    f = max(_bleed_fraction(remaining, level_kg, scrap_metal_wt, "Cu", plan.cu_target_wt_pct),
            _bleed_fraction(remaining, level_kg, scrap_metal_wt, "Zn", plan.zn_max_wt_pct))
    f = min(f, plan.bleed_max_fraction)
    bleed = _scaled(remaining, f)
    add_into(remaining, bleed, -1.0)
    # Cu make-up to the band's floor (Cu then takes part of the level the scrap would fill)
    r_mass = math.fsum(remaining.values())
    c_s, c_min = scrap_metal_wt.get("Cu", 0.0) / 100, plan.cu_min_wt_pct / 100
    short = c_min * level_kg - remaining.get("Cu", 0.0) - max(level_kg - r_mass, 0.0) * c_s
    cu_add = max(short / (1.0 - c_s), 0.0) if c_s < 1 else 0.0
    if cu_add > 0:
        remaining["Cu"] = remaining.get("Cu", 0.0) + cu_add
    # refill with molten scrap up to the level
    # up to the level with metal and oxide (the sludge has just been drained)
    refill = max(level_kg - math.fsum(remaining.values()), 0.0) / (metal_yield + oxide_wt_pct / 100)
    tot = math.fsum(w for w in scrap_metal_wt.values() if w > 0)
    metal = {e: refill * metal_yield * w / tot for e, w in scrap_metal_wt.items() if w > 0}
    oxide = refill * oxide_wt_pct / 100
    add_into(remaining, metal)
    sludge = {"Al2O3": oxide} if oxide > 0 else {}
    bath = dict(end.bath)
    added_bath: dict[str, float] = {}
    deficit = bath_kg - math.fsum(bath.values())
    if plan.bath_top_up and deficit > 0:
        added_bath = {s: deficit * w / 100 for s, w in bath0_wt.items()}
        add_into(bath, added_bath)
    outputs = phases_to_elements(solids)
    add_into(outputs, entrained)
    add_into(outputs, bleed)
    inputs = compounds_to_elements(added_bath)
    if cu_add > 0:
        add_into(inputs, {"Cu": cu_add})
    add_into(inputs, metal)
    add_into(inputs, phases_to_elements(sludge))
    state = PotState(0.0, remaining, sludge, bath, dict(end.cathode))
    return Turnaround(state, solids, entrained, bleed, cu_add, added_bath, T_sump,
                      refill, refill * (1 - metal_yield) - oxide, inputs, outputs)
