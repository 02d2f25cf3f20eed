"""Composition: validation, balance by difference, mixing, mole fractions."""

from __future__ import annotations

import pytest

from alref.errors import ConfigError
from alref.materials.composition import Composition


def test_balance_by_difference_keeps_impurities() -> None:
    c = Composition.from_wt_pct({"Fe": 0.12, "Si": 0.06, "Zn": 0.01})
    assert c["Fe"] == 0.12 and c["Si"] == 0.06
    assert c.al_wt_pct == pytest.approx(99.81, abs=1e-12)
    assert sum(c.values()) == pytest.approx(100.0, abs=1e-12)
    assert next(iter(c)) == "Al"


def test_given_al_is_replaced_by_difference_and_checked() -> None:
    c = Composition.from_wt_pct({"Al": 99.8, "Fe": 0.1})
    assert c.al_wt_pct == pytest.approx(99.9)
    with pytest.raises(ConfigError) as exc:
        Composition.from_wt_pct({"Al": 90.0, "Fe": 0.1}, key="x")
    assert exc.value.key == "x"


def test_lowercase_symbols_accepted() -> None:
    assert Composition.from_wt_pct({"fe": 0.2})["Fe"] == 0.2


@pytest.mark.parametrize(
    ("mapping", "key"),
    [
        ({"Xx": 1.0}, "k.Xx"),
        ({"Fe": -0.1}, "k.Fe"),
        ({"Fe": float("nan")}, "k.Fe"),
        ({"Fe": float("inf")}, "k.Fe"),
    ],
)
def test_bad_elements_and_values_name_the_key(mapping, key) -> None:
    with pytest.raises(ConfigError) as exc:
        Composition.from_wt_pct(mapping, key="k")
    assert exc.value.key == key


def test_sum_above_100_rejected() -> None:
    with pytest.raises(ConfigError) as exc:
        Composition.from_wt_pct({"Cu": 60.0, "Si": 41.0}, key="k")
    assert exc.value.key == "k"


def test_no_balance_needs_sum_near_100() -> None:
    c = Composition.from_wt_pct({"Al": 67.2, "Cu": 33.0}, balance=None)
    assert sum(c.values()) == pytest.approx(100.0)
    with pytest.raises(ConfigError) as exc:
        Composition.from_wt_pct({"Al": 60.0, "Cu": 30.0}, balance=None, key="k")
    assert exc.value.key == "k"


def test_from_mass_and_mix_conserve_element_mass() -> None:
    a = Composition.from_wt_pct({"Cu": 33.0})
    b = Composition.from_wt_pct({"Si": 7.0, "Mg": 0.35})
    m = Composition.mix([(a, 2.0), (b, 3.0)])
    # element masses: Cu 0.66, Si 0.21, Mg 0.0105 in 5 kg
    assert m["Cu"] == pytest.approx(100 * 0.66 / 5)
    assert m["Si"] == pytest.approx(100 * 0.21 / 5)
    assert m["Mg"] == pytest.approx(100 * 0.0105 / 5)
    assert sum(m.values()) == pytest.approx(100.0)
    with pytest.raises(ConfigError):
        Composition.mix([(a, -1.0)])


def test_mole_fractions_al_cu_eutectic_cross_check() -> None:
    # Al-33 wt% Cu is close to the eutectic at about 17.3 at% Cu (independent textbook value)
    x = Composition.from_wt_pct({"Cu": 33.0}).mole_fractions()
    assert x["Cu"] == pytest.approx(0.173, abs=0.002)
    assert sum(x.values()) == pytest.approx(1.0)


def test_immutable_hashable_and_tolerant_equality() -> None:
    c = Composition.from_wt_pct({"Fe": 0.2})
    with pytest.raises(AttributeError):
        c.x = 1  # type: ignore[attr-defined]
    assert hash(c) == hash(Composition.from_wt_pct({"Fe": 0.2}))
    assert c.isclose({"Al": 99.8, "Fe": 0.2 + 1e-12})
    assert not c.isclose({"Al": 99.7, "Fe": 0.3})
    assert c.impurities() == {"Fe": 0.2}
    assert c.mass_fractions()["Fe"] == pytest.approx(0.002)
    assert c.normalised().isclose(c)
