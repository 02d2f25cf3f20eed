"""Scrap pre-treatment (demagging) in `alref assess`: one cost line in the waterfall and the
processing cost, one footprint line (issue 14 with issue 13 item 5)."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import pytest
from tests.unit.test_plant_economics import FIG, PLANT, PRICES

from alref.assess.economics import unit_economics
from alref.assess.footprint import SCOPE_OF_SOURCE
from alref.assess.service import assess_solution
from alref.assess.waterfall import processing_cost, waterfall
from alref.campaign.simulation import Simulation
from alref.scenario import apply_overrides, from_raw, load_raw


def test_pretreatment_line_adds_to_costs_and_processing_cost() -> None:
    base = unit_economics(FIG, PRICES, PLANT)
    treated = unit_economics(replace(FIG, pretreatment_usd_per_t=12.0), PRICES, PLANT)
    assert base.cost_usd_per_t["scrap_pretreatment"] == 0.0
    assert treated.cost_usd_per_t["scrap_pretreatment"] == pytest.approx(12.0)
    assert processing_cost(treated) - processing_cost(base) == pytest.approx(12.0, abs=1e-9)
    assert base.margin_usd_per_t - treated.margin_usd_per_t == pytest.approx(12.0, abs=1e-9)
    steps = waterfall(treated, 100.0)
    body = [s for s in steps if s["kind"] in ("revenue", "credit", "cost")]
    assert math.fsum(s["usd_per_t"] for s in body) == pytest.approx(treated.margin_usd_per_t,
                                                                   abs=1e-9)
    assert any(s["item"] == "scrap_pretreatment" and s["usd_per_t"] < 0 for s in steps)


def _assess(pretreatment: str) -> dict:
    raw = apply_overrides(load_raw("rusal-3ka"), [
        'feed.scrap="alloy:5182"', f'feed.pretreatment="{pretreatment}"',
        'campaign.termination.max_duration="5 d"', "economics.scrap_price_pct_lme=80"])
    sc = from_raw(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = Simulation.from_scenario(sc)
        return assess_solution(sc, sim, sim.run())


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    return {m: _assess(m) for m in ("none", "chlorination")}


def test_chlorination_has_a_cost_and_footprint_line_and_the_waterfall_still_sums(runs) -> None:
    none, chl = runs["none"], runs["chlorination"]
    assert none["economics"]["cost_breakdown_usd_per_t"]["scrap_pretreatment"] == 0.0
    assert none["footprint"]["by_source"]["scrap_pretreatment"] == 0.0
    line = chl["economics"]["cost_breakdown_usd_per_t"]["scrap_pretreatment"]
    assert line > 0
    assert chl["footprint"]["by_source"]["scrap_pretreatment"] > 0
    assert SCOPE_OF_SOURCE["scrap_pretreatment"] == "scope_3"
    e = chl["economics"]
    steps = e["waterfall_usd_per_t"]
    body = [s for s in steps if s["kind"] in ("revenue", "credit", "cost")]
    assert math.fsum(s["usd_per_t"] for s in body) == pytest.approx(e["margin_usd_per_t"], abs=1e-6)
    assert math.fsum(chl["footprint"]["by_source"].values()) == pytest.approx(
        chl["footprint"]["total_t_co2e_per_t"], abs=1e-12)


def test_processing_cost_explanation_names_its_largest_lines() -> None:
    from alref.assess.waterfall import explain
    ue = unit_economics(FIG, PRICES, PLANT)
    e = {"margin_usd_per_t": ue.margin_usd_per_t, "processing_cost_usd_per_t": processing_cost(ue),
         "break_even_scrap_pct_lme": 70.0, "scrap_price_pct_lme": 79.5,
         "break_even_power_usd_per_mwh": 10.0, "power_price_usd_per_mwh": 33.0,
         "margin_after_capital_usd_per_t": ue.margin_usd_per_t - 100.0,
         "cost_breakdown_usd_per_t": ue.cost_usd_per_t,
         "revenue_breakdown_usd_per_t": ue.revenue_usd_per_t}
    text = explain(e)["processing_cost_usd_per_t"]
    top = max((k for k in ue.cost_usd_per_t if k != "scrap"), key=ue.cost_usd_per_t.__getitem__)
    assert f"largest lines: {top}" in text
    assert "scrap " not in text.split("largest lines:")[1]
    assert "residue" in text.split("less credits")[1]
