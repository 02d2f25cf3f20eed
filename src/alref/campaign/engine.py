"""The campaign engine: one implementation of a refining cycle, over S rows of pots.

A single run is S = 1; studies, benchmarks and the optimiser run S = n through the same
code. Rows share a plan (time step, actions, terminations), a bath family and design
variant; each row has its own pot, inputs, feed, current profile and state. Every step:

1. the operating point of each row (strategy `Resolve` or `Hold`,
   `alref.campaign.operating_point`); a row whose anode can no longer supply Al ends;
2. observables (`alref.campaign.observables`) and the time-series record;
3. the actions whose triggers fire (`alref.campaign.actions`, `alref.campaign.triggers`);
4. the terminations (`alref.campaign.terminations`), on the observables after the actions;
5. the continuous processes over dt (`alref.campaign.processes.step`), the mass ledger and
   the energy, charge and voltage integrals (`alref.campaign.recorder`).
A row that ends gets a final tap and its anode alloy and sludge drained as residue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alref.campaign import actions as act
from alref.campaign import couples as cp
from alref.campaign import heat, wall
from alref.campaign import pickup as pk
from alref.campaign import routes as rt
from alref.campaign import sources as src
from alref.campaign import terminations as term
from alref.campaign.layout import PoolLayout, pool_layout
from alref.campaign.observables import LiquidusSchedule, bath_major_wt, matrix_liquidus_model, observe
from alref.campaign.operating_point import OperatingPoints, Strategy, end_reason
from alref.campaign.processes import Pools, StepContext, StepParams, step
from alref.campaign.protocol import Campaign
from alref.campaign.recorder import Recorder, RowLedger, record_row
from alref.campaign.state import PotState, compound_fractions
from alref.cell.design import CellDesign
from alref.cell.feed import FeedModel
from alref.cell.inputs import ResolvedScenario
from alref.errors import AlrefError, ConfigError
from alref.materials import salts
from alref.properties import electrolyte
from alref.properties import electrolyte_composition as ec

DAY = 86400.0
#: salts whose fluoride the bath property models see besides the initial bath's
MAJOR_EXTRA = ("MgF2", "LiF", "CaF2", "NaF")
#: step parameters read row by row from the design arrays, same names
DESIGN_STEP_PARAMS = ("r_leak", "a_area", "c_area", "k_anode", "steel_alloy", "steel_metal", "si_src",
                      "beta_si", "k_ion", "entrain", "k_fume", "open_area", "wall_g", "wall_pore",
                      "wall_disp")


def _limit_key(name: str) -> str:
    """The scenario key behind a limit (for errors naming the input to change)."""
    keys = {"alloy_superheat": "campaign.termination.alloy_superheat_min",
            "bath_superheat": "campaign.termination.bath_superheat_min",
            "sludge_capacity": "campaign.termination.sludge_capacity",
            "bath_volume": "campaign.actions",
            "density_order": "campaign.termination.density_margin_min",
            "in_grade_share": "campaign.termination.in_grade_min_share",
            "max_duration": "campaign.termination.max_duration"}
    if name.startswith("bath_limit:"):
        return f"campaign.termination.bath_limits.{name.split(':', 1)[1]}"
    return keys.get(name, "campaign.termination")


@dataclass
class RowSetup:
    """One pot of a run: its inputs, design, bath, feeds, plan and initial state."""

    name: str
    inputs: ResolvedScenario
    design: CellDesign
    family: str
    bath0: dict[str, float]  # wt %
    feed: FeedModel
    feeds: dict[str, FeedModel]  # feeds of actions charging another scrap, by key
    initial: PotState
    campaign: Campaign
    scenario_hash: str
    design_op: CellDesign | None = None  # design object the operating point is solved on

    def __post_init__(self) -> None:
        if self.design_op is None:
            self.design_op = self.design


def plan_key(row: RowSetup) -> str:
    """Rows with equal keys can share an engine (the current profile may differ)."""
    c = row.campaign
    return repr((c.time_step_s, c.actions, c.termination, row.family, row.design.variant,
                 sorted(row.bath0)))


@dataclass
class Engine:
    """S rows of pots stepped together (see module docstring)."""

    rows: Sequence[RowSetup]
    strategy: Strategy
    series: bool = False
    progress: Callable[[float], None] | None = None
    #: at the end of a cycle keep the anode alloy and sludge in the pot (a pot that runs on,
    #: `alref.campaign.potlife`, drains them itself); the final tap still happens
    keep_inventory: bool = False
    _coef: dict[bytes, Any] = field(default_factory=dict, repr=False)
    _tdata: dict[bytes, Any] = field(default_factory=dict, repr=False)
    _thermo_key: Any = field(default=None, repr=False)
    _bath_v0: Any = field(default=None, repr=False)
    _thermo: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        rows = self.rows
        r0 = rows[0]
        if len({plan_key(r) for r in rows}) != 1:
            raise ValueError("engine rows must share a plan, bath family and design variant")
        self.S = len(rows)
        self.campaign = r0.campaign
        self.family = r0.family
        els: set[str] = set()
        for r in rows:
            for f in (r.feed, *r.feeds.values()):
                els |= {e for e, w in f.metal_wt_pct.items() if w > 0}
            els |= {e for e, m in r.initial.anode.items() if m > 0}
            els |= {e for e, m in r.initial.cathode.items() if m > 0}
        extra = [salt for a in self.campaign.actions for salt in (a.add_kg or {})]
        extra += [s for r in rows for s in r.initial.bath if s not in r0.bath0]
        # bath Na and Li reach the cathode metal (`alref.campaign.pickup`)
        salts = {s for r in rows for s, m in r.initial.bath.items() if m > 0} | set(extra)
        els |= {el for el in pk.PICKUP
                if any(el in compound_fractions(s) for s in salts)}
        self.layout: PoolLayout = pool_layout(els, list(r0.bath0), extra)
        self._setup_pools()
        self._setup_arrays()
        self.actions = act.typed_actions(self.campaign)
        for a in self.actions:
            a.trigger.reset(self.S)
        self.limits = term.limits(self.campaign.termination)
        self.op = OperatingPoints(self.S)
        self.liquidus = LiquidusSchedule.new(self.S)
        self.fe_warm = np.zeros((self.S, 2))  # last Fe saturation (alloy, metal), x_Fe
        self.matrix_liquidus = matrix_liquidus_model(self.layout.th)
        self.ledger = RowLedger.new(self.S, len(self.layout.ledger_el))
        term_spec = self.campaign.termination
        self.recorder = Recorder(self.S, self.series, self.layout.el,
                                 term_spec.product_grade or "P1020A", term_spec.in_grade_window)
        self.ok = np.ones(self.S, bool)
        self.alive = np.ones(self.S, bool)
        self.errors: list[AlrefError | None] = [None] * self.S
        self.reason: list[str | None] = [None] * self.S
        self.reason_limit: list[str | None] = [None] * self.S
        self.t_end = np.zeros(self.S)
        self.current = np.array([r.campaign.current_at(0.0) for r in rows])
        self._profiled = any(len(r.campaign.profile) > 1 for r in rows)
        # the pot below its control temperature after cold charges (`alref.campaign.heat`)
        self.dip, self.dip_max = np.zeros(self.S), np.zeros(self.S)
        self.heat_capacity = np.zeros(self.S)
        self.cp_cache: dict[float, np.ndarray] = {}
        self.charge_heat_cache: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    # ------------------------------------------------------------------ set-up
    def _setup_pools(self) -> None:
        lay, S = self.layout, self.S
        A, K = np.zeros((S, len(lay.el))), np.zeros((S, len(lay.el)))
        B, G = np.zeros((S, len(lay.names))), np.zeros((S, len(lay.phases)))
        for i, r in enumerate(self.rows):
            st = r.initial
            for e, m in st.anode.items():
                A[i, lay.th.idx[e]] = m
            for e, m in st.cathode.items():
                K[i, lay.th.idx[e]] = m
            for s, m in st.bath.items():
                B[i, lay.si[s]] = m
            for p, m in st.sludge.items():
                G[i, lay.phases.index(p)] = m
        self.pools = Pools(A, K, B, G, rt.new_tags(S, lay), rt.new_tags(S, lay))
        self.routes_kg = np.zeros((S, len(rt.ROUTES), len(lay.el)))
        self.initial_elements = lay.elements(A, K, B, G)

    def _setup_arrays(self) -> None:
        lay, rows = self.layout, self.rows
        cols: dict[str, list[float]] = {}
        for r in rows:
            d, tr = r.design, r.design.spec.transfer
            cap = r.campaign.termination.sludge_capacity_kg
            vals = {
                "r_leak": d.spec.efficiency.leakage_resistance_ohm,
                "a_area": d.anode_area_m2, "c_area": d.cathode_area_m2,
                "k_anode": d.spec.kinetics.anode_mass_transfer_m_s,
                "steel_alloy": tr.bare_steel_alloy_m2 * d.scale,
                "steel_metal": tr.bare_steel_cathode_metal_m2 * d.scale,
                "si_src": src.refractory_si_kg_s(tr) * d.scale,
                "k_ion": tr.bath_ion_mass_transfer_m_s, "entrain": tr.entrainment_kg_per_a_s,
                "k_fume": tr.fume_mass_transfer_m_s, "open_area": d.open_surface_m2,
                "level0": d.anode_alloy_kg, "pad": d.cathode_metal_kg,
                "cap": cap if cap is not None else tr.sludge_capacity_kg * d.scale,
                "stacked": float(d.variant == "stacked"),
                "bath_kg0": d.bath_kg,
                "bath_v_frac": d.spec.inventory.bath_volume_max_fraction,
                "beta_si": rt.si_selective_ratio(r.family) * tr.buoyant_si_capture,
                **wall.wall_arrays(d, r.campaign.current_at(0.0)),
            }
            for k, v in vals.items():
                cols.setdefault(k, []).append(v)
        self.design_arrays = {k: np.asarray(v, float) for k, v in cols.items()}
        allowed = set(electrolyte.families()[self.family].allowed_components)
        bath0 = set(rows[0].bath0)
        self.bath0_mask = np.array([float(s in bath0) for s in lay.names])
        self.major_mask = np.array([float((s in bath0 or s in MAJOR_EXTRA) and s in allowed)
                                    for s in lay.names])
        self.bath0 = np.array([[r.bath0.get(s, 0.0) for s in lay.names] for r in rows])
        self.bath_consts = cp.bath_constants(lay)
        cations = ec.CR_CATIONS[ec.resolve_family(self.family)]
        self.cr_alkali, self.cr_alf3 = np.zeros(len(lay.names)), np.zeros(len(lay.names))
        for j, s in enumerate(lay.names):
            if s in allowed or s in bath0:
                n = ec.moles(salts.decompose({s: 100.0}))
                self.cr_alkali[j] = sum(n.get(c, 0.0) for c in cations) / 100.0
                self.cr_alf3[j] = n.get("AlF3", 0.0) / 100.0
        self.cr0 = np.array([electrolyte.cryolite_ratio(r.bath0, family=self.family)
                             for r in rows])
        self._feeds: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]] = {}
        for key in {"", *(k for r in rows for k in r.feeds)}:
            fs = [r.feed if key == "" else r.feeds[key] for r in rows]
            comp = np.array([[f.metal_wt_pct.get(e, 0.0) for e in lay.el] for f in fs])
            yld = np.array([f.metal_yield for f in fs])
            oxide = np.array([sum(v for k, v in f.nonmetallic_wt_pct.items()
                                  if k in ("oxide", "Al2O3")) for f in fs])
            self._feeds[key] = (comp, yld, oxide, [f.name for f in fs])

    # ------------------------------------------------------------------ helpers
    def feed_arrays(self, key: str, rows: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        comp, yld, oxide, names = self._feeds[key]
        return comp[rows], yld[rows], oxide[rows], names

    def feed_of(self, r: int) -> FeedModel:
        return self.rows[r].feed

    def coef(self, temp: np.ndarray) -> tuple:
        """ln γ coefficients of the layout's alloy at the rows' temperatures (cached)."""
        key = np.asarray(temp, float).tobytes()
        if key not in self._coef:
            if len(self._coef) > 64:
                self._coef.clear()
            self._coef[key] = self.layout.th.coefficients(np.asarray(temp, float))
        return self._coef[key]

    def _temp_data(self, temp: np.ndarray) -> tuple[cp.Couples, np.ndarray]:
        return cp.temperature_data(self.layout, temp, self._tdata)

    def alloy_thermo(self) -> tuple[np.ndarray, np.ndarray]:
        """Mole fractions and ln γ (S x E) of the alive rows' alloys at their operating
        temperatures (zeros for other rows), cached until the alloy, the temperatures or
        the alive rows change — the operating point, observables and step share them."""
        A, temp = self.pools.A, self.op.temp
        key = (A.tobytes(), temp.tobytes(), self.alive.tobytes())
        if self._thermo_key != key:
            r = np.nonzero(self.alive)[0]
            x, lg = np.zeros_like(A), np.zeros_like(A)
            if r.size:
                coef = self.coef(temp)
                coef_r = coef if coef[0].shape[1] == 1 else tuple(c[:, r] for c in coef)
                x[r] = self.layout.th.x_of_masses(A[r])
                lg[r] = self.layout.th.ln_gamma_rows(x[r], temp[r], coef_r)
            self._thermo_key, self._thermo = key, (x, lg)
        return self._thermo

    def bath_nominal_m3(self) -> np.ndarray:
        """Nominal bath volume of each row: the design's bath at its density when the
        operating point was first solved (m3)."""
        if self._bath_v0 is None:
            self._bath_v0 = self.design_arrays["bath_kg0"] / self.op.rho_bath
        return self._bath_v0

    def bath_major(self, r: int) -> dict[str, float]:
        """The bath of row r as the property correlations see it (wt %)."""
        return bath_major_wt(self, r)

    def feed_object(self, key: str, r: int) -> FeedModel:
        """The feed an action charges into row r ("" for the row's own feed)."""
        return self.rows[r].feed if key == "" else self.rows[r].feeds[key]

    def fail(self, r: int, exc: AlrefError) -> None:
        """Row r cannot run (bad input met during the run): it stops with its error."""
        if self.ok[r]:
            self.ok[r], self.errors[r] = False, exc
        self.alive[r] = False

    # ------------------------------------------------------------------ run
    def run(self) -> Engine:
        c = self.campaign
        dt = c.time_step_s
        t = 0.0
        first = True
        while self.alive.any():
            if self._profiled:  # constant currents need no re-evaluation
                self.current = np.array([r.campaign.current_at(t) for r in self.rows])
            alive_rows = np.nonzero(self.alive)[0]
            ended = self.strategy.update(self, t, alive_rows, first)
            for r, detail in ended.items():
                if first:  # the very first operating point is impossible: bad input
                    self.fail(r, ConfigError("cell.current", f"impossible operating point: "
                                                             f"{detail}"))
                else:
                    self._end(np.array([r]), t, {r: end_reason(detail)})
            first = False
            if not self.alive.any():
                break
            v = observe(self, t, self.alive)
            record_row(self, t, v)
            acted = False
            for a in self.actions:
                fire = a.trigger.due(t, v, self.alive)
                if fire.any():
                    a.apply(self, np.nonzero(fire)[0], t)
                    acted = True
            if acted:  # compositions changed: the observables again
                v = observe(self, t, self.alive)
            self.recorder.track_margins(self.limits, self, v, t, self.alive)
            hits = term.first_hits(self, self.limits, v, t, self.alive)
            if hits and t == 0.0:  # a cycle that ends before it starts: the inputs say so
                for r, (name, msg) in hits.items():
                    self.fail(r, ConfigError(_limit_key(name),
                                             f"the cycle would end before it starts: {msg}"))
                hits = {}
            if hits:
                self._end(np.array(sorted(hits)), t, hits)
            if self.progress:
                self.progress(min(t / c.termination.horizon_s, 1.0))
            if not self.alive.any():
                break
            self._step(np.nonzero(self.alive)[0], dt)
            t += dt
        return self

    def _end(self, rows: np.ndarray, t: float, reasons: dict[int, tuple[str, str]]) -> None:
        """End of cycle: final tap down to the pad, anode and sludge drained as residue."""
        rows = rows[self.alive[rows]]
        if rows.size == 0:
            return
        for r in rows:
            self.reason_limit[r], self.reason[r] = reasons[int(r)]
        self.t_end[rows] = t
        act.final_tap().apply(self, rows, t)
        if self.keep_inventory:
            self.alive[rows] = False
            return
        P, lay = self.pools, self.layout
        drained = P.A[rows] @ lay.to_el_metal + P.G[rows] @ lay.to_el_phase
        for r in rows:
            self.recorder.residue_phases[r] = {lay.phases[j]: float(m)
                                               for j, m in enumerate(P.G[r]) if m != 0.0}
        self.ledger.add_output(rows, drained, "residue")
        self.recorder.residue(rows, drained)
        P.A[rows] = 0.0
        P.G[rows] = 0.0
        self.alive[rows] = False

    def _step(self, r: np.ndarray, dt: float) -> None:
        lay, op = self.layout, self.op
        temp, coef = op.temp, self.coef(op.temp)
        coef_r = coef if coef[0].shape[1] == 1 else tuple(c[:, r] for c in coef)
        couples, pzn = self._temp_data(temp)
        ctx = StepContext(layout=lay, couples=couples.rows(r), pzn=pzn[r], coef=coef_r,
                          bath=self.bath_consts, accelerate=self.strategy.accelerate_precipitation,
                          saturation_tol=self.strategy.saturation_tol,
                          fe_warm=self.fe_warm[r] if self.strategy.warm_fe_saturation else None,
                          fe_rtol=self.strategy.fe_saturation_rtol)
        d = self.design_arrays
        p = StepParams(temp=temp[r], I=self.current[r], i_back=heat.back_reaction_a(self, r),
                       i_ox=op.i_ox[r], rho_bath=op.rho_bath[r], rho_metal=op.rho_al[r],
                       **{k: d[k][r] for k in DESIGN_STEP_PARAMS})
        x_all, lg_all = self.alloy_thermo()
        x, lg = x_all[r], lg_all[r]
        P = self.pools.rows(r)
        res = step(P, ctx, p, dt, op.uel[r], op.rho_alloy[r], x, lg)
        self.pools.put(r, P)
        self.fe_warm[r] = ctx.fe_warm if ctx.fe_warm is not None else 0.0
        self.routes_kg[r] += res.routes
        self.ledger.add_input(r, res.metal_sources @ lay.to_el_metal, "hardware_and_refractory")
        for comp, added in res.sources.items():
            self.ledger.add_input(r, added[:, None] * lay.to_el_bath[lay.si[comp]][None, :],
                                  "hardware_and_refractory")
        out = np.zeros((r.size, len(lay.ledger_el)))
        li = {e: j for j, e in enumerate(lay.ledger_el)}
        out[:, li["Al"]] += res.oxidised_al
        if "Zn" in li:
            out[:, li["Zn"]] += res.fumed_zn
        self.ledger.add_output(r, out)
        self.recorder.accumulate(r, dt, self.current, heat.voltage(self), op.aux_counted,
                                heat.voltage_terms(self))
        heat.recover(self, r, dt)
