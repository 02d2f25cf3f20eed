"""Primary-phase fields of NaCl and BaCl2 in chloride-rich melts: Temkin ideal ionic solution.

A pure solid chloride MCl_nu coexists with the melt when (Schroeder-van Laar equation in
Temkin's ideal ionic solution, Temkin 1945; Blander 1962, ORNL-3293)

    ln(x_M * x_Cl**nu) = -dG_fus(T) / (R T),

with x_M the cation fraction of M on the cation sublattice and x_Cl the anion fraction of
chloride on the anion sublattice. dG_fus(T) = G_liquid(T) - min G_solid(T) comes from the
NASA TM-4513 polynomials of the solid and liquid phases in ``thermo/species.toml``
(McBride et al. 1993; BaCl2 with its alpha and beta solids, so the alpha->beta transition
is in dG_fus below 1198 K). The liquidus of the melt is the highest of the fields. Dilute
fluorides enter as solutes: fluoride ions on the anion sublattice, each Al as one
fluoroaluminate anion (AlF4-) that binds four fluorides, other metals as cations.

The polynomials are evaluated here (properties sits below thermo and may not import it);
the data and parameters are in ``correlations/liquidus.toml [temkin_chloride]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

from scipy.constants import R
from scipy.optimize import brentq

from alref import data
from alref.citations import cite
from alref.errors import DataError
from alref.materials.elements import parse_formula

_C = data.load("correlations/liquidus")["temkin_chloride"]
#: chloride fields and the number of chloride ions per formula unit
FIELDS = {"NaCl": ("Na", 1), "BaCl2": ("Ba", 2)}


@lru_cache(maxsize=1)
def _phases() -> dict[str, dict[str, list[tuple[list[float], list[list[float]]]]]]:
    """{salt: {"solid": [(t_ranges, coeffs), ...], "liquid": [...]}} of the field salts."""
    species = data.load("thermo/species")["species"]
    out: dict[str, dict[str, list]] = {}
    for salt in FIELDS:
        rows = species[salt]["phases"]
        by_state: dict[str, list] = {"solid": [], "liquid": []}
        for row in rows:
            if row["model"] != "nasa7" or row["state"] not in by_state:
                raise DataError(f"thermo/species.toml: {salt} needs nasa7 solid and liquid")
            by_state[row["state"]].append((row["t_ranges"], row["coeffs"]))
        if not all(by_state.values()):
            raise DataError(f"thermo/species.toml: {salt} needs a solid and a liquid phase")
        out[salt] = by_state
    return out


def _g_nasa7(t_ranges: list[float], coeffs: list[list[float]], T: float) -> float:
    """G (J/mol) of one NASA 7-coefficient phase at T (its polynomial extended beyond its
    range: the undercooled liquid, the superheated solid) -- McBride et al. 1993 eq. 2-4."""
    a = coeffs[-1]
    for i, c in enumerate(coeffs):
        if t_ranges[i + 1] >= T:
            a = c
            break
    h_rt = (a[0] + a[1] * T / 2 + a[2] * T**2 / 3 + a[3] * T**3 / 4 + a[4] * T**4 / 5
            + a[5] / T)
    s_r = (a[0] * math.log(T) + a[1] * T + a[2] * T**2 / 2 + a[3] * T**3 / 3
           + a[4] * T**4 / 4 + a[6])
    return R * T * (h_rt - s_r)


def delta_g_fusion(salt: str, T: float) -> float:
    """G_liquid - G_stable solid (J/mol) of a field salt at T (K); 0 at its melting point."""
    ph = _phases()[salt]
    g_l = min(_g_nasa7(t, c, T) for t, c in ph["liquid"])
    g_s = min(_g_nasa7(t, c, T) for t, c in ph["solid"])
    return g_l - g_s


@lru_cache(maxsize=8)
def melting_point(salt: str) -> float:
    """Melting point (K) where the data's liquid and stable solid have equal G."""
    return brentq(lambda T: delta_g_fusion(salt, T), 600.0, 2000.0)


def ion_fractions(w: Mapping[str, float]) -> tuple[dict[str, float], float]:
    """Cation fractions {metal: x} and the chloride anion fraction of a melt (wt % of
    simple salts). Each Al forms one AlF4- anion with four fluorides (fewer if fluoride is
    short); the remaining F-, O2- and Cl- are single anions."""
    from alref.materials import salts

    cations: dict[str, float] = {}
    n_cl = n_f = n_o = n_al = 0.0
    for salt, wt in w.items():
        if wt <= 0:
            continue
        n = wt / salts.molar_mass(salt)
        for el, k in parse_formula(salt.split("(")[0]):
            if el == "Cl":
                n_cl += n * k
            elif el == "F":
                n_f += n * k
            elif el == "O":
                n_o += n * k
            elif el == "Al":
                n_al += n * k
            else:
                cations[el] = cations.get(el, 0.0) + n * k
    n_cat = sum(cations.values())
    n_an = n_cl + n_o + n_al + max(n_f - 4.0 * n_al, 0.0)
    if n_cat <= 0 or n_an <= 0:
        return {}, 0.0
    return {k: v / n_cat for k, v in cations.items()}, n_cl / n_an


def field_temperature(salt: str, x_cation: float, x_cl: float) -> float:
    """Temperature (K) at which the melt with these ion fractions is saturated with `salt`.

    Below ``t_floor_K`` (a field that deep is never the liquidus of these melts) the
    floor is returned; a melt without the ions has no field (the floor).
    """
    floor = float(_C["t_floor_K"])
    nu = FIELDS[salt][1]
    if x_cation <= 0 or x_cl <= 0:
        return floor
    target = -math.log(x_cation * x_cl**nu)
    def f(T: float) -> float:
        return delta_g_fusion(salt, T) / (R * T) - target
    t_m = melting_point(salt)
    if f(floor) <= 0:
        return floor
    if target <= 0:
        return t_m
    return brentq(f, floor, t_m)


def temkin_liquidus(w: Mapping[str, float]) -> tuple[float, str]:
    """Liquidus (K) and primary phase of a chloride-rich melt (wt % of simple salts)."""
    cite("mcbride1993")  # the solid and liquid Gibbs energies of the field salts
    x_cat, x_cl = ion_fractions(w)
    best = (float(_C["t_floor_K"]), "none")
    for salt, (metal, _nu) in FIELDS.items():
        t = field_temperature(salt, x_cat.get(metal, 0.0), x_cl)
        if t > best[0]:
            best = (t, salt)
    return best
