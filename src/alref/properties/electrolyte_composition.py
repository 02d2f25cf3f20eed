"""Electrolyte families, composition validation and composition measures (CR, excess AlF3).

Families and their default compositions are cited data in ``alref/data/electrolytes.toml``.
Compositions are wt % of salts (``{"NaF": 40, "AlF3": 60}``); cryolite (Na3AlF6) is counted
as 3 NaF + AlF3 by mass for every measure below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from alref import data
from alref.errors import ConfigError, DataError
from alref.materials import salts

SUM_TOLERANCE = 0.5  # wt %, the accepted deviation of a composition's sum from 100
#: Alkali fluorides that form hexafluoroaluminates (M3AlF6) in each family's CR.
CR_CATIONS = {
    "cryolite": ("NaF",),
    "kf_alf3": ("KF", "NaF"),
    "lif_alf3": ("LiF", "NaF"),
    "ba_fluoride": ("NaF",),
    "chloride_fluoride": ("NaF",),
}


@dataclass(frozen=True)
class Family:
    """An electrolyte family: name, default composition (wt %), allowed salts, sources."""

    name: str
    default_composition: Mapping[str, float]
    allowed_components: tuple[str, ...]
    description: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _families() -> dict[str, Family]:
    raw = data.load("electrolytes")
    out: dict[str, Family] = {}
    known = set(salts.salt_names())
    for name, row in raw.get("families", {}).items():
        try:
            default = {k: float(v) for k, v in row["default"].items()
                       if k not in data.PROVENANCE_KEYS}
            allowed = tuple(str(s) for s in row["allowed"])
            fam = Family(name, default, allowed, str(row["description"]),
                         tuple(str(s) for s in row["sources"]),
                         tuple(str(a) for a in row.get("aliases", ())))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"electrolytes.toml: family {name!r} malformed ({exc})") from None
        if name not in CR_CATIONS:
            raise DataError(f"electrolytes.toml: family {name!r} has no property models in alref")
        bad = (set(allowed) | set(default)) - known
        if bad:
            raise DataError(f"electrolytes.toml: family {name!r} names unknown salts {sorted(bad)}")
        if not set(default) <= set(allowed):
            raise DataError(f"electrolytes.toml: family {name!r} default uses salts it lacks")
        if abs(sum(default.values()) - 100.0) > SUM_TOLERANCE:
            total = sum(default.values())
            raise DataError(f"electrolytes.toml: family {name!r} default sums to {total}")
        out[name] = fam
    if set(out) != set(CR_CATIONS):
        raise DataError(f"electrolytes.toml: families missing: {set(CR_CATIONS) - set(out)}")
    return out


def families() -> dict[str, Family]:
    """All electrolyte families, by canonical name."""
    return dict(_families())


def resolve_family(name: str, key: str = "electrolyte.family") -> str:
    """Canonical family name for a name or alias; ConfigError naming `key` otherwise."""
    fams = _families()
    wanted = name.strip().lower().replace("-", "_")
    for fam in fams.values():
        if wanted == fam.name or wanted in fam.aliases:
            return fam.name
    raise ConfigError(key, f"unknown electrolyte family {name!r}; known: {', '.join(sorted(fams))}")


def validate_composition(
    comp: Mapping[str, float], key: str = "electrolyte.composition"
) -> dict[str, float]:
    """Check a salt composition in wt %; return it as a plain dict of floats.

    Raises `ConfigError` naming ``key.<Salt>`` for unknown salts, non-numbers, negative or
    non-finite values, and naming ``key`` when the sum is not 100 +- 0.5.
    """
    if not isinstance(comp, Mapping) or not comp:
        raise ConfigError(key, "expected a non-empty table of salt = wt %")
    known = set(salts.salt_names())
    out: dict[str, float] = {}
    for name, value in comp.items():
        sub = f"{key}.{name}"
        if name not in known:
            raise ConfigError(sub, f"unknown salt {name!r}; known: {', '.join(sorted(known))}")
        if isinstance(value, bool):
            raise ConfigError(sub, "expected a number (wt %)")
        try:
            w = float(value)
        except (TypeError, ValueError):
            raise ConfigError(sub, f"{value!r} is not a number") from None
        if not math.isfinite(w):
            raise ConfigError(sub, "not a finite number")
        if w < 0:
            raise ConfigError(sub, f"negative amount {w:g} wt %")
        out[name] = w
    total = sum(out.values())
    if abs(total - 100.0) > SUM_TOLERANCE:
        raise ConfigError(key, f"salts sum to {total:g} wt %, expected 100 +- {SUM_TOLERANCE:g}")
    return out


@lru_cache(maxsize=1)
def _nacl_max_cryolite() -> float:
    return float(data.load("electrolytes")["identification"]["nacl_max_cryolite"])


def family_of(comp: Mapping[str, float]) -> str:
    """Identify the family from the salts present (explicit `family=` overrides this).

    Barium chloride or other chlorides (or NaCl above the cryolite-equation limit) ->
    chloride_fluoride; BaF2/SrF2 -> ba_fluoride; KF or LiF outnumbering NaF (moles) ->
    kf_alf3 / lif_alf3; otherwise cryolite.
    """
    w = salts.decompose({k: v for k, v in comp.items() if v > 0})
    chlorides = {s for s in w if s.endswith("Cl") or "Cl2" in s} - {"NaCl"}
    if chlorides or w.get("NaCl", 0.0) > _nacl_max_cryolite():
        return "chloride_fluoride"
    if w.get("BaF2", 0.0) > 0 or w.get("SrF2", 0.0) > 0:
        return "ba_fluoride"
    n = moles(w)
    na, k, li = n.get("NaF", 0.0), n.get("KF", 0.0), n.get("LiF", 0.0)
    if k > na and k >= li:
        return "kf_alf3"
    if li > na and li > k:
        return "lif_alf3"
    return "cryolite"


def prepare(comp: Mapping[str, float], family: str | None = None,
            key: str = "electrolyte.composition") -> tuple[str, dict[str, float]]:
    """Validate, pick the family and check its allowed salts; return (family, wt % dict)."""
    w = validate_composition(comp, key)
    fam = resolve_family(family) if family is not None else family_of(w)
    allowed = set(_families()[fam].allowed_components)
    for name, value in w.items():
        if value > 0 and name not in allowed:
            raise ConfigError(f"{key}.{name}", f"{name} is not a component of the {fam} family")
    return fam, w


def check_temperature(T: float, key: str = "electrolyte.temperature") -> float:
    """A finite absolute temperature in K (> 0), else ConfigError naming `key`."""
    try:
        t = float(T)
    except (TypeError, ValueError):
        raise ConfigError(key, f"{T!r} is not a temperature in K") from None
    if not math.isfinite(t) or t <= 0:
        raise ConfigError(key, f"{T!r} K is not a positive finite absolute temperature")
    return t


def moles(w: Mapping[str, float]) -> dict[str, float]:
    """Moles per 100 g of bath for a wt % composition."""
    return {s: v / 1000.0 / salts.molar_mass(s) for s, v in w.items()}


def cryolite_ratio(comp: Mapping[str, float], family: str | None = None) -> float:
    """Molar ratio (alkali fluoride)/AlF3, the cryolite ratio CR (3 for M3AlF6).

    NaF only for cryolite, Ba-fluoride and chloride-fluoride baths (KF and LiF are then
    additives, as in Solheim 1996 and Hives 1996); KF + NaF for kf_alf3; LiF + NaF for
    lif_alf3. Returns inf for a bath without AlF3.
    """
    fam = resolve_family(family) if family is not None else family_of(comp)
    n = moles(salts.decompose(comp))
    alkali = sum(n.get(s, 0.0) for s in CR_CATIONS[fam])
    alf3 = n.get("AlF3", 0.0)
    return alkali / alf3 if alf3 > 0 else math.inf


def total_cryolite_ratio(comp: Mapping[str, float]) -> float:
    """(NaF + KF + LiF)/AlF3 molar: all alkali fluorides that complex AlF3 (density model)."""
    n = moles(salts.decompose(comp))
    alf3 = n.get("AlF3", 0.0)
    return sum(n.get(s, 0.0) for s in ("NaF", "KF", "LiF")) / alf3 if alf3 > 0 else math.inf


def excess_alf3(comp: Mapping[str, float], cation: str = "NaF") -> float:
    """Excess AlF3 in wt % of the bath over the hexafluoroaluminate 3 MF.AlF3 (may be < 0)."""
    w = salts.decompose(comp)
    bound = w.get(cation, 0.0) * salts.molar_mass("AlF3") / (3.0 * salts.molar_mass(cation))
    return w.get("AlF3", 0.0) - bound


def mole_fractions_cryolite_basis(comp: Mapping[str, float]) -> dict[str, float]:
    """Mole fractions with Na3AlF6 as one species (Hives 1993 basis); NaF/AlF3 beyond
    cryolite stoichiometry appear as excess species."""
    w = salts.decompose(comp)
    n = moles(w)
    naf, alf3 = n.pop("NaF", 0.0), n.pop("AlF3", 0.0)
    cryo = min(naf / 3.0, alf3)
    species = dict(n)
    species["Na3AlF6"] = cryo
    species["NaF_excess"] = naf - 3.0 * cryo
    species["AlF3_excess"] = alf3 - cryo
    total = sum(species.values())
    return {k: v / total for k, v in species.items()} if total > 0 else species
