"""Pure molten salts: liquid density lines, melting points, liquid heat capacities.

Data: ``alref/data/salts.toml`` (CRC/Janz 1988 density lines, ORNL molar volumes for MgF2,
NASA Glenn TM-4513 melting points and liquid NASA7 heat capacities). Molar masses are
derived from the formula (`alref.materials.elements.formula_molar_mass`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from scipy.constants import R

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError, DataError
from alref.materials.elements import formula_molar_mass

#: Salt models without their own density line.
DENSITY_NEUTRAL = "density_neutral"
PARTIAL_MOLAR_VOLUME = "partial_molar_volume"
DECOMPOSE = "decompose"


@dataclass(frozen=True)
class DensityLine:
    """rho(T) = rho_m - k (T - t_melt) in kg/m3; measured for t_melt <= T <= t_max."""

    rho_m: float
    k: float
    t_melt: float
    t_max: float
    source: str

    def __call__(self, t: float) -> float:
        return self.rho_m - self.k * (t - self.t_melt)


def _num(table: Mapping[str, Any], key: str, where: str) -> float:
    try:
        value = float(table[key])
    except (KeyError, TypeError, ValueError):
        raise DataError(f"salts.toml: {where}.{key} missing or not a number") from None
    if not math.isfinite(value):
        raise DataError(f"salts.toml: {where}.{key} is not finite")
    return value


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    raw = data.load("salts")
    try:
        dens, cp, tm = raw["density"], raw["heat_capacity"], raw["melting_point"]
    except KeyError as exc:
        raise DataError(f"salts.toml: missing table {exc}") from None
    lines: dict[str, DensityLine] = {}
    for name, row in dens.items():
        if not isinstance(row, Mapping):
            continue
        formula_molar_mass(name)  # every salt name must parse
        lines[name] = DensityLine(
            *(_num(row, k, f"density.{name}") for k in ("rho_m", "k", "t_melt", "t_max")),
            source=str(dens["source"]),
        )
    for name, row in raw.get("molar_volume_points", {}).items():
        t, v = row.get("t", []), row.get("v_cm3_per_mol", [])
        if len(t) != 2 or len(v) != 2:
            raise DataError(f"salts.toml: molar_volume_points.{name} needs two points")
        m = formula_molar_mass(name) * 1e3  # g/mol
        rho = [m / vi * 1e3 for vi in v]  # kg/m3
        slope = (rho[0] - rho[1]) / (t[1] - t[0])
        lines[name] = DensityLine(rho[0], slope, float(t[0]), float(t[1]), str(row["source"]))
    special = {name: str(row["model"]) for name, row in raw.get("special", {}).items()}
    for name, model in special.items():
        if model not in (DENSITY_NEUTRAL, PARTIAL_MOLAR_VOLUME, DECOMPOSE):
            raise DataError(f"salts.toml: special.{name}.model {model!r} unknown")
    coeffs: dict[str, tuple[float, ...]] = {}
    for name, row in cp["nasa7"].items():
        if len(row) != 5 or not all(isinstance(c, int | float) for c in row):
            raise DataError(f"salts.toml: heat_capacity.nasa7.{name} needs 5 numbers")
        coeffs[name] = tuple(float(c) for c in row)
    names = set(coeffs)
    if names != set(lines) | set(special):
        odd = names ^ (set(lines) | set(special))
        raise DataError(f"salts.toml: salts without density model or Cp: {odd}")
    melt = {k: _num(tm, k, "melting_point") for k in tm if k not in data.PROVENANCE_KEYS}
    if set(melt) != names:
        raise DataError(f"salts.toml: melting points missing for {names - set(melt)}")
    return {
        "lines": lines,
        "special": special,
        "cp": coeffs,
        "cp_range": (_num(cp, "t_low", "heat_capacity"), _num(cp, "t_high", "heat_capacity")),
        "melt": melt,
        "cp_source": str(cp["source"]),
        "melt_source": str(tm["source"]),
    }


def salt_names() -> tuple[str, ...]:
    """Salts alref knows, sorted."""
    return tuple(sorted(_load()["cp"]))


def check_salt(name: str, *, key: str = "salt") -> str:
    if name not in _load()["cp"]:
        raise ConfigError(key, f"unknown salt {name!r}; known: {', '.join(salt_names())}")
    return name


def molar_mass(name: str) -> float:
    """Molar mass in kg/mol (derived from the formula)."""
    return formula_molar_mass(check_salt(name))


def density_model(name: str) -> str:
    """'line' for salts with a liquid density line, else the special model name."""
    check_salt(name)
    return "line" if name in _load()["lines"] else _load()["special"][name]


def density_line(name: str) -> DensityLine:
    """The pure-liquid density line of a salt (CRC/Janz 1988, MgF2 from ORNL volumes)."""
    try:
        line = _load()["lines"][check_salt(name)]
    except KeyError:
        raise ConfigError("salt", f"{name} has no pure-liquid density line") from None
    return line


def liquid_density(name: str, t: float) -> float:
    """Pure-liquid (or supercooled) density in kg/m3 at T in K."""
    line = density_line(name)
    cite(line.source)
    return line(t)


def molar_volume(name: str, t: float) -> float:
    """Pure-liquid molar volume in m3/mol at T in K."""
    return molar_mass(name) / liquid_density(name, t)


def melting_point(name: str) -> float:
    """Melting point in K (NASA Glenn phase limits)."""
    cite(_load()["melt_source"])
    return _load()["melt"][check_salt(name)]


def liquid_cp_molar(name: str, t: float) -> float:
    """Liquid heat capacity in J/(mol K) from the NASA7 polynomial (extrapolated below t_low)."""
    a = _load()["cp"][check_salt(name)]
    cite(_load()["cp_source"])
    return R * (a[0] + t * (a[1] + t * (a[2] + t * (a[3] + t * a[4]))))


def liquid_cp_mass(name: str, t: float) -> float:
    """Liquid heat capacity in J/(kg K)."""
    return liquid_cp_molar(name, t) / molar_mass(name)


def cp_validity() -> tuple[float, float]:
    """Temperature range (K) of the NASA liquid heat-capacity polynomials."""
    return _load()["cp_range"]


def decompose(comp: Mapping[str, float]) -> dict[str, float]:
    """Replace compound salts (Na3AlF6) by their simple components, mass-conserving (wt %)."""
    out: dict[str, float] = {}
    for name, w in comp.items():
        if density_model(name) == DECOMPOSE:
            note_assumption(f"{name} decomposed into simple fluorides")
            parts = _decomposition(name)
            for part, frac in parts.items():
                out[part] = out.get(part, 0.0) + w * frac
        else:
            out[name] = out.get(name, 0.0) + w
    return out


@lru_cache(maxsize=8)
def _decomposition(name: str) -> dict[str, float]:
    """Mass fractions of the simple salts in a compound salt (only Na3AlF6 = 3 NaF + AlF3)."""
    if name != "Na3AlF6":
        raise DataError(f"no decomposition known for {name}")
    m_naf, m_alf3 = 3 * molar_mass("NaF"), molar_mass("AlF3")
    total = m_naf + m_alf3
    return {"NaF": m_naf / total, "AlF3": m_alf3 / total}
