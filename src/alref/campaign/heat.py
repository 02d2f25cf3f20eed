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
The voltage and current efficiency stay those of the control temperature (their change
over a dip of a few kelvin is below the model's uncertainty).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from alref.properties import electrolyte
from alref.properties.registry import RangeWarning
from alref.properties.thermal import cp_liquid_element
from alref.properties.thermal import elements as thermal_elements


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
    bath by `alref.properties.electrolyte.heat_capacity`."""
    P, temp = eng.pools, eng.op.temp
    out = np.zeros(rows.size)
    for k, r in enumerate(rows):
        t = float(temp[r])
        c = float(np.maximum(P.A[r] + P.K[r], 0.0) @ _cp_vector(eng, t))
        bath = eng.bath_major(r)
        if bath:
            c += float(P.B[r].sum()) * electrolyte.heat_capacity(bath, t).value
        out[k] = c
    return out


def charge_dip(eng: Any, rows: np.ndarray, mass_kg: np.ndarray, feed_key: str) -> None:
    """Cool `rows` by the heat their charge of `mass_kg` of scrap (feed `feed_key`) takes."""
    if rows.size == 0:
        return
    c = heat_capacity_j_k(eng, rows)
    for k, r in enumerate(rows):
        feed = eng.feed_object(feed_key, int(r))
        q = mass_kg[k] * feed.heat_per_kg_al(float(eng.op.temp[r])) / feed.scrap_per_kg_al
        if c[k] > 0:
            eng.dip[r] += q / c[k]
            eng.dip_max[r] = max(eng.dip_max[r], eng.dip[r])
            eng.heat_capacity[r] = c[k]


def recover(eng: Any, rows: np.ndarray, dt: float) -> None:
    """The budgeted scrap heat restores the temperature of `rows` over dt."""
    c = eng.heat_capacity[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        back = np.where(c > 0, eng.op.feed_w[rows] * dt / c, 0.0)
    eng.dip[rows] = np.maximum(eng.dip[rows] - back, 0.0)
