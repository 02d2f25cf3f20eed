"""Saturation limits and sludge precipitation against COST 507 (pycalphad) results."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alref import data
from alref.errors import ConfigError
from alref.thermo.solubility import (
    precipitate,
    saturation_indices,
    saturation_limit,
    saturation_limits,
    sludge_phases,
)

T700, T750, T800 = 973.15, 1023.15, 1073.15


def test_fe_in_pure_al() -> None:
    """§5.5: Fe 2.77 / 4.13 / 5.84 wt % at 700/750/800 degC; 700 degC literature 2.8-3.3 %."""
    assert saturation_limit({}, T750, "Fe") == pytest.approx(4.13, rel=0.03)
    assert 2.7 <= saturation_limit({}, T700, "Fe") <= 3.3
    assert saturation_limit({}, T800, "Fe") == pytest.approx(5.84, rel=0.03)


def test_fe_in_al33cu() -> None:
    """§5.5: ~0.31 / 0.61 / 1.11 wt % Fe in Al-33Cu (task: within a factor 2 of 0.6 at 750)."""
    fe = saturation_limit({"Cu": 33}, T750, "Fe")
    assert 0.3 <= fe <= 1.2
    assert fe == pytest.approx(0.61, rel=0.15)
    assert saturation_limit({"Cu": 33}, T700, "Fe") == pytest.approx(0.31, rel=0.2)
    assert saturation_limit({"Cu": 33}, T800, "Fe") == pytest.approx(1.11, rel=0.15)


@pytest.mark.parametrize(
    ("element", "comp", "T", "ref", "rel"),
    [("Si", {}, T700, 20.8, 0.03), ("Si", {}, T800, 28.3, 0.03), ("Mn", {}, T750, 6.3, 0.05),
     ("Ti", {}, T750, 0.33, 0.05), ("Ti", {"Cu": 33}, T750, 0.16, 0.15),
     ("Zr", {}, T750, 0.26, 0.05), ("Cr", {}, T700, 0.58, 0.05), ("V", {}, T750, 0.05, 0.3)],
)
def test_section_5_5_binaries(element, comp, T, ref, rel) -> None:
    """§5.5 table values (pycalphad full equilibria)."""
    assert saturation_limit(comp, T, element) == pytest.approx(ref, rel=rel)


def _cu_points():
    for pt in data.load("thermo/solubility_calphad")["point"]:
        liq = pt["liquid_wt_pct"]
        names = {s["phase"] for s in pt["solids"]}
        known = {p.calphad_name for p in sludge_phases().values()}
        if "Cu" in liq and names <= known and len(names) == 1:
            yield pt


def test_cu_bearing_points_predicted_from_binary_fits() -> None:
    """Liquids saturated in Cu-bearing pycalphad equilibria (not used where Cu-free fits
    exist) are reproduced from the RK activities: saturating element within 10 %, 15 %
    with Si (not V: its phase is simplified to Al3V)."""
    by_calphad = {p.calphad_name: p for p in sludge_phases().values()}
    checked = 0
    for pt in _cu_points():
        phase = by_calphad[pt["solids"][0]["phase"]]
        el = phase.limits
        liq = dict(pt["liquid_wt_pct"])
        ref = liq.pop(el)
        liq.pop("Al")
        if el in ("Si", "V") or (liq.get("Si", 0) > 0 and el != "Fe"):
            continue  # Si: fitted on these; V: COST 507's ALTI-type phase varies 15-35 at.% V
        # with Si: COST 507 dissolves some Si in Al13Fe4, alref's phase is Si-free
        rel = 0.15 if liq.get("Si", 0) > 0 else 0.10
        assert saturation_limit(liq, pt["T_K"], el) == pytest.approx(ref, rel=rel), pt["case"]
        checked += 1
    assert checked >= 20


def test_alfesi_interaction() -> None:
    """Fe and Si together: alpha-AlFeSi sets the Fe limit in Al-10Si at 700 degC
    (pycalphad, solubility_calphad.toml case Al-8Fe-10Si: liquid 4.63 Fe, 10.29 Si)."""
    fe = saturation_limit({"Si": 10.29}, T700, "Fe")
    assert fe == pytest.approx(4.63, rel=0.05)
    si = saturation_indices({"Si": 10.29, "Fe": fe}, T700)
    assert max(si, key=si.__getitem__) == "alpha_AlFeSi"
    lim = saturation_limits({"Cu": 33, "Si": 7.8}, T750)
    assert 0.5 < lim["Fe"] < 2.5  # pycalphad: 1.29 wt % Fe with gamma-AlFeSi


def test_sludge_phase_stoichiometry() -> None:
    ph = sludge_phases()
    for p in ph.values():
        assert sum(p.mass_fractions.values()) == pytest.approx(1.0)
        assert p.limits in p.atoms
        assert 2000 < p.density < 7000
    m_al, m_fe = 26.9815384, 55.845
    assert ph["Al13Fe4"].mass_fractions["Fe"] == pytest.approx(
        4 * m_fe / (13 * m_al + 4 * m_fe), rel=1e-9)
    for required in ("Al13Fe4", "alpha_AlFeSi", "beta_AlFeSi", "Al6Mn", "Al4Mn", "Al3Ti",
                     "Al13Cr2", "Al3Zr", "Si"):
        assert required in ph


def _masses(comp_wt: dict[str, float], total: float = 1000.0) -> dict[str, float]:
    al = 100.0 - sum(comp_wt.values())
    return {"Al": total * al / 100, **{k: total * v / 100 for k, v in comp_wt.items()}}


def _check_balance(inp, liquid, phases) -> None:
    sp = sludge_phases()
    for el, m in inp.items():
        in_phases = sum(mass * sp[p].mass_fractions.get(el, 0.0) for p, mass in phases.items())
        assert abs(liquid[el] + in_phases - m) <= 1e-12 * m
        assert liquid[el] >= 0


def test_precipitate_fe_in_al33cu() -> None:
    inp = _masses({"Cu": 33.0, "Fe": 1.5})
    liquid, phases = precipitate(inp, T750)
    assert set(phases) == {"Al13Fe4"}
    _check_balance(inp, liquid, phases)
    total = sum(liquid.values())
    fe_wt = 100 * liquid["Fe"] / total
    comp = {el: 100 * m / total for el, m in liquid.items() if el != "Al"}
    comp.pop("Fe")
    assert fe_wt == pytest.approx(saturation_limit(comp, T750, "Fe"), rel=1e-5)


def test_undersaturated_is_untouched() -> None:
    inp = _masses({"Cu": 33.0, "Fe": 0.2, "Si": 2.0})
    liquid, phases = precipitate(inp, T750)
    assert phases == {}
    assert liquid == inp


def test_bad_input() -> None:
    with pytest.raises(ConfigError):
        precipitate({"Al": 1.0, "Fe": -1.0}, T750)
    with pytest.raises(ConfigError):
        precipitate({"Al": 1.0}, -5.0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cu=st.floats(0.0, 45.0), fe=st.floats(0.0, 4.0), si=st.floats(0.0, 20.0),
    mn=st.floats(0.0, 3.0), ti=st.floats(0.0, 0.6), cr=st.floats(0.0, 1.0),
    zr=st.floats(0.0, 0.5), v=st.floats(0.0, 0.2), zn=st.floats(0.0, 3.0),
    T=st.floats(950.0, 1150.0), total=st.floats(1e-3, 1e4),
)
def test_precipitate_conserves_mass_and_saturates(cu, fe, si, mn, ti, cr, zr, v, zn, T, total):
    comp = {"Cu": cu, "Fe": fe, "Si": si, "Mn": mn, "Ti": ti, "Cr": cr, "Zr": zr, "V": v, "Zn": zn}
    comp = {k: w for k, w in comp.items() if w > 0}
    inp = _masses(comp, total)
    liquid, phases = precipitate(inp, T)
    _check_balance(inp, liquid, phases)
    assert all(m >= 0 for m in phases.values())
    tot = sum(liquid.values())
    left = {el: 100 * m / tot for el, m in liquid.items() if el != "Al" and m > 0}
    assert max(saturation_indices(left, T).values(), default=-1.0) <= 1e-8
