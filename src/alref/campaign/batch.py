"""`run_batch`: many simulations through the campaign engine at once (S = n).

Simulations that share a plan, bath family and design variant (`engine.plan_key`) form one
engine of n rows; each row keeps its own pot, inputs, feed, current profile and state, so a
row's result is the same as the simulation run alone under the same operating-point
strategy. The default strategy for batches is `Hold` (solve the operating point, hold it and
track E_rev; `alref.campaign.operating_point`); `Resolve` reproduces `Simulation.run`.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from typing import Any

from alref.campaign.engine import Engine, plan_key
from alref.campaign.operating_point import Strategy
from alref.campaign.operating_point import strategy as make_strategy
from alref.campaign.results import KPI_KEYS, kpis
from alref.campaign.simulation import Simulation
from alref.cell.design import CellDesign
from alref.properties.registry import RangeWarning

#: KPIs compared between strategies and kept by studies
KPIS = ("cycle_days", "energy_kwh_per_kg", "product_al_wt_pct", "residue_kg",
        "current_efficiency")
#: what each strategy is called in study rows and benchmarks
ENGINE_NAMES = {"hold": "batch", "resolve": "reference"}

__all__ = ["KPIS", "KPI_KEYS", "run_batch"]


def run_batch(sims: Sequence[Simulation], strategy: str | Strategy = "hold"
              ) -> list[dict[str, Any]]:
    """KPI summaries (`results.KPI_KEYS` + "engine") of built simulations, computed
    together, in the order of `sims`; {"scenario", "error"} for a row whose run failed."""
    out: list[dict[str, Any] | None] = [None] * len(sims)
    designs: dict[tuple[str, float], CellDesign] = {}
    groups: dict[str, list[int]] = {}
    rows = []
    for i, sim in enumerate(sims):
        row = sim.row(_canonical(designs, sim.design))
        rows.append(row)
        groups.setdefault(plan_key(row), []).append(i)
    for idx in groups.values():
        # a fresh strategy per engine (it keeps per-row state), with the given settings
        strat = make_strategy(strategy if isinstance(strategy, str) else copy.deepcopy(strategy))
        name = ENGINE_NAMES.get(strat.name, strat.name)
        with warnings.catch_warnings():  # range notes are the single run's job (summary)
            warnings.simplefilter("ignore", RangeWarning)
            eng = Engine([rows[i] for i in idx], strat).run()
            for k, i in enumerate(idx):
                res = kpis(eng, k)
                out[i] = res if "error" in res else {**res, "engine": name}
    return [r if r is not None else {"error": "not run"} for r in out]


def _canonical(designs: dict[tuple[str, float], CellDesign], design: CellDesign) -> CellDesign:
    """One design object per set of values the operating point depends on: designs that
    differ only in their [transfer] data (used by the campaign processes, not by the pot
    model) share one, so the pot model's heat-loss cache serves them all."""
    key = (design.spec.model_dump_json(exclude={"transfer"}), design.scale)
    return designs.setdefault(key, design)
