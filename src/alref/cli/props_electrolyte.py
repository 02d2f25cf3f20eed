"""`alref props electrolyte`: bath conductivity, density, liquidus and heat capacity.

Thin wrapper over `alref.api.electrolyte_properties`. Queries below the
liquidus or outside a correlation's range answer and warn (never refuse).
"""

from __future__ import annotations

import typer

from alref.cli._common import console, emit_json, handle_errors, kv_table, parse_composition_arg


def register(app: typer.Typer) -> None:
    """Attach `electrolyte` to the `props` group."""

    @app.command("electrolyte")
    @handle_errors
    def electrolyte(
        composition: str = typer.Option(
            ..., "--composition", help='wt % of salts, e.g. "NaF=40,AlF3=60"'),
        temperature: str = typer.Option(
            ..., "--temperature", help='e.g. "800 degC" (bare numbers: degC)'),
        family: str | None = typer.Option(
            None, "--family", help="electrolyte family or alias (default: detect)"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    ) -> None:
        """Electrolyte properties at a temperature (cited, range-checked correlations)."""
        from alref import api

        result = api.electrolyte_properties(parse_composition_arg(composition), temperature, family)
        report = result.to_dict()
        if as_json:
            emit_json(report)
            return
        rows = [
            ("family", f"{report['family']} ({result.family_description})"),
            ("temperature (degC)", report["temperature_c"]),
            ("cryolite ratio (molar)", report["cryolite_ratio"]),
            ("conductivity (S/cm)", report["conductivity_s_per_cm"]),
            ("density (g/cm3)", report["density_g_cm3"]),
            ("liquidus (degC)", report["liquidus_c"]),
            ("heat capacity (J/(kg K))", report["heat_capacity_j_per_kg_k"]),
            ("correlations", report["correlations"]),
            ("citations", report["citations"]),
        ]
        console.print(kv_table("Electrolyte properties", rows))
        for note in report["warnings"]:
            console.print(f"[yellow]warning:[/yellow] {note}", highlight=False)
        for note in report["assumptions"]:
            console.print(f"[dim]assumption used: {note}[/dim]", highlight=False)
