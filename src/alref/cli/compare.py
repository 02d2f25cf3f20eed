"""`alref compare RUN RUN… [--out cmp.html]`: KPI deltas, the input diff and overlaid time
series of simulation runs (run folders or catalogue ids). Thin over `alref.api.compare_runs`;
runs are loaded by `alref.store.runs.load_run`, the HTML by `alref.report.compare_html`."""

from __future__ import annotations

from typing import Annotated

import typer

from alref import numfmt
from alref.cli._common import console, emit_json, handle_errors
from alref.cli.output import Col, fit_table

DEFAULT_STORE = "alref-store"


@handle_errors
def compare(
    runs: Annotated[list[str], typer.Argument(help="Run folders (simulate --out) or run ids "
                                              "of the catalogue (alref runs list).")],
    out: str | None = typer.Option(None, "--out", help="write an HTML comparison report here"),
    store: str = typer.Option(DEFAULT_STORE, "--store", help="catalogue holding run ids"),
    json_out: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Compare simulation runs: KPI deltas against the first, the inputs that differ, and
    (with --out) the time series overlaid."""
    from alref import api
    from alref.extras import ensure

    ensure(("pandas", "pyarrow"), "reading runs", "RUN")
    if out:
        ensure(("matplotlib", "jinja2"), "writing the comparison report", "--out")
    from alref.store.runs import load_run

    cmp = api.compare_runs([load_run(r, store) for r in runs])
    if out:
        from alref.report.compare_html import write_compare_html

        write_compare_html(cmp, out)
    d = cmp.to_dict()
    if out:
        d["report_path"] = out
    if json_out:
        emit_json(d)
        return
    ids = [r["id"] for r in d["runs"]]
    ref = ids[0]
    cols = [Col("KPI", "id"), Col(ref, "num")]
    for i in ids[1:]:
        cols += [Col(i, "num"), Col(f"Δ vs {ref}", "num")]
    rows = []
    for k, v in d["kpi_deltas"].items():
        row = [numfmt.label(k), numfmt.value(v["values"][ref], k)]
        for i in ids[1:]:
            delta = v["delta"][i]
            row += [numfmt.value(v["values"][i], k),
                    "" if delta is None else ("+" if delta > 0 else "") + numfmt.value(delta, k)]
        rows.append(row)
    console.print(fit_table("KPIs (Δ against the first run)", cols, rows))
    if d["input_diff"]:
        console.print(fit_table("inputs that differ", [Col("input", "id")] + [
            Col(i, "text") for i in ids],
            [[k, *(numfmt.DASH if x is None else str(x) for x in vals)]
             for k, vals in d["input_diff"].items()]))
    else:
        console.print("inputs: identical")
    if out:
        console.print(f"report: {out}")


def register(app: typer.Typer) -> None:
    """Attach `alref compare`."""
    app.command("compare")(compare)
