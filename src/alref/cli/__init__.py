"""The `alref` command line (typer + rich). Commands are thin wrappers over services.

Each sub-module exposes `register(app)`; logic lives in `alref.api` and the layers.
"""

from __future__ import annotations

import typer

from alref.version import __version__

app = typer.Typer(
    name="alref",
    help="Electrolytic refining of aluminium scrap into primary-grade aluminium.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"alref {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True),
) -> None:
    """alref: pot physics, campaigns, grades, economics and studies."""


def _register_all() -> None:
    from alref.cli import (
        assess,
        blend,
        cell,
        compare,
        materials,
        potlife,
        props,
        scenarios,
        serve,
        study,
        thermo,
        validate,
    )

    for mod in (cell, scenarios, props, thermo, materials, validate, assess, potlife, blend, study,
                compare, serve):
        mod.register(app)
    from alref.cli.output import wrap_commands

    wrap_commands(app)  # validity warnings, collapsed, on stderr after every command


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()
