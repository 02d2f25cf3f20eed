"""Services of `alref scenarios` (list, show, export) and `alref params list|show|cite`:
presets, designs and the parameters of a scenario with their provenance."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import tomli_w

from alref import citations, data
from alref.api.results import Result
from alref.cell.design import design_names, load_design
from alref.cell.model import CellModel
from alref.errors import ConfigError
from alref.parameters import Parameter, ParameterSet
from alref.scenario import DEFAULT_SCENARIO, Scenario, apply_overrides, load_raw, preset_names
from alref.scenario import load_scenario as _load

#: a scenario as the services take it: a preset name or TOML path (None: the default
#: scenario), or an already validated `Scenario`
ScenarioLike = str | Scenario | None


def load_scenario(scenario: ScenarioLike = None, overrides: Iterable[str] = ()) -> Scenario:
    """A validated `Scenario`: a preset or TOML file with `--set` overrides applied, or the
    `Scenario` given (overrides are refused then: derive the variant first)."""
    items = list(overrides)
    if isinstance(scenario, Scenario):
        if items:
            raise ConfigError("--set", "overrides apply to a preset name or TOML path, not to a "
                              "Scenario object")
        return scenario
    return _load(scenario, items)


def scenario_toml_table(scenario: str | None, overrides: Iterable[str] = ()) -> dict[str, Any]:
    """The raw scenario table with the overrides applied (what a run folder stores)."""
    return apply_overrides(load_raw(scenario), overrides)


@dataclass(frozen=True)
class ScenarioCatalog(Result):
    """`alref scenarios --json`: the built-in presets and cell designs."""

    scenarios: list[dict[str, Any]]
    designs: list[dict[str, Any]]


def scenario_catalog() -> ScenarioCatalog:
    """Built-in scenario presets (design, current, bath, feed) and cell designs."""
    rows = []
    for name in preset_names():
        sc = _load(name)
        rows.append({
            "name": name,
            "description": sc.description,
            "design": sc.cell.design,
            "current": sc.cell.current,
            "temperature": sc.cell.temperature,
            "electrolyte_family": sc.electrolyte.family,
            "feed": sc.feed.scrap,
        })
    designs = [
        {"name": n, "title": load_design(n).spec.title, "variant": load_design(n).variant,
         "rated_current_a": load_design(n).rated_current_a}
        for n in design_names()
    ]
    return ScenarioCatalog(rows, designs)


@dataclass(frozen=True)
class ParameterRow(Result, Parameter):
    """`alref params show --json`: one parameter (name, value, unit, source, locator,
    assumption) with its provenance."""

    @classmethod
    def of(cls, p: Parameter) -> ParameterRow:
        return cls(p.name, p.value, p.unit, p.source, p.locator, p.assumption)


@dataclass(frozen=True)
class ParameterTable(Result):
    """`alref params list --json`: every parameter of a scenario and its design."""

    parameters: list[ParameterRow]


def parameter_set(scenario: str | None = None, overrides: Iterable[str] = ()) -> ParameterSet:
    """ParameterSet of a scenario and its design (overrides applied and validated)."""
    items = list(overrides)
    raw = scenario_toml_table(scenario, items)
    _load(scenario, items)  # validate
    return ParameterSet.for_scenario(raw)


def parameter_table(scenario: str | None = None, overrides: Iterable[str] = ()) -> ParameterTable:
    """Every parameter of a scenario and its design, with value, unit and provenance."""
    return ParameterTable([ParameterRow.of(p) for p in parameter_set(scenario, overrides).values()])


def parameter(name: str, scenario: str | None = None) -> ParameterRow:
    """One parameter of a scenario (ConfigError naming it when unknown)."""
    return ParameterRow.of(parameter_set(scenario)[name])


@dataclass(frozen=True)
class CitationReport(Result):
    """`alref params cite --json`: the references and labelled assumptions of a result."""

    scenario: str
    references: list[dict[str, Any]]
    assumptions: list[dict[str, Any]]


def cite_scenario(scenario: str | None = None, overrides: Iterable[str] = ()) -> CitationReport:
    """Every reference a scenario's result rests on: parameter sources + correlations used."""
    items = list(overrides)
    params = parameter_set(scenario, items)
    op = CellModel.from_scenario(_load(scenario, items)).solve()
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
    return CitationReport(op.scenario, refs, assumptions)


def preset_toml(name: str) -> str:
    """The TOML text of a built-in preset, comments included (`alref scenarios show`).

    The text always names the preset (``name = "..."``), so a file written from it loads
    as the same scenario, with the same `Scenario.digest`, as the preset itself
    (`alref scenarios export NAME > FILE`). ConfigError naming SCENARIO if unknown."""
    if name not in preset_names():
        raise ConfigError("SCENARIO", f"unknown preset {name!r}; presets: {', '.join(preset_names())}")
    text = data.read_text(f"scenarios/{name}")
    if "name" not in load_raw(name) or not _declares_name(text):
        text = f"name = {json.dumps(name)}\n{text}"
    return text if text.endswith("\n") else text + "\n"


def scenario_toml(scenario: str | None = None, overrides: Iterable[str] = ()) -> str:
    """The TOML of a preset (its file, comments kept) or, with `overrides`, of the variant
    (`--set` applied and validated; written with tomli-w, without comments). Loading the
    text again gives the same scenario (same `Scenario.digest`)."""
    items = list(overrides)
    name = scenario or DEFAULT_SCENARIO
    if not items and name in preset_names():
        return preset_toml(name)
    raw = scenario_toml_table(name, items)
    sc = _load(name, items)  # validate, and name the variant as loading it would
    raw.setdefault("name", sc.name)
    return tomli_w.dumps(raw)


def _declares_name(text: str) -> bool:
    """Whether a TOML text sets the top-level ``name`` (before the first table)."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            return False
        if stripped.split("=", 1)[0].strip() == "name" and "=" in stripped:
            return True
    return False
