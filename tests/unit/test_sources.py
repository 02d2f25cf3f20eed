"""Hardware Fe and refractory Si as design statements (research §3.8.4-3.8.5)."""

from __future__ import annotations

import numpy as np
import pytest

from alref.campaign import sources as src
from alref.cell.design_schema import Transfer
from alref.errors import ConfigError


def _tr(**kw) -> Transfer:
    base = {"entrainment_kg_per_a_s": 0.0, "bath_ion_mass_transfer_m_s": 5e-6,
            "fume_mass_transfer_m_s": 1e-3, "sludge_capacity_kg": 1.0}
    return Transfer(**{**base, **kw})


def test_steel_dissolution_is_driven_by_undersaturation() -> None:
    area, rho, dt = np.array([0.01, 0.01, 0.02]), np.full(3, 2300.0), 3600.0
    w_sat = np.full(3, 0.058)
    fe = src.steel_fe_kg(area, src.steel_mass_transfer_m_s(), rho, w_sat,
                         np.array([0.0, 0.058, 0.0]), dt)
    assert fe[0] == pytest.approx(0.01 * 3e-6 * 2300 * 0.058 * 3600)
    assert fe[1] == 0.0  # saturated metal takes no more Fe
    assert fe[2] == pytest.approx(2 * fe[0])  # twice the steel, twice the Fe


def test_fe_saturation_from_cost507_falls_with_cu_and_rises_with_t() -> None:
    from alref.campaign.layout import pool_layout
    from alref.thermo.solubility import saturation_limit

    lay = pool_layout({"Al", "Cu", "Fe", "Si"}, ["NaF", "AlF3"])
    rows = np.zeros((3, len(lay.el)))
    rows[:2, lay.th.idx["Al"]] = 100.0
    rows[2, lay.th.idx["Al"]], rows[2, lay.th.idx["Cu"]] = 67.0, 33.0
    T = np.array([1023.0, 1073.0, 1023.0])
    w = src.fe_saturation_rows(rows, np.ones(3), T, lay)
    pure_750, pure_800, alcu = w
    assert 0.03 < pure_750 < pure_800 < 0.08  # 4.1 % at 750 degC (research 3.8.4)
    assert alcu < 0.3 * pure_750
    # the Henry's-law steps agree with the scalar COST 507 root
    assert pure_750 == pytest.approx(saturation_limit({"Al": 100.0}, 1023.0, "Fe") / 100, rel=1e-4)
    assert alcu == pytest.approx(saturation_limit({"Al": 67.0, "Cu": 33.0}, 1023.0, "Fe") / 100,
                                 rel=0.03)
    # no steel, no saturation needed
    assert src.fe_saturation_rows(rows, np.zeros(3), T, lay).max() == 0.0


def test_fe_saturation_warm_start_finds_the_same_root_in_fewer_steps(monkeypatch) -> None:
    from alref.campaign.layout import pool_layout

    lay = pool_layout({"Al", "Cu", "Fe", "Si"}, ["NaF", "AlF3"])
    rows = np.zeros((3, len(lay.el)))
    rows[:, lay.th.idx["Al"]] = [100.0, 67.0, 80.0]
    rows[:, lay.th.idx["Cu"]] = [0.0, 33.0, 15.0]
    rows[2, lay.th.idx["Si"]] = 5.0
    T = np.array([1023.0, 1023.0, 1000.0])
    cold = src.fe_saturation_rows(rows, np.ones(3), T, lay)
    warm = np.zeros(3)
    assert np.array_equal(src.fe_saturation_rows(rows, np.ones(3), T, lay, warm), cold)
    assert (warm > 0).all()  # each row's root, kept for its next call
    start = warm.copy()
    moved = rows.copy()
    moved[:, lay.th.idx["Cu"]] *= 1.01  # the next step's slightly richer alloy
    ref = src.fe_saturation_rows(moved, np.ones(3), T, lay)
    assert src.fe_saturation_rows(moved, np.ones(3), T, lay, warm) == pytest.approx(ref, rel=1e-5)
    monkeypatch.setattr(src, "SAT_ITERATIONS", 4)  # warm: four steps suffice, cold: not
    assert src.fe_saturation_rows(moved, np.ones(3), T, lay, start) == pytest.approx(ref, rel=1e-5)
    assert src.fe_saturation_rows(moved, np.ones(3), T, lay) != pytest.approx(ref, rel=1e-5)


def test_refractory_si_only_from_a_silica_bearing_face_with_a_rate() -> None:
    assert src.refractory_si_kg_s(_tr(refractory_bath_material="dense_firebrick",
                                      refractory_bath_area_m2=1.0)) == 0.0
    fire = src.refractory_si_kg_s(_tr(refractory_bath_material="dense_firebrick",
                                      refractory_bath_area_m2=1.0,
                                      refractory_recession_m_s=1e-10))
    mag = src.refractory_si_kg_s(_tr(refractory_bath_material="magnesia_brick",
                                     refractory_bath_area_m2=1.0,
                                     refractory_recession_m_s=1e-10))
    # 1e-10 m/s x 2050 kg/m3 x 52 % SiO2 x 28.09/60.08
    assert fire == pytest.approx(1e-10 * 2050 * 0.52 * 28.0855 / 60.0843, rel=1e-3)
    assert 0 < mag < 0.1 * fire
    with pytest.raises(ConfigError):
        src.refractory_si_kg_s(_tr(refractory_bath_material="steel", refractory_bath_area_m2=1.0,
                                   refractory_recession_m_s=1e-10))
