"""Demagging the scrap before charging (issue 13 item 5): less MgF2 in the bath and fewer
bath replacements, for reagent cost and CO2."""

from __future__ import annotations

import warnings
from collections import Counter

import pytest

from alref.campaign.simulation import Simulation
from alref.cell.feed import Feed
from alref.cell.pretreatment import demag, reagent_kg_per_kg_mg
from alref.errors import ConfigError
from alref.materials.elements import molar_mass
from alref.scenario import apply_overrides, from_raw, load_raw


def _feed() -> Feed:
    return Feed.from_scrap("alloy:5182", 298.15)


def test_demag_lowers_mg_to_the_residual_and_costs_reagent() -> None:
    f = _feed()
    assert f.metal_wt_pct["Mg"] > 4.0
    for method, lo, hi in (("chlorination", 2.9, 4.0), ("salt_flux", 2.3, 6.0)):
        g, d = demag(f, method)
        assert g.metal_wt_pct["Mg"] == pytest.approx(d.mg_after_wt_pct)
        assert g.metal_wt_pct["Mg"] < 0.2 * f.metal_wt_pct["Mg"]
        assert sum(g.metal_wt_pct.values()) == pytest.approx(100.0)
        # the Mg removed is the Mg that left the metal
        mg_kg = f.metal_yield * f.metal_wt_pct["Mg"] / 100 - g.metal_yield * g.metal_wt_pct["Mg"] / 100
        assert d.mg_removed_kg_per_kg == pytest.approx(mg_kg, rel=1e-9)
        # reagent above the stoichiometric amount (utilisation < 1)
        assert lo < reagent_kg_per_kg_mg(method) < hi
        assert d.cost_usd_per_kg > 0 and d.co2_kg_per_kg > 0
    stoich_cl2 = 2 * molar_mass("Cl") / molar_mass("Mg")
    assert reagent_kg_per_kg_mg("chlorination") > stoich_cl2


def test_none_and_mg_free_feeds_are_left_alone() -> None:
    f = _feed()
    assert demag(f, "none") == (f, None)
    pure = Feed.from_scrap("alloy:1070", 298.15)
    assert demag(pure, "chlorination") == (pure, None)
    with pytest.raises(ConfigError) as err:
        demag(f, "vacuum")
    assert err.value.key == "feed.pretreatment"


def _run(pretreatment: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = apply_overrides(load_raw("rusal-3ka"), [
            'feed.scrap="alloy:5182"', f'feed.pretreatment="{pretreatment}"',
            'campaign.termination.max_duration="40 d"'])
        return Simulation.from_scenario(from_raw(raw)).run()


def test_pretreatment_cuts_bath_mgf2_and_replacements_for_money_and_co2() -> None:
    raw, treated = _run("none"), _run("chlorination")
    mgf2 = [s.summary["bath_final_composition_wt_pct"].get("MgF2", 0.0) for s in (raw, treated)]
    assert mgf2[1] < 0.6 * mgf2[0]
    replaced = [Counter(a.kind for a in s.actions)["replace_bath"] for s in (raw, treated)]
    assert replaced[0] > 0 and replaced[1] < replaced[0]
    p = treated.summary["pretreatment"]
    assert "pretreatment" not in raw.summary
    assert p["method"] == "chlorination" and p["mg_removed_kg"] > 0
    assert p["cost_usd"] > 0 and p["co2_kg"] > 0
    assert p["cost_usd_per_t_product"] > 0 and p["co2_t_per_t_product"] > 0


def test_bad_pretreatment_names_the_key() -> None:
    raw = apply_overrides(load_raw("rusal-3ka"), ['feed.pretreatment="vacuum"'])
    with pytest.raises(ConfigError) as err:
        from_raw(raw)
    assert "feed.pretreatment" in err.value.key


def test_assess_lines_of_the_pretreatment() -> None:
    from alref.assess.pretreatment import pretreatment_lines
    assert pretreatment_lines({}) == {"cost_usd_per_t": 0.0, "co2_t_per_t": 0.0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runs = {}
        for method in ("chlorination", "salt_flux"):
            raw = apply_overrides(load_raw("rusal-3ka"), [
                'feed.scrap="alloy:5182"', f'feed.pretreatment="{method}"',
                'campaign.termination.max_duration="5 d"'])
            runs[method] = pretreatment_lines(Simulation.from_scenario(from_raw(raw)).run().summary)
    for lines in runs.values():
        assert lines["cost_usd_per_t"] > 0 and lines["co2_t_per_t"] > 0
    # AlF3 (about 1 400 US$/t, less well used) costs more per tonne than chlorine
    assert runs["salt_flux"]["cost_usd_per_t"] > runs["chlorination"]["cost_usd_per_t"]
