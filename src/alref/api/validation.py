"""Services of `alref validate` (the model against published results) and `alref calibrate`
(fit a technology's declared calibration parameters to chosen cases)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alref import data
from alref.api.results import INTERNAL, OPTIONAL, Result
from alref.cell.design import calibration
from alref.validation.calibrate import FitResult, write_calibration
from alref.validation.calibrate import calibrate as fit
from alref.validation.case_files import default_case_dir
from alref.validation.report import check_report_path, write_report
from alref.validation.runner import validate as run_cases


@dataclass(frozen=True)
class ValidationSummary(Result):
    """`alref validate --json`: every case with its published and predicted value, and the
    counts (also by class: verification / calibration / validation); `failed` counts the `ok`
    cases that miss (regressions), `success` is false when there is one."""

    cases: list[dict[str, Any]]
    total: int
    passed: int
    failed: int
    success: bool
    failed_validation: list[str]
    known_deviations: int
    pending: int
    by_class: dict[str, dict[str, int]]
    stale_known_deviations: list[str]
    calibration_cases: int
    prediction_cases: int
    model_runs: int
    elapsed_s: float
    report: str | None = field(default=None, metadata=OPTIONAL)


def calibration_tables() -> dict[str, Any]:
    """The shipped calibration of every technology (``data/calibration/*.toml``)."""
    names = [n.split("/", 1)[1] for n in data.list_files("calibration")]
    return {name: calibration(name) for name in names if calibration(name)}


def case_notes(case_dir: str | Path | None = None) -> str:
    """The README.md of a case directory (Markdown notes for the report; '' if none)."""
    readme = (Path(case_dir) if case_dir else default_case_dir()) / "README.md"
    return readme.read_text(encoding="utf-8") if readme.is_file() else ""


def validate(cases: str | Path | None = None, report: str | Path | None = None) -> ValidationSummary:
    """Run every validation case (of `cases`, default: the shipped ones); `report` also
    writes the table as Markdown (.md) or HTML (.html), atomically. A bad report path fails
    before any case runs."""
    if report:
        check_report_path(report)
    summary = run_cases(cases)
    if report:
        summary["report"] = str(write_report(report, summary, calibration_tables(),
                                             case_notes(cases)))
    return ValidationSummary.from_mapping(summary)


@dataclass(frozen=True)
class CalibrationResult(Result):
    """`alref calibrate --json`: the fitted values with their 1-sigma uncertainty, the
    parameter correlation matrix, identifiability flags (pinned at a bound, 1σ larger than
    the value), the case residuals, and where `--write` put them."""

    technology: str
    fitted_on: str
    parameters: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    cost: float
    s2: float
    model_evaluations: int
    success: bool
    message: str
    at_bound: list[str]
    poorly_determined: list[str]
    correlation: dict[str, Any]
    flags: list[dict[str, str]]
    written: str | None = field(default=None, metadata=OPTIONAL)
    fit: FitResult | None = field(default=None, repr=False, compare=False, metadata=INTERNAL)


def calibrate(case_ids: Sequence[str], params: Sequence[str], technology: str | None = None,
              cases: str | Path | None = None, write: bool = False) -> CalibrationResult:
    """Least-squares fit of `params` (dotted design paths) of the cases' technology to the
    calibration cases `case_ids`; `write` stores the values in
    ``data/calibration/<technology>.toml``."""
    result = fit(list(case_ids), list(params), technology=technology, case_dir=cases)
    written = str(write_calibration(result)) if write else None
    return CalibrationResult.from_mapping(result.to_dict(), written=written, fit=result)


__all__ = ["CalibrationResult", "ValidationSummary", "calibrate", "calibration_tables",
           "case_notes", "validate"]
