"""The binary Al-Cu liquidus of COST 507 and the phase terms of its primary phases.

Linear interpolation of the COST 507 liquidus computed with pycalphad 0.11.2
(``data/thermo/alloy_liquidus_alcu.toml``, 0-72.5 wt % Cu; primary fcc-Al up to the
eutectic at ~33 wt % Cu and ~549 degC, then theta-Al2Cu, eta-AlCu, epsilon), and the slope
d ln K_p / d(1/T) of each primary phase p between neighbouring table nodes, which
`alref.thermo.alloy_liquidus` uses to shift the liquidus with other solutes.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from functools import lru_cache

from alref import data
from alref.materials.elements import molar_mass
from alref.thermo.liquid import ln_gamma


@lru_cache(maxsize=1)
def alcu_table() -> dict:
    """The binary Al-Cu liquidus table: wt_pct_cu, liquidus_K, primary, x_cu_solid."""
    return data.load("thermo/alloy_liquidus_alcu")


def binary_liquidus(wt_cu: float) -> float:
    """Liquidus (K) of binary Al-Cu at `wt_cu` wt % Cu (COST 507, interpolated)."""
    t = alcu_table()
    w, T = t["wt_pct_cu"], t["liquidus_K"]
    wt_cu = min(max(wt_cu, w[0]), w[-1])
    i = min(max(bisect.bisect_right(w, wt_cu) - 1, 0), len(w) - 2)
    f = (wt_cu - w[i]) / (w[i + 1] - w[i])
    return T[i] + f * (T[i + 1] - T[i])


def binary_x(wt_cu: float) -> dict[str, float]:
    """Mole fractions of binary Al-Cu at `wt_cu` wt % Cu."""
    n_al = (100.0 - wt_cu) / molar_mass("Al")
    n_cu = wt_cu / molar_mass("Cu")
    s = n_al + n_cu
    return {"Al": n_al / s, "Cu": n_cu / s}


def phase_term(x: Mapping[str, float], T: float, nu_cu: float) -> float:
    """nu_Al ln a_Al + nu_Cu ln a_Cu of a liquid with mole fractions `x` at T."""
    lg = ln_gamma(x, T)
    out = 0.0
    for el, nu in (("Al", 1.0 - nu_cu), ("Cu", nu_cu)):
        if nu > 0:
            out += nu * (math.log(max(x.get(el, 0.0), 1e-300)) + lg[el])
    return out


def node_slope(k: int, nu_cu: float) -> float:
    """d ln K_p / d(1/T) from the table neighbours of node k that share its primary phase."""
    t = alcu_table()
    w, T, prim = t["wt_pct_cu"], t["liquidus_K"], t["primary"]
    pairs = [(k, j) for j in (k - 1, k + 1) if 0 <= j < len(w) and prim[j] == prim[k]]
    if not pairs:
        raise ValueError(f"no neighbour of the same primary phase at node {k}")
    slopes = []
    for a, b in pairs:
        la = phase_term(binary_x(w[a]), T[a], nu_cu)
        lb = phase_term(binary_x(w[b]), T[b], nu_cu)
        slopes.append((lb - la) / (1.0 / T[b] - 1.0 / T[a]))
    return sum(slopes) / len(slopes)
