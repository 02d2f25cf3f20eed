"""Measured bath-property points (``data/correlations/bath_points.csv``), one cited row each.

Rows of kind ``fit`` feed a correlation's fit (the Ba-fluoride conductivity line); the
other kinds (point, range, upper, lower, slope) are what the tests check the
correlations against. Every row names a references.bib key and a locator.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from alref.errors import DataError

KINDS = ("fit", "point", "range", "upper", "lower", "slope")


@dataclass(frozen=True)
class BathPoint:
    """One measured value (or bound) of a bath property, with its source."""

    family: str
    quantity: str  # conductivity_S_per_cm | liquidus_C | density_g_cm3
    kind: str
    t_c: float | None
    value: float
    value_hi: float | None
    scatter: float | None
    composition: dict[str, float] | None  # wt %; None = the family's default bath
    additive: str | None
    source: str
    locator: str


def _num(text: str, col: str, line: int) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise DataError(f"bath_points.csv line {line}: {col}={text!r} is not a number") from None


def _composition(text: str, line: int) -> dict[str, float] | None:
    if not text.strip():
        return None
    out: dict[str, float] = {}
    for part in text.split(";"):
        name, _, w = part.partition("=")
        value = _num(w, f"composition {name}", line)
        if value is None:
            raise DataError(f"bath_points.csv line {line}: composition part {part!r}")
        out[name.strip()] = value
    return out


@lru_cache(maxsize=1)
def all_points() -> tuple[BathPoint, ...]:
    """Every row of bath_points.csv (DataError on a malformed row)."""
    text = resources.files("alref.data").joinpath("correlations", "bath_points.csv").read_text(
        encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    out = []
    for n, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=2):
        if row["kind"] not in KINDS:
            raise DataError(f"bath_points.csv line {n}: kind {row['kind']!r} not in {KINDS}")
        if not row["source"].strip() or not row["locator"].strip():
            raise DataError(f"bath_points.csv line {n}: source and locator are required")
        value = _num(row["value"], "value", n)
        if value is None:
            raise DataError(f"bath_points.csv line {n}: value is required")
        out.append(BathPoint(
            family=row["family"], quantity=row["quantity"], kind=row["kind"],
            t_c=_num(row["t_C"], "t_C", n), value=value,
            value_hi=_num(row["value_hi"], "value_hi", n),
            scatter=_num(row["scatter"], "scatter", n),
            composition=_composition(row["composition"], n),
            additive=row["additive"].strip() or None,
            source=row["source"].strip(), locator=row["locator"].strip()))
    return tuple(out)


def points(family: str | None = None, quantity: str | None = None,
           kind: str | None = None) -> list[BathPoint]:
    """Rows matching the given family, quantity and kind (None: any)."""
    return [p for p in all_points()
            if (family is None or p.family == family)
            and (quantity is None or p.quantity == quantity)
            and (kind is None or p.kind == kind)]
