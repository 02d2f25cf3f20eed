"""Shared helpers of the electrolyte correlation modules (validity tables, display)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alref.data import PROVENANCE_KEYS

KELVIN = 273.15  # degC -> K offset
S_PER_CM = 100.0  # S/cm -> S/m
G_CM3 = 1000.0  # g/cm3 -> kg/m3


def validity_from(*tables: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Collect [lo, hi] pairs from TOML tables; keys ending in `_C` become `T` in K."""
    out: dict[str, tuple[float, float]] = {}
    for table in tables:
        for key, value in table.items():
            if key in PROVENANCE_KEYS or not isinstance(value, list) or len(value) != 2:
                continue
            if not all(isinstance(v, int | float) for v in value):
                continue
            lo, hi = float(value[0]), float(value[1])
            if key == "t_C":
                out["T"] = (lo + KELVIN, hi + KELVIN)
            else:
                out[key] = (lo, hi)
    return out


def _deg_c(t: float) -> str:
    return f"{t - KELVIN:.0f} degC"


def _wt(x: float) -> str:
    return f"{x:.3g} wt%"


def display_for(validity: Mapping[str, Any]) -> dict[str, Callable[[float], str]]:
    """Readable formats for warnings: T in degC, compositions in wt %, ratios plain."""
    out: dict[str, Callable[[float], str]] = {}
    for key in validity:
        if key == "T":
            out[key] = _deg_c
        elif key[:1].isupper() and key not in ("CR", "BWR"):
            out[key] = _wt
    return out


def check_schema(raw: Mapping[str, Any], schema: Mapping[str, tuple[str, ...]], name: str) -> None:
    """Raise DataError unless every `table.key` in `schema` is a number or a list of numbers.

    `schema` maps dotted table paths (e.g. "ba_fluoride.points") to required keys.
    """
    from alref.errors import DataError

    for path, keys in schema.items():
        table: Any = raw
        for part in path.split("."):
            if not isinstance(table, Mapping) or part not in table:
                raise DataError(f"{name}.toml: missing table [{path}]")
            table = table[part]
        for key in keys:
            value = table.get(key) if isinstance(table, Mapping) else None
            items = value if isinstance(value, list) else [value]
            if not items or not all(isinstance(v, int | float) and not isinstance(v, bool)
                                    for v in items):
                raise DataError(f"{name}.toml: [{path}] {key} missing or not numeric")
