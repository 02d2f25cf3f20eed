"""Footprint arithmetic, factor look-ups, scrap-burden methods and the dilution comparison."""

from __future__ import annotations

import dataclasses

import pytest

from alref.assess import emission_factors as ef
from alref.assess.comparison import RemeltData, diluted_remelt, dilution_factor
from alref.assess.figures import CycleFigures
from alref.assess.footprint import FootprintInputs, footprint
from alref.errors import ConfigError

FIG = CycleFigures(product_kg=1000.0, premium_grade_kg=1000.0, scrap_kg=1100.0, scrap_metal_kg=1000.0,
                   energy_kwh_dc=9000.0, cycle_days=40.0, current_a=3000.0,
                   salts_kg={"AlF3": 100.0, "BaCl2": 200.0}, spent_bath_kg=100.0, copper_kg=150.0,
                   starter_al_kg=300.0, residue_kg=500.0, residue_wt_pct={"Cu": 40.0, "Al": 60.0})
INP = FootprintInputs(electricity_t_per_mwh=0.481, ac_dc_ratio=1.0, gas_t_per_gj=0.056,
                      prep_electricity_kwh_per_t_scrap=100.0, prep_gas_gj_per_t_scrap=1.0,
                      melt_electricity_kwh_per_t=100.0, melt_gas_gj_per_t=5.0, copper_t_per_t=4.0,
                      fluoride_salt_t_per_t=1.5, chloride_salt_t_per_t=0.5, transport_km=100.0,
                      transport_kg_per_t_km=0.1, residue_t_per_t=0.02, spent_bath_t_per_t=0.05,
                      primary_t_per_t=15.0, eol_recycling_rate=0.9)


def test_electricity_share_matches_reference_table() -> None:
    # standards-market-data 3.8: 9 MWh/t at the 2023 world grid (481 g) -> 4.33 t CO2e/t
    f = footprint(FIG, INP)
    assert f.by_source["electricity_refining"] == pytest.approx(4.33, abs=0.005)
    hydro = footprint(FIG, dataclasses.replace(INP, electricity_t_per_mwh=0.024))
    assert hydro.by_source["electricity_refining"] == pytest.approx(0.22, abs=0.005)  # same table


def test_scopes_and_sources_add_up() -> None:
    f = footprint(FIG, INP)
    assert sum(f.by_scope.values()) == pytest.approx(f.total)
    # hand: salts 0.1*1.5 + 0.2*0.5 = 0.25; transport of every purchase (1.1 t scrap + 0.3 t
    # salts + 0.15 t Cu + 0.3 t starter Al) * 100 km * 0.1 kg = 0.0185
    assert f.by_source["bath_salts"] == pytest.approx(0.25)
    assert f.by_source["transport"] == pytest.approx(0.0185)
    assert f.by_source["scrap_preparation_gas"] == pytest.approx(1.1 * 0.056)
    assert f.by_scope["scope_1"] == pytest.approx(1.1 * 0.056 + 0.45 * 5.0 * 0.056)


def test_causal_allocation_leaves_recovered_copper_with_the_residue() -> None:
    causal = footprint(FIG, INP)  # residue holds 200 kg Cu > 150 kg bought
    assert causal.by_source["copper"] == 0.0
    none = footprint(FIG, dataclasses.replace(INP, residue_allocation="none"))
    assert none.by_source["copper"] == pytest.approx(0.15 * 4.0)
    mass = footprint(FIG, dataclasses.replace(INP, residue_allocation="mass"))
    assert mass.total == pytest.approx(none.total * 1000 / 1500)


def test_scrap_burden_methods() -> None:
    cut = footprint(FIG, INP)
    assert cut.by_source["scrap_burden"] == 0.0 and cut.module_d_t_co2e_per_t is None
    # the bought starter Al (0.3 t per t product) carries the primary 15 t/t under every method
    assert cut.by_source["starter_aluminium"] == pytest.approx(0.3 * 15.0)
    mass = footprint(FIG, dataclasses.replace(INP, scrap_burden="mass-allocation"))
    # scrap metal 1.0 t per t product at the primary 15 t/t
    assert mass.by_source["scrap_burden"] == pytest.approx(1.0 * 15.0)
    assert mass.by_source["starter_aluminium"] == pytest.approx(0.3 * 15.0)
    ab = footprint(FIG, dataclasses.replace(INP, scrap_burden="avoided-burden"))
    assert ab.total == pytest.approx(mass.total)
    assert ab.module_d_t_co2e_per_t is not None and ab.module_d_t_co2e_per_t < 0
    with pytest.raises(ValueError):
        footprint(FIG, dataclasses.replace(INP, scrap_burden="economic"))


def test_electricity_lookup_by_source_grid_and_profile() -> None:
    assert ef.electricity_factor("hydro").g_co2e_per_kwh == 24.0  # IPCC AR5 median
    assert ef.electricity_factor("Wind").name == "wind_onshore"
    world = ef.electricity_factor("world")
    assert world.kind == "grid" and world.year == 2024
    assert world.g_co2e_per_kwh == pytest.approx(481, rel=0.03)  # Ember 2023 vintage, Statista
    prof = ef.electricity_factor([100.0, 300.0], hourly_energy_kwh=(1.0, 3.0))
    assert prof.g_co2e_per_kwh == pytest.approx(250.0)
    with pytest.raises(ConfigError) as exc:
        ef.electricity_factor("moonlight")
    assert exc.value.key == "footprint.electricity"


def test_gwp_sets_and_gas_factor() -> None:
    ar5, ar6 = ef.gwp_set("AR5"), ef.gwp_set("AR6")
    assert ar6["CH4"] > ar5["CH4"]
    # IPCC 2006 natural gas: 56 100 kg CO2 + 1 kg CH4 x 28 + 0.1 kg N2O x 265 per TJ
    assert ef.gas_t_co2e_per_gj(ar5) == pytest.approx((56100 + 28 + 26.5) / 1e6)
    with pytest.raises(ConfigError):
        ef.gwp_set("AR4")


def test_ac_dc_ratio_matches_rectifier_share() -> None:
    # data-gaps-standards 4.1: AC - DC ~ 910 kWh/t, ~6.4 % of AC (world 2021)
    assert 1 - 1 / ef.ac_dc_ratio() == pytest.approx(0.064, abs=0.001)


def test_dilution_factor_examples() -> None:
    scrap = {"Al": 88.4, "Si": 5.9, "Fe": 1.16, "Cu": 2.1}
    d, el = dilution_factor(scrap, {"Si": 0.10, "Fe": 0.20})
    assert (d, el) == (pytest.approx(59.0), "Si")
    d, el = dilution_factor(scrap, {"Si": 0.10, "Fe": 0.20}, others_each=0.03)
    assert (d, el) == (pytest.approx(70.0), "Cu")
    assert dilution_factor({"Al": 99.9, "Si": 0.05}, {"Si": 0.10}) == (1.0, None)


def test_diluted_remelt_hand_computed() -> None:
    rm = RemeltData(electricity_kwh_per_t=200.0, gas_gj_per_t=5.0, scrap_t_per_t_ingot=1.0,
                    gas_t_per_gj=0.05, electricity_t_per_mwh=0.5, transport_t_per_t_scrap=0.0,
                    scrap_burden_t_per_t_metal=0.0)
    assert rm.t_co2e_per_t == pytest.approx(0.1 + 0.25)
    co2, energy, fp = diluted_remelt(rm, 15.0, 14.0, dilution=4.0)
    assert fp == pytest.approx(0.75)
    assert co2 == pytest.approx(0.35 + 0.75 * 15.0)
    assert energy == pytest.approx(0.2 + 5.0 / 3.6 + 0.75 * 14.0)
