"""Anode-alloy liquidus against domain-physics §2.5 and phase-diagram landmarks."""

from __future__ import annotations

import numpy as np
import pytest

from alref.properties.registry import RangeWarning, for_quantity
from alref.thermo.alloy_liquidus import binary_liquidus, liquidus

C = 273.15


@pytest.mark.parametrize(
    ("wt_cu", "t_c"),
    [(30, 565), (33, 550), (40, 575), (50, 595), (55, 625), (60, 695), (65, 765), (70, 835)],
)
def test_section_2_5_table(wt_cu: float, t_c: float) -> None:
    """§2.5: COST 507 Al-Cu liquidus (printed to 5 K); task tolerance 10 K."""
    pv = liquidus({"Cu": wt_cu})
    assert pv.value - C == pytest.approx(t_c, abs=10.0)
    assert pv.unit == "K" and not pv.warnings


def test_eutectic() -> None:
    """Al-Cu eutectic ~548 degC at ~33 wt % Cu (task); minimum of the Al-side valley."""
    w = np.linspace(25.0, 45.0, 401)
    t = np.array([binary_liquidus(x) for x in w])
    k = int(np.argmin(t))
    assert t[k] - C == pytest.approx(548.0, abs=3.0)
    assert w[k] == pytest.approx(33.0, abs=1.5)


def test_pure_al_melting_point() -> None:
    """Pure Al melts at 660.3 degC (COST 507 unary: SGTE, 933.47 K)."""
    assert liquidus({}).value == pytest.approx(933.47, abs=1.0)


def test_al_si_eutectic_from_activity_correction() -> None:
    """The solute correction reproduces the Al-Si eutectic (577 degC at 12.6 wt % Si)."""
    assert liquidus({"Si": 12.6}).value - C == pytest.approx(577.0, abs=5.0)


def test_solutes_lower_the_al_side_liquidus() -> None:
    t0 = liquidus({"Cu": 25}).value
    assert liquidus({"Cu": 25, "Si": 3}).value < t0
    assert liquidus({"Cu": 25, "Zn": 3}).value < t0
    # on the Cu-rich side at fixed Al:Cu ratio, dilution also lowers it
    assert liquidus({"Cu": 60 * 0.97, "Si": 3}).value < liquidus({"Cu": 60}).value


def test_warns_outside_range() -> None:
    with pytest.warns(RangeWarning):
        pv = liquidus({"Cu": 80})
    assert pv.warnings


def test_registered() -> None:
    assert any(c.name == "alloy.liquidus.cost507" for c in for_quantity("alloy.liquidus"))
