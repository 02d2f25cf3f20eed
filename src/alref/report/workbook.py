"""Excel workbooks (``--xlsx FILE`` on simulate, assess and study), written atomically.

One sheet per table: ``KPIs`` (quantity, value, unit), ``Lots``, ``Actions``, ``Time
series`` for a run; ``Economics``, ``Cost breakdown``, ``Footprint``, ``Comparison`` and
``Cash flow`` for an assessment; ``Outputs`` and ``Samples`` for a study. Headers carry
units (`alref.numfmt.label`); numbers are stored as numbers (not text) with a display
format, so plant engineers can compute on them. Needs openpyxl (the ``report`` extra).
The file is built on a hidden sibling and renamed into place (`alref.atomicio`), so a
reader never sees half a workbook.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from alref import numfmt
from alref.atomicio import write_bytes_atomic

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]  # name, headers, rows
MAX_SHEET_NAME = 31  # Excel's limit on sheet names


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item"):
        return _cell(value.item())
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={numfmt.value(v, str(k))}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(_cell(v)) for v in value)
    return str(value)


def write_workbook(path: str | Path, sheets: Sequence[Sheet]) -> str:
    """Write `sheets` to an .xlsx file at `path` atomically; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in sheets:
        ws = wb.create_sheet(name[:MAX_SHEET_NAME])
        ws.append(list(headers))
        for c in ws[1]:
            c.font = Font(bold=True)
        widths = [len(str(h)) for h in headers]
        for row in rows:
            cells = [_cell(v) for v in row]
            ws.append(cells)
            widths = [max(w, min(len(str(v)) if v is not None else 0, 60))
                      for w, v in zip(widths, cells, strict=False)]
        for i, w in enumerate(widths):
            ws.column_dimensions[ws.cell(1, i + 1).column_letter].width = w + 2
        ws.freeze_panes = "A2"
    out = Path(path)
    write_bytes_atomic(out, lambda tmp: wb.save(tmp))
    return str(out)


def kpi_sheet(summary: Mapping[str, Any], name: str = "KPIs") -> Sheet:
    """Scalar KPIs of a summary: quantity (label with unit), value, JSON key."""
    rows = []
    for k, v in summary.items():
        if isinstance(v, Mapping) or (isinstance(v, list) and v and isinstance(v[0], Mapping)):
            continue
        rows.append((numfmt.label(k), _cell(v), k))
    return name, ("quantity", "value", "key"), rows


def frame_sheet(name: str, frame: Any) -> Sheet:
    """A pandas DataFrame as a sheet (its column names are the headers)."""
    cols = [str(c) for c in frame.columns]
    return name, cols, (list(r) for r in frame.itertuples(index=False, name=None))


def run_sheets(solution: Any, target: str | None = None) -> list[Sheet]:
    """KPIs, lots (grade within the target's family, meets_target), actions, time series."""
    from alref.report.grading import family_grade

    summary = dict(solution.summary)
    summary.setdefault("termination", solution.termination)
    lots = solution.lots_frame()
    if len(lots) and "grade" in lots.columns:
        comps = [lot.composition_wt_pct for lot in solution.lots]
        lots["grade"] = [family_grade(c, target or summary.get("target_grade")) for c in comps]
    lots.columns = [numfmt.label(str(c)) if str(c).islower() else str(c) for c in lots.columns]
    return [kpi_sheet(summary), frame_sheet("Lots", lots),
            frame_sheet("Actions", solution.actions_frame()),
            frame_sheet("Time series", solution.to_frame())]


def assessment_sheets(d: Mapping[str, Any]) -> list[Sheet]:
    """Economics (scalars), revenue and cost breakdowns, footprint, comparison, cash flow."""
    e, f = d["economics"], d["footprint"]
    sheets: list[Sheet] = [kpi_sheet(e, "Economics")]
    for key, title in (("revenue_breakdown_usd_per_t", "Revenue [USD per t]"),
                       ("cost_breakdown_usd_per_t", "Cost breakdown [USD per t]")):
        if isinstance(e.get(key), Mapping):
            sheets.append((title, ("item", "USD/t"), list(e[key].items())))
    rows = [("total", f.get("total_t_co2e_per_t"))]
    rows += [(f"scope: {k}", v) for k, v in (f.get("by_scope") or {}).items()]
    rows += [(f"source: {k}", v) for k, v in (f.get("by_source") or {}).items()]
    sheets.append(("Footprint", ("item", "t CO2e/t"), rows))
    comp = d.get("comparison") or []
    if comp:
        keys = list(comp[0])
        sheets.append(("Comparison", [numfmt.label(k) for k in keys],
                       [[r.get(k) for k in keys] for r in comp]))
    for key, value in e.items():
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            keys = list(value[0])
            sheets.append((key.replace("_", " ").capitalize()[:MAX_SHEET_NAME],
                           [numfmt.label(k) for k in keys], [[r.get(k) for k in keys] for r in value]))
    return sheets


def study_sheets(result: Mapping[str, Any], samples: Any = None) -> list[Sheet]:
    """Study outputs (mean, sd, percentiles per output) and, if given, every sample."""
    outs = (result.get("summary") or {}).get("outputs") or {}
    stats = ("n", "mean", "sd", "p05", "p50", "p95")
    sheets: list[Sheet] = [
        ("Study", ("quantity", "value"), [(k, _cell(v)) for k, v in result.items()
                                          if not isinstance(v, Mapping | list)]),
        ("Outputs", ("output", *stats),
         [(numfmt.label(k), *(d.get(s) for s in stats)) for k, d in outs.items()
          if isinstance(d, Mapping)]),
    ]
    if samples is not None:
        sheets.append(frame_sheet("Samples", samples))
    return sheets
