"""Unit handling at the edges: pint parses user quantities, the engine uses SI floats.

`to_si("3 kA", "A", key="cell.current")` -> 3000.0. Bare numbers are read in the
field's *default unit* (given by the caller and documented in the scenario schema),
so `cell.current = 3000` means 3000 A and `cell.temperature = 850` means 850 degC.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

import pint
from pydantic import BaseModel, Field, model_validator

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


#: units whose bare numbers are absolute temperatures (a temperature difference is refused)
ABSOLUTE_TEMPERATURE_UNITS = ("degC", "degF", "degree_Celsius", "degree_Fahrenheit")
TemperatureKind = Literal["absolute", "difference"]


def to_si(value: object, default_unit: str, *, key: str, si_unit: str | None = None,
          temperature: TemperatureKind | None = None) -> float:
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

    temperature : "absolute" or "difference", optional
        An absolute temperature refuses a temperature difference (``"800 delta_degC"``) and
        a difference (a superheat, a margin) refuses an absolute temperature with an offset
        unit (``"20 degC"``); by default a field in degC/degF is absolute. Kelvin serves
        both.

    Strings are parsed once per (text, unit) and remembered: studies and scenario variants
    resolve the same quantity strings many times.
    """
    if temperature is None and default_unit in ABSOLUTE_TEMPERATURE_UNITS:
        temperature = "absolute"
    if isinstance(value, bool):
        raise ConfigError(key, f"expected a quantity in {default_unit}, got a boolean")
    if isinstance(value, str):
        try:
            if temperature is not None:
                _check_temperature_kind(value, temperature)
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


@lru_cache(maxsize=1024)
def _check_temperature_kind(text: str, kind: TemperatureKind) -> None:
    """Refuse a temperature difference where an absolute temperature is wanted and an
    offset (absolute) unit where a difference is wanted."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_QUANTITY_CHARS:
        return  # the parser gives the message
    try:
        _check_bounded(stripped, "K")
        units = ureg().Quantity(stripped).units
    except Exception:  # the parser gives the message
        return
    names = [str(u) for u in getattr(units, "_units", {})]
    if kind == "absolute" and any(n.startswith("delta_") for n in names):
        raise _BadQuantity(f"'{text}' is a temperature difference; expected a temperature "
                           "such as '800 degC' or '1073 K'")
    if kind == "difference" and any(not ureg()._units[n].is_multiplicative for n in names):
        raise _BadQuantity(f"'{text}' is an absolute temperature; expected a temperature "
                           "difference such as '20 K' or '20 delta_degC'")


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


# ---------------------------------------------------------------------- schema quantity fields
def quantity(unit: str, description: str, *, lo: str | None = None, hi: str | None = None,
             lo_open: bool = False, hi_open: bool = False, why: str = "",
             temperature: TemperatureKind | None = None, **kwargs: Any) -> Any:
    """A quantity field of a schema: a number in `unit` or a string with its own unit
    (pint), with its physical range declared once, here.

    `lo` / `hi` are quantity texts (``"0 A"``, ``"660 degC"``), closed unless `lo_open` /
    `hi_open`; `why` says where the range comes from. A model deriving from
    `QuantityModel` checks every such field on validation (ConfigError naming the key,
    the value and the range); ranges of correlations are narrower and warn (RangeWarning)
    where they are used. `temperature` marks an absolute temperature or a difference
    (`to_si`).
    """
    extra: dict[str, Any] = {"unit": unit}
    if lo is not None or hi is not None:
        extra["range"] = [lo, hi, lo_open, hi_open, why]
    if temperature is not None:
        extra["temperature"] = temperature
    return Field(description=description, json_schema_extra=extra, **kwargs)


def field_si(value: Any, extra: Mapping[str, Any], key: str) -> float:
    """`value` of a quantity field (its ``json_schema_extra``) in SI, inside its range."""
    unit = str(extra["unit"])
    kind = extra.get("temperature")
    si = to_si(value, unit, key=key, temperature=kind)
    rng = extra.get("range")
    if rng is not None:
        check_range(si, value, unit, key, *rng, temperature=kind)
    return si


def check_range(si: float, value: Any, unit: str, key: str, lo: str | None, hi: str | None,
                lo_open: bool = False, hi_open: bool = False, why: str = "",
                temperature: TemperatureKind | None = None) -> None:
    """ConfigError naming `key`, the value and the range unless `si` lies inside."""
    lo_si = to_si(lo, unit, key=key, temperature=temperature) if lo is not None else None
    hi_si = to_si(hi, unit, key=key, temperature=temperature) if hi is not None else None
    below = lo_si is not None and (si <= lo_si if lo_open else si < lo_si)
    above = hi_si is not None and (si >= hi_si if hi_open else si > hi_si)
    if below or above:
        shown = (f"{'(' if lo_open else '['}{lo if lo is not None else '-inf'}, "
                 f"{hi if hi is not None else 'inf'}{')' if hi_open else ']'}")
        reason = f" ({why})" if why else ""
        raise ConfigError(key, f"{value!r} is outside the range {shown}{reason}")


def _words(annotation: Any) -> frozenset[str]:
    """String literals a quantity field also accepts (e.g. 'hold_level')."""
    out: set[str] = set()
    stack = [annotation]
    while stack:
        a = stack.pop()
        if typing.get_origin(a) is Literal:
            out.update(str(x) for x in typing.get_args(a))
        else:
            stack.extend(typing.get_args(a))
    return frozenset(out)


class QuantityModel(BaseModel):
    """A schema model whose quantity fields (`quantity`) are converted and range-checked
    on validation: a bad unit or a value outside the declared range is a ConfigError
    naming the field (and the entry of a list or table)."""

    @model_validator(mode="after")
    def _check_quantities(self) -> Any:
        for name, info in type(self).model_fields.items():
            extra = info.json_schema_extra
            if not isinstance(extra, dict) or "unit" not in extra:
                continue
            value = getattr(self, name)
            if value is None:
                continue
            words = _words(info.annotation)
            if isinstance(value, Mapping):
                items = [(f"{name}.{k}", v) for k, v in value.items()]
            elif isinstance(value, list | tuple):
                items = [(f"{name}.{i}", v) for i, v in enumerate(value)]
            else:
                items = [(name, value)]
            for key, v in items:
                if isinstance(v, str) and v in words:
                    continue
                field_si(v, extra, key)
        return self
