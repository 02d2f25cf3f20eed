"""Where a study's chunks run: in this process, a local process pool, or Dask.

A chunk is a fixed slice of the sample list (its bounds are part of the study, not of
the executor), evaluated by `evaluate_chunk` — a plain function of (scenario, inputs,
engine) — so the local and the Dask executor give bit-identical rows for the same seed.
Chunks are large (default 250 samples) so per-task overhead stays small and the batch
engine vectorises over many scenarios at once.

* `LocalExecutor(workers=1)`: in-process; ``workers > 1`` uses a process pool.
* `DaskExecutor(scheduler=None, workers=2)`: a `distributed.LocalCluster` with worker
  processes (one thread each), or an existing cluster at a scheduler address.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from alref.campaign.batch import KPIS, run_batch
from alref.errors import AlrefError, ConfigError
from alref.study.samples import builder_for, try_build

#: summary keys kept per sample (KPIs and diagnostics of `run_batch` / `Solution.summary`)
OUTPUTS = (*KPIS, "product_kg", "scrap_charged_kg", "mean_cell_voltage_v",
           "product_in_grade_fraction")
ENGINES = ("batch", "reference")


def evaluate_chunk(raw_json: str, inputs: Sequence[dict[str, Any]], engine: str = "batch"
                   ) -> list[dict[str, Any]]:
    """Rows {status, error, engine, termination, outputs...} for one chunk of samples."""
    builder = builder_for(raw_json)
    built = [try_build(builder, x) for x in inputs]
    sims = [b for b in built if not isinstance(b, str)]
    results = iter(run_batch(sims)) if engine == "batch" else iter([_reference(s) for s in sims])
    rows = []
    for b in built:
        if isinstance(b, str):
            rows.append(_failed(b))
            continue
        r = next(results)
        if "error" in r:
            rows.append(_failed(str(r["error"])))
            continue
        row = {"status": "ok", "error": None, "engine": r.get("engine", engine),
               "termination": r.get("termination")}
        row.update({k: _num(r.get(k)) for k in OUTPUTS})
        rows.append(row)
    return rows


def _reference(sim: Any) -> dict[str, Any]:
    try:
        s = sim.run().summary
    except AlrefError as exc:
        return {"error": str(exc)}
    return {**s, "engine": "reference"}


def _num(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return math.nan
    return x


def _failed(reason: str) -> dict[str, Any]:
    row: dict[str, Any] = {"status": "failed", "error": reason, "engine": None,
                           "termination": None}
    row.update(dict.fromkeys(OUTPUTS, math.nan))
    return row


Task = tuple[int, str, list[dict[str, Any]], str]  # chunk index, scenario json, inputs, engine


class LocalExecutor:
    """Chunks in this process, or in a pool of `workers` processes."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ConfigError("--workers", f"must be >= 1, got {workers}")
        self.workers = workers

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        if self.workers == 1:
            for ci, raw, inputs, engine in tasks:
                yield ci, evaluate_chunk(raw, inputs, engine)
            return
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            futs = {pool.submit(evaluate_chunk, raw, inputs, engine): ci
                    for ci, raw, inputs, engine in tasks}
            for fut in as_completed(futs):
                yield futs[fut], fut.result()

    def close(self) -> None:
        return None


class DaskExecutor:
    """Chunks as tasks on a dask.distributed cluster (local cluster or a scheduler address)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 2,
                 timeout_s: float = 5.0) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - optional extra
            raise ConfigError("--executor", "dask needs the 'study' extra "
                                            "(pip install 'alref[study]')") from None
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=timeout_s)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ConfigError("--scheduler",
                                  f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from None
        else:
            if workers < 1:
                raise ConfigError("--workers", f"must be >= 1, got {workers}")
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        from distributed import as_completed as dask_completed

        futs = {}
        for ci, raw, inputs, engine in tasks:
            f = self.client.submit(evaluate_chunk, raw, inputs, engine, pure=False)
            futs[f] = ci
        for fut in dask_completed(list(futs)):
            yield futs[fut], fut.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(name: str, workers: int = 1, scheduler: str | None = None
                  ) -> LocalExecutor | DaskExecutor:
    """Executor by name ('local' or 'dask'); errors name the option."""
    if name == "local":
        if scheduler:
            raise ConfigError("--scheduler", "only with --executor dask")
        return LocalExecutor(workers)
    if name == "dask":
        return DaskExecutor(scheduler, workers)
    raise ConfigError("--executor", f"unknown executor {name!r}; expected local or dask")


ProgressFn = Callable[[int, int], None]
