"""Validation case files: one published result each (``alref/data/validation/*.toml``).

A case states what a source printed and under which conditions, and how alref computes the
same quantity::

    id = "V1-3ka-energy"                      # equals the file name
    title = "RUSAL 3 kA prototype: about 9 MWh per tonne"
    source = "rusal2025press"                 # a references.bib key
    locator = "press release: ~9 MWh/t"
    kind = "calibration"                      # or "prediction"
    technology = "rusal-diaphragm"            # needed for calibration cases
    status = "ok"                             # or "known deviation" (+ reason)
    quantity = "simulate.energy_kwh_per_kg"   # see alref.validation.quantities
    expected = 9.0                            # or [lo, hi] (inf allowed)
    tolerance = { abs = 0.5 }                 # or { rel = 0.01 }
    tolerance_reason = "~9 is printed to one significant figure"
    [conditions]
    scenario = "rusal-3ka-twitch"
    set = ['cell.current="3 kA"']             # --set overrides (no cell.parameters)
    [conditions.inputs]                       # inputs of property/thermo quantities

Cases may set only the conditions the source states; `cell.parameters` (design values,
i.e. fudge factors) are refused — calibrated values live in the technology's parameter set.
"""

from __future__ import annotations

import math
import os
import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from alref import citations
from alref.errors import ConfigError

CASES_ENV = "ALREF_VALIDATION_CASES"
KNOWN_DEVIATION = "known deviation"


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

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str = ""
    source: str
    locator: str = Field(min_length=1)
    kind: Literal["calibration", "prediction"]
    technology: str | None = None
    status: Literal["ok", "known deviation"] = "ok"
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
        if isinstance(self.expected, tuple):
            lo, hi = self.expected
            if math.isnan(lo) or math.isnan(hi) or lo > hi:
                raise ValueError(f"expected range [{lo}, {hi}] is not ordered")
        elif not math.isfinite(self.expected):
            raise ValueError("expected value must be finite")
        if self.kind == "calibration" and not self.technology:
            raise ValueError("a calibration case must name its technology")
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


def default_case_dir() -> Path:
    """`$ALREF_VALIDATION_CASES`, else the cases shipped as package data
    (``alref/data/validation``), so an installed wheel validates itself."""
    env = os.environ.get(CASES_ENV)
    if env:
        return Path(env)
    return Path(str(resources.files("alref.data").joinpath("validation")))


def _error(case_id: str, exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if p not in {"float", "tuple[float,float]"})
    if err["type"] == "extra_forbidden":
        return ConfigError(f"{case_id}.{loc}", "unknown key")
    if err["type"] == "missing":
        return ConfigError(f"{case_id}.{loc}", "required key is missing")
    msg = str(err["msg"]).removeprefix("Value error, ")
    return ConfigError(f"{case_id}.{loc}" if loc else case_id, msg)


def load_case(path: Path) -> Case:
    """Read and validate one case file; errors name the case and the key."""
    from alref.validation.quantities import check_inputs

    case_id = path.stem
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(case_id, f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(case_id, f"invalid TOML ({exc})") from None
    try:
        case = Case.model_validate(raw)
    except ValidationError as exc:
        raise _error(case_id, exc) from None
    if case.id != case_id:
        raise ConfigError(f"{case_id}.id", f"id {case.id!r} differs from the file name")
    if case.source not in citations.references():
        raise ConfigError(f"{case_id}.source", f"unknown reference key {case.source!r}")
    check_inputs(case)
    return case


def load_cases(directory: Path | str | None = None) -> list[Case]:
    """All cases of a directory, sorted by id."""
    folder = Path(directory) if directory is not None else default_case_dir()
    if not folder.is_dir():
        raise ConfigError("--cases", f"no validation case directory {str(folder)!r}")
    cases = [load_case(p) for p in sorted(folder.glob("*.toml"))]
    if not cases:
        raise ConfigError("--cases", f"no case files in {str(folder)!r}")
    return sorted(cases, key=lambda c: c.id)


def select(cases: list[Case], ids: list[str]) -> list[Case]:
    """The cases with these ids, in the given order; unknown ids are a ConfigError."""
    by_id = {c.id: c for c in cases}
    out = []
    for cid in ids:
        if cid not in by_id:
            raise ConfigError("CASES", f"unknown case id {cid!r}")
        out.append(by_id[cid])
    return out
