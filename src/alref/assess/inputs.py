"""Resolve the `[economics]` and `[footprint]` sections into numeric inputs.

Unset fields take the cited defaults of the data tables; bad values raise `ConfigError`
naming the scenario key (negative prices, unknown region, unknown scrap class or salt).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from alref.assess import emission_factors as ef
from alref.assess import market
from alref.assess.capex import plant_capex
from alref.assess.economics import Plant, Prices, annual_product_t
from alref.assess.figures import CycleFigures
from alref.assess.footprint import FootprintInputs
from alref.errors import ConfigError
from alref.materials.scrap import Blend
from alref.scenario_sections import EconomicsSection, FootprintSection


def _nonneg(value: float, key: str) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ConfigError(key, f"must be a finite number >= 0, got {value!r}")
    return float(value)


def scrap_price_pct(econ: EconomicsSection, blend: Blend) -> tuple[float, dict[str, Any]]:
    """Blend-weighted scrap price (% of LME, as-received shares) and the per-class quotes."""
    given = econ.scrap_price_pct_lme
    key = "economics.scrap_price_pct_lme"
    if isinstance(given, int | float):
        pct = _nonneg(given, key)
        return pct, {sc.key: {"value": pct, "source": "user"} for sc, _x in blend.parts}
    table = {str(k).strip().lower(): v for k, v in (given or {}).items()}
    known = {sc.key for sc, _ in blend.parts}
    for name in table:
        if name not in known:
            raise ConfigError(f"{key}.{name}", f"scrap class not in the feed ({', '.join(sorted(known))})")
    detail, total = {}, 0.0
    for sc, share in blend.parts:
        if sc.key in table:
            v = _nonneg(table[sc.key], f"{key}.{sc.key}")
            detail[sc.key] = {"value": v, "source": "user"}
        else:
            q = market.scrap_pct_lme(sc.key)
            v = q.value
            detail[sc.key] = q.as_dict()
        total += share * v
    return total, detail


def _user_or_quote(quotes: dict[str, Any], name: str, user: float | None, key: str,
                   fetch: Callable[[], Any]) -> float:
    """A price the user set (checked >= 0) or the cited default quote; records which."""
    if user is not None:
        value = _nonneg(user, key)
        quotes[name] = {"value": value, "source": "user"}
        return value
    q = fetch()
    quotes[name] = q.as_dict()
    return q.value


def resolve_prices(econ: EconomicsSection, blend: Blend) -> tuple[Prices, dict[str, Any]]:
    """Prices from the section and the cited defaults; also returns the quotes used."""
    reg_name, reg = market.region(econ.region)
    quotes: dict[str, Any] = {"region": reg_name}
    lme = _user_or_quote(quotes, "lme", econ.lme_usd_per_t, "economics.lme_usd_per_t",
                         lambda: market.lme(econ.lme_year))
    prem = _user_or_quote(quotes, "premium", econ.premium_usd_per_t,
                          "economics.premium_usd_per_t", lambda: market.premium(reg["premium"]))
    power = _user_or_quote(quotes, "power", econ.power_price_usd_per_mwh,
                           "economics.power_price_usd_per_mwh",
                           lambda: market.power_price(reg["power"]))
    profile = tuple(_nonneg(x, f"economics.power_profile[{i}]")
                    for i, x in enumerate(econ.power_profile or ()))
    if econ.power_profile is not None and not profile:
        raise ConfigError("economics.power_profile", "empty profile")
    scrap_pct, quotes["scrap_pct_lme"] = scrap_price_pct(econ, blend)
    if econ.copper_usd_per_t is not None:
        cu = _nonneg(econ.copper_usd_per_t, "economics.copper_usd_per_t")
    else:
        q = market.copper_price()
        cu, quotes["copper"] = q.value, q.as_dict()
    salt_over = {k: _nonneg(v, f"economics.salt_prices_usd_per_t.{k}")
                 for k, v in econ.salt_prices_usd_per_t.items()}
    op = market.operating()
    if econ.offgrade_discount_pct is not None:
        off = econ.offgrade_discount_pct
    else:
        q = market.offgrade_discount_pct()
        off, quotes["offgrade_discount"] = q.value, q.as_dict()
    res = op["residue"]
    prices = Prices(
        lme_usd_per_t=lme, premium_usd_per_t=prem, offgrade_discount_pct=off,
        scrap_price_pct_lme=scrap_pct, power_price_usd_per_mwh=power, ac_dc_ratio=ef.ac_dc_ratio(),
        copper_usd_per_t=cu, salt_prices_usd_per_t=_SaltPrices(salt_over),
        residue_metal_prices_usd_per_t=market.metal_prices_for_residue(lme, cu),
        residue_discount_pct=_pick(econ.residue_discount_pct, res["discount_pct"]),
        residue_handling_usd_per_t=_pick(econ.residue_handling_usd_per_t, res["handling_usd_per_t"]),
        spent_bath_disposal_usd_per_t=_pick(econ.spent_bath_disposal_usd_per_t,
                                            res["spent_bath_disposal_usd_per_t"]),
        starter_al_price_pct_lme=_pick(econ.starter_al_price_pct_lme,
                                       op["starter_alloy"]["al_price_pct_lme"]),
        power_profile=profile,
    )
    return prices, quotes


class _SaltPrices(dict):
    """Salt prices looked up lazily (user overrides first, then the data table)."""

    def __init__(self, overrides: Mapping[str, float]) -> None:
        super().__init__()
        self._over = dict(overrides)

    def __missing__(self, salt: str) -> float:
        value = market.salt_price(salt, self._over)
        self[salt] = value
        return value


def _pick(value: float | None, default: Any) -> float:
    return float(default) if value is None else float(value)


def resolve_plant(econ: EconomicsSection, fig: CycleFigures) -> tuple[Plant, dict[str, float]]:
    """Plant inputs and the capex breakdown (US$) for the cycle's pot."""
    op = market.operating()
    pots = int(_pick(econ.pots, op["plant"]["pots"]))
    base = Plant(
        pots=pots,
        turnaround_days=_pick(econ.turnaround_days, op["plant"]["turnaround_days"]),
        availability=_pick(econ.availability, op["plant"]["availability"]),
        labour_usd_per_pot_year=_pick(econ.labour_usd_per_pot_year, op["labour"]["usd_per_pot_year"]),
        maintenance_pct_capex=_pick(econ.maintenance_pct_capex, op["maintenance"]["pct_capex_per_year"]),
        lining_life_years=_pick(econ.lining_life_years, op["lining"]["life_years"]),
        lining_rebuild_pct_of_pot_cost=_pick(econ.lining_rebuild_pct_of_pot_cost,
                                             op["lining"]["rebuild_pct_of_pot_cost"]),
        capex_usd=0.0, pots_capex_usd=0.0,
    )
    pot_kw = fig.energy_kwh_dc / (fig.cycle_days * 24.0) if fig.cycle_days > 0 else 0.0
    items = plant_capex(market.capex_items()["item"], pots, fig.current_a, pot_kw,
                        annual_product_t(fig, base))
    total = float(econ.capex_usd) if econ.capex_usd is not None else sum(items.values())
    pots_share = items["pots"] * (total / sum(items.values())) if sum(items.values()) > 0 else 0.0
    return replace(base, capex_usd=total, pots_capex_usd=pots_share), items


def finance(econ: EconomicsSection) -> tuple[float, int, float]:
    f = market.operating()["finance"]
    return (_pick(econ.discount_rate, f["discount_rate"]),
            int(_pick(econ.lifetime_years, f["lifetime_years"])),
            _pick(econ.tax_rate, f["tax_rate"]))


def electricity_choice(fp: FootprintSection, econ: EconomicsSection) -> str | list[float]:
    if fp.electricity is not None:
        return fp.electricity
    _name, reg = market.region(econ.region)
    return str(reg["grid"])


def footprint_inputs(fp: FootprintSection, factor_t_per_mwh: float) -> tuple[FootprintInputs, dict]:
    gwp = ef.gwp_set(fp.gwp)
    prep = ef.process("scrap_preparation")
    melt = ef.process("remelting")
    mat = ef.process("materials")
    tr = ef.process("transport")
    res = ef.process("residue_handling")
    eol = ef.process("end_of_life")
    key, primary = ef.primary_footprint(fp.primary_reference)
    per_scrap = 1.0 / float(prep["scrap_t_per_t_ingot"])
    inp = FootprintInputs(
        electricity_t_per_mwh=factor_t_per_mwh,
        ac_dc_ratio=ef.ac_dc_ratio(),
        gas_t_per_gj=ef.gas_t_co2e_per_gj(gwp),
        prep_electricity_kwh_per_t_scrap=float(prep["electricity_kwh_per_t_ingot"]) * per_scrap,
        prep_gas_gj_per_t_scrap=float(prep["natural_gas_gj_per_t_ingot"]) * per_scrap,
        melt_electricity_kwh_per_t=float(melt["electricity_kwh_per_t_ingot"]),
        melt_gas_gj_per_t=float(melt["natural_gas_gj_per_t_ingot"]),
        copper_t_per_t=float(mat["copper"]),
        fluoride_salt_t_per_t=float(mat["fluoride_salt"]),
        chloride_salt_t_per_t=float(mat["chloride_salt"]),
        transport_km=_pick(fp.transport_km, tr["default_km"]),
        transport_kg_per_t_km=float(tr["kg_co2e_per_t_km"]),
        residue_t_per_t=float(res["residue_t_co2e_per_t"]),
        spent_bath_t_per_t=float(res["spent_bath_t_co2e_per_t"]),
        primary_t_per_t=float(primary["t_co2e_per_t"]),
        eol_recycling_rate=float(eol["recycling_rate"]),
        scrap_burden=fp.scrap_burden,
        residue_allocation=fp.residue_allocation,
        scrap_preparation=fp.scrap_preparation,
    )
    return inp, {"gwp": fp.gwp, "primary_reference": key, "primary_year": primary["year"]}
