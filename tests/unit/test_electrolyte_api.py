"""Electrolyte families, composition validation, CR, heat capacity and `properties()`."""

from __future__ import annotations

import math
import warnings

import pytest
from scipy.constants import R

from alref.errors import ConfigError
from alref.materials import salts
from alref.properties import electrolyte as el
from alref.properties.registry import RangeWarning, get


def test_families_and_identification() -> None:
    fams = el.families()
    assert set(fams) == {"cryolite", "kf_alf3", "lif_alf3", "ba_fluoride", "chloride_fluoride"}
    for name, fam in fams.items():
        assert sum(fam.default_composition.values()) == pytest.approx(100.0, abs=0.5)
        assert set(fam.default_composition) <= set(fam.allowed_components)
        assert fam.sources and fam.description
        assert el.family_of(fam.default_composition) == name
    assert el.family_of({"NaF": 40.0, "AlF3": 60.0}) == "cryolite"
    assert el.family_of({"Na3AlF6": 60.0, "BaF2": 40.0}) == "ba_fluoride"
    # explicit family by alias
    assert el.properties(fams["chloride_fluoride"].default_composition, 1023.15,
                         family="gadeau")["family"] == "chloride_fluoride"


def test_validate_composition_errors_name_keys() -> None:
    assert el.validate_composition({"NaF": 40, "AlF3": 60}) == {"NaF": 40.0, "AlF3": 60.0}
    cases = [
        ({"NaF": 40, "Xx": 60}, "electrolyte.composition.Xx"),
        ({"NaF": -5, "AlF3": 105}, "electrolyte.composition.NaF"),
        ({"NaF": math.nan, "AlF3": 60}, "electrolyte.composition.NaF"),
        ({"NaF": math.inf, "AlF3": 60}, "electrolyte.composition.NaF"),
        ({"NaF": "abc", "AlF3": 60}, "electrolyte.composition.NaF"),
        ({"NaF": True, "AlF3": 60}, "electrolyte.composition.NaF"),
        ({"NaF": 40, "AlF3": 50}, "electrolyte.composition"),
        ({}, "electrolyte.composition"),
    ]
    for comp, key in cases:
        with pytest.raises(ConfigError) as exc:
            el.validate_composition(comp)
        assert exc.value.key == key
    with pytest.raises(ConfigError) as exc:
        el.validate_composition({"NaF": 40, "AlF3": 59.4}, key="bath")
    assert exc.value.key == "bath"
    el.validate_composition({"NaF": 40, "AlF3": 59.6})  # within 100 +- 0.5


def test_family_errors() -> None:
    with pytest.raises(ConfigError) as exc:
        el.conductivity({"NaF": 40, "AlF3": 60}, 1073.15, family="nope")
    assert exc.value.key == "electrolyte.family"
    with pytest.raises(ConfigError) as exc:
        el.density({"NaF": 20, "AlF3": 20, "BaCl2": 60}, 1073.15, family="cryolite")
    assert exc.value.key == "electrolyte.composition.BaCl2"


def test_bad_temperature_names_key() -> None:
    for t in (0.0, -5.0, math.nan):
        with pytest.raises(ConfigError) as exc:
            el.conductivity({"NaF": 40, "AlF3": 60}, t)
        assert exc.value.key == "electrolyte.temperature"


def test_cryolite_ratio() -> None:
    assert el.cryolite_ratio({"Na3AlF6": 100.0}) == pytest.approx(3.0, rel=1e-6)
    assert el.cryolite_ratio({"NaF": 40.0, "AlF3": 60.0}) == pytest.approx(
        (40 / 41.988) / (60 / 83.977), rel=1e-4)
    fams = el.families()
    for fam, cr in (("kf_alf3", 1.3), ("lif_alf3", 64 / 36), ("ba_fluoride", 1.35)):
        assert el.cryolite_ratio(fams[fam].default_composition) == pytest.approx(cr, abs=0.01)
    assert math.isinf(el.cryolite_ratio({"NaCl": 50.0, "KCl": 50.0}, family="chloride_fluoride"))


def test_liquid_heat_capacities_physical() -> None:
    """Liquid salts: 3R-5R per mole of atoms (Dulong-Petit-like bound), from NASA polynomials."""
    from alref.materials.elements import parse_formula

    for salt in salts.salt_names():
        atoms = sum(n for _, n in parse_formula(salt))
        cp_atom = salts.liquid_cp_molar(salt, 1100.0) / atoms
        assert 3.0 * R < cp_atom < 5.0 * R, salt


def test_bath_heat_capacity() -> None:
    """Fluoride baths about 1.2-1.9 kJ/(kg K) (domain-physics 7.4); BaCl2 baths lower."""
    cryo = el.heat_capacity({"Na3AlF6": 100.0}, 1273.15).value
    assert 1800.0 < cryo < 1950.0
    for fam in ("cryolite", "kf_alf3", "lif_alf3", "ba_fluoride"):
        cp = el.heat_capacity(el.families()[fam].default_composition, 1123.15).value
        assert 1100.0 < cp < 1950.0, fam
    gadeau = el.heat_capacity(el.families()["chloride_fluoride"].default_composition, 1023.15).value
    assert 700.0 < gadeau < 1200.0
    # the same bath as NaF + AlF3 or as cryolite has the same Cp
    as_salts = el.heat_capacity({"NaF": 60.0, "AlF3": 40.0}, 1273.15).value
    assert as_salts == pytest.approx(cryo, rel=0.002)
    # mass weighting: a 50/50 blend sits between its salts
    mix = el.heat_capacity({"NaCl": 50.0, "BaCl2": 50.0}, 1100.0).value
    assert salts.liquid_cp_mass("BaCl2", 1100.0) < mix < salts.liquid_cp_mass("NaCl", 1100.0)


@pytest.mark.parametrize("family", ["cryolite", "kf_alf3", "lif_alf3", "ba_fluoride",
                                    "chloride_fluoride"])
@pytest.mark.parametrize("t_c", [700.0, 800.0, 960.0])
def test_properties_every_family_finite(family: str, t_c: float) -> None:
    comp = el.families()[family].default_composition
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        p = el.properties(comp, t_c + 273.15)
    assert p["family"] == family
    for key, unit in (("conductivity", "S/m"), ("density", "kg/m3"), ("liquidus", "K"),
                      ("heat_capacity", "J/(kg K)")):
        assert math.isfinite(p[key].value) and p[key].value > 0
        assert p[key].unit == unit
    assert len(p["correlations"]) == 4
    for name in p["correlations"]:
        get(name)  # registered
    assert isinstance(p["warnings"], list)
    below = t_c + 273.15 < p["liquidus"].value
    assert below == any("below the liquidus" in w for w in p["warnings"])


def test_below_liquidus_answers_and_warns() -> None:
    comp = el.families()["cryolite"].default_composition
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        p = el.properties(comp, 800 + 273.15)
    assert p["conductivity"].value > 0
    assert any("below the liquidus" in w for w in p["warnings"])


def test_report_citations() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        comp = {"Na3AlF6": 81.0, "AlF3": 11.0, "CaF2": 5.0, "Al2O3": 3.0}
        r = el.electrolyte_report(comp, 1233.15)
    assert {"hives1996", "kan2007density", "solheim1996", "mcbride1993nasa"} <= set(r["citations"])
    assert r["conductivity_s_per_cm"] == pytest.approx(2.15, abs=0.01)


def test_malformed_data_raise_data_error(monkeypatch) -> None:
    from alref import data
    from alref.errors import DataError
    from alref.properties import electrolyte_composition as ec
    from alref.properties._electrolyte_common import check_schema

    with pytest.raises(DataError, match="not numeric"):
        check_schema({"t": {"a": "x"}}, {"t": ("a",)}, "demo")
    with pytest.raises(DataError, match="missing table"):
        check_schema({}, {"t.u": ("a",)}, "demo")
    raw, real_load = data.load("electrolytes"), data.load
    cryo = {**raw["families"]["cryolite"], "default": {"NaF": 50.0}}
    bad = {**raw, "families": {**raw["families"], "cryolite": cryo}}
    monkeypatch.setattr(
        data, "load", lambda name: bad if name == "electrolytes" else real_load(name))
    ec._families.cache_clear()
    try:
        with pytest.raises(DataError, match="sums to"):
            ec.families()
    finally:
        monkeypatch.undo()
        ec._families.cache_clear()
    assert ec.families()
