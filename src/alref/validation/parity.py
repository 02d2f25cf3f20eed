"""Parity plots of the validation report: alref against published, one figure per quantity.

Each evaluated case is a point at (published, alref): a point value at itself, a range at
its midpoint with the range as a horizontal bar (a one-sided range at its finite bound).
The vertical bar is the case's accepted interval (published ± tolerance), i.e. the band the
model value must fall in; the diagonal is parity. Colour = class (verification /
calibration / validation), marker = verdict (pass, fail, known deviation). Pending cases are
not evaluated and not drawn.

Drawn with matplotlib's object-oriented API on an Agg canvas (the `report` extra), at the
size and resolution of the campaign report's figures (`alref.report.plots`, which this
lower layer cannot import), and returned as PNG bytes.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from alref.extras import needs_extras

DPI = 90  # as alref.report.plots
SIZE = (3.6, 3.3)
MARGINS = {"left": 0.2, "right": 0.96, "bottom": 0.16, "top": 0.88}
CLASS_COLOURS = {"verification": "#7f7f7f", "calibration": "#1f77b4", "validation": "#d62728"}
VERDICT_MARKERS = {"pass": "o", "FAIL": "X", "known deviation": "^"}


def verdict(case: Mapping[str, Any]) -> str:
    """'pass', 'FAIL', 'known deviation' or 'pending' of a case row of the summary."""
    if case["status"] == "pending":
        return "pending"
    if case["status"] == "known deviation":
        return "known deviation"
    return "pass" if case["passed"] else "FAIL"


def _finite(x: Any) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def parity_point(case: Mapping[str, Any]) -> tuple[float, float, float] | None:
    """(x, x_lo, x_hi) of the published value: a point, a range's midpoint and ends, or a
    one-sided range's finite bound; None if nothing finite was published."""
    exp = case["expected"]
    if isinstance(exp, list | tuple):
        lo, hi = (_finite(v) for v in exp)
        if lo is not None and hi is not None:
            return 0.5 * (lo + hi), lo, hi
        bound = lo if lo is not None else hi
        return None if bound is None else (bound, bound, bound)
    x = _finite(exp)
    return None if x is None else (x, x, x)


def by_quantity(cases: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Evaluated cases (a finite model value and published value) grouped by quantity."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for c in cases:
        if verdict(c) == "pending" or _finite(c.get("predicted")) is None:
            continue
        if parity_point(c) is None:
            continue
        out.setdefault(str(c["quantity"]), []).append(c)
    return dict(sorted(out.items()))


def plot_quantity(quantity: str, unit: str, cases: Sequence[Mapping[str, Any]]) -> bytes:
    """PNG of one quantity's parity plot."""
    with needs_extras("the parity plots of the validation report"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

    fig = Figure(figsize=SIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    fig.subplots_adjust(**MARGINS)
    xs: list[float] = []
    ys: list[float] = []
    for c in cases:
        x, x_lo, x_hi = parity_point(c) or (math.nan, math.nan, math.nan)
        y = float(c["predicted"])
        xs += [x_lo, x_hi]
        ys.append(y)
        lo, hi = (_finite(v) for v in c["accepted_interval"])
        ys += [v for v in (lo, hi) if v is not None]
    span_lo, span_hi = min(xs + ys), max(xs + ys)
    pad = 0.08 * (span_hi - span_lo) or 0.05 * abs(span_hi) or 1.0
    lim = (span_lo - pad, span_hi + pad)
    for c in cases:
        x, x_lo, x_hi = parity_point(c) or (math.nan, math.nan, math.nan)
        y = float(c["predicted"])
        colour = CLASS_COLOURS.get(str(c["class"]), "k")
        lo_raw, hi_raw = c["accepted_interval"]
        lo = _finite(lo_raw) if _finite(lo_raw) is not None else lim[0]
        hi = _finite(hi_raw) if _finite(hi_raw) is not None else lim[1]
        ax.plot([x, x], [lo, hi], color=colour, alpha=0.35, lw=6, solid_capstyle="butt")
        if x_hi > x_lo:
            ax.plot([x_lo, x_hi], [y, y], color=colour, alpha=0.6, lw=1.2)
        ax.plot([x], [y], marker=VERDICT_MARKERS[verdict(c)], color=colour, ms=7, ls="none")
    ax.plot(lim, lim, color="k", lw=0.8, ls="--")
    ax.set_xlim(lim)
    ax.set_ylim(lim)
    label = f" [{unit}]" if unit not in ("", "-") else ""
    ax.set_xlabel("published" + label, fontsize=8)
    ax.set_ylabel("alref" + label, fontsize=8)
    ax.set_title(quantity, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.ticklabel_format(useOffset=False)
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        fig.clear()
    return buf.getvalue()


def parity_plots(summary: Mapping[str, Any]) -> dict[str, bytes]:
    """{quantity: PNG} for every quantity with at least one evaluated case."""
    return {q: plot_quantity(q, str(cs[0].get("unit", "")), cs)
            for q, cs in by_quantity(summary["cases"]).items()}


LEGEND = ("Parity plots: published (x; a range is drawn at its midpoint with a horizontal "
          "bar) against alref (y); the shaded vertical bar is the accepted interval "
          "(published ± tolerance); dashed: parity. Colour: grey verification, blue "
          "calibration, red validation. Marker: ● pass, ✖ fail, ▲ known deviation. "
          "Pending cases are not drawn.")


def img_tag(png: bytes, alt: str) -> str:
    """An <img> with the PNG embedded as a data URI (the page stays self-contained)."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
