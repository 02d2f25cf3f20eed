"""Bath correlations at the measured points of correlations/bath_points.csv, and the
direction every additive moves conductivity and liquidus in every family (issue 13)."""

from __future__ import annotations

import warnings

import pytest

from alref.citations import references
from alref.properties import electrolyte as el
from alref.properties.bath_points import BathPoint, all_points, points

KELVIN = 273.15


def _value(p: BathPoint, comp: dict[str, float], t_c: float | None = None) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if p.quantity == "liquidus_C":
            return el.liquidus(comp, p.family).value - KELVIN
        t = (t_c if t_c is not None else p.t_c) + KELVIN
        if p.quantity == "conductivity_S_per_cm":
            return el.conductivity(comp, t, p.family).value / 100.0
        return el.density(comp, t, p.family).value / 1000.0


def _comp(p: BathPoint) -> dict[str, float]:
    return dict(p.composition or el.families()[p.family].default_composition)


def _with(base: dict[str, float], salt: str, w: float) -> dict[str, float]:
    """`w` wt % of `salt` added, the rest of the bath diluted in proportion."""
    tot = sum(base.values())
    out = {k: v * (100.0 - w) / tot for k, v in base.items()}
    out[salt] = out.get(salt, 0.0) + w
    return out


def test_every_row_is_cited() -> None:
    keys = set(references())
    rows = all_points()
    assert len(rows) >= 15
    for p in rows:
        assert p.source in keys, p
        assert p.locator


TESTED = [p for p in all_points() if p.kind in ("point", "range", "upper", "lower")]


@pytest.mark.parametrize("p", TESTED, ids=lambda p: f"{p.family}-{p.quantity}-{p.source}")
def test_correlation_at_source_point(p: BathPoint) -> None:
    v = _value(p, _comp(p))
    if p.kind == "point":
        assert v == pytest.approx(p.value, abs=p.scatter)
    elif p.kind == "range":
        pad = p.scatter or 0.0
        assert p.value - pad <= v <= p.value_hi + pad
    elif p.kind == "upper":
        assert v < p.value
    else:
        assert v > p.value


SLOPES = [p for p in all_points() if p.kind == "slope" and p.scatter is not None
          and p.quantity == "conductivity_S_per_cm"]


@pytest.mark.parametrize("p", SLOPES, ids=lambda p: f"{p.family}-{p.additive}")
def test_measured_additive_slope(p: BathPoint) -> None:
    """Kan 2007: d kappa / d wt % LiF at 15 K superheat, against the Hives 1996 equation."""
    base = _comp(p)
    t_c = el.liquidus(base, p.family).value - KELVIN + 15.0
    slope = (_value(p, _with(base, p.additive, 1.0), t_c) - _value(p, base, t_c)) / 1.0
    assert slope == pytest.approx(p.value, abs=p.scatter)


def test_nacl_lowers_chloride_fluoride_liquidus_as_measured() -> None:
    """Taniuchi & Sato 1971: NaCl (< 10 %) lowers the NaF-BaCl2-AlF3 liquidus, to about
    650 degC; the 8 % NaCl bath of issue 13 must no longer be hotter than without NaCl."""
    base = el.families()["chloride_fluoride"].default_composition
    t0 = _value(points("chloride_fluoride", "liquidus_C")[0], dict(base))
    t8 = el.liquidus(_with(dict(base), "NaCl", 8.0), "chloride_fluoride").value - KELVIN
    assert t0 - 60.0 < t8 < t0 - 20.0
    assert t8 > 640.0


# family -> (base bath, temperature in degC, additives the family allows)
FAMILIES = {
    "cryolite": ({"NaF": 48.6, "AlF3": 43.4, "CaF2": 5.0, "Al2O3": 3.0}, 960.0,
                 ("MgF2", "NaCl", "CaF2", "LiF")),
    "kf_alf3": ({"KF": 47.35, "AlF3": 52.65}, 750.0, ("MgF2", "CaF2", "LiF")),
    "lif_alf3": ({"LiF": 35.45, "AlF3": 64.55}, 850.0, ("MgF2", "CaF2")),
    "ba_fluoride": ({"NaF": 23.17, "AlF3": 34.33, "BaF2": 42.5}, 900.0,
                    ("MgF2", "NaCl", "CaF2", "LiF")),
    "chloride_fluoride": ({"NaF": 20.0, "AlF3": 25.0, "BaCl2": 55.0}, 800.0,
                          ("MgF2", "NaCl", "CaF2", "LiF")),
}
#: sign of d kappa / d w in the cited data: Hives 1996 and 1993 (MgF2, CaF2, Al2O3 lower,
#: LiF raises), JILM 24(5) (AlF3, CaF2, BaF2 lower), Kan 2007 (NaCl and LiF raise)
KAPPA_SIGN = {"AlF3": -1, "MgF2": -1, "CaF2": -1, "LiF": +1, "NaCl": +1}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_conductivity_directions(family: str) -> None:
    base, t_c, adds = FAMILIES[family]
    k0 = el.conductivity(base, t_c + KELVIN, family).value
    for salt in ("AlF3", *adds):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            k = el.conductivity(_with(base, salt, 2.0), t_c + KELVIN, family).value
        assert (k - k0) * KAPPA_SIGN[salt] > 0, (family, salt, k0, k)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_liquidus_directions(family: str) -> None:
    """Additives (dilute, CR unchanged) lower the liquidus: Solheim 1996 (CaF2, MgF2, LiF),
    Matiasovsky 1961 and Taniuchi & Sato 1971 (NaCl), Kostenska 1973 (CaF2, BaF2 in Li3AlF6);
    AlF3 lowers it on the NaF(KF)-rich side of the eutectic (NaF-AlF3, KF-AlF3 diagrams) and
    raises it on the AlF3-rich side (the LiF-AlF3 default sits at the eutectic)."""
    base, _t, adds = FAMILIES[family]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = el.liquidus(base, family).value
        for salt in adds:
            assert el.liquidus(_with(base, salt, 2.0), family).value < t0, (family, salt)
        t_alf3 = el.liquidus(_with(base, "AlF3", 2.0), family).value
    if family == "lif_alf3":
        assert t_alf3 > t0
    else:
        assert t_alf3 < t0


def test_missing_data_is_said() -> None:
    """Salts without liquidus data warn (RangeWarning) and are listed as assumptions."""
    from alref.properties.registry import RangeWarning

    base = FAMILIES["chloride_fluoride"][0]
    with pytest.warns(RangeWarning, match="others"):
        el.liquidus(_with(base, "KCl", 3.0), "chloride_fluoride")
    with pytest.warns(RangeWarning, match="MgF2"):
        el.liquidus(_with(base, "MgF2", 8.0), "chloride_fluoride")
    rep = el.properties(_with(base, "MgF2", 2.0), 1073.15, "chloride_fluoride")
    assert any("analogue" in a for a in rep["assumptions"])
