"""Golden files of the presets: what is stored and how two runs are compared.

A golden holds a preset's full campaign summary (KPIs, lots, residue, bath, balances),
every lot and a thinned time series (every `THIN`-th point of every series plus the last).
Numbers are compared with `RTOL`/`ATOL` (floating-point noise of reordered sums, not model
changes); strings, keys and list lengths must be identical — except the ranking
``closest_limits``, where two limits whose remaining fractions agree within the tolerances
(a tie, e.g. two margins untouched at 1.0 ± 1 ulp) may swap places.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).parent / "golden"
#: time-series thinning: every THIN-th time point is stored (and the last one)
THIN = 8
#: relative and absolute tolerance of a golden number (floating-point noise only)
RTOL = 1e-7
ATOL = 1e-10
#: summary keys that are not model results (run-environment notes)
VOLATILE = ("warnings",)


def golden_record(sol: Any) -> dict[str, Any]:
    """The stored form of a Solution."""
    n = len(sol.time_s)
    idx = sorted({*range(0, n, THIN), n - 1}) if n else []
    series = {"Time [s]": [float(sol.time_s[i]) for i in idx]}
    for name in sorted(sol.series):
        series[name] = [float(sol.series[name][i]) for i in idx]
    summary = {k: v for k, v in sol.summary.items() if k not in VOLATILE}
    return {
        "summary": summary,
        "lots": [lot.to_dict() for lot in sol.lots],
        "actions": len(sol.actions),
        "termination": sol.termination,
        "series": series,
    }


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=1, sort_keys=True, allow_nan=True, default=float) + "\n"


#: a summary's ranking of the limits by their remaining fraction
RANKING = "closest_limits"


def ranking_differences(expected: dict[str, Any], actual: dict[str, Any], path: str) -> list[str]:
    """Place by place, the ranked limits must be the same or tie: the remaining fraction (in
    each run's own `limits` table) of the stored name and of the new name agree."""
    e_list, a_list = expected[RANKING], actual[RANKING]
    if len(e_list) != len(a_list):
        return [f"{path}: expected {len(e_list)} items, got {len(a_list)}"]
    out = []
    for i, (e, a) in enumerate(zip(e_list, a_list, strict=True)):
        if e == a:
            continue
        fe = expected["limits"].get(e, {}).get("remaining_fraction")
        fa = actual["limits"].get(a, {}).get("remaining_fraction")
        if fe is None or fa is None or not math.isclose(fe, fa, rel_tol=RTOL, abs_tol=ATOL):
            out.append(f"{path}[{i}]: expected {e!r}, got {a!r}")
    return out


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every place where `actual` departs from `expected` beyond the tolerances."""
    out: list[str] = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected a table, got {type(actual).__name__}"]
        for k in sorted(set(expected) | set(actual)):
            if k == RANKING and k in actual and "limits" in expected and "limits" in actual:
                out.extend(ranking_differences(expected, actual, f"{path}.{k}"))
            elif k not in actual:
                out.append(f"{path}.{k}: missing")
            elif k not in expected:
                out.append(f"{path}.{k}: new key")
            else:
                out.extend(differences(expected[k], actual[k], f"{path}.{k}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            n = len(actual) if isinstance(actual, list) else "not a list"
            return [f"{path}: expected {len(expected)} items, got {n}"]
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out.extend(differences(e, a, f"{path}[{i}]"))
        return out
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, int | float):
        if not isinstance(actual, int | float) or isinstance(actual, bool):
            return [f"{path}: expected a number, got {actual!r}"]
        e, a = float(expected), float(actual)
        if math.isnan(e) and math.isnan(a):
            return []
        if not math.isclose(e, a, rel_tol=RTOL, abs_tol=ATOL):
            return [f"{path}: expected {e!r}, got {a!r}"]
        return []
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]
