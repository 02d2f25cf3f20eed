"""Activities in the liquid anode alloy (Al-Cu-X) from the COST 507 liquid description.

The excess Gibbs energy of the liquid (J per mole of atoms) is the COST 507 Round II
model (Ansara, Dinsdale & Rand 1998): binary Redlich-Kister terms (Redlich & Kister 1948)

    G_ex = sum_{i<j} x_i x_j sum_v L_v^{ij}(T) (x_i - x_j)^v

extended to many components with Muggianu's method (Muggianu et al. 1975: binary terms
evaluated at the actual mole fractions), plus the few ternary liquid parameters in the
file, x_i x_j x_k sum_m L_m v_m with v_m = x_m + (1 - x_i - x_j - x_k)/3.

The reference state of every element is its pure liquid at the same T (supercooled
where the element melts above T), as in domain-physics §5.3; then
a_k = gamma_k x_k and RT ln gamma_k = G_ex + dG_ex/dx_k - sum_j x_j dG_ex/dx_j.

Compositions at the interface are wt % mappings; Al may be omitted (balance).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.constants import R, physical_constants

from alref import data
from alref.citations import cite
from alref.errors import ConfigError
from alref.materials.elements import is_element, molar_mass
from alref.properties.registry import RangeWarning

FARADAY = physical_constants["Faraday constant"][0]
_SOURCE = "cost507"


@dataclass(frozen=True)
class _Params:
    elements: frozenset[str]
    binary: dict[tuple[str, str], tuple[tuple[int, tuple[float, float, float, float]], ...]]
    ternary: dict[tuple[str, str, str], tuple[tuple[int, tuple[float, float, float, float]], ...]]


@lru_cache(maxsize=1)
def _params() -> _Params:
    raw = data.load("thermo/cost507_liquid")
    binary: dict[tuple[str, ...], list] = {}
    ternary: dict[tuple[str, ...], list] = {}
    for p in raw["parameter"]:
        system = tuple(p["system"].split("-"))
        coef = (float(p["a"]), float(p["b"]), float(p["c"]), float(p["d"]))
        target = binary if len(system) == 2 else ternary
        target.setdefault(system, []).append((int(p["order"]), coef))
    return _Params(
        frozenset(raw["elements_in_file"]),
        {k: tuple(sorted(v)) for k, v in binary.items()},  # type: ignore[misc]
        {k: tuple(sorted(v)) for k, v in ternary.items()},  # type: ignore[misc]
    )


def liquid_elements() -> frozenset[str]:
    """Elements with a COST 507 liquid description in the shipped parameter file."""
    return _params().elements


# ----------------------------------------------------------------- compositions
def normalize_composition(
    comp_wt: Mapping[str, float], *, key: str = "composition"
) -> dict[str, float]:
    """Validate an alloy composition in wt % and return it summing to 100 with Al explicit.

    Al may be omitted (it is then the balance). Negative values, unknown elements and a
    sum above 100.5 wt % raise `ConfigError` naming ``<key>.<El>``. A composition that
    gives Al explicitly is rescaled to 100.
    """
    comp: dict[str, float] = {}
    for el, w in comp_wt.items():
        if not is_element(el):
            raise ConfigError(f"{key}.{el}", f"unknown element {el!r}")
        w = float(w)
        if not math.isfinite(w) or w < 0:
            raise ConfigError(f"{key}.{el}", f"wt % must be a finite non-negative number, got {w}")
        comp[el] = comp.get(el, 0.0) + w
    total = sum(comp.values())
    if total > 100.5:
        worst = max(comp, key=lambda e: comp[e] if e != "Al" else -1.0)
        raise ConfigError(f"{key}.{worst}", f"composition sums to {total:g} wt % (> 100)")
    if "Al" not in comp:
        comp["Al"] = max(100.0 - total, 0.0)
        total = sum(comp.values())
    if total <= 0:
        raise ConfigError(key, "empty composition")
    return {el: 100.0 * w / total for el, w in comp.items()}


def mole_fractions(comp_wt: Mapping[str, float], *, key: str = "composition") -> dict[str, float]:
    """Mole fractions of an alloy given in wt % (Al may be the balance)."""
    comp = normalize_composition(comp_wt, key=key)
    n = {el: w / molar_mass(el) for el, w in comp.items()}
    total = sum(n.values())
    return {el: v / total for el, v in n.items()}


# ----------------------------------------------------------------- the model
def ln_gamma(x: Mapping[str, float], T: float) -> dict[str, float]:
    """ln of the activity coefficients (pure-liquid reference) of every key of `x`.

    `x` are mole fractions (keys with 0 give the infinite-dilution value). Pairs without
    a COST 507 liquid parameter mix ideally; a `RangeWarning` names elements without any
    Al-X description.
    """
    if T <= 0:
        raise ConfigError("temperature", f"must be positive (K), got {T}")
    p = _params()
    els = list(x)
    missing = [
        e for e in els if e != "Al" and ("Al", e) not in p.binary and (e, "Al") not in p.binary
    ]
    if missing:
        warnings.warn(
            f"no COST 507 liquid Al-X description for {', '.join(missing)}: treated as ideal",
            RangeWarning,
            stacklevel=2,
        )
    from alref.thermo.arrays import model  # the array core (one implementation)

    cite(_SOURCE)
    row = model(tuple(els)).ln_gamma_rows(
        np.array([[float(x[e]) for e in els]]), np.array([float(T)]), present_by_value=False
    )[0]
    return dict(zip(els, row.tolist(), strict=True))


def _x_with(comp_wt: Mapping[str, float], element: str) -> dict[str, float]:
    if not is_element(element):
        raise ConfigError("element", f"unknown element {element!r}")
    x = mole_fractions(comp_wt)
    x.setdefault(element, 0.0)
    return x


def activity_coefficient(comp_wt: Mapping[str, float], T: float, element: str) -> float:
    """gamma of `element` (pure-liquid reference) in the liquid alloy `comp_wt` (wt %) at T (K)."""
    cite(_SOURCE)
    return math.exp(ln_gamma(_x_with(comp_wt, element), T)[element])


def activity(comp_wt: Mapping[str, float], T: float, element: str) -> float:
    """Activity of `element` (pure-liquid reference) in the liquid alloy at T (K)."""
    x = _x_with(comp_wt, element)
    cite(_SOURCE)
    return x[element] * math.exp(ln_gamma(x, T)[element])


def activities(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """Activities of every element of the alloy at T (K)."""
    x = mole_fractions(comp_wt)
    cite(_SOURCE)
    lg = ln_gamma(x, T)
    return {e: x[e] * math.exp(lg[e]) for e in x}


def activity_coefficients(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """Activity coefficients of every element of the alloy at T (K)."""
    x = mole_fractions(comp_wt)
    cite(_SOURCE)
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
    cite(_SOURCE)
    return math.exp(ln_gamma(x, T)[solute])


def reversible_potential(comp_wt: Mapping[str, float], T: float) -> float:
    """Reversible (concentration) cell voltage E_rev = RT/(3F) ln(1/a_Al) in V.

    Al deposits from the alloy (a_Al < 1) onto pure liquid Al (a = 1); domain-physics §5.4.
    """
    return R * T / (3.0 * FARADAY) * math.log(1.0 / activity_al(comp_wt, T))
