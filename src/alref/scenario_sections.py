"""Scenario sections `[economics]` and `[footprint]` (schema only; read by `alref.assess`).

Every field is optional: an unset field takes its default from the cited market and emission
tables (`alref/data/market/*.toml`, `alref/data/emissions/*.toml`), so the default scenario
works with no section given. Unknown keys are rejected. Set values with e.g.
``--set economics.lme_usd_per_t=2500`` or ``--set footprint.electricity='"hydro"'``.
Units are in the field names (US$, t, MWh, % of LME); money is real (constant) US$.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: plausibility caps (assumption: beyond them an input is a typo, not a plant): prices up to
#: 1e6 US$/t (100 x the LME peak), 1e5 pots, 200-year lives, a year of hourly profile values
_PRICE = 1.0e6
_HOURS = 24 * 366 * 10


class EconomicsSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    region: str | None = Field(
        default=None, description="plant region (premium, power price, grid): see data/market/regions.toml"
    )
    plant: str | None = Field(
        default=None, description="plant of data/market/plants.toml: 'prototype' (one campaign per "
        "bought starter anode; the default) or 'commercial' (kept anode, steady state over many cycles)"
    )
    lme_year: int | None = Field(default=None, ge=1900, le=2100,
                                 description="year of the LME annual average used")
    lme_usd_per_t: float | None = Field(default=None, ge=0, le=_PRICE,
                                        description="LME aluminium cash, US$/t")
    premium_usd_per_t: float | None = Field(
        default=None, ge=0, le=_PRICE, description="regional premium over LME for premium-grade lots, US$/t"
    )
    premium_grade: str = Field(
        default="P1020A", description="lots meeting this grade earn LME + premium"
    )
    offgrade_discount_pct: float | None = Field(
        default=None, ge=0, le=100, description="discount to LME for lots below premium_grade, %"
    )
    scrap_price_pct_lme: float | dict[str, float] | None = Field(
        default=None, description="scrap price, % of LME: one number or a table by scrap class"
    )
    power_price_usd_per_mwh: float | None = Field(default=None, ge=0, le=_PRICE,
                                                  description="flat price at the meter")
    power_profile: list[float] | None = Field(
        default=None, min_length=1, max_length=_HOURS,
        description="hourly power prices, US$/MWh, repeated over the cycle"
    )
    copper_usd_per_t: float | None = Field(default=None, ge=0, le=_PRICE, description="Cu make-up price")
    salt_prices_usd_per_t: dict[str, float] = Field(
        default_factory=dict, description="bath salt prices overriding the data table"
    )
    starter_al_price_pct_lme: float | None = Field(
        default=None, ge=0, description="Al of the Al-Cu starter alloy, % of LME"
    )
    residue_discount_pct: float | None = Field(
        default=None, ge=0, le=100, description="discount on the residue's metal value, %"
    )
    residue_handling_usd_per_t: float | None = Field(default=None, ge=0)
    spent_bath_disposal_usd_per_t: float | None = Field(default=None, ge=0)
    pots: int | None = Field(default=None, gt=0, le=100_000, description="pots in the plant")
    turnaround_days: float | None = Field(default=None, ge=0, le=1000,
                                          description="days between cycles")
    availability: float | None = Field(default=None, gt=0, le=1)
    labour_usd_per_pot_year: float | None = Field(default=None, ge=0)
    maintenance_pct_capex: float | None = Field(default=None, ge=0, description="% of capex per year")
    lining_life_years: float | None = Field(default=None, gt=0, le=200)
    lining_rebuild_pct_of_pot_cost: float | None = Field(default=None, ge=0)
    capex_usd: float | None = Field(default=None, ge=0, le=1e13,
                                    description="total capex (overrides the items)")
    discount_rate: float | None = Field(default=None, gt=-1, le=10,
                                        description="real, per year (0.08 = 8 %)")
    lifetime_years: int | None = Field(default=None, gt=0, le=200)
    tax_rate: float | None = Field(default=None, ge=0, lt=1)


class FootprintSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    electricity: str | list[float] | None = Field(
        default=None,
        description="generation source (IPCC AR5 median, e.g. 'hydro'), grid name (e.g. 'world', "
        "'norway') or an hourly profile in g CO2e/kWh; default: the economics region's grid",
    )
    scrap_burden: Literal["cut-off", "avoided-burden", "mass-allocation"] = Field(
        default="cut-off", description="how scrap is charged (standards-market-data 6.4)"
    )
    residue_allocation: Literal["causal", "mass", "none"] = Field(
        default="causal",
        description="co-product residue: 'causal' = purchased Cu follows the metal into the "
        "residue; 'mass' = all burdens shared by mass; 'none' = product carries everything",
    )
    gwp: Literal["AR5", "AR6"] = Field(default="AR5", description="GWP100 set for CH4/N2O")
    transport_km: float | None = Field(default=None, ge=0, le=40_000,
                                       description="scrap haul by truck, km (up to Earth's circumference)")
    primary_reference: str | None = Field(
        default=None, description="primary comparator (data/emissions/primary.toml footprint key)"
    )
    scrap_preparation: bool = Field(default=True, description="include scrap drying/preparation")
