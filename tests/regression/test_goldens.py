"""Regression goldens: every preset's campaign (summary, lots, thinned time series) must
stay as stored. `pytest --update-golden` rewrites them after a deliberate model change."""

from __future__ import annotations

import json

import pytest

from alref.campaign.simulation import Simulation
from alref.scenario import load_scenario, preset_names
from tests.regression.golden_io import GOLDEN_DIR, differences, golden_record, to_json


@pytest.mark.parametrize("preset", preset_names())
def test_preset_matches_golden(preset: str, request: pytest.FixtureRequest) -> None:
    sol = Simulation.from_scenario(load_scenario(preset)).run()
    record = json.loads(to_json(golden_record(sol)))
    path = GOLDEN_DIR / f"{preset}.json"
    if request.config.getoption("--update-golden"):
        path.write_text(to_json(record))
        return
    assert path.exists(), f"no golden for {preset}: run pytest --update-golden"
    diff = differences(json.loads(path.read_text()), record, preset)
    assert not diff, f"{len(diff)} differences from the golden, first: " + "; ".join(diff[:8])


def test_golden_comparison_can_fail() -> None:
    """The comparison flags a moved KPI, a moved lot and a moved time point."""
    base = {"summary": {"cycle_days": 41.75}, "lots": [{"mass_kg": 20.0}],
            "series": {"Cell voltage [V]": [3.0, 3.1]}}
    assert not differences(base, json.loads(json.dumps(base)))
    for path, value in ((("summary", "cycle_days"), 42.0), (("lots", 0, "mass_kg"), 20.01),
                        (("series", "Cell voltage [V]", 1), 3.1001)):
        moved = json.loads(json.dumps(base))
        node = moved
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value
        assert differences(base, moved)


def test_limit_ranking_tolerates_ties_only() -> None:
    """Two limits tied at 1.0 (within the tolerance) may swap in `closest_limits`; a swap
    with a limit of a different remaining fraction is a difference."""
    base = {"closest_limits": ["a", "b", "c"],
            "limits": {"a": {"remaining_fraction": 0.5}, "b": {"remaining_fraction": 1.0},
                       "c": {"remaining_fraction": 1.0}, "d": {"remaining_fraction": 1.0 + 7e-16},
                       "e": {"remaining_fraction": 1.2}}}
    tie = json.loads(json.dumps(base))
    tie["closest_limits"] = ["a", "d", "c"]
    assert not differences(base, tie)
    moved = json.loads(json.dumps(base))
    moved["closest_limits"] = ["a", "b", "e"]
    assert differences(base, moved) == [".closest_limits[2]: expected 'c', got 'e'"]
    assert differences(base, {**base, "closest_limits": ["a", "b"]})
