"""`alref scenarios` (list the presets and designs), `alref scenarios show NAME` (print a
preset's TOML) and `alref scenarios export NAME > my.toml` (a scenario file to edit)."""

from __future__ import annotations

import sys

import typer

from alref.cli._common import handle_errors

app = typer.Typer(
    help="List built-in scenario presets and cell designs; show or export a preset's TOML.",
    invoke_without_command=True,
    no_args_is_help=False,
)

NAME_ARG = typer.Argument(..., help="preset name (alref scenarios lists them)")
SET_OPT = typer.Option(None, "--set", help="override KEY=VALUE (TOML value), repeatable; "
                                           "the variant is written without the comments")


@app.callback()
def scenarios_list(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """List built-in scenario presets and cell designs (show NAME / export NAME: a preset's
    TOML)."""
    if ctx.invoked_subcommand is None:
        from alref.cli.cell import scenarios

        scenarios(json_out)


@app.command("show")
@handle_errors
def show(name: str = NAME_ARG) -> None:
    """Print a preset's TOML file, comments included."""
    from alref import api

    sys.stdout.write(api.preset_toml(name))


@app.command("export")
@handle_errors
def export(name: str = NAME_ARG, overrides: list[str] | None = SET_OPT) -> None:
    """Write a preset (or, with --set, its variant) as a scenario file on stdout:
    `alref scenarios export NAME > my.toml`; loading the file gives the same scenario
    (same hash)."""
    from alref import api

    sys.stdout.write(api.scenario_toml(name, overrides or ()))


def register(root: typer.Typer) -> None:
    """Attach `alref scenarios` and its subcommands."""
    root.add_typer(app, name="scenarios")
