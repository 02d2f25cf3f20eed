"""Scrap feed at steady state: how much scrap per kg of refined Al, and its heat demand.

At steady state the scrap charged replaces the Al transferred to the cathode, so the
scrap needed per kg of product is 1/(metal yield × Al fraction of the metal). All of the
charged scrap (metal, oxide, moisture) is heated to the bath temperature, and the metal
melted, with heat taken from the pot (domain-physics §2.5, §8.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alref.materials.scrap import resolve_feed
from alref.properties.thermal import elements as thermal_elements
from alref.properties.thermal import enthalpy_scrap_charge


@dataclass(frozen=True)
class FeedModel:
    """Mean composition of the scrap feed and its steady-state charge rate."""

    name: str
    metal_wt_pct: dict[str, float]
    nonmetallic_wt_pct: dict[str, float]
    metal_yield: float
    charge_temperature_k: float
    _heat_cache: dict[float, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def scrap_per_kg_al(self) -> float:
        """kg of scrap charged per kg of Al transferred to the cathode."""
        return 1.0 / (self.metal_yield * self.metal_wt_pct.get("Al", 0.0) / 100.0)

    def heat_per_kg_al(self, bath_temperature_k: float) -> float:
        """J taken from the pot per kg of Al transferred (scrap heated, melted, dried)."""
        if bath_temperature_k not in self._heat_cache:
            h = enthalpy_scrap_charge(
                self._thermal_composition(), self.nonmetallic_wt_pct, self.charge_temperature_k,
                bath_temperature_k,
            )
            self._heat_cache[bath_temperature_k] = h * self.scrap_per_kg_al
        return self._heat_cache[bath_temperature_k]


    def _thermal_composition(self) -> dict[str, float]:
        """Metal composition for the enthalpy: trace elements without heat-capacity data
        (each below `TRACE_WT_PCT`) are counted as Al, whose enthalpy dominates anyway."""
        known = thermal_elements()
        out: dict[str, float] = {}
        for el, w in self.metal_wt_pct.items():
            if el not in known and w <= TRACE_WT_PCT:
                el = "Al"
            out[el] = out.get(el, 0.0) + w
        return out


#: wt % below which an element without heat-capacity data is lumped with Al (its share of
#: the scrap enthalpy is then under ~0.25 %, within the enthalpy data's own uncertainty)
TRACE_WT_PCT = 0.25


def feed_model(scrap: str | dict[str, float], charge_temperature_k: float) -> FeedModel:
    """Build the feed from a scrap class name or a blend table (errors name `feed.scrap`)."""
    feed: Any = resolve_feed(scrap, "feed.scrap")
    return feed_from_parts(
        name=scrap if isinstance(scrap, str) else "blend",
        metal_wt_pct=dict(feed.mean_composition()),
        nonmetallic_wt_pct=dict(feed.nonmetallic_wt_pct()),
        charge_temperature_k=charge_temperature_k,
    )


def feed_from_parts(
    name: str,
    metal_wt_pct: dict[str, float],
    nonmetallic_wt_pct: dict[str, float],
    charge_temperature_k: float,
) -> FeedModel:
    """Feed from a metal composition (wt % of the metal) and non-metallic wt % of scrap.

    Free iron (shredder steel) dissolves into the Al-Cu anode alloy, so it is counted with
    the metal as Fe; oxide, organics and moisture are not metal.
    """
    nonmetal = {k: float(v) for k, v in nonmetallic_wt_pct.items() if k != "total"}
    free_fe = nonmetal.pop("free_iron", 0.0)
    metal_frac = 1.0 - sum(nonmetal.values()) / 100.0 - free_fe / 100.0
    masses = {el: float(w) / 100.0 * metal_frac for el, w in metal_wt_pct.items()}
    masses["Fe"] = masses.get("Fe", 0.0) + free_fe / 100.0
    total = sum(masses.values())
    return FeedModel(
        name=name,
        metal_wt_pct={el: 100.0 * m / total for el, m in masses.items()},
        nonmetallic_wt_pct=nonmet_clean(nonmet=nonmetal),
        metal_yield=total,
        charge_temperature_k=charge_temperature_k,
    )


def nonmet_clean(nonmet: dict[str, float]) -> dict[str, float]:
    """Non-metallic fractions other than free iron (wt % of the as-received scrap)."""
    return {k: v for k, v in nonmet.items() if v > 0}
