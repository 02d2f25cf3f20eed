"""`alref bench`: the reference solver and the batch engine on the same scenarios.

The scenarios are a Monte Carlo sample of a scenario (default: the default scenario) over
its scrap composition spread and the entrainment coefficient. The reference solver
(`Simulation.run`) runs the first `n_reference` of them; the batch engine runs all
`n_batch` (which include those) in one call, as a study would. Both timings include
building each sample's simulation. KPIs are compared on the common scenarios.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from alref.campaign.batch import KPIS, run_batch
from alref.errors import ConfigError
from alref.scenario import load_raw
from alref.study.samples import SampleBuilder
from alref.study.sampling import make_design
from alref.study.spec import parse_factors

BENCH_VARY = ("feed.composition", "cell.parameters.transfer.entrainment_kg_per_a_s")


def rel_diff(a: float, b: float) -> float:
    """|a - b| / |b| (0 when both are 0, inf when only b is)."""
    if a == b:
        return 0.0
    return abs(a - b) / abs(b) if b != 0 else float("inf")


def bench(scenario: str | None = None, n_reference: int = 8, n_batch: int = 400, seed: int = 0,
          vary: tuple[str, ...] = BENCH_VARY) -> dict[str, Any]:
    """Throughput of both engines and their largest KPI difference (see module docstring)."""
    if n_reference < 1:
        raise ConfigError("--reference", "must be >= 1")
    if n_batch < n_reference:
        raise ConfigError("--batch", f"must be >= --reference ({n_reference})")
    raw = load_raw(scenario)
    factors = parse_factors(list(vary), raw, 0.1)
    design = make_design("mc", factors, n_batch, seed, raw)
    builder = SampleBuilder(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        builder.build(design.row(0)).run()  # warm caches (data files, correlations)
        run_batch([builder.build(design.row(0))])
        t0 = time.perf_counter()
        ref = [builder.build(design.row(i)).run().summary for i in range(n_reference)]
        t_ref = time.perf_counter() - t0
        t0 = time.perf_counter()
        sims = [builder.build(design.row(i)) for i in range(n_batch)]
        batch = run_batch(sims)
        t_batch = time.perf_counter() - t0
    diffs: dict[str, float] = {}
    for k in KPIS:
        diffs[k] = max(rel_diff(b[k], r[k]) for b, r in zip(batch, ref, strict=False))
    impurity = max(rel_diff(100 - b["product_al_wt_pct"], 100 - r["product_al_wt_pct"])
                   for b, r in zip(batch, ref, strict=False))
    ref_rate = n_reference / t_ref
    batch_rate = n_batch / t_batch
    return {
        "scenario": raw.get("name", scenario),
        "vary": list(vary),
        "reference_scenarios": n_reference,
        "batch_scenarios": n_batch,
        "reference_seconds": t_ref,
        "batch_seconds": t_batch,
        "reference_scenarios_per_s": ref_rate,
        "batch_scenarios_per_s": batch_rate,
        "speedup": batch_rate / ref_rate,
        "max_kpi_rel_diff": max(diffs.values()),
        "kpi_rel_diff": diffs,
        "product_impurity_rel_diff": impurity,
        "batch_failed": int(sum("error" in b for b in batch)),
        "cycle_days_reference": [r["cycle_days"] for r in ref],
        "cycle_days_batch": [b.get("cycle_days", float(np.nan)) for b in batch[:n_reference]],
    }
