"""Liquidus of the Al-Cu(-X) anode alloy.

Binary Al-Cu (`alref.thermo.alcu_table`): linear interpolation of the COST 507 liquidus
computed with pycalphad 0.11.2
(``data/thermo/alloy_liquidus_alcu.toml``, 0-72.5 wt % Cu; primary fcc-Al up to the
eutectic at ~33 wt % Cu and ~549 degC, then theta-Al2Cu, eta-AlCu, epsilon).

Other solutes: the primary phase p at the alloy's Cu share w* = 100 Cu/(Al + Cu) and its
composition nu (from the table) are kept; the binary liquidus fixes
ln K_p(T_b) = nu_Al ln a_Al + nu_Cu ln a_Cu of the binary liquid at T_b(w*); and
ln K_p(T) = ln K_p(T_b) + B_p (1/T - 1/T_b), with B_p taken from the slope of the same
quantity between neighbouring table points of phase p. The multicomponent liquidus is
the T at which the COST 507 liquid activities of the real alloy
(`alref.thermo.activity`) satisfy nu_Al ln a_Al + nu_Cu ln a_Cu = ln K_p(T). This
reproduces the binary table exactly and moves the liquidus the way the solutes change
a_Al and a_Cu. This is the *matrix* liquidus (also exported as `matrix_liquidus`); the
true liquidus of the alloy, where any phase (Si, Al13Fe4, AlFeSi, AlMnSi, ...) first
appears, is `alref.thermo.first_solid`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alref.properties.registry import Correlation, PropertyValue, register
from alref.thermo.alcu_table import alcu_table, binary_liquidus
from alref.thermo.arrays import liquidus_model
from alref.thermo.liquid import normalize_composition

__all__ = ["binary_liquidus", "liquidus", "liquidus_corr"]


def _liquidus_K(composition: Mapping[str, float], wt_cu_basis: float, wt_other: float) -> float:
    """Liquidus (K) by the array core `alref.thermo.arrays.Liquidus` with one row (the
    multicomponent shift of the binary table described in the module docstring)."""
    if wt_other <= 0:
        return binary_liquidus(wt_cu_basis)
    els = tuple(sorted({el for el, w in composition.items() if w > 0} | {"Al", "Cu"}))
    W = np.array([[float(composition.get(el, 0.0)) for el in els]])
    return float(liquidus_model(els).rows(W)[0])


_W_MAX = 72.5

liquidus_corr = register(
    Correlation(
        name="alloy.liquidus.cost507",
        quantity="alloy.liquidus",
        unit="K",
        source="cost507",
        locator="Al-Cu liquidus computed with pycalphad 0.11.2 from COST507.tdb "
        "(data/thermo/alloy_liquidus_alcu.toml); other solutes by liquid activities",
        func=_liquidus_K,
        validity={"wt_cu_basis": (0.0, _W_MAX), "wt_other": (0.0, 20.0)},
        description="Liquidus of the Al-Cu(-X) anode alloy (matrix phases only).",
        families=("Al-Cu",),
    )
)


def liquidus(comp_wt: Mapping[str, float]) -> PropertyValue:
    """Liquidus temperature (K) of the anode alloy `comp_wt` (wt %, Al may be the balance).

    Warns (in the returned `PropertyValue` and as `RangeWarning`) outside 0-72.5 wt % Cu on
    an Al+Cu basis or above 20 wt % of other solutes.
    """
    comp = normalize_composition(comp_wt)
    al, cu = comp.get("Al", 0.0), comp.get("Cu", 0.0)
    w_star = 100.0 * cu / (al + cu) if al + cu > 0 else 100.0
    other = 100.0 - al - cu
    return liquidus_corr(composition=comp, wt_cu_basis=w_star, wt_other=max(other, 0.0))


#: the Al-Cu matrix liquidus under its own name (`liquidus` keeps its old meaning)
matrix_liquidus = liquidus


def matrix_primary_phase(comp_wt: Mapping[str, float]) -> str:
    """Primary phase of the Al–Cu matrix liquidus at the alloy's Cu/(Al+Cu) ratio (the
    COST 507 table node nearest to it)."""
    comp = normalize_composition(comp_wt)
    al, cu = comp.get("Al", 0.0), comp.get("Cu", 0.0)
    w_star = 100.0 * cu / (al + cu) if al + cu > 0 else 100.0
    t = alcu_table()
    k = min(range(len(t["wt_pct_cu"])), key=lambda i: abs(float(t["wt_pct_cu"][i]) - w_star))
    return str(t["primary"][k])
