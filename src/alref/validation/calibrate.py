"""Calibration of a technology's declared design parameters to published cases.

`calibrate` fits up to five dotted design paths (e.g. ``lining.lid.0.thickness_m``) of one
technology to chosen `calibration` cases by `scipy.optimize.least_squares` with bounds =
the literature ranges of ``data/calibration_ranges.toml``. Residuals are
(predicted − target)/scale (a point: its tolerance; a range: midpoint and half-width), so
the tolerances act as one standard deviation. Trial values reach the model only as
``cell.parameters`` overrides of the scenarios (never by editing files). The start point
is the design file's own value, so a refit is reproducible whatever is shipped.

Only cases of class ``calibration`` (and not pending) can be fitted: a ``validation`` case
is held out of every fit by definition, a ``verification`` case tests the code itself.

Uncertainty and identifiability: covariance ≈ (JᵀJ)⁻¹·s² in the fitted (linear or log)
coordinate, with s² = max(1, χ²/(m − n)) (s² = 1 when the fit has no degrees of freedom),
propagated to the parameter's own unit; the correlation matrix is cov_ij/(σ_i σ_j) (the
same in either coordinate). A parameter is flagged when it is pinned at a range bound, when
its 1σ exceeds its value (not determined by the cases), or when no case moves it.
`write_calibration` stores the result with its provenance in
``data/calibration/<technology>.toml`` (read by `alref.cell.design.calibration`).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from alref import data
from alref.cell.design import design_names, design_table, set_design_value
from alref.errors import ConfigError
from alref.validation._io import atomic_write_text
from alref.validation.case_files import load_cases, select
from alref.validation.cases import Case
from alref.validation.quantities import Evaluator

MAX_PARAMETERS = 5
#: finite-difference step of the Jacobian, as a fraction of each parameter's (log) range:
#: large enough to step over the daily time grid of a campaign, small for a smooth model
DIFF_STEP = 0.02


@dataclass(frozen=True)
class ParameterRange:
    """Literature range of a calibratable design value, with its provenance."""

    path: str
    lo: float
    hi: float
    scale: str
    provenance: dict[str, str]

    def to_unit(self, x: float) -> float:
        """Parameter value -> fitted coordinate in [0, 1]."""
        if self.scale == "log":
            return (math.log(x) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        return (x - self.lo) / (self.hi - self.lo)

    def from_unit(self, u: float) -> float:
        u = min(max(u, 0.0), 1.0)
        if self.scale == "log":
            return math.exp(math.log(self.lo) + u * (math.log(self.hi) - math.log(self.lo)))
        return self.lo + u * (self.hi - self.lo)

    def slope(self, x: float) -> float:
        """dx/du at x."""
        if self.scale == "log":
            return x * (math.log(self.hi) - math.log(self.lo))
        return self.hi - self.lo

    def contains(self, x: float) -> bool:
        return self.lo <= x <= self.hi


def parameter_ranges() -> dict[str, ParameterRange]:
    """Declared calibration parameters and their ranges (``data/calibration_ranges.toml``)."""
    raw = data.load("calibration_ranges")["parameter"]
    out = {}
    for path, entry in raw.items():
        prov = {k: str(entry[k]) for k in ("source", "locator", "assumption") if k in entry}
        out[path] = ParameterRange(path, float(entry["lo"]), float(entry["hi"]),
                                   str(entry.get("scale", "linear")), prov)
    return out


def technology_designs(technology: str) -> list[str]:
    """Design presets of a technology."""
    return [n for n in design_names() if design_table(n).get("technology") == technology]


def design_default(technology: str, path: str) -> float:
    """The design files' own (uncalibrated) value of `path`; checks the path exists."""
    names = technology_designs(technology)
    if not names:
        raise ConfigError("--technology", f"no cell design of technology {technology!r}")
    name = names[0]
    set_design_value(copy.deepcopy(design_table(name)), path, 1.0, key=f"--params.{path}")
    node: Any = design_table(name)
    for part in path.split("."):  # the path is valid: set_design_value walked it
        node = node[int(part)] if isinstance(node, list) else node[part]
    return float(node)


@dataclass
class FitResult:
    """Outcome of a calibration fit."""

    technology: str
    cases: list[Case]
    ranges: list[ParameterRange]
    values: list[float]
    uncertainties: list[float]
    start: list[float]
    predicted: list[float]
    residuals: list[float]
    cost: float
    s2: float
    nfev: int
    success: bool
    message: str
    jacobian: list[list[float]] = field(default_factory=list)
    correlation: list[list[float | None]] = field(default_factory=list)  # None: undetermined
    fitted_on: str = field(default_factory=lambda: dt.date.today().isoformat())

    @property
    def params(self) -> list[str]:
        return [r.path for r in self.ranges]

    def main_case(self, i: int) -> Case:
        """The case that constrains parameter i most (largest |∂residual/∂parameter|)."""
        if not self.jacobian:
            return self.cases[0]
        col = [abs(row[i]) for row in self.jacobian]
        return self.cases[max(range(len(col)), key=col.__getitem__)]

    def at_bound(self) -> list[str]:
        return [r.path for r, x in zip(self.ranges, self.values, strict=True)
                if math.isclose(x, r.lo, rel_tol=1e-6) or math.isclose(x, r.hi, rel_tol=1e-6)]

    def poorly_determined(self) -> list[str]:
        """Parameters whose 1σ exceeds their value (or is infinite: no case moves them)."""
        return [r.path for r, x, u in zip(self.ranges, self.values, self.uncertainties,
                                          strict=True) if not math.isfinite(u) or u > abs(x)]

    def flags(self) -> list[dict[str, str]]:
        """Identifiability warnings: {parameter, flag, detail} per problem."""
        out = [{"parameter": p, "flag": "at_bound",
                "detail": "pinned at a bound of its literature range"} for p in self.at_bound()]
        out += [{"parameter": p, "flag": "poorly_determined",
                 "detail": "1 sigma larger than the value (or no case moves it)"}
                for p in self.poorly_determined()]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "technology": self.technology,
            "fitted_on": self.fitted_on,
            "parameters": [
                {"path": r.path, "value": x, "uncertainty": u, "start": x0,
                 "range": [r.lo, r.hi], "scale": r.scale, "range_provenance": r.provenance}
                for r, x, u, x0 in zip(self.ranges, self.values, self.uncertainties, self.start,
                                       strict=True)
            ],
            "cases": [
                {"id": c.id, "source": c.source, "target": c.target()[0], "scale": c.target()[1],
                 "predicted": p, "residual": res}
                for c, p, res in zip(self.cases, self.predicted, self.residuals, strict=True)
            ],
            "cost": self.cost,
            "s2": self.s2,
            "model_evaluations": self.nfev,
            "success": self.success,
            "message": self.message,
            "at_bound": self.at_bound(),
            "poorly_determined": self.poorly_determined(),
            "correlation": {"parameters": self.params, "matrix": self.correlation},
            "flags": self.flags(),
        }


def correlation_matrix(cov: np.ndarray) -> np.ndarray:
    """cov_ij / (σ_i σ_j); NaN where a variance is zero (a parameter no case moves)."""
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / np.outer(sd, sd)
    corr[np.outer(sd, sd) == 0] = math.nan
    return np.clip(corr, -1.0, 1.0)


def check_fit_cases(cases: list[Case], technology: str | None) -> str:
    """The one technology of the cases to fit; ConfigError unless every case is of class
    calibration, not pending, and names that technology."""
    for c in cases:
        if c.case_class != "calibration":
            raise ConfigError(c.id, f"is a {c.case_class} case; only calibration-class cases "
                              "can be fitted")
        if c.status == "pending":
            raise ConfigError(c.id, f"is pending ({c.reason})")
        if not c.technology:
            raise ConfigError(f"{c.id}.technology", "a fitted case must name its technology")
    techs = sorted({str(c.technology) for c in cases})
    if len(techs) > 1:
        raise ConfigError("CASES", f"cases of several technologies ({', '.join(techs)})")
    if technology is not None and technology != techs[0]:
        raise ConfigError("--technology", f"{technology!r} differs from the cases' {techs[0]!r}")
    return techs[0]


def calibrate(
    case_ids: list[str],
    params: list[str],
    technology: str | None = None,
    case_dir: Path | str | None = None,
    max_nfev: int = 30,
) -> FitResult:
    """Fit `params` (dotted design paths) of the cases' technology to the cases."""
    if not case_ids:
        raise ConfigError("CASES", "name at least one calibration case")
    if not params:
        raise ConfigError("--params", "name at least one parameter")
    if len(params) > MAX_PARAMETERS:
        raise ConfigError("--params", f"at most {MAX_PARAMETERS} parameters per technology")
    if len(set(params)) != len(params):
        raise ConfigError("--params", "a parameter is listed twice")
    cases = select(load_cases(case_dir), case_ids)
    tech = check_fit_cases(cases, technology)
    known = parameter_ranges()
    ranges = []
    for p in params:
        if p not in known:
            raise ConfigError(f"--params.{p}", "not a declared calibration parameter; declared: "
                              + ", ".join(sorted(known)))
        ranges.append(known[p])
    start = [min(max(design_default(tech, r.path), r.lo), r.hi) for r in ranges]
    targets = np.array([c.target()[0] for c in cases])
    scales = np.array([c.target()[1] for c in cases])
    ev = Evaluator()

    def predict(u: np.ndarray) -> np.ndarray:
        ev.trial = {tech: {r.path: r.from_unit(float(ui)) for r, ui in zip(ranges, u, strict=True)}}
        return np.array([ev.evaluate(c) for c in cases])

    def residuals(u: np.ndarray) -> np.ndarray:
        return (predict(u) - targets) / scales

    u0 = np.array([r.to_unit(x) for r, x in zip(ranges, start, strict=True)])
    res = least_squares(residuals, u0, bounds=(0.0, 1.0), diff_step=DIFF_STEP, method="trf",
                        xtol=1e-4, ftol=1e-6, max_nfev=max_nfev)
    m, n = len(cases), len(ranges)
    chi2 = 2.0 * float(res.cost)
    s2 = max(1.0, chi2 / (m - n)) if m > n else 1.0
    jtj = res.jac.T @ res.jac
    cov_u = np.linalg.pinv(jtj) * s2
    sigma_u = np.sqrt(np.clip(np.diag(cov_u), 0.0, None))
    values = [r.from_unit(float(u)) for r, u in zip(ranges, res.x, strict=True)]
    sig = [float(s * abs(r.slope(x))) if np.isfinite(s) and jtj[i, i] > 0 else math.inf
           for i, (r, x, s) in enumerate(zip(ranges, values, sigma_u, strict=True))]
    predicted = predict(res.x)
    return FitResult(
        technology=tech, cases=cases, ranges=ranges, values=values, uncertainties=sig,
        start=start, predicted=[float(p) for p in predicted],
        residuals=[float(r) for r in (predicted - targets) / scales], cost=float(res.cost),
        s2=s2, nfev=int(res.nfev), success=bool(res.success), message=str(res.message),
        jacobian=[[float(v) for v in row] for row in res.jac],
        correlation=[[float(v) if math.isfinite(v) else None for v in row]
                     for row in correlation_matrix(cov_u)],
    )


def calibration_path(technology: str) -> Path:
    """``data/calibration/<technology>.toml`` of the installed package."""
    from importlib import resources

    return Path(str(resources.files("alref.data").joinpath("calibration", f"{technology}.toml")))


def _entry(result: FitResult, i: int) -> dict[str, Any]:
    r = result.ranges[i]
    ids = [c.id for c in result.cases]
    main = result.main_case(i)
    return {
        "source": main.source,
        "locator": (f"{main.locator}; fitted in alref by `alref calibrate` to {', '.join(ids)} "
                    f"(mainly {main.id}); see alref.validation.calibrate"),
        "value": result.values[i],
        "uncertainty": result.uncertainties[i],
        "fitted_to": ids,
        "fitted_on": result.fitted_on,
        "fit_cost": result.cost,
        "range": {"lo": r.lo, "hi": r.hi, "scale": r.scale, **r.provenance},
    }


def write_calibration(result: FitResult, path: Path | None = None) -> Path:
    """Write (merge) the fitted values into the technology's calibration file, atomically."""
    import tomllib

    import tomli_w

    target = path or calibration_path(result.technology)
    existing: dict[str, Any] = {}
    if target.exists():
        existing = tomllib.loads(target.read_text(encoding="utf-8"))
    params = dict(existing.get("parameters", {}))
    for i, p in enumerate(result.params):
        params[p] = _entry(result, i)
    doc = {"technology": result.technology, "parameters": params}
    header = (f"# Calibrated design values of technology {result.technology!r}, written by\n"
              "# `alref calibrate ... --write` (alref.validation.calibrate). Do not edit by hand:\n"
              "# refit instead. Each value carries the cases it was fitted to, the date, its\n"
              "# 1-sigma uncertainty and the literature range it must stay in.\n\n")
    text = header + tomli_w.dumps(doc)
    target.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write_text(target, text)
