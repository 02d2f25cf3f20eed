"""`alref props electrolyte|alloy`: property queries (answer and warn; never refuse)."""

from __future__ import annotations

import typer

props_app = typer.Typer(help="Property queries for baths and anode alloys.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach `alref props ...`."""
    from alref.cli import props_alloy, props_electrolyte

    props_electrolyte.register(props_app)
    props_alloy.register(props_app)
    app.add_typer(props_app, name="props")
