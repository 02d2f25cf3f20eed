"""Grade classification with ASTM E29 rounding and Al by difference."""

from __future__ import annotations

import pytest

from alref.errors import ConfigError
from alref.materials.composition import Composition
from alref.materials.grades import classify, get_grade, grade_report, grades, round_half_even


def p1020(**impurities: float):
    return classify(Composition.from_wt_pct(impurities)).check("P1020A")


def test_grade_families_present() -> None:
    names = set(grades())
    assert {"P1020A", "P0303", "P0404", "P0406", "P0506", "P0610", "P1015", "P1535"} <= names
    assert {
        "A0",
        "A5",
        "A5E",
        "A6",
        "A7",
        "A7E",
        "A8",
        "A85",
        "A95",
        "A97",
        "A99",
        "A995",
        "A999",
    } <= names
    assert {"1050", "1050A", "1070", "1070A", "1100", "1350"} <= names
    assert get_grade("LME").name == "P1020A"


def test_p1020a_boundary_passes() -> None:
    chk = p1020(Si=0.10, Fe=0.20)
    assert chk.passed and chk.al_by_difference == pytest.approx(99.70)


@pytest.mark.parametrize(
    ("imp", "failing"),
    [
        ({"Si": 0.11, "Fe": 0.10}, {"Si"}),
        ({"Si": 0.05, "Fe": 0.21}, {"Fe"}),
        ({"Si": 0.11, "Fe": 0.21}, {"Si", "Fe", "Al"}),
    ],
)
def test_p1020a_failures_name_elements(imp, failing) -> None:
    chk = p1020(**imp)
    assert not chk.passed
    assert set(chk.failing_elements) == failing


def test_rounding_half_even_edges() -> None:
    assert p1020(Si=0.10, Fe=0.204).passed  # 0.204 -> 0.20
    assert p1020(Si=0.05, Fe=0.205).passed  # tie -> even: 0.20
    assert not p1020(Si=0.05, Fe=0.215).passed  # tie -> even: 0.22
    assert not p1020(Si=0.05, Fe=0.2051).passed  # above the tie -> 0.21
    assert str(round_half_even(0.125, 2)) == "0.12"
    assert str(round_half_even(0.135, 2)) == "0.14"


def test_absolute_method_is_stricter() -> None:
    c = Composition.from_wt_pct({"Si": 0.05, "Fe": 0.204})
    assert classify(c, method="rounding").check("P1020A").passed
    assert not classify(c, method="absolute").check("P1020A").passed


def test_gost_annex_a_worked_example_is_a7_not_p1020() -> None:
    # GOST 11069-2019 Annex A worked example:
    # Si 0.1080, Fe 0.148, Zn 0.0107, Cu 0.004, Mn 0.003, Mg 0.007 -> Al 99.73, grade A7
    c = Composition.from_wt_pct(
        {"Si": 0.1080, "Fe": 0.148, "Zn": 0.0107, "Cu": 0.004, "Mn": 0.003, "Mg": 0.007}
    )
    r = classify(c)
    a7 = r.check("A7")
    assert a7.passed
    assert a7.al_by_difference == pytest.approx(99.73)
    assert not r.check("P1020A").passed and "Si" in r.check("P1020A").failing_elements


@pytest.mark.parametrize(
    "analysis",
    [
        {
            "Si": 0.05,
            "Fe": 0.12,
            "Zn": 0.01,
            "Ga": 0.01,
            "V": 0.01,
            "Cu": 0.005,
        },
        {"Si": 0.07, "Fe": 0.17, "Zn": 0.02, "Ga": 0.015, "V": 0.012},
    ],
)
def test_constructed_p1020_class_analyses(analysis) -> None:
    """Smelter-metal-like analyses (constructed: no published P1020 certificate was found;
    the sourced real analysis is the GOST Annex A example above)."""
    r = classify(Composition.from_wt_pct(analysis))
    assert r.check("P1020A").passed
    assert r.grade is not None
    assert get_grade(r.grade).al_min >= 99.70


def test_cu_above_others_each_fails_p1020a() -> None:
    assert p1020(Si=0.05, Fe=0.10, Cu=0.05).failing_elements == ("Cu",)


def test_high_purity_rule_ignores_mg() -> None:
    # A995: Mg and impurities < 0.0010 % (Cu here) are left out;
    # Fe, Si, Ga each round to 0.001 -> Al 99.997
    c = Composition.from_wt_pct(
        {"Fe": 0.0012, "Si": 0.0010, "Cu": 0.0008, "Ga": 0.0010, "Mg": 0.0009}
    )
    chk = classify(c).check("A995")
    assert chk.passed, chk.failing_elements
    assert chk.al_by_difference == pytest.approx(99.997)


def test_highest_grade_is_purest_met() -> None:
    r = classify(Composition.from_wt_pct({"Si": 0.02, "Fe": 0.02, "Zn": 0.005}))
    assert r.grade == "A95"  # Al 99.96 by difference: A95 (99.95) outranks P0303 (99.90)
    order = list(grades())
    passed = [c.grade for c in r.checks if c.passed]
    assert order.index(r.grade) == min(order.index(g) for g in passed)


def test_nothing_met_gives_none() -> None:
    assert classify(Composition.from_wt_pct({"Si": 7.0, "Cu": 3.0})).grade is None


def test_combined_si_fe_limit_1100() -> None:
    r = classify(Composition.from_wt_pct({"Si": 0.50, "Fe": 0.50, "Cu": 0.10}), only="1100")
    assert r.checks[0].failing_elements == ("Si+Fe", "Al")


def test_report_unknown_grade_names_option() -> None:
    with pytest.raises(ConfigError) as exc:
        grade_report({"Si": 0.1}, grade="P9999")
    assert exc.value.key == "--grade"


def test_al_minimum_alone_can_fail() -> None:
    # every element inside its limit, but 0.10 + 0.20 + 0.01 leaves Al 99.69 < 99.70
    chk = p1020(Si=0.10, Fe=0.20, Zn=0.01)
    assert chk.failing_elements == ("Al",)
    # below 0.010 % an element is not counted in the Al difference (AA footnote)
    assert p1020(Si=0.10, Fe=0.20, Zn=0.009).passed


def test_others_total_1350() -> None:
    # 1350: others each 0.03, total 0.10; four others at 0.03 -> total 0.12 fails
    c = Composition.from_wt_pct({"Fe": 0.2, "Ni": 0.03, "Sn": 0.03, "Pb": 0.03, "Mg": 0.03})
    assert classify(c, only="1350").checks[0].failing_elements == ("others_total",)
