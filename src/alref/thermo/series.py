"""Electrochemical series of metals in fluoride and chloride baths, relative to Al.

Pure-substance standard states throughout (domain-physics §5.1-5.2):

- per-equivalent Gibbs energy g = dfG(MXn)/n (J per mol of F or Cl); among several
  compounds of a metal the one with the most negative g is used -- the first couple
  to form when the metal is oxidised;
- decomposition voltage E_d = -g/F;
- nobility relative to Al, dE = (g_M - g_Al)/F; positive = more noble than Al (the
  metal stays in the anode alloy and, if present in the bath, deposits before Al);
- Nernst potential vs the Al/AlX3 couple at unit activities,
  E = dE + (RT/nF) ln(a_MXn / a_M);
- exchange constant of M(alloy) + (n/3) AlX3 = MXn + (n/3) Al,
  K = exp(-n (g_M - g_Al) / RT).

Chloride baths: pure AlCl3 sublimes at 453 K and in chloride melts Al(III) is bound as
AlCl4-, so no real pure phase is the right reference. alref uses the *hypothetical
pure liquid* AlCl3 (the NASA liquid polynomial extrapolated above the sublimation
point): the pure-liquid standard state used for every other molten-salt component.
Against AlCl3(g) at 1 bar (g_Al about 9.5 kJ/eq lower at 1023 K) every chloride dE
would be about 0.1 V more positive; either way Mn and Ti stay within 0.15 V of Al.
With this reference Mn and Ti lie within about 0.1 V of Al, in line with the
observation that Mn is the troublesome element in chloride refining [schwarz_wendt1995].
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

from scipy.constants import R, physical_constants

from alref import data
from alref.citations import cite, track_citations
from alref.errors import ConfigError
from alref.materials.elements import parse_formula
from alref.properties.registry import RangeWarning
from alref.thermo.gibbs import delta_g_formation

#: Faraday constant (C/mol), CODATA 2018 via scipy.constants.
FARADAY: float = physical_constants["Faraday constant"][0]

Bath = Literal["fluoride", "chloride"]
_HALOGEN = {"fluoride": "F", "chloride": "Cl"}


@lru_cache(maxsize=1)
def _candidates() -> dict[str, dict[str, tuple[str, ...]]]:
    raw = data.load("thermo/species")["series"]
    return {bath: {el: tuple(c) for el, c in table.items()} for bath, table in raw.items()}


def _check_bath(bath: str) -> str:
    if bath not in _HALOGEN:
        raise ConfigError("bath", f"unknown bath {bath!r}; expected 'fluoride' or 'chloride'")
    return bath


def elements(bath: str) -> tuple[str, ...]:
    """Elements for which the bath's series has compounds."""
    return tuple(_candidates()[_check_bath(bath)])


def _compounds(element: str, bath: str) -> tuple[str, ...]:
    table = _candidates()[_check_bath(bath)]
    if element not in table:
        raise ConfigError(
            "element", f"no {bath} of {element!r} in the data; known: {', '.join(table)}"
        )
    return table[element]


def _halide_count(compound: str, bath: str) -> tuple[int, int]:
    """(number of halide atoms, number of metal atoms) in one formula unit."""
    base = compound.split("(")[0]
    counts = dict(parse_formula(base))
    n_x = counts.pop(_HALOGEN[bath])
    return n_x, sum(counts.values())


def valence(compound: str, bath: str) -> int:
    """Cation charge in `compound` (halide atoms per metal atom)."""
    n_x, n_m = _halide_count(compound, bath)
    return n_x // n_m


def per_equivalent_gibbs(element: str, T: float, bath: str) -> tuple[str, float]:
    """Compound used and its Gibbs energy of formation per equivalent (J/mol of F or Cl).

    Among the element's compounds in the data file the one with the most negative
    dfG/n at T (K) is returned.
    """
    cite("codata2018")
    results = []  # (extrapolated?, g, compound, warnings)
    errors: list[ConfigError] = []
    for compound in _compounds(element, bath):
        n_x, _ = _halide_count(compound, bath)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                g = delta_g_formation(compound, T) / n_x
            except ConfigError as exc:
                if exc.key != "temperature":
                    raise
                errors.append(exc)
                continue
        results.append((bool(caught), g, compound, caught))
    if not results:
        raise errors[0]
    # Candidates whose data cover T are preferred over extrapolated ones.
    _, g, compound, caught = min(results, key=lambda r: (r[0], r[1]))
    for w in caught:
        warnings.warn(w.message, w.category, stacklevel=2)
    return compound, g


def decomposition_voltage(compound: str, T: float) -> float:
    """Reversible decomposition voltage (V) of a pure fluoride or chloride into the
    elements (metal in its stable state, X2 gas at 1 bar) at T (K): -dfG/(nF)."""
    base = compound.split("(")[0]
    counts = dict(parse_formula(base))
    n = counts.get("F", 0) + counts.get("Cl", 0)
    if n == 0:
        raise ConfigError("compound", f"{compound!r} is not a fluoride or chloride")
    cite("codata2018")
    return -delta_g_formation(compound, T) / (n * FARADAY)


def delta_e_vs_al(element: str, T: float, bath: str) -> float:
    """Nobility of `element` relative to Al (V): (g_M - g_Al)/F; positive = nobler."""
    _, g_m = per_equivalent_gibbs(element, T, bath)
    _, g_al = per_equivalent_gibbs("Al", T, bath)
    return (g_m - g_al) / FARADAY


def nernst_potential(
    element: str, T: float, bath: str, activity_salt: float, activity_metal: float
) -> float:
    """Potential (V) of the M/MXn couple vs the Al/AlX3 couple at unit activities.

    E = dE + (RT/nF) ln(a_MXn / a_M), with activities on the pure-substance scale
    (pure salt, pure metal). n is the valence of the compound `per_equivalent_gibbs`
    chooses.
    """
    for key, a in (("activity_salt", activity_salt), ("activity_metal", activity_metal)):
        if not (isinstance(a, int | float) and math.isfinite(a) and a > 0):
            raise ConfigError(key, f"activity must be a positive number, got {a!r}")
    compound, _ = per_equivalent_gibbs(element, T, bath)
    n = valence(compound, bath)
    e0 = delta_e_vs_al(element, T, bath)
    return e0 + R * T / (n * FARADAY) * math.log(activity_salt / activity_metal)


def exchange_constant(element: str, T: float, bath: str = "fluoride") -> float:
    """Equilibrium constant K of M(alloy) + (n/3) AlX3 = MXn + (n/3) Al at T (K).

    Pure-substance standard states; K = exp(-n (g_M - g_Al)/RT). Very small or large
    values may under/overflow to 0 or inf; use `log10_exchange_constant` then.
    """
    return 10.0 ** log10_exchange_constant(element, T, bath)


def log10_exchange_constant(element: str, T: float, bath: str = "fluoride") -> float:
    """log10 of `exchange_constant` (no overflow)."""
    compound, g_m = per_equivalent_gibbs(element, T, bath)
    _, g_al = per_equivalent_gibbs("Al", T, bath)
    n = valence(compound, bath)
    return -n * (g_m - g_al) / (R * T * math.log(10.0))


def _row(element: str, T: float, bath: str, g_al: float) -> dict[str, Any]:
    compound, g = per_equivalent_gibbs(element, T, bath)
    n = valence(compound, bath)
    return {
        "element": element,
        "compound": compound,
        "valence": n,
        "g_kj_per_eq": g / 1e3,
        "decomposition_v": -g / FARADAY,
        "delta_e_vs_al_v": (g - g_al) / FARADAY,
        "log10_k_exchange": -n * (g - g_al) / (R * T * math.log(10.0)),
    }


def series_table(
    T: float, bath: Bath, elements: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """The electrochemical series at T (K) in a fluoride or chloride bath.

    Rows ``{element, compound, valence, g_kj_per_eq, decomposition_v, delta_e_vs_al_v,
    log10_k_exchange}``, noblest first (descending dE vs Al). Elements without data at
    T are left out with a `RangeWarning`; if Al itself has none a `ConfigError` on
    ``temperature`` is raised.
    """
    _check_bath(bath)
    names = list(elements) if elements is not None else list(_candidates()[bath])
    for el in names:
        _compounds(el, bath)  # validate names before computing
    _, g_al = per_equivalent_gibbs("Al", T, bath)
    rows = []
    for el in names:
        try:
            rows.append(_row(el, T, bath, g_al))
        except ConfigError as exc:
            if exc.key != "temperature":
                raise
            warnings.warn(f"{el} left out: {exc.message}", RangeWarning, stacklevel=2)
    rows.sort(key=lambda r: r["delta_e_vs_al_v"], reverse=True)
    return rows


def series_report(
    T: float, bath: Bath, elements: Iterable[str] | None = None
) -> dict[str, Any]:
    """`series_table` plus the warnings raised and the citations used (for CLI / API)."""
    with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = series_table(T, bath, elements)
        reference = per_equivalent_gibbs("Al", T, bath)[0]
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    return {
        "temperature_k": T,
        "temperature_c": T - 273.15,
        "bath": bath,
        "reference": f"Al/{reference}",
        "series": rows,
        "warnings": messages,
        "assumptions": sorted(tracker.assumptions),
        "citations": tracker.sorted_keys(),
    }
