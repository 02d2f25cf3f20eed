"""`PotLife`: one pot over many cycles, keeping its anode alloy and bath (steady state).

Each cycle is the campaign engine's (`alref.campaign.engine`, the same plan, feed and
terminations as `Simulation`), started from the state the last one left. At a cycle end
the engine taps the product and keeps the alloy and sludge (``keep_inventory``); the
turnaround (`alref.campaign.pot_drain`) drains the sludge as solids with the alloy they
entrain, bleeds alloy to hold Cu and Zn in the plan's band, buys Cu only for losses and
tops up the bath. The next cycle charges scrap up to the compartment level.

The result keeps every cycle's streams, detects the steady state (`steady_from`: the
start-of-cycle anode Cu, scrap per tonne of product and product purity change less than
the plan's tolerances over ``window`` consecutive cycles) and reports it per tonne of
product, with the lining and diaphragm service lives in cycles. The element balance over
all cycles (initial + engine inputs + turnaround inputs = final state + engine outputs +
turnaround outputs) is checked per element (`mass_balance_rel_error`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alref.campaign.engine import DAY, Engine
from alref.campaign.operating_point import Resolve
from alref.campaign.pot_drain import PotLifePlan, Turnaround, turnaround
from alref.campaign.records import Lot
from alref.campaign.results import actions, lots, summary
from alref.campaign.simulation import Simulation
from alref.campaign.state import PotState, add_into
from alref.citations import track_citations
from alref.errors import ConfigError
from alref.properties.registry import RangeWarning
from alref.validity import collapse

__all__ = ["CycleRecord", "PotLife", "PotLifePlan", "PotLifeResult", "steady_from"]

MAX_CYCLES = 200
#: per-cycle series the steady-state test compares (key, tolerance name, relative?)
STEADY_KEYS = (("anode_cu_start_wt_pct", "cu_wt_pct", False),
               ("scrap_t_per_t_product", "scrap_rel", True),
               ("product_al_wt_pct", "purity_wt_pct", False))


def _wt(masses: Mapping[str, float]) -> dict[str, float]:
    tot = math.fsum(v for v in masses.values() if v > 0)
    return {k: 100.0 * v / tot for k, v in masses.items() if v > 0} if tot > 0 else {}


@dataclass
class CycleRecord:
    """One cycle of the pot and the turnaround after it (masses kg, energy kWh)."""

    index: int
    days: float
    termination: str
    termination_limit: str | None
    product_kg: float
    product_al_wt_pct: float
    in_grade_fraction: float
    scrap_kg: float
    energy_kwh: float
    dc_energy_kwh: float
    salts_kg: dict[str, float]
    bath_removed_kg: float
    anode_start_wt_pct: dict[str, float]
    anode_end_wt_pct: dict[str, float]
    turnaround: Turnaround
    lots: list[Lot] = field(default_factory=list)
    mass_balance_rel_error: float = 0.0

    @property
    def residue_kg(self) -> float:
        return math.fsum(self.turnaround.residue.values())

    @property
    def bleed_kg(self) -> float:
        return math.fsum(self.turnaround.bleed.values())

    def metrics(self) -> dict[str, float]:
        """The figures the steady-state test follows."""
        return {"anode_cu_start_wt_pct": self.anode_start_wt_pct.get("Cu", 0.0),
                "scrap_t_per_t_product": self.scrap_kg / self.product_kg
                if self.product_kg > 0 else math.nan,
                "product_al_wt_pct": self.product_al_wt_pct}

    def to_dict(self) -> dict[str, Any]:
        ta = self.turnaround
        return {
            "cycle": self.index, "cycle_days": self.days, "termination": self.termination,
            "termination_limit": self.termination_limit, "product_kg": self.product_kg,
            "product_al_wt_pct": self.product_al_wt_pct,
            "product_in_grade_fraction": self.in_grade_fraction, "scrap_kg": self.scrap_kg,
            "energy_kwh": self.energy_kwh, "salts_kg": dict(self.salts_kg),
            "bath_removed_kg": self.bath_removed_kg,
            "anode_start_wt_pct": dict(self.anode_start_wt_pct),
            "anode_end_wt_pct": dict(self.anode_end_wt_pct),
            "residue_kg": self.residue_kg, "residue_solids_kg": dict(ta.solids_kg),
            "residue_entrained_alloy_kg": math.fsum(ta.entrained.values()),
            "residue_wt_pct": _wt(ta.residue), "bleed_kg": self.bleed_kg,
            "bleed_wt_pct": _wt(ta.bleed), "cu_added_kg": ta.cu_added_kg,
            "bath_added_kg": math.fsum(ta.bath_added.values()),
            "refill_scrap_kg": ta.refill_scrap_kg,
            "sump_temperature_c": None if ta.sump_temperature_k is None
            else ta.sump_temperature_k - 273.15,
            "mass_balance_rel_error": self.mass_balance_rel_error,
        }


def steady_from(metrics: Sequence[Mapping[str, float]], tolerance: Mapping[str, float],
                window: int = 2) -> int | None:
    """Index of the first cycle from which `window` consecutive cycle-to-cycle changes of
    every `STEADY_KEYS` series stay within `tolerance` (None: not steady yet)."""
    def close(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
        for key, tol_name, rel in STEADY_KEYS:
            x, y = a[key], b[key]
            if not (math.isfinite(x) and math.isfinite(y)):
                return False
            d = abs(x - y) / max(abs(y), 1e-30) if rel else abs(x - y)
            if d > tolerance[tol_name]:
                return False
        return True

    window = max(int(window), 1)
    for k in range(len(metrics) - window):
        if all(close(metrics[k + i + 1], metrics[k + i]) for i in range(window)):
            return k
    return None


@dataclass
class PotLifeResult:
    """Cycles of one pot, its steady state and its balance."""

    scenario: str
    plan: PotLifePlan
    cycles: list[CycleRecord]
    steady_index: int | None
    mass_balance_rel_error: float
    mass_balance_rel_error_by_element: dict[str, float]
    citations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def steady_cycles(self) -> list[CycleRecord]:
        """The cycles the steady state is averaged over (the last `window` when the pot
        never settled)."""
        k = self.steady_index
        if k is None:
            k = max(len(self.cycles) - self.plan.steady_window, 0)
        return self.cycles[k:]

    def steady_state(self) -> dict[str, Any]:
        """Mass-weighted figures of the steady cycles, per tonne of product."""
        cyc = self.steady_cycles
        p_t = math.fsum(c.product_kg for c in cyc) / 1000.0
        days = math.fsum(c.days for c in cyc) / len(cyc)
        plan = self.plan
        period = days + plan.turnaround_days
        residue: dict[str, float] = {}
        bleed: dict[str, float] = {}
        salts: dict[str, float] = {}
        solids: dict[str, float] = {}
        for c in cyc:
            add_into(residue, c.turnaround.residue)
            add_into(bleed, c.turnaround.bleed)
            add_into(salts, c.salts_kg)
            add_into(salts, c.turnaround.bath_added)
            add_into(solids, c.turnaround.solids_kg)
        per_t = 1.0 / p_t if p_t > 0 else math.nan
        prod = math.fsum(c.product_kg for c in cyc)
        return {
            "steady": self.steady_index is not None,
            "steady_from_cycle": self.steady_index,
            "cycles_averaged": len(cyc),
            "cycle_days": days,
            "product_kg_per_cycle": prod / len(cyc),
            "scrap_t_per_t_product": math.fsum(c.scrap_kg for c in cyc) / prod,
            "residue_kg_per_t": math.fsum(residue.values()) * per_t,
            "residue_wt_pct": _wt(residue),
            "residue_solids_kg_per_t": {k: v * per_t for k, v in solids.items()},
            # liquid alloy the drained cake keeps per kg of solids (pot_drain.entrained_mass)
            "residue_entrained_alloy_kg_per_kg_solids": (
                math.fsum(math.fsum(c.turnaround.entrained.values()) for c in cyc)
                / math.fsum(solids.values()) if math.fsum(solids.values()) > 0 else 0.0),
            "bleed_kg_per_t": math.fsum(bleed.values()) * per_t,
            "bleed_wt_pct": _wt(bleed),
            "salts_kg_per_t": {k: v * per_t for k, v in salts.items()},
            "copper_kg_per_t": math.fsum(c.turnaround.cu_added_kg for c in cyc) * per_t,
            "bath_removed_kg_per_t": math.fsum(c.bath_removed_kg for c in cyc) * per_t,
            "energy_kwh_per_kg": math.fsum(c.energy_kwh for c in cyc) / prod,
            "dc_energy_kwh_per_kg": math.fsum(c.dc_energy_kwh for c in cyc) / prod,
            "product_al_wt_pct": math.fsum(c.product_al_wt_pct * c.product_kg for c in cyc) / prod,
            "product_in_grade_fraction": math.fsum(c.in_grade_fraction * c.product_kg
                                                   for c in cyc) / prod,
            "anode_cu_start_wt_pct": cyc[-1].anode_start_wt_pct.get("Cu", 0.0),
            "turnaround_days": plan.turnaround_days,
            "cycles_per_year": 365.0 / period,
            "cycles_per_lining_life": plan.lining_life_days / period,
            "cycles_per_diaphragm_life": plan.diaphragm_life_days / period,
        }

    def service_events(self) -> list[dict[str, Any]]:
        """Lining rebuilds and diaphragm changes over the simulated cycles (pot days)."""
        out, t = [], 0.0
        next_lining, next_dia = self.plan.lining_life_days, self.plan.diaphragm_life_days
        for c in self.cycles:
            t += c.days + self.plan.turnaround_days
            if t >= next_lining:
                out.append({"after_cycle": c.index, "day": t, "event": "lining_rebuild",
                            "days_out": self.plan.rebuild_days})
                next_lining += self.plan.lining_life_days
                next_dia = t + self.plan.diaphragm_life_days  # new diaphragms with the lining
            elif t >= next_dia:
                out.append({"after_cycle": c.index, "day": t, "event": "diaphragm_change",
                            "days_out": self.plan.diaphragm_change_days})
                next_dia += self.plan.diaphragm_life_days
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "mode": "pot_life",
            "cycles": len(self.cycles),
            "steady_state": self.steady_state(),
            "per_cycle": [c.to_dict() for c in self.cycles],
            "service_events": self.service_events(),
            "plan": {k: (dict(v) if isinstance(v, Mapping) else v)
                     for k, v in self.plan.__dict__.items()},
            "mass_balance_rel_error": self.mass_balance_rel_error,
            "mass_balance_rel_error_by_element": dict(self.mass_balance_rel_error_by_element),
            "warnings": list(self.warnings),
            "citations": list(self.citations),
        }


def _state_of(eng: Engine, r: int) -> PotState:
    """The pools of row r of a finished engine as a `PotState` (t = 0 of the next cycle)."""
    lay, P = eng.layout, eng.pools

    def pick(names: Sequence[str], row: Any) -> dict[str, float]:
        return {n: float(m) for n, m in zip(names, row, strict=True) if m != 0}

    return PotState(0.0, pick(lay.el, P.A[r]), pick(lay.phases, P.G[r]),
                    pick(lay.names, P.B[r]), pick(lay.el, P.K[r]))


def _ledger(eng: Engine, r: int) -> tuple[dict[str, float], dict[str, float]]:
    el = eng.layout.ledger_el
    return ({e: float(v) for e, v in zip(el, eng.ledger.inputs[r], strict=True)},
            {e: float(v) for e, v in zip(el, eng.ledger.outputs[r], strict=True)})


class PotLife:
    """A pot (`Simulation`: model, plan, feed) run for many cycles with its anode kept."""

    def __init__(self, simulation: Simulation, plan: PotLifePlan | None = None) -> None:
        self.sim = simulation
        self.plan = plan or PotLifePlan.default()
        self.plan.check()

    @classmethod
    def from_scenario(cls, scenario: Any, plan: PotLifePlan | None = None) -> PotLife:
        return cls(Simulation.from_scenario(scenario), plan)

    def run(self, cycles: int = 10, progress: Callable[[float], None] | None = None,
            initial_state: PotState | None = None) -> PotLifeResult:
        """Run `cycles` cycles (from the design's fresh inventory unless given)."""
        if not (isinstance(cycles, int) and 1 <= cycles <= MAX_CYCLES):
            raise ConfigError("cycles", f"must be an integer in [1, {MAX_CYCLES}], got {cycles!r}")
        sim, plan = self.sim, self.plan
        d = sim.design
        state = initial_state.copy() if initial_state is not None else sim.initial_state()
        initial = state.elements()
        supplied: dict[str, float] = {}
        removed: dict[str, float] = {}
        records: list[CycleRecord] = []
        with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RangeWarning)
            for k in range(cycles):
                start_wt = _wt(state.anode)
                run = Simulation(sim.model, sim.campaign, sim.feed, initial_state=state,
                                 scenario_hash=sim.scenario_hash)
                eng = Engine([run.row()], Resolve(), keep_inventory=True).run()
                if not eng.ok[0]:
                    raise eng.errors[0]
                s = summary(eng, 0)
                ins, outs = _ledger(eng, 0)
                add_into(supplied, ins)
                add_into(removed, outs)
                end = _state_of(eng, 0)
                ta = turnaround(end, plan, d.anode_alloy_kg, d.bath_kg, sim.bath0,
                                sim.feed.metal_wt_pct, sim.feed.metal_yield, _oxide_pct(sim.feed),
                                sim.r.temperature_k)
                add_into(supplied, ta.inputs)
                add_into(removed, ta.outputs)
                records.append(_record(k, eng, s, start_wt, _wt(end.anode), ta))
                state = ta.state
                if progress:
                    progress((k + 1) / cycles)
        errors = _balance(initial, supplied, state.elements(), removed)
        idx = steady_from([c.metrics() for c in records], plan.steady_tolerance,
                          plan.steady_window)
        notes = sorted(collapse([str(w.message) for w in caught
                                 if issubclass(w.category, RangeWarning)]))
        return PotLifeResult(sim.r.name, plan, records, idx,
                             max(errors.values()) if errors else 0.0, errors,
                             tracker.sorted_keys(), notes[:50])


def _oxide_pct(feed: Any) -> float:
    """Oxide of the feed, wt % of the scrap (as the engine's `ChargeScrap` counts it)."""
    return math.fsum(v for k, v in feed.nonmetallic_wt_pct.items() if k in ("oxide", "Al2O3"))


def _record(k: int, eng: Engine, s: Mapping[str, Any], start_wt: dict[str, float],
            end_wt: dict[str, float], ta: Turnaround) -> CycleRecord:
    salts: dict[str, float] = {}
    bath_out = 0.0
    for a in actions(eng, 0):
        if a.kind == "correct_bath":
            for name, v in a.detail.items():
                if name.endswith("_kg"):
                    salts[name[:-3]] = salts.get(name[:-3], 0.0) + float(v)
        elif a.kind == "replace_bath":
            bath_out += float(a.detail.get("removed_kg", 0.0))
        elif a.kind == "tap_bath":
            bath_out += float(a.detail.get("mass_kg", 0.0))
    prod = float(s["product_kg"])
    return CycleRecord(
        index=k, days=float(eng.t_end[0]) / DAY, termination=str(s["termination"]),
        termination_limit=s.get("termination_limit"), product_kg=prod,
        product_al_wt_pct=float(s["product_al_wt_pct"]),
        in_grade_fraction=float(s["product_in_grade_fraction"]),
        scrap_kg=float(s["scrap_charged_kg"]) + ta.refill_scrap_kg,
        energy_kwh=float(s["energy_kwh_per_kg"]) * prod,
        dc_energy_kwh=float(s["dc_energy_kwh_per_kg"]) * prod, salts_kg=salts,
        bath_removed_kg=bath_out, anode_start_wt_pct=start_wt, anode_end_wt_pct=end_wt,
        turnaround=ta, lots=lots(eng, 0),
        mass_balance_rel_error=float(s["mass_balance_rel_error"]))


def _balance(initial: Mapping[str, float], supplied: Mapping[str, float],
             now: Mapping[str, float], removed: Mapping[str, float]) -> dict[str, float]:
    """|initial + in − now − out| / max(initial + in, now + out) per element."""
    out = {}
    for el in sorted(set(initial) | set(supplied) | set(now) | set(removed)):
        a = initial.get(el, 0.0) + supplied.get(el, 0.0)
        b = now.get(el, 0.0) + removed.get(el, 0.0)
        if max(abs(a), abs(b)) > 0:
            out[el] = abs(a - b) / max(abs(a), abs(b))
    return out
