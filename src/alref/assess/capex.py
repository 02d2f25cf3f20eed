"""Plant capital cost from scaled items: cost = ref_cost x (size / ref_size)^exponent.

Items and their reference sizes live in `alref/data/market/capex.toml` (all reasoned
assumptions, stated in US$ of the cost-index year). Pure function of the plant size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def scaled_cost(ref_cost: float, ref_size: float, size: float, exponent: float) -> float:
    """Power-law (six-tenths rule) cost scaling."""
    return ref_cost * (size / ref_size) ** exponent


def plant_capex(items: Mapping[str, Any], pots: int, pot_current_a: float, pot_power_kw: float,
                annual_product_t: float) -> dict[str, float]:
    """Capex by item (US$): pots, rectifier (plant DC MW), casthouse (t/yr), buildings."""
    pot = items["pot"]
    rect = items["rectifier"]
    cast = items["casthouse"]
    out = {
        "pots": pots * scaled_cost(pot["ref_cost_usd"], pot["ref_size"], pot_current_a, pot["exponent"]),
        "rectifier": scaled_cost(rect["ref_cost_usd"], rect["ref_size"], pots * pot_power_kw / 1000.0,
                                 rect["exponent"]),
        "casthouse": scaled_cost(cast["ref_cost_usd"], cast["ref_size"], annual_product_t,
                                 cast["exponent"]),
    }
    out["buildings"] = items["buildings"]["fraction_of_equipment"] * sum(out.values())
    return out
