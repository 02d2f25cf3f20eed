"""Cited market data: LME averages, premiums, power prices, scrap ratios, consumables, capex.

Thin readers over `alref/data/market/*.toml`; every value read is cited (`alref.citations.cite`)
and returned with its date so results can show what they rest on. Unknown names raise
`ConfigError` naming the scenario key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alref import citations, data
from alref.errors import ConfigError


@dataclass(frozen=True)
class Quote:
    """A dated value with its provenance (source key + locator, or an assumption)."""

    value: float
    unit: str
    date: str
    source: str | None
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "date": self.date,
                "source": self.source or "assumption", "note": self.note}


def _quote(table: Mapping[str, Any], value: float, unit: str) -> Quote:
    src = table.get("source")
    if src:
        citations.cite(str(src))
    note = str(table.get("locator", table.get("assumption", "")))
    return Quote(float(value), unit, str(table.get("date", table.get("year", ""))), src, note)


def _load(name: str) -> dict[str, Any]:
    return data.load(f"market/{name}")


def regions() -> dict[str, dict[str, Any]]:
    return dict(_load("regions")["region"])


def default_region() -> str:
    return str(_load("regions")["default"]["region"])


def region(name: str | None, key: str = "economics.region") -> tuple[str, dict[str, Any]]:
    name = name or default_region()
    table = regions()
    norm = name.strip().lower().replace("-", "_").replace(" ", "_")
    if norm not in table:
        raise ConfigError(key, f"unknown region {name!r}; known: {', '.join(sorted(table))}")
    return norm, table[norm]


def lme(year: int | None = None, key: str = "economics.lme_year") -> Quote:
    raw = _load("lme")
    year = year if year is not None else int(raw["selection"]["default_year"])
    annual = raw["annual"]
    if str(year) not in annual:
        raise ConfigError(key, f"no sourced LME annual average for {year}; have {', '.join(annual)}")
    row = annual[str(year)]
    return _quote(row, row["usd_per_t"], "US$/t")


def premium(name: str) -> Quote:
    row = _load("premiums")["premium"][name]
    return _quote(row, row["usd_per_t"], "US$/t")


def power_price(name: str) -> Quote:
    """Power price in US$/MWh (converted with the dated exchange rate of the row)."""
    raw = _load("power")
    row = raw["price"][name]
    value = float(row["value"])
    if row.get("currency", "USD") == "EUR":
        fx = raw["fx"][row["fx"]]
        value *= float(fx["usd_per_eur"])
    return _quote(row, value, "US$/MWh")


#: a feed of one named alloy (``alloy:7050``, the validation presets) is priced as ISRI
#: Tread, "segregated new castings, forgings and extrusions of one alloy" (scrap_prices.toml)
ONE_ALLOY_PREFIX = "alloy:"
ONE_ALLOY_CLASS = "tread"


def scrap_pct_lme(scrap_class: str) -> Quote:
    """Scrap price as % of LME for a class: mean of the dated observations, or an assumption."""
    table = _load("scrap_prices")["class"]
    if scrap_class not in table and scrap_class.startswith(ONE_ALLOY_PREFIX):
        scrap_class = ONE_ALLOY_CLASS  # a feed of one named alloy is segregated scrap
    if scrap_class not in table:
        raise ConfigError("economics.scrap_price_pct_lme",
                          f"no price for scrap class {scrap_class!r}; give economics.scrap_price_pct_lme")
    row = table[scrap_class]
    if "observations" in row:
        obs = row["observations"]
        for o in obs:
            citations.cite(str(o["source"]))
        mean = math.fsum(float(o["pct_lme"]) for o in obs) / len(obs)
        dates = ", ".join(str(o["date"]) for o in obs)
        return Quote(mean, "% of LME", dates, str(obs[0]["source"]),
                     f"mean of {len(obs)} dated quote(s)")
    return _quote(row, row["pct_lme"], "% of LME")


def consumables() -> dict[str, Any]:
    return _load("consumables")


def copper_price() -> Quote:
    row = consumables()["copper"]
    return _quote(row, row["usd_per_t"], "US$/t")


def metal_prices_for_residue(lme_usd_per_t: float, copper_usd_per_t: float) -> dict[str, float]:
    """US$/t of the residue's payable elements (Al at LME, Cu, Si, Zn); others are not paid."""
    c = consumables()
    _quote(c["zinc"], c["zinc"]["usd_per_t"], "US$/t")
    _quote(c["silicon"], c["silicon"]["usd_per_t"], "US$/t")
    return {"Al": lme_usd_per_t, "Cu": copper_usd_per_t,
            "Si": float(c["silicon"]["usd_per_t"]), "Zn": float(c["zinc"]["usd_per_t"])}


def offgrade_discount_pct() -> Quote:
    """Default discount for off-grade lots: the LME alloy/primary price gap."""
    row = consumables()["secondary_alloy"]
    pct = 100.0 * (1.0 - float(row["alloy_usd_per_t"]) / float(row["primary_usd_per_t"]))
    return _quote(row, pct, "% below LME")


def salt_price(salt: str, overrides: Mapping[str, float]) -> float:
    if salt in overrides:
        return float(overrides[salt])
    table = consumables()["salt"]
    if salt in table:
        row = table[salt]
        return float(_quote(row, row["usd_per_t"], "US$/t").value)
    other = table["other"]
    if salt in other:
        return float(_quote(other, other[salt], "US$/t").value)
    raise ConfigError(f"economics.salt_prices_usd_per_t.{salt}", f"no price for salt {salt!r}")


def operating() -> dict[str, Any]:
    return _load("operating")


def capex_items() -> dict[str, Any]:
    return _load("capex")
