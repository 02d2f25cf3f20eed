"""The service layer: one function per command, each returning a typed result.

Every `alref` command (and the web dashboard) calls a function here; it returns a frozen
dataclass whose `to_dict()` is the command's ``--json`` object (ARCHITECTURE.md §6). No
printing and no argument parsing here; no logic in the CLI.

- ``alref cell``: `cell_operating_point` -> `OperatingPoint`
- ``alref simulate``: `simulate` -> `Solution`; `simulation_result` -> `SimulationResult`
- ``alref assess``: `assess`, `assess_campaign` -> `Assessment`
- ``alref pot-life``: `pot_life` -> `alref.campaign.potlife.PotLifeResult`; `plant_schedule`
- ``alref blend``: `blend` -> `BlendResult`
- ``alref study sweep|mc|sobol|morris``: `plan_study`, `study` -> `StudyRun`
- ``alref bench``: `bench` -> `BenchResult`
- ``alref compare RUN RUN...``: `compare_runs` -> `RunComparison`
- ``alref runs list|show|compare``: `runs_list`, `runs_show`, `runs_compare` ->
  `StoredEntries`, `StoredEntry`, `EntryComparison`
- ``alref validate``: `validate` -> `ValidationSummary`
- ``alref calibrate``: `calibrate` -> `CalibrationResult`
- ``alref props electrolyte|alloy``: `electrolyte_properties`, `alloy_properties` ->
  `ElectrolyteProperties`, `AlloyProperties`
- ``alref thermo series``: `electrochemical_series` -> `ElectrochemicalSeries`
- ``alref grade``: `grade` -> `GradeResult`
- ``alref scrap list|show``: `scrap_classes`, `scrap_class_detail` -> `ScrapClasses`,
  `ScrapClassDetail`
- ``alref scenarios``: `scenario_catalog` -> `ScenarioCatalog`; ``alref scenarios
  show|export``: `preset_toml`, `scenario_toml` -> TOML text
- ``alref params list|show|cite``: `parameter_table`, `parameter`, `cite_scenario` ->
  `ParameterTable`, `ParameterRow`, `CitationReport`

Scenario services take a preset name or TOML path with ``--set``-style overrides, or a
validated `Scenario` (`load_scenario`). Stores (`alref.store`) sit above this layer: the
caller opens one and passes it in. Names are imported on first use, so ``import alref.api``
stays cheap and needs no optional extra; the modules are named apart from the functions
(`alref.api.simulation` holds `simulate`), so a function is never shadowed by its module.
"""

from __future__ import annotations

import importlib
from typing import Any

_MODULES = {
    "alref.api.assessment": ("Assessment", "assess", "assess_campaign"),
    "alref.api.blending": ("BlendResult", "blend"),
    "alref.api.cell": ("OperatingPoint", "cell_operating_point"),
    "alref.api.materials": ("GradeResult", "ScrapClassDetail", "ScrapClasses", "grade",
                            "scrap_class_detail", "scrap_classes"),
    "alref.api.potlife": ("plant_schedule", "pot_life"),
    "alref.api.props": ("AlloyProperties", "ElectrochemicalSeries", "ElectrolyteProperties",
                        "alloy_properties", "electrochemical_series", "electrolyte_properties"),
    "alref.api.results": ("Result",),
    "alref.api.compare": ("RunComparison", "compare_runs"),
    "alref.api.runs": ("EntryComparison", "RunStore", "StoredEntries", "StoredEntry",
                       "runs_compare", "runs_list", "runs_show"),
    "alref.api.scenarios": ("CitationReport", "ParameterRow", "ParameterTable", "ScenarioCatalog",
                            "ScenarioLike", "cite_scenario", "load_scenario", "parameter",
                            "parameter_set", "parameter_table", "preset_toml",
                            "scenario_catalog", "scenario_toml", "scenario_toml_table"),
    "alref.api.simulation": ("SimulationResult", "simulate", "simulation_result"),
    "alref.api.studies": ("BenchResult", "StudyRun", "StudyStore", "bench", "plan_study", "study"),
    "alref.api.validation": ("CalibrationResult", "ValidationSummary", "calibrate", "validate"),
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'alref.api' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
