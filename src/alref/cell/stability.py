"""Interface stability of stacked (three-layer) pots: a Sele-type criterion.

A liquid-metal layer of thickness h under (or over) an electrolyte layer H that carries the
cell current I in a vertical magnetic field B_z can develop a self-amplifying interfacial
wave: a wave crest thins the electrolyte, draws current into the metal, and the horizontal
metal current crossed with B_z drives the wave on. Sele (1977) measured the drive against
gravity by

    β = I·B_z / (g·Δρ·h·H),

and the shallow-water theory of Davidson & Lindsay (1998) gives the same group, with a
critical value that depends on the cell's aspect ratio and damping. A stacked refining pot
has two such interfaces: anode alloy / bath (h = alloy layer) and bath / refined-Al pad
(h = pad); the bath/pad one has the small density contrast (≈ 0.3 g/cm³, domain-physics
§6.5). β grows as I^1.5 when a design is scaled at constant current density (B_z ∝ I/W,
W ∝ √I) and as 1/H when the bath is thinned; it diverges when a density contrast vanishes.

B_z and the critical β are labelled estimates in ``alref/data/pot_physics.toml``.
"""

from __future__ import annotations

import math
from typing import Any

from scipy.constants import g as G_N
from scipy.constants import mu_0

from alref import data
from alref.cell.design import CellDesign
from alref.citations import cite


def vertical_field_t(design: CellDesign, current_a: float) -> float:
    """Estimated vertical field at the pot centre from its own busbars, T."""
    f = data.load("pot_physics")["interface_stability"]["vertical_field"]["field_fraction"]
    width = min(design.cavity_length_m, design.cavity_width_m)
    return f * mu_0 * current_a / (math.pi * width)


def interface_stability(
    design: CellDesign, current_a: float, acd_m: float,
    alloy_density_kg_m3: float, bath_density_kg_m3: float, pad_density_kg_m3: float,
) -> dict[str, Any] | None:
    """Sele parameters of the two interfaces of a stacked pot (None for other variants)."""
    if design.variant != "stacked":
        return None
    cite("sele1977", "davidson1998")
    crit = float(data.load("pot_physics")["interface_stability"]["critical"]["beta"])
    area = design.cavity_area_m2
    b_z = vertical_field_t(design, current_a)
    layers = {
        "alloy_bath": (alloy_density_kg_m3 - bath_density_kg_m3,
                       design.anode_alloy_kg / (alloy_density_kg_m3 * area)),
        "bath_pad": (bath_density_kg_m3 - pad_density_kg_m3,
                     design.cathode_metal_kg / (pad_density_kg_m3 * area)),
    }
    out: dict[str, Any] = {"vertical_field_mt": b_z * 1e3, "beta_critical": crit}
    for name, (drho, h) in layers.items():
        beta = (current_a * b_z / (G_N * drho * h * acd_m)) if drho > 0 else math.inf
        out[name] = {
            "beta": beta, "density_contrast_g_cm3": drho / 1e3, "metal_layer_m": h,
            "stable": beta < crit,
        }
    out["stable"] = all(out[k]["stable"] for k in layers)
    return out
