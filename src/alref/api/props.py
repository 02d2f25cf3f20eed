"""Services of `alref props electrolyte|alloy` and `alref thermo series`: property queries
(they answer and warn outside a correlation's range; they never refuse a valid input).

Temperatures are quantities (``"800 degC"``, ``"1073 K"``) or numbers in degC, as on the
command line; compositions are wt % mappings. Errors name the CLI options (``--composition``,
``--temperature``, ...), as the CLI contract prints them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from alref.api.results import INTERNAL, Result
from alref.errors import ConfigError
from alref.properties.electrolyte import electrolyte_report, families
from alref.properties.electrolyte_composition import (
    check_temperature,
    resolve_family,
    validate_composition,
)
from alref.thermo.alloy_properties import alloy_properties as alloy_report
from alref.thermo.series import series_report
from alref.units import to_si

#: baths of the electrochemical series
BATHS = ("fluoride", "chloride")


def _kelvin(temperature: str | float, hi_k: float | None = None, why: str = "") -> float:
    t_k = to_si(temperature, "degC", key="--temperature")
    if hi_k is not None and not t_k <= hi_k:
        raise ConfigError("--temperature", f"{temperature!r} is above {hi_k:g} K ({why})")
    return t_k


#: upper ends of the temperatures at which the properties of a liquid are asked (physical,
#: not the correlations' validity, which warns): AlF3 sublimes at 1276 degC at 1 bar (no
#: fluoride bath above), Al boils at 2470 degC (no liquid Al alloy above)
BATH_MAX_K = 1549.15
ALLOY_MAX_K = 2743.15


def _physical(values: Mapping[str, Any], warnings: list[str], what: str) -> None:
    """ConfigError when a correlation, used outside its validity, gives a value no liquid
    can have (a conductivity or density <= 0, an activity above 1, a non-finite number);
    the key is the input whose range the warnings name."""
    bad = [f"{k} = {v:.4g}" for k, v in values.items()
           if not math.isfinite(v) or v <= 0 or (k == "activity_al" and v > 1 + 1e-6)]
    if not bad:
        return
    key = "--temperature" if any("T=" in w for w in warnings) else "--composition"
    outside = f" ({warnings[0]})" if warnings else ""
    raise ConfigError(key, f"outside the range where the {what} correlations hold: they give "
                           f"{', '.join(bad)}{outside}")


@dataclass(frozen=True)
class ElectrolyteProperties(Result):
    """`alref props electrolyte --json`."""

    family: str
    temperature_c: float
    cryolite_ratio: float | None
    conductivity_s_per_cm: float
    density_g_cm3: float
    liquidus_c: float
    heat_capacity_j_per_kg_k: float
    correlations: list[str]
    warnings: list[str]
    assumptions: list[str]
    citations: list[str]
    family_description: str = field(default="", repr=False, compare=False, metadata=INTERNAL)


def electrolyte_properties(composition: Mapping[str, float], temperature: str | float,
                           family: str | None = None) -> ElectrolyteProperties:
    """Conductivity, density, liquidus and heat capacity of a bath (wt % of salts) at a
    temperature; `family` (or alias) overrides the detected electrolyte family."""
    comp = validate_composition(dict(composition), key="--composition")
    t_k = check_temperature(_kelvin(temperature, BATH_MAX_K, "AlF3 sublimes at 1276 degC: "
                                    "no fluoride bath above"), "--temperature")
    fam = resolve_family(family, key="--family") if family is not None else None
    report = electrolyte_report(comp, t_k, fam)
    _physical({k: float(report[k]) for k in ("conductivity_s_per_cm", "density_g_cm3",
                                              "heat_capacity_j_per_kg_k")},
              list(report.get("warnings", [])), "bath")
    return ElectrolyteProperties.from_mapping(
        report, family_description=families()[report["family"]].description)


@dataclass(frozen=True)
class AlloyProperties(Result):
    """`alref props alloy --json`."""

    composition_wt_pct: dict[str, float]
    temperature_c: float
    density_g_cm3: float
    liquidus_c: float
    primary_phase: str
    matrix_liquidus_c: float
    activity_al: float
    e_rev_v: float
    solubility_wt_pct: dict[str, float]
    activity_coefficients: dict[str, float]
    supersaturated: list[str]
    warnings: list[str]
    citations: list[str]
    assumptions: list[str]


def alloy_properties(composition: Mapping[str, float], temperature: str | float) -> AlloyProperties:
    """Density, liquidus (first solid of any phase, with that phase; and the Al-Cu matrix
    liquidus alone), a_Al, E_rev, activity coefficients and impurity solubilities of a
    liquid anode alloy (wt %, Al may be the balance) at a temperature."""
    t_k = _kelvin(temperature, ALLOY_MAX_K, "Al boils at 2470 degC: no liquid Al alloy above")
    if not math.isfinite(t_k) or t_k < THERMO_DATA_MIN_K:
        raise ConfigError("--temperature", f"{t_k - 273.15:.6g} degC is below the "
                          f"{THERMO_DATA_MIN_K - 273.15:g} degC lower end of the "
                          "thermodynamic data (COST 507, NASA/JANAF start at 298.15 K)")
    al = 100.0 - sum(float(v) for k, v in composition.items() if k != "Al")
    if 0.0 <= float(composition.get("Al", al)) <= MIN_AL_WT_PCT:  # (sums > 100: below)
        raise ConfigError("--composition", "the alloy holds no Al: a_Al = 0 has no reversible "
                          f"potential (Al must exceed {MIN_AL_WT_PCT:g} wt %)")
    report = alloy_report(composition, t_k, key="--composition")
    _physical({"density_g_cm3": float(report["density_g_cm3"]),
               "activity_al": float(report["activity_al"])},
              list(report.get("warnings", [])), "alloy")
    return AlloyProperties.from_mapping(report)


#: lowest temperature of alref's thermodynamic data (COST 507 and NASA/JANAF tables start
#: at the standard temperature 298.15 K)
THERMO_DATA_MIN_K = 298.15
#: smallest Al content (wt %) for which a_Al and E_rev are computed (below, ln a_Al is not
#: a number the anode can have: the alloy is no anode for Al)
MIN_AL_WT_PCT = 1e-3


@dataclass(frozen=True)
class ElectrochemicalSeries(Result):
    """`alref thermo series --json`: nobility of metals relative to Al in a bath."""

    temperature_k: float
    temperature_c: float
    bath: str
    reference: str
    series: list[dict[str, Any]]
    warnings: list[str]
    assumptions: list[str]
    citations: list[str]


def electrochemical_series(temperature: str | float = "750 degC", bath: str = "fluoride",
                           elements: Iterable[str] | None = None) -> ElectrochemicalSeries:
    """The electrochemical series relative to Al (pure-substance standard states) in a
    fluoride or chloride bath; `elements` (default: all with data) selects the rows."""
    if bath not in BATHS:
        raise ConfigError("--bath", f"unknown bath {bath!r}; expected fluoride or chloride")
    t_k = _kelvin(temperature)
    if not t_k >= THERMO_DATA_MIN_K:
        raise ConfigError("--temperature", f"{temperature!r} is below the "
                          f"{THERMO_DATA_MIN_K:g} K lower end of the thermodynamic data "
                          "(NASA/JANAF and COST 507 start at 298.15 K)")
    try:
        report = series_report(t_k, bath, list(elements) if elements else None)  # type: ignore[arg-type]
    except ConfigError as exc:
        key = {"temperature": "--temperature", "element": "--elements"}.get(exc.key, exc.key)
        raise ConfigError(key, exc.message) from None
    return ElectrochemicalSeries.from_mapping(report)
