"""Cradle-to-gate carbon footprint of refined metal, t CO2e per tonne of product.

Boundary (IAI-style cradle-to-gate of the refined metal, standards-market-data 6.5): scrap
transport to the plant, scrap preparation (drying/decoating), melting of the starter alloy,
electrolytic refining (electricity at the meter, incl. rectifier losses and auxiliaries),
bath salts and Cu make-up, residue handling and spent-bath disposal. Scrap burden by
`cut-off` (enters burden-free; default), `mass-allocation` (the scrap metal carries the
primary footprint per tonne, IAI transparency guidance for pre-consumer scrap) or
`avoided-burden` (inputs carry the primary burden; the end-of-life credit is reported apart
as module D, never netted). Scopes: 1 = on-site fuel combustion; 2 = electricity (lifecycle
factors, location-based; the upstream share strictly belongs to Scope 3 cat. 3, kept here as
IAI does); 3 = purchased materials, transport, residue handling and scrap burden.

Bought metal is never burden-free: the starter anode's Al (a campaign buys it as remelt
ingot) carries the primary footprint under every scrap-burden method, the Cu its factor.

Co-product residue (`residue_allocation`): `causal` (default) charges purchased Cu to the
product only for the Cu that does not leave in the residue, because the starter Cu's only
role is to form the anode alloy that becomes the residue (ISO 14044 physical causality);
`mass` shares every burden by mass between product and residue; `none` charges all to the
product.

Pure function: `CycleFigures` + `FootprintInputs` in, `Footprint` out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alref.assess.figures import CycleFigures

SCOPE_OF_SOURCE = {
    "electricity_refining": "scope_2",
    "scrap_preparation_electricity": "scope_2",
    "starter_alloy_melting_electricity": "scope_2",
    "scrap_preparation_gas": "scope_1",
    "starter_alloy_melting_gas": "scope_1",
    "bath_salts": "scope_3",
    "copper": "scope_3",
    "transport": "scope_3",
    "residue_handling": "scope_3",
    "scrap_burden": "scope_3",
    "starter_aluminium": "scope_3",
    "scrap_pretreatment": "scope_3",
}
SCRAP_BURDEN_METHODS = ("cut-off", "avoided-burden", "mass-allocation")
RESIDUE_ALLOCATIONS = ("causal", "mass", "none")


@dataclass(frozen=True)
class FootprintInputs:
    """Factors (t CO2e per unit) and options."""

    electricity_t_per_mwh: float
    ac_dc_ratio: float
    gas_t_per_gj: float
    prep_electricity_kwh_per_t_scrap: float
    prep_gas_gj_per_t_scrap: float
    melt_electricity_kwh_per_t: float
    melt_gas_gj_per_t: float
    copper_t_per_t: float
    fluoride_salt_t_per_t: float
    chloride_salt_t_per_t: float
    transport_km: float
    transport_kg_per_t_km: float
    residue_t_per_t: float
    spent_bath_t_per_t: float
    primary_t_per_t: float
    eol_recycling_rate: float
    scrap_burden: str = "cut-off"
    residue_allocation: str = "causal"
    scrap_preparation: bool = True


@dataclass(frozen=True)
class Footprint:
    by_source: dict[str, float]
    method: dict[str, Any]
    product_share: float
    module_d_t_co2e_per_t: float | None = None
    energy_mwh_per_t: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return math.fsum(self.by_source.values())

    @property
    def by_scope(self) -> dict[str, float]:
        out = {"scope_1": 0.0, "scope_2": 0.0, "scope_3": 0.0}
        for k, v in self.by_source.items():
            out[SCOPE_OF_SOURCE[k]] += v
        return out


def salt_factor(salt: str, inp: FootprintInputs) -> float:
    """Fluorides vs chlorides (by the formula's halogen)."""
    return inp.chloride_salt_t_per_t if "Cl" in salt else inp.fluoride_salt_t_per_t


def footprint(fig: CycleFigures, inp: FootprintInputs, extra_method: Mapping[str, Any] | None = None
              ) -> Footprint:
    """Footprint per tonne of product (see the module docstring)."""
    if inp.scrap_burden not in SCRAP_BURDEN_METHODS:
        raise ValueError(f"unknown scrap burden method {inp.scrap_burden!r}")
    if inp.residue_allocation not in RESIDUE_ALLOCATIONS:
        raise ValueError(f"unknown residue allocation {inp.residue_allocation!r}")
    p_t = fig.product_t
    scrap_t = fig.scrap_kg / 1000.0
    starter_t = fig.melted_kg / 1000.0  # starter alloy, or refill scrap and Cu make-up
    ef = inp.electricity_t_per_mwh
    refining_mwh = fig.energy_kwh_dc * inp.ac_dc_ratio / 1000.0
    prep_mwh = scrap_t * inp.prep_electricity_kwh_per_t_scrap / 1000.0 if inp.scrap_preparation else 0.0
    prep_gj = scrap_t * inp.prep_gas_gj_per_t_scrap if inp.scrap_preparation else 0.0
    melt_mwh = starter_t * inp.melt_electricity_kwh_per_t / 1000.0
    melt_gj = starter_t * inp.melt_gas_gj_per_t
    salts = math.fsum(kg / 1000.0 * salt_factor(s, inp) for s, kg in fig.salts_kg.items())
    cu_kg = fig.copper_kg
    if inp.residue_allocation == "causal":
        cu_kg = max(fig.copper_kg - fig.residue_copper_kg - fig.bleed_copper_kg, 0.0)
    scrap_metal_t = fig.scrap_metal_kg / 1000.0
    burden = 0.0 if inp.scrap_burden == "cut-off" else scrap_metal_t * inp.primary_t_per_t
    raw = {
        "electricity_refining": refining_mwh * ef,
        "scrap_preparation_electricity": prep_mwh * ef,
        "starter_alloy_melting_electricity": melt_mwh * ef,
        "scrap_preparation_gas": prep_gj * inp.gas_t_per_gj,
        "starter_alloy_melting_gas": melt_gj * inp.gas_t_per_gj,
        "bath_salts": salts,
        "copper": cu_kg / 1000.0 * inp.copper_t_per_t,
        # every purchase travels: scrap, salts, Cu and starter Al (same distance and mode)
        "transport": (scrap_t + math.fsum(fig.salts_kg.values()) / 1000.0
                      + (max(fig.copper_kg, 0.0) + fig.starter_al_kg) / 1000.0)
        * inp.transport_km * inp.transport_kg_per_t_km / 1000.0,
        "residue_handling": fig.residue_kg / 1000.0 * inp.residue_t_per_t
        + fig.spent_bath_kg / 1000.0 * inp.spent_bath_t_per_t,
        "scrap_burden": burden,
        # bought metal, not scrap: the starter anode's Al carries the primary footprint under
        # every scrap-burden method (it is remelt ingot at LME, operating.toml)
        "starter_aluminium": fig.starter_al_kg / 1000.0 * inp.primary_t_per_t,
        # demagging reagent's cradle-to-gate CO2e (`feed.pretreatment`, data/pretreatment.toml)
        "scrap_pretreatment": fig.pretreatment_co2_t_per_t * p_t,
    }
    share = 1.0
    if inp.residue_allocation == "mass":
        share = fig.product_kg / (fig.product_kg + fig.residue_kg + fig.bleed_kg)
    by_source = {k: v * share / p_t for k, v in raw.items()}
    module_d = None
    if inp.scrap_burden == "avoided-burden":
        melt_t = (inp.melt_gas_gj_per_t * inp.gas_t_per_gj + inp.melt_electricity_kwh_per_t / 1000 * ef)
        module_d = -inp.eol_recycling_rate * (inp.primary_t_per_t - melt_t)
    method = {"scrap_burden": inp.scrap_burden, "residue_allocation": inp.residue_allocation,
              "product_share": share, "boundary": "cradle-to-gate of refined metal (IAI-style)",
              "co_products": "residue (spent anode or drained sludge) and alloy bleed leave the "
                             "boundary as co-products: 'causal' charges bought Cu only for the Cu "
                             "not leaving in them, 'mass' shares every burden by mass with them, "
                             "'none' charges all to the product",
              "melting_outside_the_pot": "the starter alloy of a campaign, or the molten scrap "
                                         "refill and Cu make-up of a kept-anode pot "
                                         "(starter_alloy_melting_* sources)",
              "purchases_burdened": "electricity (by source or grid), scrap preparation, melting "
                                    "gas and power, bath salts, Cu, the demagging reagent, "
                                    "transport of every purchase, residue handling, scrap burden by "
                                    "the chosen method",
              **(extra_method or {})}
    energy = {"refining_ac": refining_mwh / p_t, "scrap_preparation": (prep_mwh + prep_gj / 3.6) / p_t,
              "starter_alloy_melting": (melt_mwh + melt_gj / 3.6) / p_t}
    return Footprint(by_source, method, share, module_d, energy)
