"""Bath liquidus: Solheim 1996, the 2014 equation, binary and Ba/Gadeau estimates."""

from __future__ import annotations

import warnings

import pytest

from alref.materials import salts
from alref.properties import electrolyte as el
from alref.properties import electrolyte_liquidus as eliq
from alref.properties.registry import RangeWarning


def t_liq(comp, **kw) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        return el.liquidus(comp, **kw).value - 273.15


def test_solheim_pure_cryolite_1011() -> None:
    assert t_liq({"Na3AlF6": 100.0}) == pytest.approx(1011.0, abs=0.01)
    assert t_liq({"NaF": 60.0, "AlF3": 40.0}) == pytest.approx(1011.0, abs=0.5)


def test_solheim_and_2014_equation_agree() -> None:
    """Two independent regressions at an industrial bath (11 % AlF3, 5 % CaF2, 3 % Al2O3)."""
    comp = {"Na3AlF6": 81.0, "AlF3": 11.0, "CaF2": 5.0, "Al2O3": 3.0}
    t_s = t_liq(comp)
    t_j = t_liq(comp, correlation="jmm2014")
    assert t_s == pytest.approx(t_j, abs=3.0)
    assert 950.0 < t_s < 965.0  # industrial baths freeze near 960 degC


def test_solheim_alumina_depression() -> None:
    """3 % alumina lowers the cryolite liquidus by about 18 K (data-gaps 1.5 reasoning)."""
    drop = t_liq({"Na3AlF6": 100.0}) - t_liq({"Na3AlF6": 97.0, "Al2O3": 3.0})
    assert 15.0 < drop < 21.0


def test_solheim_additives_lower_liquidus() -> None:
    base = t_liq({"Na3AlF6": 90.0, "AlF3": 10.0})
    for add in ("CaF2", "LiF", "MgF2", "KF"):
        assert t_liq({"Na3AlF6": 87.0, "AlF3": 10.0, add: 3.0}) < base


def test_solheim_range_warning_for_acidic_bath() -> None:
    with pytest.warns(RangeWarning, match="solheim1996"):
        pv = el.liquidus({"NaF": 40.0, "AlF3": 60.0})
    assert any("AlF3" in w for w in pv.warnings)
    # the NaF-AlF3 eutectic is near 695 degC (domain-physics 7.3): extrapolation stays above it
    assert 694.0 < pv.value - 273.15 < 1011.0
    # more acidic than the eutectic (CR 1.0): capped at the eutectic, not hundreds of K below
    assert t_liq({"NaF": 33.3, "AlF3": 66.7}) == pytest.approx(694.2, abs=1.0)


def test_binary_low_melting_families_below_pure_salt_melting_points() -> None:
    for fam, salt in (("kf_alf3", "KF"), ("lif_alf3", "LiF")):
        comp = el.families()[fam].default_composition
        t = t_liq(comp)
        assert 500.0 < t < salts.melting_point(salt) - 273.15
    # SFU: 64LiF-36AlF3 has a low liquidus and is worked at 850 degC
    assert t_liq(el.families()["lif_alf3"].default_composition) < 850.0
    # KF-AlF3 at CR 1.3 is the low-temperature electrolyte (< 700 degC)
    assert t_liq(el.families()["kf_alf3"].default_composition) < 700.0
    # interpolation moves toward the hexafluoroaluminate: more KF -> higher liquidus
    assert eliq.kf_alf3(CR=1.7) > eliq.kf_alf3(CR=1.3)


def test_ba_fluoride_estimate_meets_sourced_constraints() -> None:
    """RU2222642 operates its 40-45 % BaF2, CR 1.2-1.5 bath at 960-980 degC (liquidus below);
    JILM 24(5) measured dense Ba-fluoride refining baths as liquids at 750 degC."""
    comp = el.families()["ba_fluoride"].default_composition
    t = t_liq(comp)
    assert 650.0 < t < 960.0
    assert t < 750.0 and el.density(comp, 1023.15).value > 2600.0
    # a less acidic bath (higher CR) melts higher, as on the cryolite side of NaF-AlF3
    basic = {"NaF": 30.0, "AlF3": 27.5, "BaF2": 42.5}
    assert t_liq(basic) > t
    with pytest.warns(RangeWarning, match="ba_fluoride"):  # Solheim extrapolated
        pv = el.liquidus(el.families()["ba_fluoride"].default_composition)
    assert pv.correlation == "liquidus.ba_fluoride_solheim_caf2_equivalent"


def test_gadeau_estimate_in_sourced_range() -> None:
    """JILM: low-melting (700-850 degC) compositions NaF 10-40, BaCl2 50-70, AlF3 5-25 wt %;
    Gadeau's bath is operated near 750 degC, so its liquidus must be lower."""
    gadeau = el.families()["chloride_fluoride"].default_composition
    assert 700.0 <= t_liq(gadeau) < 750.0
    for comp in ({"NaF": 25.0, "BaCl2": 55.0, "AlF3": 20.0},
                 {"NaF": 15.0, "BaCl2": 65.0, "AlF3": 20.0},
                 {"NaF": 30.0, "BaCl2": 60.0, "AlF3": 10.0}):
        assert 700.0 - 1e-9 <= t_liq(comp) <= 850.0 + 1e-9
    with pytest.warns(RangeWarning, match="chloride_fluoride"):
        el.liquidus({"NaF": 45.0, "BaCl2": 50.0, "AlF3": 5.0})
