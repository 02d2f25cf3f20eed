"""Self-contained HTML report of a study on the shared template (`alref.htmlpage`): outputs
against the swept values (2-D maps for two factors), distributions with the target grade's
limit, tornado and Sobol plots with their confidence, and a warning when N is too small.

Figures are drawn with matplotlib's object API on an Agg canvas and embedded as base64
PNG, so the file opens anywhere without other files (like `alref.report`).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from alref import numfmt
from alref.study.analysis import SENSITIVITY_OUTPUTS, output_matrix

DPI = 90
DEFAULT_TARGET = "P1020A"  # grade whose Al minimum is drawn on the product Al histogram
#: below this many base samples Sobol confidence intervals are wide (display warning;
#: Saltelli et al. 2010 use N of several hundred to thousands)
SOBOL_MIN_N = 256
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


def _inputs(rows: Sequence[Mapping[str, Any]], key: str) -> np.ndarray:
    return np.array([float(r["inputs"].get(key, np.nan)) if isinstance(
        r["inputs"].get(key), int | float) else np.nan for r in rows], dtype=float)


def plot_sweep(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> str | None:
    """Outputs against the swept values: lines for one factor, a 2-D map per output for two
    (the other factors, if any, are averaged over)."""
    outs = [k for k in SENSITIVITY_OUTPUTS if np.isfinite(output_matrix(rows, k)).sum() > 1]
    keys = [k for k in keys if np.isfinite(_inputs(rows, k)).any()]
    if not outs or not keys:
        return None
    fig, axes = _figure(len(outs), (3.1 * len(outs), 2.9))
    fig.subplots_adjust(bottom=0.22, top=0.86, left=0.07, right=0.97, wspace=0.45)
    x = _inputs(rows, keys[0])
    for ax, k in zip(axes, outs, strict=True):
        y = output_matrix(rows, k)
        if len(keys) >= 2:
            z = _inputs(rows, keys[1])
            xs, zs = np.unique(x[np.isfinite(x)]), np.unique(z[np.isfinite(z)])
            grid = np.full((len(zs), len(xs)), np.nan)
            for i, zv in enumerate(zs):
                for j, xv in enumerate(xs):
                    sel = (x == xv) & (z == zv) & np.isfinite(y)
                    if sel.any():
                        grid[i, j] = y[sel].mean()
            mesh = ax.pcolormesh(xs, zs, grid, shading="nearest", cmap="viridis")
            fig.colorbar(mesh, ax=ax, fraction=0.08, pad=0.03).ax.tick_params(labelsize=6)
            ax.set_ylabel(keys[1].split(".")[-1], fontsize=7)
        else:
            order = np.argsort(x)
            ok = np.isfinite(y[order])
            ax.plot(x[order][ok], y[order][ok], "o-", color="#4c72b0", ms=3)
        ax.set_xlabel(keys[0].split(".")[-1], fontsize=7)
        ax.set_title(LABELS.get(k, k), fontsize=8)
        ax.tick_params(labelsize=6)
    return _png(fig)


def grade_limit(target: str = DEFAULT_TARGET) -> tuple[str, float] | None:
    """(grade, minimum Al wt %) of the target grade, drawn on the product Al histogram."""
    try:
        from alref.materials.grades import get_grade

        return target, float(get_grade(target).al_min)
    except Exception:  # an unknown target: no line rather than no report
        return None


def plot_distributions_with_limit(rows: Sequence[Mapping[str, Any]],
                                  limit: tuple[str, float] | None) -> str | None:
    """Histograms of the outputs; the product Al panel shows the target grade's minimum."""
    keys = [k for k in SENSITIVITY_OUTPUTS if np.isfinite(output_matrix(rows, k)).sum() > 1]
    if not keys:
        return None
    fig, axes = _figure(len(keys), (3.0 * len(keys), 2.7))
    fig.subplots_adjust(bottom=0.2, top=0.86, left=0.06, right=0.98, wspace=0.35)
    for ax, k in zip(axes, keys, strict=True):
        y = output_matrix(rows, k)
        ax.hist(y[np.isfinite(y)], bins=min(30, max(5, int(np.isfinite(y).sum() ** 0.5) * 2)),
                color="#4c72b0")
        if k == "product_al_wt_pct" and limit is not None:
            ax.axvline(limit[1], color="#cf222e", lw=1.5, ls="--")
            ax.text(limit[1], ax.get_ylim()[1] * 0.95, f" {limit[0]} ≥ {limit[1]:g}",
                    color="#cf222e", fontsize=7, va="top")
        ax.set_title(LABELS.get(k, k), fontsize=9)
        ax.tick_params(labelsize=7)
    return _png(fig)


def sobol_base_samples(kind: str, n_rows: int, n_factors: int) -> int | None:
    """N of a Sobol study (Saltelli: N(D+2) runs)."""
    return n_rows // (n_factors + 2) if kind == "sobol" and n_factors else None


def render_study_html(study_id: str, summary: Mapping[str, Any],
                      rows: Sequence[Mapping[str, Any]]) -> str:
    """The study report as one HTML string (the shared template and stylesheet)."""
    from alref.htmlpage import base_context, render

    kind = str(summary.get("kind"))
    factors = summary.get("factors", [])
    keys = [f["key"] for f in factors]
    n_rows = len(rows)
    warnings_: list[str] = []
    figures = []
    if kind == "sweep":
        png = plot_sweep(rows, keys)
        if png:
            figures.append({"title": "Outputs against the swept values", "png": png,
                            "note": "two factors: a map of each output over the grid "
                                    "(colour = output); one factor: output against its value"
                            if len(keys) >= 2 else ""})
    limit = grade_limit()
    png = plot_distributions_with_limit(rows, limit)
    if png:
        figures.append({"title": "Distributions" + (" (dashed: target grade's Al minimum)"
                                                      if limit else ""), "png": png, "note": ""})
    for title, png in (("Tornado: mean output in the lowest and highest fifth of each input",
                        plot_tornado(summary.get("tornado", {}))),
                       ("Sobol indices (95 % confidence)", plot_sobol(summary.get("sobol", {})))):
        if png:
            figures.append({"title": title, "png": png, "note": ""})
    n_base = sobol_base_samples(kind, n_rows, len(keys))
    if n_base is not None and n_base < SOBOL_MIN_N:
        warnings_.append(f"Sobol indices from N = {n_base} base samples: below {SOBOL_MIN_N} "
                         "the confidence intervals are wide and indices can be negative or "
                         "exceed 1; rerun with a larger -n (a power of 2).")
    sobol_tables = []
    for name, block in (summary.get("sobol") or {}).items():
        if "error" in block:
            warnings_.append(f"Sobol indices of {name}: {block['error']}")
            continue
        sobol_tables.append({"label": LABELS.get(name, name), "rows": [
            (inp, *(f"{v[s]:.3f}" for s in ("S1", "S1_conf", "ST", "ST_conf")))
            for inp, v in sorted(block.items(), key=lambda kv: -kv[1]["ST"])]})
    stats = ("mean", "sd", "p05", "p50", "p95")
    ctx = base_context(f"alref study {study_id}", [
        ("scenario", summary.get("scenario")), ("kind", kind), ("seed", summary.get("seed")),
        ("samples", n_rows)])
    ctx.update(
        kind_text={"sweep": "Full-factorial sweep", "mc": "Monte Carlo", "sobol": "Sobol analysis",
                   "morris": "Morris screening"}.get(kind, kind),
        scenario=summary.get("scenario"), ok=summary.get("ok"), n_rows=n_rows,
        failed=n_rows - int(summary.get("ok") or 0), study_warnings=warnings_,
        factors=[{"key": f["key"], "dist": f["dist"], "provenance": f["provenance"],
                  "args": ", ".join(numfmt.number(a) for a in f["args"])} for f in factors],
        stats=stats,
        outputs=[{"label": numfmt.label(k), "vals": [numfmt.value(d.get(s), k) for s in stats]}
                 for k, d in summary.get("outputs", {}).items() if d.get("n")],
        figures=figures, sobol_tables=sobol_tables, conf_pct=95,
        failures=list((summary.get("failure_reasons") or {}).items()),
    )
    return render("study.html.j2", ctx)
