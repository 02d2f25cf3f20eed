"""Run a study: sample design -> chunks -> executor -> checkpoint -> analysis.

`run_study` is the service behind ``alref study``. A study's identity is the hash of what
determines its samples and rows (kind, scenario table, factors, n, seed, sampler, chunk
size, engine). With a `Checkpoint` (the DuckDB catalogue in `alref.store`), each
finished chunk is written atomically; a rerun of the same study skips the chunks already
stored, so a study killed midway resumes and ends with exactly N rows, none lost or
duplicated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from alref.study.analysis import analyse
from alref.study.executors import DaskExecutor, LocalExecutor
from alref.study.plan import DEFAULT_CHUNK, StudySpec
from alref.study.sampling import Design, make_design

__all__ = ["DEFAULT_CHUNK", "Checkpoint", "StudyResult", "StudySpec", "run_study"]



class Checkpoint(Protocol):
    """Where finished chunks go (implemented by `alref.store.catalog.Catalog`)."""

    def begin_study(self, meta: Mapping[str, Any]) -> None: ...
    def completed(self, study_id: str) -> set[int]: ...
    def discard(self, study_id: str, sample_ids: Sequence[int]) -> None: ...
    def save_rows(self, study_id: str, rows: Sequence[Mapping[str, Any]]) -> None: ...
    def load_rows(self, study_id: str) -> list[dict[str, Any]]: ...
    def finish_study(self, study_id: str, summary: Mapping[str, Any]) -> str: ...


@dataclass
class StudyResult:
    study_id: str
    spec: StudySpec
    design: Design
    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    executor: str
    resumed_samples: int = 0
    results_path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(r["status"] != "ok" for r in self.rows)


def run_study(spec: StudySpec, executor: LocalExecutor | DaskExecutor,
              checkpoint: Checkpoint | None = None,
              progress: Callable[[int, int], None] | None = None) -> StudyResult:
    """Evaluate every sample of `spec` (resuming from `checkpoint`) and analyse them."""
    design = make_design(spec.kind, spec.factors, spec.n, spec.seed, spec.raw, spec.sampler)
    n = design.n
    sid = spec.study_id
    raw_json = json.dumps(spec.raw, sort_keys=True)
    bounds = [(a, min(a + spec.chunk_size, n)) for a in range(0, n, spec.chunk_size)]
    done: set[int] = set()
    if checkpoint is not None:
        checkpoint.begin_study({"study_id": sid, "kind": spec.kind, "scenario": spec.scenario,
                                "n_samples": n, "seed": spec.seed, "executor": executor.name,
                                "spec": spec.identity()})
        done = checkpoint.completed(sid)
        partial = [i for a, b in bounds for i in range(a, b)
                   if i in done and not all(j in done for j in range(a, b))]
        if partial:  # cannot happen with atomic chunk writes; kept as a guard
            checkpoint.discard(sid, partial)
            done -= set(partial)
    todo = [(ci, a, b) for ci, (a, b) in enumerate(bounds) if not all(i in done for i in range(a, b))]
    resumed = len(done)
    rows: dict[int, dict[str, Any]] = {}
    tasks = [(ci, raw_json, [design.row(i) for i in range(a, b)], spec.engine)
             for ci, a, b in todo]
    finished = resumed
    if progress:
        progress(finished, n)
    for ci, chunk_rows in executor.run(tasks):
        a, _b = bounds[ci]
        out = []
        for k, r in enumerate(chunk_rows):
            row = {"sample_id": a + k, "inputs": design.row(a + k), **r}
            out.append(row)
            rows[a + k] = row
        if checkpoint is not None:
            checkpoint.save_rows(sid, out)
        finished += len(out)
        if progress:
            progress(finished, n)
    all_rows = checkpoint.load_rows(sid) if checkpoint is not None else [rows[i] for i in sorted(rows)]
    summary = analyse(spec, design, all_rows)
    result = StudyResult(sid, spec, design, all_rows, summary, executor.name, resumed)
    if checkpoint is not None:
        result.results_path = checkpoint.finish_study(sid, summary)
    return result
