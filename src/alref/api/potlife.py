"""Service of `alref pot-life`: one pot over many cycles with its anode kept (steady state)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from alref.api.scenarios import ScenarioLike, load_scenario
from alref.campaign.potlife import PotLife, PotLifePlan, PotLifeResult
from alref.campaign.schedule import plant_schedule as schedule


def pot_life(scenario: ScenarioLike = None, overrides: Iterable[str] = (), cycles: int = 10,
             plan: PotLifePlan | None = None,
             progress: Callable[[float], None] | None = None) -> PotLifeResult:
    """Run a scenario's pot for `cycles` cycles, keeping its anode alloy and bath
    (`alref.campaign.potlife`); `.to_dict()` is the `alref pot-life --json` object."""
    return PotLife.from_scenario(load_scenario(scenario, overrides), plan).run(cycles, progress)


def plant_schedule(result: PotLifeResult, pots: int, days: int = 365) -> dict[str, Any]:
    """`pots` pots of `result`'s steady cycle on staggered cycles over `days` days
    (`alref.campaign.schedule`): daily metal by grade, power, drains and rebuilds."""
    return schedule(result, pots, days)
