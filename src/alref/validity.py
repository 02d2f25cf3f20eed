"""Validity-range warnings, collapsed: one line per correlation and input, with the worst value.

A correlation evaluated outside its validity range warns once per call
(`alref.properties.registry.Correlation.out_of_range`), with messages of the form::

    alloy.density.brillo_rk: wt_si=16.3002 outside validity range [0, 16.3]

A campaign evaluates the same correlation thousands of times, so the raw list repeats one
finding with drifting values. `collapse` keeps one line per (correlation, input, range):
the value furthest outside the range (measured in widths of the range, or relative to the
violated bound for an open range) and how many distinct values were outside::

    alloy.density.brillo_rk: wt_si outside validity range [0, 16.3] (worst wt_si=19.5573; 38 values)

Messages of another form pass through once each, in their first order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

RANGE_NOTE = re.compile(
    r"^(?P<name>[^:]+): (?P<var>[A-Za-z_][\w.]*)=(?P<value>[-+0-9.eE]+|nan|inf|-inf)"
    r"(?P<unit>\s*[^\s\[]*) outside validity range \[(?P<lo>[^,\]]+), (?P<hi>[^\]]+)\]$")


class RangeWarning(UserWarning):
    """A correlation was evaluated outside its source's validity range (also importable as
    `alref.properties.registry.RangeWarning`)."""


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf")


def _bound(text: str) -> float | None:
    m = _NUMBER.search(text)
    if m is None:
        return None
    try:
        return float(m.group(0))
    except ValueError:
        return None


def distance_outside(value: float, lo: float | None, hi: float | None) -> float:
    """How far `value` lies outside [lo, hi], in widths of the range (or relative to the
    violated bound when the range is open or empty); 0 inside."""
    if not math.isfinite(value):
        return math.inf
    lo_f = lo if lo is not None and math.isfinite(lo) else None
    hi_f = hi if hi is not None and math.isfinite(hi) else None
    if lo_f is not None and value < lo_f:
        gap, ref = lo_f - value, lo_f
    elif hi_f is not None and value > hi_f:
        gap, ref = value - hi_f, hi_f
    else:
        return 0.0
    width = (hi_f - lo_f) if lo_f is not None and hi_f is not None else 0.0
    scale = width if width > 0 else max(abs(ref), 1e-12)
    return gap / scale


def collapse(messages: Iterable[str]) -> list[str]:
    """One line per (correlation, input, range) with the worst value and the count of
    distinct values outside; other messages once each. Order: first appearance."""
    groups: dict[tuple[str, ...], dict] = {}
    order: list[tuple[str, ...]] = []
    for msg in messages:
        text = str(msg).strip()
        m = RANGE_NOTE.match(text)
        if m is None:
            key: tuple[str, ...] = ("raw", text)
            if key not in groups:
                groups[key] = {"text": text}
                order.append(key)
            continue
        key = ("range", m["name"], m["var"], m["lo"], m["hi"])
        value = float(m["value"])
        dist = distance_outside(value, _bound(m["lo"]), _bound(m["hi"]))
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"match": m, "values": set(), "dist": -1.0}
            order.append(key)
        g["values"].add(m["value"])
        if dist > g["dist"]:
            g["dist"], g["match"] = dist, m
    out = []
    for key in order:
        g = groups[key]
        if "text" in g:
            out.append(g["text"])
            continue
        m, n = g["match"], len(g["values"])
        worst = f"{m['var']}={m['value']}{m['unit']}"
        if n == 1:
            out.append(m.group(0))
        else:
            out.append(f"{m['name']}: {m['var']} outside validity range [{m['lo']}, {m['hi']}] "
                       f"(worst {worst}; {n} values)")
    return out
