"""Voltage model pieces against analytic results and the reference tables."""

from __future__ import annotations

import math

import pytest

from alref.cell.design import load_design
from alref.cell.electrical import (
    FARADAY,
    bath_resistance,
    electrode_overvoltage,
    liquid_metal_resistivity,
    reversible_voltage,
)
from alref.errors import PhysicsError


@pytest.mark.parametrize(
    ("a_al", "t_c", "mv"),
    # domain-physics §5.4 table: a_Al and E_rev at 750 degC
    [(0.868, 750, 4.2), (0.803, 750, 6.4), (0.587, 750, 15.7)],
)
def test_reversible_voltage_matches_table(a_al: float, t_c: float, mv: float) -> None:
    assert reversible_voltage(a_al, t_c + 273.15) * 1e3 == pytest.approx(mv, abs=0.15)


def test_reversible_voltage_rejects_bad_activity() -> None:
    with pytest.raises(PhysicsError):
        reversible_voltage(0.0, 1000.0)


def test_overvoltage_is_small_and_grows_with_current() -> None:
    t = 1123.15
    small = electrode_overvoltage(5000, t, 5e4, 0.5, 1.6e5)
    large = electrode_overvoltage(20000, t, 5e4, 0.5, 1.6e5)
    assert 0 < small < 0.05 < large or 0 < small < large < 0.2
    # linear (charge-transfer resistance) limit: η ≈ RT/(α n F)·j/(2 i0)
    tiny = electrode_overvoltage(1.0, t, 5e4, 0.5, 1e12)
    rt = 8.314462618 * t / (0.5 * 3 * FARADAY)
    assert tiny == pytest.approx(rt / (2 * 5e4), rel=1e-3)


def test_limiting_current_exceeded_raises() -> None:
    with pytest.raises(PhysicsError):
        electrode_overvoltage(2e5, 1100.0, 5e4, 0.5, 1e5)


def test_stacked_bath_resistance_is_a_slab() -> None:
    d = load_design("hoopes-classic")
    r = bath_resistance(d, 0.10, 100.0)["bath_ir"]
    assert r == pytest.approx(0.10 / (100.0 * d.cavity_area_m2))


def test_diaphragm_wall_uses_porosity_over_tortuosity() -> None:
    d = load_design("rusal-3ka")
    spec = d.spec.diaphragm
    r = bath_resistance(d, 0.02, 150.0)
    expected = spec.wall_thickness_m / (150.0 * spec.porosity / spec.tortuosity * d.diaphragm_area_m2)
    assert r["diaphragm_ir"] == pytest.approx(expected)
    # halving porosity doubles the wall resistance
    assert r["bath_ir"] == pytest.approx(0.02 / (150.0 * d.cathode_area_m2))


def test_side_by_side_resistance_grows_with_gap() -> None:
    d = load_design("sintef-side-by-side")
    r1 = bath_resistance(d, 0.01, 200.0)["bath_ir"]
    r2 = bath_resistance(d, 0.03, 200.0)["bath_ir"]
    assert r2 > r1 > 0


def test_liquid_metal_resistivity_end_members() -> None:
    # Desai 1984: liquid Al ≈ 24.8 µΩ·cm at the melting point; Matula 1979: Cu ≈ 20 µΩ·cm
    assert liquid_metal_resistivity(100, 0, 933.47) == pytest.approx(24.77e-8, rel=1e-6)
    assert liquid_metal_resistivity(0, 100, 1357.77) == pytest.approx(20.1e-8, rel=1e-6)
    mid = liquid_metal_resistivity(67, 33, 1023.15)
    assert mid > liquid_metal_resistivity(100, 0, 1023.15)
    assert math.isfinite(mid)
