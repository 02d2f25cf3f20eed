"""Public API for molten-salt electrolyte properties (SI units; compositions in wt % of salts).

Everything the cell model needs about the bath: `conductivity` (S/m), `density` (kg/m3),
`liquidus` (K), `heat_capacity` (J/(kg K)), all together in `properties`, plus the
families (`families`, `family_of`), `validate_composition` and `cryolite_ratio`.
Each property is a cited, range-checked correlation from `alref.properties.registry`;
see the modules electrolyte_conductivity / _density / _liquidus / _heat_capacity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alref.citations import track_citations
from alref.properties import electrolyte_composition as _ec
from alref.properties._electrolyte_common import G_CM3, KELVIN, S_PER_CM
from alref.properties.electrolyte_composition import (
    Family,
    families,
    family_of,
    validate_composition,
)
from alref.properties.electrolyte_conductivity import conductivity
from alref.properties.electrolyte_density import density
from alref.properties.electrolyte_heat_capacity import heat_capacity
from alref.properties.electrolyte_liquidus import liquidus
from alref.properties.registry import PropertyValue

__all__ = [
    "Family",
    "PropertyValue",
    "conductivity",
    "cryolite_ratio",
    "density",
    "electrolyte_report",
    "families",
    "family_of",
    "heat_capacity",
    "liquidus",
    "properties",
    "validate_composition",
]


def cryolite_ratio(comp: Mapping[str, float], family: str | None = None) -> float:
    """Molar ratio NaF/AlF3 (KF + NaF for kf_alf3, LiF + NaF for lif_alf3); inf without AlF3."""
    fam, w = _ec.prepare(comp, family)
    return _ec.cryolite_ratio(w, fam)


def properties(comp: Mapping[str, float], T: float, family: str | None = None) -> dict[str, Any]:
    """All bath properties at T in K.

    Returns {"family", "cryolite_ratio", "conductivity", "density", "liquidus",
    "heat_capacity"} (PropertyValue each, SI) plus "correlations" (names used),
    "warnings" (out-of-range notes, and a note when T is below the liquidus) and
    "assumptions" (labelled assumptions the models rely on).
    """
    fam, w = _ec.prepare(comp, family)
    with track_citations() as tracker:
        values = {
            "conductivity": conductivity(w, T, fam),
            "density": density(w, T, fam),
            "liquidus": liquidus(w, fam),
            "heat_capacity": heat_capacity(w, T),
        }
    warnings: list[str] = [note for v in values.values() for note in v.warnings]
    t_liq = values["liquidus"].value
    if t_liq > T:
        warnings.append(
            f"electrolyte: T={T - KELVIN:.0f} degC is below the liquidus {t_liq - KELVIN:.0f} degC "
            f"({values['liquidus'].correlation}); properties are for a supercooled liquid")
    return {
        "family": fam,
        "cryolite_ratio": _ec.cryolite_ratio(w, fam),
        **values,
        "correlations": [v.correlation for v in values.values()],
        "warnings": warnings,
        "assumptions": sorted(tracker.assumptions),
    }


def electrolyte_report(
    comp: Mapping[str, float], T: float, family: str | None = None
) -> dict[str, Any]:
    """JSON-ready report in the CLI's units (S/cm, g/cm3, degC) with the citations used."""
    with track_citations() as tracker:
        p = properties(comp, T, family)
    return {
        "family": p["family"],
        "temperature_c": T - KELVIN,
        "cryolite_ratio": p["cryolite_ratio"],
        "conductivity_s_per_cm": p["conductivity"].value / S_PER_CM,
        "density_g_cm3": p["density"].value / G_CM3,
        "liquidus_c": p["liquidus"].value - KELVIN,
        "heat_capacity_j_per_kg_k": p["heat_capacity"].value,
        "correlations": p["correlations"],
        "warnings": p["warnings"],
        "assumptions": p["assumptions"],
        "citations": tracker.sorted_keys(),
    }
