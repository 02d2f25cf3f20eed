"""Evaluation of the piecewise heat-capacity polynomials stored in ``metals_thermal.toml``.

Four forms are supported, each in the form of its source (see the header of the data file):
NASA 7-coefficient polynomials (McBride et al. 1993), Shomate equations (NIST-JANAF as
given in the NIST WebBook, Chase 1998), SGTE Gibbs-energy polynomials (Dinsdale 1991) and
a constant-Cp continuation. Every function returns molar quantities (J/mol, J/mol/K) on the
absolute enthalpy scale of the source (elements: zero for the stable element at 298.15 K).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scipy.constants import R, calorie

from alref.errors import DataError

KJ = 1000.0  # Shomate enthalpies are in kJ/mol (or kcal/mol)
_SGTE_KEYS = ("a", "b", "c", "d", "e", "f", "g", "i")


@dataclass(frozen=True)
class Segment:
    """One temperature interval of one phase with its polynomial."""

    model: str
    T_min: float
    T_max: float
    coeffs: Any
    phase: str = ""
    unit_factor: float = 1.0
    cp_const: float = 0.0
    previous: Segment | None = field(default=None, repr=False)

    def cp(self, T: float) -> float:
        """Molar heat capacity, J/mol/K."""
        if self.model == "nasa7":
            a = self.coeffs
            return R * (a[0] + T * (a[1] + T * (a[2] + T * (a[3] + T * a[4]))))
        if self.model == "shomate":
            A, B, C, D, E, _F = self.coeffs
            t = T / KJ
            return self.unit_factor * (A + B * t + C * t**2 + D * t**3 + E / t**2)
        if self.model == "sgte":
            c = self.coeffs
            return (
                -c["c"] - 2 * c["d"] * T - 6 * c["e"] * T**2 - 2 * c["f"] / T**2
                - 42 * c["g"] * T**6 - 90 * c["i"] * T**-10
            )
        return self.cp_const

    def h(self, T: float) -> float:
        """Molar enthalpy on the source's absolute scale, J/mol."""
        if self.model == "nasa7":
            a = self.coeffs
            poly = a[0] + T * (a[1] / 2 + T * (a[2] / 3 + T * (a[3] / 4 + T * a[4] / 5)))
            return R * (poly * T + a[5])
        if self.model == "shomate":
            A, B, C, D, E, F = self.coeffs
            t = T / KJ
            return self.unit_factor * KJ * (
                A * t + B * t**2 / 2 + C * t**3 / 3 + D * t**4 / 4 - E / t + F
            )
        if self.model == "sgte":
            c = self.coeffs
            return (
                c["a"] - c["c"] * T - c["d"] * T**2 - 2 * c["e"] * T**3 + 2 * c["f"] / T
                - 6 * c["g"] * T**7 + 10 * c["i"] * T**-9
            )
        if self.previous is None:
            raise DataError("constant_cp segment needs a preceding segment of the same phase")
        return self.previous.h(self.T_min) + self.cp_const * (T - self.T_min)


def build_segments(rows: Sequence[Mapping[str, Any]], where: str) -> tuple[Segment, ...]:
    """Segments of one phase from their TOML rows (kept in the data file's order)."""
    out: list[Segment] = []
    for row in rows:
        model = row.get("model")
        coeffs: Any = row.get("coeffs")
        if model == "nasa7":
            coeffs = tuple(float(x) for x in coeffs)
            if len(coeffs) != 7:
                raise DataError(f"{where}: nasa7 needs 7 coefficients")
        elif model == "shomate":
            coeffs = tuple(float(x) for x in coeffs)
            if len(coeffs) != 6:
                raise DataError(f"{where}: shomate needs A..F (6 coefficients)")
        elif model == "sgte":
            coeffs = {k: float(coeffs.get(k, 0.0)) for k in _SGTE_KEYS}
        elif model != "constant_cp":
            raise DataError(f"{where}: unknown model {model!r}")
        unit = row.get("unit", "J")
        out.append(
            Segment(
                model=str(model),
                T_min=float(row["T_min"]),
                T_max=float(row["T_max"]),
                coeffs=coeffs,
                phase=str(row.get("phase", "")),
                unit_factor=calorie if unit == "cal" else 1.0,
                cp_const=float(row.get("cp", 0.0)),
                previous=out[-1] if out else None,
            )
        )
    for a, b in itertools.pairwise(out):
        if not math.isclose(a.T_max, b.T_min):
            raise DataError(f"{where}: segments must be contiguous ({a.T_max} vs {b.T_min})")
    return tuple(out)


def pick(segments: Sequence[Segment], T: float) -> tuple[Segment, bool]:
    """The segment containing T (ends extrapolate); the flag says whether T is outside."""
    if not segments:
        raise DataError("no segments")
    if segments[0].T_min > T:
        return segments[0], True
    for seg in segments:
        if seg.T_max >= T:
            return seg, False
    return segments[-1], True
