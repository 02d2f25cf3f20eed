"""Unit economics on hand-built cycles: margin identity, scrap-price slope, break-evens."""

from __future__ import annotations

import math

import pytest
from tests.provenance import check_provenance

from alref.assess.economics import (
    Plant,
    Prices,
    annual_product_t,
    break_even_power_usd_per_mwh,
    break_even_scrap_pct_lme,
    effective_power_price,
    residue_value_usd_per_t,
    unit_economics,
)
from alref.assess.figures import CycleFigures


def _fig(**kw) -> CycleFigures:
    base = dict(product_kg=1000.0, premium_grade_kg=900.0, scrap_kg=1200.0, scrap_metal_kg=1100.0,
                energy_kwh_dc=9000.0, cycle_days=40.0, current_a=3000.0,
                salts_kg={"AlF3": 20.0, "BaCl2": 10.0}, spent_bath_kg=100.0, copper_kg=150.0,
                starter_al_kg=300.0, residue_kg=400.0,
                residue_wt_pct={"Al": 40.0, "Cu": 40.0, "Si": 15.0, "Fe": 5.0},
                hourly_energy_kwh=(1.0, 1.0, 2.0, 0.0))
    base.update(kw)
    return CycleFigures(**base)


def _prices(**kw) -> Prices:
    base = dict(lme_usd_per_t=2000.0, premium_usd_per_t=200.0, offgrade_discount_pct=10.0,
                scrap_price_pct_lme=80.0, power_price_usd_per_mwh=50.0, ac_dc_ratio=1.0,
                copper_usd_per_t=9000.0, salt_prices_usd_per_t={"AlF3": 1500.0, "BaCl2": 800.0},
                residue_metal_prices_usd_per_t={"Al": 2000.0, "Cu": 9000.0, "Si": 2000.0},
                residue_discount_pct=25.0, residue_handling_usd_per_t=50.0,
                spent_bath_disposal_usd_per_t=200.0, starter_al_price_pct_lme=100.0)
    base.update(kw)
    return Prices(**base)


PLANT = Plant(pots=10, turnaround_days=5.0, availability=0.9, labour_usd_per_pot_year=7300.0,
              maintenance_pct_capex=4.0, lining_life_years=2.0, lining_rebuild_pct_of_pot_cost=50.0,
              capex_usd=1.0e6, pots_capex_usd=4.0e5)


def test_annual_output_hand_computed() -> None:
    # 10 pots x 0.9 x 365 / (40 + 5) cycles x 1 t = 73 t/yr
    assert annual_product_t(_fig(), PLANT) == pytest.approx(73.0)


def test_every_line_hand_computed_and_margin_identity() -> None:
    ue = unit_economics(_fig(), _prices(), PLANT)
    r, c = ue.revenue_usd_per_t, ue.cost_usd_per_t
    assert r["metal_premium_grade"] == pytest.approx(0.9 * 2200.0)
    assert r["metal_offgrade"] == pytest.approx(0.1 * 2000.0 * 0.9)
    # residue: 0.4 t x (0.4*2000 + 0.4*9000 + 0.15*2000) x 0.75 (Fe not paid)
    assert r["residue"] == pytest.approx(0.4 * (800 + 3600 + 300) * 0.75)
    assert c["scrap"] == pytest.approx(1.2 * 0.8 * 2000.0)
    assert c["electricity"] == pytest.approx(9.0 * 50.0)
    assert c["bath_makeup"] == pytest.approx(0.02 * 1500 + 0.01 * 800)
    assert c["copper"] == pytest.approx(0.15 * 9000)
    assert c["starter_aluminium"] == pytest.approx(0.3 * 2000)
    assert c["labour"] == pytest.approx(7300 * 10 / 73.0)
    assert c["maintenance"] == pytest.approx(0.04 * 1e6 / 73.0)
    assert c["lining_rebuilds"] == pytest.approx(4e5 * 0.5 / 2.0 / 73.0)
    assert c["residue_handling"] == pytest.approx(0.4 * 50 + 0.1 * 200)
    # the margin is exactly revenue minus the listed costs
    assert ue.margin_usd_per_t == math.fsum(r.values()) - math.fsum(c.values())


def test_scrap_price_up_1_usd_lowers_margin_by_scrap_tonnes_per_tonne() -> None:
    fig, p = _fig(), _prices()
    m0 = unit_economics(fig, p, PLANT).margin_usd_per_t
    one_usd_in_pct = 100.0 / p.lme_usd_per_t
    p1 = _prices(scrap_price_pct_lme=p.scrap_price_pct_lme + one_usd_in_pct)
    m1 = unit_economics(fig, p1, PLANT).margin_usd_per_t
    assert m0 - m1 == pytest.approx(fig.scrap_kg / fig.product_kg, rel=1e-9)  # 1.2 t/t


def test_break_even_scrap_price_gives_zero_margin() -> None:
    fig, p = _fig(), _prices()
    ue = unit_economics(fig, p, PLANT)
    be = break_even_scrap_pct_lme(ue, p)
    again = unit_economics(fig, _prices(scrap_price_pct_lme=be), PLANT)
    assert abs(again.margin_usd_per_t) < 1e-6
    assert (be > p.scrap_price_pct_lme) == (ue.margin_usd_per_t > 0)


@pytest.mark.parametrize("profile", [(), (10.0, 30.0)])
def test_break_even_power_price_gives_zero_margin(profile) -> None:
    fig = _fig()
    p = _prices(power_profile=profile)
    ue = unit_economics(fig, p, PLANT)
    be = break_even_power_usd_per_mwh(ue)
    again = unit_economics(fig, _prices(power_price_usd_per_mwh=be), PLANT)  # flat at break-even
    assert abs(again.margin_usd_per_t) < 1e-6


def test_profile_price_is_energy_weighted() -> None:
    # hours with 1, 1, 2, 0 kWh under a repeating 2-hour profile 10, 30 -> (10+30+20)/4 = 15
    assert effective_power_price((1.0, 1.0, 2.0, 0.0), (10.0, 30.0), 99.0) == pytest.approx(15.0)
    assert effective_power_price((1.0, 1.0), (), 42.0) == 42.0
    ue = unit_economics(_fig(), _prices(power_profile=(10.0, 30.0)), PLANT)
    assert ue.cost_usd_per_t["electricity"] == pytest.approx(9.0 * 15.0)


def test_residue_value_pays_only_priced_elements() -> None:
    v = residue_value_usd_per_t({"Al": 50.0, "Fe": 50.0}, {"Al": 2000.0}, 10.0)
    assert v == pytest.approx(0.5 * 2000 * 0.9)


def test_offgrade_lots_earn_less() -> None:
    all_good = unit_economics(_fig(premium_grade_kg=1000.0), _prices(), PLANT).revenue_total
    some_bad = unit_economics(_fig(premium_grade_kg=500.0), _prices(), PLANT).revenue_total
    assert some_bad < all_good


def test_no_product_is_an_error() -> None:
    with pytest.raises(ValueError):
        unit_economics(_fig(product_kg=0.0, premium_grade_kg=0.0), _prices(), PLANT)


DATE_KEYS = ("date", "year", "currency_year")


def _undated(node, chain=(), prefix=""):
    """Numeric leaves of a TOML tree with no date/year in their table or an enclosing one."""
    chain = (*chain, node)
    out = []
    for k, v in node.items():
        if isinstance(v, dict):
            out += _undated(v, chain, f"{prefix}{k}.")
        elif isinstance(v, list):
            for i, item in enumerate(v):
                if isinstance(item, dict):
                    out += _undated(item, chain, f"{prefix}{k}[{i}].")
        elif (isinstance(v, int | float) and not isinstance(v, bool) and k not in DATE_KEYS
              and not any(d in t for t in chain for d in DATE_KEYS)):
            out.append(f"{prefix}{k}")
    return out


@pytest.mark.parametrize("folder", ["market", "emissions"])
def test_every_price_and_factor_has_a_date_and_a_source(folder) -> None:
    from alref import citations, data

    names = data.list_files(folder)
    assert names
    for name in names:
        assert not _undated(data.load(name)), name
        assert not check_provenance(name, set(citations.references())), name
    # the checker can fail
    assert _undated({"a": {"x": 1.0}}) == ["a.x"]
