"""Element data: standard atomic weights (IUPAC 2021) and usual cation charges.

Also parses simple salt formulas (``"AlF3"``, ``"Na3AlF6"``, ``"Al2O3"``) into element
counts and molar masses, so salt molar masses are derived, never typed in.
"""

from __future__ import annotations

import re
from functools import lru_cache

from alref import data
from alref.citations import cite
from alref.errors import ConfigError

_FORMULA = re.compile(r"([A-Z][a-z]?)(\d*)")


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, float]]:
    raw = data.load("elements")
    return {
        "M": {k: float(v) for k, v in raw["atomic_weight"]["g_per_mol"].items()},
        "z": {k: float(v) for k, v in raw["valence"]["charge"].items()},
    }


def symbols() -> frozenset[str]:
    """Element symbols alref knows."""
    return frozenset(_table()["M"])


def is_element(symbol: str) -> bool:
    return symbol in _table()["M"]


def molar_mass(symbol: str, *, key: str = "element") -> float:
    """Molar mass in kg/mol (IUPAC 2021 standard atomic weight)."""
    try:
        m = _table()["M"][symbol]
    except KeyError:
        raise ConfigError(key, f"unknown element {symbol!r}") from None
    cite("iupac2021weights")
    return m / 1000.0


def valence(symbol: str, *, key: str = "element") -> int:
    """Usual cation charge in halide melts (anions negative)."""
    try:
        return int(_table()["z"][symbol])
    except KeyError:
        raise ConfigError(key, f"no valence known for element {symbol!r}") from None


@lru_cache(maxsize=256)
def parse_formula(formula: str) -> tuple[tuple[str, int], ...]:
    """Element counts of a simple formula without brackets, e.g. Na3AlF6 -> Na 3, Al 1, F 6."""
    pos, counts = 0, {}
    for m in _FORMULA.finditer(formula):
        if m.start() != pos:
            break
        sym, n = m.group(1), int(m.group(2) or 1)
        if sym not in _table()["M"]:
            raise ConfigError("formula", f"unknown element {sym!r} in {formula!r}")
        counts[sym] = counts.get(sym, 0) + n
        pos = m.end()
    if pos != len(formula) or not counts:
        raise ConfigError("formula", f"cannot parse formula {formula!r}")
    return tuple(counts.items())


def formula_molar_mass(formula: str) -> float:
    """Molar mass of a formula unit in kg/mol (IUPAC 2021 atomic weights)."""
    cite("iupac2021weights")  # cited at every call: the sum itself is cached
    return _formula_molar_mass(formula)


@lru_cache(maxsize=1024)
def _formula_molar_mass(formula: str) -> float:
    return sum(molar_mass(sym) * n for sym, n in parse_formula(formula))
