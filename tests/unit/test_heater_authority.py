"""Heater authority (issue 13): a design's heaters and cooling have a maximum power
(``[pot_control.heater]``); beyond it the pot's temperature follows the heat balance, the
output names the shortfall in kW, and a campaign that the heater cannot hold ends naming
the heater limit. Directions: a smaller heater -> a colder pot and an earlier end; more
current -> less heater demand; too little cooling -> a hotter pot."""

from __future__ import annotations

import itertools
import warnings

import pytest

from alref.api import cell_operating_point, simulate, simulation_result
from alref.cell.design import load_design
from alref.errors import ConfigError
from alref.properties.registry import RangeWarning


def heater(w: float, key: str = "heating_max_w") -> str:
    return f'cell.parameters={{"pot_control.heater.{key}"={w}}}'


def op(*sets: str, name: str = "rusal-3ka") -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        return cell_operating_point(name, list(sets)).to_dict()


def test_presets_declare_their_heater_and_cooling_ratings() -> None:
    for name in ("rusal-3ka", "rusal-500a"):
        d = load_design(name)
        assert 0 < d.heater_max_w < float("inf")
        assert 0 < d.cooling_max_w < float("inf")
    # a scaled pot's heaters scale with it, as its inventories do
    assert load_design("rusal-3ka").scaled(1500.0).heater_max_w == pytest.approx(3500.0)


def test_inside_the_rating_the_set_temperature_holds() -> None:
    d = op('cell.current="2 kA"')
    h = d["pot_control"]["heater"]
    assert h["heating_shortfall_kw"] == 0.0 and h["ok"]
    assert h["demand_at_set_temperature_kw"] == pytest.approx(d["auxiliary_heat_kw"])
    assert d["bath"]["superheat_k"] > 20.0
    assert d["within_limits"]


def test_smaller_heater_colder_pot_and_the_shortfall_is_named() -> None:
    full = op('cell.current="2 kA"')
    demand = full["auxiliary_heat_kw"]
    mid = op('cell.current="2 kA"', heater(1e3 * (demand - 0.05)))
    low = op('cell.current="2 kA"', heater(1e3 * (demand - 0.15)))
    t = [x["bath"]["superheat_k"] for x in (full, mid, low)]
    assert t[0] > t[1] > t[2]  # less heater, colder pot
    for x, short in ((mid, 0.05), (low, 0.15)):
        h = x["pot_control"]["heater"]
        assert h["heating_shortfall_kw"] == pytest.approx(short, rel=1e-6)
        assert h["temperature_change_k"] < 0
        assert x["auxiliary_heat_kw"] == pytest.approx(h["heating_max_kw"])
        assert not x["within_limits"]
        assert any(f"{short:.2f} kW short" in w for w in x["warnings"])
        assert any("heater limit" in n for n in x["notes"])


def test_heater_far_too_small_freezes_the_pot() -> None:
    d = op('cell.current="2 kA"', heater(1000.0))
    assert d["pot_control"]["acd_at_limit"] == "heater_freeze"
    assert d["bath"]["superheat_k"] <= 1e-6
    assert any("freezes" in n for n in d["notes"])
    # no steady state: the heat the full heater cannot supply is drawn from the freezing pot,
    # less than the shortfall at the set temperature (a colder pot loses less)
    deficit = d["heat_balance_kw"]["freezing_deficit"]
    assert 0 < deficit < d["pot_control"]["heater"]["heating_shortfall_kw"]


def _remainder(d: dict) -> float:
    hb = d["heat_balance_kw"]
    return (hb["generated_in_pot"] + hb["auxiliary_heat"] - d["heat_loss_kw"]
            - hb["scrap_heating_and_melting"] - hb["cooling_required"])


def test_without_a_steady_state_the_balance_names_the_heat_into_or_out_of_the_pot() -> None:
    """Freezing (full heater, still short) draws heat from the pot (freezing_deficit);
    overheating (full cooling, still hot at its bound) puts heat into it
    (overheating_surplus, larger at more current). A held pot has neither."""
    frozen = op('cell.current="2 kA"', heater(1000.0))
    assert frozen["heat_balance_kw"]["freezing_deficit"] == pytest.approx(-_remainder(frozen))
    hot = [op(f'cell.current="{i} kA"') for i in (6.0, 8.0)]
    assert all(d["pot_control"]["acd_at_limit"] == "cooling_overheat" for d in hot)
    surplus = [d["heat_balance_kw"]["overheating_surplus"] for d in hot]
    assert 0 < surplus[0] < surplus[1]
    for d, s in zip(hot, surplus, strict=True):
        assert s == pytest.approx(_remainder(d))
    held = op()["heat_balance_kw"]
    assert "freezing_deficit" not in held and "overheating_surplus" not in held


def test_more_current_less_heater_demand() -> None:
    demand = [op(f'cell.current="{i} kA"')["pot_control"]["heater"]
              ["demand_at_set_temperature_kw"] for i in (1.5, 2.0, 2.5, 3.0)]
    assert all(a > b for a, b in itertools.pairwise(demand))


def test_too_little_cooling_lets_the_pot_rise() -> None:
    free = op('cell.current="3.5 kA"')
    assert free["cooling_required_kw"] > 1.0
    tight = op('cell.current="3.5 kA"', heater(500.0, "cooling_max_w"))
    h = tight["pot_control"]["heater"]
    assert h["cooling_shortfall_kw"] == pytest.approx(free["cooling_required_kw"] - 0.5,
                                                      rel=1e-6)
    assert h["temperature_change_k"] > 0
    assert tight["bath"]["superheat_k"] > free["bath"]["superheat_k"]


def campaign(w: float):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        return simulate("rusal-500a", [heater(w)])


def test_campaign_smaller_heater_colder_pot_earlier_end_naming_the_heater_limit() -> None:
    full, short = campaign(4000.0), campaign(2450.0)
    f, s = (simulation_result(x).to_dict() for x in (full, short))
    assert f["heater_shortfall_max_kw"] == 0.0
    assert "heater limit" not in f["termination"]
    assert s["heater_shortfall_max_kw"] > 0.1
    # the pot runs colder than its set point in the time series, and the cycle ends earlier
    assert short["Bath temperature [degC]"].max() < full["Bath temperature [degC]"].max() - 5
    assert s["cycle_days"] < f["cycle_days"]
    assert "heater limit" in s["termination"]
    assert "kW short" in s["termination"]


def test_campaign_the_heater_cannot_start_is_exit_2_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"heater limit.*kW short"):
        campaign(1000.0)


def test_campaign_that_would_freeze_a_layer_ends_on_the_heater_limit() -> None:
    """With the superheat limits of the plan out of the way, the heater-limited pot runs
    until its anode alloy's liquidus (rising as Cu concentrates) reaches the temperature the
    full heater holds: the cycle ends there, naming the heater limit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        s = simulation_result(simulate("rusal-500a", [
            heater(2450.0), 'campaign.termination.alloy_superheat_min="-300 K"',
            'campaign.termination.bath_superheat_min="-100 K"'])).to_dict()
    assert s["termination_limit"] == "heater_limit"
    assert s["termination"].startswith("heater limit") and "freezes" in s["termination"]
    assert s["cycle_days"] > 1.0
