"""`alref grade` and `alref scrap list|show`: thin wrappers over `alref.api`."""

from __future__ import annotations

import typer
from rich.table import Table

from alref.cli._common import (
    console,
    emit_json,
    fmt,
    handle_errors,
    kv_table,
    parse_composition_arg,
)
from alref.cli.output import Col, fit_table

scrap_app = typer.Typer(
    help="ISRI scrap classes: composition distributions and yields.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Attach `alref grade` and `alref scrap ...`."""
    app.command("grade")(grade_cmd)
    app.add_typer(scrap_app, name="scrap")


@handle_errors
def grade_cmd(
    composition: str = typer.Option(
        ..., "--composition", help='wt %, e.g. "Fe=0.12,Si=0.06" (Al = balance)'
    ),
    grade: str | None = typer.Option(
        None, "--grade", help="check one grade only (e.g. P1020A, A7)"
    ),
    json_out: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Classify a metal analysis against P-grades, GOST 11069 and EN/AA unalloyed grades."""
    from alref import api

    out = api.grade(parse_composition_arg(composition), grade=grade).to_dict()
    if json_out:
        emit_json(out)
        return
    console.print(kv_table("Grade", [("grade", out["grade"]), ("Al (wt %)", out["al_wt_pct"])]))
    table = Table(title="Checks (purest first)", title_justify="left")
    for col in ("grade", "passed", "failing", "status"):
        table.add_column(col)
    for c in out["checks"]:
        table.add_row(c["grade"], str(c["passed"]), fmt(c["failing_elements"]), c["status"])
    console.print(table)
    console.print("sources: " + ", ".join(out["citations"]))


@scrap_app.command("list")
@handle_errors
def scrap_list(
    json_out: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """List the scrap classes with their mean Al and metal yield."""
    from alref import api

    result = api.scrap_classes()
    if json_out:
        emit_json(result.to_dict())
        return
    console.print(fit_table("Scrap classes", [
        Col("name", "id"), Col("ISRI code", "id"), Col("Al mean [wt %]", "num", "x_wt_pct"),
        Col("metal yield [-]", "num", "x_fraction"), Col("description", "text")],
        [(r["name"], r["isri_code"], r["al_wt_pct_mean"], r["metal_yield"], r["description"])
         for r in result.scrap]))


@scrap_app.command("show")
@handle_errors
def scrap_show(
    name: str = typer.Argument(..., help="class name, ISRI code or alias (e.g. twitch, ubc)"),
    json_out: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Composition distribution, non-metallics, yield and sources of one scrap class."""
    from alref import api

    out = api.scrap_class_detail(name).to_dict()
    if json_out:
        emit_json(out)
        return
    console.print(
        kv_table(
            f"{out['name']} ({out['isri_code']})",
            [
                ("description", out["description"]),
                ("metal yield", out["metal_yield"]),
                ("non-metallic (wt %)", out["nonmetallic_wt_pct"]),
            ],
        )
    )
    table = Table(title="Metallic part (wt %)", title_justify="left")
    for col in ("element", "mean", "sd"):
        table.add_column(col)
    for el, st in out["composition_wt_pct"].items():
        table.add_row(el, f"{st['mean']:.4g}", f"{st['sd']:.3g}")
    console.print(table)
    console.print(
        "mix: " + ", ".join(f"{m['component']} {m['share']:.3g}" for m in out["alloy_mix"])
    )
    console.print("sources: " + ", ".join(s["key"] for s in out["sources"]))
