"""Steady-state `CellModel`: one pot at one operating point, with its pot control.

Given a scenario (design, current, target temperature, bath, feed), the model computes
bath and alloy properties, the voltage breakdown, current efficiency, heat balance and
energy. The heat released in the pot must equal the losses plus the heat taken by the
scrap charged at the production rate (domain-physics §8.1); `control` closes that balance
with the lever of the design's control mode (``cell.pot_control``; each design file lists
the modes it supports and its plant's default):

* ``auxiliary`` (diaphragm pots, whose gap is fixed by construction): auxiliary heating
  makes up a deficit and cooling removes a surplus at the set temperature (small pots:
  §8.2 "a 500 A pot cannot be thermally self-sufficient at ~3 V");
* ``bath_level`` (stacked pots): the bath layer (ACD) moves within the design limits; at the
  thickest layer a deficit is made up by auxiliary heat, at the thinnest a surplus lets the
  pot settle hotter, with cooling beyond the design maximum (large pots: §8.2);
* ``fixed_acd``: no lever; the temperature is where the balance closes at the given gap;
* ``furnace`` (lab cells): the furnace holds the set temperature; their energy is the DC
  energy only, as published.

`control_report` adds what holding the point costs — auxiliary heat or cooling, the
self-heating temperature the pot would reach without them — and whether the pot stays
within its limits (`alref.cell.limits`, `alref.cell.stability`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from alref.cell import heater, limits
from alref.cell.design import CellDesign
from alref.cell.efficiency import current_efficiency, production_kg_s
from alref.cell.electrical import ElectricalState, voltage_breakdown
from alref.cell.feed import Feed
from alref.cell.inputs import Bath, OperatingInputs
from alref.cell.operating_point import OperatingPoint
from alref.cell.stability import interface_stability
from alref.cell.thermal import HeatLoss, heat_loss
from alref.citations import citing_cache, track_citations
from alref.errors import ConfigError, PhysicsError
from alref.properties import alloy_density, electrolyte
from alref.properties.registry import RangeWarning
from alref.roots import brentq
from alref.thermo import activity, alloy_liquidus

ELECTRODE_TERMS = ("reversible", "anode_overvoltage", "cathode_overvoltage", "bath_ir", "diaphragm_ir")


@dataclass(frozen=True)
class PotConditions:
    """Everything the operating point depends on besides ACD and temperature.

    The campaign simulator builds one of these per time step with the current bath and
    alloy compositions and calls `evaluate` / `control` — the same physics as `CellModel`.
    """

    design: CellDesign
    s: OperatingInputs
    bath_wt: dict[str, float]
    family: str
    alloy_wt: dict[str, float]
    feed: Feed
    #: alloy density and Al activity already known at a temperature, {T: (ρ_alloy, a_Al)}
    #: (the batch engine computes them for many pots at once with the same models)
    alloy_known: dict[float, tuple[float, float]] = field(default_factory=dict, compare=False,
                                                         repr=False)
    #: bath κ and ρ already known at a temperature (the batch's charge-dip probe estimate)
    bath_known: dict[float, tuple[float, float]] = field(default_factory=dict, compare=False, repr=False)
    _props: dict[float, tuple[float, ...]] = field(default_factory=dict, compare=False,
                                                   repr=False)
    _evals: dict[tuple[float, float], dict[str, Any]] = field(default_factory=dict,
                                                               compare=False, repr=False)

    def properties(self, temp: float) -> tuple[float, float, float, float, float]:
        """(κ, ρ_bath, ρ_alloy, ρ_Al, a_Al) at `temp` — they do not depend on the ACD, so
        the pot-control search evaluates them once per temperature."""
        if temp not in self._props:
            known = self.alloy_known.get(temp)
            rho_alloy, a_al = known if known is not None else (
                alloy_density.density(self.alloy_wt, temp).value,
                activity.activity_al(self.alloy_wt, temp))
            bath = self.bath_known.get(temp)
            kappa, rho_bath = bath if bath is not None else (
                electrolyte.conductivity(self.bath_wt, temp, family=self.family).value,
                electrolyte.density(self.bath_wt, temp, family=self.family).value)
            self._props[temp] = (kappa, rho_bath, rho_alloy,
                                 alloy_density.liquid_al_density(temp).value, a_al)
        return self._props[temp]  # type: ignore[return-value]


def evaluate(f: PotConditions, acd: float, temp: float) -> dict[str, Any]:
    """Voltage, CE, production, heat loss and heat surplus at one (ACD, T) (remembered per
    `PotConditions`: the control search and the caller often ask for the same point)."""
    key = (acd, temp)
    if key not in f._evals:
        f._evals[key] = _evaluate(f, acd, temp)
    return f._evals[key]


def _evaluate(f: PotConditions, acd: float, temp: float) -> dict[str, Any]:
    d, s = f.design, f.s
    kappa, rho_bath, rho_alloy, rho_al, a_al = f.properties(temp)
    state = ElectricalState(
        current_a=s.current_a, temperature_k=temp, ambient_k=s.ambient_k, acd_m=acd,
        bath_conductivity_s_m=kappa, bath_density_kg_m3=rho_bath,
        bath_alf3_wt_pct=f.bath_wt.get("AlF3", 0.0), alloy_al_activity=a_al,
        alloy_density_kg_m3=rho_alloy, alloy_al_wt_pct=f.alloy_wt.get("Al", 0.0),
        alloy_cu_wt_pct=f.alloy_wt.get("Cu", 0.0), cathode_density_kg_m3=rho_al,
    )
    vb = voltage_breakdown(d, state)
    u_electrodes = sum(vb.terms.get(k, 0.0) for k in ELECTRODE_TERMS)
    ce = current_efficiency(d, s.current_a, rho_bath, u_electrodes, temp, f.bath_wt)
    if ce.current_efficiency <= 0.0:
        raise ConfigError(
            "cell.current",
            f"{s.current_a:g} A is below the pot's loss currents "
            f"({sum(ce.losses_a.values()):.3g} A): no net production",
        )
    prod = production_kg_s(s.current_a, ce.current_efficiency)
    loss = _heat_loss_cached(d, temp, s.ambient_k)
    feed_w = prod * f.feed.heat_per_kg_al(temp)
    surplus = vb.heat_in_pot_w - loss.total_w - feed_w
    return {
        "vb": vb, "ce": ce, "prod": prod, "loss": loss, "feed_w": feed_w,
        "surplus": surplus, "kappa": kappa, "rho_bath": rho_bath, "rho_alloy": rho_alloy,
        "rho_al": rho_al, "a_al": a_al,
    }

def control(f: PotConditions, warn: bool = True
            ) -> tuple[float, float, str | None, float, float, list[str]]:
    """Pot control with the lever of the design's mode (``cell.pot_control``).

    Returns (acd, T, limit, aux_w, cooling_w, notes); `limit` names the ACD limit ("min",
    "max") of ``bath_level``, the temperature limit ("min_temperature",
    "max_temperature") at which a heat balance was closed by auxiliary heat or cooling, or
    the lever's authority (`HEATER_LIMITS`) where the heater or cooling could not hold the
    set temperature; `warn`: a RangeWarning names the shortfall (`heater_authority`).
    """
    d, s = f.design, f.s
    mode = d.control_mode(s.pot_control)
    pc = d.spec.pot_control
    notes: list[str] = []
    t_set = s.temperature_k

    def surplus(acd: float, temp: float) -> float:
        return evaluate(f, acd, temp)["surplus"]

    if mode == "furnace":
        sp = surplus(s.acd_m, t_set)
        notes.append("lab cell in an external furnace: temperature held by the furnace")
        t, limit, aux, cool = _authority(f, s.acd_m, sp, notes, warn)
        return s.acd_m, t, limit, aux, cool, notes

    if mode == "auxiliary":
        sp = surplus(s.acd_m, t_set)
        held: list[str] = []
        t, limit, aux, cool = _authority(f, s.acd_m, sp, held, warn)
        if sp < 0:
            notes.append(f"the fixed gap makes {-sp / 1e3:.2f} kW less heat than the pot loses at "
                         f"{t_set - 273.15:.0f} degC: "
                         + ("auxiliary heating holds the temperature" if limit is None
                            else "more than the heater gives"))
        elif sp > 0:
            notes.append(f"the fixed gap makes {sp / 1e3:.2f} kW more heat than the pot loses at "
                         f"{t_set - 273.15:.0f} degC: "
                         + ("that heat must be removed by cooling" if limit is None
                            else "more than the cooling removes"))
        notes.extend(held)
        return s.acd_m, t, limit, aux, cool, notes

    if mode == "fixed_acd":
        t, limit, aux, cool = settle_temperature(f, s.acd_m, notes)
        return s.acd_m, t, limit, aux, cool, notes

    # bath_level (stacked pots): the bath layer thickness is the lever, within its limits
    lo, hi = surplus(pc.acd_min_m, t_set), surplus(pc.acd_max_m, t_set)
    if hi < 0:
        notes.append(
            "even the thickest bath layer cannot hold the temperature: auxiliary heat needed"
        )
        return pc.acd_max_m, t_set, "max", -hi, 0.0, notes
    if lo > 0:
        notes.append("the thinnest bath layer still releases surplus heat: the pot settles hotter")
        t, _limit, aux, cool = settle_temperature(f, pc.acd_min_m, notes)
        return pc.acd_min_m, t, "min", aux, cool, notes
    # the surplus is almost linear in ACD (bath IR heat): a secant step from the bracket,
    # then brentq on the narrowed bracket if the residual is not yet negligible
    acd = pc.acd_min_m + (pc.acd_max_m - pc.acd_min_m) * lo / (lo - hi)
    mid = surplus(acd, t_set)
    if abs(mid) > 1e-9 * max(abs(lo), abs(hi)):
        a, b = (acd, pc.acd_max_m) if mid < 0 else (pc.acd_min_m, acd)
        acd = brentq(lambda x: surplus(x, t_set), a, b, xtol=1e-9)
    return acd, t_set, None, 0.0, 0.0, notes


def _authority(f: PotConditions, acd: float, sp: float, notes: list[str], warn: bool
               ) -> tuple[float, str | None, float, float]:
    """`heater.authority` for this pot at its fixed gap (the liquidus window is read only
    where the surplus is beyond the heater's or cooling's rating: inside them it is unused)."""
    d, pc = f.design, f.design.spec.pot_control
    inside = -d.heater_max_w <= sp <= d.cooling_max_w
    return heater.authority(d, f.s.temperature_k, sp, lambda t: evaluate(f, acd, t)["surplus"],
                            0.0 if inside else temperature_window(f)[0] - pc.superheat_min_k,
                            notes, warn)


def temperature_window(f: PotConditions) -> tuple[float, float]:
    """(lowest, highest) bath temperature the design allows for this bath and alloy, K."""
    pc = f.design.spec.pot_control
    t_low = electrolyte.liquidus(f.bath_wt, family=f.family).value + pc.superheat_min_k
    t_low = max(t_low, alloy_liquidus.liquidus(f.alloy_wt).value + pc.superheat_min_k)
    return t_low, pc.temperature_max_k


def settle_temperature(
    f: PotConditions, acd: float, notes: list[str]
) -> tuple[float, str | None, float, float]:
    """Temperature at which the heat balance closes at a fixed ACD (T, limit, aux, cool)."""
    t_low, t_high = temperature_window(f)

    def g(temp: float) -> float:
        return evaluate(f, acd, temp)["surplus"]

    g_low, g_high = g(t_low), g(t_high)
    if g_high > 0:
        notes.append(
            f"heat surplus even at the design's maximum temperature "
            f"{t_high-273.15:.0f} degC: cooling needed (or a thinner lining)"
        )
        return t_high, "max_temperature", 0.0, g_high
    if g_low < 0:
        t_set = f.s.temperature_k
        notes.append("heat balance would freeze the pot: auxiliary heat holds the set temperature")
        return t_set, "min_temperature", -g(t_set), 0.0
    return brentq(g, t_low, t_high, xtol=1e-4), None, 0.0, 0.0


def control_report(
    f: PotConditions, acd: float, temp: float, aux: float, cool: float, r: dict[str, Any]
) -> dict[str, Any]:
    """What holding this point costs and whether the pot stays within its limits
    (`alref.cell.limits.control_report`, with the heat surplus of this model)."""
    d, s = f.design, f.s
    stab = interface_stability(d, s.current_a, acd, r["rho_alloy"], r["rho_bath"], r["rho_al"])
    mode = d.control_mode(s.pot_control)
    rep = limits.control_report(
        d, mode, s.temperature_k, temp, acd, aux, cool,
        temperature_window(f), lambda t: evaluate(f, acd, t)["surplus"], stab)
    if mode in limits.AUXILIARY_MODES:
        sp_set = r["surplus"] if temp == s.temperature_k else evaluate(f, acd, s.temperature_k)[
            "surplus"]
        rep["heater"] = hr = heater.report(d, sp_set, aux, cool, s.temperature_k, temp)
        rep["limits"]["heater"] = {
            "value": hr["demand_at_set_temperature_kw"], "ok": hr["ok"],
            "min": None if hr["cooling_max_kw"] is None else -hr["cooling_max_kw"],
            "max": hr["heating_max_kw"]}
        rep["within_limits"] = rep["within_limits"] and hr["ok"]
    return rep


@citing_cache(maxsize=256)
def _heat_loss_cached(design: CellDesign, temp: float, ambient: float) -> HeatLoss:
    return heat_loss(design, temp, ambient)


@lru_cache(maxsize=256)
def _alloy_liquidus(alloy: tuple[tuple[str, float], ...]) -> float:
    return float(alloy_liquidus.liquidus(dict(alloy)).value)


class CellSource(Protocol):
    """What `CellModel.from_scenario` needs of a scenario (no schema import here)."""

    def cell_parts(self) -> tuple[CellDesign, OperatingInputs, Bath, Feed]: ...


class CellModel:
    """Steady-state model of one pot (PyBaMM-style: build from domain objects, then solve).

    ``CellModel(design, inputs, bath, feed)``: a `CellDesign` (already scaled), the
    `OperatingInputs`, a validated `Bath` and the `Feed`. Construction checks that they fit
    together (a control mode the design supports, ACD within the design limits,
    temperature below the design maximum and above the bath and anode-alloy liquidus;
    ConfigError naming the key otherwise).
    `CellModel.from_scenario(sc)` builds the four from a scenario.
    """

    def __init__(self, design: CellDesign, inputs: OperatingInputs, bath: Bath,
                 feed: Feed) -> None:
        self.design = design
        self.inputs = inputs
        self.bath = bath
        self.feed = feed
        cu = (inputs.anode_cu_wt_pct if inputs.anode_cu_wt_pct is not None
              else design.spec.inventory.anode_cu_wt_pct)
        self.alloy_wt: dict[str, float] = {"Al": 100.0 - cu, "Cu": cu} if cu > 0 else {"Al": 100.0}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RangeWarning)  # solve() reports them
            self._check(cu)

    @classmethod
    def from_scenario(cls, scenario: CellSource) -> CellModel:
        """Build the model of a scenario: anything with ``cell_parts()`` returning
        (design, inputs, bath, feed), e.g. `alref.scenario.Scenario`."""
        return cls(*scenario.cell_parts())

    @property
    def resolved(self) -> OperatingInputs:
        """The operating inputs (former name of `inputs`)."""
        return self.inputs

    def __repr__(self) -> str:
        i = self.inputs
        return (f"CellModel({self.design.name!r}, {i.current_a:g} A, "
                f"{i.temperature_k - 273.15:g} degC, bath {self.bath.family}, "
                f"feed {self.feed.name!r})")

    # ------------------------------------------------------------------ set-up
    def _check(self, cu: float) -> None:
        design, s = self.design, self.inputs
        design.control_mode(s.pot_control)  # a mode the design supports
        pc = design.spec.pot_control
        if not pc.acd_min_m - 1e-12 <= s.acd_m <= pc.acd_max_m + 1e-12:
            raise ConfigError(
                "cell.acd",
                f"{s.acd_m*100:.3g} cm is outside the design limits "
                f"[{pc.acd_min_m*100:.3g}, {pc.acd_max_m*100:.3g}] cm of {design.name}",
            )
        if s.temperature_k > pc.temperature_max_k + 1e-9:
            raise ConfigError(
                "cell.temperature",
                f"{s.temperature_k - 273.15:.0f} degC is above the design maximum "
                f"{pc.temperature_max_k - 273.15:.0f} degC of {design.name}",
            )
        liq = self.bath.liquidus_k
        if s.temperature_k < liq:
            raise ConfigError(
                "cell.temperature",
                f"{s.temperature_k-273.15:.1f} degC is below the bath liquidus "
                f"{liq-273.15:.1f} degC",
            )
        a_liq = _alloy_liquidus(tuple(self.alloy_wt.items()))
        if s.temperature_k < a_liq:
            key = "feed.anode_cu_wt_pct" if s.anode_cu_wt_pct is not None else "cell.temperature"
            raise ConfigError(
                key,
                f"anode alloy Al-{cu:g}Cu liquidus {a_liq-273.15:.0f} degC is above the "
                f"bath temperature {s.temperature_k-273.15:.0f} degC",
            )

    def conditions(self) -> PotConditions:
        """Design, bath, alloy and feed at the set point (validated at construction)."""
        return PotConditions(self.design, self.inputs, dict(self.bath.composition_wt_pct),
                             self.bath.family, dict(self.alloy_wt), self.feed)

    # ------------------------------------------------------------------ solve
    def solve(self) -> OperatingPoint:
        with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RangeWarning)
            f = self.conditions()
            f.feed.cite()
            try:
                acd, temp, limit, aux, cool, notes = control(f)
                r = evaluate(f, acd, temp)
            except PhysicsError as exc:
                raise ConfigError("cell.current", f"impossible operating point: {exc}") from None
            liq = electrolyte.liquidus(f.bath_wt, family=f.family).value
            a_liq = alloy_liquidus.liquidus(f.alloy_wt).value
            report = control_report(f, acd, temp, aux, cool, r)
            notes.extend(report.pop("notes"))
        order = r["rho_alloy"] > r["rho_bath"] > r["rho_al"]
        if f.design.variant == "stacked" and not order:
            raise ConfigError(
                "electrolyte.composition",
                f"layer density inversion: anode {r['rho_alloy']/1e3:.3f}, bath "
                f"{r['rho_bath']/1e3:.3f}, cathode {r['rho_al']/1e3:.3f} g/cm3 must decrease upwards",
            )
        msgs = sorted({str(w.message) for w in caught if issubclass(w.category, RangeWarning)})
        return OperatingPoint(
            scenario=self.inputs.name, design=f.design, current_a=f.s.current_a,
            temperature_k=temp, acd_m=acd, pot_control=report["mode"], acd_limit=limit,
            voltage=r["vb"], ce=r["ce"], production_kg_s=r["prod"], heat=r["loss"],
            feed=f.feed, feed_heat_w=r["feed_w"], heat_generated_w=r["vb"].heat_in_pot_w,
            auxiliary_heat_w=aux, cooling_required_w=cool,
            bath={
                "family": f.family, "composition_wt_pct": f.bath_wt,
                "conductivity_s_per_cm": r["kappa"] / 100, "density_g_cm3": r["rho_bath"] / 1e3,
                "liquidus_c": liq - 273.15, "superheat_k": temp - liq,
            },
            alloy={
                "composition_wt_pct": f.alloy_wt, "density_g_cm3": r["rho_alloy"] / 1e3,
                "activity_al": r["a_al"], "liquidus_c": a_liq - 273.15,
            },
            cathode_density_kg_m3=r["rho_al"],
            layer_order_ok=order,
            warnings=tuple(msgs), citations=tuple(tracker.sorted_keys()), notes=tuple(notes),
            control=report,
        )
