"""Statistics and sensitivities of a finished study.

* distributions of each output over the successful samples (mean, sd, percentiles);
* tornado swings: the mean output over the samples in the lowest and the highest fifth
  of each input (Monte Carlo, sweeps), with Spearman's rank correlation;
* Sobol first-order and total indices with bootstrap confidence intervals
  (`SALib.analyze.sobol`, Saltelli 2010 estimators) and Morris mu*, sigma
  (`SALib.analyze.morris`, Campolongo et al. 2007).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from alref.study.executors import OUTPUTS
from alref.study.sampling import MORRIS_LEVELS, Design

if TYPE_CHECKING:
    from alref.study.plan import StudySpec

#: outputs whose sensitivities are reported (energy and product purity first)
SENSITIVITY_OUTPUTS = ("energy_kwh_per_kg", "product_al_wt_pct", "cycle_days",
                       "current_efficiency", "residue_kg")
CONF_LEVEL = 0.95
TAIL = 0.2  # tornado: lowest / highest fifth of each input


def _category(reason: Any) -> str:
    """A termination reason without its numbers ('alloy superheat # K below # K ...')."""
    return re.sub(r"[-+]?\d+(?:\.\d+)?", "#", str(reason))


def output_matrix(rows: Sequence[dict[str, Any]], key: str) -> np.ndarray:
    return np.array([float(r.get(key, math.nan)) if r.get(key) is not None else math.nan
                     for r in rows], dtype=float)


def distribution(y: np.ndarray) -> dict[str, float]:
    y = y[np.isfinite(y)]
    if y.size == 0:
        return {"n": 0}
    p = np.percentile(y, [5, 50, 95])
    return {"n": int(y.size), "mean": float(y.mean()), "sd": float(y.std(ddof=1)) if y.size > 1
            else 0.0, "min": float(y.min()), "p05": float(p[0]), "p50": float(p[1]),
            "p95": float(p[2]), "max": float(y.max())}


def input_columns(design: Design) -> dict[str, np.ndarray]:
    cols = {k: design.values[:, j] for j, k in enumerate(design.names)}
    if design.feed is not None:
        for j, el in enumerate(design.feed_elements):
            if el != "Al" and np.ptp(design.feed[:, j]) > 0:
                cols[f"feed.composition.{el}"] = design.feed[:, j]
    return cols


def tornado(design: Design, rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per output: inputs sorted by |high - low| swing of the mean output."""
    cols = input_columns(design)
    out: dict[str, list[dict[str, Any]]] = {}
    for key in SENSITIVITY_OUTPUTS:
        y = output_matrix(rows, key)
        entries = []
        for name, x in cols.items():
            ok = np.isfinite(y) & np.isfinite(x)
            if ok.sum() < 4 or np.ptp(x[ok]) == 0:
                continue
            lo_cut, hi_cut = np.quantile(x[ok], [TAIL, 1 - TAIL])
            low = y[ok & (x <= lo_cut)]
            high = y[ok & (x >= hi_cut)]
            rho = stats.spearmanr(x[ok], y[ok]).statistic if np.ptp(y[ok]) > 0 else 0.0
            entries.append({"input": name, "low": float(low.mean()), "high": float(high.mean()),
                            "swing": float(high.mean() - low.mean()),
                            "spearman": float(rho) if math.isfinite(rho) else 0.0})
        entries.sort(key=lambda e: -abs(e["swing"]))
        out[key] = entries
    return out


def sobol_indices(design: Design, rows: Sequence[dict[str, Any]], seed: int
                  ) -> dict[str, dict[str, Any]]:
    """S1, ST and their confidence half-widths per input, per output."""
    from SALib.analyze import sobol

    out = {}
    for key in SENSITIVITY_OUTPUTS:
        y = output_matrix(rows, key)
        if not np.isfinite(y).all():
            out[key] = {"error": f"{int((~np.isfinite(y)).sum())} failed samples: indices "
                                 "need every sample"}
            continue
        if np.ptp(y) == 0:
            out[key] = {"error": "output does not vary"}
            continue
        res = sobol.analyze(design.problem, y, calc_second_order=False, conf_level=CONF_LEVEL,
                            seed=seed)
        out[key] = {name: {"S1": float(res["S1"][j]), "S1_conf": float(res["S1_conf"][j]),
                           "ST": float(res["ST"][j]), "ST_conf": float(res["ST_conf"][j])}
                    for j, name in enumerate(design.names)}
    return out


def morris_indices(design: Design, rows: Sequence[dict[str, Any]], seed: int
                   ) -> dict[str, dict[str, Any]]:
    from SALib.analyze import morris

    out = {}
    for key in SENSITIVITY_OUTPUTS:
        y = output_matrix(rows, key)
        if not np.isfinite(y).all():
            out[key] = {"error": "failed samples: Morris needs every trajectory"}
            continue
        res = morris.analyze(design.problem, design.values, y, num_levels=MORRIS_LEVELS,
                             conf_level=CONF_LEVEL, seed=seed)
        out[key] = {name: {"mu_star": float(res["mu_star"][j]),
                           "mu_star_conf": float(res["mu_star_conf"][j]),
                           "sigma": float(res["sigma"][j])}
                    for j, name in enumerate(design.names)}
    return out


def analyse(spec: StudySpec, design: Design, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The `summary` object of `alref study --json`."""
    ok = [r for r in rows if r["status"] == "ok"]
    summary: dict[str, Any] = {
        "kind": spec.kind,
        "scenario": spec.scenario,
        "seed": spec.seed,
        "factors": [f.to_dict() for f in spec.factors],
        "ok": len(ok),
        "outputs": {k: distribution(output_matrix(rows, k)) for k in OUTPUTS},
        "termination": dict(Counter(_category(r.get("termination")) for r in ok)),
        "failure_reasons": dict(Counter(str(r.get("error")) for r in rows
                                        if r["status"] != "ok").most_common(10)),
        "engines": dict(Counter(str(r.get("engine")) for r in ok)),
    }
    if spec.kind == "sobol":
        summary["sobol"] = sobol_indices(design, rows, spec.seed)
        summary["conf_level"] = CONF_LEVEL
    elif spec.kind == "morris":
        summary["morris"] = morris_indices(design, rows, spec.seed)
    else:
        summary["tornado"] = tornado(design, rows)
    return summary
