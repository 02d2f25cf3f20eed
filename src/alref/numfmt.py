"""The one number formatter of alref's human output (CLI tables, HTML reports, workbooks).

Rules (display choices, not physics):

- money (keys ending ``_usd``, ``_usd_per_t``, ...): thousands separators, no decimals from
  100 up, two below (``-35,900,000``, ``412``, ``3.59``);
- KPIs: fixed decimals chosen by the unit of the key (``cycle_days`` 1, ``energy_kwh_per_kg``
  2, ``*_wt_pct`` 3, fractions and efficiencies 3, voltages 3, masses 1 with separators);
- any other float: thousands separators from 1,000 up, four significant digits below, and
  scientific notation only for magnitudes under 1e-3;
- None and NaN print as ``–``; booleans as ``yes``/``no``.

`label(key)` turns a snake_case JSON key with its unit suffix into a header with the unit
in brackets: ``energy_kwh_per_kg`` -> ``energy [kWh/kg]``; every table header shows units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

#: unit suffix of a JSON key -> (unit shown in headers, fixed decimals; None = generic).
#: Longest suffixes first so ``_usd_per_t`` wins over ``_t``.
UNITS: tuple[tuple[str, str, int | None], ...] = (
    ("_t_co2e_per_t", "t CO2e/t", 3),
    ("_kg_co2e_per_kg", "kg CO2e/kg", 3),
    ("_usd_per_t", "USD/t", -1),
    ("_usd_per_kg", "USD/kg", -1),
    ("_usd_per_kwh", "USD/kWh", 4),
    ("_usd_per_year", "USD/yr", -1),
    ("_usd", "USD", -1),
    ("_kwh_per_kg", "kWh/kg", 2),
    ("_mwh_per_t", "MWh/t", 2),
    ("_kg_per_day", "kg/d", 1),
    ("_t_per_year", "t/yr", 0),
    ("_a_cm2", "A/cm²", 3),
    ("_g_cm3", "g/cm³", 3),
    ("_s_per_cm", "S/cm", 3),
    ("_wt_pct", "wt %", 3),
    ("_pct", "%", 2),
    ("_days", "d", 1),
    ("_kwh", "kWh", 0),
    ("_kw", "kW", 2),
    ("_kg", "kg", 1),
    ("_t", "t", 2),
    ("_cm", "cm", 2),
    ("_mm", "mm", 1),
    ("_m", "m", 3),
    ("_v", "V", 3),
    ("_a", "A", 0),
    ("_c", "°C", 1),
    ("_k", "K", 1),
    ("_s", "s", 1),
    ("_h", "h", 2),
    ("_fraction", "-", 3),
)
#: keys without a unit suffix that are dimensionless ratios (3 decimals)
DIMENSIONLESS = ("efficiency", "irr", "ratio", "error", "share", "cr")
DASH = "–"
MONEY = -1  # marker in UNITS: money rules


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def money(value: Any) -> str:
    """``-35,900,000`` from 100 up, ``3.59`` below; ``–`` for None/NaN."""
    x = _finite(value)
    if x is None:
        return DASH
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def fixed(value: Any, decimals: int) -> str:
    """Fixed decimals with thousands separators; ``–`` for None/NaN."""
    x = _finite(value)
    if x is None:
        return DASH
    text = f"{x:,.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text.replace(",", "")) == 0 else text


def number(value: Any) -> str:
    """A float without a known unit: separators from 1,000 up, 4 significant digits below,
    scientific only under 1e-3 (and for exact zero ``0``)."""
    x = _finite(value)
    if x is None:
        return DASH
    ax = abs(x)
    if ax == 0:
        return "0"
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 1e-3:
        return f"{x:.4g}"
    return f"{x:.3e}"


def unit_of(key: str) -> tuple[str, int | None]:
    """(unit, decimals) of a JSON key from its suffix; ("", None) if it has none."""
    k = key.lower()
    for suffix, unit, decimals in UNITS:
        if k.endswith(suffix):
            return unit, decimals
    if any(k.endswith(w) or k == w for w in DIMENSIONLESS):
        return "-", 3
    return "", None


def label(key: str) -> str:
    """``energy_kwh_per_kg`` -> ``energy [kWh/kg]`` (the key without its unit suffix, spaces
    for underscores, the unit in brackets; ``[-]`` for dimensionless ratios)."""
    k = key
    for suffix, unit, _d in UNITS:
        if k.lower().endswith(suffix) and len(k) > len(suffix):
            return f"{k[: -len(suffix)].replace('_', ' ')} [{unit}]"
    unit, _d = unit_of(key)
    return f"{k.replace('_', ' ')} [{unit}]" if unit else k.replace("_", " ")


def value(value: Any, key: str = "", decimals: int | None = None) -> str:
    """Text of `value` for the column or row named `key` (its unit picks the rule)."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and decimals is None and not key:
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={globals()['value'](v, key)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(globals()["value"](v, key) for v in value)
    if _finite(value) is None:
        return DASH if isinstance(value, float) or hasattr(value, "item") else str(value)
    if decimals is not None:
        return fixed(value, decimals)
    _unit, d = unit_of(key) if key else ("", None)
    if d == MONEY:
        return money(value)
    if d is not None:
        x = float(value)
        # a fixed number of decimals must not print a small nonzero value as 0.000
        if x != 0 and abs(x) < 10 ** (-d):
            return number(x)
        return fixed(x, d)
    return number(value)
