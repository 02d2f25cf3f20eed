"""`alref validate` (model vs published results) and `alref calibrate` (fit declared parameters)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from alref.cli._common import console, emit_json, handle_errors
from alref.cli.output import Col, fit_table

CASES_OPT = typer.Option(None, "--cases", help="case directory (default: the cases shipped "
                         "with alref, or $ALREF_VALIDATION_CASES)")
JSON_OPT = typer.Option(False, "--json", help="print one JSON object")
CASES_ARG = typer.Argument(..., metavar="CASES...", help="calibration case ids")


def _print_summary(summary: dict[str, Any]) -> None:
    from alref.validation.report import COLUMNS, rows

    shown = (0, 6, 5, 3, 4, 1)  # case, result, alref, published, tolerance, class
    kinds = ("id", "id", "num", "num", "num", "id")
    console.print(fit_table(
        "alref vs published results (quantities and sources: --json / --report)",
        [Col(COLUMNS[i], k) for i, k in zip(shown, kinds, strict=True)],
        [[row[i] for i in shown] for row in rows(summary)]))
    from alref.validation.report import class_line

    console.print(
        f"{summary['passed']} of {summary['total']} pass; {summary['failed']} fail; "
        f"{summary['known_deviations']} known deviations; {summary['pending']} pending "
        f"({summary['model_runs']} model runs in {summary['elapsed_s']:.1f} s)")
    for name, n in summary["by_class"].items():
        console.print("  " + class_line(name, n))
    if summary["success"]:
        console.print("[green]PASSED[/green]: every case marked ok is within its tolerance")
    else:
        console.print(f"[bold red]FAILED[/bold red]: {summary['failed']} case(s) marked ok miss"
                      + (f"; validation cases: {', '.join(summary['failed_validation'])}"
                         if summary["failed_validation"] else ""))
    for cid in summary["stale_known_deviations"]:
        console.print(f"[yellow]note:[/yellow] known deviation {cid} now passes; revisit its status")


@handle_errors
def validate(
    json_out: bool = JSON_OPT,
    report: str | None = typer.Option(None, "--report", help="write the table to FILE "
                                      "(.md Markdown or .html), atomically"),
    cases: str | None = CASES_OPT,
) -> None:
    """Run every validation case: model vs published values.

    Exit 1 when a case marked `ok` misses (any class: a missed validation case is a failed
    prediction, a missed verification or calibration case a regression); the JSON object
    (`success` false, `failed_validation`) or the table is still printed in full first.
    Known deviations and pending cases do not fail the run."""
    from alref import api

    summary = api.validate(cases, report).to_dict()
    if json_out:
        emit_json(summary)
    else:
        _print_summary(summary)
        if report:
            console.print(f"report written to {summary['report']}")
    if summary["failed"]:
        raise typer.Exit(1)


def _print_fit(d: dict[str, Any]) -> None:
    from alref.validation.report import num

    table = Table(title=f"calibration of {d['technology']}", title_justify="left")
    for col in ("parameter", "start", "fitted", "1σ", "range"):
        table.add_column(col)
    for p in d["parameters"]:
        table.add_row(p["path"], num(p["start"]), num(p["value"]), num(p["uncertainty"]),
                      num(p["range"]))
    console.print(table)
    cases = Table(title="fit residuals ((predicted - target)/scale)", title_justify="left")
    for col in ("case", "target", "scale", "predicted", "residual"):
        cases.add_column(col)
    for c in d["cases"]:
        cases.add_row(c["id"], num(c["target"]), num(c["scale"]), num(c["predicted"]),
                      num(c["residual"]))
    console.print(cases)
    console.print(f"cost {num(d['cost'])}, s² {num(d['s2'])}, {d['model_evaluations']} "
                  f"evaluations: {d['message']}")
    corr = d["correlation"]
    if len(corr["parameters"]) > 1:
        ctab = Table(title="parameter correlation", title_justify="left")
        ctab.add_column("")
        for i, _p in enumerate(corr["parameters"]):
            ctab.add_column(f"[{i}]")
        for i, (p, row) in enumerate(zip(corr["parameters"], corr["matrix"], strict=True)):
            ctab.add_row(f"[{i}] {p}", *["-" if v is None else f"{v:+.2f}" for v in row])
        console.print(ctab)
    for f in d["flags"]:
        console.print(f"[yellow]{f['flag']}:[/yellow] {f['parameter']} ({f['detail']})")
    if d.get("written"):
        console.print(f"written to {d['written']}")


@handle_errors
def calibrate(
    case_ids: list[str] = CASES_ARG,
    params: str = typer.Option(..., "--params", help="comma-separated dotted design paths, "
                               "e.g. lining.lid.0.thickness_m"),
    technology: str | None = typer.Option(None, "--technology", help="technology to fit "
                                          "(default: the cases')"),
    write: bool = typer.Option(False, "--write", help="write the fitted values into "
                               "data/calibration/<technology>.toml"),
    cases: str | None = CASES_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Fit a technology's declared calibration parameters to published cases (least squares)."""
    from alref import api

    names = [p.strip() for p in params.split(",") if p.strip()]
    d = api.calibrate(case_ids, names, technology=technology, cases=cases, write=write).to_dict()
    if json_out:
        emit_json(d)
    else:
        _print_fit(d)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("calibrate")(calibrate)
