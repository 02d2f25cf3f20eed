"""True alloy liquidus (first solid of any phase) against full pycalphad COST 507 equilibria."""

from __future__ import annotations

import csv
import io
from importlib import resources

import numpy as np
import pytest

from alref.thermo import arrays
from alref.thermo.alloy_liquidus import liquidus as matrix_liquidus
from alref.thermo.alloy_properties import alloy_properties
from alref.thermo.first_solid import first_solid, liquidus_rows, phase_names
from alref.thermo.solubility import sludge_phases

#: agreement asked of the array model with the full equilibrium (K)
TOL_K = 10.0
_NAMES = {"FCC_A1": "fcc_Al", "ALCU_THETA": "theta_Al2Cu"}


def _reference() -> list[tuple[dict[str, float], float, str]]:
    text = resources.files("alref.data").joinpath("thermo", "first_solid_calphad.csv").read_text()
    rows = csv.DictReader(io.StringIO("\n".join(
        ln for ln in text.splitlines() if not ln.startswith("#"))))
    out = []
    by_calphad = {p.calphad_name: n for n, p in sludge_phases().items()}
    for r in rows:
        comp = {k: float(v) for k, v in (p.split("=") for p in r["composition"].split(";"))}
        prim = _NAMES.get(r["primary_calphad"]) or by_calphad[r["primary_calphad"]]
        out.append((comp, float(r["liquidus_K"]), prim))
    return out


@pytest.mark.parametrize(("comp", "t_ref", "primary"), _reference())
def test_first_solid_matches_pycalphad(comp, t_ref, primary) -> None:
    value, name = first_solid(comp)
    assert value.value == pytest.approx(t_ref, abs=TOL_K)
    assert name == primary


def test_must_show_al55cu33si12() -> None:
    """Issue 13: props alloy Al-33Cu-12Si liquidus within 10 K of COST 507 (672.7 degC, Si)."""
    rep = alloy_properties({"Al": 55, "Cu": 33, "Si": 12}, 1023.15)
    assert rep["liquidus_c"] == pytest.approx(945.86 - 273.15, abs=TOL_K)
    assert rep["primary_phase"] == "Si"
    assert rep["matrix_liquidus_c"] < rep["liquidus_c"] - 150.0  # the old answer, far below


def test_matrix_liquidus_kept_for_binary() -> None:
    """Without solutes the true and the matrix liquidus are the same binary table value."""
    value, name = first_solid({"Al": 67, "Cu": 33})
    assert value.value == pytest.approx(matrix_liquidus({"Al": 67, "Cu": 33}).value)
    assert name == "fcc_Al"


def test_more_iron_raises_the_liquidus_and_names_al13fe4() -> None:
    lows = [first_solid({"Al": 67 - fe, "Cu": 33, "Fe": fe}) for fe in (0.5, 1.0, 2.0)]
    temps = [v.value for v, _ in lows]
    assert temps == sorted(temps) and temps[-1] - temps[0] > 50.0
    assert all(name == "Al13Fe4" for _, name in lows)


def test_rows_equal_scalar_and_warm_start() -> None:
    els = ("Al", "Cu", "Fe", "Mn", "Si", "Zn")
    th = arrays.model(els)
    comps = [{"Al": 67, "Cu": 33}, {"Al": 55, "Cu": 33, "Si": 12},
             {"Al": 58.5, "Cu": 30, "Si": 8, "Fe": 2, "Zn": 1, "Mn": 0.5}]
    W = np.array([[c.get(e, 0.0) for e in els] for c in comps])
    t, idx = liquidus_rows(th, W)
    names = phase_names(th)
    for k, c in enumerate(comps):
        v, name = first_solid(c)
        assert t[k] == pytest.approx(v.value, abs=1e-3)
        assert names[idx[k]] == name
    t2, idx2 = liquidus_rows(th, W, guess=t + 1.0)  # a previous step's value
    np.testing.assert_allclose(t2, t, atol=1e-2)
    np.testing.assert_array_equal(idx2, idx)


def test_live_pycalphad_al55cu33si12() -> None:
    """Live check when pycalphad (dev extra) is installed: the first solid at the model's
    liquidus - 10 K, none at + 10 K."""
    pytest.importorskip("pycalphad")
    from alref.thermo.calphad import saturated_liquid

    t = first_solid({"Al": 55, "Cu": 33, "Si": 12})[0].value
    _liq, below = saturated_liquid({"Al": 55, "Cu": 33, "Si": 12}, t - TOL_K)
    _liq, above = saturated_liquid({"Al": 55, "Cu": 33, "Si": 12}, t + TOL_K)
    assert "DIAMOND_A4" in below
    assert not above
