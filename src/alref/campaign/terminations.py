"""Why a cycle ends: each termination is one small object with its check, its message
and its margin.

Checked in order after the actions of a time step (the first that holds names the end):
the in-grade share of the last lots (the plan's rule: a single off-grade lot is
downgraded, not the end), the alloy superheat over its liquidus, the bath superheat over
its liquidus, the sludge capacity of the anode compartment, user limits on bath
quantities, the layer density order of a stacked pot, the plan's maximum duration (only if
the plan sets one) and the simulator's horizon (a safeguard that says so when it binds).
`margin` is each limit's distance from its threshold in its own unit (positive: inside),
which the recorder follows over the cycle to report the closest limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from alref.campaign.grading import grade_check
from alref.campaign.protocol import Termination as TerminationSpec

DAY = 86400.0


class Limit:
    """A termination: `hit` gives the rows (mask) where it holds, `message` the reason,
    `margin` the distance from the threshold (in `unit`; NaN where it does not apply)."""

    name = "limit"
    unit = "-"

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return self.margin(eng, v, t) < 0

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        raise NotImplementedError

    @property
    def threshold(self) -> float:
        return 0.0

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class InGradeShare(Limit):
    """The in-grade share (by mass) of a row's last `window` lots below `min_share`;
    judged when a lot is tapped."""

    grade: str
    window: int
    min_share: float
    name = "in_grade_share"
    unit = "-"

    @property
    def threshold(self) -> float:
        return self.min_share

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return eng.recorder.recent_in_grade_share(self.window) - self.min_share

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        rows, _lots = eng.recorder.lots_at(t)
        out = np.zeros(eng.S, bool)
        if rows.size:
            out[rows] = np.nan_to_num(self.margin(eng, v, t)[rows], nan=0.0) < 0
        return out

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        share = eng.recorder.recent_in_grade_share(self.window)[r]
        rows, lots = eng.recorder.lots_at(t)
        k = int(np.nonzero(rows == r)[0][0])
        failing = grade_check(eng.layout.el, lots[k], self.grade).failing_elements
        return (f"product out of grade: {100 * share:.0f} % of the last {self.window} lots' "
                f"mass meets {self.grade} (plan minimum {100 * self.min_share:.0f} %); the "
                f"lot at day {t / DAY:.1f} fails on {', '.join(failing) or 'Al'}")


@dataclass(frozen=True)
class Superheat(Limit):
    """A layer's temperature above its liquidus (observable `<name>_k`) below `min_k`."""

    min_k: float
    unit = "K"

    @property
    def threshold(self) -> float:
        return self.min_k

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return v[f"{self.name}_k"] - self.min_k

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        what = self.name.replace("_", " ")
        charge = (f"; the last charge cooled the pot by {eng.dip[r]:.1f} K"
                  if eng.dip[r] >= 0.05 else "")
        short = eng.op.short[r]
        lever = (f"; heater limit: the heater is {short / 1e3:.3g} kW short of holding the "
                 f"set temperature, the pot ran at {eng.op.temp[r] - 273.15:.0f} degC"
                 if short > 0 else "")
        return (f"{what} {v[f'{self.name}_k'][r]:.1f} K below {self.min_k:.0f} K"
                f"{self.why(eng, r)}{charge}{lever}")

    def why(self, eng: Any, r: int) -> str:
        return ""


@dataclass(frozen=True)
class AlloySuperheat(Superheat):
    name = "alloy_superheat"

    def why(self, eng: Any, r: int) -> str:
        lay, A = eng.layout, eng.pools.A[r]
        tot = float(A[A > 0].sum())
        alloy = {lay.el[j]: 100.0 * float(m) / tot for j, m in enumerate(A) if m > 0}
        return f" (anode alloy near its liquidus, primary {eng.liquidus.primary_phase(r, alloy)})"


@dataclass(frozen=True)
class BathSuperheat(Superheat):
    name = "bath_superheat"


@dataclass(frozen=True)
class SludgeCapacity(Limit):
    name = "sludge_capacity"
    unit = "kg"

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return v["sludge_kg"] >= eng.design_arrays["cap"]

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return eng.design_arrays["cap"] - v["sludge_kg"]

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return (f"sludge capacity reached ({v['sludge_kg'][r]:.0f} kg of "
                f"{eng.design_arrays['cap'][r]:.0f} kg)")


@dataclass(frozen=True)
class BathVolume(Limit):
    """The bath outgrows its compartment (design volume over the nominal bath)."""

    name = "bath_volume"
    unit = "L"

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        cap = 1e3 * eng.bath_nominal_m3() * eng.design_arrays["bath_v_frac"]
        return cap - v["bath_volume_l"]

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        cap = 1e3 * eng.bath_nominal_m3()[r] * eng.design_arrays["bath_v_frac"][r]
        return (f"bath volume {v['bath_volume_l'][r]:.3g} L exceeds the compartment's "
                f"{cap:.3g} L (plan bath taps or corrections to hold the level)")


@dataclass(frozen=True)
class BathLimit(Limit):
    quantity: str
    limit: float
    unit = "-"

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"bath_limit:{self.quantity}"

    @property
    def threshold(self) -> float:
        return self.limit

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        x = v.get(self.quantity)
        if x is None:
            return np.zeros(eng.S, bool)
        return np.nan_to_num(np.asarray(x, float), nan=0.0) > self.limit

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        x = v.get(self.quantity)
        if x is None:
            return np.full(eng.S, np.nan)
        return self.limit - np.nan_to_num(np.asarray(x, float), nan=0.0)

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return (f"bath property out of range: {self.quantity} = {v[self.quantity][r]:.3g} > "
                f"{self.limit:g}")


@dataclass(frozen=True)
class DensityInversion(Limit):
    """Stacked pots only: the layers must stay lighter upwards by a margin."""

    min_gap: float
    name = "density_order"
    unit = "kg/m3"

    @property
    def threshold(self) -> float:
        return self.min_gap

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        a, b, c = v["_rho_alloy"], v["_rho_bath"], v["_rho_al"]
        ok = (a - b >= self.min_gap) & (b - c >= self.min_gap)
        return (eng.design_arrays["stacked"] > 0) & ~ok

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        a, b, c = v["_rho_alloy"], v["_rho_bath"], v["_rho_al"]
        gap = np.minimum(a - b, b - c) - self.min_gap
        return np.where(eng.design_arrays["stacked"] > 0, gap, np.nan)

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return "density inversion: layer densities no longer decrease upwards"


@dataclass(frozen=True)
class MaxDuration(Limit):
    """The plan's maximum duration (only when the plan sets one)."""

    max_s: float
    name = "max_duration"
    unit = "d"

    @property
    def threshold(self) -> float:
        return self.max_s / DAY

    def hit(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return np.full(eng.S, t + 1e-6 >= self.max_s)

    def margin(self, eng: Any, v: dict[str, Any], t: float) -> np.ndarray:
        return np.full(eng.S, (self.max_s - t) / DAY)

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return (f"maximum duration of the plan ({self.max_s / DAY:g} d) reached before any "
                "physical limit")


@dataclass(frozen=True)
class Horizon(MaxDuration):
    """The simulator's horizon when the plan sets no maximum duration."""

    name = "horizon"

    def message(self, eng: Any, v: dict[str, Any], r: int, t: float) -> str:
        return (f"no limit reached within the simulator's {self.max_s / DAY:g}-day horizon "
                "(set campaign.termination.max_duration to plan a shorter cycle)")


def limits(spec: TerminationSpec) -> list[Limit]:
    """The terminations of a plan, in the order they are checked."""
    out: list[Limit] = []
    if spec.product_grade and spec.in_grade_min_share > 0:
        out.append(InGradeShare(spec.product_grade, spec.in_grade_window,
                                spec.in_grade_min_share))
    out += [AlloySuperheat(spec.alloy_superheat_min_k), BathSuperheat(spec.bath_superheat_min_k),
            SludgeCapacity(), BathVolume()]
    out += [BathLimit(name, lim) for name, lim in spec.bath_limits.items()]
    out.append(DensityInversion(spec.density_margin_min_kg_m3))
    out.append(MaxDuration(spec.max_duration_s) if spec.max_duration_s is not None
               else Horizon(spec.horizon_s))
    return out


def first_hits(eng: Any, checks: list[Limit], v: dict[str, Any], t: float,
               alive: np.ndarray) -> dict[int, tuple[str, str]]:
    """Rows (alive) where a termination holds, with the first one's (name, message)."""
    out: dict[int, tuple[str, str]] = {}
    for lim in checks:
        new = lim.hit(eng, v, t) & alive
        for r in np.nonzero(new)[0]:
            if int(r) not in out:
                out[int(r)] = (lim.name, lim.message(eng, v, int(r), t))
    return out
