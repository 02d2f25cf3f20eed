"""Cash-flow conventions against a hand-built example (NPV, IRR, payback, tax, levelised cost)."""

from __future__ import annotations

import numpy as np
import pytest

from alref.assess.capex import plant_capex, scaled_cost
from alref.assess.cashflow import irr, npv, payback_years, plant_cash_flow

# Hand example: 100 invested at t=0, 30 a year for 5 years (end of year), 10 % rate.
# Annuity factor (1 - 1.1^-5)/0.1 = 3.790787; NPV = 30 * 3.790787 - 100 = 13.7236.
FLOWS = [-100.0, 30.0, 30.0, 30.0, 30.0, 30.0]


def test_npv_hand_computed() -> None:
    assert npv(0.10, FLOWS) == pytest.approx(13.7236, abs=1e-4)
    assert npv(0.0, FLOWS) == pytest.approx(50.0)


def test_irr_matches_polynomial_root() -> None:
    r = irr(FLOWS)
    # independent route: roots of sum cf_t x^(5-t) with x = 1 + r
    roots = np.roots(FLOWS)
    real = [x.real - 1 for x in roots if abs(x.imag) < 1e-12 and x.real > 0]
    assert r == pytest.approx(real[0], abs=1e-9)
    assert r == pytest.approx(0.152382, abs=1e-6)  # 15.24 % (standard annuity tables)
    assert npv(r, FLOWS) == pytest.approx(0.0, abs=1e-8)


def test_irr_none_without_sign_change() -> None:
    assert irr([-100.0, -1.0, -1.0]) is None


def test_payback_linear_within_year() -> None:
    assert payback_years(FLOWS) == pytest.approx(100 / 30)
    assert payback_years([-100.0, 10.0, 10.0]) is None


def test_plant_cash_flow_reproduces_the_hand_example_with_tax() -> None:
    # revenue 50, opex 20 -> EBITDA 30; depreciation 100/5 = 20; tax 25 % of 10 = 2.5 -> 27.5/yr
    cf = plant_cash_flow(100.0, 50.0, 20.0, 1.0, 0.0, 0.10, 5, tax_rate=0.25)
    assert cf.net == pytest.approx([-100.0] + [27.5] * 5)
    assert cf.npv_usd == pytest.approx(27.5 * 3.790787 - 100.0, abs=1e-4)
    untaxed = plant_cash_flow(100.0, 50.0, 20.0, 1.0, 0.0, 0.10, 5)
    assert untaxed.npv_usd == pytest.approx(13.7236, abs=1e-4)
    assert untaxed.irr == pytest.approx(0.152382, abs=1e-6)


def test_levelised_cost_hand_computed() -> None:
    # (capex + PV opex net of residue credit) / PV output = (100 + (20-5)*3.790787) / 3.790787
    cf = plant_cash_flow(100.0, 50.0, 20.0, 1.0, 5.0, 0.10, 5)
    assert cf.levelised_cost_usd_per_t == pytest.approx((100 + 15 * 3.790787) / 3.790787, rel=1e-6)


def test_six_tenths_rule() -> None:
    # doubling the size at exponent 0.6 costs 2^0.6 = 1.5157 times as much
    assert scaled_cost(100.0, 1.0, 2.0, 0.6) == pytest.approx(151.57, abs=0.01)
    items = {"pot": {"ref_cost_usd": 10.0, "ref_size": 1.0, "exponent": 1.0},
             "rectifier": {"ref_cost_usd": 5.0, "ref_size": 1.0, "exponent": 1.0},
             "casthouse": {"ref_cost_usd": 2.0, "ref_size": 1.0, "exponent": 1.0},
             "buildings": {"fraction_of_equipment": 0.5}}
    out = plant_capex(items, pots=3, pot_current_a=1.0, pot_power_kw=1000.0, annual_product_t=1.0)
    assert out == pytest.approx({"pots": 30.0, "rectifier": 15.0, "casthouse": 2.0, "buildings": 23.5})
