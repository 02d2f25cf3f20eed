"""Economics of a commercial plant at steady state, and how it differs from the prototype.

`assess_steady` runs the scenario's pot for the plant's cycles with its anode kept
(`alref.campaign.potlife`), takes the steady cycles as the plant's average cycle
(`alref.assess.plant.steady_figures`), sizes the plant (`commercial_plant`) and prices it
through the same functions as the prototype (`alref.assess.service.assess_figures`). The
co-products are valued from ``data/market/plants.toml``: the sludge like a dross, the alloy
bleed like a secondary alloy (the cited LME alloy/primary gap); the refill scrap is melted
outside the pot at the remelter's energy (AA 2013) and the cited gas and power prices.

`versus_prototype` sets two assessments side by side, line by line, each line tagged with
what moves it: scale (pot size, plant size, fixed costs) or anode practice (kept anode vs a
bought starter per cycle).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from alref.assess import emission_factors as ef
from alref.assess import market
from alref.assess.figures import figures_pretreatment
from alref.assess.inputs import resolve_prices
from alref.assess.plant import commercial_plant, plant_market, plant_table, steady_figures
from alref.assess.service import assess_figures
from alref.campaign.potlife import PotLife, PotLifeResult
from alref.campaign.schedule import plant_schedule
from alref.campaign.simulation import Simulation
from alref.materials.scrap import resolve_feed
from alref.properties.registry import RangeWarning
from alref.scenario import Scenario
from alref.validity import collapse

#: line of the margin -> (driver, why it differs between the prototype and the plant)
WHY: dict[str, tuple[str, str]] = {
    "metal_premium_grade": ("purity", "the same pot physics; lots meeting the premium grade"),
    "metal_offgrade": ("purity", "lots below the premium grade"),
    "residue": ("anode practice", "the prototype sells its whole spent Al-Cu anode every cycle; "
                "the kept anode sells only the drained sludge (Si, AlFeSi, oxide and the alloy "
                "they entrain) as a dross"),
    "bleed_alloy": ("anode practice", "alloy bled to hold Cu and Zn, sold as a secondary alloy "
                    "(LME alloy/primary gap)"),
    "scrap": ("anode practice", "a kept anode sends the scrap's Si, Fe, Cu and Zn out as sludge and "
              "bleed, so more scrap per tonne; the prototype's bought starter hides part of it"),
    "electricity": ("scale", "heat loss per tonne of the scaled pot and its pot-control point"),
    "bath_makeup": ("anode practice", "bath kept and topped up between shorter cycles; Mg of the "
                    "scrap sets the MgF2 replacements"),
    "copper": ("anode practice", "Cu bought only for the Cu lost with the sludge, not a fresh "
               "starter's Cu every cycle"),
    "starter_aluminium": ("anode practice", "no starter anode is bought"),
    "scrap_pretreatment": ("anode practice", "demagging reagent (Cl2 or AlF3) per tonne of scrap "
                           "charged (feed.pretreatment), the plant charging more scrap per tonne"),
    "refill_melting": ("anode practice", "scrap melted outside the pot to refill it after each drain"),
    "labour": ("scale", "staff per tonne of a smelter benchmark instead of operators per small pot"),
    "maintenance": ("scale", "a share of a capex that grows less than the output (0.6 rule)"),
    "lining_rebuilds": ("scale", "relinings priced per tonne like a Hall-Heroult smelter's "
                        "(a lining grows with the current) instead of a share of a small pot's cost"),
    "residue_handling": ("anode practice", "sludge and spent bath handled instead of the spent anode"),
    "capital_charge": ("scale", "capex per tonne of capacity of the larger pots and plant"),
}


def check_plant(sc: Scenario) -> tuple[str, dict[str, Any]]:
    """The scenario's plant (ConfigError naming economics.plant)."""
    return plant_table(sc.economics.plant)


def co_product_prices(sc: Scenario) -> tuple[Any, dict[str, Any]]:
    """Prices of the scenario with the plant's co-product and melting values."""
    econ = sc.economics
    prices, quotes = resolve_prices(econ, resolve_feed(sc.feed.scrap))
    mk = plant_market()
    melt = ef.process("remelting")
    gas = float(mk["natural_gas"]["usd_per_gj"])
    melt_usd = (float(melt["natural_gas_gj_per_t_ingot"]) * gas
                + float(melt["electricity_kwh_per_t_ingot"]) / 1000.0 * prices.power_price_usd_per_mwh)
    sludge = (float(econ.residue_discount_pct) if econ.residue_discount_pct is not None
              else float(mk["sludge"]["discount_pct"]))
    bleed = market.offgrade_discount_pct().value  # plants.toml [market.bleed_alloy]
    quotes = {**quotes,
              "natural_gas": {"value": gas, "unit": "US$/GJ", "date": mk["natural_gas"]["date"],
                              "source": mk["natural_gas"]["source"],
                              "note": mk["natural_gas"]["locator"]},
              "sludge_discount_pct": sludge,
              "bleed_discount_pct": bleed,
              "refill_melting_usd_per_t_scrap": melt_usd}
    return replace(prices, residue_discount_pct=sludge,
                   bleed_discount_pct=bleed,
                   refill_melt_usd_per_t=melt_usd), quotes


def assess_steady(sc: Scenario, progress: Callable[[float], None] | None = None
                  ) -> tuple[dict[str, Any], PotLifeResult]:
    """Economics, footprint and comparison of the scenario's commercial plant at steady state."""
    _name, table = check_plant(sc)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RangeWarning)
        sim = Simulation.from_scenario(sc)  # a scaled design warns outside its validated range
    design_notes = [str(w.message) for w in caught if issubclass(w.category, RangeWarning)]
    res = PotLife(sim).run(int(table["cycles"]["count"]), progress)
    prices, quotes = co_product_prices(sc)
    blend = resolve_feed(sc.feed.scrap)
    fig = steady_figures(res, sc.economics.premium_grade, sim.r.current_a, blend.metal_yield,
                         sim.feed.metal_wt_pct)
    if sim.pretreatment is not None:  # demagging of all scrap charged, refill included
        fig = replace(fig, **figures_pretreatment(
            {"pretreatment": sim.pretreatment.totals(fig.scrap_kg, fig.product_kg)}))
    plant, items, detail = commercial_plant(sc.economics, fig, res, table)
    out = assess_figures(sc, fig, prices, quotes, plant, items, detail)
    out["pot_life"] = {**res.steady_state(),
                       "cycles_run": len(res.cycles),
                       "mass_balance_rel_error": res.mass_balance_rel_error,
                       "service_events": res.service_events(),
                       "warnings": sorted(collapse([*design_notes, *res.warnings])),
                       "per_cycle": [{k: c[k] for k in ("cycle", "cycle_days", "product_kg",
                                                        "scrap_kg", "residue_kg", "bleed_kg",
                                                        "cu_added_kg", "product_al_wt_pct")}
                                     for c in (x.to_dict() for x in res.cycles)]}
    out["schedule"] = plant_schedule(res, plant.pots)
    return out, res


def versus_prototype(this: Mapping[str, Any], proto: Mapping[str, Any]) -> dict[str, Any]:
    """Line-by-line difference (US$/t product) of two `assess_figures` economics dicts."""
    e, p = this["economics"], proto["economics"]
    lines = []

    def add(item: str, a: float, b: float, sign: float) -> None:
        driver, why = WHY.get(item, ("other", ""))
        lines.append({"item": item, "prototype_usd_per_t": sign * b, "plant_usd_per_t": sign * a,
                      "difference_usd_per_t": sign * (a - b), "driver": driver, "why": why})

    for key, sign in (("revenue_breakdown_usd_per_t", 1.0), ("cost_breakdown_usd_per_t", -1.0)):
        for k in dict.fromkeys([*p[key], *e[key]]):
            add(k, e[key].get(k, 0.0), p[key].get(k, 0.0), sign)
    add("capital_charge", e["capital_charge_usd_per_t"], p["capital_charge_usd_per_t"], -1.0)
    by_driver: dict[str, float] = {}
    for row in lines:
        by_driver[row["driver"]] = by_driver.get(row["driver"], 0.0) + row["difference_usd_per_t"]
    return {
        "prototype_scenario": proto["scenario"],
        "margin_after_capital_prototype_usd_per_t": p["margin_after_capital_usd_per_t"],
        "margin_after_capital_plant_usd_per_t": e["margin_after_capital_usd_per_t"],
        "difference_by_driver_usd_per_t": by_driver,
        "lines": lines,
        "sign": "positive difference: the plant earns more (or spends less) per tonne than the "
                "prototype on that line; the lines sum to the difference of the margins after "
                "capital",
    }
