"""`alref pot-life`: a pot over many cycles with its anode kept, and its steady state."""

from __future__ import annotations

import typer
from rich.table import Table

from alref.cli._common import console, emit_json, handle_errors, kv_table, progress_bar

SCENARIO_ARG = typer.Argument(None, help="preset name or TOML path (default: rusal-3ka-twitch)")
SET_OPT = typer.Option(None, "--set", help="override KEY=VALUE (TOML value), repeatable")
CYCLES_OPT = typer.Option(10, "--cycles", "-n", help="cycles to run (1-200)")
JSON_OPT = typer.Option(False, "--json", help="print one JSON object")
POTS_OPT = typer.Option(None, "--pots", help="also schedule this many pots on staggered cycles "
                        "over a year (daily metal, power, drains, rebuilds, grades)")


@handle_errors
def pot_life(
    scenario: str | None = SCENARIO_ARG,
    overrides: list[str] | None = SET_OPT,
    cycles: int = CYCLES_OPT,
    pots: int | None = POTS_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Many cycles of one pot (anode and bath kept; sludge drained, alloy bled between
    cycles) and the steady state per tonne of product."""
    from alref import api
    run = api.pot_life
    from alref.errors import ConfigError

    if not 1 <= cycles <= 200:
        raise ConfigError("--cycles", f"must be in [1, 200], got {cycles}")
    plant_schedule = api.plant_schedule
    if pots is not None and not 1 <= pots <= 100000:
        raise ConfigError("--pots", f"must be in [1, 100000], got {pots}")
    sc = api.load_scenario(scenario, overrides or ())
    if json_out:
        res = run(sc, cycles=cycles)
        d = res.to_dict()
        if pots is not None:
            d["schedule"] = plant_schedule(res, pots)
        emit_json(d)
        return
    with progress_bar("cycles") as progress:
        res = run(sc, cycles=cycles, progress=progress)
    d = res.to_dict()
    s = d["steady_state"]
    console.print(kv_table(f"pot life: {d['scenario']} ({d['cycles']} cycles)", [
        ("steady state", f"from cycle {s['steady_from_cycle']}" if s["steady"]
         else "not reached (last cycles averaged)"),
        ("cycle [d] / turnaround [d]", f"{s['cycle_days']:.2f} / {s['turnaround_days']:.1f}"),
        ("scrap [t/t product]", s["scrap_t_per_t_product"]),
        ("residue (sludge drain) [kg/t]", s["residue_kg_per_t"]),
        ("alloy bleed [kg/t]", s["bleed_kg_per_t"]),
        ("Cu make-up [kg/t]", s["copper_kg_per_t"]),
        ("salts [kg/t]", sum(s["salts_kg_per_t"].values())),
        ("energy [kWh/kg]", s["energy_kwh_per_kg"]),
        ("product Al [wt %]", s["product_al_wt_pct"]),
        ("cycles per year / per lining / per diaphragm",
         f"{s['cycles_per_year']:.1f} / {s['cycles_per_lining_life']:.0f} / "
         f"{s['cycles_per_diaphragm_life']:.1f}"),
        ("mass balance rel. error (all cycles)", d["mass_balance_rel_error"]),
    ]))
    t = Table(title="cycles", title_justify="left")
    for col in ("#", "days", "product kg", "scrap kg", "residue kg", "bleed kg", "Cu add kg",
                "Cu start %", "Si end %", "Al %"):
        t.add_column(col, justify="right")
    for c in d["per_cycle"]:
        t.add_row(str(c["cycle"]), f"{c['cycle_days']:.2f}", f"{c['product_kg']:.1f}",
                  f"{c['scrap_kg']:.1f}", f"{c['residue_kg']:.1f}", f"{c['bleed_kg']:.1f}",
                  f"{c['cu_added_kg']:.1f}", f"{c['anode_start_wt_pct'].get('Cu', 0):.2f}",
                  f"{c['anode_end_wt_pct'].get('Si', 0):.2f}", f"{c['product_al_wt_pct']:.3f}")
    console.print(t)
    if pots is not None:
        sch = plant_schedule(res, pots)
        console.print(kv_table(f"plant schedule: {pots} pots over {sch['days']} days", [
            ("product [t] (by grade)", f"{sch['product_t']:,.0f} ("
             + ", ".join(f"{g} {v:,.0f}" for g, v in sch["product_t_by_grade"].items()) + ")"),
            ("daily product [t] mean / min / max",
             f"{sch['daily_product_t_mean']:.1f} / {sch['daily_product_t_min']:.1f} / "
             f"{sch['daily_product_t_max']:.1f}"),
            ("power [MW] mean / max", f"{sch['power_mw_mean']:.2f} / {sch['power_mw_max']:.2f}"),
            ("sludge drains / lining rebuilds / diaphragm changes",
             f"{sch['sludge_drains']} / {sch['lining_rebuilds']} / {sch['diaphragm_changes']}"),
        ]))


def register(app: typer.Typer) -> None:
    """Attach the `pot-life` command."""
    app.command("pot-life")(pot_life)
