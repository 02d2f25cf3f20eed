"""Economics, footprint and route comparison of one simulated campaign.

`check_inputs` validates a scenario's economics and footprint inputs before it is simulated;
`assess_solution` computes everything from the campaign's `Solution`. The service of
`alref assess` (`alref.api.assess`) runs the two around one simulation.
"""

from __future__ import annotations

from typing import Any

from alref.assess import emission_factors as ef
from alref.assess.cashflow import plant_cash_flow
from alref.assess.comparison import RemeltData, comparison_rows
from alref.assess.economics import (
    Plant,
    Prices,
    break_even_power_usd_per_mwh,
    break_even_scrap_pct_lme,
    unit_economics,
)
from alref.assess.figures import CycleFigures, cycle_figures
from alref.assess.footprint import footprint
from alref.assess.inputs import (
    electricity_choice,
    finance,
    footprint_inputs,
    resolve_plant,
    resolve_prices,
)
from alref.assess.plant import capital_recovery_factor
from alref.assess.waterfall import (
    copper_balance,
    explain,
    processing_cost,
    processing_groups,
    tornado,
    waterfall,
)
from alref.campaign.simulation import Simulation
from alref.campaign.solution import Solution
from alref.materials.grades import get_grade
from alref.materials.scrap import resolve_feed
from alref.scenario import Scenario


def check_inputs(sc: Scenario) -> None:
    """Validate the economics and footprint inputs of a scenario before it is simulated (bad
    input fails fast, naming the key)."""
    econ, fp = sc.economics, sc.footprint
    blend = resolve_feed(sc.feed.scrap)
    resolve_prices(econ, blend)
    get_grade(econ.premium_grade, key="economics.premium_grade")
    ef.electricity_factor(electricity_choice(fp, econ))  # validate the name
    finance(econ)


def assess_solution(sc: Scenario, sim: Simulation, sol: Solution) -> dict[str, Any]:
    """Economics, footprint and comparison of an already simulated campaign (the prototype
    plant: one campaign per bought starter anode)."""
    econ = sc.economics
    blend = resolve_feed(sc.feed.scrap)
    prices, quotes = resolve_prices(econ, blend)
    grade = get_grade(econ.premium_grade, key="economics.premium_grade")
    fig = cycle_figures(sol, sim.initial_state().anode, blend.metal_yield, grade.name)
    plant, capex_items = resolve_plant(econ, fig)
    detail = {"plant": "prototype", "operation": "campaign", "pot_current_a": fig.current_a,
              "pots": plant.pots, "availability": plant.availability}
    return assess_figures(sc, fig, prices, quotes, plant, capex_items, detail)


def _discount(pct_lme: float | None) -> float | None:
    """Scrap discount to LME (%) of a price in % of LME; None where the price is (no scrap)."""
    return None if pct_lme is None else 100.0 - pct_lme


def assess_figures(sc: Scenario, fig: CycleFigures, prices: Prices, quotes: dict[str, Any],
                   plant: Plant, capex_items: dict[str, float], plant_detail: dict[str, Any]
                   ) -> dict[str, Any]:
    """Economics, footprint and comparison of one (average) cycle of a plant's pots."""
    econ, fp = sc.economics, sc.footprint
    grade = get_grade(econ.premium_grade, key="economics.premium_grade")
    elec_choice = electricity_choice(fp, econ)
    rate, life, tax = finance(econ)
    ue = unit_economics(fig, prices, plant)
    annual = ue.annual_product_t
    credits = ue.revenue_usd_per_t["residue"] + ue.revenue_usd_per_t["bleed_alloy"]
    cf = plant_cash_flow(plant.capex_usd, ue.revenue_total * annual, ue.cost_total * annual, annual,
                         credits * annual, rate, life, tax)
    capital = plant.capex_usd * capital_recovery_factor(rate, life) / annual if annual > 0 else 0.0
    economics = {
        "margin_usd_per_t": ue.margin_usd_per_t,
        "revenue_usd_per_t": ue.revenue_total,
        "revenue_breakdown_usd_per_t": ue.revenue_usd_per_t,
        "cost_usd_per_t": ue.cost_total,
        "cost_breakdown_usd_per_t": ue.cost_usd_per_t,
        "npv_usd": cf.npv_usd,
        "irr": cf.irr,
        "payback_years": cf.payback_years,
        "levelised_cost_usd_per_t": cf.levelised_cost_usd_per_t,
        "break_even_scrap_pct_lme": break_even_scrap_pct_lme(ue, prices),
        "break_even_power_usd_per_mwh": break_even_power_usd_per_mwh(ue),
        "break_even_scrap_discount_pct": _discount(break_even_scrap_pct_lme(ue, prices)),
        "scrap_price_pct_lme": prices.scrap_price_pct_lme,
        "lme_usd_per_t": prices.lme_usd_per_t,
        "premium_usd_per_t": prices.premium_usd_per_t,
        "power_price_usd_per_mwh": ue.power_price_effective_usd_per_mwh,
        "scrap_t_per_t": ue.scrap_t_per_t,
        "scrap_t_per_t_product": ue.scrap_t_per_t,
        "energy_mwh_ac_per_t": ue.energy_mwh_ac_per_t,
        "annual_product_t": annual,
        "pots": plant.pots,
        "capex_usd": plant.capex_usd,
        "capex_breakdown_usd": capex_items,
        "processing_cost_usd_per_t": processing_cost(ue),
        "processing_cost_groups_usd_per_t": processing_groups(ue),
        "copper_balance": copper_balance(fig, prices),
        "capital_charge_usd_per_t": capital,
        "processing_cost_incl_capital_usd_per_t": processing_cost(ue) + capital,
        "margin_after_capital_usd_per_t": ue.margin_usd_per_t - capital,
        "waterfall_usd_per_t": waterfall(ue, capital),
        "tornado": tornado(fig, prices, plant),
        "plant": plant_detail,
        "discount_rate": rate,
        "lifetime_years": life,
        "tax_rate": tax,
        "cash_flow": cf.as_rows(),
        "conventions": "real US$ (price data's currency year), capex at t=0, end-of-year "
                       "discounting, straight-line depreciation, no salvage or working capital; "
                       "capital charge = capex x capital recovery factor (discount rate, life) / "
                       "annual output",
        "quotes": quotes,
    }
    economics["explanations"] = explain(economics)
    factor = ef.electricity_factor(elec_choice, fig.hourly_energy_kwh)
    inp, meta = footprint_inputs(fp, factor.t_co2e_per_mwh)
    foot = footprint(fig, inp, {"electricity": factor.describe(), **meta,
                                "scope_2_basis": "location-based, lifecycle factors"})
    footprint_out = {
        "total_t_co2e_per_t": foot.total,
        "by_scope": foot.by_scope,
        "by_source": foot.by_source,
        "method": foot.method,
        "module_d_t_co2e_per_t": foot.module_d_t_co2e_per_t,
        "electricity_g_co2e_per_kwh": factor.g_co2e_per_kwh,
        "energy_mwh_per_t": foot.energy_mwh_per_t,
        "hydro_check": hydro_check(fig, fp),
    }
    comparison = _comparison(fig, inp, foot.total, sum(foot.energy_mwh_per_t.values()), grade,
                             meta["primary_reference"], sc.name)
    return {
        "scenario": sc.name,
        "economics": economics,
        "footprint": footprint_out,
        "comparison": comparison,
        "cycle": _cycle(fig),
    }


def hydro_check(fig: CycleFigures, fp: Any, limit_t: float = 1.0) -> dict[str, Any]:
    """The footprint with every purchase burdened and hydro electricity: under `limit_t`
    t CO2e/t, or the purchases that break it (largest first, those that alone or together
    exceed what is left after electricity)."""
    factor = ef.electricity_factor("hydro")
    inp, _meta = footprint_inputs(fp, factor.t_co2e_per_mwh)
    foot = footprint(fig, inp)
    total = foot.total
    ranked = sorted(((k, v) for k, v in foot.by_source.items() if v > 0), key=lambda kv: -kv[1])
    breaking, excess = [], total - limit_t
    for k, v in ranked:
        if excess <= 0:
            break
        if k != "electricity_refining":
            breaking.append(k)
            excess -= v
    return {"electricity": "hydro", "total_t_co2e_per_t": total, "limit_t_co2e_per_t": limit_t,
            "under_limit": total <= limit_t, "by_source": foot.by_source,
            "breaking_purchases": breaking if total > limit_t else []}


def _comparison(fig: CycleFigures, inp: Any, own_total: float, own_energy: float, grade: Any,
                default_key: str, name: str) -> list[dict[str, Any]]:
    primaries = []
    default = None
    for key, row in ef.primary_footprints().items():
        ac, _dc, _year, src = ef.smelting_energy(key)
        p = {**row, "key": key, "energy_mwh_per_t": ac / 1000.0,
             "energy_basis": f"smelting electricity AC, IAI {_year} ({src})"}
        ef.primary_footprint(key)
        primaries.append(p)
        if key == default_key:
            default = p
    remelt = RemeltData(
        electricity_kwh_per_t=_prep("electricity_kwh_per_t_ingot") + inp.melt_electricity_kwh_per_t,
        gas_gj_per_t=_prep("natural_gas_gj_per_t_ingot") + inp.melt_gas_gj_per_t,
        scrap_t_per_t_ingot=_prep("scrap_t_per_t_ingot"),
        gas_t_per_gj=inp.gas_t_per_gj,
        electricity_t_per_mwh=inp.electricity_t_per_mwh,
        transport_t_per_t_scrap=inp.transport_km * inp.transport_kg_per_t_km / 1000.0,
        scrap_burden_t_per_t_metal=0.0 if inp.scrap_burden == "cut-off" else inp.primary_t_per_t,
    )
    own = {"route": f"electrolytic refining ({name})", "t_co2e_per_t": own_total,
           "energy_mwh_per_t": own_energy, "year": None, "source": "alref simulation",
           "grade": grade.name, "energy_basis": "refining AC + scrap preparation + starter melting"}
    return comparison_rows(own, primaries, remelt, default or primaries[0], fig.scrap_metal_wt_pct,
                           grade.name, grade.max, grade.others_each)


def _prep(name: str) -> float:
    """AA 2013 old-scrap recycling data, per tonne of ingot (scrap preparation block)."""
    return float(ef.process("scrap_preparation")[name])


def _cycle(fig: CycleFigures) -> dict[str, Any]:
    return {
        "product_kg": fig.product_kg, "premium_grade_kg": fig.premium_grade_kg,
        "scrap_kg": fig.scrap_kg, "scrap_metal_kg": fig.scrap_metal_kg,
        "energy_kwh_dc": fig.energy_kwh_dc, "cycle_days": fig.cycle_days,
        "salts_kg": dict(fig.salts_kg), "spent_bath_kg": fig.spent_bath_kg,
        "copper_kg": fig.copper_kg, "starter_al_kg": fig.starter_al_kg,
        "residue_kg": fig.residue_kg, "residue_wt_pct": dict(fig.residue_wt_pct),
        "bleed_kg": fig.bleed_kg, "bleed_wt_pct": dict(fig.bleed_wt_pct),
        "refill_scrap_kg": fig.refill_scrap_kg,
    }
