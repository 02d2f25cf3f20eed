"""One-call summary of the liquid anode alloy: density, liquidus, a_Al, E_rev, solubilities.

``liquidus_c`` is the true liquidus (first solid of any phase, `alref.thermo.first_solid`)
with its ``primary_phase``; ``matrix_liquidus_c`` is the Al-Cu matrix liquidus alone.

Service function behind ``alref props alloy`` (and a future web API). Queries below the
liquidus or outside a correlation's range answer and warn; they never refuse.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from alref.citations import track_citations
from alref.errors import ConfigError
from alref.properties.alloy_density import density
from alref.thermo.activity import (
    activities,
    activity_coefficients,
    normalize_composition,
    reversible_potential,
)
from alref.thermo.alloy_liquidus import liquidus as matrix_liquidus
from alref.thermo.first_solid import first_solid
from alref.thermo.solubility import saturation_limits


def alloy_properties(
    comp_wt: Mapping[str, float], T: float, *, key: str = "composition"
) -> dict[str, Any]:
    """Properties of the liquid alloy `comp_wt` (wt %, Al may be the balance) at T (K).

    Keys: composition_wt_pct, temperature_c, density_g_cm3, liquidus_c (first solid of any
    phase), primary_phase, matrix_liquidus_c (Al-Cu matrix only), activity_al,
    e_rev_v, solubility_wt_pct {El: wt %}, activity_coefficients {El: gamma},
    supersaturated [El], warnings [str], citations [bibkey], assumptions [name].
    """
    if not T > 0:
        raise ConfigError("temperature", f"must be positive (K), got {T}")
    comp = normalize_composition(comp_wt, key=key)
    notes: list[str] = []
    with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rho = density(comp, T)
        t_liq, primary = first_solid(comp)
        t_matrix = matrix_liquidus(comp)
        act = activities(comp, T)
        gam = activity_coefficients(comp, T)
        e_rev = reversible_potential(comp, T)
        sol = saturation_limits(comp, T)
    notes.extend(rho.warnings)
    notes.extend(t_liq.warnings)
    notes.extend(n for n in t_matrix.warnings if n not in notes)
    for w in caught:
        text = str(w.message)
        if text not in notes:
            notes.append(text)
    if t_liq.value > T:
        notes.append(
            f"temperature {T - 273.15:.1f} degC is below the alloy liquidus "
            f"{t_liq.value - 273.15:.1f} degC (primary {primary}): the alloy is partly solid; "
            "liquid properties "
            "are extrapolated"
        )
    over = [el for el, lim in sol.items() if comp.get(el, 0.0) > lim * (1 + 1e-9)]
    for el in over:
        notes.append(
            f"{el} = {comp[el]:.4g} wt % exceeds its saturation {sol[el]:.4g} wt %: "
            "the excess forms sludge"
        )
    return {
        "composition_wt_pct": comp,
        "temperature_c": T - 273.15,
        "density_g_cm3": rho.value / 1000.0,
        "liquidus_c": t_liq.value - 273.15,
        "primary_phase": primary,
        "matrix_liquidus_c": t_matrix.value - 273.15,
        "activity_al": act["Al"],
        "e_rev_v": e_rev,
        "solubility_wt_pct": sol,
        "activity_coefficients": {el: g for el, g in gam.items()},
        "supersaturated": over,
        "warnings": notes,
        "citations": tracker.sorted_keys(),
        "assumptions": sorted(tracker.assumptions),
    }
