"""HTML report of `alref compare --out`: inputs that differ, KPI deltas, overlaid series."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alref import numfmt
from alref.atomicio import write_bytes_atomic
from alref.htmlpage import base_context, render
from alref.report import plots

TIME_D = "Time [d]"
MAX_SERIES = 6  # overlaid series shown (the first found of `KEY_SERIES`, then others)


def overlay_plots(series: dict[str, dict[str, Any]], names: list[str]) -> list[dict[str, str]]:
    """One PNG per series name, every run that has it drawn against time [d]."""
    out = []
    for name in names:
        fig, (ax,) = plots.new_figure((8.0, 3.0))
        fig.subplots_adjust(right=0.97, left=0.09, bottom=0.17)
        drawn = 0
        for rid, s in series.items():
            if name in s and TIME_D in s:
                ax.plot(s[TIME_D], s[name], label=rid, lw=1.3)
                drawn += 1
        if not drawn:
            fig.clear()
            continue
        ax.set_xlabel("time [d]")
        ax.set_ylabel(name, fontsize=8)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        out.append({"title": name, "png": plots.png_base64(plots.figure_png(fig))})
    return out


def series_names(series: dict[str, dict[str, Any]]) -> list[str]:
    from alref.api.compare import KEY_SERIES

    common = set.intersection(*(set(s) for s in series.values())) if series else set()
    first = [n for n in KEY_SERIES if n in common]
    rest = sorted(n for n in common if n not in first and n not in (TIME_D, "Time [s]"))
    return (first + rest)[:MAX_SERIES]


def render_compare_html(cmp: Any) -> str:
    """The comparison report of an `alref.api.compare.RunComparison`."""
    d = cmp.to_dict()
    ids = [r["id"] for r in d["runs"]]
    kpis = []
    for k, v in d["kpi_deltas"].items():
        kpis.append({"label": numfmt.label(k),
                     "vals": [numfmt.value(v["values"][i], k) for i in ids],
                     "deltas": [("+" if (v["delta"][i] or 0) > 0 else "")
                                + numfmt.value(v["delta"][i], k) for i in ids[1:]]})
    ctx = base_context(f"alref comparison of {len(ids)} runs",
                       [("runs", ", ".join(ids))])
    ctx.update(runs=d["runs"], kpis=kpis,
               input_diff=[(k, [numfmt.DASH if x is None else x for x in vals])
                           for k, vals in d["input_diff"].items()],
               plots=overlay_plots(cmp.series, series_names(cmp.series)))
    return render("compare.html.j2", ctx)


def write_compare_html(cmp: Any, path: str | Path) -> str:
    """Write the comparison report atomically; returns the path."""
    text = render_compare_html(cmp)
    write_bytes_atomic(Path(path), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return str(path)
