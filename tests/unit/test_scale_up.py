"""Scale-up honesty: conductor drops with pot size, interface stability, validated range.

* busbar and collector runs follow the plan size (length ∝ √scale) at the same current
  density, so their voltage drop grows with the pot; vertical leads and joints keep theirs;
* the Sele parameter of a stacked pot grows with current (∝ I^1.5 at constant current
  density), with a thinner bath and with a smaller density contrast, and warns above its
  critical value; diaphragm pots have no horizontal metal/bath interface to check;
* scaling a design outside the pot sizes its data come from adds a warning to the JSON.
"""

from __future__ import annotations

import warnings

import pytest

from alref.api import cell_operating_point
from alref.cell.design import load_design
from alref.cell.stability import interface_stability
from alref.properties.registry import RangeWarning


def op(name: str, *sets: str) -> dict:
    return cell_operating_point(name, list(sets)).to_dict()


def test_busbar_drop_grows_with_pot_size_contacts_stay() -> None:
    small = op("hoopes-classic", 'cell.current="25 kA"')["voltage_breakdown_v"]
    big = op("hoopes-classic", 'cell.scale_to="80 kA"')["voltage_breakdown_v"]
    assert big["busbar"] == pytest.approx(small["busbar"] * (80 / 25) ** 0.5, rel=1e-6)
    assert big["contacts"] == pytest.approx(small["contacts"], rel=1e-9)
    assert big["cathode_conductor"] < small["cathode_conductor"] * 1.05  # vertical leads


def test_scaled_design_keeps_vertical_lead_lengths() -> None:
    d = load_design("rusal-3ka")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        s = d.scaled(12000.0)
    assert s.conductor("cathode").length_m == d.conductor("cathode").length_m
    assert s.conductor("busbar").length_m == pytest.approx(2 * d.conductor("busbar").length_m)


def test_scaling_outside_the_validated_range_warns_in_json() -> None:
    inside = op("hoopes-classic", 'cell.scale_to="50 kA"')
    outside = op("hoopes-classic", 'cell.scale_to="200 kA"')
    assert not any("validated range" in w for w in inside["warnings"])
    assert any("validated range" in w for w in outside["warnings"])
    assert any("validated range" in w for w in op("rusal-3ka", 'cell.scale_to="30 kA"')["warnings"])


def _beta(current: float, acd: float = 0.10, rho=(3230.0, 2570.0, 2290.0)) -> dict:
    d = load_design("hoopes-classic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        d = d.scaled(current)
    return interface_stability(d, current, acd, *rho)


def test_sele_parameter_directions() -> None:
    b25, b100 = _beta(25e3), _beta(100e3)
    assert b100["bath_pad"]["beta"] == pytest.approx(b25["bath_pad"]["beta"] * 4**1.5, rel=1e-6)
    assert _beta(25e3, acd=0.05)["bath_pad"]["beta"] > b25["bath_pad"]["beta"]
    near_inversion = _beta(25e3, rho=(3230.0, 2330.0, 2290.0))
    assert near_inversion["bath_pad"]["beta"] > b25["bath_pad"]["beta"]
    # the light pad on the bath is the weaker interface (smaller density contrast)
    assert b25["bath_pad"]["beta"] > b25["alloy_bath"]["beta"]


def test_classic_cell_stable_at_its_size_unstable_far_beyond() -> None:
    assert op("hoopes-classic")["limits"]["interface_stability"]["stable"] is True
    huge = op("hoopes-classic", 'cell.scale_to="1000 kA"')
    assert huge["limits"]["interface_stability"]["stable"] is False
    assert huge["within_limits"] is False
    assert any("Sele" in n for n in huge["notes"])


def test_diaphragm_pot_has_no_stacked_interface() -> None:
    assert "interface_stability" not in op("rusal-3ka")["limits"]
