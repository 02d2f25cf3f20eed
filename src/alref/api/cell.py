"""Service of `alref cell`: the steady-state operating point of a scenario."""

from __future__ import annotations

from collections.abc import Iterable

from alref.api.scenarios import ScenarioLike, load_scenario
from alref.cell.model import CellModel, OperatingPoint

__all__ = ["OperatingPoint", "cell_operating_point"]


def cell_operating_point(scenario: ScenarioLike = None,
                         overrides: Iterable[str] = ()) -> OperatingPoint:
    """Steady-state operating point of a scenario (preset name, TOML path or `Scenario`):
    voltage breakdown, current efficiency, heat balance, pot control. `to_dict()` is the
    `alref cell --json` object."""
    return CellModel.from_scenario(load_scenario(scenario, overrides)).solve()
