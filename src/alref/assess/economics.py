"""Unit economics of a refining cycle: revenue, cost breakdown and margin per tonne of product.

Pure functions: `CycleFigures` (what the pot did) + `Prices` + `Plant` in, numbers out.

Conventions
-----------
* Basis: one tonne of tapped product (all lots of the cycle). Money in real US$ of the price
  data's currency year (no escalation), pre-tax.
* Revenue: lots meeting the premium grade earn LME + premium; other lots earn LME less the
  off-grade discount; the residue is sold for the value of its Al (at LME), Cu, Si and Zn
  less a stated discount (a secondary-alloy feed, not a spec alloy).
* Electricity: the pot's DC energy x (AC/DC ratio: rectifier losses and auxiliaries) at a
  flat price, or at the energy-weighted mean of an hourly price profile repeated over the cycle.
* Kept-anode plants (`alref.assess.plant`): the drained sludge is the residue (valued with
  its own discount), the alloy bleed earns its metal value less ``bleed_discount_pct``, and
  the scrap melted outside the pot to refill it costs ``refill_melt_usd_per_t`` per tonne;
  a prototype campaign has neither (both lines 0), and buys its starter anode instead.
* Fixed costs (labour, maintenance, lining rebuilds) are spread over the plant's annual
  output: pots x availability x 365 / (cycle days + turnaround days) cycles per pot-year.
* ``margin = sum(revenue) - sum(costs)`` exactly, every term listed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from alref.assess.figures import CycleFigures
from alref.materials.elements import molar_mass

DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class Prices:
    """Market inputs, US$ (real)."""

    lme_usd_per_t: float
    premium_usd_per_t: float
    offgrade_discount_pct: float
    scrap_price_pct_lme: float  # blend-weighted, % of LME (as-received scrap)
    power_price_usd_per_mwh: float  # flat price (ignored when a profile is given)
    ac_dc_ratio: float  # AC energy at the meter / DC energy at the pots
    copper_usd_per_t: float
    salt_prices_usd_per_t: Mapping[str, float]
    residue_metal_prices_usd_per_t: Mapping[str, float]
    residue_discount_pct: float
    residue_handling_usd_per_t: float
    spent_bath_disposal_usd_per_t: float
    starter_al_price_pct_lme: float
    power_profile: tuple[float, ...] = ()  # hourly US$/MWh
    bleed_discount_pct: float = 0.0  # alloy bleed (a secondary alloy) below its metal value
    refill_melt_usd_per_t: float = 0.0  # melting the refill scrap outside the pot, US$/t scrap


@dataclass(frozen=True)
class Plant:
    """Plant size and fixed-cost inputs."""

    pots: int
    turnaround_days: float
    availability: float
    labour_usd_per_pot_year: float
    maintenance_pct_capex: float
    lining_life_years: float
    lining_rebuild_pct_of_pot_cost: float
    capex_usd: float
    pots_capex_usd: float  # the pots' share of capex (lining rebuilds scale with it)
    # relinings and diaphragm changes per t product when set from a per-tonne benchmark
    # (commercial plant, `alref.assess.plant`); else a share of the pots' cost per lining life
    lining_usd_per_t: float | None = None
    # capital the maintenance share applies to; None = all of capex (the prototype plant).
    # The commercial plant excludes the pots, whose repairs are the per-tonne linings.
    maintenance_base_usd: float | None = None


@dataclass(frozen=True)
class UnitEconomics:
    revenue_usd_per_t: dict[str, float]
    cost_usd_per_t: dict[str, float]
    annual_product_t: float
    scrap_t_per_t: float
    energy_mwh_ac_per_t: float
    power_price_effective_usd_per_mwh: float
    extras: dict[str, float] = field(default_factory=dict)

    @property
    def revenue_total(self) -> float:
        return math.fsum(self.revenue_usd_per_t.values())

    @property
    def cost_total(self) -> float:
        return math.fsum(self.cost_usd_per_t.values())

    @property
    def margin_usd_per_t(self) -> float:
        return self.revenue_total - self.cost_total


def cycles_per_pot_year(cycle_days: float, plant: Plant) -> float:
    """Cycles a pot runs per year at the plant's availability."""
    return plant.availability * DAYS_PER_YEAR / (cycle_days + plant.turnaround_days)


def annual_product_t(fig: CycleFigures, plant: Plant) -> float:
    """Plant output, t/yr."""
    return plant.pots * cycles_per_pot_year(fig.cycle_days, plant) * fig.product_t


def effective_power_price(hourly_energy_kwh: Sequence[float], profile: Sequence[float],
                          flat_price: float) -> float:
    """Energy-weighted mean price (US$/MWh) of an hourly profile repeated over the cycle;
    the flat price when no profile (or no hourly energy) is given."""
    if not profile:
        return flat_price
    total = math.fsum(hourly_energy_kwh)
    if total <= 0:
        return math.fsum(profile) / len(profile)
    n = len(profile)
    return math.fsum(e * profile[h % n] for h, e in enumerate(hourly_energy_kwh)) / total


def payable_wt_pct(residue_wt_pct: Mapping[str, float]) -> dict[str, float]:
    """The residue's metallic content (wt % of the residue): its O is held as Al2O3 (the
    scrap's oxide, the only oxide phase of the sludge, ``residue.toml``), and the Al bound in
    it (2 M_Al / 3 M_O per kg O) is not metal and is not paid."""
    out = dict(residue_wt_pct)
    o = float(out.get("O", 0.0))
    if o > 0 and "Al" in out:
        bound = o * 2.0 * molar_mass("Al") / (3.0 * molar_mass("O"))
        out["Al"] = max(float(out["Al"]) - bound, 0.0)
    return out


def residue_value_usd_per_t(residue_wt_pct: Mapping[str, float], metal_prices: Mapping[str, float],
                            discount_pct: float) -> float:
    """US$ per tonne of residue: payable metal content (`payable_wt_pct`: oxide-bound Al
    excluded) at its price, less the discount."""
    pay = payable_wt_pct(residue_wt_pct)
    gross = math.fsum(pay.get(el, 0.0) / 100.0 * p for el, p in metal_prices.items())
    return gross * (1.0 - discount_pct / 100.0)


def unit_economics(fig: CycleFigures, prices: Prices, plant: Plant) -> UnitEconomics:
    """Revenue and cost per tonne of product (see the module conventions)."""
    p_t = fig.product_t
    if p_t <= 0:
        raise ValueError("the cycle tapped no product: economics per tonne is undefined")
    lme = prices.lme_usd_per_t
    annual = annual_product_t(fig, plant)
    energy_mwh_ac = fig.energy_kwh_dc * prices.ac_dc_ratio / 1000.0 / p_t
    price_eff = effective_power_price(fig.hourly_energy_kwh, prices.power_profile,
                                      prices.power_price_usd_per_mwh)
    residue_usd_t = residue_value_usd_per_t(fig.residue_wt_pct, prices.residue_metal_prices_usd_per_t,
                                            prices.residue_discount_pct)
    revenue = {
        "metal_premium_grade": fig.premium_grade_kg / fig.product_kg * (lme + prices.premium_usd_per_t),
        "metal_offgrade": fig.offgrade_kg / fig.product_kg * lme * (1 - prices.offgrade_discount_pct / 100),
        "residue": fig.residue_kg / 1000.0 / p_t * residue_usd_t,
        "bleed_alloy": fig.bleed_kg / 1000.0 / p_t * residue_value_usd_per_t(
            fig.bleed_wt_pct, prices.residue_metal_prices_usd_per_t, prices.bleed_discount_pct),
    }
    salts = math.fsum(kg / 1000.0 * prices.salt_prices_usd_per_t[s] for s, kg in fig.salts_kg.items())
    scrap_t_per_t = fig.scrap_kg / fig.product_kg
    cost = {
        "scrap": scrap_t_per_t * prices.scrap_price_pct_lme / 100.0 * lme,
        "electricity": energy_mwh_ac * price_eff,
        "bath_makeup": salts / p_t,
        "copper": fig.copper_kg / 1000.0 * prices.copper_usd_per_t / p_t,
        "starter_aluminium": fig.starter_al_kg / 1000.0 * lme * prices.starter_al_price_pct_lme / 100 / p_t,
        # demagging reagent (Cl2 or AlF3) of the scrap before charging (`feed.pretreatment`)
        "scrap_pretreatment": fig.pretreatment_usd_per_t,
        "refill_melting": fig.refill_scrap_kg / 1000.0 * prices.refill_melt_usd_per_t / p_t,
        "labour": plant.labour_usd_per_pot_year * plant.pots / annual,
        "maintenance": plant.maintenance_pct_capex / 100.0 * (
            plant.capex_usd if plant.maintenance_base_usd is None else plant.maintenance_base_usd
        ) / annual,
        "lining_rebuilds": plant.lining_usd_per_t if plant.lining_usd_per_t is not None
        else plant.pots_capex_usd * plant.lining_rebuild_pct_of_pot_cost / 100.0
        / plant.lining_life_years / annual,
        "residue_handling": (fig.residue_kg / 1000.0 * prices.residue_handling_usd_per_t
                             + fig.spent_bath_kg / 1000.0 * prices.spent_bath_disposal_usd_per_t) / p_t,
    }
    return UnitEconomics(revenue, cost, annual, scrap_t_per_t, energy_mwh_ac, price_eff,
                         extras={"residue_value_usd_per_t_residue": residue_usd_t})


def break_even_scrap_pct_lme(ue: UnitEconomics, prices: Prices) -> float | None:
    """Scrap price (% of LME) at which the margin is zero (the margin is linear in it);
    None when no scrap is charged (the margin does not depend on its price)."""
    slope = ue.scrap_t_per_t * prices.lme_usd_per_t / 100.0  # US$/t product per % of LME
    if not slope > 0:
        return None
    return prices.scrap_price_pct_lme + ue.margin_usd_per_t / slope


def break_even_power_usd_per_mwh(ue: UnitEconomics) -> float | None:
    """Flat (or profile-mean) power price at which the margin is zero; None when the pot
    draws no power from the grid."""
    if not ue.energy_mwh_ac_per_t > 0:
        return None
    return ue.power_price_effective_usd_per_mwh + ue.margin_usd_per_t / ue.energy_mwh_ac_per_t
