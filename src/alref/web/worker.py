"""What a worker process runs: one job through `alref.api`, reporting over its own pipe.

Messages sent to the server: ``("progress", fraction)``, ``("done", result)`` and
``("failed", {"key", "message", "kind"})`` (``kind`` "input" for a ConfigError, "internal"
otherwise: the message then names only the exception type, never a traceback). A worker
whose server is gone (its pipe broken) stops at the next progress report.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

# assumption: 10 progress reports a second are smooth in a browser and cheap to send
PROGRESS_PERIOD_S = 0.1
# assumption: simulations run 5 nice levels below the server so pages stay quick meanwhile
WORKER_NICENESS = 5


class ServerGone(Exception):
    """The server that started this worker is no longer listening."""


def _reporter(conn: Any) -> Callable[[float], None]:
    last = [0.0]

    def report(fraction: float) -> None:
        t = time.monotonic()
        if t - last[0] < PROGRESS_PERIOD_S:
            return
        last[0] = t
        try:
            conn.send(("progress", float(fraction)))
        except (BrokenPipeError, EOFError, OSError):
            raise ServerGone() from None

    return report


def _simulate(payload: dict[str, Any], out_dir: Path, report: Callable[[float], None]
              ) -> dict[str, Any]:
    from alref import api
    from alref.report import write_simulation_run

    source, overrides = payload["source"], list(payload["overrides"])
    sc = api.load_scenario(source, overrides)
    sol = api.simulate(sc, progress=report)
    report(1.0)
    folder = write_simulation_run(sol, out_dir, source, overrides)
    result = api.simulation_result(sol, folder).to_dict()
    xlsx = out_dir.parent.parent / "exports" / f"{out_dir.name}.xlsx"
    try:  # the workbook `alref simulate --xlsx` writes (needs openpyxl)
        import openpyxl  # noqa: F401

        from alref.report.workbook import run_sheets, write_workbook
    except ImportError:
        pass
    else:
        xlsx.parent.mkdir(parents=True, exist_ok=True)
        write_workbook(xlsx, run_sheets(sol))
    try:
        assessment = api.assess_campaign(sc, sol).to_dict()
    except Exception as exc:  # economics need more inputs than some scenarios give
        assessment = {"error": str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__}
    return {"simulate": result, "assessment": assessment}


def _assess(payload: dict[str, Any], report: Callable[[float], None]) -> dict[str, Any]:
    from alref import api

    return api.assess(payload["source"], list(payload["overrides"]), progress=report).to_dict()


def _study(payload: dict[str, Any], data_dir: Path, report: Callable[[float], None]
           ) -> dict[str, Any]:
    from alref import api
    from alref.store.catalog import Catalog

    plan = api.plan_study(payload["kind"], payload["source"], payload["vary"], payload["n"],
                          seed=payload["seed"], overrides=payload["overrides"])
    return api.study(plan, Catalog(data_dir), progress=lambda done, total:
                     report(done / total if total else 0.0)).to_dict()


def _validate() -> dict[str, Any]:
    from alref import api

    return api.validate().to_dict()


def run_job(kind: str, payload: dict[str, Any], out_dir: str, data_dir: str, conn: Any) -> None:
    """Entry point of a worker process (never raises: every outcome is a message)."""
    from alref.errors import ConfigError
    from alref.jsonsafe import to_jsonable

    report = _reporter(conn)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)  # batch work yields to the server answering pages
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # warnings are reported inside the results
            if kind == "simulate":
                result = _simulate(payload, Path(out_dir), report)
            elif kind == "assess":
                result = _assess(payload, report)
            elif kind == "study":
                result = _study(payload, Path(data_dir), report)
            elif kind == "validate":
                result = _validate()
            else:
                raise ValueError(f"unknown job kind {kind!r}")
        message: tuple[str, Any] = ("done", to_jsonable(result))
    except ServerGone:
        os._exit(0)
    except ConfigError as exc:
        message = ("failed", {"key": exc.key, "message": exc.message, "kind": "input"})
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        message = ("failed", {"key": "", "kind": "internal",
                              "message": f"internal error ({type(exc).__name__}) {first}".strip()})
    try:
        conn.send(message)
        conn.close()
    except (BrokenPipeError, EOFError, OSError):
        os._exit(0)
