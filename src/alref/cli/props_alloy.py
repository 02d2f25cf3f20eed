"""`alref props alloy`: liquid anode-alloy density, liquidus, a_Al, E_rev and solubilities.

Thin wrapper over `alref.api.alloy_properties`. Composition in wt %
(Al may be omitted: balance). Queries below the liquidus answer and warn.
"""

from __future__ import annotations

import typer

from alref.cli._common import console, emit_json, handle_errors, kv_table, parse_composition_arg


def register(app: typer.Typer) -> None:
    """Attach `alloy` to the `props` group."""

    @app.command("alloy")
    @handle_errors
    def alloy(
        composition: str = typer.Option(
            ..., "--composition", help='wt % of elements, e.g. "Al=67,Cu=33" (Al may be omitted)'),
        temperature: str = typer.Option(
            "750 degC", "--temperature",
            help='e.g. "750 degC" (bare numbers: degC; default 750 degC, as `thermo series`: '
                 'the liquidus and primary phase do not depend on it)'),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    ) -> None:
        """Liquid anode-alloy properties (COST 507 thermodynamics, cited densities)."""
        from alref import api

        comp = parse_composition_arg(composition, key="--composition")
        report = api.alloy_properties(comp, temperature).to_dict()
        if as_json:
            emit_json(report)
            return
        rows = [
            ("composition (wt %)", report["composition_wt_pct"]),
            ("temperature (degC)", report["temperature_c"]),
            ("density (g/cm3)", report["density_g_cm3"]),
            ("liquidus, first solid (degC)", report["liquidus_c"]),
            ("primary phase", report["primary_phase"]),
            ("Al-Cu matrix liquidus (degC)", report["matrix_liquidus_c"]),
            ("a_Al (pure liquid Al = 1)", report["activity_al"]),
            ("E_rev (V)", report["e_rev_v"]),
            ("saturation (wt %)", report["solubility_wt_pct"]),
            ("activity coefficients", report["activity_coefficients"]),
            ("citations", report["citations"]),
        ]
        console.print(kv_table("Anode alloy properties", rows))
        for note in report["warnings"]:
            console.print(f"[yellow]warning:[/yellow] {note}", highlight=False)
