"""Service of `alref assess`: one campaign simulation -> economics, footprint, comparison.

The economics and footprint inputs are validated before the campaign runs (bad input fails
fast); everything is computed from that one `Solution` (`alref.assess.service`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from alref.api.results import Result
from alref.api.scenarios import ScenarioLike, load_scenario
from alref.assess.service import assess_solution, check_inputs
from alref.campaign.simulation import Simulation
from alref.campaign.solution import Solution
from alref.citations import track_citations
from alref.scenario import Scenario

#: economics keys of the CLI contract (ARCHITECTURE.md §6), printed first
ECONOMICS_FIRST = ("margin_usd_per_t", "revenue_usd_per_t", "cost_breakdown_usd_per_t", "npv_usd",
                   "irr", "break_even_scrap_pct_lme", "break_even_power_usd_per_mwh")


@dataclass(frozen=True)
class Assessment(Result):
    """`alref assess --json`: economics (contract keys first, the cash-flow table last),
    footprint, route comparison, the campaign figures used, and the citations."""

    scenario: str
    economics: dict[str, Any]
    footprint: dict[str, Any]
    comparison: list[dict[str, Any]]
    cycle: dict[str, Any]
    citations: list[str]

    @classmethod
    def of(cls, assessment: Mapping[str, Any], citations: Iterable[str]) -> Assessment:
        """From an `assess_solution` dict and the citations behind it."""
        econ = dict(assessment["economics"])
        econ = {**{k: econ[k] for k in ECONOMICS_FIRST},
                **{k: v for k, v in econ.items() if k not in ECONOMICS_FIRST}}
        return cls(assessment["scenario"], econ, assessment["footprint"],
                   assessment["comparison"], assessment["cycle"], sorted(set(citations)))


def assess(scenario: ScenarioLike = None, overrides: Iterable[str] = (),
           progress: Callable[[float], None] | None = None) -> Assessment:
    """Economics, footprint and comparison of a scenario (preset name, TOML path or
    `Scenario`); `progress` gets the campaign's fraction done."""
    sc = load_scenario(scenario, overrides)
    with track_citations() as tracker:
        check_inputs(sc)
        sim = Simulation.from_scenario(sc)
        sol = sim.run(progress)
        out = assess_solution(sc, sim, sol)
    return Assessment.of(out, [*sol.citations, *tracker.sorted_keys()])


def assess_campaign(sc: Scenario, sol: Solution) -> Assessment:
    """Economics, footprint and comparison of an already simulated campaign of `sc`."""
    with track_citations() as tracker:
        out = assess_solution(sc, Simulation.from_scenario(sc), sol)
    return Assessment.of(out, [*sol.citations, *tracker.sorted_keys()])
