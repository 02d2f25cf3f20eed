"""Demagging the scrap before it is charged (`feed.pretreatment`, issue 13 item 5).

Mg is less noble than Al: in the pot it dissolves from the anode into the bath as MgF2,
which the bath management must then skim or replace. Demagging the molten scrap first —
chlorine injection (Mg + Cl2 → MgCl2) or an AlF3 salt flux (3 Mg + 2 AlF3 → 3 MgF2 + 2 Al)
— takes the Mg into a dross outside the pot, down to a residual level, at the cost of the
reagent and its cradle-to-gate CO2 (`data/pretreatment.toml`, cited or labelled):

    reagent kg per kg Mg = M_reagent / (mg_per_reagent_mol · M_Mg) / utilisation

The pre-treated feed is the same scrap with its metal's Mg lowered to the residual and the
metal yield lowered by the Mg removed (the few grams of Al the AlF3 flux returns and the Al
chlorinated with the Mg are not counted). `Demag` carries the figures per kg of scrap;
`Demag.totals` scales them to a run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from alref import data
from alref.cell.feed import Feed
from alref.citations import cite
from alref.errors import ConfigError
from alref.materials.elements import molar_mass

METHODS = ("none", "chlorination", "salt_flux")
_REAGENT_FORMULA = {"Cl2": {"Cl": 2}, "AlF3": {"Al": 1, "F": 3}}


@cache
def _table() -> dict[str, Any]:
    return data.load("pretreatment")


def _cite(entry: dict[str, Any]) -> None:
    if "source" in entry:
        cite(entry["source"])


@dataclass(frozen=True)
class Demag:
    """Figures of a pre-treatment per kg of scrap as received."""

    method: str
    reagent: str
    mg_before_wt_pct: float  # Mg in the scrap metal, wt %
    mg_after_wt_pct: float
    mg_removed_kg_per_kg: float
    reagent_kg_per_kg: float
    cost_usd_per_kg: float
    co2_kg_per_kg: float

    def totals(self, scrap_kg: float, product_kg: float) -> dict[str, Any]:
        """The run's figures for `scrap_kg` of scrap charged and `product_kg` of product."""
        per_t = 1000.0 / product_kg if product_kg > 0 else float("nan")
        return {
            "method": self.method, "reagent": self.reagent,
            "mg_before_wt_pct": self.mg_before_wt_pct, "mg_after_wt_pct": self.mg_after_wt_pct,
            "mg_removed_kg": self.mg_removed_kg_per_kg * scrap_kg,
            "reagent_kg": self.reagent_kg_per_kg * scrap_kg,
            "cost_usd": self.cost_usd_per_kg * scrap_kg,
            "co2_kg": self.co2_kg_per_kg * scrap_kg,
            "cost_usd_per_t_product": self.cost_usd_per_kg * scrap_kg * per_t,
            "co2_t_per_t_product": self.co2_kg_per_kg * scrap_kg * per_t / 1000.0,
        }


def check_method(method: str | None, key: str = "feed.pretreatment") -> str:
    """The method name, or ConfigError naming `key` with the allowed values."""
    m = "none" if method is None else str(method)
    if m not in METHODS:
        raise ConfigError(key, f"{m!r} is not a pre-treatment; allowed: {', '.join(METHODS)}")
    return m


def reagent_kg_per_kg_mg(method: str) -> float:
    """kg of reagent per kg of Mg removed (stoichiometry over utilisation)."""
    e = _table()[method]
    _cite(e)
    _cite(e["utilisation"])
    cite("iupac2021weights")
    m_reagent = sum(n * molar_mass(el) for el, n in _REAGENT_FORMULA[e["reagent"]].items())
    return m_reagent / (e["mg_per_reagent_mol"] * molar_mass("Mg")) / e["utilisation"]["value"]


def demag(feed: Feed, method: str | None) -> tuple[Feed, Demag | None]:
    """The feed after pre-treatment `method` and its figures (None for 'none' or for a
    feed whose Mg is already at or below the residual level)."""
    m = check_method(method)
    if m == "none":
        return feed, None
    e = _table()[m]
    residual = e["residual"]["mg_wt_pct"]
    _cite(e["residual"])
    metal = dict(feed.metal_wt_pct)
    mg = metal.get("Mg", 0.0)
    if mg <= residual:
        return feed, None
    # per 100 kg of feed metal: keep the other elements, lower Mg to the residual share
    others = 100.0 - mg
    mg_after = residual * others / (100.0 - residual)
    removed_frac = (mg - mg_after) / 100.0  # kg Mg per kg of feed metal
    metal["Mg"] = mg_after
    total = others + mg_after
    new_metal = {el: 100.0 * w / total for el, w in metal.items()}
    out = replace(feed.with_metal(new_metal, name=f"{feed.name}+{m}"),
                  metal_yield=feed.metal_yield * (1.0 - removed_frac))
    removed = removed_frac * feed.metal_yield  # kg Mg per kg of scrap
    reagent = removed * reagent_kg_per_kg_mg(m)
    _cite(e["price"])
    _cite(e["co2"])
    return out, Demag(
        method=m, reagent=e["reagent"], mg_before_wt_pct=mg, mg_after_wt_pct=residual,
        mg_removed_kg_per_kg=removed, reagent_kg_per_kg=reagent,
        cost_usd_per_kg=reagent * e["price"]["usd_per_t"] / 1000.0,
        co2_kg_per_kg=reagent * e["co2"]["t_per_t"],
    )
