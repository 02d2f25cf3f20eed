"""`Study`: sweeps, Monte Carlo, Sobol and Morris studies from Python.

A thin front over `alref.study.runner.run_study` (the service behind ``alref study``)::

    study = alref.Study.mc("rusal-3ka-twitch", vary=["cell.current", "feed.composition"], n=200)
    res = study.run()
    res.to_frame()          # one row per sample: inputs, status, KPIs
    res.summary["outputs"]  # distributions (and tornado / Sobol / Morris indices)

`vary` takes the ``--vary`` strings of the CLI (``"cell.current=2700:3300"``, bare
numbers in the unit the key takes bare in a scenario, here A; see
`alref.study.spec`) or a mapping ``{"cell.current": "2700:3300", "cell.acd": None}``.
Every sample is built fresh from the scenario; failed samples are rows with a reason.
Pass ``checkpoint=alref.store.catalog.Catalog(path)`` to store and resume a study.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alref.extras import needs_extras
from alref.scenario import Scenario, apply_overrides, from_raw, load_raw
from alref.study.runner import DEFAULT_CHUNK, Checkpoint, StudyResult, StudySpec, run_study
from alref.study.sampling import KINDS

if TYPE_CHECKING:
    import pandas as pd

Vary = str | Sequence[str] | Mapping[str, str | None]


def _vary_items(vary: Vary) -> list[str]:
    if isinstance(vary, str):
        return [vary]
    if isinstance(vary, Mapping):
        return [k if spec is None else f"{k}={spec}" for k, spec in vary.items()]
    return [str(v) for v in vary]


def _raw(scenario: Scenario | str | os.PathLike[str] | None, overrides: Sequence[str]
         ) -> dict[str, Any]:
    """The scenario as a raw table (a preset name or TOML path, or a built Scenario)."""
    if isinstance(scenario, Scenario):
        raw = scenario.model_dump(mode="json", exclude_none=True)
    else:
        raw = load_raw(None if scenario is None else str(scenario))
    raw = apply_overrides(raw, overrides)
    from_raw(raw)  # validate (ConfigError names the key)
    return raw


@dataclass
class StudyOutcome(StudyResult):
    """A `StudyResult` (rows, summary, failed, study_id ...) with `to_frame()`."""

    def to_frame(self) -> pd.DataFrame:
        """One row per sample: sample_id (index), the inputs (``in:`` + key; a sampled feed
        composition as ``in:feed.composition.<El>``), status, error, termination, KPIs."""
        with needs_extras("StudyOutcome.to_frame"):
            import pandas as pd
        records = []
        for row in self.rows:
            rec: dict[str, Any] = {"sample_id": row["sample_id"]}
            for key, value in dict(row.get("inputs") or {}).items():
                if isinstance(value, Mapping):
                    rec.update({f"in:{key}.{el}": v for el, v in value.items()})
                else:
                    rec[f"in:{key}"] = value
            rec.update({k: v for k, v in row.items() if k not in ("sample_id", "inputs")})
            records.append(rec)
        return pd.DataFrame.from_records(records).set_index("sample_id").sort_index()

    def __repr__(self) -> str:
        return (f"<StudyOutcome {self.study_id}: {len(self.rows)} samples, {self.failed} failed, "
                f"executor {self.executor}>")


class Study:
    """A study over one scenario: `kind` is sweep, mc, sobol or morris (see module doc)."""

    def __init__(self, scenario: Scenario | str | os.PathLike[str] | None, vary: Vary,
                 n: int, kind: str = "mc", *, seed: int = 0, sampler: str = "random",
                 engine: str = "batch", executor: str = "local", workers: int = 1,
                 scheduler: str | None = None, chunk_size: int = DEFAULT_CHUNK,
                 default_spread: float = 0.1, overrides: Sequence[str] = (),
                 checkpoint: Checkpoint | None = None) -> None:
        raw = _raw(scenario, overrides)
        name = str(raw.get("name", scenario if isinstance(scenario, str) else "custom"))
        self.spec = StudySpec.build(kind, name, raw, _vary_items(vary), n, seed=seed,
                                    sampler=sampler, chunk_size=chunk_size, engine=engine,
                                    default_spread=default_spread)
        self.executor, self.workers, self.scheduler = executor, workers, scheduler
        self.checkpoint = checkpoint

    @classmethod
    def sweep(cls, scenario: Any, vary: Vary, n: int, **kw: Any) -> Study:
        """Full-factorial sweep: `n` levels per varied key (or the listed levels)."""
        return cls(scenario, vary, n, "sweep", **kw)

    @classmethod
    def mc(cls, scenario: Any, vary: Vary, n: int, **kw: Any) -> Study:
        """Monte Carlo: `n` samples of the varied keys' distributions."""
        return cls(scenario, vary, n, "mc", **kw)

    @classmethod
    def sobol(cls, scenario: Any, vary: Vary, n: int, **kw: Any) -> Study:
        """Sobol indices (Saltelli design, SALib): `n` base samples (a power of 2)."""
        return cls(scenario, vary, n, "sobol", **kw)

    @classmethod
    def morris(cls, scenario: Any, vary: Vary, n: int, **kw: Any) -> Study:
        """Morris screening (SALib): `n` trajectories."""
        return cls(scenario, vary, n, "morris", **kw)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def study_id(self) -> str:
        return self.spec.study_id

    def __repr__(self) -> str:
        keys = ", ".join(f.key for f in self.spec.factors)
        return f"<Study {self.spec.kind} of {self.spec.scenario} over {keys}, n={self.spec.n}>"

    def run(self, progress: Callable[[int, int], None] | None = None) -> StudyOutcome:
        """Evaluate every sample (resuming from the checkpoint, if any) and analyse them."""
        from alref.study.executors import make_executor

        with needs_extras(f"Study.{self.spec.kind}"):
            ex = make_executor(self.executor, self.workers, self.scheduler)
            try:
                result = run_study(self.spec, ex, self.checkpoint, progress)
            finally:
                ex.close()
        return StudyOutcome(**vars(result))


__all__ = ["KINDS", "Study", "StudyOutcome"]
