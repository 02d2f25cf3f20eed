"""Why a cycle ends: each termination is one small object with its check and its message.

Checked in order after the actions of a time step (the first that holds names the end):
the product grade of the lot just tapped, the alloy superheat over its liquidus, the bath
superheat over its liquidus, the sludge capacity of the anode compartment, user limits on
bath quantities, the layer density order of a stacked pot, and the maximum duration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from alref.campaign.grading import grade_check, passes
from alref.campaign.protocol import Termination as TerminationSpec

DAY = 86400.0


class Limit:
    """A termination: `hit` gives the rows (mask) where it holds, `message` the reason."""

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        raise NotImplementedError

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class ProductGrade(Limit):
    """The lot tapped at this step misses the target grade."""

    grade: str

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        rows, lots = eng.recorder.lots_at(t)
        out = np.zeros(eng.S, bool)
        if rows.size:
            out[rows] = ~passes(eng.layout.el, lots, self.grade)
        return out

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        rows, lots = eng.recorder.lots_at(t)
        k = int(np.nonzero(rows == r)[0][0])
        failing = grade_check(eng.layout.el, lots[k], self.grade).failing_elements
        return (f"product out of grade: lot at day {t / DAY:.1f} fails {self.grade} on "
                f"{', '.join(failing)}")


@dataclass(frozen=True)
class AlloySuperheat(Limit):
    min_k: float

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return v["alloy_superheat_k"] < self.min_k

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return (f"alloy superheat {v['alloy_superheat_k'][r]:.1f} K below {self.min_k:.0f} K "
                "(anode alloy near its liquidus)")


@dataclass(frozen=True)
class BathSuperheat(Limit):
    min_k: float

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return v["bath_superheat_k"] < self.min_k

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return f"bath superheat {v['bath_superheat_k'][r]:.1f} K below {self.min_k:.0f} K"


@dataclass(frozen=True)
class SludgeCapacity(Limit):
    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return v["sludge_kg"] >= eng.design_arrays["cap"]

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return (f"sludge capacity reached ({v['sludge_kg'][r]:.0f} kg of "
                f"{eng.design_arrays['cap'][r]:.0f} kg)")


@dataclass(frozen=True)
class BathLimit(Limit):
    quantity: str
    limit: float

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        x = v.get(self.quantity)
        if x is None:
            return np.zeros(eng.S, bool)
        return np.nan_to_num(np.asarray(x, float), nan=0.0) > self.limit

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return (f"bath property out of range: {self.quantity} = {v[self.quantity][r]:.3g} > "
                f"{self.limit:g}")


@dataclass(frozen=True)
class DensityInversion(Limit):
    """Stacked pots only: the layers must stay lighter upwards by a margin."""

    margin: float

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        a, b, c = v["_rho_alloy"], v["_rho_bath"], v["_rho_al"]
        ok = (a - b >= self.margin) & (b - c >= self.margin)
        return (eng.design_arrays["stacked"] > 0) & ~ok

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return "density inversion: layer densities no longer decrease upwards"


@dataclass(frozen=True)
class MaxDuration(Limit):
    max_s: float

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return np.full(eng.S, t + 1e-6 >= self.max_s)

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return "maximum duration"


def limits(spec: TerminationSpec) -> list[Limit]:
    """The terminations of a plan, in the order they are checked."""
    out: list[Limit] = []
    if spec.product_grade:
        out.append(ProductGrade(spec.product_grade))
    out += [AlloySuperheat(spec.alloy_superheat_min_k), BathSuperheat(spec.bath_superheat_min_k),
            SludgeCapacity()]
    out += [BathLimit(name, lim) for name, lim in spec.bath_limits.items()]
    out += [DensityInversion(spec.density_margin_min_kg_m3), MaxDuration(spec.max_duration_s)]
    return out


def first_hits(eng: Any, checks: list[Limit], v: dict[str, Any], t: float,
               alive: np.ndarray) -> dict[int, str]:
    """Rows (alive) where a termination holds, with the first one's message."""
    out: dict[int, str] = {}
    for lim in checks:
        new = lim.hit(eng, v, t) & alive
        for r in np.nonzero(new)[0]:
            if int(r) not in out:
                out[int(r)] = lim.message(eng, v, int(r), t)
    return out
