"""Unit handling at the edges: pint parses user quantities, the engine uses SI floats.

`to_si("3 kA", "A", key="cell.current")` -> 3000.0. Bare numbers are read in the
field's *default unit* (given by the caller and documented in the scenario schema),
so `cell.current = 3000` means 3000 A and `cell.temperature = 850` means 850 degC.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pint

from alref.errors import ConfigError

#: SI unit used internally for each physical dimension we accept.
SI_UNITS: dict[str, str] = {
    "[current]": "A",
    "[temperature]": "K",
    "[length]": "m",
    "[mass]": "kg",
    "[time]": "s",
    "[length] ** 2": "m**2",
}


@lru_cache(maxsize=1)
def ureg() -> pint.UnitRegistry:
    """The package's single pint registry (offset units allowed for degC)."""
    reg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    reg.define("day_ = day")
    return reg


def to_si(value: object, default_unit: str, *, key: str, si_unit: str | None = None) -> float:
    """Parse `value` (a number or a string such as "3 kA") and return it in SI units.

    Parameters
    ----------
    value : number or str
        User input. Bare numbers are taken in `default_unit`.
    default_unit : str
        Unit of bare numbers, e.g. "A", "degC", "cm". Also fixes the dimension.
    key : str
        Dotted name of the input, used in error messages.
    si_unit : str, optional
        Target unit; by default the SI unit of `default_unit`'s dimension.

    Strings are parsed once per (text, unit) and remembered: studies and scenario variants
    resolve the same quantity strings many times.
    """
    if isinstance(value, bool):
        raise ConfigError(key, f"expected a quantity in {default_unit}, got a boolean")
    if isinstance(value, str):
        try:
            return _parse_text(value, default_unit, si_unit)
        except _BadQuantity as exc:
            raise ConfigError(key, str(exc)) from None
    if not isinstance(value, int | float):
        raise ConfigError(key, f"expected a quantity such as '1 {default_unit}', got {value!r}")
    linear = _linear_map(default_unit, si_unit)
    if linear is not None and math.isfinite(value):
        scale, offset = linear
        return float(value) * scale + offset
    try:
        return _convert(value, default_unit, si_unit)
    except _BadQuantity as exc:
        raise ConfigError(key, str(exc)) from None


class _BadQuantity(ValueError):
    """A quantity that cannot be read (message without the key)."""


#: longest quantity text read (a quantity is a number and a unit; longer text is not one)
MAX_QUANTITY_CHARS = 100
#: largest exponent written in a quantity (beyond it the number is not finite as a float,
#: and nested exponents such as 10**10**10 would take pint unbounded time)
MAX_EXPONENT = 308
_POWER = re.compile(r"(?:\*\*|\^)\s*\(?\s*([-+]?[0-9]*\.?[0-9]+)")
_NESTED = re.compile(r"(?:\*\*|\^)\s*\(?\s*[-+]?[0-9.]+\s*\)?\s*(?:\*\*|\^)")


def _check_bounded(text: str, default_unit: str) -> None:
    """Refuse, before evaluating it, a quantity text that is too long, nests powers or
    raises to a power beyond float range."""
    if len(text) > MAX_QUANTITY_CHARS:
        raise _BadQuantity(f"quantity text longer than {MAX_QUANTITY_CHARS} characters; "
                           f"expected e.g. '1 {default_unit}'")
    if _NESTED.search(text):
        raise _BadQuantity(f"'{text}': a power of a power is not a quantity")
    for p in _POWER.findall(text):
        if abs(float(p)) > MAX_EXPONENT:
            raise _BadQuantity(f"'{text}': exponent {p} is beyond ±{MAX_EXPONENT}")


#: probe values on which the linear map must reproduce pint exactly before it is used
_PROBES = (0.0, 1.0, -1.0, 0.1, 0.3, 2.5, 7.0 / 3.0, 12.345678901, 299.99, 812.3456789,
           1.0e-7, 3.3e-3, 4.56e4, 6.0221e8, 1.23456789e12)


@lru_cache(maxsize=64)
def _linear_map(default_unit: str, si_unit: str | None) -> tuple[float, float] | None:
    """(scale, offset) with which pint converts bare numbers of `default_unit` (pint
    computes ``x * scale + offset``), or None if that does not reproduce pint exactly on
    the probe values (bare numbers then go through pint)."""
    try:
        offset = _convert(0.0, default_unit, si_unit)
        scale = _convert(1.0, default_unit, si_unit) - offset
        for x in _PROBES:
            if _convert(x, default_unit, si_unit) != x * scale + offset:
                return None
    except _BadQuantity:
        return None
    return scale, offset


@lru_cache(maxsize=1024)
def _parse_text(value: str, default_unit: str, si_unit: str | None) -> float:
    return _convert(value, default_unit, si_unit)


def _convert(value: str | int | float, default_unit: str, si_unit: str | None) -> float:
    reg = ureg()
    target = reg.Unit(si_unit) if si_unit else reg.Quantity(1, default_unit).to_base_units().units
    try:
        if isinstance(value, int | float):
            q = reg.Quantity(float(value), default_unit)
        else:
            text = value.strip()
            if not text:
                raise _BadQuantity(f"empty quantity; expected e.g. '1 {default_unit}'")
            _check_bounded(text, default_unit)
            q = reg.Quantity(text)
            if q.dimensionless and not _is_number(text):
                raise _BadQuantity(f"'{value}' has no unit of {default_unit}'s kind")
            if q.dimensionless:
                q = reg.Quantity(float(q.magnitude), default_unit)
        out = q.to(target).magnitude
    except _BadQuantity:
        raise
    except pint.DimensionalityError:
        raise _BadQuantity(
            f"'{value}' has the wrong unit; expected a quantity like '1 {default_unit}'"
        ) from None
    except Exception as exc:  # pint raises many kinds (tokenizer, syntax, lookup errors)
        raise _BadQuantity(f"cannot parse quantity '{value}' ({exc.__class__.__name__})") from None
    out = float(out)
    if not math.isfinite(out):
        raise _BadQuantity(f"'{value}' is not a finite number")
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def kelvin_to_celsius(t_k: float) -> float:
    """Convert K to degC for reports."""
    return t_k - 273.15


def celsius_to_kelvin(t_c: float) -> float:
    """Convert degC to K."""
    return t_c + 273.15
