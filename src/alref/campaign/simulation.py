"""`Simulation`: a pot's whole cycle from a scenario (PyBaMM-style build -> run -> Solution).

Each time step (default 2 h):

1. the operating point (voltage breakdown, CE, ACD by pot control, heat balance with the
   scrap heating) from the current bath and alloy compositions — the same functions as
   `alref cell` (`alref.cell.model.evaluate/control`);
2. impurity ions in the bath: sources (steel hardware, silica refractories, make-up salts)
   and first-order removal by co-deposition and reduction at the alloy;
3. Faradaic transfer of Al, anodic removal of Mg/Li into the bath as fluorides;
4. entrainment of alloy into the cathode metal; Zn fume from the charging well;
5. precipitation of sludge phases where the liquid alloy exceeds saturation;
6. actions due (charge scrap, tap, drain residue, correct bath, add Cu) and termination
   checks (product out of grade, alloy superheat, sludge capacity, bath limits, density
   inversion, maximum duration).
Product purity, cycle length and energy emerge from these balances.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from alref.campaign.protocol import Action, Campaign, CampaignSpec, resolve_campaign
from alref.campaign.solution import Action as ActionLog
from alref.campaign.solution import Lot, Solution
from alref.campaign.state import (
    Ledger,
    PotState,
    add_into,
    balance_errors,
    compound_fractions,
    compounds_to_elements,
    oxide_density_kg_m3,
    phases_to_elements,
)
from alref.campaign.transfer import (
    FARADAY,
    PoolLayout,
    StepContext,
    _nobility,
    _p_zn_bar,
    add_ion_source,
    alf3_to_restore_kg,
    pool_layout,
    step_rows,
)
from alref.cell.design import CellDesign
from alref.cell.feed import FeedModel, feed_model
from alref.cell.model import ELECTRODE_TERMS, CellModel, PotConditions, control, evaluate
from alref.citations import track_citations
from alref.data import load as load_data
from alref.errors import ConfigError, PhysicsError
from alref.materials.composition import Composition
from alref.materials.elements import molar_mass
from alref.materials.grades import check_grade, classify, get_grade
from alref.properties import electrolyte
from alref.properties.registry import RangeWarning
from alref.thermo import alloy_liquidus, arrays
from alref.thermo.solubility import sludge_phases

if TYPE_CHECKING:  # the scenario schema sits above this layer
    from alref.scenario import Scenario

DAY = 86400.0
MAIN_ELEMENTS = ("Al", "Cu", "Si", "Fe", "Zn", "Mn", "Mg")


@lru_cache(maxsize=1)
def _salt_impurities() -> dict[str, dict[str, float]]:
    raw = load_data("salt_impurities")
    return {salt: {k: float(v) for k, v in t.items() if k != "assumption" and k != "source"
                   and k != "locator"} for salt, t in raw.items()}


def _wt(masses: dict[str, float]) -> dict[str, float]:
    total = sum(v for v in masses.values() if v > 0)
    return {k: 100.0 * v / total for k, v in masses.items() if v > 0} if total > 0 else {}


class Simulation:
    """Build from a Scenario; `run()` returns a `Solution`."""

    def __init__(self, model: CellModel, campaign: Campaign | CampaignSpec | None = None,
                 feed: FeedModel | None = None, initial_state: PotState | None = None,
                 scenario_hash: str | None = None) -> None:
        """A pot (`model`) run through an operating plan (`campaign`: resolved, a spec, or
        None for the default plan) on a scrap `feed` (default: the model's), from an
        `initial_state` (default: the design's fresh inventory)."""
        self.model = model
        self.r = model.resolved
        base = model.conditions()  # validates design, bath, alloy, feed
        self.design: CellDesign = base.design
        if self.design.spec.transfer is None:
            raise ConfigError("cell.design", f"design {self.design.name} has no [transfer] data")
        self.bath0 = base.bath_wt
        self.family = base.family
        self.feed: FeedModel = feed if feed is not None else base.feed
        if not isinstance(campaign, Campaign):
            campaign = resolve_campaign(campaign if campaign is not None
                                        else default_campaign_spec(), self.r.current_a)
        self.campaign: Campaign = campaign
        self._initial = initial_state
        self.scenario_hash = scenario_hash or _digest(self.r, self.campaign, self.feed)
        self._feeds: dict[str, FeedModel] = {}
        self._matrix_liquidus: tuple[int, float] = (-1, 0.0)
        self._validate_actions()

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Simulation:
        """Build the simulation of a validated `Scenario`."""
        return cls(CellModel.from_scenario(scenario), scenario.campaign,
                   scenario_hash=scenario.digest())

    # ------------------------------------------------------------------ set-up
    def _validate_actions(self) -> None:
        for a in self.campaign.actions:
            if a.scrap is not None:
                self._feed_for(a.scrap, f"{a.key()}.scrap")
            if a.add_kg:
                for salt in a.add_kg:
                    if salt not in self.bath0 and salt not in electrolyte.families()[
                            self.family].allowed_components:
                        raise ConfigError(f"{a.key()}.add.{salt}",
                                          f"{salt} is not a component of a {self.family} bath")
        g = self.campaign.termination.product_grade
        if g is not None:
            get_grade(g, key="campaign.termination.product_grade")

    def _feed_for(self, scrap: Any, key: str) -> FeedModel:
        name = repr(scrap)
        if name not in self._feeds:
            try:
                self._feeds[name] = feed_model(scrap, self.r.charge_temperature_k)
            except ConfigError as exc:
                raise ConfigError(key, exc.message) from None
        return self._feeds[name]

    def initial_state(self) -> PotState:
        if self._initial is not None:
            return self._initial.copy()
        d = self.design
        cu = (self.r.anode_cu_wt_pct if self.r.anode_cu_wt_pct is not None
              else d.spec.inventory.anode_cu_wt_pct)
        anode = {"Al": d.anode_alloy_kg * (100 - cu) / 100, "Cu": d.anode_alloy_kg * cu / 100}
        bath = {k: d.bath_kg * v / 100 for k, v in self.bath0.items()}
        return PotState(0.0, anode, {}, bath, {"Al": d.cathode_metal_kg})

    # ------------------------------------------------------------------ physics helpers
    def _conditions(self, s: PotState, current: float) -> PotConditions:
        major = {k: v for k, v in s.bath.items() if k in self.bath0 or k in ("MgF2", "LiF", "CaF2", "NaF")}
        bath_wt = _wt(major)
        bath_wt = {k: v for k, v in bath_wt.items()
                   if k in electrolyte.families()[self.family].allowed_components}
        tot = sum(bath_wt.values())
        bath_wt = {k: 100 * v / tot for k, v in bath_wt.items()}
        r = dataclasses.replace(self.r, current_a=current)
        return PotConditions(self.design, r, bath_wt, self.family, _wt(s.anode), self.feed)

    @staticmethod
    def _si_liquidus(alloy_wt: dict[str, float], t_k: float) -> float:
        """Temperature (K) at which primary Si would crystallise from the liquid alloy.

        The saturation index of the Si (diamond) phase, SI = ln a_Si - ln K_Si(T), is
        evaluated at T and T - 60 K and its zero found by linear interpolation in T.
        Impurity intermetallics (Al13Fe4, AlFeSi, ...) are sludge and do not count here.
        """
        if alloy_wt.get("Si", 0.0) <= 0:
            return 0.0
        els = tuple(el for el, w in alloy_wt.items() if w > 0)
        th = arrays.model(els)
        if "Si" not in th.phases:
            return 0.0
        x = th.x_of_masses(np.array([[alloy_wt[e] for e in els]] * 2))
        si = th.saturation(x, np.array([t_k, t_k - 60.0]))[:, th.phases.index("Si")]
        hi, lo = float(si[0]), float(si[1])
        if not (np.isfinite(hi) and np.isfinite(lo)) or lo <= hi:
            return 0.0
        return t_k - 60.0 * hi / (hi - lo) if hi < 0 else t_k + 60.0 * hi / (lo - hi)

    # ------------------------------------------------------------------ run
    def run(self, progress: Callable[[float], None] | None = None) -> Solution:
        with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RangeWarning)
            sol = self._run(progress)
        sol.citations = tracker.sorted_keys()
        notes = sorted({str(w.message) for w in caught if issubclass(w.category, RangeWarning)})
        sol.summary["warnings"] = notes[:50]
        return sol

    def _run(self, progress: Callable[[float], None] | None) -> Solution:
        d, c = self.design, self.campaign
        self._matrix_liquidus = (-1, 0.0)
        s = self.initial_state()
        initial = s.elements()
        ledger = Ledger()
        rec: dict[str, list[float]] = {}
        times: list[float] = []
        lots: list[Lot] = []
        log: list[ActionLog] = []
        residue: dict[str, float] = {}
        energy_j = 0.0
        charge_total = 0.0
        scrap_kg = 0.0
        v_sum: dict[str, float] = {}
        next_due = {a.index: a.start_s for a in c.actions if a.every_s is not None}
        at_done: set[tuple[int, float]] = set()
        level0 = d.anode_alloy_kg
        dt = c.time_step_s
        termination = None
        op = None
        t = 0.0
        while True:
            current = c.current_at(t)
            f = self._conditions(s, current)
            try:
                acd, temp, _limit, aux, _cool, _notes = control(f)
                op = evaluate(f, acd, temp)
            except PhysicsError as exc:
                if not times:  # the very first operating point is impossible: bad input
                    raise ConfigError("cell.current", f"impossible operating point: {exc}") from None
                termination = ("anode alloy exhausted of Al (the anode would dissolve noble "
                               f"metals): {exc}")
                break
            values = self._quantities(s, f, op, temp, acd)
            self._record(rec, times, t, s, op, values, current, acd, temp, aux, energy_j,
                         sum(x.mass_kg for x in lots))
            # ---- actions due at t
            acted = False
            for a in c.actions:
                if self._due(a, t, values, next_due, at_done, dt):
                    made = self._act(a, s, ledger, level0, residue, lots, log, t)
                    scrap_kg += made
                    acted = True
            if lots and c.termination.product_grade and lots[-1].t_s == t:
                chk = check_grade(Composition.from_wt_pct(lots[-1].composition_wt_pct, balance="Al"),
                                  get_grade(c.termination.product_grade))
                if not chk.passed:
                    termination = (f"product out of grade: lot at day {t / DAY:.1f} fails "
                                   f"{c.termination.product_grade} on "
                                   f"{', '.join(chk.failing_elements)}")
            if acted:  # compositions changed: re-evaluate the observables
                f = self._conditions(s, current)
                values = self._quantities(s, f, op, temp, acd)
            termination = termination or self._terminated(values, s, op, t)
            if termination:
                break
            if progress:
                progress(t / c.termination.max_duration_s)
            # ---- one time step of continuous processes
            self._step(s, ledger, op, current, temp, dt)
            # auxiliary heat is energy bought; a lab furnace's heat is not counted (as published)
            counted_aux = aux if d.spec.heating == "self" else 0.0
            energy_j += (op["vb"].total_v * current + counted_aux) * dt
            charge_total += current * dt
            for k, v in op["vb"].terms.items():
                v_sum[k] = v_sum.get(k, 0.0) + v * dt
            t += dt
            s.t = t
        # ---- end of cycle: final tap and residue drain
        final_tap = Action(index=-1, kind="tap", every_s=None, start_s=0, at_s=(), when=None,
                           mass_kg=None, hold_level=False, leave_kg=d.cathode_metal_kg,
                           scrap=None, add_kg=None, restore=False, fraction=None)
        self._act(final_tap, s, ledger, level0, residue, lots, log, t)
        drain = {**s.anode}
        add_into(drain, phases_to_elements(s.sludge))
        residue_phases = dict(s.sludge)
        ledger.add_output(drain)
        add_into(residue, drain)
        s.anode, s.sludge = {}, {}
        errors = balance_errors(initial, s, ledger)
        return self._solution(s, rec, times, lots, log, residue, residue_phases, energy_j,
                              charge_total, scrap_kg, v_sum, termination or "maximum duration",
                              errors, t)

    # ------------------------------------------------------------------ continuous processes
    @cached_property
    def _layout(self) -> PoolLayout:
        """Pool layout for the shared step kernel (elements of every feed it may charge)."""
        els = {e for e, w in self.feed.metal_wt_pct.items() if w > 0}
        extra: list[str] = []
        for a in self.campaign.actions:
            if a.scrap is not None:
                els |= {e for e, w in self._feed_for(a.scrap, a.key()).metal_wt_pct.items()
                        if w > 0}
            extra.extend(a.add_kg or {})
        return pool_layout(els, list(self.bath0), extra)

    def _step(self, s: PotState, ledger: Ledger, op: dict[str, Any], current: float,
              temp: float, dt: float) -> None:
        """One time step of the continuous processes: the shared kernel
        `alref.campaign.transfer.step_rows` with one row (the batch engine runs many)."""
        lay, d = self._layout, self.design
        tr = d.spec.transfer
        th, el, names, phases = lay.th, lay.el, lay.names, lay.phases
        for pool, keys, what in ((s.anode, el, "element"), (s.bath, names, "bath compound"),
                                 (s.sludge, phases, "phase"), (s.cathode, el, "element")):
            extra = [k for k, v in pool.items() if k not in keys and v > 0]
            if extra:
                raise PhysicsError(f"{what} {extra[0]!r} is outside the pot's pool layout")
        row = np.array([[s.anode.get(e, 0.0) for e in el]])
        T = np.array([temp])
        coef = th.coefficients(T)
        x = th.x_of_masses(row)
        ce = op["ce"]
        ctx = StepContext(
            th=th, si=lay.si, ions=lay.ions, ions_by_nobility=lay.ions_by_nobility,
            nob={e: tuple(np.array([v]) for v in _nobility(e, temp)) for e, _i, _j in lay.ions},
            pzn=np.array([_p_zn_bar(round(temp, 1))]), rho_phase=lay.rho_phase,
            pm=lay.pm, coef=coef,
        )
        p = {k: np.array([v]) for k, v in {
            "temp": temp, "I": current,
            "r_leak": d.spec.efficiency.leakage_resistance_ohm,
            "i_back": ce.losses_a["dissolved_metal"], "i_ox": ce.losses_a["pad_oxidation"],
            "rho_bath": op["rho_bath"], "a_area": d.anode_area_m2, "c_area": d.cathode_area_m2,
            "k_anode": d.spec.kinetics.anode_mass_transfer_m_s,
            "fe_src": tr.hardware_fe_kg_per_day * d.scale / DAY,
            "si_src": tr.refractory_si_kg_per_day * d.scale / DAY,
            "k_ion": tr.bath_ion_mass_transfer_m_s, "entrain": tr.entrainment_kg_per_a_s,
            "k_fume": tr.fume_mass_transfer_m_s, "open_area": d.open_surface_m2,
        }.items()}
        uel = np.array([sum(op["vb"].terms.get(k, 0.0) for k in ELECTRODE_TERMS)])
        out = step_rows(
            ctx, row, np.array([[s.cathode.get(e, 0.0) for e in el]]),
            np.array([[s.bath.get(n, 0.0) for n in names]]),
            np.array([[s.sludge.get(n, 0.0) for n in phases]]),
            p, dt, uel, np.array([op["rho_alloy"]]), x, th.ln_gamma_rows(x, T, coef),
        )
        s.anode = {e: float(v) for e, v in zip(el, out.A[0], strict=True)}
        s.cathode = {e: float(v) for e, v in zip(el, out.K[0], strict=True)}
        s.bath = {n: float(v) for n, v in zip(names, out.B[0], strict=True)}
        s.sludge = {n: float(v) for n, v in zip(phases, out.G[0], strict=True) if v != 0.0}
        for comp, added in out.sources.items():
            ledger.add_input(compounds_to_elements({comp: float(added[0])}))
        ledger.add_output({"Al": float(out.oxidised_al[0]), "Zn": float(out.fumed_zn[0])})

    # ------------------------------------------------------------------ triggers and actions
    def _due(self, a: Action, t: float, values: dict[str, float], next_due: dict[int, float],
             at_done: set[tuple[int, float]], dt: float) -> bool:
        fire = False
        if a.every_s is not None and t + 1e-6 >= next_due[a.index]:
            while next_due[a.index] <= t + 1e-6:
                next_due[a.index] += a.every_s
            fire = True
        for ta in a.at_s:
            if (a.index, ta) not in at_done and t + 1e-6 >= ta:
                at_done.add((a.index, ta))
                fire = True
        if (a.when is not None and a.every_s is None and not a.at_s) or (a.when is not None and fire):
            fire = a.when(values)
        return fire

    def _act(self, a: Action, s: PotState, ledger: Ledger, level0: float,
             residue: dict[str, float], lots: list[Lot], log: list[ActionLog], t: float) -> float:
        """Carry out an action; returns scrap mass charged (kg)."""
        if a.kind == "charge_scrap":
            feed = self.feed if a.scrap is None else self._feed_for(a.scrap, f"{a.key()}.scrap")
            if a.hold_level:
                deficit = level0 - s.anode_kg - s.sludge_kg
                mass = max(deficit, 0.0) / feed.metal_yield
            else:
                mass = a.mass_kg or 0.0
            if mass <= 0:
                return 0.0
            metal = {el: mass * feed.metal_yield * w / 100 for el, w in feed.metal_wt_pct.items()}
            add_into(s.anode, metal)
            ledger.add_input(metal)
            oxide = mass * sum(v for k, v in feed.nonmetallic_wt_pct.items()
                               if k in ("oxide", "Al2O3")) / 100
            if oxide > 0:
                s.sludge["Al2O3"] = s.sludge.get("Al2O3", 0.0) + oxide
                ledger.add_input({el: oxide * w for el, w in compound_fractions("Al2O3").items()})
            ledger.offgas_kg += mass * (1 - feed.metal_yield) - oxide
            log.append(ActionLog(t, "charge_scrap", {"mass_kg": mass, "scrap": feed.name}))
            return mass
        if a.kind == "tap":
            total = s.cathode_kg
            leave = a.leave_kg
            if leave is None and a.mass_kg is None:
                leave = self.design.cathode_metal_kg  # keep the design's cathode metal pad
            if a.mass_kg is not None and a.mass_kg > total + 1e-9:
                raise ConfigError(
                    f"{a.key()}.mass",
                    f"tapping {a.mass_kg:g} kg at day {t / DAY:.2f} but only {total:.3g} kg of "
                    "metal is in the cathode",
                )
            take = total - leave if leave is not None else (a.mass_kg or 0.0)
            if a.mass_kg is not None and leave is not None:
                take = min(take, a.mass_kg)
            if take <= 1e-9:
                return 0.0
            frac = take / total
            lot = {el: m * frac for el, m in s.cathode.items()}
            for el in lot:
                s.cathode[el] -= lot[el]
            ledger.add_output(lot)
            comp = Composition.from_mass({k: v for k, v in lot.items() if v > 0}, key="lot")
            grade = classify(comp).grade
            lots.append(Lot(t, take, dict(comp), grade))
            log.append(ActionLog(t, "tap", {"mass_kg": take, "grade": grade}))
            return 0.0
        if a.kind == "drain_residue":
            frac = a.fraction if a.fraction is not None else 1.0
            out = {ph: m * frac for ph, m in s.sludge.items()}
            for ph, m in out.items():
                s.sludge[ph] -= m
            el = phases_to_elements(out)
            ledger.add_output(el)
            add_into(residue, el)
            log.append(ActionLog(t, "drain_residue", {"mass_kg": sum(out.values())}))
            return 0.0
        if a.kind == "correct_bath":
            adds = dict(a.add_kg or {})
            if a.fraction is not None:  # partial replacement with fresh bath
                removed = {k: v * a.fraction for k, v in s.bath.items()}
                for k, v in removed.items():
                    s.bath[k] -= v
                ledger.add_output(compounds_to_elements(removed))
                fresh = sum(removed.values())
                for salt, w in self.bath0.items():
                    adds[salt] = adds.get(salt, 0.0) + fresh * w / 100
                log.append(ActionLog(t, "replace_bath", {"fraction": a.fraction,
                                                          "removed_kg": fresh}))
            if a.restore:
                x = self._alf3_to_restore_ratio(s)
                if x > 1e-9:
                    adds["AlF3"] = adds.get("AlF3", 0.0) + x
            for salt, m in adds.items():
                imp = _salt_impurities().get(salt, {})
                pure = m * (1 - sum(imp.values()) / 100)
                s.bath[salt] = s.bath.get(salt, 0.0) + pure
                ledger.add_input(compounds_to_elements({salt: pure}))
                for el, w in imp.items():
                    add_ion_source(s, ledger, el, m * w / 100)
            if adds:
                log.append(ActionLog(t, "correct_bath", {f"{k}_kg": v for k, v in adds.items()}))
            return 0.0
        if a.kind == "add_cu":
            m = a.mass_kg or 0.0
            s.anode["Cu"] = s.anode.get("Cu", 0.0) + m
            ledger.add_input({"Cu": m})
            log.append(ActionLog(t, "add_cu", {"mass_kg": m}))
        return 0.0

    def _alf3_to_restore_ratio(self, s: PotState) -> float:
        """kg of AlF3 that brings the bath's NaF/AlF3 (or KF, LiF) molar ratio back to its
        initial value (`alref.campaign.transfer.alf3_to_restore_kg`)."""
        bath = {k: v for k, v in s.bath.items() if k in self.bath0}
        total = sum(bath.values())
        cr = electrolyte.cryolite_ratio({k: 100 * v / total for k, v in bath.items()},
                                        family=self.family)
        cr0 = electrolyte.cryolite_ratio(self.bath0, family=self.family)
        return alf3_to_restore_kg(bath.get("AlF3", 0.0), cr, cr0)

    # ------------------------------------------------------------------ observables
    def _quantities(self, s: PotState, f: PotConditions, op: dict, temp: float, acd: float
                    ) -> dict[str, float]:
        alloy_wt = f.alloy_wt
        day = int(s.t // DAY)
        if self._matrix_liquidus[0] != day:  # the Al-Cu matrix liquidus moves slowly: daily
            self._matrix_liquidus = (day, alloy_liquidus.liquidus(alloy_wt).value)
        t_liq = max(self._matrix_liquidus[1], self._si_liquidus(alloy_wt, temp))
        bath_wt = _wt(s.bath)
        vals = {
            "t_days": s.t / DAY,
            "anode_kg": s.anode_kg,
            "sludge_kg": s.sludge_kg,
            "bath_kg": s.bath_kg,
            "cathode_kg": s.cathode_kg,
            "alloy_superheat_k": temp - t_liq,
            "bath_superheat_k": temp - electrolyte.liquidus(f.bath_wt, family=self.family).value,
            "cell_voltage_v": op["vb"].total_v,
            "bath_cr": electrolyte.cryolite_ratio(f.bath_wt, family=self.family),
            "anode_solid_fraction": self._solid_fraction(s, op),
            "_rho_alloy": op["rho_alloy"], "_rho_bath": op["rho_bath"], "_rho_al": op["rho_al"],
            "_acd": acd, "_temp": temp,
        }
        for el, w in alloy_wt.items():
            vals[f"anode.{el}_wt_pct"] = w
        for salt, w in bath_wt.items():
            vals[f"bath.{salt}_wt_pct"] = w
        for el, w in _wt(s.cathode).items():
            vals[f"cathode.{el}_wt_pct"] = w
        return vals

    def _solid_fraction(self, s: PotState, op: dict) -> float:
        phases = sludge_phases()
        v_solid = sum(m / (phases[p].density if p in phases else oxide_density_kg_m3())
                      for p, m in s.sludge.items())
        v_liq = s.anode_kg / op["rho_alloy"]
        return v_solid / (v_solid + v_liq) if v_solid + v_liq > 0 else 0.0

    def _terminated(self, v: dict[str, float], s: PotState, op: dict, t: float) -> str | None:
        term = self.campaign.termination
        if v["alloy_superheat_k"] < term.alloy_superheat_min_k:
            return (f"alloy superheat {v['alloy_superheat_k']:.1f} K below "
                    f"{term.alloy_superheat_min_k:.0f} K (anode alloy near its liquidus)")
        if v["bath_superheat_k"] < term.bath_superheat_min_k:
            return f"bath superheat {v['bath_superheat_k']:.1f} K below {term.bath_superheat_min_k:.0f} K"
        cap = term.sludge_capacity_kg or self.design.spec.transfer.sludge_capacity_kg * self.design.scale
        if s.sludge_kg >= cap:
            return f"sludge capacity reached ({s.sludge_kg:.0f} kg of {cap:.0f} kg)"
        for name, limit in term.bath_limits.items():
            if v.get(name, 0.0) > limit:
                return f"bath property out of range: {name} = {v[name]:.3g} > {limit:g}"
        if self.design.variant == "stacked":
            m = term.density_margin_min_kg_m3
            if not (v["_rho_alloy"] - v["_rho_bath"] >= m and v["_rho_bath"] - v["_rho_al"] >= m):
                return "density inversion: layer densities no longer decrease upwards"
        if t + 1e-6 >= term.max_duration_s:
            return "maximum duration"
        return None

    def _record(self, rec: dict[str, list[float]], times: list[float], t: float, s: PotState,
                op: dict, v: dict[str, float], current: float, acd: float, temp: float,
                aux: float, energy_j: float, product_kg: float) -> None:
        times.append(t)
        row = {
            "Current [A]": current,
            "Cell voltage [V]": op["vb"].total_v,
            "Bath temperature [degC]": temp - 273.15,
            "ACD [cm]": acd * 100,
            "Current efficiency [-]": op["ce"].current_efficiency,
            "Auxiliary heat [kW]": aux / 1e3,
            "Heat loss [kW]": op["loss"].total_w / 1e3,
            "Anode alloy [kg]": s.anode_kg,
            "Sludge [kg]": s.sludge_kg,
            "Bath mass [kg]": s.bath_kg,
            "Cathode metal [kg]": s.cathode_kg,
            "Alloy superheat [K]": v["alloy_superheat_k"],
            "Bath superheat [K]": v["bath_superheat_k"],
            "Cumulative product [kg]": product_kg,
            "Cumulative energy [kWh]": energy_j / 3.6e6,
        }
        for k, val in op["vb"].terms.items():
            row[f"Voltage: {k.replace('_', ' ')} [V]"] = val
        for el in MAIN_ELEMENTS:
            row[f"Anode {el} [wt %]"] = v.get(f"anode.{el}_wt_pct", 0.0)
            if el != "Al":
                row[f"Cathode {el} [wt %]"] = v.get(f"cathode.{el}_wt_pct", 0.0)
        for salt in sorted(set(self.bath0) | {"MgF2"}):
            row[f"Bath {salt} [wt %]"] = v.get(f"bath.{salt}_wt_pct", 0.0)
        n = len(times) - 1
        for k, val in row.items():
            col = rec.setdefault(k, [0.0] * n)
            col.append(float(val))

    def _solution(self, s: PotState, rec: dict[str, list[float]], times: list[float],
                  lots: list[Lot], log: list[ActionLog], residue: dict[str, float],
                  residue_phases: dict[str, float], energy_j: float, charge_total: float,
                  scrap_kg: float, v_sum: dict[str, float], termination: str,
                  errors: dict[str, float], t_end: float) -> Solution:
        product = sum(x.mass_kg for x in lots)
        al_product = sum(x.mass_kg * x.composition_wt_pct.get("Al", 0.0) / 100 for x in lots)
        faraday_al = charge_total * molar_mass("Al") / (3 * FARADAY)
        target = self.campaign.termination.product_grade or "P1020A"
        in_grade = sum(x.mass_kg for x in lots if check_grade(
            Composition.from_wt_pct(x.composition_wt_pct, balance="Al"), get_grade(target)).passed)
        duration = max(t_end, 1e-9)
        mean_v = {k: v / duration for k, v in v_sum.items()}
        grade = get_grade(target)
        summary: dict[str, Any] = {
            "scenario": self.r.name,
            "mode": "campaign",
            "design": self.design.name,
            "current_a": charge_total / duration,
            "cycle_days": t_end / DAY,
            "termination": termination,
            "product_kg": product,
            "scrap_charged_kg": scrap_kg,
            "current_efficiency": (al_product - self.design.cathode_metal_kg * 0) / faraday_al
            if faraday_al > 0 else float("nan"),
            "mean_cell_voltage_v": sum(mean_v.values()),
            "voltage_breakdown_v": mean_v,
            "energy_kwh_per_kg": energy_j / 3.6e6 / product if product > 0 else float("nan"),
            "product_al_wt_pct": 100 * al_product / product if product > 0 else float("nan"),
            "product_in_grade_fraction": in_grade / product if product > 0 else float("nan"),
            "target_grade": target,
            "lots": [x.to_dict() for x in lots],
            "residue_kg": sum(residue.values()),
            "residue_composition_wt_pct": _wt(residue),
            "residue_phases_kg": residue_phases,
            "bath_final_kg": s.bath_kg,
            "bath_final_composition_wt_pct": _wt(s.bath),
            "mass_balance_rel_error": max(errors.values()) if errors else 0.0,
            "mass_balance_rel_error_by_element": errors,
        }
        feed_wt = self.feed.metal_wt_pct
        summary["feed_composition_wt_pct"] = feed_wt
        series = {k: np.asarray(v) for k, v in rec.items()}
        return Solution(
            scenario=self.r.name, scenario_hash=self.scenario_hash,
            time_s=np.asarray(times), series=series, lots=lots, actions=log,
            residue_kg=summary["residue_kg"],
            residue_composition_wt_pct=summary["residue_composition_wt_pct"],
            summary=summary, termination=termination, citations=[],
            grade_limits={target: dict(grade.max) if hasattr(grade, "max") else {}},
        )


def _digest(*parts: Any) -> str:
    """Stable hash of the inputs of a simulation built without a scenario."""
    import hashlib

    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def default_campaign_spec() -> CampaignSpec:
    """Built-in campaign: default actions and terminations (see `default_actions`)."""
    return CampaignSpec()
