"""Saturation of impurities in the liquid anode alloy and their precipitation as sludge.

Each sludge phase p (``data/thermo/sludge_phases.toml``) has a fixed stoichiometry nu_i
(mole fractions of its atoms). It is in equilibrium with the liquid when

    sum_i nu_i ln a_i(liquid) = ln K_p(T) = A_p + B_p / T,

with the activities a_i of the COST 507 liquid (pure-liquid reference,
`alref.thermo.activity`). A_p and B_p (`alref.thermo.sludge`) are fitted at load time to
the liquid compositions that pycalphad 0.11.2 computes from COST507.tdb in full equilibrium with that phase
(``data/thermo/solubility_calphad.toml``; Cu-free points where the phase occurs there,
all points otherwise). The Cu dependence of every solubility therefore comes from the
liquid activities (Cu raises gamma_Fe ~14-fold, domain-physics §5.3), and Fe and Si
interact through the AlFeSi phases.

The saturation index SI_p = sum_i nu_i ln a_i - ln K_p is > 0 for a supersaturated liquid.
COST 507 Round II lacks the Al-Cu-Fe omega phase and Cu solubility in Al13Fe4 (§5.5), so
real Fe solubilities in Al-Cu melts are probably lower than these.
Primary Al-Cu phases (the alloy liquidus) are handled by `alref.thermo.alloy_liquidus`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from alref.citations import cite, note_assumption
from alref.errors import ConfigError, PhysicsError
from alref.roots import brentq
from alref.thermo.arrays import model
from alref.thermo.liquid import normalize_composition
from alref.thermo.sludge import Phase, sludge_phases, wt_to_x

__all__ = ["LIMITED_ELEMENTS", "Phase", "precipitate", "saturation_indices", "saturation_limit",
           "saturation_limits", "sludge_phases"]

#: Elements whose saturation limits `saturation_limits` reports.
LIMITED_ELEMENTS = ("Fe", "Si", "Mn", "Ti", "Cr", "Zr", "V")


def _saturation_indices(x: Mapping[str, float], T: float) -> dict[str, float]:
    """SI of every phase whose elements are all present in the liquid `x` (mole fractions).

    Computed by the array core `alref.thermo.arrays.Thermo.saturation` with one row."""
    els = tuple(el for el, v in x.items() if v > 0)
    if not els:
        return {}
    th = model(els)
    T_arr = np.array([float(T)])
    si = th.saturation(np.array([[float(x[e]) for e in els]]), T_arr)[0]
    return {name: float(v) for name, v in zip(th.phases, si, strict=True) if np.isfinite(v)}


def saturation_indices(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """SI = sum nu_i ln a_i - ln K_p of each sludge phase (> 0: supersaturated)."""
    cite("cost507", "otis2017pycalphad")
    return _saturation_indices(wt_to_x(normalize_composition(comp_wt)), T)


def saturation_limit(comp_wt: Mapping[str, float], T: float, element: str) -> float:
    """Largest wt % of `element` the liquid holds before a phase containing it precipitates.

    The other solutes keep their wt %; Al is the balance. Returns ``inf`` if no sludge phase
    contains the element.
    """
    comp = normalize_composition(comp_wt)
    comp.pop("Al")
    comp.pop(element, None)
    phases = [p for p in sludge_phases().values() if element in p.atoms]
    if not phases:
        return math.inf
    cite("cost507", "otis2017pycalphad")
    others = sum(comp.values())
    w_max = 100.0 - others - 1e-6

    def worst(log_w: float) -> float:
        trial = dict(comp)
        trial[element] = math.exp(log_w)
        trial["Al"] = 100.0 - others - trial[element]
        si = _saturation_indices(wt_to_x(trial), T)
        vals = [si[p.name] for p in phases if p.name in si]
        return max(vals) if vals else -math.inf

    # SI rises with the solute only while Al stays the matrix: scan up from a trace level
    # to the first supersaturated point, then refine the crossing.
    lo = math.log(1e-9)
    if worst(lo) > 0:
        return 0.0
    step = math.log(1.5)
    hi = lo
    while hi < math.log(w_max):
        nxt = min(hi + step, math.log(w_max))
        if worst(nxt) > 0:
            return math.exp(brentq(worst, hi, nxt, xtol=1e-12, rtol=1e-12))
        hi = nxt
    return w_max


def saturation_limits(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """Saturation wt % of Fe, Si, Mn, Ti, Cr, Zr, V in the liquid alloy at T (K).

    Each limit holds the other solutes at their wt % (Al balance), so Cu and, for Fe and
    Si, the AlFeSi phases are accounted for.
    """
    return {el: saturation_limit(comp_wt, T, el) for el in LIMITED_ELEMENTS}


def precipitate(
    element_masses_kg: Mapping[str, float], T: float, *, max_iter: int = 200
) -> tuple[dict[str, float], dict[str, float]]:
    """Move the solute above saturation into sludge phases, conserving each element's mass.

    Returns (liquid element masses in kg, sludge phase masses in kg by phase name). The
    liquid leaves with every saturation index <= 1e-9; phase p holds
    ``mass_p * sludge_phases()[p].mass_fractions[el]`` of each element and
    liquid[el] = input[el] - sum_p of those, so the balance closes to rounding.
    Each step removes the most supersaturated phase until its SI is 0 with the activity
    coefficients frozen (exact 1-D solve of the ideal part), then refreshes them.
    """
    for el, m in element_masses_kg.items():
        if not (m >= 0 and math.isfinite(m)):
            raise ConfigError(f"element_masses_kg.{el}", f"mass must be finite and >= 0, got {m}")
    if T <= 0:
        raise ConfigError("temperature", f"must be positive (K), got {T}")
    phases = sludge_phases()
    cite("cost507", "otis2017pycalphad")
    note_assumption("sludge_phases.density_g_cm3")
    els = tuple(el for el, m in element_masses_kg.items() if m > 0)
    liquid = {el: float(m) for el, m in element_masses_kg.items()}
    if not els:
        return liquid, {}
    th = model(els)
    T_arr = np.array([float(T)])
    M = np.array([[float(element_masses_kg[e]) for e in els]])
    left, amount = th.precipitate_rows(M, T_arr, th.coefficients(T_arr), max_iter=max_iter)
    if not th.last_converged:
        raise PhysicsError(f"precipitate did not converge at T={T} K")
    phase_masses = {name: float(n) * phases[name].molar_mass_per_atom
                    for name, n in zip(th.phases, amount[0], strict=True) if n > 0}
    for k, el in enumerate(els):
        liquid[el] = float(left[0, k])
    return liquid, phase_masses
