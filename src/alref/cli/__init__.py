"""The `alref` command line (typer + rich). Commands are thin wrappers over services.

Each sub-module exposes `register(app)`; logic lives in `alref.api` and the layers.
"""

from __future__ import annotations

import os
import sys

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


def run(argv: list[str] | None = None) -> int:
    """Run the command line on `argv` (default: ``sys.argv[1:]``) and return its exit code:
    0 success, 2 bad input, 1 internal error. Usage errors (an unknown option, a value of
    the wrong type, a missing argument) are one line on stderr naming the option, like
    every other input error (ARCHITECTURE.md §6)."""
    from typer import core

    from alref.cli._common import fail_line, internal_error_line

    click = getattr(core, "_click", None)  # the click typer raises (vendored in new typer)
    if click is None:  # pragma: no cover - typer releases that use click itself
        import click
    abort = getattr(core, "Abort", None) or click.exceptions.Abort
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", ())

    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="alref", standalone_mode=False)
    except no_args as exc:
        sys.stdout.write(exc.format_message() + "\n")
        return 0
    except click.ClickException as exc:  # usage errors: "error: KEY: message (see: ...)"
        ctx = getattr(exc, "ctx", None)
        where = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
        fail_line(f"{_usage_key(exc, ctx)}: {exc.format_message()}{where}")
        return 2 if exc.exit_code not in (0, 1) else exc.exit_code
    except abort:
        fail_line("aborted")
        return 1
    except Exception as exc:  # an error outside a command's own handler
        if os.environ.get("ALREF_DEBUG"):
            raise
        fail_line(internal_error_line(exc))
        return 1
    return code if isinstance(code, int) else 0


def _usage_key(exc: Exception, ctx: object) -> str:
    """The option, argument or command a usage error is about."""
    name = getattr(exc, "option_name", None)
    if name:
        return str(name)
    param = getattr(exc, "param", None)
    if param is not None:
        opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
        return opts[0] if opts else str(getattr(param, "name", "ARGUMENT")).upper()
    hint = getattr(exc, "param_hint", None)
    if hint:
        return str(hint).strip("'\"")
    return "COMMAND"


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
