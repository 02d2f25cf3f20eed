"""`alref serve`: the web dashboard (FastAPI + Uvicorn + Jinja2, htmx and Plotly.js vendored).

Thin over `alref.api`, like the CLI: no physics and no business logic here. Needs the
``web`` extra (``pip install "alref[web]"``). `create_app(settings)` builds the application
(`alref.web.app`); `serve` runs it with Uvicorn.
"""

from __future__ import annotations

from typing import Any

INSTALL_HINT = 'pip install "alref[web]"'
REQUIRED = ("fastapi", "uvicorn", "jinja2", "duckdb", "pandas")


def missing_modules() -> list[str]:
    """The web extra's modules that are not importable."""
    import importlib.util

    return [m for m in REQUIRED if importlib.util.find_spec(m) is None]


def create_app(settings: Any) -> Any:
    """The FastAPI application (see `alref.web.app.create_app`)."""
    from alref.web.app import create_app as _create

    return _create(settings)


def serve(settings: Any, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the dashboard until interrupted."""
    import uvicorn

    app = create_app(settings)
    # assumption: keep idle connections 30 s (uvicorn's 5 s default races with clients that
    # reuse a connection after a pause of a few seconds)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                limit_concurrency=1000, timeout_graceful_shutdown=3, timeout_keep_alive=30)
