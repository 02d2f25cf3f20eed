"""Closed-form COST 507 route vs pycalphad (live when pycalphad is installed)."""

from __future__ import annotations

import pytest

from alref.thermo import calphad
from alref.thermo.activity import activities
from alref.thermo.solubility import saturation_limit

T750 = 1023.15

needs_pycalphad = pytest.mark.skipif(not calphad.available(), reason="pycalphad not installed")


def test_available_is_boolean() -> None:
    assert calphad.available() in (True, False)


@needs_pycalphad
def test_live_liquid_activities_match_closed_form() -> None:
    comp = {"Cu": 33.0, "Fe": 0.3, "Si": 3.0, "Zn": 1.0, "Mg": 0.5}
    live = calphad.liquid_activities(comp, T750)
    closed = activities(comp, T750)
    for el, a in live.items():
        assert closed[el] == pytest.approx(a, rel=1e-3), el


@needs_pycalphad
def test_live_fe_saturation_in_al33cu() -> None:
    liquid, solids = calphad.saturated_liquid({"Cu": 33.0, "Fe": 2.0}, T750)
    assert solids == ["AL13FE4"]
    fe = liquid.pop("Fe")
    liquid.pop("Al")
    assert saturation_limit(liquid, T750, "Fe") == pytest.approx(fe, rel=0.05)
