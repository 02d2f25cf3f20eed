"""Validation case files: one published result each (``alref/data/validation/*.toml``).

A case states what a source printed and under which conditions, and how alref computes the
same quantity::

    id = "V1-3ka-energy"                      # equals the file name
    title = "RUSAL 3 kA prototype: about 9 MWh per tonne"
    source = "rusal2025press"                 # a references.bib key
    locator = "press release: ~9 MWh/t"
    kind = "calibration"                      # or "prediction": fitted by `alref calibrate`?
    class = "calibration"                     # verification | calibration | validation
    class_reason = "Fits the lid thickness."  # one line: why this class
    technology = "rusal-diaphragm"            # needed for fitted cases
    status = "ok"                             # or "known deviation" / "pending" (+ reason)
    quantity = "simulate.energy_kwh_per_kg"   # see alref.validation.quantities
    expected = 9.0                            # or [lo, hi] (inf allowed)
    tolerance = { abs = 0.5 }                 # or { rel = 0.01 }
    tolerance_reason = "~9 is printed to one significant figure"
    [conditions]
    scenario = "rusal-3ka-twitch"
    set = ['cell.current="3 kA"']             # --set overrides (no cell.parameters)
    [conditions.inputs]                       # inputs of property/thermo quantities

Classes (issue 12): *verification* — the code reproduces its own source equation or
database; *calibration* — a value used in a fit, or decided by a hand-set value or an
assumption chosen to give it; *validation* — held out of every fit, a prediction that can
fail. ``kind = "calibration"`` marks the cases `alref calibrate` actually fitted (always of
class calibration). Status *known deviation* (a miss with a written reason) and *pending*
(the case cannot run yet: a missing bath family, design or input, with the reason) are
counted apart from passes and failures.

Cases may set only the conditions the source states; `cell.parameters` (design values,
i.e. fudge factors) are refused — calibrated values live in the technology's parameter set.
Reading case files: `alref.validation.case_files`.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from alref.errors import ConfigError

KNOWN_DEVIATION = "known deviation"
PENDING = "pending"
CLASSES = ("verification", "calibration", "validation")
CaseClass = Literal["verification", "calibration", "validation"]


class Tolerance(BaseModel):
    """Absolute (in the quantity's unit) or relative tolerance; exactly one of the two."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    abs: float | None = Field(default=None, ge=0)
    rel: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one(self) -> Tolerance:
        if (self.abs is None) == (self.rel is None):
            raise ValueError("give exactly one of abs or rel")
        return self

    def width(self, reference: float) -> float:
        """Tolerance in the quantity's unit around `reference`."""
        if self.abs is not None:
            return self.abs
        return abs(reference) * float(self.rel or 0.0)

    def as_dict(self) -> dict[str, float]:
        return {"abs": self.abs} if self.abs is not None else {"rel": float(self.rel or 0.0)}


class Conditions(BaseModel):
    """What the source states: a scenario preset with overrides, or property-call inputs."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    scenario: str | None = None
    set: tuple[str, ...] = ()
    reference_scenario: str | None = None
    reference_set: tuple[str, ...] = ()
    inputs: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _no_fudge(self) -> Conditions:
        for item in (*self.set, *self.reference_set):
            if item.split("=", 1)[0].strip().startswith("cell.parameters"):
                raise ValueError("cases may not set cell.parameters (no per-case fudge factors)")
        return self


class Case(BaseModel):
    """One published result and how alref reproduces it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    id: str
    title: str = ""
    source: str
    locator: str = Field(min_length=1)
    kind: Literal["calibration", "prediction"]
    case_class: CaseClass = Field(alias="class")
    class_reason: str = Field(min_length=10)
    technology: str | None = None
    status: Literal["ok", "known deviation", "pending"] = "ok"
    reason: str | None = None
    quantity: str
    unit: str = ""
    expected: float | tuple[float, float]
    tolerance: Tolerance
    tolerance_reason: str = ""
    conditions: Conditions = Field(default_factory=Conditions)
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.status == KNOWN_DEVIATION and not (self.reason and len(self.reason.strip()) >= 10):
            raise ValueError("a known deviation needs a reason (>= 10 characters)")
        if self.status == PENDING and not (self.reason and len(self.reason.strip()) >= 10):
            raise ValueError("a pending case needs a reason (>= 10 characters)")
        if isinstance(self.expected, tuple):
            lo, hi = self.expected
            if math.isnan(lo) or math.isnan(hi) or lo > hi:
                raise ValueError(f"expected range [{lo}, {hi}] is not ordered")
        elif not math.isfinite(self.expected):
            raise ValueError("expected value must be finite")
        if self.kind == "calibration" and not self.technology:
            raise ValueError("a calibration case must name its technology")
        if self.kind == "calibration" and self.case_class != "calibration":
            raise ValueError("a case fitted by calibration (kind) must be of class calibration")
        return self

    @cached_property
    def is_range(self) -> bool:
        return isinstance(self.expected, tuple)

    def bounds(self) -> tuple[float, float]:
        """Accepted interval of the prediction (expected ± tolerance, or the range ± tolerance)."""
        if isinstance(self.expected, tuple):
            lo, hi = self.expected
            return (lo - self.tolerance.width(lo) if math.isfinite(lo) else lo,
                    hi + self.tolerance.width(hi) if math.isfinite(hi) else hi)
        w = self.tolerance.width(self.expected)
        return self.expected - w, self.expected + w

    def passes(self, predicted: float | None) -> bool:
        if predicted is None or not math.isfinite(predicted):
            return False
        lo, hi = self.bounds()
        return lo <= predicted <= hi

    def target(self) -> tuple[float, float]:
        """(target, scale) of the calibration residual (predicted - target)/scale.

        A point: the value and its tolerance; a two-sided range: its midpoint and half-width.
        One-sided ranges cannot be fitted to.
        """
        if isinstance(self.expected, tuple):
            lo, hi = self.expected
            if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
                raise ConfigError(self.id, "a one-sided or empty range cannot be fitted to")
            return 0.5 * (lo + hi), 0.5 * (hi - lo)
        scale = self.tolerance.width(self.expected)
        if scale <= 0:
            raise ConfigError(f"{self.id}.tolerance", "a zero tolerance cannot weight a fit")
        return self.expected, scale
