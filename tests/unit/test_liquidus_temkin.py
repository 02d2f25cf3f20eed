"""Chloride-rich BaCl2-NaCl melts: NaCl and BaCl2 fields of the Temkin ideal ionic solution
(correlations/liquidus.toml [temkin_chloride]) and their blend into the Gadeau model."""

from __future__ import annotations

import itertools
import warnings

import pytest

from alref.properties import electrolyte as el
from alref.properties import electrolyte_liquidus_temkin as tk

KELVIN = 273.15
M_BACL2, M_NACL = 208.23, 58.44


def _binary(x_ba: float) -> dict[str, float]:
    mb, mn = x_ba * M_BACL2, (1.0 - x_ba) * M_NACL
    return {"BaCl2": 100.0 * mb / (mb + mn), "NaCl": 100.0 * mn / (mb + mn)}


def _liq(comp: dict[str, float]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return el.liquidus(comp, "chloride_fluoride").value - KELVIN


def test_fusion_gibbs_energy_vanishes_at_the_data_melting_points() -> None:
    """NASA TM-4513 phases: NaCl melts at 1073.8 K and BaCl2 at 1235 K (their phase limits);
    the fields meet the pure salts there."""
    assert tk.melting_point("NaCl") == pytest.approx(1073.8, abs=1.0)
    assert tk.melting_point("BaCl2") == pytest.approx(1235.0, abs=1.0)


def test_bacl2_alpha_beta_transition_is_in_the_fusion_energy() -> None:
    """Below 1198 K alpha-BaCl2 is stable: dG_fus includes the alpha->beta transition, so it
    exceeds what the beta solid alone gives (a field computed from beta would lie too low)."""
    from alref.thermo import gibbs

    ph = {p.label: p for p in gibbs.phases("BaCl2")}
    T = 1000.0
    g_beta = gibbs.phase_properties(ph["b"], T)["g"]
    g_l = gibbs.phase_properties(ph["L"], T)["g"]
    assert tk.delta_g_fusion("BaCl2", T) > g_l - g_beta + 1000.0


def test_binary_eutectic_and_fields() -> None:
    """V-shaped binary: NaCl field falls and BaCl2 field rises with BaCl2; the eutectic lies
    above the 640 degC Na2B4O7-BaCl2-NaCl ternary eutectic (borax_bacl2_nacl_ta)."""
    xs = [0.2 + 0.005 * i for i in range(60)]
    ts = [_liq(_binary(x)) for x in xs]
    i = min(range(len(ts)), key=ts.__getitem__)
    assert 640.0 < ts[i] < 680.0
    assert 0.3 < xs[i] < 0.45
    assert all(a > b for a, b in itertools.pairwise(ts[:i + 1]))
    assert all(a < b for a, b in itertools.pairwise(ts[i:]))


def test_fluoride_solutes_lower_the_liquidus_in_both_fields() -> None:
    """Dilute NaF + AlF3 dilute the chloride sublattice (and Na2B4O7 lowers the binary to the
    640 degC ternary eutectic in the same way): the liquidus falls on both sides."""
    for x in (0.25, 0.55):
        base = _binary(x)
        mixed = {k: v * 0.97 for k, v in base.items()}
        mixed["NaF"], mixed["AlF3"] = 1.0, 2.0
        assert _liq(mixed) < _liq(base)


def test_nacl_raises_the_nacl_field_and_lowers_the_bacl2_field() -> None:
    """The binary diagram: NaCl added on the NaCl-rich side raises the liquidus, on the
    BaCl2-rich side lowers it."""
    nacl_side, ba_side = _binary(0.25), _binary(0.6)
    for base, sign in ((nacl_side, +1), (ba_side, -1)):
        more = {k: v * 0.98 for k, v in base.items()}
        more["NaCl"] += 2.0
        assert sign * (_liq(more) - _liq(base)) > 0


def test_no_jump_between_the_temkin_region_and_the_gadeau_field() -> None:
    """Solute wt % 0 -> 20 (NaF:AlF3 1:1 molar) at the Ueda chloride ratio: continuous."""
    base = _binary(0.40)
    prev = None
    for i in range(0, 201):
        s = i * 0.1
        c = {k: v * (100.0 - s) / 100.0 for k, v in base.items()}
        c["NaF"], c["AlF3"] = s * 41.99 / 125.97, s * 83.98 / 125.97
        t = _liq(c)
        if prev is not None:
            assert abs(t - prev) < 3.0, (s, prev, t)
        prev = t


def test_gadeau_baths_keep_the_gadeau_model() -> None:
    """The fluoride-rich Gadeau bath is not touched by the chloride model."""
    v = el.liquidus({"NaF": 17.0, "AlF3": 23.0, "BaCl2": 60.0}, "chloride_fluoride")
    assert v.correlation == "liquidus.chloride_fluoride_gadeau"


def test_the_fields_meet_at_the_measured_na2b4o7_bacl2_nacl_eutectic() -> None:
    """borax_bacl2_nacl_ta: ternary eutectic (NaCl + BaCl2 + compound) at 17 mol % Na2B4O7,
    48 BaCl2, 35 NaCl, 640 degC. A eutectic liquid is saturated with NaCl and BaCl2 at once:
    with borate as one B4O7(2-) anion the two Temkin fields cross at this composition, within
    30 K of 640 degC (below: the polymerised borate dilutes the chloride less than an ideal
    solute; the dilute NaF + AlF3 of the baths deviate less)."""
    borax, ba, na = 17.0, 48.0, 35.0
    n_cat = 2.0 * borax + na + ba
    x_na, x_ba = (2.0 * borax + na) / n_cat, ba / n_cat
    x_cl = (2.0 * ba + na) / (2.0 * ba + na + borax)
    t_na = tk.field_temperature("NaCl", x_na, x_cl) - KELVIN
    t_ba = tk.field_temperature("BaCl2", x_ba, x_cl) - KELVIN
    assert abs(t_na - t_ba) < 5.0
    assert 610.0 < t_na < 640.0


def test_ueda_superheat_within_its_range_with_the_model_uncertainty() -> None:
    """Ueda's melt at 750 degC: superheat about 100 K; +-20 K (liquidus.toml) keeps it
    inside the 10-150 K of preset_superheat.toml."""
    from alref import data

    unc = data.load("correlations/liquidus")["temkin_chloride"]["uncertainty_K"]
    rng = data.load("preset_superheat")["presets"]["ueda1998-lab"]
    sh = 750.0 - _liq({"BaCl2": 68.5, "NaCl": 28.8, "AlF3": 1.8, "NaF": 0.9})
    assert rng["min_k"] <= sh - unc and sh + unc <= rng["max_k"]
