"""Margin waterfall, processing cost, tornado and what the signs mean (per tonne of product).

Pure functions of `UnitEconomics` / `Prices` (`alref.assess.economics`):

* `waterfall`: revenue lines (+), then every operating cost (−), ending at
  ``margin_usd_per_t`` (= revenue − costs, exactly); then the capital charge (capex x
  capital recovery factor / annual output) ending at ``margin_after_capital_usd_per_t``.
* `processing_cost`: every operating cost except scrap, net of the residue and alloy-bleed
  credits — the number to set against "a few hundred USD/t".
* `tornado`: the margin at the low and high value of each market driver (LME, premium,
  scrap discount, power price), the figures of the cycle held fixed (the margin is linear
  in each driver; the residue's and bleed's Al is revalued with the LME).
* `copper_balance`: the Cu bought against the Cu sold in the residue (sludge) and the alloy
  bleed, each at the same cited Cu price less its co-product discount — a kg of Cu that
  leaves with the sludge is sold with it, not lost.
* `processing_groups`: the processing cost in three groups (electricity; fixed costs of the
  plant; consumables net of the co-product credits) that sum to it.
* `explain`: one sentence per sign: what a positive or negative margin, break-even or
  processing cost means for this plant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from alref.assess.economics import Plant, Prices, UnitEconomics, unit_economics
from alref.assess.figures import CycleFigures

#: revenue lines that are credits for co-products (not the refined metal)
CREDITS = ("residue", "bleed_alloy")
#: market drivers of the tornado: name -> (how to move the price, low, high, unit)
DRIVERS: dict[str, tuple[str, float, float, str]] = {
    "lme_usd_per_t": ("scale", 0.9, 1.1, "LME -10 % / +10 %"),
    "premium_usd_per_t": ("scale", 0.5, 1.5, "premium -50 % / +50 %"),
    "scrap_price_pct_lme": ("add", -5.0, 5.0, "scrap price -5 / +5 points of LME"),
    "power_price_usd_per_mwh": ("scale", 0.75, 1.25, "power price -25 % / +25 %"),
}


def waterfall(ue: UnitEconomics, capital_charge: float) -> list[dict[str, Any]]:
    """Steps of the margin per tonne of product (see module docstring)."""
    steps: list[dict[str, Any]] = []
    for k, v in ue.revenue_usd_per_t.items():
        steps.append({"item": k, "usd_per_t": v, "kind": "credit" if k in CREDITS else "revenue"})
    for k, v in ue.cost_usd_per_t.items():
        steps.append({"item": k, "usd_per_t": -v, "kind": "cost"})
    steps.append({"item": "margin_usd_per_t", "usd_per_t": ue.margin_usd_per_t, "kind": "subtotal"})
    steps.append({"item": "capital_charge", "usd_per_t": -capital_charge, "kind": "capital"})
    steps.append({"item": "margin_after_capital_usd_per_t",
                  "usd_per_t": ue.margin_usd_per_t - capital_charge, "kind": "total"})
    return steps


def processing_cost(ue: UnitEconomics) -> float:
    """Operating costs except scrap, net of the residue and bleed credits (US$/t product)."""
    costs = math.fsum(v for k, v in ue.cost_usd_per_t.items() if k != "scrap")
    credits = math.fsum(ue.revenue_usd_per_t.get(k, 0.0) for k in CREDITS)
    return costs - credits


#: cost lines that do not scale with what the pot does per tonne (set by the plant's size)
FIXED = ("labour", "maintenance", "lining_rebuilds")


def copper_balance(fig: CycleFigures, prices: Prices) -> dict[str, float]:
    """Cu bought and Cu sold per tonne of product (kg/t and US$/t) and the net Cu cost."""
    p_t = fig.product_t
    cu = prices.copper_usd_per_t / 1000.0  # US$/kg
    bought = fig.copper_kg / p_t
    in_res, in_bleed = fig.residue_copper_kg / p_t, fig.bleed_copper_kg / p_t
    paid_res = in_res * cu * (1.0 - prices.residue_discount_pct / 100.0)
    paid_bleed = in_bleed * cu * (1.0 - prices.bleed_discount_pct / 100.0)
    return {"bought_kg_per_t": bought, "bought_usd_per_t": bought * cu,
            "sold_in_residue_kg_per_t": in_res, "residue_credit_usd_per_t": paid_res,
            "sold_in_bleed_kg_per_t": in_bleed, "bleed_credit_usd_per_t": paid_bleed,
            "net_usd_per_t": bought * cu - paid_res - paid_bleed}


def processing_groups(ue: UnitEconomics) -> dict[str, float]:
    """`processing_cost` in three groups that sum to it: electricity, the plant's fixed
    costs (labour, maintenance, linings) and the consumables net of the co-product credits."""
    c = ue.cost_usd_per_t
    elec = c.get("electricity", 0.0)
    fixed = math.fsum(c.get(k, 0.0) for k in FIXED)
    return {"electricity": elec, "fixed_costs": fixed,
            "consumables_net_of_credits": processing_cost(ue) - elec - fixed}


def _moved(prices: Prices, name: str, how: str, x: float) -> Prices:
    if name == "lme_usd_per_t":
        lme = prices.lme_usd_per_t * x
        metals = {**prices.residue_metal_prices_usd_per_t, "Al": lme}
        return replace(prices, lme_usd_per_t=lme, residue_metal_prices_usd_per_t=metals)
    value = getattr(prices, name)
    new = value * x if how == "scale" else max(value + x, 0.0)
    if name == "power_price_usd_per_mwh":
        return replace(prices, power_price_usd_per_mwh=new,
                       power_profile=tuple(p * x for p in prices.power_profile))
    return replace(prices, **{name: new})


def tornado(fig: CycleFigures, prices: Prices, plant: Plant,
            economics: Callable[[CycleFigures, Prices, Plant], UnitEconomics] = unit_economics
            ) -> list[dict[str, Any]]:
    """Margin at each driver's low and high value, widest swing first."""
    base = economics(fig, prices, plant).margin_usd_per_t
    rows = []
    for name, (how, lo, hi, label) in DRIVERS.items():
        m_lo = economics(fig, _moved(prices, name, how, lo), plant).margin_usd_per_t
        m_hi = economics(fig, _moved(prices, name, how, hi), plant).margin_usd_per_t
        rows.append({"driver": name, "range": label, "margin_low_usd_per_t": m_lo,
                     "margin_high_usd_per_t": m_hi, "margin_base_usd_per_t": base,
                     "swing_usd_per_t": abs(m_hi - m_lo)})
    return sorted(rows, key=lambda r: -r["swing_usd_per_t"])


def _drivers(e: Mapping[str, Any], n: int = 4) -> str:
    """'; driven by ...': the largest cost lines of the processing cost and the credits."""
    costs = sorted(((k, v) for k, v in e.get("cost_breakdown_usd_per_t", {}).items()
                    if k != "scrap" and v > 0), key=lambda kv: -kv[1])[:n]
    credits = [(k, e.get("revenue_breakdown_usd_per_t", {}).get(k, 0.0)) for k in CREDITS]
    if not costs:
        return ""
    return ("; largest lines: " + ", ".join(f"{k} {v:.0f}" for k, v in costs)
            + " US$/t, less credits " + ", ".join(f"{k} {v:.0f}" for k, v in credits if v > 0)
            + " US$/t")


def _groups(e: Mapping[str, Any]) -> str:
    """'; in groups: ...': electricity, fixed costs, consumables net of credits, and Cu."""
    g, cu = e.get("processing_cost_groups_usd_per_t"), e.get("copper_balance")
    out = ""
    if g:
        out += ("; by group: electricity {electricity:.0f}, fixed costs (labour, maintenance, "
                "linings) {fixed_costs:.0f}, consumables net of co-product credits "
                "{consumables_net_of_credits:+.0f} US$/t").format(**g)
    if cu and cu["bought_usd_per_t"] > 0:
        out += (f"; copper bought {cu['bought_usd_per_t']:.0f} US$/t less "
                f"{cu['residue_credit_usd_per_t'] + cu['bleed_credit_usd_per_t']:.0f} US$/t for "
                "the Cu sold in the sludge and the bleed = "
                f"{cu['net_usd_per_t']:+.0f} US$/t net")
    return out


def explain(e: Mapping[str, Any]) -> dict[str, str]:
    """What the signs of the headline numbers mean (economics dict of `alref assess`)."""
    m, p = e["margin_usd_per_t"], e["processing_cost_usd_per_t"]
    bs, sp = e["break_even_scrap_pct_lme"], e["scrap_price_pct_lme"]
    bp, pp = e["break_even_power_usd_per_mwh"], e["power_price_usd_per_mwh"]
    mc = e["margin_after_capital_usd_per_t"]
    out = {
        "margin_usd_per_t": (
            f"revenue minus operating costs per tonne of product: {m:+.0f} US$/t, so every tonne "
            + ("earns cash before the capital charge" if m >= 0 else "loses cash before capital")
            + f"; after the capital charge {mc:+.0f} US$/t"),
        "processing_cost_usd_per_t": (
            f"all operating costs except scrap, net of residue and bleed credits: {p:.0f} US$/t "
            + ("(positive: a cost per tonne, to set against the LME + premium minus scrap spread)"
               if p >= 0 else "(negative: the co-product credits exceed the processing costs)")
            + _drivers(e) + _groups(e)),
        "break_even_scrap_pct_lme": (
            "no scrap is charged: the margin does not depend on the scrap price" if bs is None
            else f"the margin is zero when scrap costs {bs:.1f} % of LME; scrap at {sp:.1f} % "
            f"leaves {bs - sp:+.1f} points of headroom"
            + (" (negative: scrap must get cheaper)" if bs < sp else "")
            + (" — below zero: the plant would have to be paid to take scrap" if bs < 0 else "")
            + f"; i.e. a scrap discount to LME of at least {100 - bs:.1f} %"),
        "break_even_power_usd_per_mwh": (
            "no power is drawn: the margin does not depend on its price" if bp is None
            else f"the margin is zero at {bp:.1f} US$/MWh against {pp:.1f} US$/MWh paid"
            + (" — negative: even free power leaves a loss" if bp < 0 else
               f" ({bp - pp:+.1f} US$/MWh of headroom)")),
    }
    return out
