"""`alref blend`: refining-aware scrap blend optimiser (thin wrapper over `alref.api.blend`)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from alref.cli._common import console, emit_json, fmt, handle_errors, kv_table


def register(app: typer.Typer) -> None:
    """Attach `alref blend`."""
    app.command("blend")(blend_cmd)


@handle_errors
def blend_cmd(
    file: str | None = typer.Argument(None, help="blend TOML file (default: built-in example)"),
    confidence: float = typer.Option(0.95, "--confidence",
                                     help="chance-constraint confidence in [0.5, 1); 0.5 = "
                                     "deterministic"),
    mc_samples: int = typer.Option(2000, "--mc-samples",
                                   help="Monte Carlo draws through the linear model"),
    mc_sims: int = typer.Option(3, "--mc-sims",
                                help="Monte Carlo draws through the campaign simulator"),
    json_out: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Choose the scrap to buy for a pot plan: cost/margin/CO2 optimum that the pot can refine
    to the target grade, verified with the campaign simulator."""
    from alref import api

    out = api.blend(file, confidence, mc_samples=mc_samples, mc_sims=mc_sims).to_dict()
    if json_out:
        emit_json(out)
        return
    _print(out)


def _print(out: dict[str, Any]) -> None:
    sim = out.get("verified_by_simulation") or {}
    pred = out["predicted"]
    console.print(kv_table(f"blend ({out['objective']}, confidence {out['confidence']:g})", [
        ("status", out["status"]),
        ("cost [USD]", out["cost_usd"]),
        ("cost breakdown [USD]", out["cost_breakdown_usd"]),
        ("cycles needed (predicted)", pred["cycles_needed"]),
        ("limited by", pred["cycles_limited_by"]),
        ("predicted product Al [wt %]", pred["product_al_wt_pct"]),
        ("predicted grade", out["grade"]),
        ("simulated product Al [wt %]", sim.get("product_al_wt_pct")),
        ("simulated grade", sim.get("grade")),
        ("simulated in-grade share", sim.get("in_grade_fraction")),
        ("simulated cycle [d]", sim.get("cycle_days")),
        ("solve time [s]", out["solve_time_s"]),
        ("linearisation time [s]", out["linearisation_time_s"]),
    ]))
    t = Table(title="lots bought", title_justify="left")
    for col in ("lot", "scrap", "t", "trucks", "USD/t", "USD"):
        t.add_column(col)
    for lot in out["lots"]:
        t.add_row(lot["lot"], lot["scrap"], fmt(lot["tonnes"]), fmt(lot["trucks"]),
                  fmt(lot["price_usd_per_t"]), fmt(lot["cost_usd"]))
    console.print(t)
    console.print("binding: " + "; ".join(out["binding_constraints"]))
    mc = out.get("monte_carlo") or {}
    if mc:
        console.print(f"Monte Carlo ({mc.get('samples')} draws): grade met "
                      f"{fmt(mc.get('grade_met_fraction'))}, anode budget met "
                      f"{fmt(mc.get('anode_budget_met_fraction'))}")
