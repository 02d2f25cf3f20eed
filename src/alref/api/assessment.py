"""Service of `alref assess`: one campaign simulation -> economics, footprint, comparison.

The economics and footprint inputs are validated before the campaign runs (bad input fails
fast); everything is computed from that one `Solution` (`alref.assess.service`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from alref.api.results import OPTIONAL, Result
from alref.api.scenarios import ScenarioLike, load_scenario
from alref.assess.service import assess_solution, check_inputs
from alref.assess.steady_service import assess_steady, check_plant, versus_prototype
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
    pot_life: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    versus_prototype: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)
    schedule: dict[str, Any] | None = field(default=None, metadata=OPTIONAL)

    @classmethod
    def of(cls, assessment: Mapping[str, Any], citations: Iterable[str]) -> Assessment:
        """From an `assess_solution` dict and the citations behind it."""
        econ = dict(assessment["economics"])
        econ = {**{k: econ[k] for k in ECONOMICS_FIRST},
                **{k: v for k, v in econ.items() if k not in ECONOMICS_FIRST}}
        return cls(assessment["scenario"], econ, assessment["footprint"],
                   assessment["comparison"], assessment["cycle"], sorted(set(citations)),
                   assessment.get("pot_life"), assessment.get("versus_prototype"),
                   assessment.get("schedule"))


#: the plant `alref assess` reports when no scenario is given (commercial, steady state)
DEFAULT_ASSESS_SCENARIO = "rusal-60ka-plant"
#: the prototype plant the commercial plant is set against, line by line
PROTOTYPE_SCENARIO = "rusal-3ka-twitch"


def assess(scenario: ScenarioLike = None, overrides: Iterable[str] = (),
           progress: Callable[[float], None] | None = None, compare: bool = True) -> Assessment:
    """Economics, footprint and comparison of a scenario (preset name, TOML path or
    `Scenario`; default: the commercial plant `DEFAULT_ASSESS_SCENARIO`); `progress` gets
    the fraction done. A scenario whose `economics.plant` is a steady-state plant runs its
    pot over many cycles (`alref.assess.steady_service`) and, with `compare`, is set
    against the prototype plant line by line."""
    sc = load_scenario(scenario if scenario is not None else DEFAULT_ASSESS_SCENARIO, overrides)
    with track_citations() as tracker:
        check_inputs(sc)
        _name, table = check_plant(sc)
        if table["operation"] == "steady_state":
            out, res = assess_steady(sc, progress)
            cites = res.citations
            if compare:
                proto = _prototype_of(sc)
                psim = Simulation.from_scenario(proto)
                psol = psim.run()
                out["versus_prototype"] = versus_prototype(out, assess_solution(proto, psim, psol))
                cites = [*cites, *psol.citations]
        else:
            sim = Simulation.from_scenario(sc)
            sol = sim.run(progress)
            out = assess_solution(sc, sim, sol)
            cites = sol.citations
    return Assessment.of(out, [*cites, *tracker.sorted_keys()])


def _prototype_of(sc: Scenario) -> Scenario:
    """The prototype preset priced with the scenario's economics and footprint settings."""
    changes: dict[str, Any] = {}
    for section in ("economics", "footprint"):
        for k, v in getattr(sc, section).model_dump().items():
            if v is not None and k != "plant" and v != {}:
                changes[f"{section}.{k}"] = v
    return load_scenario(PROTOTYPE_SCENARIO).derive(changes)


def assess_campaign(sc: Scenario, sol: Solution) -> Assessment:
    """Economics, footprint and comparison of an already simulated campaign of `sc`."""
    with track_citations() as tracker:
        out = assess_solution(sc, Simulation.from_scenario(sc), sol)
    return Assessment.of(out, [*sol.citations, *tracker.sorted_keys()])
