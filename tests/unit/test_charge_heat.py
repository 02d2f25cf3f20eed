"""A cold charge cools the pot and the heat budget brings it back (issue 13 item 4)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from alref.campaign.simulation import Simulation
from alref.scenario import apply_overrides, from_raw, load_raw

PLAN = ('campaign.actions=[{{kind="charge_scrap",every="{every}",mass="hold_level"}},'
        '{{kind="tap",every="1 d",start="1 d"}},{{kind="correct_bath",every="6 h",add="restore"}},'
        '{{kind="tap_bath",every="1 d",start="1 d"}}]')


def _run(*overrides: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = apply_overrides(load_raw(None), list(overrides))
        return Simulation.from_scenario(from_raw(raw)).run()


def test_each_charge_shows_a_dip_that_the_heat_budget_recovers() -> None:
    sol = _run(PLAN.format(every="1 d"), 'campaign.time_step="2 h"',
               'campaign.termination.bath_superheat_min="-100 K"',
               'campaign.termination.max_duration="4 d"')
    temp, days = sol["Bath temperature [degC]"], sol["Time [d]"]
    cooling = sol["Charge cooling [K]"]
    after = np.isclose(days % 1.0, 1 / 12)  # the first record after each daily charge
    assert cooling[after & (days > 1)].min() > 20.0  # a day's scrap at once: tens of K
    # it recovers before the next charge, and the set temperature is the ceiling
    before = np.isclose(days % 1.0, 0.0) & (days > 1)
    assert cooling[before].max() < cooling[after & (days > 1)].min()
    assert temp.max() <= 800.0 + 1e-9
    # the dip is the charge's heat over the inventory's heat capacity: ~1.2 MJ/kg of scrap
    charges = [a for a in sol.actions if a.kind == "charge_scrap" and a.detail["mass_kg"] > 1]
    assert all(a.detail["cooling_k"] > 0 for a in charges)


def test_smaller_portions_and_preheated_scrap_cool_less() -> None:
    base = ('campaign.termination.max_duration="3 d"', 'campaign.time_step="2 h"')
    daily = _run(PLAN.format(every="1 d"), 'campaign.termination.bath_superheat_min="-100 K"',
                 *base).summary["charge_cooling_max_k"]
    often = _run(PLAN.format(every="2 h"), *base).summary["charge_cooling_max_k"]
    warm = _run(PLAN.format(every="1 d"), 'campaign.termination.bath_superheat_min="-100 K"',
                'feed.charge_temperature="500 degC"', *base).summary["charge_cooling_max_k"]
    assert often < 0.2 * daily
    assert warm < 0.7 * daily


def test_an_aggressive_charge_ends_the_cycle_saying_so() -> None:
    s = _run(PLAN.format(every="1 d")).summary
    assert s["cycle_days"] == pytest.approx(1.0)
    assert "superheat" in s["termination"] and "charge cooled the pot" in s["termination"]
