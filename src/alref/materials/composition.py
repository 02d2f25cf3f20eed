"""Immutable metal compositions in wt % (element symbol -> mass per cent).

A `Composition` always sums to 100 wt %. Built with a balance element (Al by default) the
balance is computed by difference, exactly as the grade standards do (AA registration
footnotes, GOST 11069-2019 Annex A), so the impurities keep the values the user gave.
Built without a balance element the values must already sum to 100 ± 0.5 wt % and are
normalised.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from alref.errors import ConfigError
from alref.materials.elements import is_element, molar_mass

#: Allowed deviation of a sum from 100 wt % before the input is rejected (rounding of analyses).
SUM_TOLERANCE_WT_PCT = 0.5


def _symbol(name: str) -> str:
    """'fe' / 'FE' / ' Fe ' -> 'Fe' (only when the result is a known element)."""
    stripped = name.strip()
    if is_element(stripped):
        return stripped
    cap = stripped.capitalize()
    return cap if is_element(cap) else stripped


class Composition(Mapping[str, float]):
    """Element -> wt %, summing to 100, immutable and hashable."""

    __slots__ = ("_balance", "_wt")

    def __init__(self, wt_pct: Mapping[str, float], balance: str | None = "Al") -> None:
        # internal constructor: callers use the classmethods, which validate
        ordered = sorted(wt_pct.items(), key=lambda kv: (kv[0] != balance, -kv[1], kv[0]))
        object.__setattr__(self, "_wt", MappingProxyType(dict(ordered)))
        object.__setattr__(self, "_balance", balance)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Composition is immutable")

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_wt_pct(
        cls,
        mapping: Mapping[str, float],
        balance: str | None = "Al",
        key: str = "composition",
    ) -> Composition:
        """Validate a wt % mapping; the balance element (if any) is set by difference."""
        values = _validated(mapping, key)
        if balance is not None:
            balance = _symbol(balance)
            given = values.pop(balance, None)
            rest = math.fsum(values.values())
            if rest > 100.0 + SUM_TOLERANCE_WT_PCT:
                raise ConfigError(
                    key, f"elements other than {balance} sum to {rest:.4g} wt % (> 100)"
                )
            by_difference = max(100.0 - rest, 0.0)
            if given is not None and abs(given - by_difference) > SUM_TOLERANCE_WT_PCT:
                raise ConfigError(
                    key,
                    f"sum is {rest + given:.4g} wt %, not 100 ± {SUM_TOLERANCE_WT_PCT}"
                    f" ({balance} is the balance: leave it out or make it consistent)",
                )
            if rest > 100.0:  # within tolerance above 100: scale the rest to 100
                values = {el: v * 100.0 / rest for el, v in values.items()}
            values[balance] = by_difference
            return cls(values, balance)
        total = math.fsum(values.values())
        if abs(total - 100.0) > SUM_TOLERANCE_WT_PCT:
            raise ConfigError(key, f"sum is {total:.4g} wt %, not 100 ± {SUM_TOLERANCE_WT_PCT}")
        return cls({el: v * 100.0 / total for el, v in values.items()}, None)

    @classmethod
    def from_mass(cls, element_masses: Mapping[str, float], key: str = "masses") -> Composition:
        """Composition of a body from element masses (any consistent unit, e.g. kg)."""
        masses = _validated(element_masses, key)
        total = math.fsum(masses.values())
        if total <= 0.0:
            raise ConfigError(key, "total mass must be positive")
        return cls(
            {el: 100.0 * m / total for el, m in masses.items()}, "Al" if "Al" in masses else None
        )

    @classmethod
    def mix(cls, parts: Iterable[tuple[Composition, float]], key: str = "mix") -> Composition:
        """Mass-weighted mixture of compositions: ``[(composition, mass), ...]``."""
        masses: dict[str, float] = {}
        total = 0.0
        for i, (comp, mass) in enumerate(parts):
            if not math.isfinite(mass) or mass < 0.0:
                raise ConfigError(f"{key}[{i}]", f"mass must be finite and >= 0, got {mass!r}")
            total += mass
            for el, w in comp.items():
                masses[el] = masses.get(el, 0.0) + mass * w / 100.0
        if total <= 0.0:
            raise ConfigError(key, "total mass must be positive")
        return cls.from_mass(masses, key=key)

    # ------------------------------------------------------------------ mapping interface
    def __getitem__(self, element: str) -> float:
        return self._wt[element]

    def __iter__(self) -> Iterator[str]:
        return iter(self._wt)

    def __len__(self) -> int:
        return len(self._wt)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._wt) == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._wt.items())))

    def __repr__(self) -> str:
        body = ", ".join(f"{el}={w:.6g}" for el, w in self._wt.items())
        return f"Composition({body})"

    # ------------------------------------------------------------------ queries
    def wt_pct(self, element: str) -> float:
        """wt % of an element (0 if absent)."""
        return self._wt.get(element, 0.0)

    @property
    def al_wt_pct(self) -> float:
        return self.wt_pct("Al")

    @property
    def balance(self) -> str | None:
        return self._balance

    def as_dict(self) -> dict[str, float]:
        return dict(self._wt)

    def impurities(self) -> dict[str, float]:
        """All elements except Al (wt %), largest first."""
        return {el: w for el, w in self._wt.items() if el != "Al"}

    def mass_fractions(self) -> dict[str, float]:
        """Element -> mass fraction (sums to 1)."""
        return {el: w / 100.0 for el, w in self._wt.items()}

    def mole_fractions(self) -> dict[str, float]:
        """Element -> mole fraction, with IUPAC 2021 standard atomic weights."""
        moles = {el: w / molar_mass(el) for el, w in self._wt.items()}
        total = math.fsum(moles.values())
        return {el: n / total for el, n in moles.items()}

    def normalised(self) -> Composition:
        """A copy scaled to sum exactly to 100 wt % (guards float round-off)."""
        total = math.fsum(self._wt.values())
        return Composition({el: w * 100.0 / total for el, w in self._wt.items()}, self._balance)

    def isclose(self, other: Mapping[str, float], abs_tol: float = 1e-9) -> bool:
        """Equal element by element within `abs_tol` wt % (missing elements count as 0)."""
        elements = set(self) | set(other)
        return all(abs(self.wt_pct(el) - float(other.get(el, 0.0))) <= abs_tol for el in elements)


def _validated(mapping: Mapping[str, float], key: str) -> dict[str, float]:
    """Symbols known, values finite and non-negative; keys normalised to element symbols."""
    if not isinstance(mapping, Mapping) or not mapping:
        raise ConfigError(key, "expected a non-empty table of element = wt %")
    out: dict[str, float] = {}
    for raw, value in mapping.items():
        el = _symbol(str(raw))
        if not is_element(el):
            raise ConfigError(f"{key}.{raw}", f"unknown element {str(raw)!r}")
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key}.{el}", f"{value!r} is not a number") from None
        if not math.isfinite(v):
            raise ConfigError(f"{key}.{el}", "not a finite number")
        if v < 0.0:
            raise ConfigError(f"{key}.{el}", f"negative content {v!r}")
        out[el] = out.get(el, 0.0) + v
    return out
