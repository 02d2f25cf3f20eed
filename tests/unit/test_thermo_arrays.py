"""Array thermodynamics (activities, saturation, precipitation, liquidus, density)
equal the scalar functions."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from alref.properties import alloy_density
from alref.thermo import activity, alloy_liquidus
from alref.thermo.arrays import Liquidus, Thermo, alloy_density_rows
from alref.thermo.solubility import precipitate, saturation_indices

ELEMENTS = ["Al", "Cu", "Si", "Fe", "Zn", "Mg", "Mn", "Ni", "Sn", "Ti", "Cr"]
# anode alloys met in a default cycle: fresh Al-33Cu, mid-cycle and end of cycle (wt %)
ALLOYS = [
    {"Al": 67.0, "Cu": 33.0},
    {"Al": 55.0, "Cu": 38.0, "Si": 6.0, "Fe": 1.0},
    {"Al": 40.0, "Cu": 44.0, "Si": 11.0, "Fe": 2.0, "Zn": 2.0, "Mn": 0.5, "Ni": 0.3,
     "Sn": 0.1, "Ti": 0.05, "Cr": 0.03},
]
TEMPS = np.array([1073.15, 1000.0, 1073.15])


@pytest.fixture(scope="module")
def twins() -> tuple[Thermo, np.ndarray, np.ndarray]:
    th = Thermo(ELEMENTS)
    W = np.array([[a.get(e, 0.0) for e in ELEMENTS] for a in ALLOYS])
    return th, W, th.x_of_masses(W)


def test_ln_gamma_rows_equal_scalar(twins) -> None:
    th, _W, X = twins
    lg = th.ln_gamma_rows(X, TEMPS)
    for k, comp in enumerate(ALLOYS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = activity.ln_gamma(activity.mole_fractions(comp), TEMPS[k])
        for el, v in ref.items():
            assert lg[k, ELEMENTS.index(el)] == pytest.approx(v, abs=1e-12)


def test_saturation_and_precipitation_equal_scalar(twins) -> None:
    th, W, X = twins
    si = th.saturation(X, TEMPS)
    liquid, amount = th.precipitate_rows(W, TEMPS, th.coefficients(TEMPS))
    phase_kg = amount * th.phase_mass_matrix().sum(1)
    for k, comp in enumerate(ALLOYS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref_si = saturation_indices(comp, TEMPS[k])
            ref_liq, ref_ph = precipitate(comp, TEMPS[k])
        for p, v in ref_si.items():
            assert si[k, th.phases.index(p)] == pytest.approx(v, abs=1e-10)
        for el, m in ref_liq.items():
            assert liquid[k, ELEMENTS.index(el)] == pytest.approx(m, abs=1e-9)
        assert {p for p in th.phases if phase_kg[k, th.phases.index(p)] > 1e-12} == set(ref_ph)
        for p, m in ref_ph.items():
            assert phase_kg[k, th.phases.index(p)] == pytest.approx(m, rel=1e-9)
    # element mass is conserved by the precipitation (liquid + phases = input)
    back = liquid + amount @ th.phase_mass_matrix()
    assert np.allclose(back, W, rtol=0, atol=1e-9)


def test_liquidus_and_density_equal_scalar(twins) -> None:
    th, W, _X = twins
    liq = Liquidus(th).rows(W)
    rho = alloy_density_rows(th, W, TEMPS)
    for k, comp in enumerate(ALLOYS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert liq[k] == pytest.approx(alloy_liquidus.liquidus(comp).value, abs=1e-4)
            assert rho[k] == pytest.approx(alloy_density.density(comp, TEMPS[k]).value, rel=1e-12)
    # COST 507 binary liquidus of Al-33Cu near the eutectic (table value, ~549 degC)
    assert liq[0] - 273.15 == pytest.approx(549, abs=3)


