"""`alref cell`, `alref simulate`, `alref scenarios`, `alref params ...`."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from alref.cli._common import console, emit_json, fmt, handle_errors, kv_table, progress_bar

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
    for w in d["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {w}", markup=True, highlight=False)


@handle_errors
def cell(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Steady-state operating point: voltage breakdown, CE, heat balance, pot control."""
    from alref import api

    d = api.cell_operating_point(scenario, overrides or ()).to_dict()
    if json_out:
        emit_json(d)
    else:
        _print_operating_point(d, "steady-state operating point")


@handle_errors
def simulate(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    out: str | None = typer.Option(None, "--out", help="write a run folder (Parquet, CSV, "
                                   "JSON, manifest, HTML report) here"),
    json_out: bool = JSON_OPT,
) -> None:
    """Main job: simulate a pot's cycle (default scenario rusal-3ka-twitch)."""
    from alref import api

    sc = api.load_scenario(scenario, overrides or ())  # bad input fails before the bar
    if json_out:
        sol = api.simulate(sc)
    else:
        with progress_bar("simulating") as progress:
            sol = api.simulate(sc, progress=progress)
    run_folder = None
    if out:
        from alref.report import write_simulation_run

        run_folder = write_simulation_run(sol, out, scenario, overrides or ())
    d = api.simulation_result(sol, run_folder).to_dict()
    if json_out:
        emit_json(d)
        return
    console.print(kv_table(f"campaign: {d['scenario']}", [
        ("termination", d["termination"]),
        ("cycle [d]", d["cycle_days"]),
        ("current [A]", d["current_a"]),
        ("mean cell voltage [V]", d["mean_cell_voltage_v"]),
        ("current efficiency [-]", d["current_efficiency"]),
        ("energy [kWh/kg]", d["energy_kwh_per_kg"]),
        ("product [kg]", d["product_kg"]),
        ("product Al [wt %]", d["product_al_wt_pct"]),
        (f"product in {d['target_grade']} or better [-]", d["product_in_grade_fraction"]),
        ("scrap charged [kg]", d["scrap_charged_kg"]),
        ("residue [kg]", d["residue_kg"]),
        ("mass balance rel. error (max)", d["mass_balance_rel_error"]),
    ]))
    t = Table(title="lots", title_justify="left")
    for col in ("day", "kg", "Al %", "grade", "Fe %", "Si %", "Cu %"):
        t.add_column(col, justify="right")
    for lot in d["lots"]:
        c = lot["composition_wt_pct"]
        t.add_row(f"{lot['t_days']:.1f}", f"{lot['mass_kg']:.1f}", f"{lot['al_wt_pct']:.3f}",
                  str(lot["grade"]), f"{c.get('Fe', 0):.4f}", f"{c.get('Si', 0):.4f}",
                  f"{c.get('Cu', 0):.4f}")
    console.print(t)
    console.print(kv_table("residue composition [wt %]",
                           sorted(d["residue_composition_wt_pct"].items(), key=lambda kv: -kv[1])))
    if out:
        console.print(f"run folder: {d['run_folder']}")


@handle_errors
def scenarios(json_out: bool = JSON_OPT) -> None:
    """List built-in scenario presets and cell designs."""
    from alref import api

    catalog = api.scenario_catalog()
    if json_out:
        emit_json(catalog.to_dict())
        return
    rows, designs = catalog.scenarios, catalog.designs
    t = Table(title="scenario presets", title_justify="left")
    for col in ("name", "design", "current", "temperature", "electrolyte_family", "feed"):
        t.add_column(col)
    for r in rows:
        t.add_row(*(fmt(r[c]) for c in ("name", "design", "current", "temperature",
                                          "electrolyte_family", "feed")))
    console.print(t)
    t2 = Table(title="cell designs", title_justify="left")
    for col in ("name", "variant", "rated_current_a", "title"):
        t2.add_column(col)
    for r in designs:
        t2.add_row(r["name"], r["variant"], fmt(r["rated_current_a"]), r["title"])
    console.print(t2)


@params_app.command("list")
@handle_errors
def params_list(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Every parameter of a scenario and its design, with value, unit and provenance."""
    from alref import api

    table = api.parameter_table(scenario, overrides or ())
    if json_out:
        emit_json(table.to_dict())
        return
    t = Table(title="parameters", title_justify="left")
    for col in ("name", "value", "unit", "provenance"):
        t.add_column(col, overflow="fold")
    for p in table.parameters:
        t.add_row(p.name, fmt(p.value), p.unit, p.provenance())
    console.print(t)


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
    app.command("scenarios")(scenarios)
    app.add_typer(params_app, name="params")
