"""`alref cell`, `alref simulate`, `alref scenarios`, `alref params ...`."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from alref import numfmt
from alref.cli._common import (
    check_set_keys,
    console,
    emit_json,
    err_console,
    fmt,
    handle_errors,
    kv_table,
    progress_bar,
)
from alref.cli.output import Col, fit_table, note_warnings

SCENARIO_ARG = typer.Argument(None, help="preset name or TOML path (default: rusal-3ka-twitch)")
SET_OPT = typer.Option(None, "--set", help="override KEY=VALUE (TOML value), repeatable")
JSON_OPT = typer.Option(False, "--json", help="print one JSON object")

params_app = typer.Typer(help="Parameters of a scenario with their sources.", no_args_is_help=True)


def _print_operating_point(d: dict[str, Any], title: str) -> None:
    console.print(kv_table(title, [
        ("scenario / design", f"{d['scenario']} / {d['design']} ({d['variant']})"),
        ("current [A]", d["current_a"]),
        ("cathode current density [A/cm2]", d["cathode_current_density_a_cm2"]),
        ("bath temperature [degC]", d["bath_temperature_c"]),
        ("ACD [cm]", d["acd_cm"]),
        ("cell voltage [V]", d["cell_voltage_v"]),
        ("current efficiency [-]", d["current_efficiency"]),
        ("energy [kWh/kg]", d["energy_kwh_per_kg"]),
        ("DC energy [kWh/kg]", d["dc_energy_kwh_per_kg"]),
        ("production [kg/day]", d["production_kg_per_day"]),
        ("heat loss [kW]", d["heat_loss_kw"]),
        ("auxiliary heat [kW]", d["auxiliary_heat_kw"]),
        ("thermally self-sufficient", d["thermally_self_sufficient"]),
        ("layer densities [g/cm3]", d["layer_densities_g_cm3"]),
    ]))
    vt = Table(title="voltage breakdown [V]", title_justify="left")
    vt.add_column("term")
    vt.add_column("V", justify="right")
    for k, v in d["voltage_breakdown_v"].items():
        vt.add_row(k, f"{v:.4f}")
    console.print(vt)
    ht = Table(title="heat balance [kW]", title_justify="left")
    ht.add_column("flow")
    ht.add_column("kW", justify="right")
    for k, v in d["heat_balance_kw"].items():
        ht.add_row(k, f"{v:.3f}")
    console.print(ht)
    for note in d["notes"]:
        console.print(f"[bold]note:[/bold] {note}")


@handle_errors
def cell(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Steady-state operating point: voltage breakdown, CE, heat balance, pot control."""
    from alref import api

    check_set_keys("cell", overrides)
    d = api.cell_operating_point(scenario, overrides or ()).to_dict()
    note_warnings(d.get("warnings") or [])
    if json_out:
        emit_json(d)
    else:
        _print_operating_point(d, "steady-state operating point")


SIM_KPIS = ("termination", "cycle_days", "current_a", "mean_cell_voltage_v", "current_efficiency",
            "energy_kwh_per_kg", "product_kg", "product_al_wt_pct", "product_in_grade_fraction",
            "scrap_charged_kg", "residue_kg", "mass_balance_rel_error")
LOT_IMPURITIES = 3  # impurities shown per lot (the largest), display choice


def check_output_extras(out: str | None, xlsx: str | None) -> None:
    """Exit 2 with the pip line, before any work, when --out or --xlsx lacks its extra."""
    from alref.extras import ensure

    if out:
        ensure(("pandas", "pyarrow", "matplotlib", "jinja2"), "writing a run folder", "--out")
    if xlsx:
        ensure(("pandas", "openpyxl"), "writing an Excel workbook", "--xlsx")


def register_run(run_folder: str, store: str) -> str | None:
    """Enter the run folder into the catalogue at `store` (None, with a note, without duckdb)."""
    from alref.extras import missing

    if missing(["duckdb"]):
        err_console.print('note: run not registered in the catalogue (needs duckdb: '
                          'pip install "alref[study]")', markup=False, highlight=False)
        return None
    from alref.store.catalog import Catalog
    from alref.store.runs import register_run_folder

    return register_run_folder(Catalog(store), run_folder)


def lot_table(lots: list[dict[str, Any]], target: str | None) -> Table:
    """Lots graded within the target grade's family, with meets_target and main impurities."""
    from alref.report.grading import lot_grade_rows

    rows = []
    for lot in lot_grade_rows(lots, target):
        c = lot["composition_wt_pct"]
        imp = sorted(((el, v) for el, v in c.items() if el != "Al" and v > 0), key=lambda kv: -kv[1])
        rows.append((lot["t_days"], lot["mass_kg"], lot["al_wt_pct"], lot["grade"] or "below",
                     lot["meets_target"],
                     ", ".join(f"{el} {numfmt.number(v)}" for el, v in imp[:LOT_IMPURITIES])))
    return fit_table(f"lots (grades of the {target or 'P1020A'} family)", [
        Col("day [d]", "num", "t_days"), Col("mass [kg]", "num", "mass_kg"),
        Col("Al [wt %]", "num", "al_wt_pct"), Col("grade", "id"), Col("meets target", "id"),
        Col("main impurities [wt %]", "text")], rows)


@handle_errors
def simulate(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    out: str | None = typer.Option(None, "--out", help="write a run folder (Parquet, CSV, "
                                   "JSON, manifest, HTML report) here and register it in the "
                                   "runs catalogue (--store)"),
    store: str = typer.Option("alref-store", "--store", help="runs catalogue that --out "
                              "registers the run in (alref runs list --out STORE)"),
    xlsx: str | None = typer.Option(None, "--xlsx", help="write an Excel workbook (KPIs, lots, "
                                    "actions, time series) here"),
    json_out: bool = JSON_OPT,
) -> None:
    """Main job: simulate a pot's cycle (default scenario rusal-3ka-twitch)."""
    from alref import api

    check_set_keys("simulate", overrides)
    check_output_extras(out, xlsx)
    sc = api.load_scenario(scenario, overrides or ())  # bad input fails before the bar
    if json_out:
        sol = api.simulate(sc)
    else:
        with progress_bar("simulating") as progress:
            sol = api.simulate(sc, progress=progress)
    run_folder = run_id = None
    if out:
        from alref.report import write_simulation_run

        run_folder = write_simulation_run(sol, out, scenario, overrides or ())
        run_id = register_run(run_folder, store)
    if xlsx:
        from alref.report.workbook import run_sheets, write_workbook

        write_workbook(xlsx, run_sheets(sol))
    d = api.simulation_result(sol, run_folder).to_dict()
    note_warnings(d.get("warnings") or [])
    if json_out:
        if run_id:
            d["run_id"] = run_id
        emit_json(d)
        return
    console.print(kv_table(f"campaign: {d['scenario']}", [
        (numfmt.label(k) if k != "product_in_grade_fraction"
         else f"product in {d['target_grade']} or better [-]", fmt(d[k], k))
        for k in SIM_KPIS if k in d]))
    console.print(lot_table(d["lots"], d.get("target_grade")))
    residue = sorted(d["residue_composition_wt_pct"].items(), key=lambda kv: -kv[1])
    console.print(fit_table("residue composition", [Col("element", "id"),
                                                    Col("content [wt %]", "num", "x_wt_pct")],
                            residue))
    if out:
        console.print(f"run folder: {d['run_folder']}" + (f" (catalogue {store}: {run_id})"
                                                           if run_id else ""))
    if xlsx:
        console.print(f"workbook: {xlsx}")


@handle_errors
def scenarios(json_out: bool = JSON_OPT) -> None:
    """List built-in scenario presets and cell designs."""
    from alref import api

    catalog = api.scenario_catalog()
    if json_out:
        emit_json(catalog.to_dict())
        return
    cols = ("name", "design", "current", "temperature", "electrolyte_family", "feed")
    console.print(fit_table("scenario presets", [
        Col("name", "id"), Col("design", "id"), Col("current", "num"),
        Col("temperature", "num"), Col("bath family", "id"), Col("feed", "text")],
        [[fmt(r[c]) for c in cols] for r in catalog.scenarios]))
    console.print(fit_table("cell designs", [
        Col("name", "id"), Col("variant", "id"), Col("rated current [A]", "num", "x_a"),
        Col("title", "text")],
        [(r["name"], r["variant"], r["rated_current_a"], r["title"]) for r in catalog.designs]))


@params_app.command("list")
@handle_errors
def params_list(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Every parameter of a scenario and its design, with value, unit and provenance.
    The first column is the exact key for --set KEY=VALUE (with --set: the variant's values;
    every scenario key is listed, so every key is taken)."""
    from alref import api

    table = api.parameter_table(scenario, overrides or ())
    if json_out:
        d = table.to_dict()
        for row, p in zip(d["parameters"], table.parameters, strict=True):
            row["set_key"] = p.set_key
        emit_json(d)
        return
    console.print(fit_table("parameters (change one with --set KEY=VALUE)", [
        Col("--set KEY", "id"), Col("value", "num"), Col("unit", "id"),
        Col("provenance", "text")],
        [(p.set_key, fmt(p.value), p.unit, p.provenance()) for p in table.parameters]))


@params_app.command("show")
@handle_errors
def params_show(
    name: str = typer.Argument(..., help="parameter name, e.g. design.pot_control.acd_max_m"),
    scenario: str | None = typer.Option(None, "--scenario", help="preset or TOML path"),
    json_out: bool = JSON_OPT,
) -> None:
    """One parameter with its provenance."""
    from alref import api

    d = api.parameter(name, scenario).to_dict()
    if json_out:
        emit_json(d)
    else:
        console.print(kv_table(d["name"], list(d.items())))


@params_app.command("cite")
@handle_errors
def params_cite(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """References (and labelled assumptions) behind a scenario's results."""
    from alref import api

    d = api.cite_scenario(scenario, overrides or ()).to_dict()
    if json_out:
        emit_json(d)
        return
    t = Table(title=f"references used by {d['scenario']}", title_justify="left")
    t.add_column("key")
    t.add_column("reference", overflow="fold")
    t.add_column("used for", overflow="fold")
    for r in d["references"]:
        t.add_row(r["key"], r["reference"], ", ".join(r["used_for"][:6]))
    console.print(t)
    a = Table(title="labelled assumptions", title_justify="left")
    a.add_column("parameter")
    a.add_column("reason", overflow="fold")
    seen = set()
    for r in d["assumptions"]:
        if r["reason"] in seen:
            continue
        seen.add(r["reason"])
        a.add_row(r["name"], r["reason"])
    console.print(a)


def register(app: typer.Typer) -> None:
    """Attach the commands of this module."""
    app.command("cell")(cell)
    app.command("simulate")(simulate)
    # `alref scenarios` (list, show, export) is registered by alref.cli.scenarios
    app.add_typer(params_app, name="params")
