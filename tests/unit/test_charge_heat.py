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


def test_voltage_and_ce_follow_the_dip() -> None:
    """Just after a cold charge the bath conducts less and dissolves less metal: the cell
    voltage is higher and the current efficiency higher than once the pot has recovered."""
    sol = _run(PLAN.format(every="1 d"), 'campaign.time_step="2 h"',
               'campaign.termination.bath_superheat_min="-100 K"',
               'campaign.termination.alloy_superheat_min="-100 K"',
               'campaign.termination.max_duration="3 d"')
    days = sol["Time [d]"]
    volt, ce = sol["Cell voltage [V]"], sol["Current efficiency [-]"]
    after = np.isclose(days % 1.0, 1 / 12) & (days > 1)
    before = np.isclose(days % 1.0, 0.0) & (days > 1)
    assert volt[after].min() > volt[before].max()
    assert ce[after].min() > ce[before].max()
    assert ce.min() >= 0.90 and ce.max() <= 0.99


def test_each_charge_reports_every_layer_and_a_gentle_policy_runs_on() -> None:
    """Small frequent charges keep every layer liquid with margin and the cycle runs to its
    horizon; the action log gives each layer's temperature and superheat after each charge."""
    sol = _run(PLAN.format(every="2 h"), 'campaign.time_step="1 h"',
               'campaign.termination.max_duration="3 d"')
    assert sol.summary["cycle_days"] == pytest.approx(3.0)
    assert "superheat" not in sol.summary["termination"]
    charges = [a for a in sol.actions if a.kind == "charge_scrap"]
    assert charges
    for a in charges:
        d = a.detail
        assert d["bath_superheat_k"] > 10.0 and d["alloy_superheat_k"] > 20.0
        assert d["cathode_superheat_k"] > 100.0  # the refined-Al pad melts at 660 degC
        assert d["temperature_c"] <= 800.0 + 1e-9
    assert not any("pad would freeze" in w for w in sol.summary["warnings"])


def test_a_charge_that_would_freeze_the_pad_warns() -> None:
    """With the superheat limits switched off, a single huge cold charge takes the pot below
    the melting point of the refined-Al pad: the run warns that the pad would freeze."""
    sol = _run('campaign.actions=[{kind="charge_scrap",at="1 h",mass="400 kg"}]',
               'campaign.time_step="1 h"', 'campaign.termination.max_duration="4 h"',
               'campaign.termination.bath_superheat_min="-1000 K"',
               'campaign.termination.alloy_superheat_min="-1000 K"')
    charge = next(a for a in sol.actions if a.kind == "charge_scrap")
    assert charge.detail["cathode_superheat_k"] < 0
    assert any("pad would freeze" in w for w in sol.summary["warnings"])
