"""Liquid Al, Cu and Al-Cu(-Si) densities at the sources' own points."""

from __future__ import annotations

import pytest

from alref.errors import ConfigError
from alref.materials.elements import molar_mass
from alref.properties.alloy_density import density, liquid_al_density, liquid_cu_density
from alref.properties.registry import RangeWarning, for_quantity


def test_assael_al_at_750c() -> None:
    """domain-physics §7.2 / data-gaps §3.1: 2349 kg/m3 at 750 degC (Assael et al. 2006)."""
    pv = liquid_al_density(1023.15)
    assert pv.value == pytest.approx(2349.0, abs=1.0)
    assert pv.unit == "kg/m3" and not pv.warnings
    assert liquid_al_density(933.47).value == pytest.approx(2377.23, abs=0.01)


def test_assael_cu_corrected_line() -> None:
    """data-gaps §3.1: 7997 - 0.819 (T - 1357.77); 8271 at 750 degC (supercooled, warns)."""
    assert liquid_cu_density(1357.77).value == pytest.approx(7997.0, abs=0.5)
    with pytest.warns(RangeWarning):
        pv = liquid_cu_density(1023.15)
    assert pv.value == pytest.approx(8271.0, abs=1.0)
    assert pv.warnings


def _wt_cu(x_cu: float) -> float:
    m_cu, m_al = molar_mass("Cu"), molar_mass("Al")
    return 100 * x_cu * m_cu / (x_cu * m_cu + (1 - x_cu) * m_al)


@pytest.mark.parametrize(
    ("x_cu", "c1", "c2", "t_l"),
    [(0.2, 3320.0, 0.53, 835.0), (0.3, 3760.0, 0.49, 865.0), (0.4, 4440.0, 0.54, 900.0),
     (0.5, 5050.0, 0.61, 1087.0)],
)
def test_brillo_alcu_rows_within_their_deviation(x_cu, c1, c2, t_l) -> None:
    """data-gaps §3.2: Brillo's levitation lines, stated deviation 1.5 %."""
    for T in (t_l + 20.0, t_l + 150.0, t_l + 300.0):
        ref = c1 - c2 * (T - t_l)
        assert density({"Cu": _wt_cu(x_cu)}, T).value == pytest.approx(ref, rel=0.015)


@pytest.mark.parametrize(
    ("wt_cu", "rho_750", "rho_800"),
    [(30.0, 3002.0, 2978.0), (33.0, 3091.0, 3066.0), (40.0, 3313.0, 3287.0)],
)
def test_anode_range_brillo_interpolation(wt_cu, rho_750, rho_800) -> None:
    """data-gaps §3.2 anode-alloy table (Brillo interpolation), +-1 %."""
    assert density({"Cu": wt_cu}, 1023.15).value == pytest.approx(rho_750, rel=0.01)
    assert density({"Cu": wt_cu}, 1073.15).value == pytest.approx(rho_800, rel=0.01)


@pytest.mark.parametrize(
    ("wt_cu", "wt_si", "rho_750", "rho_800"),
    [(11.0, 4.9, 2617.0, 2593.0), (20.7, 9.1, 2968.0, 2940.0), (36.8, 16.3, 3233.0, 3221.0)],
)
def test_kobatake_alcusi_rows(wt_cu, wt_si, rho_750, rho_800) -> None:
    """data-gaps §3.2 ternary rows (Kobatake, Schmitz & Brillo 2014), treated as +-2 %."""
    assert density({"Cu": wt_cu, "Si": wt_si}, 1023.15).value == pytest.approx(rho_750, rel=0.02)
    assert density({"Cu": wt_cu, "Si": wt_si}, 1073.15).value == pytest.approx(rho_800, rel=0.02)


def test_physical_trends() -> None:
    """Cu makes the alloy denser, heating makes it lighter; eutectic ~3 g/cm3 (§2 Gadeau)."""
    rho = [density({"Cu": w}, 1023.15).value for w in (0, 10, 20, 33, 50, 70)]
    assert rho == sorted(rho)
    assert density({"Cu": 33}, 1073.15).value < density({"Cu": 33}, 1023.15).value
    assert 2900 < density({"Cu": 33}, 1023.15).value < 3200


def test_other_solutes_and_warnings() -> None:
    base = density({"Cu": 33}, 1023.15).value
    assert density({"Cu": 33, "Fe": 1.0}, 1023.15).value > base  # heavier atom, ~Cu volume
    with pytest.warns(RangeWarning):
        pv = density({"Cu": 80}, 1023.15)
    assert pv.warnings
    with pytest.raises(ConfigError):
        density({"Qq": 1}, 1023.15)


def test_registered() -> None:
    names = {c.name for c in for_quantity("alloy.density")}
    assert "alloy.density.brillo_rk" in names
    assert {c.name for c in for_quantity("metal.density")} >= {
        "liquid_al.density.assael2006", "liquid_cu.density.assael2010"}
