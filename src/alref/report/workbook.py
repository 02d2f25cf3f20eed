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
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from alref import numfmt
from alref.atomicio import write_bytes_atomic

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]  # name, headers, rows
MAX_SHEET_NAME = 31  # Excel's limit on sheet names
INVALID_SHEET_CHARS = re.compile(r"[\\*?:/\[\]]")  # characters Excel refuses in sheet names


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


def sheet_name(name: str, used: set[str]) -> str:
    """An Excel sheet name: no ``[]:*?/\\`` (brackets become parentheses), at most 31
    characters, unique among `used` (case-insensitively; a number is appended)."""
    clean = name.replace("[", "(").replace("]", ")")
    clean = INVALID_SHEET_CHARS.sub("-", clean).strip("'") or "Sheet"
    out = clean[:MAX_SHEET_NAME].rstrip()
    n = 2
    while out.lower() in used:
        suffix = f" {n}"
        out = clean[:MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        n += 1
    used.add(out.lower())
    return out


def write_workbook(path: str | Path, sheets: Sequence[Sheet]) -> str:
    """Write `sheets` to an .xlsx file at `path` atomically; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, headers, rows in sheets:
        ws = wb.create_sheet(sheet_name(name, used))
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
    """KPIs, lots (grade within the target's family, meets_target), actions, time series,
    the per-element mass ledger and the voltage breakdown."""
    from alref.report import flows
    from alref.report.grading import family_grade

    summary = dict(solution.summary)
    summary.setdefault("termination", solution.termination)
    lots = solution.lots_frame()
    if len(lots) and "grade" in lots.columns:
        comps = [lot.composition_wt_pct for lot in solution.lots]
        lots["grade"] = [family_grade(c, target or summary.get("target_grade")) for c in comps]
    lots.columns = [numfmt.label(str(c)) if str(c).islower() else str(c) for c in lots.columns]
    sheets = [kpi_sheet(summary), frame_sheet("Lots", lots),
              frame_sheet("Actions", solution.actions_frame()),
              frame_sheet("Time series", solution.to_frame())]
    ledger = flows.ledger(summary)
    if ledger:
        sheets.append(("Mass ledger", ("element", "side", "flow", "mass [kg]"),
                       [(el, side, flows.kind_label(k), v) for el, sides in ledger.items()
                        for side in ("in", "out") for k, v in sides[side].items()]))
    terms = summary.get("voltage_breakdown_v") or {}
    if terms:
        sheets.append(("Voltage breakdown", ("term", "cycle mean [V]"),
                       [(flows.term_label(k), _cell(v)) for k, v in terms.items()]))
    return sheets


#: titles of the assessment's sections and tables (others: their key, capitalised)
ASSESS_TITLES = {
    "economics": "Economics", "footprint": "Footprint", "comparison": "Comparison",
    "cycle": "Cycle", "revenue_breakdown_usd_per_t": "Revenue (USD per t)",
    "cost_breakdown_usd_per_t": "Costs (USD per t)", "cash_flow": "Cash flow",
    "capex_breakdown_usd": "Capex (USD)", "by_scope": "Footprint by scope",
    "by_source": "Footprint by source", "quotes": "Price quotes",
}
#: assessment keys of the KPIs sheet, by section (missing ones are left out)
ASSESS_KPIS = {
    "economics": ("margin_usd_per_t", "margin_after_capital_usd_per_t", "revenue_usd_per_t",
                  "cost_usd_per_t", "processing_cost_usd_per_t", "break_even_scrap_pct_lme",
                  "break_even_power_usd_per_mwh", "npv_usd", "irr", "payback_years",
                  "levelised_cost_usd_per_t", "annual_product_t", "capex_usd"),
    "footprint": ("total_t_co2e_per_t",),
    "cycle": ("cycle_days", "product_kg", "energy_kwh_dc"),
}


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, bool | int | float | str)


def _title(key: str) -> str:
    return ASSESS_TITLES.get(key) or key.replace("_", " ").capitalize()


def _records_sheet(title: str, records: Sequence[Mapping[str, Any]]) -> Sheet:
    keys = list(dict.fromkeys(k for r in records for k in r))
    return title, [numfmt.label(k) for k in keys], [[r.get(k) for k in keys] for r in records]


def section_sheets(key: str, value: Any) -> list[Sheet]:
    """Generic sheets of one assessment section: its scalars (quantity, value, key), each
    table of scalars (item, value), each table of tables (item, fields…) and each list of
    records (one row per record)."""
    title = _title(key)
    if isinstance(value, list):
        if value and all(isinstance(r, Mapping) for r in value):
            return [_records_sheet(title, value)]
        return [(title, ("value",), [(_cell(v),) for v in value])]
    if not isinstance(value, Mapping):
        return [(title, ("value",), [(_cell(value),)])]
    sheets: list[Sheet] = []
    scalars = [(numfmt.label(k), _cell(v), k) for k, v in value.items() if _is_scalar(v)]
    if scalars:
        sheets.append((title, ("quantity", "value", "key"), scalars))
    for k, v in value.items():
        if _is_scalar(v):
            continue
        sub = f"{title} {_title(k).lower()}" if k not in ASSESS_TITLES else _title(k)
        if isinstance(v, Mapping) and all(_is_scalar(x) for x in v.values()):
            head = numfmt.label(k) if "[" in numfmt.label(k) else "value"
            sheets.append((sub, ("item", head), [(str(a), _cell(b)) for a, b in v.items()]))
        elif isinstance(v, Mapping):  # a table of tables (mixed: scalars as "value")
            sheets.append(_records_sheet(sub, [{"item": a, **b} if isinstance(b, Mapping)
                                               else {"item": a, "value": b}
                                               for a, b in v.items()]))
        elif isinstance(v, list) and v and all(isinstance(r, Mapping) for r in v):
            sheets.append(_records_sheet(sub, v))
        else:
            sheets.append((sub, ("item", "value"), [(k, _cell(v))]))
    return sheets


def assessment_sheets(d: Mapping[str, Any]) -> list[Sheet]:
    """The workbook of ``alref assess --xlsx``: KPIs, the margin waterfall (steps with the
    running total), then every section of the assessment (`Assessment.to_dict()`) as generic
    sheets (`section_sheets`: economics with its revenue, cost and cash-flow tables,
    footprint by scope and source, comparison, cycle…), so new keys appear without code."""
    from alref.report.assess_section import waterfall_steps

    kpis = [("scenario", d.get("scenario"), "scenario")]
    for section, keys in ASSESS_KPIS.items():
        part = d.get(section) or {}
        kpis += [(numfmt.label(k), _cell(part[k]), f"{section}.{k}") for k in keys if k in part]
    sheets: list[Sheet] = [("KPIs", ("quantity", "value", "key"), kpis)]
    econ = d.get("economics")
    if isinstance(econ, Mapping):
        level, rows = 0.0, []
        for item, v, kind in waterfall_steps(econ):
            level = v if kind in ("subtotal", "total") else level + v
            rows.append((item, v, level, kind))
        if rows:
            sheets.append(("Waterfall", ("step", "US$/t product", "running total [US$/t]",
                                         "kind"), rows))
    for key, value in d.items():
        if key in ("scenario",):
            continue
        sheets.extend(section_sheets(key, value))
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
