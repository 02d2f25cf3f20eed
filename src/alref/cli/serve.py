"""`alref serve`: the web dashboard (needs the ``web`` extra; imported only when run)."""

from __future__ import annotations

import typer

from alref.cli._common import fail, handle_errors


@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to bind (loopback by default)"),
    port: int = typer.Option(8000, "--port", help="TCP port", min=0, max=65535),
    data: str = typer.Option("alref-web-data", "--data", help="directory of runs and the "
                             "results catalogue"),
    mode: str = typer.Option("local", "--mode", help="local (one user, loopback) or team "
                             "(shared: needs --token)"),
    token: str | None = typer.Option(None, "--token", help="secret for team mode (or "
                                     "ALREF_WEB_TOKEN)"),
    workers: int = typer.Option(2, "--workers", help="simulations run at once"),
) -> None:
    """Web dashboard: scenario editor, runs with live progress, compare, studies, JSON API."""
    from alref.web import INSTALL_HINT, missing_modules

    missing = missing_modules()
    if missing:
        fail(f"alref serve needs the web extra (missing: {', '.join(missing)}); "
             f"install it with: {INSTALL_HINT}", 2)
    from alref.web import serve as run
    from alref.web.settings import Settings

    settings = Settings.build(data, mode=mode, token=token, host=host, workers=workers)
    typer.echo(f"alref dashboard on http://{host if ':' not in host else f'[{host}]'}:{port}/ "
               f"(data: {settings.data_dir}; Ctrl-C stops)", err=True)
    run(settings, host, port)


def register(app: typer.Typer) -> None:
    """Attach `alref serve`."""
    app.command("serve")(serve)
