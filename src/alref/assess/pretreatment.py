"""Cost and footprint lines of the scrap pre-treatment (demagging, `feed.pretreatment`).

`alref simulate` reports the run's pre-treatment in `summary["pretreatment"]`
(`alref.cell.pretreatment.Demag.totals`: reagent, Mg removed, cost and CO2). The plant
assessment adds it as one cost line and one footprint line per tonne of product with
`pretreatment_lines(summary)`; a run without pre-treatment gives zeros, so the caller
can add the lines unconditionally. The reagent prices and CO2 factors are those of
`data/pretreatment.toml` (cited or labelled there).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: names of the lines in the cost table and in the footprint by source
COST_LINE = "scrap_pretreatment"
FOOTPRINT_LINE = "scrap_pretreatment"


def pretreatment_lines(summary: Mapping[str, Any]) -> dict[str, float]:
    """{"cost_usd_per_t": ..., "co2_t_per_t": ...} per tonne of product of the run's
    pre-treatment (zeros without one)."""
    p = summary.get("pretreatment")
    if not p:
        return {"cost_usd_per_t": 0.0, "co2_t_per_t": 0.0}
    return {"cost_usd_per_t": float(p["cost_usd_per_t_product"]),
            "co2_t_per_t": float(p["co2_t_per_t_product"])}
