"""Run validation cases against the model: one evaluator (shared cache) for all of them.

`validate()` returns the JSON object of `alref validate --json`:
``cases`` [ {id, class, source, quantity, expected, predicted, tolerance, passed, kind, status,
...} ], ``passed`` (cases within tolerance), ``failed`` (cases marked ok that miss —
regressions), ``known_deviations`` (cases marked `known deviation`), ``pending`` (cases that
cannot run yet; never evaluated, never passes), ``stale_known_deviations`` (known deviations
that now pass: their status should be revisited), ``by_class`` {class: {total, passed,
failed, known_deviations, pending}}, ``failed_validation`` (ids of `validation`-class cases
marked ok that miss) and ``success`` (no `ok` case of any class misses: the CI verdict;
`alref validate` exits 1 when it is false).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alref.errors import AlrefError, ConfigError
from alref.validation.case_files import load_cases, select
from alref.validation.cases import CLASSES, KNOWN_DEVIATION, PENDING, Case
from alref.validation.quantities import REGISTRY, Evaluator


@dataclass(frozen=True)
class CaseResult:
    """A case with the model's value."""

    case: Case
    predicted: float | None
    error: str | None = None

    @property
    def pending(self) -> bool:
        return self.case.status == PENDING

    @property
    def passed(self) -> bool:
        return not self.pending and self.error is None and self.case.passes(self.predicted)

    @property
    def regression(self) -> bool:
        """An `ok` case that misses its published value."""
        return self.case.status == "ok" and not self.passed

    def deviation(self) -> float | None:
        """Signed distance from the accepted interval, in units of the quantity (0 inside)."""
        if self.predicted is None or not math.isfinite(self.predicted):
            return None
        lo, hi = self.case.bounds()
        return 0.0 if lo <= self.predicted <= hi else (
            self.predicted - hi if self.predicted > hi else self.predicted - lo)

    def to_dict(self) -> dict[str, Any]:
        """JSON form. An interval's open end (``expected = [1.0, inf]``, "at least 1") is
        null in ``expected`` and ``accepted_interval``; a prediction that is not a finite
        number is null with the reason in ``error`` (nothing non-finite is written)."""
        c = self.case
        expected: Any = list(c.expected) if isinstance(c.expected, tuple) else c.expected
        expected = [_open_end(x) for x in expected] if isinstance(expected, list) else expected
        predicted, error = self.predicted, self.error
        if predicted is not None and not math.isfinite(predicted):
            predicted, error = None, error or f"prediction is not a finite number ({predicted})"
        return {
            "id": c.id,
            "class": c.case_class,
            "class_reason": c.class_reason,
            "title": c.title,
            "source": c.source,
            "locator": c.locator,
            "quantity": c.quantity,
            "unit": c.unit or REGISTRY[c.quantity].unit,
            "expected": expected,
            "predicted": predicted,
            "tolerance": c.tolerance.as_dict(),
            "accepted_interval": [_open_end(x) for x in c.bounds()],
            "passed": self.passed,
            "kind": c.kind,
            "status": c.status,
            "technology": c.technology,
            "reason": c.reason,
            "tolerance_reason": c.tolerance_reason,
            "conditions": c.conditions.model_dump(mode="json"),
            "error": error,
        }


def _open_end(x: Any) -> Any:
    """An interval end: None where the interval is open (infinite)."""
    return None if isinstance(x, float) and math.isinf(x) else x


def evaluate_case(case: Case, evaluator: Evaluator) -> CaseResult:
    """Evaluate one case; a model failure (not bad input) becomes a failed result.
    A pending case is not evaluated."""
    if case.status == PENDING:
        return CaseResult(case, None)
    try:
        return CaseResult(case, evaluator.evaluate(case))
    except ConfigError:
        raise
    except (AlrefError, ArithmeticError, ValueError) as exc:
        return CaseResult(case, None, f"{exc.__class__.__name__}: {exc}")


def run_cases(cases: Iterable[Case], evaluator: Evaluator | None = None) -> list[CaseResult]:
    """Evaluate every case with one shared evaluator (each distinct scenario runs once)."""
    ev = evaluator or Evaluator()
    return [evaluate_case(c, ev) for c in cases]


def _class_counts(results: list[CaseResult]) -> dict[str, dict[str, int]]:
    out = {}
    for cls in CLASSES:
        rs = [r for r in results if r.case.case_class == cls]
        out[cls] = {"total": len(rs), "passed": sum(r.passed for r in rs),
                    "failed": sum(r.regression for r in rs),
                    "known_deviations": sum(r.case.status == KNOWN_DEVIATION for r in rs),
                    "pending": sum(r.pending for r in rs)}
    return out


def summarize(results: list[CaseResult]) -> dict[str, Any]:
    """The `alref validate --json` object."""
    failed = sum(r.regression for r in results)
    return {
        "cases": [r.to_dict() for r in results],
        "total": len(results),
        "passed": sum(r.passed for r in results),
        "failed": failed,
        "success": failed == 0,
        "failed_validation": [r.case.id for r in results
                              if r.case.case_class == "validation" and r.regression],
        "known_deviations": sum(r.case.status == KNOWN_DEVIATION for r in results),
        "pending": sum(r.pending for r in results),
        "by_class": _class_counts(results),
        "stale_known_deviations": [r.case.id for r in results
                                   if r.case.status == KNOWN_DEVIATION and r.passed],
        "calibration_cases": sum(r.case.kind == "calibration" for r in results),
        "prediction_cases": sum(r.case.kind == "prediction" for r in results),
    }


def validate(case_dir: Path | str | None = None, ids: Iterable[str] | None = None) -> dict[str, Any]:
    """Run all cases (or the listed ids) and summarise; adds the run time in seconds."""
    t0 = time.perf_counter()
    cases = load_cases(case_dir)
    if ids:
        cases = select(cases, list(ids))
    ev = Evaluator()
    out = summarize(run_cases(cases, ev))
    out["model_runs"] = ev.runs
    out["elapsed_s"] = time.perf_counter() - t0
    return out
