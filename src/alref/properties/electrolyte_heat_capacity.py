"""Heat capacity of a bath (J/(kg K)): mass-weighted liquid Cp of its salts.

Cp_bath = sum(w_i Cp_i(T)) / sum(w_i), with each salt's liquid Cp from its NASA Glenn
(McBride et al. 1993, NASA TM-4513) X(L) polynomial; mixing terms are neglected. NaF and
AlF3 are first combined into Na3AlF6 as far as stoichiometry allows, so that a bath given
as NaF + AlF3 and the same bath given as cryolite get the measured cryolite liquid Cp
(3 Cp(NaF) + Cp(AlF3) is 15 % below Cp(Na3AlF6) in the NASA data).
"""

from __future__ import annotations

from collections.abc import Mapping

from alref.materials import salts
from alref.properties import electrolyte_composition as ec
from alref.properties.broadcast import broadcasts
from alref.properties.registry import Correlation, PropertyValue, register


def speciate_cryolite(w: Mapping[str, float]) -> dict[str, float]:
    """Combine NaF and AlF3 (wt %) into Na3AlF6 up to the limiting reagent, mass-conserving."""
    out = salts.decompose(w)
    n_naf = out.get("NaF", 0.0) / salts.molar_mass("NaF")
    n_alf3 = out.get("AlF3", 0.0) / salts.molar_mass("AlF3")
    n_cryo = min(n_naf / 3.0, n_alf3)
    if n_cryo <= 0:
        return out
    out["NaF"] -= 3.0 * n_cryo * salts.molar_mass("NaF")
    out["AlF3"] -= n_cryo * salts.molar_mass("AlF3")
    out["Na3AlF6"] = out.get("Na3AlF6", 0.0) + n_cryo * salts.molar_mass("Na3AlF6")
    return {k: max(v, 0.0) for k, v in out.items()}


def mass_weighted(T: float, composition: Mapping[str, float] | None = None) -> float:
    """sum(w_i Cp_i(T)) / sum(w_i) in J/(kg K) over the bath's salts (wt %)."""
    w = {s: v for s, v in (composition or {}).items() if v > 0}
    total = sum(w.values())
    return sum(v * salts.liquid_cp_mass(s, T) for s, v in w.items()) / total


MASS_WEIGHTED = register(Correlation(
    name="heat_capacity.mass_weighted_nasa", quantity="electrolyte.heat_capacity", unit="J/(kg K)",
    source="mcbride1993nasa",
    locator="liquid NASA7 coefficients in salts.toml (Cantera nasa_condensed.yaml)",
    func=mass_weighted, validity={"T": salts.cp_validity()},
    display={"T": lambda t: f"{t - 273.15:.0f} degC"},
    description="mass-weighted liquid heat capacity of the salts"))


@broadcasts("T")
def heat_capacity(comp: Mapping[str, float], T: float) -> PropertyValue:
    """Bath heat capacity in J/(kg K) at T in K (wt % of salts)."""
    w = ec.validate_composition(comp)
    T = ec.check_temperature(T)
    return MASS_WEIGHTED(T=T, composition=speciate_cryolite(w))
