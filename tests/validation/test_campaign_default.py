"""Issue-4 campaign checks against the announced results (domain-physics §3, §9 V1-V2).

The RUSAL prototypes: stable 40-45 day cycles, about 9 MWh/t, > 99.7 % Al (P1020), 99.8 %
from Twitch (TMS; the calibration point of the Si-selective route's share),
residue concentrating Si, Fe, Cu and Zn. In alref these emerge from the pot's balances;
nothing here is an input of the model.
"""

from __future__ import annotations

import numpy as np
import pytest

from alref.api import simulate


@pytest.fixture(scope="module")
def default():
    return simulate()


def test_cycle_ends_for_a_physical_reason(default) -> None:
    s = default.summary
    assert 35.0 <= s["cycle_days"] <= 50.0
    assert "maximum duration" not in s["termination"]


def test_energy_and_purity(default) -> None:
    """The TMS 99.8 % Twitch point (issue 12: 99.75-99.85) with lots graded one by one:
    product Si follows the anode's, so the late lots of a Twitch cycle miss P1020A on Si
    and are downgraded, not the end of the cycle (the default plan runs to the liquidus)."""
    s = default.summary
    assert 8.0 <= s["energy_kwh_per_kg"] <= 10.5
    assert 99.75 <= s["product_al_wt_pct"] <= 99.85
    assert s["termination_limit"] not in ("in_grade_share", "max_duration")
    lots = s["lots"]
    assert len(lots) >= 30 and all("meets_target" in lot for lot in lots)
    assert lots[0]["meets_target"] and not lots[-1]["meets_target"]
    assert lots[-1]["composition_wt_pct"]["Si"] > lots[0]["composition_wt_pct"]["Si"]
    assert 0.0 < s["product_in_grade_fraction"] < 1.0


def test_residue_enriched_in_alloying_elements(default) -> None:
    s = default.summary
    feed, res = s["feed_composition_wt_pct"], s["residue_composition_wt_pct"]
    for el in ("Si", "Fe", "Cu", "Zn"):
        assert res[el] > feed[el], el


def test_bath_mgf2_builds_up(default) -> None:
    mg = default["Bath MgF2 [wt %]"]
    assert mg[0] == 0.0
    assert mg.max() > 1.0
    rises = np.diff(mg)
    assert (rises > 0).sum() > 0.8 * (rises != 0).sum()  # rises except at bath replacements


def test_mass_balance_every_element(default) -> None:
    errors = default.summary["mass_balance_rel_error_by_element"]
    assert errors and max(errors.values()) < 1e-6


def test_small_pot_needs_more_energy(default) -> None:
    small = simulate("rusal-500a-twitch")
    assert small.summary["energy_kwh_per_kg"] > default.summary["energy_kwh_per_kg"]


def _mean_lot(sol, el: str, days: float = 20.0) -> float:
    """Mean wt % of `el` over the lots of the first `days` (same period for every feed)."""
    return float(np.mean([lot.composition_wt_pct.get(el, 0.0) for lot in sol.lots
                          if lot.t_s <= days * 86400.0]))


def test_cleaner_scrap_lengthens_cycle_or_improves_purity(default) -> None:
    for clean in ("taint_tabor", "talc"):
        sol = simulate(None, [f'feed.scrap="{clean}"'])
        assert (sol.summary["cycle_days"] > default.summary["cycle_days"]
                or sol.summary["product_al_wt_pct"] > default.summary["product_al_wt_pct"])


def test_dirtier_scrap_shortens_cycle(default) -> None:
    sol = simulate(None, ['feed.scrap="tense"'])  # more Si than Twitch
    assert sol.summary["cycle_days"] < default.summary["cycle_days"]


def test_higher_anode_si_and_fe_load_raise_product_si_and_fe() -> None:
    """Same plan without bath corrections (whose make-up salts also carry Si and Fe), so
    that only the anode load differs between the feeds."""
    plan = ('campaign.actions=[{kind="charge_scrap", every="1 d", mass="hold_level"}, '
            '{kind="tap", every="1 d", start="1 d"}]')
    # without corrections the bath CR drifts up and its liquidus with it (issue 13 CR term):
    # the bath-superheat stop is relaxed so that the lots of both feeds can be paired
    hold = 'campaign.termination.bath_superheat_min="-200 K"'
    base = simulate(None, [plan, hold])
    si_rich = simulate(None, [plan, hold, 'feed.scrap="tense"'])  # Si 7.8 % vs 5.9 %
    assert _paired_difference(si_rich, base, "Si") > 0
    fe_rich = simulate(None, [plan, hold, 'feed.scrap="zorba"'])  # Fe 1.9 % vs 0.6 %
    assert _paired_difference(fe_rich, base, "Fe") > 0


def _paired_difference(a, b, el: str) -> float:
    """Mean difference of `el` between lots tapped on the same days (after day 1)."""
    lb = {round(x.t_s): x.composition_wt_pct.get(el, 0.0) for x in b.lots}
    diffs = [x.composition_wt_pct.get(el, 0.0) - lb[round(x.t_s)] for x in a.lots
             if round(x.t_s) in lb and x.t_s > 86400.0]
    assert len(diffs) >= 3
    return float(np.mean(diffs))


def test_doubling_current_doubles_daily_production(default) -> None:
    sol = simulate(None, ['cell.current="6 kA"'])
    rate = sol.summary["product_kg"] / sol.summary["cycle_days"]
    base = default.summary["product_kg"] / default.summary["cycle_days"]
    assert rate / base == pytest.approx(2.0, rel=0.1)
