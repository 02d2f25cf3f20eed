"""Gibbs energies of species and of formation (alref.thermo.gibbs).

Reference values are independent of the stored polynomials: NIST-JANAF 4th ed. tables
(Chase 1998) read at 1000 K, CRC Handbook 298 K values and enthalpies of fusion.
"""

from __future__ import annotations

import math
import warnings

import pytest

from alref.citations import track_citations
from alref.errors import ConfigError
from alref.properties.registry import RangeWarning
from alref.thermo import gibbs

# NIST-JANAF dfG at 1000 K (kJ/mol), tables F-023, F-035, F-019, F-074, Ca-016, Ba-021,
# F-141, Al-028, Cl-055, Cl-095, Al-043, F-094, Cu-008, Cl-083, Cl-144, Cl-123.
JANAF_DFG_1000K = {
    "LiF": -520.237,
    "NaF": -471.247,
    "KF": -466.860,
    "MgF2": -950.276,
    "CaF2": -1056.525,
    "BaF2": -1043.576,
    "SiF4": -1471.484,
    "AlCl3(g)": -533.828,
    "NaCl": -318.768,
    "MgCl2": -482.642,
    "PbF2": -531.753,
    "CuF": -217.754,
    "FeCl2": -219.603,
    "TiCl3": -505.896,
    "TiCl2": -355.176,
}


def test_alf3_formation_gibbs_matches_janaf() -> None:
    """JANAF Al-041/Al-043: dfG(AlF3, cr, 1000 K) = -1250.072 kJ/mol (domain-physics §5.1)."""
    assert gibbs.delta_g_formation("AlF3", 1000.0) / 1e3 == pytest.approx(-1250.072, abs=5.0)


@pytest.mark.parametrize(("compound", "dfg"), sorted(JANAF_DFG_1000K.items()))
def test_nasa_formation_gibbs_agree_with_janaf(compound: str, dfg: float) -> None:
    """NASA polynomials (McBride 1993) vs the JANAF tables: within 4 kJ/mol at 1000 K."""
    assert gibbs.delta_g_formation(compound, 1000.0) / 1e3 == pytest.approx(dfg, abs=4.0)


def test_ellingham_crc_agrees_with_janaf_table_for_fef2() -> None:
    """Cross-check of methods: the stored JANAF FeF2 data against a CRC Ellingham estimate.

    CRC: dfH(FeF2) = -711.3 kJ/mol, S(FeF2) = 87.0, S(Fe) = 27.3, S(F2) = 202.8 J/mol/K.
    """
    ellingham = -711.3 + 1000.0 * (87.0 - 27.3 - 202.8) / -1e3
    assert gibbs.delta_g_formation("FeF2", 1000.0) / 1e3 == pytest.approx(ellingham, abs=3.0)


@pytest.mark.parametrize(
    ("species", "s298"),
    [("Al", 28.3), ("F2", 202.8), ("Cl2", 223.1), ("AlF3", 66.5), ("NaF", 51.1),
     ("MgF2", 57.2), ("Cu", 33.2), ("Mn", 32.0), ("Fe", 27.3), ("Ni", 29.9), ("Cr", 23.8)],
)
def test_standard_entropy_matches_crc(species: str, s298: float) -> None:
    """S(298.15 K) from the polynomials / JANAF rows vs the CRC Handbook, within 0.5 J/mol/K."""
    assert gibbs.entropy(species, 298.15) == pytest.approx(s298, abs=0.5)


def test_formation_enthalpy_298_matches_crc() -> None:
    """CRC: dfH(AlF3, cr) = -1510.4 kJ/mol, dfH(NaCl, cr) = -411.2 kJ/mol."""
    assert gibbs.delta_h_formation("AlF3", 298.15) / 1e3 == pytest.approx(-1510.4, abs=2.0)
    assert gibbs.delta_h_formation("NaCl", 298.15) / 1e3 == pytest.approx(-411.2, abs=2.0)


def test_polynomials_continuous_at_their_break_temperatures() -> None:
    """Cp, H and S of every NASA phase are continuous where its polynomial changes."""
    checked = 0
    for species in gibbs.species_names():
        for phase in gibbs.phases(species):
            if not phase.model.startswith("nasa"):
                continue
            for t_break in phase.params["t_ranges"][1:-1]:
                lo = gibbs.phase_properties(phase, t_break - 1e-6)
                hi = gibbs.phase_properties(phase, t_break + 1e-6)
                where = f"{species}({phase.label}) at {t_break} K"
                assert abs(hi["cp"] - lo["cp"]) <= 0.02 * abs(lo["cp"]), where
                assert abs(hi["h"] - lo["h"]) <= 5.0, where
                assert abs(hi["s"] - lo["s"]) <= 0.01, where
                checked += 1
    assert checked > 30


def test_aluminium_melting_is_consistent() -> None:
    """At Al's melting point 933.47 K the solid and liquid G meet, and H(l) - H(s) equals
    the enthalpy of fusion 10.71 kJ/mol (CRC Handbook)."""
    solid, liquid = (gibbs.phases("Al(s)")[0], gibbs.phases("Al(l)")[0])
    t_m = 933.47
    ps, pl = gibbs.phase_properties(solid, t_m), gibbs.phase_properties(liquid, t_m)
    assert abs(ps["g"] - pl["g"]) < 100.0
    assert (pl["h"] - ps["h"]) / 1e3 == pytest.approx(10.71, abs=0.2)


@pytest.mark.parametrize("species", ["Al", "AlF3", "FeF2", "MnF2", "Mn", "CuCl", "SiF4"])
@pytest.mark.parametrize("T", [500.0, 1023.15, 1200.0])
def test_gibbs_is_h_minus_ts(species: str, T: float) -> None:
    g = gibbs.gibbs(species, T)
    assert g == pytest.approx(gibbs.enthalpy(species, T) - T * gibbs.entropy(species, T),
                              rel=1e-9)


def test_heat_capacity_positive_and_plausible() -> None:
    """Cp of the alkali fluoride at 1000 K is between 3R per atom (Dulong-Petit) and 2x it."""
    cp = gibbs.heat_capacity("NaF", 1000.0)
    assert 6 * 8.314 * 0.9 < cp < 12 * 8.314


def test_stable_phase_selection() -> None:
    # Iron: alpha (bcc) below and gamma (fcc) above the 1184 K transition.
    assert gibbs.stable_phase("Fe", 1100.0).label == "a"
    assert gibbs.stable_phase("Fe", 1300.0).label == "c"
    assert gibbs.stable_phase("Al", 900.0).state == "solid"
    assert gibbs.stable_phase("Al", 1000.0).state == "liquid"
    assert gibbs.stable_phase("Zn", 800.0).state == "liquid"
    # AlCl3 sublimes at 453 K: above it the gas is stable at 1 bar.
    assert gibbs.stable_phase("AlCl3", 1023.15).state == "gas"
    assert gibbs.stable_phase("AlCl3(l)", 1023.15).state == "liquid"
    # The gas is the stable form, so the forced liquid has the higher G.
    assert gibbs.gibbs("AlCl3(l)", 1023.15) > gibbs.gibbs("AlCl3", 1023.15)


def test_formation_gibbs_zero_for_elements() -> None:
    assert gibbs.delta_g_formation("F2", 1000.0) == pytest.approx(0.0, abs=1e-6)
    assert gibbs.delta_g_formation("Al", 1000.0) == pytest.approx(0.0, abs=1e-6)


def test_citations_recorded() -> None:
    with track_citations() as tracker:
        gibbs.delta_g_formation("TiF3", 1000.0)
        gibbs.delta_g_formation("ZnF2", 1000.0)
    assert {"mcbride1993", "janaf1998tables", "crc_thermo"} <= tracker.keys


def test_errors_and_warnings() -> None:
    with pytest.raises(ConfigError) as exc:
        gibbs.delta_g_formation("XyF2", 1000.0)
    assert exc.value.key in ("species", "formula")
    with pytest.raises(ConfigError) as exc:
        gibbs.delta_g_formation("AlF3", -5.0)
    assert exc.value.key == "temperature"
    with pytest.raises(ConfigError) as exc:
        gibbs.delta_g_formation("AlF3", 20000.0)
    assert exc.value.key == "temperature"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = gibbs.delta_g_formation("VCl3", 1100.0)  # data end at 1000 K
    assert math.isfinite(value)
    assert any(issubclass(w.category, RangeWarning) for w in caught)
