"""Service of `alref compare RUN RUN…`: KPI deltas, the input diff and the time series of
two or more simulation runs.

The runs are plain mappings (loaded by the caller, e.g. `alref.store.runs.load_run`, from a
run folder or the catalogue) with ``id``, ``summary`` (KPIs), ``inputs`` (the scenario as
run, flattened to dotted keys) and ``series`` (name -> values, with ``Time [d]``).

`input_diff` lists exactly the inputs whose values differ between the runs (a key absent
from one run counts as different, shown as None there); equal inputs are left out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alref.api.results import INTERNAL, Result
from alref.errors import ConfigError

#: KPIs shown first, in this order (others follow alphabetically)
KEY_KPIS = ("cycle_days", "product_kg", "product_al_wt_pct", "product_in_grade_fraction",
            "energy_kwh_per_kg", "mean_cell_voltage_v", "current_efficiency", "scrap_charged_kg",
            "residue_kg", "current_a")
#: series overlaid in the comparison report
KEY_SERIES = ("Cell voltage [V]", "Bath temperature [degC]", "Product Al [wt %]")


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v) if math.isfinite(float(v)) else None


def input_diff(inputs: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """{dotted key: [value of each run]} for every key whose values are not all equal."""
    keys: list[str] = []
    for table in inputs:
        keys += [k for k in table if k not in keys]
    out = {}
    for k in sorted(keys):
        values = [table.get(k) for table in inputs]
        if any(v != values[0] for v in values[1:]):
            out[k] = values
    return out


def kpi_deltas(summaries: Sequence[Mapping[str, Any]], ids: Sequence[str]) -> dict[str, Any]:
    """{kpi: {values: {id: v}, delta: {id: v - first}, rel_delta: {id: (v - first)/|first|}}}
    for every numeric scalar KPI of any run (the first run is the reference)."""
    names = [k for k in KEY_KPIS if any(_number(s.get(k)) is not None for s in summaries)]
    others = sorted({k for s in summaries for k, v in s.items()
                     if _number(v) is not None and k not in names})
    out = {}
    for k in names + others:
        vals = [_number(s.get(k)) for s in summaries]
        ref = vals[0]
        out[k] = {
            "values": dict(zip(ids, vals, strict=True)),
            "delta": {i: (None if v is None or ref is None else v - ref)
                      for i, v in zip(ids, vals, strict=True)},
            "rel_delta": {i: (None if v is None or not ref else (v - ref) / abs(ref))
                          for i, v in zip(ids, vals, strict=True)},
        }
    return out


@dataclass(frozen=True)
class RunComparison(Result):
    """`alref compare --json`: the runs, KPI deltas against the first run, the input diff."""

    runs: list[dict[str, Any]]
    kpi_deltas: dict[str, Any]
    input_diff: dict[str, list[Any]]
    series: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False,
                                              metadata=INTERNAL)


def compare_runs(runs: Sequence[Mapping[str, Any]]) -> RunComparison:
    """Compare two or more runs (ConfigError naming RUN for fewer than two or a repeated id)."""
    if len(runs) < 2:
        raise ConfigError("RUN", "give at least two runs to compare")
    ids = [str(r["id"]) for r in runs]
    if len(set(ids)) != len(ids):
        # the same run folder name twice: disambiguate by position
        ids = [f"{i}#{n + 1}" for n, i in enumerate(ids)]
    series = {i: dict(r.get("series") or {}) for i, r in zip(ids, runs, strict=True)}
    return RunComparison(
        runs=[{"id": i, "scenario": r.get("scenario"), "path": r.get("path"),
               "termination": (r.get("summary") or {}).get("termination")}
              for i, r in zip(ids, runs, strict=True)],
        kpi_deltas=kpi_deltas([r.get("summary") or {} for r in runs], ids),
        input_diff=input_diff([r.get("inputs") or {} for r in runs]),
        series=series,
    )
