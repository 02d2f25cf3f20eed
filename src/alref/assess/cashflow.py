"""Plant cash flow: NPV, IRR, payback and levelised cost.

Conventions (documented; the hand-built example in tests/unit/test_economics_cashflow.py
checks them):

* real (constant-currency) money, the discount rate is real;
* capital is spent at t = 0 (undiscounted); operating years 1..L, each year's cash flow falls
  at the end of the year and is discounted by (1 + r)^t (end-of-year convention);
* tax: ``tax_rate x max(EBITDA - depreciation, 0)`` with straight-line depreciation of the
  capital over the L years, no loss carry-forward, no salvage value, no working capital;
* IRR: the rate where NPV = 0, found with `scipy.optimize.brentq` on (-0.99, 10); `None`
  when NPV does not change sign there;
* payback: years until the undiscounted cumulative cash flow turns non-negative, linear
  within the year; `None` if never within the life;
* levelised cost of product (US$/t): (capex + PV of cash operating costs net of the residue
  credit) / PV of production, pre-tax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alref.roots import brentq

IRR_BRACKET = (-0.99, 10.0)


def npv(rate: float, cash_flows: Sequence[float]) -> float:
    """Net present value of cash flows at t = 0, 1, 2, ... (end-of-year)."""
    return sum(cf / (1.0 + rate) ** t for t, cf in enumerate(cash_flows))


def irr(cash_flows: Sequence[float]) -> float | None:
    """Internal rate of return (brentq on NPV); None when NPV keeps one sign on the bracket."""
    lo, hi = IRR_BRACKET
    f_lo, f_hi = npv(lo, cash_flows), npv(hi, cash_flows)
    if f_lo == 0:
        return lo
    if f_lo * f_hi > 0:
        return None
    return float(brentq(npv, lo, hi, args=(list(cash_flows),), xtol=1e-12, maxiter=500))


def payback_years(cash_flows: Sequence[float]) -> float | None:
    """Undiscounted payback time in years (linear within the year it turns)."""
    cum = 0.0
    for t, cf in enumerate(cash_flows):
        prev = cum
        cum += cf
        if cum >= 0 and t > 0:
            return t - 1 + (-prev / cf if cf > 0 else 1.0)
        if cum >= 0 and t == 0:
            return 0.0
    return None


@dataclass(frozen=True)
class CashFlow:
    years: list[int]
    capex: list[float]
    revenue: list[float]
    opex: list[float]
    ebitda: list[float]
    depreciation: list[float]
    tax: list[float]
    net: list[float]
    npv_usd: float
    irr: float | None
    payback_years: float | None
    levelised_cost_usd_per_t: float

    def as_rows(self) -> list[dict[str, float]]:
        return [{"year": y, "capex": c, "revenue": r, "opex": o, "ebitda": e, "depreciation": d,
                 "tax": tx, "net": n}
                for y, c, r, o, e, d, tx, n in zip(self.years, self.capex, self.revenue, self.opex,
                                                   self.ebitda, self.depreciation, self.tax, self.net,
                                                   strict=True)]


def plant_cash_flow(capex_usd: float, annual_revenue_usd: float, annual_opex_usd: float,
                    annual_product_t: float, residue_credit_usd: float, discount_rate: float,
                    lifetime_years: int, tax_rate: float = 0.0) -> CashFlow:
    """Constant annual revenue and opex over the life (see the module conventions).

    `annual_revenue_usd` includes the residue credit `residue_credit_usd` (used only for the
    levelised cost, which nets it off the costs).
    """
    years = list(range(lifetime_years + 1))
    dep = capex_usd / lifetime_years
    capex = [capex_usd] + [0.0] * lifetime_years
    revenue = [0.0] + [annual_revenue_usd] * lifetime_years
    opex = [0.0] + [annual_opex_usd] * lifetime_years
    ebitda = [r - o for r, o in zip(revenue, opex, strict=True)]
    depreciation = [0.0] + [dep] * lifetime_years
    tax = [0.0] + [tax_rate * max(e - dep, 0.0) for e in ebitda[1:]]
    net = [e - t - c for e, t, c in zip(ebitda, tax, capex, strict=True)]
    disc = [(1.0 + discount_rate) ** -t for t in years]
    pv_q = sum(annual_product_t * d for d in disc[1:])
    pv_cost = capex_usd + sum((annual_opex_usd - residue_credit_usd) * d for d in disc[1:])
    return CashFlow(years, capex, revenue, opex, ebitda, depreciation, tax, net,
                    npv(discount_rate, net), irr(net), payback_years(net),
                    pv_cost / pv_q if pv_q > 0 else float("nan"))
