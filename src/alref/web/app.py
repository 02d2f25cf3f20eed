"""The FastAPI application of `alref serve`: JSON API, pages, downloads, guards, jobs.

`create_app(settings)` wires the pieces; errors are mapped once here, so no response ever
carries a traceback: a ConfigError is 422 naming key and message, a malformed body 422
naming the field, anything unexpected 500 with the exception's type only.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from alref.errors import ConfigError
from alref.version import __version__
from alref.web.jobs import JobManager
from alref.web.security import BodyLimit, Guard
from alref.web.settings import Settings

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("alref.web")


def _error(status: int, key: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"key": key, "message": message}}, status_code=status)


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ConfigError)
    async def config_error(_r: Request, exc: ConfigError) -> JSONResponse:
        return _error(422, exc.key, exc.message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_r: Request, exc: RequestValidationError) -> JSONResponse:
        errs = exc.errors()
        first = errs[0] if errs else {"loc": ("body",), "msg": "invalid request"}
        key = _loc(first.get("loc", ("body",)))
        msg = str(first.get("msg", "invalid"))
        if first.get("type") == "json_invalid":
            key, msg = "body", f"malformed JSON ({first.get('ctx', {}).get('error', 'invalid')})"
        value = first.get("input")
        if isinstance(value, str | int | float) and first.get("type") != "json_invalid":
            msg = f"{msg} (got {str(value)[:80]!r})"
        return JSONResponse({"error": {"key": key, "message": msg},
                             "errors": [{"key": _loc(e.get("loc", ())), "message": str(e["msg"])}
                                        for e in errs[:20]]}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(_r: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, "request", str(exc.detail))

    @app.exception_handler(Exception)
    async def internal(_r: Request, exc: Exception) -> JSONResponse:
        log.error("internal error: %s", type(exc).__name__, exc_info=exc)
        return _error(500, "", f"internal error ({type(exc).__name__})")


def create_app(settings: Settings) -> FastAPI:
    """The dashboard application over `settings` (starts the job pool)."""
    from alref.web import api_routes, downloads, pages

    jobs = JobManager(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(title="alref dashboard", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.jobs = jobs

    @lru_cache(maxsize=1)
    def catalog() -> dict[str, Any]:
        from alref import api

        return api.scenario_catalog().to_dict()

    @lru_cache(maxsize=64)
    def series(job_id: str) -> dict[str, Any]:
        import pandas as pd

        frame = pd.read_parquet(jobs.folder(job_id) / "timeseries.parquet")
        return {"columns": {c: frame[c].tolist() for c in frame.columns}}

    @lru_cache(maxsize=2)
    def runs_cached(_generation: int) -> dict[str, Any]:
        from alref import api

        return api.runs_list(jobs.store.catalog, settings.data_dir.name).to_dict()

    listing = threading.Lock()

    def runs_list(generation: int) -> dict[str, Any]:
        """`alref runs list --json` of the catalogue (cached until a job changes; one
        query at a time, so a change under load costs one catalogue read, not many)."""
        with listing:
            return runs_cached(generation)

    app.state.catalog = catalog
    app.state.runs_list = runs_list
    app.state.series = series
    _install_errors(app)
    app.include_router(api_routes.router)
    app.include_router(downloads.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, settings=settings)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
