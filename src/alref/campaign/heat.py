"""The pot's temperature between charges: a cold charge cools the pot, the heat budget
brings it back (issue 13 item 4, a first dynamic heat balance).

The operating point (`alref.campaign.operating_point`) is the steady state of the pot at
its control temperature; its heat balance already budgets the scrap's heat as a steady
draw `feed_w` (scrap heated, melted and dried at the production rate, §8.1). A real charge
takes that heat at once: the charge of mass m cools the pot's liquid inventory (anode
alloy, bath, cathode metal; heat capacities from `alref.properties`) by

    ΔT = m · h_scrap(T_charge → T) / Σ m_i c_p,i

and the budgeted `feed_w` then restores the temperature at the rate feed_w / Σ m_i c_p,i,
so a pot charged at the rate it produces swings in a sawtooth below its control
temperature. The engine keeps the current deficit `dip` (K) per row; the observables read
the pot at T − dip (alloy and bath superheat), so a charge too large or too cold for the
margin ends the cycle on the superheat limits, saying that a charge did it. Preheating the
scrap (`feed.charge_temperature`) or charging smaller portions more often shrinks the dip.

The pot runs at T − dip until it recovers: the bath conducts less (higher IR drop) and
dissolves less metal (smaller back-reaction loss, higher current efficiency). When a row's
operating point is solved, `sensitivity` probes the same pot model
(`alref.cell.model.evaluate`, same ACD) `PROBE_K` colder and keeps the slopes of voltage,
current efficiency and back-reaction current per kelvin of dip; `voltage`, `current_
efficiency` and `back_reaction_a` give the point at the row's dipped temperature (first
order in the dip: the slopes of the bath conductivity and metal solubility change by a
few per cent over the tens of kelvin of a charge dip). Every layer's temperature after a
charge (`layer_superheat`) is reported in the action log; the cathode pad (refined Al)
warns when it would freeze, the alloy and bath end the cycle through the superheat limits.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from alref.campaign.bath_rows import heat_capacity_rows
from alref.cell.model import PotConditions, evaluate
from alref.errors import AlrefError
from alref.properties.registry import RangeWarning
from alref.properties.thermal import cp_liquid_element, melting_point
from alref.properties.thermal import elements as thermal_elements

#: K below the operating temperature at which the slopes of voltage and CE are probed
#: (numerical setting: a typical charge dip, inside which the slopes are near constant)
PROBE_K = 10.0


def _cp_vector(eng: Any, t: float) -> np.ndarray:
    """Liquid c_p (J/kg/K) of each element column at t (Neumann-Kopp terms), cached per
    temperature: elements without heat-capacity data (minor solutes such as Zr, V, Ga
    that concentrate in the anode) count as Al, as trace elements do for the scrap's
    enthalpy (`alref.cell.feed`); at a few wt % this moves Σ m c_p by less than the
    spread of the liquid c_p data."""
    cache = eng.cp_cache
    if t not in cache:
        known = thermal_elements()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RangeWarning)
            cache[t] = np.array([cp_liquid_element(e if e in known else "Al", t)
                                 for e in eng.layout.el])
    return cache[t]


def heat_capacity_j_k(eng: Any, rows: np.ndarray) -> np.ndarray:
    """Σ m·c_p (J/K) of the liquid inventory of each row at its operating temperature:
    anode alloy and cathode metal by Neumann-Kopp (`cp_liquid_metal` summed per element),
    bath by `alref.properties.electrolyte.heat_capacity` (over rows: `bath_rows`)."""
    P, temp = eng.pools, eng.op.temp[rows]
    metal = np.maximum(P.A[rows] + P.K[rows], 0.0)
    out = np.zeros(rows.size)
    for t in np.unique(temp):  # rows share a temperature unless their control differs
        sel = temp == t
        out[sel] = metal[sel] @ _cp_vector(eng, float(t))
    # the bath's c_p for all rows at once (the same model as electrolyte.heat_capacity)
    return out + P.B[rows].sum(1) * heat_capacity_rows(eng, rows, temp)


def charge_dip(eng: Any, rows: np.ndarray, mass_kg: np.ndarray, feed_key: str) -> None:
    """Cool `rows` by the heat their charge of `mass_kg` of scrap (feed `feed_key`) takes."""
    if rows.size == 0:
        return
    c = heat_capacity_j_k(eng, rows)
    h_al, per_al = _charge_heat(eng, rows, feed_key)
    q = mass_kg * h_al / per_al
    ok = c > 0
    r, c = rows[ok], c[ok]
    eng.dip[r] += q[ok] / c
    eng.dip_max[r] = np.maximum(eng.dip_max[r], eng.dip[r])
    eng.heat_capacity[r] = c


def _charge_heat(eng: Any, rows: np.ndarray, feed_key: str) -> tuple[np.ndarray, np.ndarray]:
    """Heat per kg of Al (J/kg, `Feed.heat_per_kg_al` at the row's temperature) and kg of
    scrap per kg of Al of each row's charge, kept per feed until a row's temperature moves
    (the feed's own memo replays its citations per call, a per-row loop every charge)."""
    cache = eng.charge_heat_cache
    if feed_key not in cache:
        cache[feed_key] = (np.full(eng.S, np.nan), np.full(eng.S, np.nan), np.full(eng.S, np.nan))
    temps, h_al, per_al = cache[feed_key]
    temp = eng.op.temp[rows]
    for r in rows[temps[rows] != temp]:
        feed = eng.feed_object(feed_key, int(r))
        t = float(eng.op.temp[r])
        h_al[r], per_al[r], temps[r] = feed.heat_per_kg_al(t), feed.scrap_per_kg_al, t
    return h_al[rows], per_al[rows]


def recover(eng: Any, rows: np.ndarray, dt: float) -> None:
    """The budgeted scrap heat restores the temperature of `rows` over dt."""
    c = eng.heat_capacity[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        back = np.where(c > 0, eng.op.feed_w[rows] * dt / c, 0.0)
    eng.dip[rows] = np.maximum(eng.dip[rows] - back, 0.0)


def sensitivity(eng: Any, r: int, f: PotConditions, acd: float, temp: float,
                op: dict[str, Any]) -> None:
    """Slopes of row r's cell voltage, current efficiency and back-reaction current per
    kelvin of charge dip, from the pot model `PROBE_K` colder at the same ACD."""
    P = eng.op
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RangeWarning)
            cold = evaluate(f, acd, temp - PROBE_K)
    except AlrefError:
        P.dv_dip[r] = P.dce_dip[r] = P.dib_dip[r] = 0.0
        return
    P.dv_dip[r] = (cold["vb"].total_v - op["vb"].total_v) / PROBE_K
    P.dce_dip[r] = (cold["ce"].current_efficiency - op["ce"].current_efficiency) / PROBE_K
    P.dib_dip[r] = (cold["ce"].losses_a["dissolved_metal"]
                    - op["ce"].losses_a["dissolved_metal"]) / PROBE_K


def voltage(eng: Any) -> np.ndarray:
    """Cell voltage of every row at its dipped temperature."""
    return eng.op.voltage() + np.nan_to_num(eng.op.dv_dip) * eng.dip


def voltage_terms(eng: Any) -> dict[str, np.ndarray]:
    """Voltage terms of every row at its dipped temperature: the change is put on the bath
    IR drop, which carries nearly all of it (the bath conductivity falls with T)."""
    terms = dict(eng.op.terms)
    key = "bath_ir" if "bath_ir" in terms else next(iter(terms), None)
    if key is not None:
        terms[key] = terms[key] + np.nan_to_num(eng.op.dv_dip) * eng.dip
    return terms


def current_efficiency(eng: Any) -> np.ndarray:
    """Current efficiency of every row at its dipped temperature (at most 1)."""
    return np.minimum(eng.op.ce + np.nan_to_num(eng.op.dce_dip) * eng.dip, 1.0)


def back_reaction_a(eng: Any, rows: np.ndarray) -> np.ndarray:
    """Current lost to dissolved metal of `rows` at their dipped temperature (>= 0)."""
    op = eng.op
    return np.maximum(op.i_back[rows] + np.nan_to_num(op.dib_dip[rows]) * eng.dip[rows], 0.0)


def cathode_melting_k() -> float:
    """Melting point of the refined-Al pad (pure Al; its impurities at ppm to 0.3 % lower
    it by well under a kelvin)."""
    t = melting_point("Al")
    assert t is not None
    return t


def layer_superheat(eng: Any, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Temperature (degC) and superheat (K) of the alloy, bath and cathode pad of `rows`
    at their dipped temperature, from the latest liquidus evaluations."""
    sched = eng.liquidus
    t = eng.op.temp[rows] - eng.dip[rows]
    t_alloy = np.maximum(sched.t_matrix[rows], sched.t_si[rows])
    return {
        "temperature_c": t - 273.15,
        "alloy_superheat_k": np.where(t_alloy > 0, t - t_alloy, np.nan),
        "bath_superheat_k": sched.bath_superheat[rows] - eng.dip[rows],
        "cathode_superheat_k": t - cathode_melting_k(),
    }


def warn_frozen_pad(eng: Any, rows: np.ndarray, t_s: float) -> None:
    """RangeWarning for rows whose cathode pad a charge cools below its melting point."""
    cold = rows[eng.op.temp[rows] - eng.dip[rows] < cathode_melting_k()]
    for r in cold:
        warnings.warn(RangeWarning(
            f"row {int(r)}: a charge at day {t_s / 86400.0:.2f} cooled the pot by "
            f"{eng.dip[r]:.0f} K, below the melting point of the refined-Al pad "
            f"({cathode_melting_k() - 273.15:.0f} degC): the pad would freeze"), stacklevel=2)
