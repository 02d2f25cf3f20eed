"""Bath conductivity correlations at their sources' own test points, and cross-checks."""

from __future__ import annotations

import math
import warnings

import pytest

from alref.properties import electrolyte as el
from alref.properties import electrolyte_conductivity as ecd
from alref.properties.registry import RangeWarning

S_CM = 100.0  # S/m per S/cm
M_NAF, M_ALF3 = 41.988, 83.977  # g/mol, for building test compositions


def naf_alf3(cr: float) -> dict[str, float]:
    """Binary NaF-AlF3 bath (wt %) with molar ratio CR."""
    naf, alf3 = cr * M_NAF, M_ALF3
    return {"NaF": 100 * naf / (naf + alf3), "AlF3": 100 * alf3 / (naf + alf3)}


def kappa(comp, t_c, **kw) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        return el.conductivity(comp, t_c + 273.15, **kw).value / S_CM


def test_hives1996_check_value() -> None:
    """domain-physics 7.1 item 1: 960 degC, 11 % AlF3, 5 % CaF2, 3 % Al2O3 -> 2.15 S/cm."""
    comp = {"Na3AlF6": 81.0, "AlF3": 11.0, "CaF2": 5.0, "Al2O3": 3.0}
    assert kappa(comp, 960.0) == pytest.approx(2.15, abs=0.01)
    assert el.conductivity(comp, 1233.15).correlation == "conductivity.hives1996"
    direct = ecd.hives1996(T=1233.15, AlF3=11, CaF2=5, Al2O3=3) / S_CM
    assert direct == pytest.approx(2.15, abs=0.01)


# Chrenkova table of domain-physics 7.1 item 4 (S/cm): t -> excess AlF3 20, 30, 35 wt %
# (the table's columns are labelled CR ~1.8, ~1.5, ~1.3 and evaluated at these excesses)
CHRENKOVA_TABLE = {
    750: (1.12, 0.82, 0.65),
    800: (1.40, 1.08, 0.90),
    850: (1.64, 1.30, 1.12),
    900: (1.84, 1.49, 1.30),
}


@pytest.mark.parametrize("t_c", sorted(CHRENKOVA_TABLE))
def test_chrenkova_table(t_c: int) -> None:
    for xs, expected in zip((20.0, 30.0, 35.0), CHRENKOVA_TABLE[t_c], strict=True):
        comp = {"Na3AlF6": 100.0 - xs, "AlF3": xs}
        assert kappa(comp, t_c, correlation="chrenkova") == pytest.approx(expected, abs=0.006)
        # acidic low-temperature baths use Chrenkova by default
        assert el.conductivity(comp, t_c + 273.15).correlation == "conductivity.chrenkova"


def test_hives1993_and_yao_agree_with_hives1996_for_cryolite() -> None:
    """Independent equations for pure cryolite at 1000 degC (about 2.8 S/cm) agree within 3 %."""
    comp = {"Na3AlF6": 100.0}
    k96 = kappa(comp, 1000.0, correlation="hives1996")
    k93 = kappa(comp, 1000.0, correlation="hives1993")
    kyao = kappa(comp, 1000.0, correlation="yao2017")
    assert 2.6 < k96 < 3.0
    assert k93 == pytest.approx(k96, rel=0.03)
    assert kyao == pytest.approx(k96, rel=0.03)
    # alumina lowers conductivity in every equation
    alumina = {"Na3AlF6": 96.0, "Al2O3": 4.0}
    for corr in ("hives1996", "hives1993", "yao2017"):
        assert kappa(alumina, 1000.0, correlation=corr) < kappa(comp, 1000.0, correlation=corr)


def test_kan2007_nacl_increment() -> None:
    """Kan 2007: +0.024 S/cm per wt % NaCl."""
    base = {"Na3AlF6": 84.0, "AlF3": 11.0, "CaF2": 5.0}
    salty = {"Na3AlF6": 80.0, "AlF3": 11.0, "CaF2": 5.0, "NaCl": 4.0}
    # 4 % NaCl replaces 4 % cryolite; Hives has no cryolite term, so the gain is the increment
    assert kappa(salty, 960.0) - kappa(base, 960.0) == pytest.approx(0.096, abs=0.002)


def test_ba_fluoride_fit_reproduces_measured_points() -> None:
    """JILM 24(5) Hurter/Sumitomo points lie within the fit's stated residual."""
    from alref import data
    from alref.properties.bath_points import points

    pts = points("ba_fluoride", "conductivity_S_per_cm", "fit")
    assert len(pts) == 4
    stated = data.load("correlations/conductivity")["ba_fluoride"]["fit"]["max_rel_residual"]
    default = el.families()["ba_fluoride"].default_composition
    for p in pts:
        assert kappa(default, p.t_c) == pytest.approx(p.value, rel=stated)
    fit = ecd.ba_fluoride_fit()
    ea = fit["B"] * 8.314462618 / 1000.0
    assert 10.0 < ea < 20.0  # domain-physics 7.1 item 7: 10-20 kJ/mol expected


def test_classic_hoopes_bath_near_one_s_per_cm() -> None:
    """domain-physics 2.2: classic Ba-salt baths have kappa about 1 S/cm at 750-800 degC."""
    default = el.families()["ba_fluoride"].default_composition
    for t_c in (750.0, 800.0):
        assert 0.85 < kappa(default, t_c) < 1.15


def test_ba_fluoride_composition_trends_and_jilm_range() -> None:
    """JILM 24(5): BaF2, CaF2 and AlF3 lower kappa; 30-50 % BaF2, 5-20 % CaF2 give 0.73-4.13 S/cm
    at 950 degC."""
    ref = {"NaF": 23.17, "AlF3": 34.33, "BaF2": 42.5}
    more_ba = {"NaF": 20.17, "AlF3": 32.33, "BaF2": 47.5}
    more_ca = {"NaF": 23.17, "AlF3": 29.33, "BaF2": 42.5, "CaF2": 5.0}
    acid = {"NaF": 20.17, "AlF3": 37.33, "BaF2": 42.5}
    assert kappa(more_ba, 850) < kappa(ref, 850)
    assert kappa(acid, 850) < kappa(ref, 850)
    assert kappa(more_ca, 850) < kappa(ref, 850) * 1.05
    for comp in (ref, more_ba, more_ca, {"NaF": 30.0, "AlF3": 35.0, "BaF2": 30.0, "CaF2": 5.0}):
        assert 0.73 <= kappa(comp, 950.0) <= 4.13


def test_gadeau_bath_order_one_to_two_and_nacl_raises() -> None:
    gadeau = el.families()["chloride_fluoride"].default_composition
    for t_c in (750.0, 800.0, 850.0):
        assert 1.0 <= kappa(gadeau, t_c) <= 2.0
    with_nacl = {"NaF": 17.0, "AlF3": 23.0, "BaCl2": 55.0, "NaCl": 5.0}
    assert kappa(with_nacl, 750.0) > kappa(gadeau, 750.0)


def test_low_melting_families_finite_and_increasing_with_t() -> None:
    for fam in ("kf_alf3", "lif_alf3"):
        comp = el.families()[fam].default_composition
        k1, k2 = kappa(comp, 750.0), kappa(comp, 850.0)
        assert math.isfinite(k1) and 0 < k1 < k2
    # LiF melts conduct better than KF melts (LiF 8.5 S/cm vs Na3AlF6 2.8, Danek 1968)
    assert kappa(el.families()["lif_alf3"].default_composition, 800) > kappa(
        el.families()["kf_alf3"].default_composition, 800)


def test_range_warnings_fire() -> None:
    comp = {"Na3AlF6": 81.0, "AlF3": 11.0, "CaF2": 5.0, "Al2O3": 3.0}
    with pytest.warns(RangeWarning, match="hives1996"):
        pv = el.conductivity(comp, 1100 + 273.15)
    assert any("outside validity range" in w for w in pv.warnings)
    with pytest.warns(RangeWarning, match="chrenkova"):
        el.conductivity(naf_alf3(1.5), 700 + 273.15)
    with pytest.warns(RangeWarning, match="ba_fluoride"):
        el.conductivity(el.families()["ba_fluoride"].default_composition, 1000 + 273.15)


def test_correlations_registered_with_provenance() -> None:
    from alref import citations
    from alref.properties.registry import for_quantity

    corrs = for_quantity("electrolyte.conductivity")
    assert len(corrs) >= 8
    for c in corrs:
        assert c.locator.strip()
        assert c.validity
        assert c.source == "assumption" or c.source in citations.references()
