"""A commercial plant of kept-anode pots: its figures at steady state and its fixed costs.

`plants()` reads ``data/market/plants.toml``. `steady_figures` turns the steady cycles of a
`PotLifeResult` (`alref.campaign.potlife`) into the `CycleFigures` of one average cycle (no
starter anode; sludge drain = residue; alloy bleed; molten refill; Cu make-up only for
losses). `commercial_plant` sizes the plant and scales its fixed costs:

* pots = capacity / one pot's steady-state output (rounded up), unless `economics.pots`;
* availability = the plant's x (1 − relining and diaphragm stops per service life);
* labour = persons per kt/yr (a smelter's cited productivity) x output x the loaded cost of a
  person-year (the region's labour-cost statistic in its currency x the year's exchange rate);
* maintenance = a cited % a year of the capex less the pots (``base = "capex_less_pots"``: a
  pot's repairs are its relinings and diaphragm changes, priced per tonne below; ``"capex"``
  applies it to all of capex); capex by the scaled items of ``capex.toml``;
* linings: a relining costs per tonne of product what a Hall–Héroult smelter's relinings
  cost per tonne (cited range, at its typical lining life), scaled by that life over the
  pot's lining life (``data/pot_life.toml``): both pots make Al at the Faraday rate, so
  the lining grows with the current and its cost per tonne with 1/life; each diaphragm
  change in a lining life costs a stated fraction of a relining. A user's
  ``economics.lining_rebuild_pct_of_pot_cost`` prices them as a share of the pots' cost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from alref import citations, data
from alref.assess import market
from alref.assess.capex import plant_capex
from alref.assess.economics import DAYS_PER_YEAR, Plant, cycles_per_pot_year
from alref.assess.figures import CycleFigures
from alref.campaign.potlife import PotLifeResult
from alref.errors import ConfigError
from alref.materials.composition import Composition
from alref.materials.grades import check_grade, get_grade
from alref.scenario_sections import EconomicsSection


def plants() -> dict[str, dict[str, Any]]:
    """The plants of ``data/market/plants.toml`` by name."""
    return dict(data.load("market/plants")["plant"])


def plant_table(name: str | None) -> tuple[str, dict[str, Any]]:
    """(name, table) of a plant (default: prototype); ConfigError naming economics.plant."""
    name = (name or "prototype").strip().lower()
    table = {k: v for k, v in plants().items() if isinstance(v, dict)}
    if name not in table:
        raise ConfigError("economics.plant", f"unknown plant {name!r}; known: {', '.join(sorted(table))}")
    return name, table[name]


def labour_cost_usd_per_person_year(table: dict[str, Any]) -> float:
    """Loaded cost of a person-year in US$: ``usd_per_person_year`` if the plant states it,
    else the region's statistic in its currency (``nok_per_person_year``) x ``fx.usd_per_nok``."""
    lc = table["labour_cost"]
    for t in (lc, lc.get("fx", {})):
        if t.get("source"):
            citations.cite(str(t["source"]))
    if "usd_per_person_year" in lc:
        return float(lc["usd_per_person_year"])
    return float(lc["nok_per_person_year"]) * float(lc["fx"]["usd_per_nok"])


def maintenance_base_usd(table: dict[str, Any], capex_usd: float, pots_capex_usd: float) -> float:
    """Capital the maintenance share applies to (``maintenance.base``): all of capex, or capex
    less the pots, whose repairs are the per-tonne relinings and diaphragm changes."""
    base = str(table["maintenance"].get("base", "capex"))
    if base == "capex_less_pots":
        return capex_usd - pots_capex_usd
    if base == "capex":
        return capex_usd
    raise ConfigError("plants.maintenance.base", f"unknown base {base!r}; known: capex, capex_less_pots")


def plant_market() -> dict[str, Any]:
    """Market values of the plants' co-products and utilities (cited via `market`)."""
    raw = data.load("market/plants")["market"]
    for t in raw.values():
        if isinstance(t, dict) and t.get("source"):
            citations.cite(str(t["source"]))
    return raw


def premium_mass(lots: Any, grade: str) -> float:
    g = get_grade(grade, key="economics.premium_grade")
    return math.fsum(lot.mass_kg for lot in lots
                     if check_grade(Composition.from_wt_pct(lot.composition_wt_pct, balance="Al"),
                                    g).passed)


def steady_figures(res: PotLifeResult, premium_grade: str, current_a: float,
                   metal_yield: float, scrap_metal_wt_pct: Mapping[str, float]) -> CycleFigures:
    """One average steady-state cycle of the pot as `CycleFigures` (turnaround included)."""
    cyc = res.steady_cycles
    n = float(len(cyc))
    salts: dict[str, float] = {}
    residue: dict[str, float] = {}
    bleed: dict[str, float] = {}
    for c in cyc:
        for k, v in (*c.salts_kg.items(), *c.turnaround.bath_added.items()):
            salts[k] = salts.get(k, 0.0) + v / n
        for k, v in c.turnaround.residue.items():
            residue[k] = residue.get(k, 0.0) + v / n
        for k, v in c.turnaround.bleed.items():
            bleed[k] = bleed.get(k, 0.0) + v / n

    def wt(m: dict[str, float]) -> dict[str, float]:
        tot = math.fsum(v for v in m.values() if v > 0)
        return {k: 100 * v / tot for k, v in m.items() if v > 0} if tot > 0 else {}

    scrap = math.fsum(c.scrap_kg for c in cyc) / n
    return CycleFigures(
        product_kg=math.fsum(c.product_kg for c in cyc) / n,
        premium_grade_kg=math.fsum(premium_mass(c.lots, premium_grade) for c in cyc) / n,
        scrap_kg=scrap, scrap_metal_kg=scrap * metal_yield,
        energy_kwh_dc=math.fsum(c.energy_kwh for c in cyc) / n,
        cycle_days=math.fsum(c.days for c in cyc) / n, current_a=current_a,
        salts_kg=salts, spent_bath_kg=math.fsum(c.bath_removed_kg for c in cyc) / n,
        copper_kg=math.fsum(c.turnaround.cu_added_kg for c in cyc) / n, starter_al_kg=0.0,
        residue_kg=math.fsum(residue.values()), residue_wt_pct=wt(residue),
        bleed_kg=math.fsum(bleed.values()), bleed_wt_pct=wt(bleed),
        refill_scrap_kg=math.fsum(c.turnaround.refill_scrap_kg for c in cyc) / n,
        scrap_metal_wt_pct=dict(scrap_metal_wt_pct),
    )


def commercial_plant(econ: EconomicsSection, fig: CycleFigures, res: PotLifeResult,
                     table: dict[str, Any]) -> tuple[Plant, dict[str, float], dict[str, Any]]:
    """Plant inputs, the capex breakdown (US$) and how they were sized (module docstring);
    `economics.*` values the user set win over the plant table."""
    plan = res.plan
    stops = (plan.rebuild_days / plan.lining_life_days
             + plan.diaphragm_change_days / plan.diaphragm_life_days)
    avail = float(econ.availability if econ.availability is not None
                  else table["availability"]["fraction"] * (1.0 - stops))
    turnaround = float(econ.turnaround_days if econ.turnaround_days is not None
                       else plan.turnaround_days)
    life_years = float(econ.lining_life_years if econ.lining_life_years is not None
                       else plan.lining_life_days / DAYS_PER_YEAR)
    lin = table["lining"]
    life_days = life_years * DAYS_PER_YEAR
    changes = max(life_days / plan.diaphragm_life_days - 1.0, 0.0)  # diaphragm changes per life
    lining_usd_t = None
    rebuild_pct = 0.0
    if econ.lining_rebuild_pct_of_pot_cost is not None:
        rebuild_pct = float(econ.lining_rebuild_pct_of_pot_cost)
    else:
        relining = (float(lin["relining_usd_per_t_at_reference_life"])
                    * float(lin["reference_life_days"]) / life_days)
        lining_usd_t = relining * (1.0 + float(lin["diaphragm"]["fraction_of_relining"]) * changes)
        citations.cite(str(lin["source"]))
    base = Plant(pots=1, turnaround_days=turnaround, availability=avail,
                 labour_usd_per_pot_year=0.0,
                 maintenance_pct_capex=float(econ.maintenance_pct_capex
                                             if econ.maintenance_pct_capex is not None
                                             else table["maintenance"]["pct_capex_per_year"]),
                 lining_life_years=life_years, lining_rebuild_pct_of_pot_cost=rebuild_pct,
                 capex_usd=0.0, pots_capex_usd=0.0, lining_usd_per_t=lining_usd_t)
    per_pot_t = cycles_per_pot_year(fig.cycle_days, base) * fig.product_t
    capacity = float(table["capacity"]["product_t_per_year"])
    pots = int(econ.pots) if econ.pots is not None else max(math.ceil(capacity / per_pot_t), 1)
    annual = pots * per_pot_t
    persons = table["labour"]["persons_per_kt_year"] * annual / 1000.0
    per_person = labour_cost_usd_per_person_year(table)
    labour = (float(econ.labour_usd_per_pot_year) if econ.labour_usd_per_pot_year is not None
              else persons * per_person / pots)
    pot_kw = fig.energy_kwh_dc / (fig.cycle_days * 24.0) if fig.cycle_days > 0 else 0.0
    items = plant_capex(market.capex_items()["item"], pots, fig.current_a, pot_kw, annual)
    total = float(econ.capex_usd) if econ.capex_usd is not None else math.fsum(items.values())
    pots_share = items["pots"] * (total / math.fsum(items.values()))
    maint_base = maintenance_base_usd(table, total, pots_share)
    plant = replace(base, pots=pots, labour_usd_per_pot_year=labour, capex_usd=total,
                    pots_capex_usd=pots_share, maintenance_base_usd=maint_base)
    citations.cite(str(table["labour"]["source"]))
    if table["maintenance"].get("source"):
        citations.cite(str(table["maintenance"]["source"]))
    detail = {
        "plant": "commercial", "operation": "steady_state",
        "pot_current_a": fig.current_a, "pots": pots,
        "product_t_per_pot_year": per_pot_t, "target_capacity_t_per_year": capacity,
        "staff_persons": persons, "labour_usd_per_person_year": per_person,
        "maintenance_base_usd": maint_base, "availability": avail,
        "service_stops_fraction": stops, "lining_life_years": life_years,
        "lining_and_diaphragm_usd_per_t": lining_usd_t,
        "diaphragm_changes_per_lining_life": changes,
        "capex_usd_per_t_capacity": total / annual if annual > 0 else math.nan,
    }
    return plant, items, detail


def capital_recovery_factor(rate: float, years: int) -> float:
    """Annuity that repays 1 US$ of capital over `years` at `rate` (real)."""
    if abs(rate) < 1e-12:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)
