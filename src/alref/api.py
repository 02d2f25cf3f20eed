"""Service functions behind the CLI (and the future web API). No printing here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from alref import citations
from alref.campaign.simulation import Simulation
from alref.campaign.solution import Solution
from alref.cell.design import design_names, load_design
from alref.cell.model import CellModel, OperatingPoint
from alref.errors import ConfigError
from alref.parameters import ParameterSet
from alref.scenario import load_raw, load_scenario, preset_names


def cell_operating_point(scenario: str | None = None, overrides: Iterable[str] = ()) -> OperatingPoint:
    """Steady-state operating point of a scenario (preset name or TOML path)."""
    return CellModel(load_scenario(scenario, overrides)).solve()


def simulate(
    scenario: str | None = None,
    overrides: Iterable[str] = (),
    progress: Callable[[float], None] | None = None,
) -> Solution:
    """Simulate a pot's campaign (cycle) for a scenario; returns a `Solution`."""
    return Simulation.from_scenario(load_scenario(scenario, overrides)).run(progress)


def simulation_json(sol: Solution) -> dict[str, Any]:
    """The `alref simulate --json` object (CLI contract keys first, then extras)."""
    s = sol.summary
    keys = (
        "scenario", "current_a", "cycle_days", "termination", "product_kg", "scrap_charged_kg",
        "current_efficiency", "mean_cell_voltage_v", "voltage_breakdown_v", "energy_kwh_per_kg",
        "product_al_wt_pct", "lots", "residue_kg", "residue_composition_wt_pct",
        "bath_final_composition_wt_pct", "mass_balance_rel_error",
    )
    out = {k: s[k] for k in keys}
    out.update({k: v for k, v in s.items() if k not in out})
    out["citations"] = list(sol.citations)
    return out


def write_run(sol: Solution, out_dir: str, scenario: str | None, overrides: Iterable[str],
              with_assessment: bool = True) -> str:
    """Write the run folder (time series, lots, summary, manifest, HTML report with the
    economics and footprint section) atomically."""
    from pathlib import Path

    import tomli_w

    from alref import __version__
    from alref.report import write_run_folder
    from alref.scenario import apply_overrides

    raw = apply_overrides(load_raw(scenario), overrides)
    sol.parameters = {
        p.name: {"value": p.value, "unit": p.unit, "source": p.source, "locator": p.locator,
                 "assumption": p.assumption}
        for p in ParameterSet.for_scenario(raw).values()
    }
    extra: list[str] = []
    if with_assessment:
        from alref.assess.service import assess_solution
        from alref.report.assess_section import render_assess_html

        sc = load_scenario(scenario, overrides)
        extra.append(render_assess_html(assess_solution(sc, Simulation.from_scenario(sc), sol)))
    try:
        path = write_run_folder(sol, Path(out_dir), alref_version=__version__,
                                scenario_toml=tomli_w.dumps(raw), extra_html=extra)
    except FileExistsError as exc:
        raise ConfigError("--out", str(exc)) from None
    return str(path)


def list_scenarios() -> list[dict[str, Any]]:
    """Built-in scenario presets with their design and current."""
    rows = []
    for name in preset_names():
        sc = load_scenario(name)
        rows.append({
            "name": name,
            "description": sc.description,
            "design": sc.cell.design,
            "current": sc.cell.current,
            "temperature": sc.cell.temperature,
            "electrolyte_family": sc.electrolyte.family,
            "feed": sc.feed.scrap,
        })
    return rows


def list_designs() -> list[dict[str, Any]]:
    """Built-in cell designs."""
    return [
        {"name": n, "title": load_design(n).spec.title, "variant": load_design(n).variant,
         "rated_current_a": load_design(n).rated_current_a}
        for n in design_names()
    ]


def parameters(scenario: str | None = None, overrides: Iterable[str] = ()) -> ParameterSet:
    """ParameterSet of a scenario and its design (overrides applied)."""
    from alref.scenario import apply_overrides

    raw = apply_overrides(load_raw(scenario), overrides)
    load_scenario(scenario, overrides)  # validate
    return ParameterSet.for_scenario(raw)


def cite_scenario(scenario: str | None = None, overrides: Iterable[str] = ()) -> dict[str, Any]:
    """Every reference a scenario's result rests on: parameter sources + correlations used."""
    params = parameters(scenario, overrides)
    op = cell_operating_point(scenario, overrides)
    used: dict[str, list[str]] = {}
    for p in params.values():
        if p.source:
            used.setdefault(p.source, []).append(p.name)
    for key in op.citations:
        used.setdefault(key, []).append("model correlations and data")
    refs = []
    for key in sorted(used):
        ref = citations.get(key)
        refs.append({"key": key, "reference": ref.short(), "used_for": sorted(set(used[key]))})
    assumptions = [{"name": p.name, "reason": p.assumption} for p in params.assumptions()]
    return {"scenario": op.scenario, "references": refs, "assumptions": assumptions}
