"""Plots of a campaign `Solution` as PNG bytes (matplotlib, Agg, no pyplot state).

Each ``plot_*`` function draws one figure from the series it needs and returns PNG bytes,
or None when those series are missing (the report then prints a note instead).
Figures are built with the object-oriented API (`matplotlib.figure.Figure`), never
registered with pyplot, and are cleared after saving, so nothing accumulates.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from alref.campaign.solution import Solution
from alref.report.flows import SMALL_SHARE

DPI = 90
WIDE = (8.5, 3.4)
# fixed margins (fractions of the figure): a layout engine costs ~2x the drawing time
MARGINS = {"left": 0.1, "right": 0.76, "bottom": 0.15, "top": 0.95, "wspace": 0.35}
PREFERRED_GRADE = "P1020A"
CELL_VOLTAGE = "Cell voltage [V]"
BATH_TEMPERATURE = "Bath temperature [degC]"
VOLTAGE_TERM = re.compile(r"^Voltage: (?P<term>.+?) \[V\]$")
TEMPERATURE = re.compile(r"^(?P<what>.+ temperature) \[degC\]$", re.IGNORECASE)
ANODE_ELEMENT = re.compile(r"^Anode (?P<name>[A-Z][a-z]?) \[wt %\]$")
BATH_SALT = re.compile(r"^Bath (?P<name>[A-Za-z0-9]+) \[wt %\]$")
CUMULATIVE = re.compile(r"^Cumulative (?P<what>.+?) \[(?P<unit>[^\]]+)\]$")
LOG_SPAN_DECADES = 2.0  # display choice: log axis when positive data span > 2 decades


# ------------------------------------------------------------------ figure plumbing
def new_figure(size: tuple[float, float] = WIDE, ncols: int = 1) -> tuple[Figure, list]:
    """A figure attached to an Agg canvas, with `ncols` axes side by side."""
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    fig.subplots_adjust(**MARGINS)
    return fig, list(axes)


def plain_log_labels(ax) -> None:
    """Label a log y axis at 1-2-5 steps with plain numbers (0.02, not 2x10^-2)."""
    ax.yaxis.set_major_locator(LogLocator(base=10.0, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def figure_png(fig: Figure) -> bytes:
    """PNG bytes of `fig`; the figure is cleared afterwards to free its artists."""
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        fig.clear()
    return buf.getvalue()


def png_base64(png: bytes) -> str:
    """Base64 text of PNG bytes, for a ``data:image/png;base64,`` URI."""
    return base64.b64encode(png).decode("ascii")


def days(solution: Solution) -> np.ndarray:
    return np.asarray(solution.time_s, dtype=float) / 86400.0


def has_data(solution: Solution, name: str) -> bool:
    """True if series `name` exists and has at least one finite value."""
    if name not in solution.series:
        return False
    values = np.asarray(solution.series[name], dtype=float)
    return bool(np.isfinite(values).any())


def matching(solution: Solution, pattern: re.Pattern[str], group: str) -> dict[str, str]:
    """Series with data whose names match `pattern`, keyed by the named `group`."""
    found = {}
    for name in sorted(solution.series):
        m = pattern.match(name)
        if m and has_data(solution, name):
            found[m.group(group)] = name
    return found


def use_log_if_wide(ax, arrays: Sequence[np.ndarray]) -> None:
    """Log y axis if all finite values are positive and span more than two decades."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    if not values.size or values.min() <= 0:
        return
    if np.log10(values.max() / values.min()) > LOG_SPAN_DECADES:
        ax.set_yscale("log")
        plain_log_labels(ax)


def finish_time_axis(ax, ylabel: str, legend_outside: bool = True) -> None:
    """Axis labels, grid and a legend (right of the axes, or inside at the upper left)."""
    ax.set_xlabel("time [d]")
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    if not ax.get_legend_handles_labels()[0]:
        return
    if legend_outside:
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  frameon=False)
    else:
        ax.legend(fontsize="small", loc="upper left")


# ------------------------------------------------------------------ plots
def plot_voltage(solution: Solution) -> bytes | None:
    """Cell voltage and its breakdown (``Voltage: <term> [V]``): stacked if all ≥ 0, terms
    below `SMALL_SHARE` of the total grouped into "other"."""
    terms = matching(solution, VOLTAGE_TERM, "term")
    has_total = has_data(solution, CELL_VOLTAGE)
    if not terms and not has_total:
        return None
    # largest term at the bottom of the stack; terms below SMALL_SHARE summed as "other"
    means = {k: float(np.nanmean(np.abs(np.asarray(solution.series[n], dtype=float))))
             for k, n in terms.items()}
    total = sum(means.values())
    small = [k for k, m in means.items() if m < SMALL_SHARE * total]
    grouped = {k: np.asarray(solution.series[terms[k]], dtype=float)
               for k in sorted(means, key=lambda k: -means[k]) if k not in small or len(small) == 1}
    if len(small) > 1:
        grouped[f"other ({len(small)} terms)"] = np.sum(
            [np.nan_to_num(np.asarray(solution.series[terms[k]], dtype=float)) for k in small],
            axis=0)
    terms = grouped
    t = days(solution)
    fig, (ax,) = new_figure()
    parts = list(terms.values())
    stackable = bool(parts) and all(np.all(np.nan_to_num(p) >= 0) for p in parts)
    if stackable:
        ax.stackplot(t, *[np.nan_to_num(p) for p in parts], labels=list(terms), alpha=0.7)
    else:
        for term, values in zip(terms, parts, strict=True):
            ax.plot(t, values, lw=1, label=term)
    if has_total:
        ax.plot(t, solution.series[CELL_VOLTAGE], color="black", lw=1.5, label="cell voltage")
    finish_time_axis(ax, "voltage [V]")
    return figure_png(fig)


def plot_temperature(solution: Solution) -> bytes | None:
    """Bath temperature and every other ``... temperature [degC]`` series."""
    names = matching(solution, TEMPERATURE, "what")
    if not names:
        return None
    t = days(solution)
    fig, (ax,) = new_figure()
    for what, name in names.items():
        ax.plot(t, solution.series[name], lw=2 if name == BATH_TEMPERATURE else 1, label=what)
    finish_time_axis(ax, "temperature [°C]")
    return figure_png(fig)


def _plot_composition(solution: Solution, pattern: re.Pattern[str], ylabel: str
                      ) -> bytes | None:
    names = matching(solution, pattern, "name")
    if not names:
        return None
    t = days(solution)
    fig, (ax,) = new_figure()
    arrays = [np.asarray(solution.series[n], dtype=float) for n in names.values()]
    for label, values in zip(names, arrays, strict=True):
        ax.plot(t, values, lw=1, label=label)
    use_log_if_wide(ax, arrays)
    finish_time_axis(ax, ylabel)
    return figure_png(fig)


def plot_anode_composition(solution: Solution) -> bytes | None:
    """Anode alloy composition, series ``Anode <El> [wt %]``."""
    return _plot_composition(solution, ANODE_ELEMENT, "anode alloy [wt %]")


def plot_bath_composition(solution: Solution) -> bytes | None:
    """Bath (electrolyte) composition, series ``Bath <Salt> [wt %]``."""
    return _plot_composition(solution, BATH_SALT, "bath [wt %]")


def limit_grade(grade_limits: Mapping[str, Mapping[str, float]]) -> str | None:
    """The grade whose limits the lots are plotted against: P1020A, else the first given."""
    if PREFERRED_GRADE in grade_limits:
        return PREFERRED_GRADE
    return next(iter(grade_limits), None)


def plot_lot_impurities(solution: Solution) -> bytes | None:
    """Impurity of each lot vs the grade limit, one panel per limited element (log y).

    Markers above the limit are drawn in red. Lots with 0 wt % of an element cannot be
    shown on a log axis; they are left out and counted in the panel's corner.
    """
    grade = limit_grade(solution.grade_limits)
    if grade is None or not solution.lots:
        return None
    limits = {el: float(v) for el, v in solution.grade_limits[grade].items()
              if el != "Al" and np.isfinite(v) and v > 0}
    if not limits:
        return None
    t = np.array([lot.t_s for lot in solution.lots]) / 86400.0
    ncols = min(len(limits), 5)
    nrows = -(-len(limits) // ncols)
    height_in = 2.2 * nrows + 0.6
    fig = Figure(figsize=(WIDE[0], height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True).ravel()
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.55 / height_in,
                        top=1.0 - 0.3 / height_in, wspace=0.45, hspace=0.5)
    for ax, (el, limit) in zip(axes, limits.items(), strict=False):
        wt = np.array([float(lot.composition_wt_pct.get(el, 0.0)) for lot in solution.lots])
        shown = wt > 0
        over = shown & (wt > limit)
        ax.plot(t[shown & ~over], wt[shown & ~over], "o", ms=3, color="tab:blue")
        ax.plot(t[over], wt[over], "o", ms=3, color="tab:red")
        ax.axhline(limit, color="black", lw=1, ls="--")
        if not shown.all():
            ax.text(0.02, 0.02, f"{int((~shown).sum())} lots at 0 not shown",
                    transform=ax.transAxes, fontsize="xx-small", color="gray")
        ax.set_xlim(float(t.min()) - 1.0, float(t.max()) + 1.0)
        ax.set_yscale("log")
        plain_log_labels(ax)
        ax.set_title(f"{el} (limit {limit:g} %)", fontsize="small")
        ax.tick_params(labelsize="x-small")
        ax.grid(True, which="both", alpha=0.2)
    for ax in axes[len(limits):]:
        ax.set_visible(False)
    fig.supxlabel("lot tapped at [d]", fontsize="small")
    fig.supylabel(f"wt % (limits of {grade})", fontsize="small")
    return figure_png(fig)


def plot_cumulative(solution: Solution) -> bytes | None:
    """Cumulative production, energy etc. (``Cumulative <what> [<unit>]``), a panel per unit."""
    by_unit: dict[str, dict[str, str]] = {}
    for name in sorted(solution.series):
        m = CUMULATIVE.match(name)
        if m and has_data(solution, name):
            by_unit.setdefault(m.group("unit"), {})[m.group("what")] = name
    if not by_unit:
        return None
    t = days(solution)
    fig, axes = new_figure(ncols=len(by_unit))
    fig.subplots_adjust(right=0.98)
    for ax, (unit, names) in zip(axes, by_unit.items(), strict=True):
        for what, name in names.items():
            ax.plot(t, solution.series[name], lw=1.5, label=what)
        finish_time_axis(ax, f"[{unit}]", legend_outside=False)
    return figure_png(fig)


# (title, function, what is missing when it returns None)
#: limits that end a cycle, their series and the summary["limits"] entry of their threshold
LIMIT_PANELS = (
    ("Alloy superheat [K]", "alloy_superheat", "minimum alloy superheat"),
    ("Bath superheat [K]", "bath_superheat", "minimum bath superheat"),
    ("Sludge [kg]", "sludge_capacity", "sludge capacity"),
    ("Bath volume [L]", "bath_volume", "compartment volume"),
)
#: limits whose threshold is a fixed capacity: drawn at the first value + starting margin
CAPACITY_LIMITS = ("sludge_capacity", "bath_volume")


def plot_limits(solution: Solution) -> bytes | None:
    """The limits that end the cycle against time: alloy and bath superheat with their
    thresholds, the sludge and the bath volume with their capacities (first value +
    starting margin), each where its series exists."""
    limits = solution.summary.get("limits") or {}
    panels = [p for p in LIMIT_PANELS if has_data(solution, p[0])]
    if not panels:
        return None
    fig, axes = new_figure((3.0 * len(panels), 2.9), ncols=len(panels))
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.86, wspace=0.4)
    x = days(solution)
    for ax, (name, key, what) in zip(axes, panels, strict=True):
        y = np.asarray(solution.series[name], dtype=float)
        ax.plot(x, y, color="#4c72b0", lw=1.3)
        lim = limits.get(key) or {}
        level = None
        if key in ("alloy_superheat", "bath_superheat") and lim.get("threshold") is not None:
            level = float(lim["threshold"])
        elif key in CAPACITY_LIMITS and lim.get("margin_start") is not None:
            level = float(y[np.isfinite(y)][0]) + float(lim["margin_start"])
        if level is not None:
            ax.axhline(level, color="#cf222e", ls="--", lw=1.2, label=what)
            ax.legend(fontsize=6, loc="best")
        if solution.summary.get("termination_limit") == key:
            ax.set_title(f"{name} (ended the cycle)", fontsize=8, color="#cf222e")
        else:
            ax.set_title(name, fontsize=8)
        ax.set_xlabel("time [d]", fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    return figure_png(fig)


PLOTS = (
    ("Limits that end the cycle", plot_limits, "no superheat, sludge or bath volume series"),
    ("Cell voltage and its breakdown", plot_voltage,
     f"no '{CELL_VOLTAGE}' and no 'Voltage: <term> [V]' series"),
    ("Temperatures", plot_temperature, "no '... temperature [degC]' series"),
    ("Anode alloy composition", plot_anode_composition, "no 'Anode <El> [wt %]' series"),
    ("Bath composition", plot_bath_composition, "no 'Bath <Salt> [wt %]' series"),
    ("Lot impurities vs grade limits", plot_lot_impurities,
     "no lots, or no grade limits in the solution"),
    ("Cumulative production and energy", plot_cumulative,
     "no 'Cumulative <what> [<unit>]' series"),
)
