"""Tabular views of a campaign `Solution`: time series, lots, actions, summary.

These are the contents of the run folder's data files (see `alref.campaign.solution_io`)
and of `Solution.to_frame`, `lots_frame` and `actions_frame`. Needs pandas (the ``report``
extra); `alref.campaign.solution` imports this module only when a table is asked for.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from alref.jsonsafe import to_jsonable

Solution = Any  # an `alref.campaign.solution.Solution` (not imported: it imports this module)

TIME_S = "Time [s]"
TIME_D = "Time [d]"
SECONDS_PER_DAY = 86400.0
LOT_BASE_COLUMNS = ("t_days", "mass_kg", "al_wt_pct", "grade", "meets_target")
ACTION_BASE_COLUMNS = ("t_days", "kind")


def timeseries_frame(solution: Solution) -> pd.DataFrame:
    """``Time [s]``, ``Time [d]``, then one column per series (names with units, in the
    solution's order).

    Raises ValueError if a series' length differs from the time vector or a series reuses
    one of the time column names.
    """
    time_s = np.asarray(solution.time_s, dtype=float)
    columns: dict[str, np.ndarray] = {TIME_S: time_s, TIME_D: time_s / SECONDS_PER_DAY}
    for name in solution.series:
        if name in columns:
            raise ValueError(f"series name {name!r} clashes with a time column")
        values = np.asarray(solution.series[name])
        if values.shape != time_s.shape:
            raise ValueError(
                f"series {name!r} has shape {values.shape}, time has {time_s.shape}")
        columns[name] = values
    return pd.DataFrame(columns)


def lot_elements(solution: Solution) -> list[str]:
    """Union of the non-Al elements over all lots, sorted alphabetically."""
    names = {el for lot in solution.lots for el in lot.composition_wt_pct}
    names.discard("Al")
    return sorted(names)


def lots_frame(solution: Solution) -> pd.DataFrame:
    """One row per lot: t_days, mass_kg, al_wt_pct, grade, meets_target, then ``<El>_wt_pct`` columns.

    Element columns are the union over all lots (Al is given once, as ``al_wt_pct``);
    an element absent from a lot is 0.
    """
    elements = lot_elements(solution)
    columns = [*LOT_BASE_COLUMNS, *(f"{el}_wt_pct" for el in elements)]
    rows = []
    for lot in solution.lots:
        row: dict[str, Any] = {
            "t_days": lot.t_s / SECONDS_PER_DAY,
            "mass_kg": float(lot.mass_kg),
            "al_wt_pct": lot.al_wt_pct,
            "grade": lot.grade,
            "meets_target": lot.meets_target,
        }
        for el in elements:
            row[f"{el}_wt_pct"] = float(lot.composition_wt_pct.get(el, 0.0))
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _cell(value: Any) -> Any:
    """A CSV-friendly scalar: containers become compact JSON text."""
    if isinstance(value, dict | list | tuple | set | np.ndarray) or hasattr(value, "items"):
        return json.dumps(to_jsonable(value), separators=(",", ":"), allow_nan=False)
    return to_jsonable(value)


def action_rows(solution: Solution) -> list[dict[str, Any]]:
    """The actions log as flat dicts: t_days, kind, then the action's detail keys.

    A detail key named like a base column is prefixed with ``detail_``.
    """
    rows = []
    for action in solution.actions:
        row: dict[str, Any] = {"t_days": action.t_s / SECONDS_PER_DAY, "kind": action.kind}
        for key, value in dict(action.detail).items():
            name = f"detail_{key}" if key in ACTION_BASE_COLUMNS else str(key)
            row[name] = _cell(value)
        rows.append(row)
    return rows


def actions_frame(solution: Solution) -> pd.DataFrame:
    """The actions log, one row per action; detail keys are the union over all actions."""
    rows = action_rows(solution)
    extra: list[str] = []
    for row in rows:
        extra.extend(k for k in row if k not in ACTION_BASE_COLUMNS and k not in extra)
    return pd.DataFrame(rows, columns=[*ACTION_BASE_COLUMNS, *extra])


def summary_dict(solution: Solution) -> dict[str, Any]:
    """`solution.summary` plus termination, lots, residue and citations (JSON-safe)."""
    out = dict(solution.summary)
    out.setdefault("scenario", solution.scenario)
    out["termination"] = solution.termination
    out["lots"] = [lot.to_dict() for lot in solution.lots]
    out["residue_kg"] = solution.residue_kg
    out["residue_composition_wt_pct"] = dict(solution.residue_composition_wt_pct)
    out["citations"] = list(solution.citations)
    return to_jsonable(out)
