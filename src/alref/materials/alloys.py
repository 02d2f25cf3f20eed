"""Library of wrought and cast aluminium alloys: cited composition limits and nominal analyses.

Limits come from `data/alloys.toml` (AA Teal/Pink Sheets, EN 573-3, EN 1676, NADCA/ASTM B85,
each row with its locator). The nominal composition is not typed in: every element is
treated as uniform over its allowed interval and the nominal is the interval midpoint, with
max-only elements scaled down where half-used maxima would break a combined limit or the Al
minimum (rule and reason in `[nominal_rule]` of the data file). The same intervals feed the
spread model of the scrap classes (`alref.materials.scrap`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from alref import data
from alref.citations import cite
from alref.errors import ConfigError, DataError
from alref.materials.composition import Composition
from alref.materials.elements import is_element


@dataclass(frozen=True)
class CombinedLimit:
    """A limit on the sum of several elements, e.g. Si+Fe <= 0.95."""

    elements: tuple[str, ...]
    max: float
    min: float = 0.0

    @property
    def label(self) -> str:
        return "+".join(self.elements)


@dataclass(frozen=True, eq=False)
class Alloy:
    """One registered alloy: limits (wt %) and the derived uniform intervals."""

    name: str
    family: str
    designation: str
    aliases: tuple[str, ...]
    min: dict[str, float]
    max: dict[str, float]
    combined: tuple[CombinedLimit, ...] = ()
    others_each: float | None = None
    others_total: float | None = None
    al_min: float | None = None
    source: str = ""
    locator: str = ""
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict, compare=False)

    def nominal(self) -> Composition:
        """Nominal composition (interval midpoints, Al by difference)."""
        cite(self.source)
        return Composition.from_wt_pct(
            {el: 0.5 * (lo + hi) for el, (lo, hi) in self.intervals.items()},
            key=f"alloy.{self.name}",
        )

    def interval_sd(self) -> dict[str, float]:
        """Standard deviation of each element under the uniform model, (hi - lo)/sqrt(12)."""
        return {el: (hi - lo) / math.sqrt(12.0) for el, (lo, hi) in self.intervals.items()}

    def violations(self, composition: Composition) -> list[str]:
        """Limits the composition breaks (plain comparison, no rounding)."""
        bad = [el for el, lo in self.min.items() if composition.wt_pct(el) < lo]
        bad += [el for el, hi in self.max.items() if composition.wt_pct(el) > hi]
        for lim in self.combined:
            total = sum(composition.wt_pct(el) for el in lim.elements)
            if total > lim.max or total < lim.min:
                bad.append(lim.label)
        if self.al_min is not None and composition.al_wt_pct < self.al_min:
            bad.append("Al")
        return bad

    def limits_table(self) -> dict[str, Any]:
        """Limits as plain data (for JSON)."""
        return {
            "min": dict(self.min),
            "max": dict(self.max),
            "combined": [
                {"elements": list(c.elements), "min": c.min, "max": c.max} for c in self.combined
            ],
            "others_each": self.others_each,
            "others_total": self.others_total,
            "al_min": self.al_min,
        }


def _intervals(alloy: Alloy, fraction: float) -> dict[str, tuple[float, float]]:
    """Uniform intervals per element following the nominal rule of the data file."""
    iv: dict[str, tuple[float, float]] = {}
    for el, hi in alloy.max.items():
        iv[el] = (alloy.min.get(el, 0.0), hi)
    for el, lo in alloy.min.items():
        iv.setdefault(el, (lo, lo))
    for lim in alloy.combined:  # members without their own maximum share the combined one
        for el in lim.elements:
            iv.setdefault(el, (0.0, lim.max))
    max_only = {el for el, (lo, _hi) in iv.items() if lo == 0.0}

    def scale(members: set[str], budget: float) -> None:
        mean = sum(0.5 * (iv[el][0] + iv[el][1]) for el in members)
        free = sum(0.5 * iv[el][1] for el in members & max_only)
        fixed = mean - free
        if mean > budget and free > 0.0:
            k = max(budget - fixed, 0.0) / free
            for el in members & max_only:
                iv[el] = (0.0, iv[el][1] * k)

    for lim in alloy.combined:
        scale(set(lim.elements), fraction * lim.max)
    if alloy.al_min is not None:
        scale(set(iv), fraction * (100.0 - alloy.al_min))
    return iv


def _build(name: str, raw: dict[str, Any], fraction: float) -> Alloy:
    for part in ("min", "max"):
        for el in raw.get(part, {}):
            if not is_element(el):
                raise DataError(f"alloys.toml: alloy {name}: unknown element {el!r}")
    alloy = Alloy(
        name=name,
        family=str(raw["family"]),
        designation=str(raw.get("designation", name)),
        aliases=tuple(raw.get("aliases", ())),
        min={k: float(v) for k, v in raw.get("min", {}).items()},
        max={k: float(v) for k, v in raw.get("max", {}).items()},
        combined=tuple(
            CombinedLimit(tuple(c["elements"]), float(c["max"]), float(c.get("min", 0.0)))
            for c in raw.get("combined", ())
        ),
        others_each=raw.get("others_each"),
        others_total=raw.get("others_total"),
        al_min=raw.get("al_min"),
        source=str(raw["source"]),
        locator=str(raw["locator"]),
    )
    object.__setattr__(alloy, "intervals", _intervals(alloy, fraction))
    return alloy


@lru_cache(maxsize=1)
def _library() -> dict[str, Alloy]:
    raw = data.load("alloys")
    fraction = float(raw["nominal_rule"]["fraction_of_allowance"])
    return {str(name): _build(str(name), spec, fraction) for name, spec in raw["alloy"].items()}


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for name, alloy in _library().items():
        for label in (name, *alloy.aliases):
            idx[_norm(label)] = name
    return idx


def _norm(label: str) -> str:
    return label.strip().lower().replace(" ", "").replace("_", "-")


def alloys() -> dict[str, Alloy]:
    """All alloys in the library, by name."""
    return dict(_library())


def alloy(name: str, key: str = "alloy") -> Alloy:
    """Look up an alloy by name or alias (case-insensitive, 'AA'/'EN AW-' prefixes allowed)."""
    label = _norm(str(name))
    for prefix in ("aa", "enaw-", "aw-"):
        if label not in _index() and label.startswith(prefix):
            label = label[len(prefix) :]
    try:
        return _library()[_index()[label]]
    except KeyError:
        raise ConfigError(key, f"unknown alloy {name!r}") from None


def nominal_rule() -> str:
    """The stated rule behind every nominal composition."""
    return str(data.load("alloys")["nominal_rule"]["assumption"])
