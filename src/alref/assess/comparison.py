"""Comparison routes on the same basis (t CO2e and MWh per tonne of metal).

* primary aluminium: cited cradle-to-gate footprints (IAI global average and regions, with
  year and source) and the matching IAI smelting electricity (AC) as Hall-Heroult energy;
* remelting the same scrap into a secondary alloy (no dilution; not primary grade);
* remelting the same scrap diluted with primary metal to the product grade (downcycling):
  dilution factor D = max over limited elements of w_scrap / w_limit (grade maxima, plus the
  'others each' limit for unlisted elements); per tonne of grade metal 1/D t scrap metal and
  (1 - 1/D) t primary metal, all melted once.

Pure functions over numbers; `comparison_rows` assembles the rows for `alref assess`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RemeltData:
    """Per tonne of ingot: preparation + melting energy, the scrap needed and factors."""

    electricity_kwh_per_t: float
    gas_gj_per_t: float
    scrap_t_per_t_ingot: float
    gas_t_per_gj: float
    electricity_t_per_mwh: float
    transport_t_per_t_scrap: float
    scrap_burden_t_per_t_metal: float  # 0 under cut-off

    @property
    def energy_mwh_per_t(self) -> float:
        return self.electricity_kwh_per_t / 1000.0 + self.gas_gj_per_t / 3.6

    @property
    def t_co2e_per_t(self) -> float:
        return (self.electricity_kwh_per_t / 1000.0 * self.electricity_t_per_mwh
                + self.gas_gj_per_t * self.gas_t_per_gj
                + self.scrap_t_per_t_ingot * self.transport_t_per_t_scrap
                + self.scrap_burden_t_per_t_metal)


def dilution_factor(scrap_wt_pct: Mapping[str, float], limits_wt_pct: Mapping[str, float],
                    others_each: float | None = None) -> tuple[float, str | None]:
    """(D, limiting element): primary metal needed to bring scrap within the grade limits.

    D = max(1, max_el w_scrap[el] / w_limit[el]); elements without their own limit use
    `others_each` when the grade has one. Primary metal is taken as impurity-free.
    """
    best, which = 1.0, None
    for el, w in scrap_wt_pct.items():
        if el == "Al" or w <= 0:
            continue
        limit = limits_wt_pct.get(el, others_each)
        if limit is None or limit <= 0:
            continue
        if w / limit > best:
            best, which = w / limit, el
    return best, which


def diluted_remelt(remelt: RemeltData, primary_t_co2e_per_t: float, primary_mwh_per_t: float,
                   dilution: float) -> tuple[float, float, float]:
    """(t CO2e/t, MWh/t, primary fraction) of one tonne of grade metal made by dilution.

    The scrap share carries its remelting burden (preparation, transport, scrap burden); the
    primary share its cradle-to-gate footprint and smelting energy; the whole tonne is melted.
    """
    f_scrap = 1.0 / dilution
    f_primary = 1.0 - f_scrap
    scrap_part = f_scrap * (remelt.t_co2e_per_t)
    melt_primary = f_primary * (remelt.gas_gj_per_t * remelt.gas_t_per_gj
                                + remelt.electricity_kwh_per_t / 1000.0 * remelt.electricity_t_per_mwh)
    co2 = scrap_part + melt_primary + f_primary * primary_t_co2e_per_t
    energy = remelt.energy_mwh_per_t + f_primary * primary_mwh_per_t
    return co2, energy, f_primary


def comparison_rows(own: Mapping[str, Any], primaries: list[Mapping[str, Any]], remelt: RemeltData,
                    default_primary: Mapping[str, Any], scrap_wt_pct: Mapping[str, float],
                    grade: str, limits: Mapping[str, float], others_each: float | None
                    ) -> list[dict[str, Any]]:
    """Rows {route, t_co2e_per_t, energy_mwh_per_t, year, source, ...} for the report."""
    rows: list[dict[str, Any]] = [dict(own)]
    for p in primaries:
        rows.append({"route": str(p["title"]), "t_co2e_per_t": p["t_co2e_per_t"],
                     "energy_mwh_per_t": p["energy_mwh_per_t"], "year": p["year"],
                     "source": p["source"], "energy_basis": p["energy_basis"],
                     "grade": "primary (P1020A)"})
    rows.append({"route": "remelting the same scrap (secondary alloy, no dilution)",
                 "t_co2e_per_t": remelt.t_co2e_per_t, "energy_mwh_per_t": remelt.energy_mwh_per_t,
                 "year": 2013, "source": "aa2013lca", "grade": "secondary casting alloy (not primary grade)",
                 "energy_basis": "scrap preparation + melting and casting, final energy"})
    d, el = dilution_factor(scrap_wt_pct, limits, others_each)
    co2, energy, f_primary = diluted_remelt(remelt, default_primary["t_co2e_per_t"],
                                            default_primary["energy_mwh_per_t"], d)
    rows.append({"route": f"remelting the same scrap diluted with primary to {grade}",
                 "t_co2e_per_t": co2, "energy_mwh_per_t": energy,
                 "year": default_primary["year"],
                 "source": f"aa2013lca + {default_primary['source']}", "grade": grade,
                 "dilution_factor": d, "limiting_element": el, "primary_fraction": f_primary,
                 "energy_basis": "remelting + primary smelting electricity (AC) of the primary share"})
    return rows
