"""Economics on the default scenario's simulated cycle (one simulation for the module)."""

from __future__ import annotations

import dataclasses

import pytest

from alref.assess.economics import break_even_power_usd_per_mwh, break_even_scrap_pct_lme, unit_economics
from alref.assess.figures import cycle_figures
from alref.assess.inputs import resolve_plant, resolve_prices
from alref.campaign.simulation import Simulation
from alref.errors import ConfigError
from alref.materials.scrap import resolve_feed
from alref.scenario import load_scenario
from alref.scenario_sections import EconomicsSection


@pytest.fixture(scope="module")
def case():
    sc = load_scenario(None)
    sim = Simulation.from_scenario(sc)
    sol = sim.run()
    blend = resolve_feed(sc.feed.scrap)
    fig = cycle_figures(sol, sim.initial_state().anode, blend.metal_yield, "P1020A")
    prices, _quotes = resolve_prices(EconomicsSection(), blend)
    plant, _items = resolve_plant(EconomicsSection(), fig)
    return sol, fig, prices, plant


def test_figures_agree_with_the_solution(case) -> None:
    sol, fig, _p, _plant = case
    # the grade check here and the simulator's own in-grade fraction are separate code paths
    assert fig.premium_grade_kg / fig.product_kg == pytest.approx(
        sol.summary["product_in_grade_fraction"])
    assert fig.scrap_kg == sol.summary["scrap_charged_kg"]
    assert sum(fig.hourly_energy_kwh) == pytest.approx(fig.energy_kwh_dc, rel=1e-6)
    # Cu leaving in the residue >= Cu bought for the starter alloy (scrap brings Cu too)
    assert fig.residue_copper_kg >= fig.copper_kg * 0.999
    assert fig.salts_kg.get("AlF3", 0) > 0 and fig.spent_bath_kg > 0


def test_scrap_price_slope_on_the_real_cycle(case) -> None:
    _sol, fig, p, plant = case
    m0 = unit_economics(fig, p, plant).margin_usd_per_t
    p1 = dataclasses.replace(p, scrap_price_pct_lme=p.scrap_price_pct_lme + 100.0 / p.lme_usd_per_t)
    m1 = unit_economics(fig, p1, plant).margin_usd_per_t
    assert m0 - m1 == pytest.approx(fig.scrap_kg / fig.product_kg, rel=1e-9)


def test_break_evens_fed_back_give_zero_margin(case) -> None:
    _sol, fig, p, plant = case
    ue = unit_economics(fig, p, plant)
    be_s = break_even_scrap_pct_lme(ue, p)
    assert abs(unit_economics(fig, dataclasses.replace(p, scrap_price_pct_lme=be_s), plant)
               .margin_usd_per_t) < 1e-6
    be_p = break_even_power_usd_per_mwh(ue)
    assert abs(unit_economics(fig, dataclasses.replace(p, power_price_usd_per_mwh=be_p), plant)
               .margin_usd_per_t) < 1e-6


def test_default_prices_are_the_cited_ones(case) -> None:
    _sol, _fig, p, _plant = case
    assert p.lme_usd_per_t == 2630.0  # 2025 average (Reuters poll)
    assert 75.0 <= p.scrap_price_pct_lme <= 84.0  # Twitch quotes 75 and 84 % of LME (Davis)
    assert 1.0 < p.ac_dc_ratio < 1.1


@pytest.mark.parametrize("econ, key", [
    (EconomicsSection(region="atlantis"), "economics.region"),
    (EconomicsSection(scrap_price_pct_lme={"zorba": 70.0}), "economics.scrap_price_pct_lme.zorba"),
    (EconomicsSection(scrap_price_pct_lme=-1.0), "economics.scrap_price_pct_lme"),
    (EconomicsSection(power_profile=[10.0, -5.0]), "economics.power_profile[1]"),
    (EconomicsSection(lme_year=1900), "economics.lme_year"),
])
def test_bad_economics_name_the_key(econ, key) -> None:
    with pytest.raises(ConfigError) as exc:
        resolve_prices(econ, resolve_feed("twitch"))
    assert exc.value.key == key
