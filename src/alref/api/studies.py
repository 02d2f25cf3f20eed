"""Services of `alref study sweep|mc|sobol|morris` and `alref bench`.

A study is planned (`plan_study`: validated, named) and then run (`study`) into a results
store: the `alref.store` catalogue, which sits above this layer, so the caller opens it
(after planning: bad input leaves no store behind) and passes it in (`StudyStore`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from alref.api.results import SPREAD, Result
from alref.atomicio import write_bytes_atomic
from alref.errors import ConfigError
from alref.scenario import apply_overrides, from_raw, load_raw
from alref.study.bench import bench as run_bench
from alref.study.executors import make_executor
from alref.study.plan import StudySpec
from alref.study.report import render_study_html
from alref.study.runner import Checkpoint, run_study
from alref.study.sampling import make_design


class StudyStore(Checkpoint, Protocol):
    """A results store: the study checkpoint, its directory and catalogue file."""

    root: Path
    path: Path


def parse_spread(text: str) -> float:
    """A relative spread: '10%' or '0.1' -> 0.1 (ConfigError naming --default-spread)."""
    t = text.strip()
    if t.endswith("%"):
        try:
            return float(t[:-1]) / 100.0
        except ValueError:
            raise ConfigError("--default-spread", f"not a percentage: {text!r}") from None
    try:
        return float(t)
    except ValueError:
        raise ConfigError("--default-spread", f"not a number: {text!r}") from None


@dataclass(frozen=True)
class StudyRun(Result):
    """`alref study ... --json`: the study's id, sample counts, where its rows and report
    are, the executor, wall time and the summary (output statistics, sensitivities)."""

    study_id: str
    samples: int
    failed: int
    resumed_samples: int
    results_path: str | None
    report_path: str | None
    catalog: str
    executor: str
    seconds: float
    summary: dict[str, Any]


def plan_study(kind: str, scenario: str | None = None, vary: Sequence[str] = (), n: int = 100,
               *, seed: int = 0, sampler: str = "random", chunk_size: int = 250,
               engine: str = "batch", default_spread: str = "10%",
               overrides: Sequence[str] = ()) -> StudySpec:
    """The validated plan of a sweep, Monte Carlo, Sobol or Morris study of a scenario
    varying `vary` (KEY or KEY=SPEC): bad input fails here, before a store or a cluster is
    touched. `StudySpec.study_id` names the study (the same plan resumes the same study)."""
    raw = apply_overrides(load_raw(scenario), overrides)
    from_raw(raw)  # validate the base scenario (errors name the key)
    spec = StudySpec.build(kind, raw.get("name", scenario or "default"), raw, list(vary), n,
                           seed=seed, sampler=sampler, chunk_size=chunk_size, engine=engine,
                           default_spread=parse_spread(default_spread))
    make_design(kind, spec.factors, n, seed, raw, sampler)  # bad n / factors fail before a cluster
    return spec


def study(plan: StudySpec, store: StudyStore, *, executor: str = "local",
          scheduler: str | None = None, workers: int = 1, report: bool = True,
          progress: Callable[[int, int], None] | None = None) -> StudyRun:
    """Run a planned study on a local pool or Dask (`executor`, `workers`, `scheduler`),
    checkpointed into `store` (a rerun resumes); `report` writes report.html next to the
    rows; `progress` gets (samples done, total)."""
    ex = make_executor(executor, workers, scheduler)
    t0 = time.perf_counter()
    try:
        result = run_study(plan, ex, store, progress)
    finally:
        ex.close()
    seconds = time.perf_counter() - t0
    report_path = None
    if report:
        p = Path(store.root) / result.study_id / "report.html"
        html = render_study_html(result.study_id, result.summary, result.rows)
        write_bytes_atomic(p, lambda tmp: tmp.write_text(html, encoding="utf-8"))
        report_path = str(p)
    return StudyRun(result.study_id, len(result.rows), result.failed, result.resumed_samples,
                    result.results_path, report_path, str(store.path), result.executor, seconds,
                    result.summary)


@dataclass(frozen=True)
class BenchResult(Result):
    """`alref bench --json`: throughput of the reference solver and the batch engine on the
    same scenarios and their largest KPI difference (`figures`: every key of
    `alref.study.bench.bench`)."""

    figures: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)

    @property
    def speedup(self) -> float:
        return float(self.figures["speedup"])

    @property
    def max_kpi_rel_diff(self) -> float:
        return float(self.figures["max_kpi_rel_diff"])


def bench(scenario: str | None = None, reference: int = 8, batch: int = 400,
          seed: int = 0) -> BenchResult:
    """Run `reference` scenarios through the reference solver and `batch` (which include
    them) through the batch engine; compare throughput and KPIs."""
    return BenchResult(run_bench(scenario, reference, batch, seed))
