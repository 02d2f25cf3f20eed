"""Service of `alref simulate`: one campaign (cycle) of a pot."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from alref.api.results import INTERNAL, OPTIONAL, SPREAD, Result
from alref.api.scenarios import ScenarioLike, load_scenario
from alref.campaign.simulation import Simulation
from alref.campaign.solution import Solution


def simulate(scenario: ScenarioLike = None, overrides: Iterable[str] = (),
             progress: Callable[[float], None] | None = None) -> Solution:
    """Simulate a pot's campaign (cycle) for a scenario; returns the `Solution`
    (`simulation_result` turns it into the `alref simulate --json` object)."""
    return Simulation.from_scenario(load_scenario(scenario, overrides)).run(progress)


@dataclass(frozen=True)
class SimulationResult(Result):
    """`alref simulate --json`: the CLI contract keys first, then the other KPIs of the
    campaign summary (`extra`), the citations and, with `--out`, the run folder."""

    scenario: str
    current_a: float
    cycle_days: float
    termination: str
    product_kg: float
    scrap_charged_kg: float
    current_efficiency: float
    mean_cell_voltage_v: float
    voltage_breakdown_v: dict[str, float]
    energy_kwh_per_kg: float
    product_al_wt_pct: float
    lots: list[dict[str, Any]]
    residue_kg: float
    residue_composition_wt_pct: dict[str, float]
    bath_final_composition_wt_pct: dict[str, float]
    mass_balance_rel_error: float
    extra: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)
    citations: list[str] = field(default_factory=list)
    run_folder: str | None = field(default=None, metadata=OPTIONAL)
    solution: Solution | None = field(default=None, repr=False, compare=False, metadata=INTERNAL)

    @classmethod
    def from_solution(cls, sol: Solution, run_folder: str | None = None) -> SimulationResult:
        """The result of a finished campaign (`run_folder`: where `--out` wrote it)."""
        return cls.from_mapping(sol.summary, citations=list(sol.citations),
                                run_folder=run_folder, solution=sol)


def simulation_result(sol: Solution, run_folder: str | None = None) -> SimulationResult:
    """`SimulationResult.from_solution`."""
    return SimulationResult.from_solution(sol, run_folder)
