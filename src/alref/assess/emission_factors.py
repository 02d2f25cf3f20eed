"""Cited emission factors: electricity by source or grid, GWP sets, process data, primary Al.

Readers over `alref/data/emissions/*.toml`; values are cited when read. Unknown names raise
`ConfigError` naming the scenario key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alref import citations, data
from alref.errors import ConfigError


def _load(name: str) -> dict[str, Any]:
    return data.load(f"emissions/{name}")


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


@dataclass(frozen=True)
class ElectricityFactor:
    g_co2e_per_kwh: float
    kind: str  # "source" | "grid" | "profile"
    name: str
    year: int | None
    source: str | None

    @property
    def t_co2e_per_mwh(self) -> float:
        return self.g_co2e_per_kwh / 1000.0

    def describe(self) -> str:
        year = f", {self.year}" if self.year else ""
        src = self.source or "user"
        return f"{self.kind} '{self.name}' {self.g_co2e_per_kwh:.4g} g CO2e/kWh ({src}{year})"


def electricity_names() -> dict[str, list[str]]:
    e = _load("electricity")
    src = [k for k, v in e["source"].items() if isinstance(v, float)]
    grids = [k for k, v in e["grid"].items() if isinstance(v, dict)]
    return {"sources": src + list(e["source_alias"]), "grids": grids + list(e["grid_alias"])}


def electricity_factor(value: str | Sequence[float], hourly_energy_kwh: Sequence[float] = (),
                       key: str = "footprint.electricity") -> ElectricityFactor:
    """Factor for a generation source (IPCC AR5 median), a grid (Ember), or an hourly profile
    (g CO2e/kWh, repeated over the cycle and weighted by the pot's hourly energy)."""
    if not isinstance(value, str):
        profile = [float(x) for x in value]
        if not profile or any(x < 0 or x != x for x in profile):
            raise ConfigError(key, "an hourly profile must be a non-empty list of values >= 0")
        total = sum(hourly_energy_kwh)
        n = len(profile)
        mean = (sum(e * profile[h % n] for h, e in enumerate(hourly_energy_kwh)) / total
                if total > 0 else sum(profile) / n)
        return ElectricityFactor(mean, "profile", f"hourly profile ({n} h)", None, None)
    e = _load("electricity")
    name = _norm(value)
    name = e["source_alias"].get(name, name)
    if name in e["source"] and isinstance(e["source"][name], float):
        citations.cite(e["source"]["source"])
        return ElectricityFactor(float(e["source"][name]), "source", name, 2014, e["source"]["source"])
    name = e["grid_alias"].get(name, name)
    grid = e["grid"].get(name)
    if isinstance(grid, dict):
        citations.cite(e["grid"]["source"])
        return ElectricityFactor(float(grid["g_co2e_per_kwh"]), "grid", name, int(grid["year"]),
                                 e["grid"]["source"])
    known = electricity_names()
    raise ConfigError(key, f"unknown electricity source or grid {value!r}; sources: "
                      f"{', '.join(known['sources'])}; grids: {', '.join(known['grids'])}")


def gwp_set(name: str) -> dict[str, float]:
    sets = _load("gwp")["set"]
    if name not in sets:
        raise ConfigError("footprint.gwp", f"unknown GWP set {name!r}; known: {', '.join(sets)}")
    citations.cite(sets[name]["source"])
    return {k: float(v) for k, v in sets[name].items() if isinstance(v, float)}


def process(name: str) -> dict[str, Any]:
    table = _load("processes")[name]
    if "source" in table:
        citations.cite(str(table["source"]))
    return table


def gas_t_co2e_per_gj(gwp: dict[str, float]) -> float:
    """Natural gas combustion, t CO2e per GJ (CO2 + CH4 + N2O with the chosen GWP set)."""
    g = process("natural_gas")
    kg = g["co2_kg_per_gj"] + g["ch4_kg_per_gj"] * gwp["CH4"] + g["n2o_kg_per_gj"] * gwp["N2O"]
    return kg / 1000.0


def ac_dc_ratio() -> float:
    """AC energy at the meter / DC energy at the pots (IAI world 2021 smelting data)."""
    r = process("rectification")
    return float(r["ac_kwh_per_t"]) / float(r["dc_kwh_per_t"])


def primary_footprints() -> dict[str, dict[str, Any]]:
    return dict(_load("primary")["footprint"])


def primary_footprint(name: str | None = None, key: str = "footprint.primary_reference"
                      ) -> tuple[str, dict[str, Any]]:
    p = _load("primary")
    name = name or str(p["default"]["footprint"])
    rows = p["footprint"]
    if name not in rows:
        raise ConfigError(key, f"unknown primary comparator {name!r}; known: {', '.join(rows)}")
    citations.cite(rows[name]["source"])
    return name, rows[name]


def smelting_energy(footprint_key: str) -> tuple[float, float, int, str]:
    """(AC kWh/t, DC kWh/t, year, source) of the region matching a primary footprint row."""
    p = _load("primary")
    region = p["footprint_energy_region"][footprint_key]
    se = p["smelting_energy"]
    citations.cite(se["source"])
    row = se[region]
    return float(row["ac_kwh_per_t"]), float(row["dc_kwh_per_t"]), int(se["year"]), se["source"]
