"""Property functions take NumPy arrays: element-wise equal to scalar calls, warnings once."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from alref.properties import alloy_density, electrolyte, heat_transfer, lining, thermal
from alref.properties.broadcast import broadcasts, is_array
from alref.properties.registry import PropertyValue, RangeWarning

T_METAL = np.array([940.0, 1000.0, 1050.0, 1100.0])  # K, liquid Al-Cu
T_BATH = np.array([1130.0, 1180.0, 1230.0, 1250.0])  # K, cryolite: Chrenkova then Hives
CRYOLITE = {"NaF": 52.0, "AlF3": 40.0, "CaF2": 5.0, "Al2O3": 3.0}
BA_BATH = {"AlF3": 36.0, "NaF": 24.0, "BaF2": 35.0, "CaF2": 5.0}


def _value(result):
    return result.value if isinstance(result, PropertyValue) else result


CASES = [
    ("liquid Al density", alloy_density.liquid_al_density, T_METAL),
    ("liquid Cu density", alloy_density.liquid_cu_density, T_METAL + 400.0),
    ("alloy density", lambda T: alloy_density.density({"Cu": 33.0, "Si": 2.0, "Fe": 1.0}, T),
     T_METAL),
    ("Al enthalpy", lambda T: thermal.enthalpy_element("Al", T), np.array([300.0, 900.0, 1000.0])),
    ("scrap heat and melt", lambda T: thermal.enthalpy_heat_and_melt({"Al": 97.0, "Si": 3.0}, 298.15, T),
     T_METAL),
    ("Cu liquid cp", lambda T: thermal.cp_liquid_element("Cu", T), T_METAL),
    ("alloy liquid cp", lambda T: thermal.cp_liquid_metal({"Al": 67.0, "Cu": 33.0}, T), T_METAL),
    ("bath conductivity", lambda T: electrolyte.conductivity(CRYOLITE, T), T_BATH),
    ("Ba bath conductivity", lambda T: electrolyte.conductivity(BA_BATH, T), T_BATH),
    ("bath density", lambda T: electrolyte.density(CRYOLITE, T), T_BATH),
    ("bath heat capacity", lambda T: electrolyte.heat_capacity(CRYOLITE, T), T_BATH),
    ("vertical wall h", lambda T: heat_transfer.h_natural_vertical(T, 300.0, 1.2),
     np.array([320.0, 350.0, 400.0])),
    ("radiation h", lambda T: heat_transfer.h_radiation(T, 300.0, 0.8), np.array([320.0, 400.0])),
]


@pytest.mark.parametrize(("label", "func", "temps"), CASES,
                         ids=[c[0] for c in CASES])
def test_array_call_equals_scalar_calls_element_wise(label, func, temps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        array_result = _value(func(temps))
        scalar = np.array([_value(func(float(t))) for t in temps])
    assert isinstance(array_result, np.ndarray) and array_result.shape == temps.shape
    np.testing.assert_array_equal(array_result, scalar)  # bit for bit: same code per point


def test_arrays_broadcast_to_the_joint_shape():
    t_from = np.array([298.15, 400.0])[:, None]
    t_to = np.array([950.0, 1000.0, 1050.0])[None, :]
    h = thermal.enthalpy_heat_and_melt({"Al": 100.0}, t_from, t_to)
    assert h.shape == (2, 3)
    assert h[1, 2] == thermal.enthalpy_heat_and_melt({"Al": 100.0}, 400.0, 1050.0)
    assert np.all(np.diff(h, axis=1) > 0)  # hotter target, more heat
    assert np.all(np.diff(h, axis=0) < 0)  # warmer start, less heat


def test_lists_are_arrays_too():
    rho = alloy_density.liquid_al_density([950.0, 1000.0]).value
    assert list(rho) == [alloy_density.liquid_al_density(950.0).value,
                         alloy_density.liquid_al_density(1000.0).value]
    rho_cu = lining.electrical_resistivity("copper", np.array([300.0, 400.0]))
    assert rho_cu[1] > rho_cu[0]  # a metal conducts worse when hot


def test_range_warning_issued_once_for_many_points_out_of_range():
    temps = np.linspace(700.0, 800.0, 50)  # all below the Al melting point
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = alloy_density.liquid_al_density(temps)
    range_warnings = [w for w in caught if issubclass(w.category, RangeWarning)]
    assert len(range_warnings) == 1
    assert "at 50 of 50 points" in str(range_warnings[0].message)
    assert len(result.warnings) == 1 and "liquid_al.density" in result.warnings[0]


def test_in_range_array_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = alloy_density.liquid_al_density(T_METAL)
    assert result.warnings == ()


def test_correlation_choice_follows_each_point():
    # Chrenkova below the Hives range (< 940 degC), Hives 1996 above it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        result = electrolyte.conductivity(CRYOLITE, np.array([1180.0, 1250.0]))
        single = [electrolyte.conductivity(CRYOLITE, t).correlation for t in (1180.0, 1250.0)]
    assert single[0] != single[1]
    assert result.correlation == ", ".join(single)


def test_scalar_call_still_returns_a_float():
    assert type(alloy_density.liquid_al_density(1000.0).value) is float
    assert type(thermal.cp_liquid_element("Al", 1000.0)) is float


def test_is_array_rejects_scalars_strings_and_mappings():
    assert not is_array(1.0) and not is_array(np.float64(2.0)) and not is_array(np.array(3.0))
    assert not is_array("Al") and not is_array({"Al": 1.0}) and not is_array(["Al", "Cu"])
    assert is_array(np.array([1.0])) and is_array([1.0, 2.0]) and is_array((1, 2))


def test_decorated_function_reissues_inner_warnings_once():
    @broadcasts("x")
    def noisy(x: float) -> float:
        warnings.warn(f"x={x} is odd", RangeWarning, stacklevel=2)
        return 2.0 * x

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = noisy(np.arange(4.0))
    assert list(out) == [0.0, 2.0, 4.0, 6.0]
    assert [str(w.message) for w in caught] == ["x=0.0 is odd (at 4 of 4 points; first shown)"]
