"""Check a chosen blend: the full campaign model on the mix, and Monte Carlo over the scrap
compositions (through the linear model, and for a few draws through the simulator)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from alref.campaign.simulation import Simulation
from alref.cell.feed import Feed
from alref.materials.composition import Composition
from alref.materials.grades import Grade, check_grade, classify
from alref.optimize.linear_model import product_stats, responses, simulate_feed
from alref.optimize.problem import Built, grade_limits


def mix_feed(built: Built, tonnes: Sequence[float]) -> Feed:
    """The feed of a purchase: the lots mixed by the tonnes bought."""
    return Feed.mix([(lot.feed, x) for lot, x in zip(built.lots, tonnes, strict=True)])


def in_grade_share(lots: list[dict[str, Any]], grade: Grade) -> float:
    """Mass share of the tapped lots that meet `grade`."""
    total = sum(x["mass_kg"] for x in lots)
    ok = sum(x["mass_kg"] for x in lots if check_grade(
        Composition.from_wt_pct(x["composition_wt_pct"], balance="Al"), grade).passed)
    return ok / total if total > 0 else float("nan")


def simulated(sol: Any, feed: Feed, grade: Grade, min_share: float) -> dict[str, Any]:
    """What the campaign model says about one cycle on the mix."""
    s = sol.summary
    stats = product_stats(sol, min_share)
    comp = Composition.from_wt_pct({k: max(v, 0.0) for k, v in stats["mean"].items()},
                                   balance="Al")
    r = responses(sol, feed, min_share)
    share = in_grade_share(s["lots"], grade)
    return {
        "product_al_wt_pct": s["product_al_wt_pct"],
        "grade": classify(comp).grade,
        "meets_target_grade": bool(check_grade(comp, grade).passed) and share >= min_share,
        "in_grade_fraction": share,
        "cycle_days": s["cycle_days"],
        "termination": s["termination"],
        # the limit that ended the verified cycle (a plan limit or a physical one)
        "termination_limit": s.get("termination_limit"),
        "composition_wt_pct": comp.as_dict(),
        "product_kg_per_cycle": s["product_kg"],
        "scrap_kg_per_cycle": s["scrap_charged_kg"],
        "residue_kg_per_cycle": s["residue_kg"],
        "cycles_per_t_metal": r["cycles_per_t"],
        "salt_kg_per_t_metal": r["salt_kg_per_t"],
        "energy_kwh_per_kg": s["energy_kwh_per_kg"],
        "mass_balance_rel_error": s["mass_balance_rel_error"],
    }


def simulate_mix(built: Built, tonnes: Sequence[float], grade: Grade,
                 min_share: float) -> dict[str, Any]:
    """Run the campaign model on the chosen mix. Library-only mixes run the plan's
    scenario with ``feed.scrap`` set to the mix (`Scenario.derive`); mixes with assays
    charge the mixed composition directly."""
    lin = built.lin
    feed = mix_feed(built, tonnes)
    if all(not lot.group.startswith("lot:") for lot in built.lots):
        shares: dict[str, float] = {}
        total = sum(tonnes)
        for lot, x in zip(built.lots, tonnes, strict=True):
            if x > 0:
                shares[lot.scrap] = shares.get(lot.scrap, 0.0) + x / total
        fix = 1.0 - sum(shares.values())
        first = next(iter(shares))
        shares[first] += fix  # exact sum of 1 for Blend.from_mapping
        sol = Simulation.from_scenario(lin.scenario.derive({"feed.scrap": shares})).run()
        out = simulated(sol, feed, grade, min_share)
        out["feed_scrap"] = shares
    else:
        sol = simulate_feed(lin.scenario, feed)
        out = simulated(sol, feed, grade, min_share)
        out["feed_scrap"] = "composition of the mix (lots with assays)"
    return out


def draws(built: Built, n: int, seed: int) -> list[np.ndarray]:
    """Per group: n x K draws of the feed-metal composition of the FD elements (memoised
    per group, size and seed; each group has its own stream)."""
    out = []
    for k, g in enumerate(built.groups):
        key = (g.key, g.scrap, tuple(sorted(g.assay_mean.items())),
               tuple(sorted(g.assay_sd.items())), built.lin.fd_elements, n, seed)
        if key not in _DRAWS:
            rng = np.random.default_rng([seed, k, sum(map(ord, g.key))])
            _DRAWS[key] = g.sample(rng, n, built.lin.fd_elements)
        out.append(_DRAWS[key])
    return out


_DRAWS: dict[tuple, np.ndarray] = {}


def _means(built: Built) -> dict[str, np.ndarray]:
    lin = built.lin
    c_ref = np.array([lin.reference.metal_wt_pct.get(e, 0.0) for e in lin.fd_elements])
    return {g.key: lin.dc(next(lot.feed for lot in built.lots if lot.group == g.key)) + c_ref
            for g in built.groups}


def row_draws(built: Built, v: np.ndarray, row_index: int, grad: np.ndarray,
              d: list[np.ndarray]) -> np.ndarray:
    """Draws of a row's left side at solution v (deterministic part + composition spread)."""
    mean = _means(built)
    gindex = {g.key: k for k, g in enumerate(built.groups)}
    out = np.full(d[0].shape[0], float(built.problem.rows[row_index].coef @ v))
    for lot, n_units in zip(built.lots, v[: len(built.lots)], strict=True):
        xj = lot.truck_t * n_units
        if xj > 0:
            out += xj * lot.metal_yield * ((d[gindex[lot.group]] - mean[lot.group]) @ grad)
    return out


def chance_rows(built: Built) -> list[tuple[int, np.ndarray]]:
    """(row index, response gradient) of every chance row."""
    lin = built.lin
    limits = grade_limits(built.grade, lin)
    rows = [(i, sum(lin.gradient(nm) for nm in names))
            for i, (_label, names, _lim) in zip(built.grade_rows, limits, strict=True)]
    return [*rows, (built.budget_row, lin.gradient("cycles_per_t"))]


def calibrate(built: Built, v: np.ndarray, z: float, confidence: float, n: int,
              seed: int) -> dict[int, float]:
    """Factors by which the normal approximation under-states a chance row's quantile.

    The empirical quantile (at the confidence plus two binomial standard errors, a margin
    for the sampling noise of n draws) of each row's random part at the solution is
    compared with z ||sigma X||; rows whose factor exceeds 1 get their sigma scaled."""
    p = built.problem
    d = draws(built, n, seed)
    level = min(confidence + 2.0 * float(np.sqrt(confidence * (1 - confidence) / n)), 1 - 1e-9)
    out = {}
    for i, grad in chance_rows(built):
        r = p.rows[i]
        base = float(r.coef @ v)
        spread = row_draws(built, v, i, grad, d) - base
        cone = z * float(np.linalg.norm(r.sigma * (p.group_matrix @ v))) if r.sigma is not None else 0
        q = float(np.quantile(spread, level))
        if cone > 0 and q > cone:
            out[i] = q / cone
    return out


def monte_carlo(built: Built, v: np.ndarray, cycles: float, n: int, seed: int) -> dict[str, Any]:
    """Share of composition draws for which the linear model keeps the grade (all grade
    rows) and the anode alloy budget (cycles needed <= cycles planned by the solution)."""
    p = built.problem
    d = draws(built, n, seed)
    grade_ok = np.ones(n, dtype=bool)
    rows = chance_rows(built)
    for i, grad in rows[:-1]:
        grade_ok &= row_draws(built, v, i, grad, d) <= 1e-12
    need = row_draws(built, v, built.budget_row, rows[-1][1], d) + v[-1]  # row has -n_cyc
    time_need = float(p.rows[built.budget_row + 1].coef @ v) + v[-1]
    need = np.maximum(need, time_need)
    planned = max(float(v[-1]), time_need)
    budget_ok = need <= planned * (1 + 1e-9)
    return {
        "samples": n,
        "method": "composition draws of every group pushed through the linear model",
        "grade_met_fraction": float(grade_ok.mean()),
        "anode_budget_met_fraction": float(budget_ok.mean()),
        "both_met_fraction": float((grade_ok & budget_ok).mean()),
        "cycles_planned": planned,
        "cycles_available": cycles,
        "cycles_available_met_fraction": float((need <= cycles * (1 + 1e-9)).mean()),
        "cycles_needed_p50": float(np.quantile(need, 0.5)),
        "cycles_needed_p95": float(np.quantile(need, 0.95)),
    }


def simulated_draws(built: Built, tonnes: Sequence[float], grade: Grade, min_share: float,
                    n: int, seed: int) -> dict[str, Any]:
    """A few composition draws of the mix through the campaign model."""
    if n <= 0:
        return {"samples": 0}
    d = draws(built, n, seed + 1)
    gindex = {g.key: k for k, g in enumerate(built.groups)}
    rows = []
    for s in range(n):
        parts = []
        for lot, x in zip(built.lots, tonnes, strict=True):
            if x <= 0:
                continue
            drawn = {e: float(d[gindex[lot.group]][s, k])
                     for k, e in enumerate(built.lin.fd_elements)}
            base = dict(lot.feed.metal_wt_pct)
            base.update(drawn)
            base["Al"] = 0.0
            base["Al"] = 100.0 - sum(base.values())
            parts.append((lot.feed.with_metal(base), x))
        feed = Feed.mix(parts)
        sol = simulate_feed(built.lin.scenario, feed)
        sim = simulated(sol, feed, grade, min_share)
        rows.append({"in_grade_fraction": sim["in_grade_fraction"], "grade": sim["grade"],
                     "meets_target_grade": sim["meets_target_grade"],
                     "cycle_days": sim["cycle_days"],
                     "cycles_per_t_metal": sim["cycles_per_t_metal"]})
    return {"samples": n, "met_fraction": sum(r["meets_target_grade"] for r in rows) / n,
            "draws": rows}
