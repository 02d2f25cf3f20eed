"""Heat capacities and enthalpies of scrap metal, its oxide and moisture.

Molar data (NASA Glenn polynomials, McBride et al. 1993; NIST-JANAF Shomate fits, Chase
1998; SGTE unary functions, Dinsdale 1991) live in ``data/metals_thermal.toml`` with a
locator per species; this module turns them into specific (per kg) quantities relative to
the stable element at 298.15 K.

Lining-material lookups (`lining_material`, `materials`, `electrical_resistivity`) are
re-exported from :mod:`alref.properties.lining` so that callers find all thermal
properties here.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError
from alref.materials.elements import formula_molar_mass, molar_mass
from alref.properties._polynomials import Segment, build_segments, pick
from alref.properties.broadcast import broadcasts
from alref.properties.lining import (  # noqa: F401  (re-exported public API)
    Material,
    electrical_resistivity,
    lining_material,
    materials,
)
from alref.properties.registry import RangeWarning

T_REF = 298.15  # K, reference temperature of the enthalpy scale
EXTRAPOLATION_SLACK_K = 5.0  # silent tolerance at the ends of a source's temperature range

_OXIDE_KEYS = frozenset({"Al2O3", "oxide"})
_WATER_KEYS = frozenset({"H2O", "moisture"})
_ORGANIC_KEYS = frozenset({"organics", "organic"})


@dataclass(frozen=True)
class Species:
    """Thermal data of one element or compound."""

    name: str
    molar_mass: float  # kg/mol
    solid: tuple[Segment, ...]
    liquid: tuple[Segment, ...]
    gas: tuple[Segment, ...]
    T_melt: float | None
    cp_liquid_const: float | None
    sources: tuple[str, ...]


def _sources_of(table: Mapping) -> tuple[str, ...]:
    keys = {table.get("source", "")}
    for phase in ("solid", "liquid", "gas"):
        keys |= {row.get("source", "") for row in table.get(phase, [])}
    return tuple(sorted(k for k in keys if k))


@lru_cache(maxsize=1)
def _species() -> dict[str, Species]:
    raw = data.load("metals_thermal")
    out: dict[str, Species] = {}
    for kind in ("element", "compound"):
        for name, table in raw[kind].items():
            where = f"metals_thermal:{kind}.{name}"
            M = molar_mass(name) if kind == "element" else formula_molar_mass(table["formula"])
            out[name] = Species(
                name=name,
                molar_mass=M,
                solid=build_segments(table.get("solid", []), where + ".solid"),
                liquid=build_segments(table.get("liquid", []), where + ".liquid"),
                gas=build_segments(table.get("gas", []), where + ".gas"),
                T_melt=float(table["T_melt"]) if "T_melt" in table else None,
                cp_liquid_const=float(table["cp_liquid"]) if "cp_liquid" in table else None,
                sources=_sources_of(table),
            )
    return out


def elements() -> frozenset[str]:
    """Elements with heat-capacity data."""
    return frozenset(n for n, s in _species().items() if s.T_melt is not None)


def _get(name: str, key: str) -> Species:
    sp = _species().get(name)
    if sp is None:
        raise ConfigError(key, f"no heat-capacity data for {name!r}")
    cite(*sp.sources)
    return sp


def _eval(segments: tuple[Segment, ...], T: float, what: str, quantity: str) -> float:
    seg, outside = pick(segments, T)
    # a few kelvin beyond a table end (e.g. 298.15 K against a 300 K lower bound) is
    # rounding of the source's range, not an extrapolation worth a warning
    slack = EXTRAPOLATION_SLACK_K
    if outside and not (segments[0].T_min - slack <= T <= segments[-1].T_max + slack):
        warnings.warn(
            f"{what}: T={T:g} K outside data range [{segments[0].T_min:g}, "
            f"{segments[-1].T_max:g}] K, extrapolated",
            RangeWarning,
            stacklevel=3,
        )
    return seg.h(T) if quantity == "h" else seg.cp(T)


def _check_T(T: float, key: str) -> float:
    T = float(T)
    if not T > 0.0:
        raise ConfigError(key, f"temperature must be positive in K, got {T!r}")
    return T


def _stable_molar_h(sp: Species, T: float) -> float:
    """Molar enthalpy of the stable condensed phase (solid below T_melt, liquid above)."""
    if sp.T_melt is not None and sp.T_melt < T:
        if not sp.liquid:
            raise ConfigError(
                "temperature", f"no liquid enthalpy data for {sp.name} above {sp.T_melt:g} K"
            )
        return _eval(sp.liquid, T, f"{sp.name}(liquid)", "h")
    return _eval(sp.solid, T, f"{sp.name}(solid)", "h")


@broadcasts("T")
def enthalpy_element(element: str, T: float) -> float:
    """Specific enthalpy of an element, J/kg, relative to its stable state at 298.15 K.

    Includes the transformation and fusion enthalpies of the pure element when T lies
    above them (they appear as steps between the source's phase polynomials).
    """
    T = _check_T(T, "temperature")
    sp = _get(element, f"composition.{element}")
    if sp.T_melt is None:
        raise ConfigError(f"composition.{element}", f"{element!r} is not an element")
    h = _stable_molar_h(sp, T) - _stable_molar_h(sp, T_REF)
    return h / sp.molar_mass


def _weights(comp_wt: Mapping[str, float], key: str) -> dict[str, float]:
    total = 0.0
    out = {}
    for el, w in comp_wt.items():
        w = float(w)
        if w < 0.0:
            raise ConfigError(f"{key}.{el}", f"negative mass fraction {w!r}")
        if el not in elements():
            raise ConfigError(f"{key}.{el}", f"no heat-capacity data for element {el!r}")
        out[el] = w
        total += w
    if total <= 0.0:
        raise ConfigError(key, "composition is empty")
    return {el: w / total for el, w in out.items() if w > 0.0}


@broadcasts("T_from", "T_to")
def enthalpy_heat_and_melt(comp_wt: Mapping[str, float], T_from: float, T_to: float) -> float:
    """Enthalpy, J per kg of metal, to take scrap metal from T_from to (liquid at) T_to.

    Mass-weighted sum of the pure-element enthalpies (wt % are normalised to their sum);
    each element is taken in its own stable state at T_to, so a solute far below its own
    melting point (Fe, Mn, Ni, Cr, Ti, Si at 1000 K) counts as solid.

    The heat of dissolving the alloying elements in liquid Al is neglected. From the COST
    507 liquid Redlich-Kister enthalpy terms (domain-physics §5.3) the partial enthalpies
    at infinite dilution in liquid Al are about -33 kJ/mol Cu, -98 kJ/mol Fe and
    -13 kJ/mol Si (liquid references); with the fusion enthalpies of the solid solutes
    this is about -0.3 (Cu), -1.5 (Fe) and +1.3 (Si) kJ per kg of scrap per wt %, i.e.
    within about ±2 % of the ~1.17 MJ/kg needed for scrap with a few wt % of alloying
    elements [C, estimate]. Pure Al from 25 °C to 750 °C gives 0.326 kWh/kg
    (domain-physics §1).
    """
    T_from = _check_T(T_from, "T_from")
    T_to = _check_T(T_to, "T_to")
    w = _weights(comp_wt, "composition")
    return sum(
        frac * (enthalpy_element(el, T_to) - enthalpy_element(el, T_from))
        for el, frac in w.items()
    )


def _compound_h(name: str, phase: str, T: float) -> float:
    """Specific enthalpy of a compound phase on its source's formation scale, J/kg."""
    sp = _get(name, name)
    segments = getattr(sp, phase)
    return _eval(segments, T, f"{name}({phase})", "h") / sp.molar_mass


@broadcasts("T_from", "T_to")
def enthalpy_oxide(T_from: float, T_to: float) -> float:
    """Enthalpy to heat alpha-alumina from T_from to T_to, J/kg (NASA AL2O3(a))."""
    return _compound_h("Al2O3", "solid", T_to) - _compound_h("Al2O3", "solid", T_from)


@broadcasts("T_from", "T_to")
def enthalpy_moisture(T_from: float, T_to: float) -> float:
    """Enthalpy to heat liquid water from T_from, evaporate it and heat the vapour to T_to.

    J per kg of water; vapour assumed to leave at T_to (the cell temperature), an upper
    bound of the off-gas loss. The exothermic reaction of water with hot Al is neglected.
    """
    return _compound_h("H2O", "gas", T_to) - _compound_h("H2O", "liquid", T_from)


@broadcasts("T_from", "T_to")
def enthalpy_scrap_charge(
    metal_comp_wt: Mapping[str, float],
    nonmetallic_wt_pct: Mapping[str, float],
    T_from: float,
    T_to: float,
) -> float:
    """Enthalpy to bring one kg of charged scrap from T_from to T_to, J/kg of scrap.

    ``nonmetallic_wt_pct`` gives wt % of the scrap as charged: ``Al2O3``/``oxide`` (heated
    as alpha-alumina), ``H2O``/``moisture`` (heated, evaporated, vapour leaves at T_to),
    ``organics`` (assumption: coatings and oils burn off in the forehearth/charging well
    and their heat leaves with the off-gas, net contribution 0). The metal is the rest.
    """
    T_from = _check_T(T_from, "T_from")
    T_to = _check_T(T_to, "T_to")
    fracs = {"oxide": 0.0, "water": 0.0, "organic": 0.0}
    for key, val in nonmetallic_wt_pct.items():
        v = float(val)
        if v < 0.0:
            raise ConfigError(f"nonmetallic.{key}", f"negative wt % {v!r}")
        if key in _OXIDE_KEYS:
            fracs["oxide"] += v / 100.0
        elif key in _WATER_KEYS:
            fracs["water"] += v / 100.0
        elif key in _ORGANIC_KEYS:
            fracs["organic"] += v / 100.0
        else:
            raise ConfigError(
                f"nonmetallic.{key}", "expected Al2O3/oxide, H2O/moisture or organics"
            )
    metal = 1.0 - sum(fracs.values())
    if metal < 0.0:
        raise ConfigError("nonmetallic", "non-metallic fractions exceed 100 wt %")
    if fracs["organic"] > 0.0:
        note_assumption("organics burn off with zero net heat to the cell")
    h = metal * enthalpy_heat_and_melt(metal_comp_wt, T_from, T_to) if metal > 0 else 0.0
    if fracs["oxide"] > 0.0:
        h += fracs["oxide"] * enthalpy_oxide(T_from, T_to)
    if fracs["water"] > 0.0:
        h += fracs["water"] * enthalpy_moisture(T_from, T_to)
    return h


@broadcasts("T")
def cp_solid_metal(element: str, T: float) -> float:
    """Heat capacity of the pure solid element, J/kg/K (T at or below its melting point)."""
    T = _check_T(T, "temperature")
    sp = _get(element, f"composition.{element}")
    if sp.T_melt is None or sp.T_melt < T:
        raise ConfigError("temperature", f"{element} is not solid at {T:g} K")
    return _eval(sp.solid, T, f"{element}(solid)", "cp") / sp.molar_mass


@broadcasts("T")
def cp_liquid_element(element: str, T: float) -> float:
    """Heat capacity of the (possibly supercooled) liquid element, J/kg/K."""
    T = _check_T(T, "temperature")
    sp = _get(element, f"composition.{element}")
    if sp.liquid:
        return _eval(sp.liquid, T, f"{element}(liquid)", "cp") / sp.molar_mass
    if sp.cp_liquid_const is not None:
        return sp.cp_liquid_const / sp.molar_mass
    raise ConfigError(f"composition.{element}", f"no liquid heat capacity for {element!r}")


@broadcasts("T")
def cp_liquid_metal(comp_wt: Mapping[str, float], T: float) -> float:
    """Heat capacity of a liquid alloy, J/kg/K: mass-weighted liquid Cp (Neumann-Kopp).

    Solutes below their own melting point enter with their supercooled-liquid Cp (the
    source's liquid polynomial extrapolated; these are constant for most metals).
    """
    w = _weights(comp_wt, "composition")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        return sum(frac * cp_liquid_element(el, T) for el, frac in w.items())


def fusion_enthalpy(element: str) -> float | None:
    """Molar enthalpy of fusion (J/mol) at the element's melting point: the step between
    its liquid and solid segments at `T_melt`; None where the data file has no separate
    liquid description (e.g. Mn, whose liquid continues the solid's enthalpy)."""
    sp = _species().get(element)
    if sp is None or sp.T_melt is None or not sp.solid or not sp.liquid:
        return None
    cite(*sp.sources)
    tm = sp.T_melt
    solid = next((s for s in sp.solid if s.T_min <= tm <= s.T_max + EXTRAPOLATION_SLACK_K),
                 sp.solid[-1])
    liquid = next((s for s in sp.liquid if s.T_min - EXTRAPOLATION_SLACK_K <= tm <= s.T_max),
                  sp.liquid[0])
    return liquid.h(tm) - solid.h(tm)


def melting_point(element: str) -> float | None:
    """Melting point (K) of an element in the data file, None if it has none."""
    sp = _species().get(element)
    return None if sp is None else sp.T_melt
