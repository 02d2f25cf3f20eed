"""Economics and footprint section of the HTML report (from an `alref.api.Assessment` dict).

`render_assess_html(assessment) -> str` returns a self-contained HTML fragment (inline PNG
plots): a waterfall of the margin per tonne (revenue items up, cost items down, margin last),
a stacked footprint bar by scope, and a bar chart of the route comparison.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

from alref.report.plots import figure_png, new_figure, png_base64

UP, DOWN, TOTAL = "#4c9a2a", "#c0392b", "#34495e"
#: waterfall steps drawn from zero (a running total, not a change)
TOTAL_KINDS = ("subtotal", "total")
SCOPE_COLOURS = {"scope_1": "#e67e22", "scope_2": "#2980b9", "scope_3": "#8e44ad"}


def _label(key: str) -> str:
    return key.replace("_", " ")


def waterfall_steps(economics: Mapping[str, Any]) -> list[tuple[str, float, str]]:
    """(label, US$/t, kind) steps of the margin per tonne: the assessment's own waterfall
    (``waterfall_usd_per_t``: items with ``kind`` revenue/credit/cost/subtotal/total/capital)
    when it has one, else revenue items (+) and cost items (−) ending at the margin."""
    given = economics.get("waterfall_usd_per_t")
    if isinstance(given, list) and given and all(isinstance(x, Mapping) for x in given):
        steps = []
        for x in given:
            v = x.get("usd_per_t")
            if isinstance(v, int | float) and math.isfinite(v):
                steps.append((_label(str(x.get("item", ""))).removesuffix(" usd per t"),
                              float(v), str(x.get("kind") or "")))
        return steps
    revenue = economics.get("revenue_breakdown_usd_per_t") or {}
    cost = economics.get("cost_breakdown_usd_per_t") or {}
    steps = [(_label(k), float(v), "revenue") for k, v in revenue.items()
             if isinstance(v, int | float)]
    steps += [(_label(k), -float(v), "cost") for k, v in cost.items() if isinstance(v, int | float)]
    if steps:
        steps.append(("margin", math.fsum(v for _k, v, _kind in steps), "total"))
    return steps


def plot_margin_waterfall(steps: Sequence[tuple[str, float, str]]) -> bytes | None:
    """Waterfall of `waterfall_steps`: each revenue item raises, each cost item lowers the
    running total (US$/t); subtotals and totals stand on zero. Every bar carries its value."""
    if not steps:
        return None
    fig, (ax,) = new_figure((8.5, 3.9))
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.36, top=0.93)
    level = lo = hi = 0.0
    names = []
    span = max(abs(v) for _k, v, _kind in steps) or 1.0
    for i, (name, v, kind) in enumerate(steps):
        if kind in TOTAL_KINDS:
            bottom, height, colour, text = 0.0, v, TOTAL, f"{v:,.0f}"
            level = v
        else:
            bottom, height = level, v
            colour, text = (UP if v >= 0 else DOWN), f"{v:+,.0f}"
            level += v
        ax.bar(i, height, bottom=bottom, color=colour, width=0.7)
        top = max(bottom, bottom + height)
        lo, hi = min(lo, bottom, bottom + height), max(hi, top)
        ax.text(i, top + 0.015 * span, text, ha="center", va="bottom", fontsize=6.5)
        names.append(name)
    ax.axhline(0.0, color="black", lw=0.8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("US$ per t product")
    pad = 0.1 * ((hi - lo) or 1.0)
    ax.set_ylim(lo - pad, hi + pad)
    return figure_png(fig)


def plot_comparison(rows: Sequence[Mapping[str, Any]], own_by_scope: Mapping[str, float]) -> bytes:
    """Horizontal bars of t CO2e/t per route; the refining route stacked by scope."""
    fig, (ax,) = new_figure((8.5, 0.45 * len(rows) + 1.2))
    fig.subplots_adjust(left=0.42, right=0.97, bottom=0.18, top=0.97)
    labels = []
    for i, r in enumerate(rows):
        y = len(rows) - 1 - i
        if i == 0:
            left = 0.0
            for scope, v in own_by_scope.items():
                ax.barh(y, v, left=left, color=SCOPE_COLOURS.get(scope, TOTAL), label=_label(scope))
                left += v
        else:
            ax.barh(y, r["t_co2e_per_t"], color="#95a5a6")
        year = f" ({r['year']})" if r.get("year") else ""
        labels.append((y, textwrap.fill(f"{r['route']}{year}", 48)))
    ax.set_yticks([y for y, _ in labels])
    ax.set_yticklabels([t for _, t in labels], fontsize=7)
    ax.set_xlabel("t CO2e per t metal")
    ax.legend(fontsize=7, loc="lower right")
    return figure_png(fig)


def _rows_table(rows: Sequence[Mapping[str, Any]], cols: Sequence[tuple[str, str]]) -> str:
    head = "".join(f"<th>{html.escape(t)}</th>" for _, t in cols)
    body = []
    for r in rows:
        cells = []
        for k, _t in cols:
            v = r.get(k)
            num = isinstance(v, int | float) and not isinstance(v, bool)
            text = f"{v:,.3g}" if isinstance(v, float) else str(v if v is not None else "")
            cells.append(f'<td class="num">{html.escape(text)}</td>' if num
                         else f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _kv(rows: Sequence[tuple[str, Any]]) -> str:
    out = []
    for k, v in rows:
        text = f"{v:,.4g}" if isinstance(v, float) else str(v)
        out.append(f"<tr><th>{html.escape(k)}</th><td>{html.escape(text)}</td></tr>")
    return "<table>" + "".join(out) + "</table>"


#: economics lines of the section's table: (key, label); missing keys are left out
ECON_LINES = (
    ("margin_usd_per_t", "margin [US$/t]"), ("margin_after_capital_usd_per_t",
                                              "margin after capital [US$/t]"),
    ("revenue_usd_per_t", "revenue [US$/t]"), ("cost_usd_per_t", "cost [US$/t]"),
    ("processing_cost_usd_per_t", "processing cost [US$/t]"),
    ("lme_usd_per_t", "LME [US$/t]"), ("premium_usd_per_t", "premium [US$/t]"),
    ("scrap_price_pct_lme", "scrap price [% LME]"),
    ("power_price_usd_per_mwh", "power price [US$/MWh]"),
    ("break_even_scrap_pct_lme", "break-even scrap price [% LME]"),
    ("break_even_power_usd_per_mwh", "break-even power price [US$/MWh]"),
    ("annual_product_t", "plant output [t/yr]"), ("capex_usd", "capex [US$]"),
    ("npv_usd", "NPV [US$]"), ("irr", "IRR"),
    ("levelised_cost_usd_per_t", "levelised cost [US$/t]"), ("conventions", "conventions"),
)


def _econ_rows(e: Mapping[str, Any]) -> list[tuple[str, Any]]:
    rows = []
    for key, label in ECON_LINES:
        if key not in e:
            continue
        v = e[key]
        if key == "irr":
            v = "none" if v is None else f"{100 * v:.1f} %"
        elif v is None or isinstance(v, Mapping | list):
            continue
        rows.append((label, v))
    return rows


def _img(png: bytes | None, alt: str) -> str:
    if png is None:
        return f'<p class="note">{html.escape(alt)}: no data in the assessment.</p>'
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{png_base64(png)}">'


def render_assess_html(assessment: Mapping[str, Any]) -> str:
    """Self-contained HTML fragment: economics (waterfall with values), footprint and
    comparison. Sections whose keys the assessment lacks are left out or noted."""
    e = assessment.get("economics") or {}
    f = assessment.get("footprint") or {}
    rows = assessment.get("comparison") or []
    wf = _img(plot_margin_waterfall(waterfall_steps(e)), "margin waterfall")
    by_scope = f.get("by_scope") or {}
    cmp_img = _img(plot_comparison(rows, by_scope) if rows else None, "route comparison")
    foot_rows = [("total [t CO2e/t]", f.get("total_t_co2e_per_t")),
                 *[(_label(k), v) for k, v in by_scope.items()],
                 *[(_label(k), str(v)) for k, v in (f.get("method") or {}).items()]]
    foot_rows = [(k, v) for k, v in foot_rows if v is not None]
    sources = [{"route": _label(k), "t_co2e_per_t": v}
               for k, v in (f.get("by_source") or {}).items()]
    cols = [("route", "route"), ("t_co2e_per_t", "t CO2e/t"), ("energy_mwh_per_t", "MWh/t"),
            ("year", "year"), ("source", "source"), ("grade", "grade")]
    return (
        '<section class="assess" id="economics">\n'
        "<h2>Economics and carbon footprint: "
        f"{html.escape(str(assessment.get('scenario', '')))}</h2>\n"
        "<h3>Margin per tonne of product</h3>\n"
        f"{wf}\n"
        f'<div class="scroll">{_kv(_econ_rows(e))}</div>\n'
        "<h3>Footprint (cradle-to-gate, per tonne of product)</h3>\n"
        f'<div class="scroll">{_kv(foot_rows)}</div>\n'
        f'<div class="scroll">{_rows_table(sources, cols[:2])}</div>\n'
        "<h3>Comparison with other routes</h3>\n"
        f"{cmp_img}\n"
        f'<div class="scroll">{_rows_table(rows, cols)}</div>\n'
        "</section>\n"
    )


def write_assess_html(assessment: Mapping[str, Any], path: str | PathLike[str]) -> None:
    """Write the assessment report to `path`, replacing it whole or not at all (a killed
    write keeps the previous file; `alref.atomicio.write_bytes_atomic`)."""
    from pathlib import Path

    from alref.atomicio import write_bytes_atomic

    text = render_assess_html(assessment)
    write_bytes_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
