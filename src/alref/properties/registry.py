"""Registry of property correlations with citation and validity range.

A `Correlation` wraps a small function of SI inputs. Calling it checks every input
against the source's validity range, records the citation (see `alref.citations`)
and returns a `PropertyValue` whose `warnings` say which inputs were out of range.
Out-of-range use also raises a `RangeWarning` through the `warnings` module so that
callers deep in a model can collect them with `warnings.catch_warnings(record=True)`.
Inputs may be NumPy arrays (`alref.properties.broadcast`): the value is then an array
of the broadcast shape and each kind of range warning is issued once.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alref.citations import cite
from alref.errors import DataError
from alref.properties.broadcast import evaluate, is_array
from alref.validity import RangeWarning  # re-exported: defined with its collapsing


@dataclass(frozen=True)
class PropertyValue:
    """Result of a correlation: value in SI units plus provenance and warnings.

    `value` is a float, or a float array when the correlation was called with arrays.
    """

    value: float | np.ndarray
    unit: str
    correlation: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Correlation:
    """A cited correlation with a declared validity range.

    `validity` maps input names to (low, high) in the SI units the function takes;
    `None` for an open bound. `display` optionally converts an input to the units the
    source uses (for readable warnings), e.g. K -> degC.
    """

    name: str
    quantity: str
    unit: str
    source: str
    locator: str
    func: Callable[..., float]
    validity: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    description: str = ""
    families: tuple[str, ...] = ()
    display: Mapping[str, Callable[[float], str]] = field(default_factory=dict)

    def out_of_range(self, inputs: Mapping[str, Any]) -> list[str]:
        """Messages for inputs outside the validity range."""
        notes = []
        for var, (lo, hi) in self.validity.items():
            if var not in inputs:
                continue
            x = float(inputs[var])
            if (lo is not None and x < lo - 1e-9) or (hi is not None and x > hi + 1e-9):
                fmt = self.display.get(var, lambda v: f"{v:g}")
                lo_s = fmt(lo) if lo is not None else "-inf"
                hi_s = fmt(hi) if hi is not None else "inf"
                notes.append(
                    f"{self.name}: {var}={fmt(x)} outside validity range [{lo_s}, {hi_s}]"
                )
        return notes

    def __call__(self, **inputs: Any) -> PropertyValue:
        arrays = [k for k, v in inputs.items() if is_array(v)]
        if arrays:
            return evaluate(self.__call__, inputs, arrays)
        notes = self.out_of_range(inputs)
        for note in notes:
            warnings.warn(note, RangeWarning, stacklevel=2)
        cite(self.source)
        value = float(self.func(**inputs))
        if not math.isfinite(value):
            notes.append(f"{self.name}: non-finite result for {dict(inputs)}")
        return PropertyValue(value, self.unit, self.name, tuple(notes))


_REGISTRY: dict[str, Correlation] = {}


def register(corr: Correlation) -> Correlation:
    """Add a correlation to the registry (names are unique)."""
    if corr.name in _REGISTRY and _REGISTRY[corr.name] is not corr:
        raise DataError(f"correlation {corr.name!r} registered twice")
    _REGISTRY[corr.name] = corr
    return corr


def get(name: str) -> Correlation:
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise DataError(f"unknown correlation {name!r}") from None


def all_correlations() -> dict[str, Correlation]:
    """Every registered correlation, by name."""
    _load_all()
    return dict(_REGISTRY)


def for_quantity(quantity: str) -> list[Correlation]:
    _load_all()
    return [c for c in _REGISTRY.values() if c.quantity == quantity]


def _load_all() -> None:
    """Import the modules that register correlations."""
    import importlib
    import pkgutil

    import alref.properties as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name != "registry":
            importlib.import_module(f"alref.properties.{mod.name}")
