"""`Solution`: the result of a campaign simulation (PyBaMM-like).

Named time series with units in their names (``sol["Cell voltage [V]"]``), tapped lots,
the actions log, residue, summary KPIs (typed: ``sol.kpis``), the termination reason and
the citations used. Tables (``to_frame``, ``lots_frame``, ``actions_frame``), ``plot`` and
``save`` / ``load`` need the ``report`` extra (pandas, pyarrow, matplotlib), imported on
first use. The run-folder data live in `alref.campaign.solution_io`; the HTML report in
`alref.report` (one layer up).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from alref.campaign.records import Action, Lot
from alref.extras import needs_extras, require

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

SECONDS_PER_DAY = 86400.0


def _fmt(value: Any, spec: str) -> str:
    return format(value, spec) if isinstance(value, int | float) else str(value)


@dataclass(frozen=True)
class Kpis:
    """The key results of a run, named exactly as the keys of ``alref simulate --json``.

    Built from `Solution.summary` (plus the citations); a key the run did not report is
    None. `to_dict()` gives the JSON object of the CLI contract.
    """

    scenario: str | None = None
    current_a: float | None = None
    cycle_days: float | None = None
    termination: str | None = None
    product_kg: float | None = None
    scrap_charged_kg: float | None = None
    current_efficiency: float | None = None
    mean_cell_voltage_v: float | None = None
    voltage_breakdown_v: dict[str, float] | None = None
    energy_kwh_per_kg: float | None = None
    dc_energy_kwh_per_kg: float | None = None
    auxiliary_energy_kwh_per_kg: float | None = None
    product_al_wt_pct: float | None = None
    lots: list[dict[str, Any]] | None = None
    residue_kg: float | None = None
    residue_composition_wt_pct: dict[str, float] | None = None
    bath_final_composition_wt_pct: dict[str, float] | None = None
    mass_balance_rel_error: float | None = None
    mode: str | None = None
    design: str | None = None
    product_in_grade_fraction: float | None = None
    target_grade: str | None = None
    residue_phases_kg: dict[str, float] | None = None
    bath_final_kg: float | None = None
    mass_balance_rel_error_by_element: dict[str, float] | None = None
    feed_composition_wt_pct: dict[str, float] | None = None
    termination_limit: str | None = None
    charge_cooling_max_k: float | None = None
    heater_shortfall_max_kw: float | None = None
    limits: dict[str, dict[str, Any]] | None = None
    closest_limits: list[str] | None = None
    product_routes: dict[str, dict[str, float]] | None = None
    mass_ledger_kg: dict[str, dict[str, dict[str, float]]] | None = None
    warnings: list[str] | None = None
    citations: list[str] | None = None

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any], citations: Sequence[str] | None = None
                     ) -> Kpis:
        """KPIs from a `Solution.summary` dict (keys that are not fields are left out)."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in summary.items() if k in names}
        if citations is not None:
            values["citations"] = list(citations)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Field name -> value (a shallow copy; containers are the summary's own)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(repr=False)
class Solution:
    """Everything a campaign run produced."""

    scenario: str
    scenario_hash: str
    time_s: np.ndarray
    series: dict[str, np.ndarray]  # name with unit in brackets -> values at time_s
    lots: list[Lot]
    actions: list[Action]
    residue_kg: float
    residue_composition_wt_pct: dict[str, float]
    summary: dict[str, Any]
    termination: str
    citations: list[str]
    grade_limits: dict[str, dict[str, float]] = field(default_factory=dict)  # grade -> El -> max wt %
    seed: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)  # name -> {value, unit, source|assumption}

    def __getitem__(self, name: str) -> np.ndarray:
        if name in ("Time [s]",):
            return self.time_s
        if name == "Time [d]":
            return self.time_s / SECONDS_PER_DAY
        try:
            return self.series[name]
        except KeyError:
            raise KeyError(f"no series {name!r}; available: {sorted(self.series)}") from None

    @property
    def names(self) -> list[str]:
        return sorted(self.series)

    def __repr__(self) -> str:
        s = self.summary
        days = s.get("cycle_days", self.time_s[-1] / SECONDS_PER_DAY if len(self.time_s) else 0.0)
        product = s.get("product_kg", sum(lot.mass_kg for lot in self.lots))
        purity = s.get("product_al_wt_pct")
        at = f" at {purity:.3f} wt % Al" if isinstance(purity, float) else ""
        return (f"<Solution {self.scenario}: {_fmt(days, '.2f')} d, {_fmt(product, '.1f')} kg "
                f"product{at}, {len(self.lots)} lots; ended: {self.termination}>")

    @property
    def kpis(self) -> Kpis:
        """The key results, typed (`Kpis`, named as the ``alref simulate --json`` keys)."""
        return Kpis.from_summary(self.summary, self.citations)

    # ------------------------------------------------------------------ tables
    def to_frame(self) -> pd.DataFrame:
        """The time series as a pandas DataFrame: one column per series (names with
        units), indexed by ``Time [d]``."""
        with needs_extras("Solution.to_frame"):
            from alref.campaign.solution_tables import TIME_D, TIME_S, timeseries_frame
        return timeseries_frame(self).drop(columns=TIME_S).set_index(TIME_D)

    def lots_frame(self) -> pd.DataFrame:
        """One row per tapped lot: t_days, mass_kg, al_wt_pct, grade, <El>_wt_pct ..."""
        with needs_extras("Solution.lots_frame"):
            from alref.campaign.solution_tables import lots_frame
        return lots_frame(self)

    def actions_frame(self) -> pd.DataFrame:
        """One row per action carried out: t_days, kind, then the actions' detail keys."""
        with needs_extras("Solution.actions_frame"):
            from alref.campaign.solution_tables import actions_frame
        return actions_frame(self)

    # ------------------------------------------------------------------ plot
    def plot(self, names: str | Sequence[str], ax: Axes | Sequence[Axes] | None = None
             ) -> list[Axes]:
        """Plot series against time in days, one subplot per name; returns the axes.

        `ax`: an Axes (one name) or one Axes per name to draw into; by default a new
        figure with stacked subplots sharing the time axis.
        """
        names = [names] if isinstance(names, str) else list(names)
        if not names:
            raise ValueError("no series names given; see Solution.names")
        values = [self[n] for n in names]  # KeyError names the available series
        if ax is None:
            plt = require("matplotlib.pyplot", "Solution.plot")
            _fig, grid = plt.subplots(len(names), 1, sharex=True, squeeze=False,
                                      figsize=(7.0, 1.2 + 2.0 * len(names)))
            axes = list(grid[:, 0])
        else:
            axes = [ax] if not isinstance(ax, Sequence | np.ndarray) else list(np.ravel(ax))
            if len(axes) != len(names):
                raise ValueError(f"{len(names)} names but {len(axes)} axes")
        t_d = self.time_s / SECONDS_PER_DAY
        for a, name, y in zip(axes, names, values, strict=True):
            a.plot(t_d, y)
            a.set_ylabel(name)
            a.grid(True, alpha=0.3)
        axes[0].set_title(self.scenario)
        axes[-1].set_xlabel("Time [d]")
        return axes

    # ------------------------------------------------------------------ run folder
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the run folder's data (Parquet series, lots and actions CSV, summary,
        solution and manifest JSON) to `path` atomically; returns the folder's path.

        A previous run folder at `path` is replaced; any other non-empty directory is
        refused (FileExistsError). `Solution.load(path)` reads it back.
        """
        require("pyarrow", "Solution.save")
        with needs_extras("Solution.save"):
            from alref.campaign.solution_io import write_solution_folder
        return write_solution_folder(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Solution:
        """The Solution stored in a run folder (`save`, ``alref simulate --out``)."""
        require("pyarrow", "Solution.load")
        with needs_extras("Solution.load"):
            from alref.campaign.solution_io import load_solution
        return load_solution(path, cls)
