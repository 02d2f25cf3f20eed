"""Linearised responses of a refining pot's cycle to the scrap charged.

The campaign model (`alref.campaign.simulation.Simulation`) is run for a reference feed
and for that feed with one impurity raised at a time (forward finite differences, Al by
difference; `FD_ELEMENTS`). Every response r is then affine in the feed's metal
composition c (wt %): r(c) = r0 + g . (c - c0). Responses are expressed per tonne of scrap
metal charged, or as product wt %, so a mix of lots enters linearly (the mix composition
is the metal-weighted mean of the lots' and r is affine).

Responses (`names`):

* ``cycles_per_t`` - pot cycles used per tonne of metal charged, i.e. the reciprocal of
  the metal a cycle takes before it ends (the anode alloy's budget for Si, Cu, Fe, Mn...;
  whatever ends the cycle in the model). The runs use a maximum duration stretched by
  `MAX_DURATION_STRETCH` so that the budget, not the plan's time limit, ends them; the
  plan's time limit (or, without one, the simulator horizon) enters the optimiser as its
  own constraint (``metal_t_per_day``).
* ``product_t_per_t`` - product per tonne of metal charged;
* ``salt_kg_per_t`` - salt bought per tonne of metal (bath replaced when MgF2 builds up,
  plus AlF3 to restore the ratio the Mg consumed): the Mg load on the bath;
* ``cu_to_product`` - share of the Cu charged that reports to the product (Cu balance);
* ``mean.El`` - cycle-mean product wt % of El; ``q.El`` - the wt % that the cleanest
  ``min_share`` of the product (by mass) does not exceed (mass-weighted lot quantile),
  ``q.sum`` the same for the impurity total (Al by difference).

Linearisations are cached in memory and on disk (``$ALREF_CACHE_DIR`` or
``~/.cache/alref/blend``), keyed by the scenario (its digest), reference feed and settings.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from alref.campaign.protocol import HORIZON_DAYS
from alref.campaign.simulation import DAY, Simulation
from alref.campaign.solution import Solution
from alref.cell.feed import Feed
from alref.cell.model import CellModel
from alref.errors import ConfigError
from alref.materials.scrap import scrap_class
from alref.scenario import Scenario

#: feed elements whose effect is finite-differenced (the ones scrap carries at > 0.1 wt %)
FD_ELEMENTS = ("Si", "Fe", "Cu", "Mg", "Mn", "Zn")
#: forward step: this share of the reference content, but at least `FD_MIN_STEP_WT_PCT`
#: (large enough that the cycle length moves by many campaign time steps)
FD_RELATIVE_STEP = 0.25
FD_MIN_STEP_WT_PCT = 0.25
#: linearisation runs may last this many times the plan's maximum duration (numerical
#: device so the alloy budget, not the time limit, ends the cycle)
MAX_DURATION_STRETCH = 1.5
CACHE_VERSION = "blend-lin-2"


def class_feed(scrap: str, assay: Mapping[str, float] | None = None,
               metal_wt_pct: Mapping[str, float] | None = None, *,
               charge_temperature_k: float) -> Feed:
    """Feed of one scrap lot: the class mean (or `metal_wt_pct`, e.g. a sampled draw)
    with the user's assay means replacing the class means (Al by difference), charged at
    the plan's charge temperature."""
    sc = scrap_class(scrap)
    comp = dict(metal_wt_pct) if metal_wt_pct is not None else dict(sc.mean_composition())
    for el, w in (assay or {}).items():
        comp[el] = float(w)
    comp["Al"] = 0.0
    comp["Al"] = 100.0 - math.fsum(comp.values())
    if comp["Al"] <= 0:
        raise ConfigError(f"lot.{scrap}.assay", "impurities add up to 100 wt % or more")
    return Feed.from_parts(scrap, comp, sc.nonmetallic_wt_pct(), charge_temperature_k)


def perturbed(feed: Feed, element: str, step: float) -> Feed:
    """`feed` with `step` wt % more of `element` in its metal (Al by difference)."""
    comp = dict(feed.metal_wt_pct)
    comp[element] = comp.get(element, 0.0) + step
    comp["Al"] = comp["Al"] - step
    return feed.with_metal(comp)


def fd_step(feed: Feed, element: str) -> float:
    return max(FD_RELATIVE_STEP * feed.metal_wt_pct.get(element, 0.0), FD_MIN_STEP_WT_PCT)


# ---------------------------------------------------------------------- simulation
def simulate_feed(scenario: Scenario, feed: Feed) -> Solution:
    """Run the campaign model of `scenario` charging `feed` (a composition, not classes)."""
    sim = Simulation(CellModel.from_scenario(scenario), scenario.campaign, feed=feed,
                     scenario_hash=scenario.digest())
    return sim.run()


def duration_limits_days(scenario: Scenario) -> tuple[float | None, float]:
    """(the plan's maximum cycle duration or None if it sets none, the longest a cycle can
    run: that maximum or the simulator horizon), in d."""
    term = Simulation.from_scenario(scenario).campaign.termination
    plan = term.max_duration_s / DAY if term.max_duration_s is not None else None
    return plan, term.horizon_s / DAY


def _quantile(values: list[float], weights: list[float], share: float) -> float:
    """Mass-weighted quantile: the value the cleanest `share` of the mass does not exceed."""
    order = np.argsort(values)
    v = np.asarray(values)[order]
    w = np.cumsum(np.asarray(weights)[order])
    return float(v[min(np.searchsorted(w, share * w[-1] - 1e-12), len(v) - 1)])


def product_stats(sol: Solution, min_share: float) -> dict[str, Any]:
    """Mean product composition and the min_share quantile lot values from a Solution."""
    lots = sol.summary["lots"]
    mass = [x["mass_kg"] for x in lots]
    total = sum(mass)
    els = sorted({el for x in lots for el in x["composition_wt_pct"] if el != "Al"})
    mean = {el: sum(m * x["composition_wt_pct"].get(el, 0.0) for m, x in zip(mass, lots,
                                                                               strict=True)) / total
            for el in els}
    q = {el: _quantile([x["composition_wt_pct"].get(el, 0.0) for x in lots], mass, min_share)
         for el in els}
    q["sum"] = _quantile([100.0 - x["composition_wt_pct"].get("Al", 100.0) for x in lots],
                         mass, min_share)
    return {"mean": mean, "q": q}


_SUPERHEAT_END = re.compile(r"alloy superheat (-?[0-9.]+) K below ([0-9.]+) K")


def cycle_end_days(sol: Solution) -> float:
    """Time (d) at which the alloy superheat crossed its limit, interpolated linearly
    between the recorded time steps; the cycle length otherwise. Without this the cycle
    moves in whole time steps and finite differences of small steps are quantisation."""
    days = float(sol.summary["cycle_days"])
    m = _SUPERHEAT_END.search(str(sol.summary["termination"]))
    if not m:
        return days
    h_min = float(m[2])
    h = np.asarray(sol.series["Alloy superheat [K]"], dtype=float)
    t = np.asarray(sol.time_s, dtype=float) / DAY
    below = np.nonzero(h < h_min)[0]
    if below.size == 0 or below[0] == 0:
        return days
    i = int(below[0])
    return float(t[i - 1] + (t[i] - t[i - 1]) * (h[i - 1] - h_min) / (h[i - 1] - h[i]))


def metal_rate_t_per_day(sol: Solution, feed: Feed) -> float:
    """Scrap metal charged per day (the charges replace what dissolved since the last)."""
    charges = [a for a in sol.actions if a.kind == "charge_scrap"]
    metal = sol.summary["scrap_charged_kg"] * feed.metal_yield / 1000.0
    span = max((charges[-1].t_s / DAY) if charges else 0.0, 1e-9)
    return metal / span if charges else 0.0


def responses(sol: Solution, feed: Feed, min_share: float) -> dict[str, float]:
    """The linearised quantities of one simulated cycle (see module docstring)."""
    s = sol.summary
    rate = metal_rate_t_per_day(sol, feed)
    metal_t = rate * cycle_end_days(sol)
    if metal_t <= 0 or s["product_kg"] <= 0:
        raise ConfigError("plan.scenario", "the simulated cycle charged no scrap or made no product")
    salt = 0.0
    for a in sol.actions:
        if a.kind == "replace_bath":
            salt += a.detail.get("removed_kg", 0.0)
        elif a.kind == "correct_bath":
            salt += sum(v for k, v in a.detail.items() if k.endswith("_kg"))
    cu_in = metal_t * 1000.0 * feed.metal_wt_pct.get("Cu", 0.0) / 100.0
    stats = product_stats(sol, min_share)
    out = {
        "cycles_per_t": 1.0 / metal_t,
        "product_t_per_t": s["product_kg"] / 1000.0 / metal_t,
        "salt_kg_per_t": salt / metal_t,
        "cu_to_product": (s["product_kg"] * stats["mean"].get("Cu", 0.0) / 100.0 / cu_in
                          if cu_in > 0 else 0.0),
        "metal_t_per_day": rate,
    }
    out.update({f"mean.{el}": v for el, v in stats["mean"].items()})
    out.update({f"q.{el}": v for el, v in stats["q"].items()})
    return out


# ---------------------------------------------------------------------- linearisation
@dataclass
class Linearisation:
    """r(c) = r0 + grad @ (c[FD] - c0[FD]); c in wt % of the scrap metal."""

    scenario: Scenario
    reference: Feed
    min_share: float
    fd_elements: tuple[str, ...]
    names: tuple[str, ...]
    r0: np.ndarray
    grad: np.ndarray
    runs: list[dict[str, Any]]
    max_duration_days: float
    elapsed_s: float
    cached: bool = False
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {n: i for i, n in enumerate(self.names)}

    def has(self, name: str) -> bool:
        return name in self._index

    def dc(self, feed: Feed) -> np.ndarray:
        c0 = self.reference.metal_wt_pct
        return np.array([feed.metal_wt_pct.get(e, 0.0) - c0.get(e, 0.0) for e in self.fd_elements])

    def value(self, name: str, feed: Feed) -> float:
        i = self._index[name]
        return float(self.r0[i] + self.grad[i] @ self.dc(feed))

    def gradient(self, name: str) -> np.ndarray:
        return self.grad[self._index[name]]

    def product_elements(self) -> list[str]:
        return [n.split(".", 1)[1] for n in self.names if n.startswith("mean.")]

    def as_dict(self) -> dict[str, Any]:
        coeffs = {n: {e: float(g) for e, g in zip(self.fd_elements, self.grad[i], strict=True)}
                  for i, n in enumerate(self.names)}
        return {
            "method": "forward finite differences of the campaign model, one impurity at a time",
            "reference_feed_wt_pct": self.reference.metal_wt_pct,
            "reference_values": {n: float(v) for n, v in zip(self.names, self.r0, strict=True)},
            "per_wt_pct_of_feed": coeffs,
            "runs": self.runs,
            "elapsed_s": self.elapsed_s,
            "cached": self.cached,
        }


def _cache_dir() -> Path:
    return Path(os.environ.get("ALREF_CACHE_DIR") or Path.home() / ".cache" / "alref") / "blend"


def _cache_key(scenario: Scenario, ref: Feed, min_share: float) -> str:
    from alref.version import __version__

    payload = json.dumps([CACHE_VERSION, __version__, scenario.digest(),
                          {k: round(v, 9) for k, v in sorted(ref.metal_wt_pct.items())},
                          {k: round(v, 9) for k, v in sorted(ref.nonmetallic_wt_pct.items())},
                          round(ref.metal_yield, 9), round(ref.charge_temperature_k, 9),
                          min_share, FD_ELEMENTS, FD_RELATIVE_STEP, FD_MIN_STEP_WT_PCT,
                          MAX_DURATION_STRETCH], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


_MEMORY: dict[str, Linearisation] = {}


def linearise(scenario: Scenario, reference: Feed, min_share: float,
              use_cache: bool = True) -> Linearisation:
    """Finite-difference linearisation of the cycle of `scenario` around `reference`
    (cached in memory and on disk)."""
    key = _cache_key(scenario, reference, min_share)
    if use_cache and key in _MEMORY:
        lin = _MEMORY[key]
        lin.cached = True
        return lin
    path = _cache_dir() / f"{key}.json"
    if use_cache and path.exists():
        try:
            raw = json.loads(path.read_text())
            lin = Linearisation(scenario, reference, min_share,
                                tuple(raw["fd_elements"]), tuple(raw["names"]),
                                np.asarray(raw["r0"]), np.asarray(raw["grad"]), raw["runs"],
                                raw["max_duration_days"], raw["elapsed_s"], cached=True)
            _MEMORY[key] = lin
            return lin
        except (OSError, ValueError, KeyError):
            pass
    lin = _compute(scenario, reference, min_share)
    _MEMORY[key] = lin
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"fd_elements": lin.fd_elements, "names": lin.names,
                                   "r0": lin.r0.tolist(), "grad": lin.grad.tolist(),
                                   "runs": lin.runs, "max_duration_days": lin.max_duration_days,
                                   "elapsed_s": lin.elapsed_s}))
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: the in-memory cache still works
    return lin


def _compute(scenario: Scenario, ref: Feed, min_share: float) -> Linearisation:
    t0 = time.perf_counter()
    t_plan, t_max = duration_limits_days(scenario)
    stretched = scenario  # no plan limit: only the physical limits end the runs
    if t_plan is not None:  # in d, within the simulator horizon
        stretched = scenario.derive({"campaign.termination.max_duration":
                                     min(MAX_DURATION_STRETCH * t_plan, HORIZON_DAYS)})
    points = [("reference", ref, 0.0)]
    points += [(el, perturbed(ref, el, fd_step(ref, el)), fd_step(ref, el)) for el in FD_ELEMENTS]
    rows, runs = [], []
    for label, feed, step in points:
        t1 = time.perf_counter()
        sol = simulate_feed(stretched, feed)
        rows.append(responses(sol, feed, min_share))
        runs.append({"perturbed": label, "step_wt_pct": step,
                     "cycle_days": sol.summary["cycle_days"],
                     "termination": sol.summary["termination"],
                     "elapsed_s": time.perf_counter() - t1})
    names = tuple(sorted({n for r in rows for n in r}))
    base = np.array([rows[0].get(n, 0.0) for n in names])
    grad = np.zeros((len(names), len(FD_ELEMENTS)))
    for k, (_label, _feed, step) in enumerate(points[1:]):
        grad[:, k] = (np.array([rows[k + 1].get(n, 0.0) for n in names]) - base) / step
    return Linearisation(scenario, ref, min_share, FD_ELEMENTS, names, base, grad,
                         runs, t_max, time.perf_counter() - t0)
