"""Self-contained HTML report of a study: output distributions, tornado and Sobol plots.

Figures are drawn with matplotlib's object API on an Agg canvas and embedded as base64
PNG, so the file opens anywhere without other files (like `alref.report`).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from alref.study.analysis import SENSITIVITY_OUTPUTS, output_matrix

DPI = 90
MAX_BARS = 10  # inputs shown per tornado / Sobol chart (display choice)
LABELS = {
    "energy_kwh_per_kg": "Energy [kWh/kg]", "product_al_wt_pct": "Product Al [wt %]",
    "cycle_days": "Cycle [d]", "current_efficiency": "Current efficiency [-]",
    "residue_kg": "Residue [kg]",
}


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        fig.clear()
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(ncols: int, size: tuple[float, float]) -> tuple[Any, list]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.2, top=0.88, wspace=0.35)
    return fig, list(axes)


def plot_distributions(rows: Sequence[Mapping[str, Any]]) -> str | None:
    keys = [k for k in SENSITIVITY_OUTPUTS if np.isfinite(output_matrix(rows, k)).sum() > 1]
    if not keys:
        return None
    fig, axes = _figure(len(keys), (3.0 * len(keys), 2.6))
    for ax, k in zip(axes, keys, strict=True):
        y = output_matrix(rows, k)
        ax.hist(y[np.isfinite(y)], bins=30, color="#4c72b0")
        ax.set_title(LABELS.get(k, k), fontsize=9)
        ax.tick_params(labelsize=7)
    return _png(fig)


def plot_tornado(tornado: Mapping[str, Sequence[Mapping[str, Any]]]) -> str | None:
    keys = [k for k in SENSITIVITY_OUTPUTS if tornado.get(k)]
    if not keys:
        return None
    fig, axes = _figure(len(keys), (3.4 * len(keys), 3.2))
    fig.subplots_adjust(left=0.2)
    for ax, k in zip(axes, keys, strict=True):
        entries = list(tornado[k])[:MAX_BARS][::-1]
        ys = np.arange(len(entries))
        mid = np.mean([e["low"] for e in entries] + [e["high"] for e in entries])
        for y, e in zip(ys, entries, strict=True):
            ax.barh(y, e["low"] - mid, left=mid, color="#dd8452")
            ax.barh(y, e["high"] - mid, left=mid, color="#4c72b0")
        ax.set_yticks(ys, [e["input"].split(".")[-1] for e in entries], fontsize=7)
        ax.set_title(LABELS.get(k, k) + " (low/high fifth)", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    return _png(fig)


def plot_sobol(sobol: Mapping[str, Mapping[str, Any]]) -> str | None:
    keys = [k for k in SENSITIVITY_OUTPUTS if k in sobol and "error" not in sobol[k]]
    if not keys:
        return None
    fig, axes = _figure(len(keys), (3.4 * len(keys), 3.2))
    for ax, k in zip(axes, keys, strict=True):
        items = sorted(sobol[k].items(), key=lambda kv: -kv[1]["ST"])[:MAX_BARS]
        x = np.arange(len(items))
        ax.bar(x - 0.2, [v["S1"] for _n, v in items], 0.4, yerr=[v["S1_conf"] for _n, v in items],
               label="S1", color="#4c72b0")
        ax.bar(x + 0.2, [v["ST"] for _n, v in items], 0.4, yerr=[v["ST_conf"] for _n, v in items],
               label="ST", color="#dd8452")
        ax.set_xticks(x, [n.split(".")[-1] for n, _v in items], rotation=30, fontsize=7)
        ax.set_title(LABELS.get(k, k), fontsize=9)
        ax.legend(fontsize=7)
    return _png(fig)


def render_study_html(study_id: str, summary: Mapping[str, Any],
                      rows: Sequence[Mapping[str, Any]]) -> str:
    """The study report as one HTML string."""
    esc = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>alref study "
             f"{esc(study_id)}</title><style>body{{font-family:sans-serif;max-width:1100px;"
             "margin:auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;"
             "padding:2px 6px;font-size:12px}}</style></head><body>",
             f"<h1>Study {esc(study_id)}</h1>",
             f"<p>{esc(str(summary.get('kind')))} over scenario "
             f"<b>{esc(str(summary.get('scenario')))}</b>, seed {summary.get('seed')}, "
             f"{summary.get('ok')} of {len(rows)} samples ran.</p>",
             "<h2>Factors</h2><table><tr><th>key</th><th>distribution</th><th>arguments</th>"
             "<th>source of the range</th></tr>"]
    for f in summary.get("factors", []):
        parts.append(f"<tr><td>{esc(f['key'])}</td><td>{esc(f['dist'])}</td>"
                     f"<td>{esc(', '.join(f'{a:.4g}' for a in f['args']))}</td>"
                     f"<td>{esc(f['provenance'])}</td></tr>")
    parts.append("</table><h2>Outputs</h2><table><tr><th>output</th><th>mean</th><th>sd</th>"
                 "<th>p05</th><th>p50</th><th>p95</th></tr>")
    for k, d in summary.get("outputs", {}).items():
        if d.get("n"):
            parts.append(f"<tr><td>{esc(k)}</td>" + "".join(
                f"<td>{d[s]:.5g}</td>" for s in ("mean", "sd", "p05", "p50", "p95")) + "</tr>")
    parts.append("</table>")
    for title, png in (("Distributions", plot_distributions(rows)),
                       ("Tornado", plot_tornado(summary.get("tornado", {}))),
                       ("Sobol indices (95 % confidence)", plot_sobol(summary.get("sobol", {})))):
        if png:
            parts.append(f"<h2>{title}</h2><img alt='{title}' "
                         f"src='data:image/png;base64,{png}'>")
    if summary.get("failure_reasons"):
        parts.append("<h2>Failed samples</h2><ul>" + "".join(
            f"<li>{n} × {esc(r)}</li>" for r, n in summary["failure_reasons"].items()) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
