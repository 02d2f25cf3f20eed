"""Alloy library: limits loaded, nominal compositions within their own limits."""

from __future__ import annotations

import pytest

from alref.errors import ConfigError
from alref.materials.alloys import alloy, alloys

REQUIRED = [
    "1050",
    "1060",
    "1070",
    "1100",
    "1200",
    "1350",
    "2024",
    "3003",
    "3004",
    "3104",
    "3105",
    "5005",
    "5052",
    "5083",
    "5182",
    "5754",
    "6005",
    "6060",
    "6061",
    "6063",
    "6082",
    "7050",
    "7075",
    "8011",
    "A356",
    "A380",
    "319",
    "413",
    "383",
]


def test_library_has_required_alloys() -> None:
    lib = alloys()
    assert len(lib) >= 25
    assert set(REQUIRED) <= set(lib)


@pytest.mark.parametrize("name", sorted(alloys()))
def test_nominal_within_own_limits(name: str) -> None:
    a = alloy(name)
    c = a.nominal()
    assert sum(c.values()) == pytest.approx(100.0)
    for el, lo in a.min.items():
        assert c.wt_pct(el) >= lo - 1e-12, el
    for el, hi in a.max.items():
        assert c.wt_pct(el) <= hi + 1e-12, el
    for lim in a.combined:
        total = sum(c.wt_pct(el) for el in lim.elements)
        assert lim.min - 1e-12 <= total <= lim.max + 1e-12
    if a.al_min is not None:
        assert c.al_wt_pct >= a.al_min
    assert a.violations(c) == []


def test_nominal_rule_midpoints_independent_values() -> None:
    # 6061: Si 0.40-0.8 -> 0.60, Mg 0.8-1.2 -> 1.0, Cu 0.15-0.40 -> 0.275 (AA limits, luskmetals)
    c = alloy("6061").nominal()
    assert c["Si"] == pytest.approx(0.60)
    assert c["Mg"] == pytest.approx(1.0)
    assert c["Cu"] == pytest.approx(0.275)
    # A380 published nominal: Si 8.5, Cu 3.5 (NADCA table A-3-1 "nominal comp."; Britannica)
    a380 = alloy("A380").nominal()
    assert a380["Si"] == pytest.approx(8.5)
    assert a380["Cu"] == pytest.approx(3.5)
    # 7050 typical (Aubert & Duval / Wikipedia): Cu 2.3, Mg 2.3, Zn 6.2, Zr 0.12 (+-0.02)
    c7050 = alloy("7050").nominal()
    for el, typ in {"Cu": 2.3, "Mg": 2.25, "Zn": 6.2, "Zr": 0.115}.items():
        assert c7050[el] == pytest.approx(typ, abs=0.06)


def test_violations_detects_out_of_spec() -> None:
    a = alloy("A356")
    from alref.materials.composition import Composition

    bad = Composition.from_wt_pct({"Si": 8.0, "Mg": 0.3, "Fe": 0.5})
    assert set(a.violations(bad)) == {"Si", "Fe"}


def test_alias_lookup_and_unknown() -> None:
    assert alloy("ADC12").name == "383"
    assert alloy("EN AW-6082").name == "6082"
    assert alloy("AlSi6Cu4").name == "319"
    with pytest.raises(ConfigError) as exc:
        alloy("9999", key="feed.alloy")
    assert exc.value.key == "feed.alloy"
