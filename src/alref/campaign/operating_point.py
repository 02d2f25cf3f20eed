"""The operating point of rows of pots during a campaign, and the strategies that keep it.

The operating point of a row — temperature, ACD, auxiliary heat, voltage terms, current-
efficiency losses, bath, alloy and pad densities — comes from the steady-state pot model
(`alref.cell.model.control/evaluate`, the same physics as `alref cell`) for the row's
current bath and alloy. Two strategies of the engine keep it up to date:

* `Resolve` (the reference): re-solved for every row at every step;
* `Hold`: solved at the start, whenever the row's current changes, and — for rows whose
  temperature is not held by the pot-control rule (furnace-held lab cells, pots settling
  at the smallest ACD) — whenever the bath or alloy composition has drifted by more than
  `bath_tol_wt`/`alloy_tol_wt` since; in between, the concentration-cell voltage
  E_rev = RT/3F·ln(1/a_Al) (and with it the bypass current) follows the alloy every step,
  and the alloy density follows its composition. In the reference the ACD moves by
  < 0.02 % over a default cycle because the heat balance excludes E_rev, so the held
  point differs from the re-solved one by far less than the model's uncertainty
  (`alref bench` measures it).

A row whose anode can no longer supply Al at the line current (the voltage model raises
past the Al transport limit) ends its cycle there, with the reason.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.constants import R as R_GAS

from alref.campaign import heat
from alref.campaign.layout import FARADAY
from alref.campaign.observables import bath_major_wt, wt_rows
from alref.campaign.sources import SAT_RTOL
from alref.cell.heater import HEATER_LIMIT, HEATER_LIMITS
from alref.cell.model import ELECTRODE_TERMS, PotConditions, control, evaluate
from alref.errors import AlrefError, PhysicsError
from alref.materials.elements import molar_mass
from alref.properties.registry import RangeWarning
from alref.thermo.arrays import alloy_density_rows
from alref.thermo.sludge import SATURATION_TOLERANCE

EXHAUSTED = "anode alloy exhausted of Al (the anode would dissolve noble metals)"
#: how a row's temperature is kept (`OperatingPoints.held`)
FLOATING, FIXED_GAP, HELD = 0, 1, 2


@dataclass
class OperatingPoints:
    """Operating point of every row (arrays of length S, SI units)."""

    S: int
    temp: np.ndarray = field(init=False)
    acd: np.ndarray = field(init=False)
    aux: np.ndarray = field(init=False)  # auxiliary heat, W (as reported)
    aux_counted: np.ndarray = field(init=False)  # auxiliary heat bought, W (self-heated pots)
    ce: np.ndarray = field(init=False)
    loss_w: np.ndarray = field(init=False)
    feed_w: np.ndarray = field(init=False)  # steady heat draw of the scrap charged, W
    i_back: np.ndarray = field(init=False)
    i_ox: np.ndarray = field(init=False)
    rho_bath: np.ndarray = field(init=False)
    rho_al: np.ndarray = field(init=False)
    rho_alloy: np.ndarray = field(init=False)
    uel: np.ndarray = field(init=False)  # electrode voltage driving the bypass, V
    held: np.ndarray = field(init=False)  # FLOATING, FIXED_GAP or HELD (see `solve_row`)
    current: np.ndarray = field(init=False)  # current the point was solved for, A
    # slopes per kelvin of charge dip (`alref.campaign.heat.sensitivity`)
    dv_dip: np.ndarray = field(init=False)  # V/K
    dce_dip: np.ndarray = field(init=False)  # 1/K
    dib_dip: np.ndarray = field(init=False)  # A/K
    #: auxiliary heat (> 0) or cooling (< 0) the set temperature asks for beyond the design's
    #: rating, W (0: the heater holds it; `alref.cell.heater`), and the largest so far
    short: np.ndarray = field(init=False)
    short_max: np.ndarray = field(init=False)
    # bath conductivity and density at the probe over those at the operating point (the
    # last full probe's), for `Hold`'s scaled probes
    kappa_probe: np.ndarray = field(init=False)
    rho_bath_probe: np.ndarray = field(init=False)
    terms: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if f.name not in ("S", "terms"):
                setattr(self, f.name, np.full(self.S, np.nan))
        self.held = np.zeros(self.S, int)
        self.short, self.short_max = np.zeros(self.S), np.zeros(self.S)

    def voltage(self) -> np.ndarray:
        """Cell voltage: the sum of the terms, in their order."""
        out = np.zeros(self.S)
        for v in self.terms.values():
            out = out + v
        return out

    def set_row(self, r: int, op: dict[str, Any], acd: float, temp: float, aux: float,
                counted: bool, held: int, current: float) -> None:
        self.temp[r], self.acd[r], self.aux[r] = temp, acd, aux
        self.aux_counted[r] = aux if counted else 0.0
        self.ce[r] = op["ce"].current_efficiency
        self.loss_w[r] = op["loss"].total_w
        self.feed_w[r] = op["feed_w"]
        self.i_back[r] = op["ce"].losses_a["dissolved_metal"]
        self.i_ox[r] = op["ce"].losses_a["pad_oxidation"]
        self.rho_bath[r], self.rho_al[r] = op["rho_bath"], op["rho_al"]
        self.rho_alloy[r] = op["rho_alloy"]
        terms = op["vb"].terms
        for k, v in terms.items():
            self.terms.setdefault(k, np.zeros(self.S))[r] = v
        self.uel[r] = sum(terms.get(k, 0.0) for k in ELECTRODE_TERMS)
        self.held[r], self.current[r] = held, current


def conditions(eng: Any, r: int, current: float,
               known: dict[float, tuple[float, float]] | None = None) -> PotConditions:
    """The steady-state model's inputs for row r with its bath and alloy now (`known`:
    the alloy's density and a_Al at some temperatures, `PotConditions.alloy_known`)."""
    row = eng.rows[r]
    lay = eng.layout
    A = eng.pools.A[r]
    alloy = {lay.el[j]: float(v) for j, v in enumerate(A) if v > 0}
    tot = sum(alloy.values())
    alloy_wt = {k: 100.0 * v / tot for k, v in alloy.items()} if tot > 0 else {}
    inputs = dataclasses.replace(row.inputs, current_a=current)
    return PotConditions(row.design_op, inputs, bath_major_wt(eng, r), eng.family, alloy_wt,
                         eng.feed_of(r), dict(known or {}))


def alloy_at_set_point(eng: Any, rows: np.ndarray) -> dict[int, dict[float, tuple[float, float]]]:
    """Alloy density and a_Al of `rows` at their set temperatures and `heat.PROBE_K` below
    them (where `heat.sensitivity` probes a pot solved at its set temperature), for all rows
    at once with the array forms of the models `PotConditions.properties` uses (COST 507
    liquid, `alloy_density_rows`): most pots are solved at that temperature."""
    if rows.size == 0:
        return {}
    th, A = eng.layout.th, eng.pools.A[rows]
    t_set = np.array([eng.rows[r].inputs.temperature_k for r in rows])
    x = th.x_of_masses(A)
    i_al = th.idx["Al"]
    out: dict[int, dict[float, tuple[float, float]]] = {int(r): {} for r in rows}
    for temp in (t_set, t_set - heat.PROBE_K):
        lg = th.ln_gamma_rows(x, temp, eng.coef(temp))
        a_al = x[:, i_al] * np.exp(lg[:, i_al])
        rho = alloy_density_rows(th, A, temp)
        for r, t, p, a in zip(rows, temp, rho, a_al, strict=True):
            if a > 0 and p > 0:
                out[int(r)][float(t)] = (float(p), float(a))
    return out


def solve_row(eng: Any, r: int, current: float,
              known: dict[float, tuple[float, float]] | None = None, probe: bool = True
              ) -> str | None:
    """Solve row r's operating point; None, or why the anode can supply no more Al.
    `probe`: probe the charge-dip slopes (`heat.sensitivity`) with the bath properties at
    the probe temperature; else (a `Hold` re-solve for drift) those are the properties now
    scaled by their ratio at the row's last full probe (`OperatingPoints.kappa_probe`)."""
    row = eng.rows[r]
    d = row.design
    f = conditions(eng, r, current, known)
    try:
        acd, temp, limit, aux, _cool, notes = control(f, warn=False)
        op = evaluate(f, acd, temp)
    except PhysicsError as exc:
        return str(exc)
    mode = d.control_mode(row.inputs.pot_control)
    if limit in HEATER_LIMITS:
        _heater_short(eng, r, f, acd, limit, notes[-1])
        if limit == "heater_freeze":
            eng.op.set_row(r, op, acd, temp, aux, d.spec.heating == "self", FLOATING, current)
            return notes[-1]
        held = FLOATING  # the lever is at its maximum: the temperature follows the balance
    elif mode == "bath_level" and limit is None:
        held = HELD  # the bath layer holds the temperature: only E_rev moves the point
    elif mode in ("auxiliary", "furnace") or (mode == "bath_level" and limit == "max"):
        held = FIXED_GAP  # temperature held at a fixed gap: the voltage follows the bath
    else:
        held = FLOATING  # the temperature follows the heat balance
    if limit not in HEATER_LIMITS:
        eng.op.short[r] = 0.0
    eng.op.set_row(r, op, acd, temp, aux, d.spec.heating == "self", held, current)
    P, cold_t = eng.op, temp - heat.PROBE_K
    if not probe and np.isfinite(P.kappa_probe[r]):
        f.bath_known[cold_t] = (op["kappa"] * P.kappa_probe[r], op["rho_bath"] * P.rho_bath_probe[r])
    heat.sensitivity(eng, r, f, acd, temp, op)
    if probe:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cold = evaluate(f, acd, cold_t)  # remembered from the probe
        except AlrefError:
            return None
        P.kappa_probe[r] = cold["kappa"] / op["kappa"]
        P.rho_bath_probe[r] = cold["rho_bath"] / op["rho_bath"]
    return None


def end_reason(detail: str) -> tuple[str, str]:
    """(limit, termination) of a row whose operating point `solve_row` could not solve:
    the heater could no longer keep a layer above its liquidus, or the anode is exhausted."""
    if detail.startswith(HEATER_LIMIT):
        return "heater_limit", detail
    return "anode_exhausted", f"{EXHAUSTED}: {detail}"


def _heater_short(eng: Any, r: int, f: PotConditions, acd: float, limit: str,
                  note: str) -> None:
    """Record row r's heater (> 0) or cooling (< 0) shortfall at its set temperature, W
    (`OperatingPoints.short`); a RangeWarning naming it the first time."""
    d = f.design
    sp = evaluate(f, acd, f.s.temperature_k)["surplus"]
    short = (-sp - d.heater_max_w) if limit.startswith("heater") else -(sp - d.cooling_max_w)
    eng.op.short[r] = short
    if eng.op.short_max[r] == 0.0:
        warnings.warn(RangeWarning(f"row {r} ({d.name}): {note}"), stacklevel=3)
    eng.op.short_max[r] = max(eng.op.short_max[r], abs(short))


class Strategy:
    """How the engine keeps the operating point (see module docstring)."""

    name = "strategy"
    #: days between bath-liquidus evaluations far from the limit (0: every step)
    bath_every_days = 0
    #: days between Al-Cu matrix-liquidus evaluations far from the limit (1: daily)
    matrix_every_days = 1
    #: extrapolate precipitation's γ rounds (`Thermo.precipitate_rows(accelerate=...)`)
    accelerate_precipitation = False
    #: saturation index at which precipitation stops (the thermodynamic tolerance)
    saturation_tol = SATURATION_TOLERANCE
    #: start the steel-Fe saturation from each row's last value (`sources.fe_saturation_rows`)
    warm_fe_saturation = False
    #: relative step that ends the steel-Fe saturation's iteration
    fe_saturation_rtol = SAT_RTOL
    #: skip the full primary-Si liquidus of rows provably below their matrix liquidus
    si_liquidus_bound = False

    def update(self, eng: Any, t: float, rows: np.ndarray, first: bool) -> dict[int, str]:
        """Bring the operating point of `rows` up to date at time t; the rows whose anode
        can no longer supply Al, with the detail of why."""
        raise NotImplementedError

    @staticmethod
    def _solve(eng: Any, rows: np.ndarray, arrays: bool = False,
               probe: np.ndarray | None = None) -> dict[int, str]:
        """Solve `rows` one by one (`arrays`: with the alloy properties at the set
        temperature from `alloy_at_set_point`; `probe`: per row of `rows`, whether the
        charge-dip slopes are probed again — all when None)."""
        ended = {}
        known = alloy_at_set_point(eng, rows) if arrays else {}
        for k, r in enumerate(rows):
            try:
                reason = solve_row(eng, int(r), float(eng.current[r]), known.get(int(r)),
                                   probe=True if probe is None else bool(probe[k]))
            except AlrefError as exc:
                eng.fail(int(r), exc)
                continue
            if reason is not None:
                ended[int(r)] = reason
        return ended


class Resolve(Strategy):
    """Re-solve every row's operating point at every step (the reference)."""

    name = "resolve"
    bath_every_days = 0

    def update(self, eng: Any, t: float, rows: np.ndarray, first: bool) -> dict[int, str]:
        return self._solve(eng, rows)


@dataclass
class Hold(Strategy):
    """Hold each row's operating point and track E_rev (see module docstring)."""

    #: bath (wt %) and alloy (wt %) drift that re-solves a row whose temperature is not
    #: held by the control rule (numerical settings, checked against `Resolve` in tests)
    bath_tol_wt: float = 0.05
    alloy_tol_wt: float = 0.5
    #: rows whose temperature is held at a fixed gap (heaters/cooling, furnace) re-solve at
    #: this multiple of the tolerances: only the voltage and heat terms move with the bath
    #: (its ratio swings by ~0.5 wt % between the 6-hourly AlF3 feeds, its MgF2 by ~1.6 wt %
    #: between bath corrections; at 30 a default cycle re-solves ~6 times instead of ~14 at
    #: 20, with the same `alref bench` KPI differences, ~2e-5 — benchmarks/README.md)
    fixed_gap_factor: float = 30.0
    #: days between bath-liquidus evaluations far from its limit (numerical setting; the
    #: bath drifts by < 1 K per day between corrections)
    bath_every_days: int = 5
    #: days between matrix-liquidus evaluations far from its limit (numerical setting; the
    #: Al-Cu liquidus of the anode alloy rises by a few K per day as Cu concentrates, and a
    #: row within `observables.MATRIX_MARGIN_K` plus twice its charge dip and twice that rise
    #: is evaluated daily)
    matrix_every_days: int = 5
    #: precipitation's slowly converging γ rounds extrapolated (`thermo.arrays._Aitken`;
    #: moves a minor sludge phase by ~1e-6 of its mass, far below the bench criterion)
    accelerate_precipitation: bool = True
    #: saturation index at which precipitation stops (numerical setting): a row left up to
    #: 1e-6 above saturation precipitates the rest in the next step, so nothing is lost;
    #: 400 bench rows move by < 1e-9 in every KPI against 1e-9 (at 1e-5 one row's cycle
    #: ends a quarter-day later), and precipitation takes ~25 % fewer rounds
    saturation_tol: float = 1e-6
    #: the steel-Fe saturation starts from the row's last value: the same root within its
    #: relative tolerance (1e-6) in one or two Henry's-law steps instead of several
    warm_fe_saturation: bool = True
    #: ... and stops at a relative step of 1e-4 (numerical setting): from the last root one
    #: step mostly suffices; 100 bench rows move by < 1e-8 in every KPI against 1e-6
    fe_saturation_rtol: float = 1e-4
    #: a row's primary-Si liquidus is evaluated in full once a day and whenever its upper
    #: bound (`observables.SI_DLNG_PAD`) reaches the matrix liquidus
    si_liquidus_bound: bool = True
    #: a re-solve for bath or alloy drift probes the charge-dip slopes with the bath's
    #: conductivity and density at the probe temperature scaled from the operating point's
    #: by their ratio at the row's last full probe (first solve, current change) instead of
    #: evaluating the bath correlations again
    keep_probe: bool = True
    name: str = "hold"
    _bath: np.ndarray | None = None
    _alloy: np.ndarray | None = None
    _erev0: np.ndarray | None = None
    _uel0: np.ndarray | None = None

    def update(self, eng: Any, t: float, rows: np.ndarray, first: bool) -> dict[int, str]:
        op, P = eng.op, eng.pools
        if first or self._bath is None:
            self._bath = np.zeros((eng.S, len(eng.layout.names)))
            self._alloy = np.zeros((eng.S, len(eng.layout.el)))
            self._erev0 = np.zeros(eng.S)
            self._uel0 = np.zeros(eng.S)
        bath = wt_rows(P.B * eng.major_mask)
        alloy = wt_rows(P.A)
        stale = first | (eng.current != op.current)
        d_bath = np.abs(bath - self._bath).max(1)
        d_alloy = np.abs(alloy - self._alloy).max(1)
        loose = self.fixed_gap_factor
        drift = np.where(op.held == FLOATING,
                         (d_bath > self.bath_tol_wt) | (d_alloy > self.alloy_tol_wt),
                         (d_bath > loose * self.bath_tol_wt) | (d_alloy > loose * self.alloy_tol_wt))
        reprobe = stale if self.keep_probe else np.ones_like(stale)
        stale = stale | ((op.held != HELD) & drift)
        todo = rows[stale[rows]]
        ended = self._solve(eng, todo, arrays=True, probe=reprobe[todo])
        running = eng.ok.copy()
        running[list(ended)] = False
        fresh = todo[running[todo]]
        self._bath[fresh], self._alloy[fresh] = bath[fresh], alloy[fresh]
        self._uel0[fresh] = op.uel[fresh]
        if "reversible" in op.terms:
            self._erev0[fresh] = op.terms["reversible"][fresh]
        running[fresh] = False
        track = rows[running[rows]]
        if track.size:
            ended.update(self._track(eng, track))
        return ended

    def _track(self, eng: Any, rows: np.ndarray) -> dict[int, str]:
        """E_rev, bypass driver and alloy density of held rows from the alloy now; rows
        past the anode's Al supply limit end."""
        op, th, A = eng.op, eng.layout.th, eng.pools.A[rows]
        i_al = th.idx["Al"]
        temp = op.temp[rows]
        x_all, lg_all = eng.alloy_thermo()
        x, lg = x_all[rows], lg_all[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            erev = R_GAS * temp / (3 * FARADAY) * -(
                np.log(np.where(x[:, i_al] > 0, x[:, i_al], 1e-300)) + lg[:, i_al])
        if "reversible" in op.terms:
            op.terms["reversible"][rows] = erev
            op.uel[rows] = self._uel0[rows] - self._erev0[rows] + erev
        rho = alloy_density_rows(th, A, temp)
        op.rho_alloy[rows] = rho
        a_kg = A.sum(1)
        with np.errstate(invalid="ignore", divide="ignore"):
            c_al = np.where(a_kg > 0, A[:, i_al] / a_kg, 0.0) * rho / molar_mass("Al")
        d = eng.design_arrays
        out = eng.current[rows] / d["a_area"][rows] >= 3 * FARADAY * d["k_anode"][rows] * c_al
        return {int(r): "current density above the Al supply limit" for r in rows[out]}


def strategy(name: str | Strategy) -> Strategy:
    """A strategy by name ('resolve' or 'hold') or as given."""
    if isinstance(name, Strategy):
        return name
    if name == "resolve":
        return Resolve()
    if name == "hold":
        return Hold()
    raise ValueError(f"unknown operating-point strategy {name!r}; expected resolve or hold")
