"""Activities in the liquid anode alloy (Al-Cu-X) from the COST 507 liquid description.

The liquid model itself (parameters, compositions, ln gamma) is `alref.thermo.liquid`;
this module gives activities, activity coefficients and the reversible potential.

The model — COST 507 Round II (Ansara, Dinsdale & Rand 1998): Redlich-Kister binaries
with Muggianu's extension and the ternary liquid parameters, pure liquids as reference
states — is described in `alref.thermo.liquid`.

Compositions at the interface are wt % mappings; Al may be omitted (balance).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from scipy.constants import R, physical_constants

from alref.citations import cite
from alref.errors import ConfigError
from alref.materials.elements import is_element
from alref.thermo.liquid import SOURCE, liquid_elements, ln_gamma, mole_fractions, normalize_composition

__all__ = [
    "FARADAY", "activities", "activity", "activity_al", "activity_coefficient",
    "activity_coefficients", "gamma_infinite_dilution", "liquid_elements", "ln_gamma",
    "mole_fractions", "normalize_composition", "reversible_potential",
]

FARADAY = physical_constants["Faraday constant"][0]


def _x_with(comp_wt: Mapping[str, float], element: str) -> dict[str, float]:
    if not is_element(element):
        raise ConfigError("element", f"unknown element {element!r}")
    x = mole_fractions(comp_wt)
    x.setdefault(element, 0.0)
    return x


def activity_coefficient(comp_wt: Mapping[str, float], T: float, element: str) -> float:
    """gamma of `element` (pure-liquid reference) in the liquid alloy `comp_wt` (wt %) at T (K)."""
    cite(SOURCE)
    return math.exp(ln_gamma(_x_with(comp_wt, element), T)[element])


def activity(comp_wt: Mapping[str, float], T: float, element: str) -> float:
    """Activity of `element` (pure-liquid reference) in the liquid alloy at T (K)."""
    x = _x_with(comp_wt, element)
    cite(SOURCE)
    return x[element] * math.exp(ln_gamma(x, T)[element])


def activities(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """Activities of every element of the alloy at T (K)."""
    x = mole_fractions(comp_wt)
    cite(SOURCE)
    lg = ln_gamma(x, T)
    return {e: x[e] * math.exp(lg[e]) for e in x}


def activity_coefficients(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """Activity coefficients of every element of the alloy at T (K)."""
    x = mole_fractions(comp_wt)
    cite(SOURCE)
    return {e: math.exp(v) for e, v in ln_gamma(x, T).items()}


def activity_al(comp_wt: Mapping[str, float], T: float) -> float:
    """a_Al of the anode alloy (pure liquid Al = 1) at T (K)."""
    return activity(comp_wt, T, "Al")


def gamma_infinite_dilution(solvent_comp_wt: Mapping[str, float], T: float, solute: str) -> float:
    """gamma of `solute` at infinite dilution in the liquid solvent (wt %, e.g. {"Cu": 33})."""
    x = mole_fractions(solvent_comp_wt)
    if solute in x and x[solute] > 0:
        raise ConfigError("solute", f"{solute} is part of the solvent composition")
    x[solute] = 0.0
    cite(SOURCE)
    return math.exp(ln_gamma(x, T)[solute])


def reversible_potential(comp_wt: Mapping[str, float], T: float) -> float:
    """Reversible (concentration) cell voltage E_rev = RT/(3F) ln(1/a_Al) in V.

    Al deposits from the alloy (a_Al < 1) onto pure liquid Al (a = 1); domain-physics §5.4.
    """
    return R * T / (3.0 * FARADAY) * math.log(1.0 / activity_al(comp_wt, T))
