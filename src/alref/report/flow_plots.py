"""Flow diagrams of the run report (PNG bytes, matplotlib Agg, no pyplot state): a
mass-flow (Sankey) diagram per element and the energy flows of the cell, both drawn by
`hub_sankey` (sources on the left, sinks on the right, band widths proportional to the
flow, every band labelled with its value and share). Numbers: `alref.report.flows`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from alref.campaign.solution import Solution
from alref.report import flows
from alref.report.plots import DPI, figure_png

IN_COLOURS = ("#4c72b0", "#55a868", "#8172b2", "#64b5cd", "#937860", "#8c8c8c")
OUT_COLOURS = ("#dd8452", "#c44e52", "#da8bc3", "#ccb974", "#8c8c8c", "#4c72b0", "#55a868")
#: the same flow has the same colour in every panel (first word of its label)
FLOW_COLOURS = {"initial": "#4c72b0", "scrap": "#55a868", "bath": "#8172b2",
                "hardware": "#937860", "metal": "#64b5cd", "product": "#2a9d8f",
                "residue": "#c44e52", "fume": "#e9a23b", "oxidised": "#8c564b",
                "left": "#9e9e9e", "heat": "#dd8452", "charges": "#c44e52",
                "joule": "#4c72b0", "auxiliary": "#55a868", "dc": "#4c72b0"}
#: flows always drawn on their own, however small (the product's impurity is the point)
ALWAYS_SHOWN = ("product (tapped)",)
HUB_COLOUR = "#34495e"
# layout of one diagram in axes coordinates (x: labels | nodes | hub | nodes | labels)
X_IN, X_HUB, X_OUT, NODE_W = 0.30, 0.50, 0.70, 0.015
SPAN = 0.78  # height of the hub (total flow)
GAP = 0.025  # gap between side nodes
LABEL_STEP = 0.09  # smallest vertical distance between two labels
#: display choice: flows below this share of the total are drawn as one "other" band (the
#: table under the diagram lists every flow)
TINY_SHARE = 0.002


def _spread(ys: list[float], step: float = LABEL_STEP, lo: float = 0.02, hi: float = 0.98
            ) -> list[float]:
    """Label heights near `ys` (top to bottom, decreasing) at least `step` apart, kept in
    [lo, hi]."""
    out: list[float] = []
    for y in ys:
        out.append(min(y, out[-1] - step) if out else min(y, hi))
    if out and out[-1] < lo:  # pushed off the bottom: shift everything up, keep the order
        shift = lo - out[-1]
        out = [min(y + shift, hi - i * step) for i, y in enumerate(out)]
    return out


def _band(ax, x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float],
          colour: str) -> None:
    """A band from the vertical segment y0 at x0 to y1 at x1 (cubic edges)."""
    xm = (x0 + x1) / 2
    verts = [(x0, y0[0]), (xm, y0[0]), (xm, y1[0]), (x1, y1[0]), (x1, y1[1]),
             (xm, y1[1]), (xm, y0[1]), (x0, y0[1]), (x0, y0[0])]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO,
             Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY]
    ax.add_patch(PathPatch(Path(verts, codes), facecolor=colour, edgecolor="none", alpha=0.45))


def _side(ax, flows_: Mapping[str, float], total: float, x: float, left: bool,
          colours: tuple[str, ...], unit: str) -> None:
    """Nodes of one side, their bands to the hub and their labels."""
    shown = [k for k, v in flows_.items() if v > 0
             and (v >= TINY_SHARE * total or k in ALWAYS_SHOWN)]
    tiny = [k for k, v in flows_.items() if v > 0 and k not in shown]
    if len(tiny) == 1:  # one small flow keeps its name
        shown, tiny = [k for k in flows_ if k in shown or k in tiny], []
    items = [(k, flows_[k]) for k in shown]
    if tiny:
        items.append((f"{len(tiny)} small flows", math.fsum(flows_[k] for k in tiny)))
    n = len(items)
    column = SPAN + GAP * max(n - 1, 0)
    top_side, top_hub = 0.5 + column / 2, 0.5 + SPAN / 2
    label_y, label_text = [], []
    for i, (name, v) in enumerate(items):
        h = SPAN * v / total
        colour = FLOW_COLOURS.get(name.split()[0].lower(), colours[i % len(colours)])
        seg = (top_side - h, top_side)
        hub = (top_hub - h, top_hub)
        ax.add_patch(Rectangle((x - NODE_W / 2, seg[0]), NODE_W, h, color=colour, lw=0))
        if left:
            _band(ax, x + NODE_W / 2, seg, X_HUB - NODE_W / 2, hub, colour)
        else:
            _band(ax, X_HUB + NODE_W / 2, hub, x - NODE_W / 2, seg, colour)
        label_y.append(sum(seg) / 2)
        label_text.append(f"{name}\n{_value(v, unit)} ({_pct(v, total)})")
        top_side -= h + GAP
        top_hub -= h
    xt = x - 0.02 if left else x + 0.02
    for y, y_lab, text in zip(label_y, _spread(label_y), label_text, strict=True):
        ax.annotate(text, (x - NODE_W / 2 if left else x + NODE_W / 2, y), (xt, y_lab),
                    ha="right" if left else "left", va="center", fontsize=6.5,
                    arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "0.5"}
                    if abs(y - y_lab) > 0.01 else None)


def _value(v: float, unit: str) -> str:
    if v >= 100:
        return f"{v:,.0f} {unit}"
    return f"{v:.3g} {unit}"


def _pct(v: float, total: float) -> str:
    pct = 100.0 * v / total
    return f"{pct:.3g} %" if pct >= 0.01 else "<0.01 %"


def hub_sankey(ax, inputs: Mapping[str, float], outputs: Mapping[str, float], title: str,
               unit: str, hub_label: str = "") -> None:
    """Draw sources → hub → sinks into `ax` (band heights ∝ flow; the hub is the larger of
    the two totals, so an unbalanced ledger shows as a short side)."""
    tin = math.fsum(v for v in inputs.values() if v > 0)
    tout = math.fsum(v for v in outputs.values() if v > 0)
    total = max(tin, tout)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(title, fontsize=8.5)
    if not total > 0:
        ax.text(0.5, 0.5, "no flow", ha="center", va="center", fontsize=8, color="0.5")
        return
    _side(ax, inputs, total, X_IN, True, IN_COLOURS, unit)
    _side(ax, outputs, total, X_OUT, False, OUT_COLOURS, unit)
    ax.add_patch(Rectangle((X_HUB - NODE_W / 2, 0.5 - SPAN / 2), NODE_W, SPAN,
                           color=HUB_COLOUR, lw=0))
    if hub_label:
        ax.text(X_HUB, 0.5 + SPAN / 2 + 0.03, hub_label, ha="center", va="bottom",
                fontsize=7, color=HUB_COLOUR)


def _grid(n: int, ncols: int, panel: tuple[float, float]) -> tuple[Figure, list]:
    nrows = -(-n // ncols)
    fig = Figure(figsize=(panel[0] * ncols, panel[1] * nrows), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = list(np.ravel(fig.subplots(nrows, ncols, squeeze=False)))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=1 - 0.25 / (panel[1] * nrows),
                        wspace=0.05, hspace=0.15)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes


def plot_mass_flows(solution: Solution) -> bytes | None:
    """A Sankey diagram per element (Al and the largest impurities fed): where each kg
    that came into the pot went, from the run's mass ledger."""
    elements = flows.flow_elements(solution.summary)
    if not elements:
        return None
    mf = flows.mass_flows(solution.summary)
    fig, axes = _grid(len(elements), 2, (4.7, 2.9))
    for ax, el in zip(axes, elements, strict=False):
        total = math.fsum(mf[el]["in"].values())
        hub_sankey(ax, mf[el]["in"], mf[el]["out"], f"{el}: {_value(total, 'kg')} in",
                   "kg", hub_label="pot")
    return figure_png(fig)


def plot_energy_flows(solution: Solution) -> bytes | None:
    """The DC energy over the voltage terms (small terms grouped) and the heat balance
    (Joule and auxiliary heat against the heat lost and the charges' heat), per kg Al."""
    ef = flows.energy_flows(solution)
    if ef is None:
        return None
    panels = [("electrical", "Where the DC energy goes", "cell")]
    if "heat" in ef:
        panels.append(("heat", "Heat balance", "heat released"))
    fig, axes = _grid(len(panels), 2, (4.7, 3.1))
    unit = ef["unit"]
    for ax, (key, title, hub) in zip(axes, panels, strict=False):
        total = math.fsum(ef[key]["in"].values())
        hub_sankey(ax, ef[key]["in"], ef[key]["out"], f"{title}: {total:.3g} {unit}",
                   "kWh/kg", hub_label=hub)
    return figure_png(fig)


FLOW_PLOTS = (
    ("Mass flows per element (Sankey)", plot_mass_flows,
     "no per-element mass ledger in the summary (a run recorded before alref kept one)"),
    ("Energy flows", plot_energy_flows, "no DC energy or voltage breakdown in the summary"),
)
