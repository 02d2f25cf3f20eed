"""NumPy arrays into scalar property functions (the pvlib habit: functions take arrays).

The correlations of `alref.properties` are written for one state point. `broadcasts(...)`
lets a public function take NumPy arrays (or lists) for the named arguments: the arrays
are broadcast against each other and the scalar function is evaluated at every point, so
an array call equals the scalar calls element-wise, bit for bit (the numbers are not
re-derived). Warnings raised inside the loop (e.g. `RangeWarning`) are issued once per
kind, with the range of the offending values, instead of once per element.

The scalar path is untouched: with no array argument the wrapped function is called
directly.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


#: types that are never arrays: checked first, so the scalar path stays cheap
_SCALARS = frozenset({float, int, np.float64, type(None), str})


def is_array(value: Any) -> bool:
    """True for a NumPy array with at least one dimension, or a list/tuple of numbers."""
    if type(value) in _SCALARS:
        return False
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    return isinstance(value, list | tuple) and all(
        isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in value)


def _kind(message: str) -> str:
    """A warning's text with its numbers blanked: the same note at another value."""
    return _NUMBER.sub("#", message)


def summarise(messages: Sequence[str], n_points: int) -> list[str]:
    """One line per kind of message (numbers aside): the first, with how many points share it."""
    groups: dict[str, list[str]] = {}
    for m in messages:
        groups.setdefault(_kind(m), []).append(m)
    out = []
    for group in groups.values():
        count = len(group)
        out.append(group[0] if count == 1 else f"{group[0]} (at {count} of {n_points} points; first shown)")
    return out


def _reissue(caught: Sequence[warnings.WarningMessage], n_points: int, stacklevel: int) -> None:
    """Issue the warnings caught in the loop once per (category, kind of message)."""
    by_category: dict[type[Warning], list[str]] = {}
    for w in caught:
        by_category.setdefault(w.category, []).append(str(w.message))
    for category, messages in by_category.items():
        for line in summarise(messages, n_points):
            warnings.warn(line, category, stacklevel=stacklevel + 2)  # + _reissue, evaluate


def _combine(results: list[Any], shape: tuple[int, ...], n_points: int) -> Any:
    """Element results -> one result of the same type with array values."""
    first = results[0]
    if all(isinstance(r, int | float | np.number) for r in results):
        return np.asarray(results, dtype=float).reshape(shape)
    if dataclasses.is_dataclass(first) and hasattr(first, "value") and hasattr(first, "warnings"):
        values = np.asarray([r.value for r in results], dtype=float).reshape(shape)
        changes: dict[str, Any] = {"value": values}
        if hasattr(first, "correlation"):
            changes["correlation"] = ", ".join(dict.fromkeys(r.correlation for r in results))
        notes = [note for r in results for note in r.warnings]
        changes["warnings"] = tuple(summarise(notes, n_points))
        return dataclasses.replace(first, **changes)
    raise TypeError(f"cannot broadcast results of type {type(first).__name__}")


def evaluate(func: Callable[..., Any], arguments: Mapping[str, Any], arrays: Sequence[str],
             stacklevel: int = 2) -> Any:
    """`func(**arguments)` at every point of the broadcast of `arguments[a] for a in arrays`.

    Returns a float array of the broadcast shape, or a result object (PropertyValue-like:
    ``value``, ``warnings``, optional ``correlation``) whose ``value`` is that array, whose
    ``correlation`` lists the correlations used (in order of first use) and whose
    ``warnings`` hold one line per kind of note. Warnings raised in the loop are issued
    once per kind, `stacklevel` counted from the caller of `evaluate` (as `warnings.warn`).
    """
    grids = np.broadcast_arrays(*(np.asarray(arguments[a], dtype=float) for a in arrays))
    shape = grids[0].shape
    n_points = int(np.prod(shape, dtype=int))
    if n_points == 0:
        raise ValueError(f"empty array for {', '.join(arrays)}")
    flat = [g.ravel() for g in grids]
    kwargs = dict(arguments)
    results = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(n_points):
            for name, values in zip(arrays, flat, strict=True):
                kwargs[name] = float(values[i])
            results.append(func(**kwargs))
    _reissue(caught, n_points, stacklevel)
    return _combine(results, shape, n_points)


def broadcasts(*names: str) -> Callable[[F], F]:
    """Decorator: the arguments `names` of a scalar function may be arrays (see module doc)."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        params = list(signature.parameters)
        positions = tuple((n, params.index(n)) for n in names)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            n_args = len(args)
            arrays = [n for n, i in positions
                      if is_array(args[i] if i < n_args else kwargs.get(n))]
            if not arrays:
                return func(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            return evaluate(func, bound.arguments, arrays)

        return wrapper  # type: ignore[return-value]

    return decorate
