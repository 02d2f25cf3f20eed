"""Observables of rows of pots: what triggers, terminations and the recorder read.

One function, `observe`, computes for every row the quantities a `when` condition may name
(`alref.campaign.protocol.QUANTITY_PATTERNS`) plus the densities and margins the
terminations check: pool masses, compositions (wt %, NaN where an element or salt is
absent), the alloy superheat over its liquidus (the Al–Cu matrix liquidus, re-evaluated
daily, and the primary-Si liquidus, every call), the bath superheat over its liquidus, the
cryolite ratio, the sludge volume fraction of the anode compartment and the cell voltage.

The bath liquidus is the reference correlation (`alref.properties.electrolyte.liquidus`)
evaluated per row on a schedule set by the operating-point strategy: every call
(`bath_every_days = 0`), or every `bath_every_days` while the superheat is more than two
margins above its limit, daily within two margins and at every call within one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from alref.campaign import heat
from alref.campaign.state import oxide_density_kg_m3
from alref.properties import electrolyte
from alref.thermo import alloy_liquidus
from alref.thermo.arrays import Liquidus

DAY = 86400.0


def wt_rows(M: np.ndarray) -> np.ndarray:
    """wt % of each column over the positive entries of each row (0 for an empty row)."""
    pos = np.maximum(M, 0.0)
    tot = pos.sum(axis=1, keepdims=True)
    return np.divide(100.0 * pos, tot, out=np.zeros_like(pos), where=tot > 0)


def ratio_rows(B: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """(B @ num)/(B @ den) per row, inf where the denominator is 0 (e.g. the cryolite
    ratio: alkali-fluoride moles over AlF3 moles, both linear in the bath masses)."""
    n, d = B @ num, B @ den
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d > 0, n / np.where(d > 0, d, 1.0), np.inf)


@dataclass
class LiquidusSchedule:
    """Per-row caches of the slowly moving liquidus temperatures."""

    matrix_day: np.ndarray  # day of the last matrix-liquidus evaluation per row
    t_matrix: np.ndarray  # K, Al-Cu matrix liquidus of the alloy (daily or scheduled)
    matrix_rate: np.ndarray  # K/day, its rise between the last two evaluations (inf: unknown)
    matrix_tb: np.ndarray  # K, the binary Al-Cu liquidus of the alloy at that evaluation
    bath_day: np.ndarray  # day of the last bath-liquidus evaluation per row
    bath_superheat: np.ndarray  # K
    t_si: np.ndarray  # K, primary-Si liquidus of the alloy (every call; 0 without Si)
    si_day: np.ndarray  # day of the last full primary-Si evaluation per row
    si_dlng: np.ndarray  # ln γ_Si(T - 60 K) - ln γ_Si(T) at that evaluation (NaN: none)

    @classmethod
    def new(cls, n: int) -> LiquidusSchedule:
        return cls(np.full(n, -1), np.zeros(n), np.full(n, np.inf), np.zeros(n),
                   np.full(n, -10**6), np.full(n, np.inf), np.zeros(n), np.full(n, -1),
                   np.full(n, np.nan))

    def primary_phase(self, r: int, alloy_wt: dict[str, float]) -> str:
        """The phase that would crystallise first from row r's alloy at its liquidus:
        primary Si, or the Al–Cu matrix phase of its Cu/(Al+Cu) ratio (COST 507 table)."""
        if self.t_si[r] > self.t_matrix[r]:
            return "Si"
        return alloy_liquidus.matrix_primary_phase(alloy_wt)


#: bath superheat margin (K) above the termination limit within which the bath liquidus is
#: re-evaluated at every call on a scheduled strategy (numerical setting, not physics)
BATH_MARGIN_K = 5.0
#: alloy superheat over the matrix liquidus (K) beyond the limit, twice the largest charge
#: dip so far and twice the liquidus' rise over a scheduled interval, above which a scheduled
#: strategy evaluates the matrix liquidus only every `matrix_every_days` (numerical setting)
MATRIX_MARGIN_K = 10.0
#: move (K) of the binary Al-Cu liquidus at the alloy's Cu/(Al+Cu) — a table look-up, the
#: cheap bound — since the last evaluation that makes a scheduled evaluation due at once
#: (the liquidus jumps where the alloy crosses into another primary phase; numerical
#: setting). A smaller move is taken off the margin. Between scheduled evaluations the
#: liquidus is held: against the next evaluation it is off by ~4 K (median), 15 K (95th
#: percentile), 19 K at most over 100 bench rows, against margins of ~250 K; only the
#: termination check reads it in a batch, whose KPIs do not move (benchmarks/README.md)
MATRIX_BINARY_K = 15.0
#: Al content (wt %) below which the matrix liquidus is evaluated daily whatever the margin:
#: the liquidus of an Al-poor alloy climbs steeply and faster each day as the anode nears
#: exhaustion, which neither bound above foresees (numerical setting)
MATRIX_AL_MIN_WT = 30.0


def observe(eng: Any, t: float, alive: np.ndarray) -> dict[str, Any]:
    """Observables of every row of engine `eng` at time t (see module docstring)."""
    lay, P, op = eng.layout, eng.pools, eng.op
    A, K, B, G = P.A, P.K, P.B, P.G
    th = lay.th
    temp = op.temp
    day = int(t // DAY)
    sched: LiquidusSchedule = eng.liquidus
    W = wt_rows(A)
    rows = np.nonzero(alive)[0]
    _matrix_liquidus(eng, rows, day, W)
    x, lg = eng.alloy_thermo()
    t_si = _si_liquidus(eng, rows, day, x, lg) if "Si" in th.phases and rows.size else (
        np.zeros(A.shape[0]))
    sched.t_si = t_si
    _bath_superheat(eng, rows, day, temp)
    v: dict[str, Any] = {
        "t_days": np.full(A.shape[0], t / DAY),
        "anode_kg": A.sum(1), "sludge_kg": G.sum(1), "bath_kg": B.sum(1),
        "cathode_kg": K.sum(1),
        "alloy_superheat_k": temp - eng.dip - np.maximum(sched.t_matrix, t_si),
        "bath_superheat_k": sched.bath_superheat - eng.dip,
        "cathode_superheat_k": temp - eng.dip - heat.cathode_melting_k(),
        "cell_voltage_v": heat.voltage(eng),
        "bath_volume_l": 1e3 * B.sum(1) / op.rho_bath,
        "bath_level_fraction": B.sum(1) / op.rho_bath / eng.bath_nominal_m3(),
        "bath_cr": ratio_rows(B * eng.major_mask, eng.cr_alkali, eng.cr_alf3),
        "_rho_alloy": op.rho_alloy, "_rho_bath": op.rho_bath, "_rho_al": op.rho_al,
    }
    rho_solid = np.where(np.isfinite(lay.rho_phase), lay.rho_phase, oxide_density_kg_m3())
    v_solid = (G / rho_solid).sum(1)
    v_liq = v["anode_kg"] / op.rho_alloy
    with np.errstate(invalid="ignore", divide="ignore"):
        v["anode_solid_fraction"] = np.where(v_solid + v_liq > 0, v_solid / (v_solid + v_liq), 0.0)
    for name, M, names in (("anode", A, lay.el), ("cathode", K, lay.el), ("bath", B, lay.names)):
        Wm = W if name == "anode" else wt_rows(M)
        for j, n in enumerate(names):
            v[f"{name}.{n}_wt_pct"] = np.where(M[:, j] > 0, Wm[:, j], np.nan)
    return v


#: cooling (K) over which the primary-Si liquidus is found by a secant of its saturation
#: index from the operating temperature (numerical setting)
SI_SECANT_K = 60.0
#: rise allowed to a row's Δln γ_Si = ln γ_Si(T - 60 K) - ln γ_Si(T) since its last full
#: evaluation (at most a day ago) in the upper bound that lets a scheduled strategy skip the
#: full evaluation of a row whose primary-Si liquidus stays below its matrix liquidus (the
#: superheat then reads the matrix liquidus alone). Numerical setting: over the bench rows
#: Δln γ_Si is about -0.1 and moves by ~0.002 a day (benchmarks/README.md)
SI_DLNG_PAD = 0.05


def _si_liquidus(eng: Any, rows: np.ndarray, day: int, x: np.ndarray, lg: np.ndarray
                 ) -> np.ndarray:
    """Primary-Si liquidus (K) of every row: the secant root of SI_Si between the operating
    temperature T and T - `SI_SECANT_K` (0 where the alloy has no Si or the secant fails).

    SI_Si(T) needs ln γ at T, known; SI_Si(T - 60 K) a second ln γ evaluation. Their
    difference is Δln γ_Si plus the exact ln K term, so with Δln γ_Si bounded by the row's
    last full value plus `SI_DLNG_PAD` the secant root has an upper bound. On a strategy
    with `si_liquidus_bound`, a row fully evaluated today whose bound lies below its matrix
    liquidus keeps the bound (its superheat and primary phase read the matrix liquidus
    either way) and skips the second evaluation."""
    th, sched = eng.layout.th, eng.liquidus
    col, temp = th.phases.index("Si"), eng.op.temp
    xr, tr = x[rows], temp[rows]
    hi = th.saturation(xr, tr, _take(eng.coef(temp), rows), lg[rows])[:, col]
    dk = th.lnk_b[col] * (1.0 / tr - 1.0 / (tr - SI_SECANT_K))  # ln K part of SI(T-60)-SI(T)
    t_si = np.zeros(x.shape[0])
    full = np.ones(rows.size, bool)
    if getattr(eng.strategy, "si_liquidus_bound", False):
        dg = sched.si_dlng[rows]
        s_max = dk + dg + SI_DLNG_PAD
        with np.errstate(invalid="ignore", divide="ignore"):
            bound = tr + SI_SECANT_K * hi / s_max
        skip = (np.isfinite(dg) & np.isfinite(hi) & (hi < 0) & (s_max > 0)
                & (sched.si_day[rows] == day) & (bound < sched.t_matrix[rows]))
        t_si[rows[skip]] = bound[skip]
        full = ~skip
    r, hi, tr, dk = rows[full], hi[full], tr[full], dk[full]
    if r.size == 0:
        return t_si
    xr = xr[full]
    lo = th.saturation(xr, tr - SI_SECANT_K, _take(eng.coef(temp - SI_SECANT_K), r))[:, col]
    has = (xr[:, th.idx["Si"]] > 0) & np.isfinite(hi) & np.isfinite(lo) & (lo > hi)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_si[r] = np.where(has, tr - SI_SECANT_K * hi / (hi - lo), 0.0)
        sched.si_dlng[r] = np.where(has, lo - hi - dk, np.nan)
    new_day = sched.si_day[r] != day
    sched.si_day[r[new_day]] = day
    return t_si


def _take(coef: tuple, r: np.ndarray) -> tuple:
    """Coefficient rows r (unchanged when one temperature broadcasts to every row)."""
    return coef if coef[0].shape[1] == 1 else tuple(c[:, r] for c in coef)


def bath_major_wt(eng: Any, r: int) -> dict[str, float]:
    """The bath the property correlations see for row r: its major salts (the initial
    bath's and the fluorides Mg, Li, Ca, Na form) allowed in the family, wt %."""
    B = eng.pools.B[r] * eng.major_mask
    names = eng.layout.names
    major = {names[j]: float(B[j]) for j in np.nonzero(B > 0)[0]}
    tot = sum(major.values())
    return {k: 100.0 * m / tot for k, m in major.items()}


def _matrix_liquidus(eng: Any, rows: np.ndarray, day: int, W: np.ndarray) -> None:
    """The Al-Cu matrix liquidus moves slowly: re-evaluated daily, or — on a strategy with
    `matrix_every_days` > 1, for Al-rich rows far from the superheat limit (beyond the move
    of their binary Al-Cu liquidus, which must stay below `MATRIX_BINARY_K`), when no
    action's trigger reads the alloy superheat — every `matrix_every_days`."""
    sched: LiquidusSchedule = eng.liquidus
    if rows.size == 0:
        return
    since = day - sched.matrix_day[rows]
    every = getattr(eng.strategy, "matrix_every_days", 1)
    due = since >= 1
    if every > 1 and not _reads_alloy_superheat(eng):
        limit = eng.campaign.termination.alloy_superheat_min_k
        moved = np.abs(eng.matrix_liquidus.binary(W[rows])[1] - sched.matrix_tb[rows])
        margin = eng.op.temp[rows] - sched.t_matrix[rows] - limit - moved
        rate = sched.matrix_rate[rows]
        al_rich = W[rows, eng.matrix_liquidus.al] >= MATRIX_AL_MIN_WT
        far = ((margin > MATRIX_MARGIN_K + 2.0 * eng.dip_max[rows] + 2.0 * rate * every)
               & (moved < MATRIX_BINARY_K) & al_rich)
        due &= ~far | (since >= every)
    r = rows[due]
    if r.size == 0:
        return
    old, last = sched.t_matrix[r], sched.matrix_day[r]
    known = old > 0
    ahead = np.where(np.isfinite(sched.matrix_rate[r]), sched.matrix_rate[r], 0.0) * (day - last)
    guess = np.where(known, old + (ahead if every > 1 else 0.0), np.nan)
    new = eng.matrix_liquidus.rows(W[r], guess)
    sched.matrix_rate[r] = np.where(known, np.maximum(new - old, 0.0) / np.maximum(day - last, 1),
                                    np.inf)
    sched.t_matrix[r], sched.matrix_day[r] = new, day
    sched.matrix_tb[r] = eng.matrix_liquidus.binary(W[r])[1]


def _reads_alloy_superheat(eng: Any) -> bool:
    """Whether an action's `when` condition reads the alloy superheat (then it stays daily)."""
    return any(a.trigger.when is not None and "alloy_superheat" in a.trigger.when.quantity
               for a in eng.actions)


def _bath_superheat(eng: Any, rows: np.ndarray, day: int, temp: np.ndarray) -> None:
    sched: LiquidusSchedule = eng.liquidus
    every_days = eng.strategy.bath_every_days
    limit = eng.campaign.termination.bath_superheat_min_k
    margin = sched.bath_superheat[rows] - limit
    every = np.where(margin >= 2 * BATH_MARGIN_K, every_days, min(1, every_days))
    due = (every_days == 0) | (day - sched.bath_day[rows] >= every) | (margin < BATH_MARGIN_K)
    for r in rows[due]:
        liq = electrolyte.liquidus(bath_major_wt(eng, r), family=eng.family).value
        sched.bath_superheat[r] = temp[r] - liq
        sched.bath_day[r] = day


def matrix_liquidus_model(th: Any) -> Liquidus:
    """The array Al–Cu matrix liquidus over the layout's elements."""
    return Liquidus(th)
