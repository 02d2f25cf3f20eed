"""`alref thermo series`: the electrochemical series relative to Al in a bath (thin wrapper
over `alref.api.electrochemical_series`)."""

from __future__ import annotations

import typer
from rich.table import Table

from alref.cli._common import console, emit_json, handle_errors

thermo_app = typer.Typer(help="Thermochemistry: Gibbs energies and the electrochemical series.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach `alref thermo ...`."""
    app.add_typer(thermo_app, name="thermo")


@thermo_app.command("series")
@handle_errors
def series_command(
    temperature: str = typer.Option("750 degC", "--temperature", "-T",
                                    help="Bath temperature (bare numbers in degC)."),
    bath: str = typer.Option("fluoride", "--bath", help="fluoride or chloride."),
    elements: str = typer.Option("", "--elements",
                                 help="Comma-separated elements (default: all with data)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Nobility of metals relative to Al (pure-substance standard states).

    Positive dE = more noble than Al: stays in the anode alloy.
    """
    from alref import api

    names = [e.strip() for e in elements.split(",") if e.strip()] or None
    report = api.electrochemical_series(temperature, bath, names).to_dict()
    if as_json:
        emit_json(report)
        return
    table = Table(
        title=f"Electrochemical series in a {bath} bath at {report['temperature_c']:.0f} degC "
        f"(vs {report['reference']}; + = nobler than Al)",
        title_justify="left",
    )
    for col in ("element", "compound", "n", "g kJ/eq", "E_d V", "dE vs Al V", "log10 K"):
        table.add_column(col, justify="left" if col in ("element", "compound") else "right")
    for r in report["series"]:
        table.add_row(r["element"], r["compound"], str(r["valence"]), f"{r['g_kj_per_eq']:.1f}",
                      f"{r['decomposition_v']:.3f}", f"{r['delta_e_vs_al_v']:+.3f}",
                      f"{r['log10_k_exchange']:+.1f}")
    console.print(table)
    for w in report["warnings"]:
        console.print(f"warning: {w}", highlight=False, markup=False)
    console.print("sources: " + ", ".join(report["citations"]), highlight=False, markup=False)
