"""Economics and footprint section of the HTML report (from an `alref.api.Assessment` dict).

`render_assess_html(assessment) -> str` returns a self-contained HTML fragment (inline PNG
plots): a waterfall of the margin per tonne (revenue items up, cost items down, margin last),
a stacked footprint bar by scope, and a bar chart of the route comparison.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

from alref.report.plots import figure_png, new_figure, png_base64

UP, DOWN, TOTAL = "#4c9a2a", "#c0392b", "#34495e"
SCOPE_COLOURS = {"scope_1": "#e67e22", "scope_2": "#2980b9", "scope_3": "#8e44ad"}


def _label(key: str) -> str:
    return key.replace("_", " ")


def plot_margin_waterfall(revenue: Mapping[str, float], cost: Mapping[str, float]) -> bytes:
    """Waterfall: each revenue item raises, each cost item lowers the running total (US$/t)."""
    fig, (ax,) = new_figure((8.5, 3.6))
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.35, top=0.93)
    steps = [(k, v) for k, v in revenue.items()] + [(k, -v) for k, v in cost.items()]
    level = 0.0
    names = []
    for i, (k, v) in enumerate(steps):
        ax.bar(i, v, bottom=level, color=UP if v >= 0 else DOWN, width=0.7)
        level += v
        names.append(_label(k))
    ax.bar(len(steps), level, color=TOTAL, width=0.7)
    names.append("margin")
    ax.axhline(0.0, color="black", lw=0.8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("US$ per t product")
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
            cells.append(f"<td>{html.escape(f'{v:,.3g}' if isinstance(v, float) else str(v or ''))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _kv(rows: Sequence[tuple[str, Any]]) -> str:
    out = []
    for k, v in rows:
        text = f"{v:,.4g}" if isinstance(v, float) else str(v)
        out.append(f"<tr><th>{html.escape(k)}</th><td>{html.escape(text)}</td></tr>")
    return "<table>" + "".join(out) + "</table>"


def render_assess_html(assessment: Mapping[str, Any]) -> str:
    """Self-contained HTML fragment: economics (waterfall), footprint and comparison."""
    e, f = assessment["economics"], assessment["footprint"]
    rows = assessment["comparison"]
    wf = png_base64(plot_margin_waterfall(e["revenue_breakdown_usd_per_t"], e["cost_breakdown_usd_per_t"]))
    cmp_png = png_base64(plot_comparison(rows, f["by_scope"]))
    irr = e["irr"]
    econ_rows = [
        ("margin [US$/t]", e["margin_usd_per_t"]), ("revenue [US$/t]", e["revenue_usd_per_t"]),
        ("cost [US$/t]", e["cost_usd_per_t"]), ("LME [US$/t]", e["lme_usd_per_t"]),
        ("premium [US$/t]", e["premium_usd_per_t"]), ("scrap price [% LME]", e["scrap_price_pct_lme"]),
        ("power price [US$/MWh]", e["power_price_usd_per_mwh"]),
        ("break-even scrap price [% LME]", e["break_even_scrap_pct_lme"]),
        ("break-even power price [US$/MWh]", e["break_even_power_usd_per_mwh"]),
        ("plant output [t/yr]", e["annual_product_t"]), ("capex [US$]", e["capex_usd"]),
        ("NPV [US$]", e["npv_usd"]), ("IRR", "none" if irr is None else f"{100 * irr:.1f} %"),
        ("levelised cost [US$/t]", e["levelised_cost_usd_per_t"]),
        ("conventions", e["conventions"]),
    ]
    foot_rows = [("total [t CO2e/t]", f["total_t_co2e_per_t"]),
                 *[(_label(k), v) for k, v in f["by_scope"].items()],
                 *[(_label(k), str(v)) for k, v in f["method"].items()]]
    sources = [{"route": _label(k), "t_co2e_per_t": v} for k, v in f["by_source"].items()]
    cols = [("route", "route"), ("t_co2e_per_t", "t CO2e/t"), ("energy_mwh_per_t", "MWh/t"),
            ("year", "year"), ("source", "source"), ("grade", "grade")]
    return (
        '<section class="assess">\n'
        f"<h2>Economics and carbon footprint: {html.escape(str(assessment['scenario']))}</h2>\n"
        "<h3>Margin per tonne of product</h3>\n"
        f'<img alt="margin waterfall" src="data:image/png;base64,{wf}">\n'
        f"{_kv(econ_rows)}\n"
        "<h3>Footprint (cradle-to-gate, per tonne of product)</h3>\n"
        f"{_kv(foot_rows)}\n"
        f"{_rows_table(sources, cols[:2])}\n"
        "<h3>Comparison with other routes</h3>\n"
        f'<img alt="route comparison" src="data:image/png;base64,{cmp_png}">\n'
        f"{_rows_table(rows, cols)}\n"
        "</section>\n"
    )


def write_assess_html(assessment: Mapping[str, Any], path: str | PathLike[str]) -> None:
    """Write the assessment report to `path`, replacing it whole or not at all (a killed
    write keeps the previous file; `alref.atomicio.write_bytes_atomic`)."""
    from pathlib import Path

    from alref.atomicio import write_bytes_atomic

    text = render_assess_html(assessment)
    write_bytes_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
