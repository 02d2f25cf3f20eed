"""`render_html`: one self-contained HTML page for a campaign `Solution`.

No external resources: CSS is inline and plots are base64 PNG data URIs (see
`alref.report.plots`). The template is ``templates/run.html.j2`` (Jinja2, autoescaped).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from alref import citations, numfmt
from alref.campaign.solution import Solution
from alref.errors import DataError
from alref.htmlpage import base_context, render
from alref.report import flow_plots, flows, plots
from alref.report.jsonsafe import to_jsonable
from alref.report.tables import action_rows

TEMPLATE = "run.html.j2"
MAIN_IMPURITIES = 3  # impurities listed per lot in the lots table (the largest ones)
#: display choice: impurity columns of the lots table (the target grade's limited elements
#: first, then the largest others)
MAX_LOT_COLUMNS = 8
PPM_PER_WT_PCT = 1e4
SKIP_KPI_KEYS = frozenset({"lots", "citations", "residue_composition_wt_pct"})


def fmt(value: Any, digits: int = 5) -> str:
    """Short text of a value: floats to `digits` significant digits, None/NaN as '–'."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}g}" if math.isfinite(value) else "–"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {fmt(v, digits)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(fmt(v, digits) for v in value)
    return str(value)


#: human labels (with units) of the key results; other keys get `numfmt.label`
HUMAN = {
    "cycle_days": "Cycle length [d]", "product_kg": "Metal tapped [kg]",
    "product_al_wt_pct": "Product Al, mass-weighted [wt %]",
    "product_in_grade_fraction": "Product meeting the target grade [-]",
    "energy_kwh_per_kg": "Specific energy [kWh/kg Al]",
    "dc_energy_kwh_per_kg": "DC energy [kWh/kg Al]",
    "auxiliary_energy_kwh_per_kg": "Auxiliary heating [kWh/kg Al]",
    "mean_cell_voltage_v": "Mean cell voltage [V]", "current_a": "Line current [A]",
    "current_efficiency": "Current efficiency [-]", "scrap_charged_kg": "Scrap charged [kg]",
    "residue_kg": "Residue (sludge) [kg]", "bath_final_kg": "Bath at the end [kg]",
    "mass_balance_rel_error": "Mass balance, largest relative error [-]",
    "charge_cooling_max_k": "Largest cooling by one charge [K]",
    "target_grade": "Target grade", "termination_limit": "Limit that ended the cycle",
    "design": "Cell design", "mode": "Mode", "scenario": "Scenario",
}
CARDS = ("cycle_days", "product_kg", "energy_kwh_per_kg", "product_al_wt_pct",
         "current_efficiency", "mean_cell_voltage_v")
SKIP_KPI_KEYS = SKIP_KPI_KEYS | {"warnings", "termination", "limits", "closest_limits"}


def human_label(key: str) -> str:
    """The human label of a summary key, with its unit."""
    return HUMAN.get(key) or numfmt.label(key).capitalize()


def kpi_rows(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) rows of the summary KPIs; lots, citations and residue are shown apart;
    tables (e.g. compositions) as their largest entries."""
    rows = []
    for key, value in to_jsonable(dict(summary)).items():
        if key in SKIP_KPI_KEYS:
            continue
        if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            rows.append((human_label(key), f"{len(value)} entries"))
        elif isinstance(value, Mapping):
            if any(isinstance(v, Mapping) for v in value.values()):
                continue  # nested tables (e.g. product routes) live in the JSON
            items = sorted(((k, v) for k, v in value.items() if isinstance(v, int | float)),
                           key=lambda kv: -abs(kv[1]))
            rows.append((human_label(key), ", ".join(f"{k} {numfmt.number(v)}"
                                                      for k, v in items[:6])))
        else:
            rows.append((human_label(key), numfmt.value(value, key)))
    return rows


def main_impurities(composition: Mapping[str, float], n: int = MAIN_IMPURITIES) -> str:
    """The `n` largest non-Al contents, e.g. ``Fe 0.085, Si 0.041``."""
    items = sorted(((el, float(v)) for el, v in composition.items() if el != "Al"),
                   key=lambda kv: -kv[1])
    return ", ".join(f"{el} {numfmt.number(v)}" for el, v in items[:n] if v > 0)


def target_limits(solution: Solution) -> dict[str, float]:
    """The target grade's impurity limits (wt %), {} when the solution carries none."""
    target = solution.summary.get("target_grade") or plots.PREFERRED_GRADE
    limits = solution.grade_limits.get(target) or {}
    return {el: float(v) for el, v in limits.items()
            if el != "Al" and isinstance(v, int | float) and math.isfinite(v) and v > 0}


def lot_elements(solution: Solution, n: int = MAX_LOT_COLUMNS) -> list[str]:
    """Impurity columns of the lots table: the elements the target grade limits (by limit,
    tightest first), then the other elements by their largest content in any lot."""
    limits = target_limits(solution)
    peak: dict[str, float] = {}
    for lot in solution.lots:
        for el, v in lot.composition_wt_pct.items():
            if el != "Al":
                peak[el] = max(peak.get(el, 0.0), float(v))
    limited = sorted((el for el in limits if peak.get(el, 0.0) > 0), key=lambda e: limits[e])
    others = sorted((el for el in peak if el not in limits and peak[el] > 0),
                    key=lambda e: -peak[e])
    return (limited + others)[:n]


def ppm(value_wt_pct: float) -> str:
    """A content in ppm (by mass), 3 significant digits, thousands separated."""
    v = float(value_wt_pct) * PPM_PER_WT_PCT
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}" if v > 0 else "0"


def lot_rows(solution: Solution) -> list[dict[str, Any]]:
    """Lots graded within the target grade's family (one family per report), with their
    impurities in ppm (columns `lot_elements`; above the target's limit marked)."""
    from alref.report.grading import family_grade

    target = solution.summary.get("target_grade")
    limits = target_limits(solution)
    columns = lot_elements(solution)
    rows = []
    for lot in solution.lots:
        meets = getattr(lot, "meets_target", None)
        comp = lot.composition_wt_pct
        rows.append({
            "ppm": [(ppm(comp.get(el, 0.0)),
                     "num bad" if el in limits and comp.get(el, 0.0) > limits[el] else "num")
                    for el in columns],
            "t_days": f"{lot.t_s / 86400.0:.2f}",
            "mass_kg": numfmt.fixed(lot.mass_kg, 1),
            "al_wt_pct": f"{lot.al_wt_pct:.3f}",
            "grade": family_grade(lot.composition_wt_pct, target) or "below the family",
            "meets": "–" if meets is None else ("yes" if meets else "no"),
            "meets_class": "" if meets is None else ("ok" if meets else "bad"),
            "impurities": main_impurities(lot.composition_wt_pct),
        })
    return rows


def action_table(solution: Solution) -> list[dict[str, str]]:
    rows = []
    for row in action_rows(solution):
        detail = "; ".join(f"{k}={fmt(v)}" for k, v in row.items() if k not in ("t_days", "kind"))
        rows.append({"t_days": f"{row['t_days']:.2f}", "kind": row["kind"], "detail": detail})
    return rows


def residue_rows(solution: Solution) -> list[tuple[str, str]]:
    items = sorted(solution.residue_composition_wt_pct.items(), key=lambda kv: -float(kv[1]))
    return [(el, fmt(float(v), 4)) for el, v in items]


def route_table(summary: Mapping[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Per-element route shares into the product (research §3.10: equilibrium, particle,
    hardware, refractory, salts, diaphragm wall) as (routes that carry anything, rows of
    {element, shares in %}); elements by their largest route share's order in the summary."""
    routes = summary.get("product_routes") or {}
    names = [r for r in dict.fromkeys(k for v in routes.values() for k in v)
             if any(float(v.get(r, 0.0)) > 0 for v in routes.values())]
    rows = [{"element": el, "shares": [f"{100 * float(v.get(r, 0.0)):.1f}" for r in names]}
            for el, v in routes.items()]
    return names, rows


def citation_rows(keys: list[str]) -> list[tuple[str, str]]:
    """(key, short reference) rows; a key not in the bundled bibliography shows alone."""
    rows = []
    for key in keys:
        try:
            rows.append((key, citations.get(key).short()))
        except DataError:
            rows.append((key, ""))
    return rows


def parameter_rows(parameters: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for name, p in parameters.items():
        if isinstance(p, Mapping):
            origin = p.get("source") or p.get("assumption") or ""
            rows.append({"name": str(name), "value": fmt(to_jsonable(p.get("value"))),
                         "unit": str(p.get("unit") or ""), "origin": str(origin)})
        else:
            rows.append({"name": str(name), "value": fmt(to_jsonable(p)), "unit": "",
                         "origin": ""})
    return rows


def plot_sections(solution: Solution, specs: Sequence[tuple[str, Any, str]] | None = None
                  ) -> list[dict[str, str | None]]:
    """Each plot as {title, png_b64, note} (`specs`: default `plots.PLOTS`); a missing or
    failing plot has a note instead."""
    sections = []
    for title, draw, missing in (plots.PLOTS if specs is None else specs):
        png, note = None, None
        try:
            png = draw(solution)
        except Exception as exc:  # a bad plot must not lose the whole report
            warnings.warn(f"report plot {title!r} failed: {exc!r}", RuntimeWarning,
                          stacklevel=2)
            note = f"plot skipped: it failed ({type(exc).__name__}: {exc})"
        if png is None and note is None:
            note = f"plot skipped: {missing}"
        sections.append({"title": title, "png_b64": plots.png_base64(png) if png else None,
                         "note": note})
    return sections


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("alref.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    return env


def render_html(solution: Solution, extra_html: Sequence[str] = ()) -> str:
    """The report of `solution` as one self-contained HTML document (shared template and
    stylesheet, `alref.htmlpage`).

    `extra_html` are self-contained, already-escaped HTML sections produced by alref itself
    (e.g. the economics and footprint section of `alref.report.assess_section`).
    """
    from alref.report.grading import family_of

    t = solution.time_s
    summary = solution.summary
    target = summary.get("target_grade") or "P1020A"
    context = base_context(f"alref run: {solution.scenario}", [
        ("scenario", solution.scenario), ("hash", solution.scenario_hash),
        ("seed", fmt(solution.seed)),
        ("simulated", f"{float(t[-1] - t[0]) / 86400.0 if len(t) else 0.0:.2f} d, "
                      f"{len(t)} points")],
        warnings=summary.get("warnings") or [], citation_keys=list(solution.citations))
    context.update({
        "scenario": solution.scenario,
        "termination": solution.termination,
        "cards": [(human_label(k), numfmt.value(summary.get(k), k)) for k in CARDS
                  if summary.get(k) is not None],
        "kpis": kpi_rows(summary),
        "plots": plot_sections(solution),
        "lots": lot_rows(solution),
        "lot_elements": lot_elements(solution),
        "lot_limits": [ppm(target_limits(solution)[el]) if el in target_limits(solution)
                       else "–" for el in lot_elements(solution)],
        "target_grade": target,
        "mass_flow": plot_sections(solution, flow_plots.FLOW_PLOTS[:1])[0],
        "ledger": [{**r, "in_kg": numfmt.number(r["in_kg"]), "out_kg": numfmt.number(r["out_kg"]),
                    "diff_kg": f"{r['diff_kg']:.2g}"} for r in flows.ledger_rows(summary)],
        "energy_flow": plot_sections(solution, flow_plots.FLOW_PLOTS[1:])[0],
        "voltage_terms": flows.voltage_rows(summary),
        "small_share_pct": f"{100 * flows.SMALL_SHARE:g}",
        "grade_family": family_of(target),
        "limit_grade": plots.limit_grade(solution.grade_limits),
        "actions": action_table(solution),
        "residue_kg": solution.residue_kg,
        "residue": residue_rows(solution),
        "route_names": route_table(summary)[0],
        "routes": route_table(summary)[1],
        "parameters": parameter_rows(solution.parameters),
        "extra_html": [Markup(x) for x in extra_html],
    })
    return render(TEMPLATE, context)
