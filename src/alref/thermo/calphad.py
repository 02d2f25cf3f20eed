"""Optional live CALPHAD route: pycalphad with the COST 507 database.

pycalphad is not a dependency of alref. When it is importable, these functions compute
live what ``tools/calphad_tables.py`` pre-computed into ``data/thermo/*.toml`` (liquid
activities, saturated liquid compositions), using ``COST507.tdb`` shipped in pycalphad's
test databases (COST 507 Round II; Otis & Liu 2017 for pycalphad). One multicomponent
equilibrium takes ~1-5 s, so this is for checks and table generation, not for the
campaign time loop (use `alref.thermo.activity` and `alref.thermo.solubility` there).
"""

from __future__ import annotations

import importlib.util
import math
import warnings
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from scipy.constants import R

from alref.citations import cite
from alref.errors import ConfigError
from alref.materials.elements import molar_mass
from alref.thermo.activity import normalize_composition

_P = 101325.0


def available() -> bool:
    """True if pycalphad can be imported."""
    return importlib.util.find_spec("pycalphad") is not None


@lru_cache(maxsize=1)
def database() -> Any:
    """The COST 507 `pycalphad.Database` (raises ConfigError without pycalphad)."""
    if not available():
        raise ConfigError("calphad", "pycalphad is not installed (pip install pycalphad)")
    from importlib import resources

    from pycalphad import Database

    path = resources.files("pycalphad.tests.databases").joinpath("COST507.tdb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Database(str(path))


def _conditions(comp_wt: Mapping[str, float], T: float) -> tuple[list[str], dict]:
    from pycalphad import variables as v

    comp = normalize_composition(comp_wt)
    n = {el.upper(): w / molar_mass(el) for el, w in comp.items() if w > 0}
    total = sum(n.values())
    comps = sorted(n)
    conds: dict = {v.T: T, v.P: _P, v.N: 1}
    for el in comps[1:]:
        conds[v.X(el)] = n[el] / total
    return [*comps, "VA"], conds


def liquid_activities(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """Activities (pure-liquid reference) of each element in the LIQUID phase alone."""
    import numpy as np
    from pycalphad import calculate, equilibrium

    dbf = database()
    comps, conds = _conditions(comp_wt, T)
    cite("cost507", "otis2017pycalphad")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = equilibrium(dbf, comps, ["LIQUID"], conds)
        out = {}
        for i, el in enumerate(str(c) for c in res.component.values):
            mu = float(np.squeeze(res.MU.values)[i])
            g0 = float(np.squeeze(calculate(dbf, [el, "VA"], "LIQUID", T=T, P=_P, N=1).GM.values))
            out[el.capitalize()] = math.exp((mu - g0) / (R * T))
    return out


def saturated_liquid(
    overall_wt: Mapping[str, float], T: float
) -> tuple[dict[str, float], list[str]]:
    """Liquid composition (wt %) and the solid phases in full equilibrium at T (K)."""
    import numpy as np
    from pycalphad import equilibrium
    from pycalphad.core.utils import filter_phases, unpack_species

    dbf = database()
    comps, conds = _conditions(overall_wt, T)
    phases = [p for p in filter_phases(dbf, unpack_species(dbf, comps)) if p != "GAS"]
    cite("cost507", "otis2017pycalphad")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = equilibrium(dbf, comps, phases, conds)
    names = [str(p) for p in np.atleast_1d(np.squeeze(res.Phase.values))]
    xs = np.squeeze(res.X.values)
    order = [str(c).capitalize() for c in res.component.values]
    liquid: dict[str, float] = {}
    solids = []
    for i, name in enumerate(names):
        if name == "LIQUID":
            m = {el: float(xs[i][j]) * molar_mass(el) for j, el in enumerate(order)}
            total = sum(m.values())
            liquid = {el: 100.0 * val / total for el, val in m.items()}
        elif name:
            solids.append(name)
    return liquid, solids
