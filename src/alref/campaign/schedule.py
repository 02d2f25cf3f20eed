"""Plant schedule: N kept-anode pots on staggered cycles over a year, day by day.

Every pot repeats the steady-state cycle of `PotLifeResult` (the last steady cycle: its
lots with their times, masses and grades, its energy) followed by the turnaround (sludge
drain, bleed, refill). The pots are staggered evenly over one cycle period, and their
linings and diaphragms over one service life each, so rebuilds spread over the years. A
lining rebuild (and a diaphragm change) happens at the first cycle end after its service
life and takes the pot out for the plan's stop; the alloy is kept.

Output per day: metal tapped (kg) in total and by grade, mean power draw (MW, DC at the
pots incl. auxiliary heat), pots running, sludge drains, lining rebuilds and diaphragm
changes. The plant's random downtime (availability) is not scheduled here; the economics
applies it as a factor.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from alref.campaign.potlife import PotLifeResult
from alref.errors import ConfigError

DAY_H = 24.0


def plant_schedule(res: PotLifeResult, pots: int, days: int = 365) -> dict[str, Any]:
    """Daily output, power, drains and rebuilds of `pots` pots (see module docstring)."""
    if not (isinstance(pots, int) and 1 <= pots <= 100000):
        raise ConfigError("pots", f"must be an integer in [1, 100000], got {pots!r}")
    if not (isinstance(days, int) and 1 <= days <= 3660):
        raise ConfigError("days", f"must be an integer in [1, 3660], got {days!r}")
    plan = res.plan
    cyc = res.steady_cycles[-1]
    period = cyc.days + plan.turnaround_days
    lots = [(lot.t_s / 86400.0, lot.mass_kg, lot.grade or "off-grade") for lot in cyc.lots]
    grades = sorted({g for _t, _m, g in lots})
    power_mw = cyc.energy_kwh / (cyc.days * DAY_H) / 1000.0 if cyc.days > 0 else 0.0
    metal = np.zeros(days)
    by_grade = {g: np.zeros(days) for g in grades}
    running = np.zeros(days)  # pot-days in a cycle (fractional)
    drains, rebuilds, changes = np.zeros(days, int), np.zeros(days, int), np.zeros(days, int)

    def add_span(a: float, b: float, arr: np.ndarray) -> None:
        """Add the overlap of [a, b) with each day to arr (in days)."""
        lo, hi = max(a, 0.0), min(b, float(days))
        d = math.floor(lo)
        while lo < hi and d < days:
            end = min(float(d + 1), hi)
            arr[d] += end - lo
            lo, d = end, d + 1

    for p in range(pots):
        t = -period * p / pots  # staggered starts over one period
        lining_age = plan.lining_life_days * p / pots
        dia_age = plan.diaphragm_life_days * p / pots
        while t < days:
            add_span(t, t + cyc.days, running)
            for t_lot, m, g in lots:
                d = math.floor(t + t_lot)
                if 0 <= d < days:
                    metal[d] += m
                    by_grade[g][d] += m
            end = t + cyc.days
            lining_age += period
            dia_age += period
            stop = plan.turnaround_days
            d_end = math.floor(end)
            if 0 <= d_end < days:
                drains[d_end] += 1
            if lining_age >= plan.lining_life_days:
                stop += plan.rebuild_days
                lining_age, dia_age = 0.0, 0.0
                if 0 <= d_end < days:
                    rebuilds[d_end] += 1
            elif dia_age >= plan.diaphragm_life_days:
                stop += plan.diaphragm_change_days
                dia_age = 0.0
                if 0 <= d_end < days:
                    changes[d_end] += 1
            t = end + stop
    daily_t = metal / 1000.0
    return {
        "pots": pots, "days": days,
        "cycle_days": cyc.days, "period_days": period,
        "pot_power_mw": power_mw,
        "product_t": float(daily_t.sum()),
        "product_t_by_grade": {g: float(v.sum() / 1000.0) for g, v in by_grade.items()},
        "daily_product_t_mean": float(daily_t.mean()),
        "daily_product_t_min": float(daily_t.min()), "daily_product_t_max": float(daily_t.max()),
        "power_mw_mean": float((running * power_mw).mean()),
        "power_mw_max": float((running * power_mw).max()),
        "sludge_drains": int(drains.sum()), "lining_rebuilds": int(rebuilds.sum()),
        "diaphragm_changes": int(changes.sum()),
        "daily": {
            "product_t": daily_t.tolist(),
            "product_t_by_grade": {g: (v / 1000.0).tolist() for g, v in by_grade.items()},
            "power_mw": (running * power_mw).tolist(),
            "pots_running": running.tolist(),
            "sludge_drains": drains.tolist(), "lining_rebuilds": rebuilds.tolist(),
            "diaphragm_changes": changes.tolist(),
        },
        "note": "deterministic schedule of the steady cycle; the plant's random downtime "
                "(availability) is applied by the economics, not here",
    }
