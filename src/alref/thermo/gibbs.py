"""Gibbs energy, enthalpy and entropy of pure species, and formation Gibbs energies.

Data: ``alref/data/thermo/species.toml``. Each species has one or more phases, each
with a temperature range and one of three models:

- ``nasa7`` / ``nasa9``: the NASA polynomials of McBride et al. (1993) [mcbride1993],
  H(298.15 K) equal to the formation enthalpy (elements in their reference state: 0);
- ``janaf``: rows of the NIST-JANAF tables [janaf1998tables] (formation properties of
  compounds, or S and H - H298 of an element), interpolated linearly in T;
- ``ellingham``: 298.15 K formation enthalpy and entropy (CRC Handbook [crc_thermo]
  or recalled literature values labelled as assumptions) with a zero heat capacity
  of formation, dfG(T) = dfH298 - T dfS298.

All values are absolute in the NASA/JANAF convention (G = H - T S with H(298.15) =
dfH298), so formation and reaction Gibbs energies are plain differences. A species
name may end in a phase selector -- ``(s)``, ``(cr)``, ``(l)`` or ``(g)`` -- to force a
phase, e.g. ``"AlCl3(l)"``; otherwise the stable phase (lowest G among the phases valid
at T) is used. Gases are at 1 bar.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.constants import R

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError, DataError
from alref.materials.elements import parse_formula
from alref.properties.registry import RangeWarning

#: Reference species of the elements that are diatomic gases in their standard state.
_DIATOMIC = {"F": "F2", "Cl": "Cl2"}
_SELECTOR = re.compile(r"^(?P<base>[A-Za-z0-9]+)\((?P<sel>s|cr|l|g)\)$")
_STATES_OF_SELECTOR = {
    "s": {"solid", "condensed"},
    "cr": {"solid", "condensed"},
    "l": {"liquid", "condensed"},
    "g": {"gas"},
}


@dataclass(frozen=True)
class Phase:
    """One phase of a species with its data model and validity range (K)."""

    species: str
    label: str
    state: str
    model: str
    t_min: float
    t_max: float
    source: str | None
    assumption: str | None
    params: Mapping[str, Any]

    def distance(self, T: float) -> float:
        """How far T lies outside [t_min, t_max] (0 inside)."""
        return max(self.t_min - T, T - self.t_max, 0.0)

    def provenance(self) -> None:
        """Record the source of this phase's data in the active citation trackers."""
        if self.source:
            cite(self.source)
        else:
            note_assumption(f"thermo:{self.species}({self.label})")


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return data.load("thermo/species")


@lru_cache(maxsize=1)
def _phases() -> dict[str, tuple[Phase, ...]]:
    out: dict[str, tuple[Phase, ...]] = {}
    for name, table in _raw()["species"].items():
        phases = []
        for p in table["phases"]:
            model = p["model"]
            if model in ("nasa7", "nasa9"):
                t_min, t_max = p["t_ranges"][0], p["t_ranges"][-1]
            elif model == "janaf":
                t_min, t_max = p["t_k"][0], p["t_k"][-1]
            elif model == "ellingham":
                t_min, t_max = p["validity"]["t_min"], p["validity"]["t_max"]
            else:
                raise DataError(f"thermo/species: unknown model {model!r} for {name}")
            phases.append(
                Phase(name, p["label"], p["state"], model, float(t_min), float(t_max),
                      p.get("source"), p.get("assumption"), p)
            )
        out[name] = tuple(phases)
    return out


def species_names() -> frozenset[str]:
    """Species (formulas) with thermodynamic data."""
    return frozenset(_phases())


def _selection() -> tuple[float, float]:
    sel = _raw()["selection"]
    return float(sel["range_tolerance_k"]), float(sel["max_extrapolation_k"])


def _split(name: str) -> tuple[str, set[str] | None]:
    m = _SELECTOR.match(name)
    if m:
        return m.group("base"), _STATES_OF_SELECTOR[m.group("sel")]
    return name, None


def _check_temperature(T: float) -> None:
    if not (isinstance(T, int | float) and math.isfinite(T) and T > 0):
        raise ConfigError("temperature", f"{T!r} K is not a positive finite temperature")


def _candidates(name: str) -> tuple[Phase, ...]:
    base, states = _split(name)
    phases = _phases().get(base)
    if phases is None:
        raise ConfigError("species", f"no thermodynamic data for {base!r}")
    if states is not None:
        phases = tuple(p for p in phases if p.state in states)
        if not phases:
            raise ConfigError("species", f"no data for phase {name!r}")
    return phases


# --- models -------------------------------------------------------------------------


def _nasa_interval(p: Phase, T: float) -> list[float]:
    bounds = p.params["t_ranges"]
    coeffs = p.params["coeffs"]
    for i in range(len(coeffs)):
        if bounds[i + 1] >= T:
            return coeffs[i]
    return coeffs[-1]


def _nasa_cp_h_s(p: Phase, T: float) -> tuple[float, float, float]:
    """Cp (J/mol/K), H (J/mol), S (J/mol/K) from NASA 7- or 9-coefficient polynomials."""
    a = _nasa_interval(p, T)
    lnT = math.log(T)
    if p.model == "nasa7":
        a1, a2, a3, a4, a5, a6, a7 = a
        cp = a1 + a2 * T + a3 * T**2 + a4 * T**3 + a5 * T**4
        h = a1 + a2 * T / 2 + a3 * T**2 / 3 + a4 * T**3 / 4 + a5 * T**4 / 5 + a6 / T
        s = a1 * lnT + a2 * T + a3 * T**2 / 2 + a4 * T**3 / 3 + a5 * T**4 / 4 + a7
    else:
        a1, a2, a3, a4, a5, a6, a7, b1, b2 = a
        cp = a1 / T**2 + a2 / T + a3 + a4 * T + a5 * T**2 + a6 * T**3 + a7 * T**4
        h = (-a1 / T**2 + a2 * lnT / T + a3 + a4 * T / 2 + a5 * T**2 / 3 + a6 * T**3 / 4
             + a7 * T**4 / 5 + b1 / T)
        s = (-a1 / (2 * T**2) - a2 / T + a3 * lnT + a4 * T + a5 * T**2 / 2 + a6 * T**3 / 3
             + a7 * T**4 / 4 + b2)
    return R * cp, R * T * h, R * s


def _stoichiometry(species: str) -> list[tuple[str, float]]:
    """Reference species and amounts forming one mole of `species` (F -> F2/2 etc.)."""
    out = []
    for sym, n in parse_formula(species):
        if sym in _DIATOMIC:
            out.append((_DIATOMIC[sym], n / 2))
        else:
            out.append((sym, float(n)))
    return out


def _elements_h_g(species: str, T: float) -> tuple[float, float]:
    """Sum over the reference elements of nu*H and nu*G at T (stable phases)."""
    h = g = 0.0
    for ref, nu in _stoichiometry(species):
        ph = stable_phase(ref, T)
        hh, ss = _h_s(ph, T)
        h += nu * hh
        g += nu * (hh - T * ss)
    return h, g


def _crc_formation_entropy(species: str) -> float:
    s_el = _raw()["crc_element_entropy"]["j_per_mol_k"]
    cite("crc_thermo")
    try:
        return sum(nu * float(s_el[ref]) for ref, nu in _stoichiometry(species))
    except KeyError as exc:
        raise DataError(f"thermo/species: no CRC entropy for element {exc}") from None


def _h_s(p: Phase, T: float) -> tuple[float, float]:
    """Absolute H (J/mol) and S (J/mol/K) of phase `p` at T."""
    p.provenance()
    if p.model in ("nasa7", "nasa9"):
        _, h, s = _nasa_cp_h_s(p, T)
        return h, s
    if p.model == "janaf":
        t = p.params["t_k"]
        if "s_j" in p.params:  # element table
            h = 1e3 * float(np.interp(T, t, p.params["h_minus_h298_kj"]))
            return h, float(np.interp(T, t, p.params["s_j"]))
        dfh = 1e3 * float(np.interp(T, t, p.params["dfh_kj"]))
        dfg = 1e3 * float(np.interp(T, t, p.params["dfg_kj"]))
        h_el, g_el = _elements_h_g(p.species, T)
        h, g = dfh + h_el, dfg + g_el
        return h, (h - g) / T
    # ellingham
    dfh = 1e3 * float(p.params["dfh_kj"])
    dfs = float(p.params["s298"]) - _crc_formation_entropy(p.species)
    h_el, g_el = _elements_h_g(p.species, T)
    h, g = dfh + h_el, dfh - T * dfs + g_el
    return h, (h - g) / T


def _g(p: Phase, T: float) -> float:
    h, s = _h_s(p, T)
    return h - T * s


# --- public API -----------------------------------------------------------------------


def stable_phase(species: str, T: float) -> Phase:
    """Phase of `species` with the lowest G among those valid at T (K).

    A phase selector in the name restricts the choice. If no phase covers T, the
    nearest one is extrapolated with a `RangeWarning`, up to the file's
    ``max_extrapolation_k``; beyond that a `ConfigError` on ``temperature`` is raised.
    """
    _check_temperature(T)
    phases = _candidates(species)
    tol, max_extra = _selection()
    valid = [p for p in phases if p.distance(T) <= tol]
    if valid:
        return min(valid, key=lambda p: _g(p, T))
    nearest = min(phases, key=lambda p: p.distance(T))
    if nearest.distance(T) > max_extra:
        lo = min(p.t_min for p in phases)
        hi = max(p.t_max for p in phases)
        raise ConfigError(
            "temperature", f"{T:.1f} K is outside the data for {species} ({lo:.0f}-{hi:.0f} K)"
        )
    warnings.warn(
        f"{species}: {T:.1f} K outside the data range of phase {nearest.label} "
        f"({nearest.t_min:.0f}-{nearest.t_max:.0f} K); extrapolated",
        RangeWarning,
        stacklevel=2,
    )
    return nearest


def enthalpy(species: str, T: float) -> float:
    """Absolute molar enthalpy H (J/mol) of the stable (or selected) phase at T (K)."""
    return _h_s(stable_phase(species, T), T)[0]


def entropy(species: str, T: float) -> float:
    """Molar entropy S (J/mol/K) of the stable (or selected) phase at T (K), 1 bar."""
    return _h_s(stable_phase(species, T), T)[1]


def gibbs(species: str, T: float) -> float:
    """Absolute molar Gibbs energy G = H - T S (J/mol) at T (K), 1 bar."""
    return _g(stable_phase(species, T), T)


def heat_capacity(species: str, T: float) -> float:
    """Molar heat capacity Cp (J/mol/K) of the stable phase at T (K).

    Exact for polynomial phases; a central difference of H for tabulated phases.
    """
    p = stable_phase(species, T)
    if p.model in ("nasa7", "nasa9"):
        p.provenance()
        return _nasa_cp_h_s(p, T)[0]
    dT = 0.5
    return (_h_s(p, T + dT)[0] - _h_s(p, T - dT)[0]) / (2 * dT)


def phase_properties(phase: Phase, T: float) -> dict[str, float]:
    """Cp, H, S and G of one given phase at T (no phase selection; for checks)."""
    if phase.model in ("nasa7", "nasa9"):
        cp, h, s = _nasa_cp_h_s(phase, T)
    else:
        h, s = _h_s(phase, T)
        cp = float("nan")
    return {"cp": cp, "h": h, "s": s, "g": h - T * s}


def phases(species: str) -> tuple[Phase, ...]:
    """All stored phases of a species (a selector suffix filters them)."""
    return _candidates(species)


def delta_g_formation(compound: str, T: float) -> float:
    """Gibbs energy of formation (J/mol) of `compound` at T (K).

    dfG = G(compound) - sum nu_i G(element i), with the elements in their stable
    states at T and F2 / Cl2 as ideal gases at 1 bar; the compound in its stable
    phase unless a selector such as ``"AlCl3(l)"`` is given.
    """
    g_el = 0.0
    for ref, nu in _stoichiometry(_split(compound)[0]):
        g_el += nu * gibbs(ref, T)
    return gibbs(compound, T) - g_el


def delta_h_formation(compound: str, T: float) -> float:
    """Enthalpy of formation (J/mol) of `compound` at T (K), same states as dfG."""
    h_el = 0.0
    for ref, nu in _stoichiometry(_split(compound)[0]):
        h_el += nu * enthalpy(ref, T)
    return enthalpy(compound, T) - h_el


def temperature_range(species: str) -> tuple[float, float]:
    """Lowest and highest temperature (K) covered by any phase of `species`."""
    ph = _candidates(species)
    return min(p.t_min for p in ph), max(p.t_max for p in ph)
