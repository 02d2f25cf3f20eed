"""Calibration: declared ranges, shipped parameter sets inside them, fit, write, errors."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from tests.provenance import check_provenance

from alref import citations, data
from alref.cell.design import calibration
from alref.errors import ConfigError
from alref.validation.calibrate import (
    MAX_PARAMETERS,
    ParameterRange,
    calibrate,
    design_default,
    parameter_ranges,
    write_calibration,
)
from alref.validation.case_files import load_cases

TECHNOLOGIES = ("rusal-diaphragm", "hoopes-classic", "sintef-lab")


def test_declared_ranges_are_ordered_and_have_provenance() -> None:
    ranges = parameter_ranges()
    assert "lining.lid.0.thickness_m" in ranges
    for r in ranges.values():
        assert r.lo < r.hi
        assert r.scale in ("linear", "log")
        if r.scale == "log":
            assert r.lo > 0
        assert r.provenance.get("assumption") or r.provenance.get("source")
    assert not check_provenance("calibration_ranges", set(citations.references()))


def test_entrainment_upper_bound_follows_the_10_3_rule() -> None:
    """0.3 % impurity carried by Al-33Cu alloy: e = 0.003/0.33 * M_Al/(3F) (domain-physics 10.3)."""
    from scipy.constants import physical_constants

    f = physical_constants["Faraday constant"][0]
    e_max = 0.003 / 0.33 * 26.9815e-3 / (3 * f)
    assert parameter_ranges()["transfer.entrainment_kg_per_a_s"].hi == pytest.approx(e_max, rel=0.02)


@pytest.mark.parametrize("scale", ["linear", "log"])
def test_unit_coordinate_round_trip(scale: str) -> None:
    r = ParameterRange("x", 1e-3, 2.0, scale, {})
    for x in (1e-3, 0.05, 1.3, 2.0):
        assert r.from_unit(r.to_unit(x)) == pytest.approx(x, rel=1e-12)
    assert r.from_unit(-0.5) == pytest.approx(1e-3) and r.from_unit(1.5) == pytest.approx(2.0)
    u, h = 0.4, 1e-6  # slope = dx/du
    assert r.slope(r.from_unit(u)) == pytest.approx((r.from_unit(u + h) - r.from_unit(u)) / h,
                                                    rel=1e-4)


@pytest.mark.parametrize("technology", TECHNOLOGIES)
def test_shipped_calibration_inside_ranges(technology: str) -> None:
    """One parameter set per technology, at most 5 values, each inside its literature range."""
    fitted = calibration(technology)
    assert 1 <= len(fitted) <= MAX_PARAMETERS
    ranges = parameter_ranges()
    cases = {c.id: c for c in load_cases()}
    for path, e in fitted.items():
        r = ranges[path]
        assert r.contains(e["value"]), f"{technology} {path}={e['value']} outside [{r.lo}, {r.hi}]"
        assert e["range"]["lo"] == r.lo and e["range"]["hi"] == r.hi
        assert 0 < e["uncertainty"] < math.inf
        dt.date.fromisoformat(e["fitted_on"])
        assert e["fitted_to"]
        for cid in e["fitted_to"]:
            assert cases[cid].kind == "calibration" and cases[cid].technology == technology
        design_default(technology, path)  # the path exists in the technology's designs
    assert not check_provenance(f"calibration/{technology}", set(citations.references()))


def test_range_check_can_fail() -> None:
    r = parameter_ranges()["lining.lid.0.thickness_m"]
    assert not r.contains(r.hi * 1.01) and not r.contains(r.lo * 0.99)


def test_sintef_refit_reproduces_shipped_value_and_writes(tmp_path: Path) -> None:
    shipped = calibration("sintef-lab")["side_by_side.bath_depth_m"]
    result = calibrate(["V8-sintef-energy"], ["side_by_side.bath_depth_m"])
    assert result.success and result.technology == "sintef-lab"
    assert abs(result.residuals[0]) < 0.05
    assert result.values[0] == pytest.approx(shipped["value"], abs=shipped["uncertainty"])
    assert result.start[0] == pytest.approx(0.08)  # the design file's value, not the shipped one
    assert result.nfev <= 30
    out = write_calibration(result, tmp_path / "sintef-lab.toml")
    doc = tomllib.loads(out.read_text(encoding="utf-8"))
    entry = doc["parameters"]["side_by_side.bath_depth_m"]
    assert entry["value"] == pytest.approx(result.values[0])
    assert entry["fitted_to"] == ["V8-sintef-energy"]
    assert entry["source"] == "solheim2021sidebyside" and entry["locator"]
    assert entry["range"]["assumption"]
    problems = [k for k, _v, prov in data.iter_numbers(doc) if prov is None]
    assert not problems


def test_write_merges_with_existing_entries(tmp_path: Path) -> None:
    target = tmp_path / "sintef-lab.toml"
    target.write_text('technology = "sintef-lab"\n[parameters."x.y_m"]\nassumption = "kept '
                      'from an earlier fit"\nvalue = 1.0\n', encoding="utf-8")
    result = calibrate(["V8-sintef-energy"], ["side_by_side.bath_depth_m"])
    doc = tomllib.loads(write_calibration(result, target).read_text(encoding="utf-8"))
    assert set(doc["parameters"]) == {"x.y_m", "side_by_side.bath_depth_m"}
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("cases", "params", "tech", "key"),
    [
        (["V8-sintef-energy"], ["side_by_side.nothing_m"], None, "--params.side_by_side.nothing_m"),
        (["V8-sintef-energy"], ["lining.lid.7.thickness_m"], None,
         "--params.lining.lid.7.thickness_m"),
        (["V8-nosuch"], ["side_by_side.bath_depth_m"], None, "CASES"),
        (["V8-sintef-ce"], ["side_by_side.bath_depth_m"], None, "V8-sintef-ce"),
        (["V8-sintef-energy", "V1-3ka-energy"], ["lining.lid.0.thickness_m"], None, "CASES"),
        (["V8-sintef-energy"], ["side_by_side.bath_depth_m"], "hoopes-classic", "--technology"),
        (["V8-sintef-energy"], [], None, "--params"),
        (["V8-sintef-energy"], ["a"] * 6, None, "--params"),
        (["V4-hoopes-energy-low-t"], ["lining.lid.0.thickness_m"], None, "V4-hoopes-energy-low-t"),
        # a verification case and a pending case are refused too
        (["faraday-production"], ["side_by_side.bath_depth_m"], None, "faraday-production"),
        (["ueda1998-bath-al-constant"], ["side_by_side.bath_depth_m"], None,
         "ueda1998-bath-al-constant"),
    ],
)
def test_bad_calibration_input_names_the_key(cases, params, tech, key) -> None:
    with pytest.raises(ConfigError) as exc:
        calibrate(cases, params, technology=tech)
    assert exc.value.key == key, exc.value


def test_one_sided_case_cannot_be_fitted(tmp_path: Path) -> None:
    src = ('id = "one"\nsource = "codata2018"\nlocator = "t"\nkind = "calibration"\n'
           'class = "calibration"\nclass_reason = "a test case of the range rule"\n'
           'technology = "sintef-lab"\nquantity = "cell.current_efficiency"\n'
           'expected = [0.8, inf]\ntolerance = { abs = 0.0 }\n'
           '[conditions]\nscenario = "sintef-side-by-side"\n')
    (tmp_path / "one.toml").write_text(src, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        calibrate(["one"], ["side_by_side.bath_depth_m"], case_dir=tmp_path)
    assert exc.value.key == "one"


def test_only_calibration_class_cases_reach_a_fit() -> None:
    """Every shipped case that `alref calibrate` accepts is of class calibration; every
    validation or verification case is refused before any model run."""
    from alref.validation.calibrate import check_fit_cases

    for c in load_cases():
        if c.case_class == "calibration" and c.status != "pending" and c.technology:
            assert check_fit_cases([c], None) == c.technology
        elif c.case_class != "calibration":
            with pytest.raises(ConfigError) as exc:
                check_fit_cases([c], None)
            assert exc.value.key == c.id and c.case_class in str(exc.value)


def test_correlation_matrix_of_known_covariances() -> None:
    """Independent parameters: identity; two parameters moved only together: |r| = 1; a
    parameter no case moves: undetermined (NaN)."""
    from alref.validation.calibrate import correlation_matrix

    assert correlation_matrix(np.diag([4.0, 0.25])) == pytest.approx(np.eye(2))
    jac = np.array([[1.0, 2.0], [2.0, 4.000001], [0.5, 1.0]])
    corr = correlation_matrix(np.linalg.pinv(jac.T @ jac))
    assert abs(corr[0, 1]) == pytest.approx(1.0, abs=1e-3)
    corr = correlation_matrix(np.array([[1.0, 0.0], [0.0, 0.0]]))
    assert corr[0, 0] == 1.0 and math.isnan(corr[1, 1])
    cov = np.array([[1.0, -0.6], [-0.6, 1.0]])
    assert correlation_matrix(cov)[0, 1] == pytest.approx(-0.6)


def test_flags_pinned_and_poorly_determined_parameters() -> None:
    from alref.validation.calibrate import FitResult, parameter_ranges

    ranges = parameter_ranges()
    r = ranges["lining.lid.0.thickness_m"]
    case = next(c for c in load_cases() if c.id == "V8-sintef-energy")

    def fit(value: float, sigma: float) -> FitResult:
        return FitResult("sintef-lab", [case], [r], [value], [sigma], [value], [0.0], [0.0],
                         0.0, 1.0, 1, True, "test")

    mid = 0.5 * (r.lo + r.hi)
    assert fit(mid, 0.1 * mid).flags() == []
    assert [f["flag"] for f in fit(r.hi, 0.1 * r.hi).flags()] == ["at_bound"]
    assert [f["flag"] for f in fit(mid, 2.0 * mid).flags()] == ["poorly_determined"]
    assert fit(mid, math.inf).poorly_determined() == [r.path]
    d = fit(r.lo, 2.0 * r.lo).to_dict()
    assert d["at_bound"] == d["poorly_determined"] == [r.path]
    assert {f["flag"] for f in d["flags"]} == {"at_bound", "poorly_determined"}
