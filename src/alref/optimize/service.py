"""`alref blend`: refining-aware scrap purchase for a pot plan (solve, verify, refresh).

1. The pot's cycle is linearised around a reference mix (the lots weighted by what is on
   offer) with the campaign model (`alref.optimize.linear_model`).
2. The MILP (`alref.optimize.problem`) is solved by HiGHS, with the chance constraints by
   outer approximation (`alref.optimize.milp`, `alref.optimize.robust`).
3. The chosen mix is simulated with the full campaign model (`alref.optimize.verify`). If
   the predicted and simulated cycle use or product purity disagree beyond
   `VERIFY_CYCLES_REL_TOL` / `VERIFY_PRODUCT_ABS_TOL_WT_PCT`, the linearisation is refreshed
   around the chosen mix and the problem solved again (at most `MAX_ROUNDS` rounds).
4. A Monte Carlo over the scrap compositions checks the chance constraints.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from alref.cell.feed import Feed
from alref.citations import track_citations
from alref.errors import ConfigError
from alref.materials.composition import Composition
from alref.materials.grades import check_grade, classify, get_grade
from alref.optimize.blend_input import BlendInput, load_blend_input
from alref.optimize.linear_model import FD_ELEMENTS, linearise
from alref.optimize.milp import Infeasible, Result, solve
from alref.optimize.problem import Built, build, prepare_lots
from alref.optimize.robust import z_value
from alref.optimize.verify import (
    calibrate,
    mix_feed,
    monte_carlo,
    simulate_mix,
    simulated_draws,
)
from alref.scenario import load_scenario

#: agreement needed between the linear prediction and the simulation of the chosen mix
#: (numerical settings of the refresh loop, not physical data)
VERIFY_CYCLES_REL_TOL = 0.05
VERIFY_PRODUCT_ABS_TOL_WT_PCT = 0.01
MAX_ROUNDS = 3
MC_SEED = 7
#: calibration of the normal approximation by Monte Carlo (numerical settings)
CALIBRATION_ROUNDS = 3
CALIBRATION_DRAWS = 20000
CALIBRATION_SEED = 11


def solve_built(built: Built, z: float) -> Result:
    """Solve; an infeasible problem becomes a ConfigError naming the binding constraints."""
    try:
        return solve(built.problem, z)
    except Infeasible as exc:
        key = exc.binding[0][1] if exc.binding else "target"
        raise ConfigError(key, str(exc)) from None


def tonnes_of(built: Built, v: np.ndarray) -> list[float]:
    nl = len(built.lots)
    return [lot.truck_t * (float(round(n)) if lot.integer else max(float(n), 0.0))
            for lot, n in zip(built.lots, v[:nl], strict=True)]


def predict(built: Built, v: np.ndarray, inp: BlendInput) -> dict[str, Any]:
    """What the linear model says about the mix chosen (totals over the purchase)."""
    x = np.array(tonnes_of(built, v))
    lin, pt = built.lin, built.per_t
    feed = mix_feed(built, x)
    metal_t = float(sum(xj * lot.metal_yield for xj, lot in zip(x, built.lots, strict=True)))
    mean = {el: max(lin.value(f"mean.{el}", feed), 0.0) for el in lin.product_elements()}
    comp = Composition.from_wt_pct(mean, balance="Al")
    cycles_budget = float(x @ pt["cycles"])
    cycles_time = float(x @ pt["cycles_time"])
    cycles = max(cycles_budget, cycles_time)
    rate = lin.value("metal_t_per_day", feed)
    salt_kg = float(x @ pt["salt_kg"])
    scrap_cost = float(x @ pt["price"])
    plan = inp.plan
    cu_in = metal_t * feed.metal_wt_pct.get("Cu", 0.0) / 100.0
    q = {el: max(lin.value(f"q.{el}", feed), 0.0) for el in lin.product_elements()}
    return {
        "product_wt_pct": comp.as_dict(),
        "product_al_wt_pct": comp.al_wt_pct,
        "grade": classify(comp).grade,
        "meets_target_grade": bool(check_grade(comp, built.grade).passed),
        "cleanest_share_wt_pct": q,
        "feed_metal_wt_pct": feed.metal_wt_pct,
        "metal_t": metal_t,
        "cycles_needed": cycles,
        "cycles_limited_by": "anode alloy budget" if cycles_budget >= cycles_time
        else "cycle time limit",
        "cycles_per_t_metal": cycles / metal_t,
        "cycle_days": (metal_t / cycles) / rate,
        "product_t": float(x @ pt["product_t"]),
        "salt_kg": salt_kg,
        "mg_charged_kg": 1000.0 * metal_t * feed.metal_wt_pct.get("Mg", 0.0) / 100.0,
        "cu_balance_kg": {
            "charged": 1000.0 * cu_in,
            "to_product": 1000.0 * cu_in * max(lin.value("cu_to_product", feed), 0.0),
            "to_anode_alloy_and_residue": 1000.0 * cu_in * (
                1.0 - max(lin.value("cu_to_product", feed), 0.0)),
        },
        "cost_breakdown_usd": {
            "scrap": scrap_cost,
            "cycle_turnovers": plan.cycle_cost_usd * cycles,
            "salt_for_mg_load": plan.bath_usd_per_kg * salt_kg,
        },
        "co2_t": float(x @ pt["co2"]) + plan.cycle_co2_t * cycles
        + inp.objective.product_co2_t_per_t * float(x @ pt["product_t"]),
    }


def _agreement(pred: dict[str, Any], sim: dict[str, Any]) -> dict[str, Any]:
    d_cyc = abs(pred["cycles_per_t_metal"] - sim["cycles_per_t_metal"]) / sim["cycles_per_t_metal"]
    d_prod = abs(pred["product_al_wt_pct"] - sim["product_al_wt_pct"])
    return {"cycles_per_t_rel_diff": d_cyc, "product_al_abs_diff_wt_pct": d_prod,
            "cycles_tolerance": VERIFY_CYCLES_REL_TOL,
            "product_tolerance_wt_pct": VERIFY_PRODUCT_ABS_TOL_WT_PCT,
            "agree": d_cyc <= VERIFY_CYCLES_REL_TOL and d_prod <= VERIFY_PRODUCT_ABS_TOL_WT_PCT}


def optimise(inp: BlendInput, confidence: float = 0.95, reference: Feed | None = None,
             only: int | None = None) -> tuple[Built, Result, float]:
    """One linearise + solve (no simulation of the result). Returns (built, result,
    linearisation time). `only`: allow only lot `only` (single-scrap comparisons)."""
    z = z_value(confidence)
    grade = get_grade(inp.target.grade, key="target.grade")
    plan = load_scenario(inp.plan.scenario, inp.plan.overrides)
    lots, groups = prepare_lots(inp, plan.inputs().charge_temperature_k)
    ref = reference or Feed.mix([(lot.feed, lot.available_t) for lot in lots])
    t0 = time.perf_counter()
    lin = linearise(plan, ref, inp.target.min_share)
    t_lin = time.perf_counter() - t0
    t1 = time.perf_counter()
    built = build(inp, lots, groups, lin, grade, only=only)
    res = solve_built(built, z)
    for _ in range(CALIBRATION_ROUNDS if z > 0 else 0):
        factors = calibrate(built, res.v, z, confidence, CALIBRATION_DRAWS, CALIBRATION_SEED)
        if not factors:
            break
        for i, f in factors.items():
            row = built.problem.rows[i]
            row.sigma = row.sigma * f if row.sigma is not None else None
            built.calibration[i] = built.calibration.get(i, 1.0) * f
        res = solve_built(built, z)
    res.solve_time_s = time.perf_counter() - t1  # build + MILP(s) + calibration
    return built, res, t_lin


#: caps on the Monte Carlo draws (a bound on memory and time, not on statistics: 1e6 draws
#: of the linear model take ~100 MB; each simulator draw is a full campaign of seconds)
MAX_MC_SAMPLES = 1_000_000
MAX_MC_SIMS = 1000


def blend(source: str | None = None, confidence: float = 0.95, *,
          inp: BlendInput | None = None, verify: bool = True, mc_samples: int = 2000,
          mc_sims: int = 3) -> dict[str, Any]:
    """Service behind `alref blend`: the JSON object of the CLI contract."""
    with track_citations() as tracker:
        out = _blend(source, confidence, inp, verify, mc_samples, mc_sims)
    out["citations"] = tracker.sorted_keys()
    return out


def _blend(source: str | None, confidence: float, inp: BlendInput | None, verify: bool,
           mc_samples: int, mc_sims: int) -> dict[str, Any]:
    for key, n, cap in (("--mc-samples", mc_samples, MAX_MC_SAMPLES),
                        ("--mc-sims", mc_sims, MAX_MC_SIMS)):
        if not 0 <= n <= cap:
            raise ConfigError(key, f"{n} is outside the range [0, {cap}]")
    z = z_value(confidence)
    inp = inp or load_blend_input(source)
    load_scenario(inp.plan.scenario, inp.plan.overrides)
    rounds: list[dict[str, Any]] = []
    t_lin_total, ref = 0.0, None
    sim: dict[str, Any] | None = None
    for k in range(MAX_ROUNDS):
        built, res, t_lin = optimise(inp, confidence, reference=ref)
        t_lin_total += t_lin
        pred = predict(built, res.v, inp)
        tonnes = tonnes_of(built, res.v)
        info = {"round": k + 1, "linearisation_s": t_lin, "linearisation_cached":
                built.lin.cached, "solve_time_s": res.solve_time_s,
                "mix_t": {lot.name: x for lot, x in zip(built.lots, tonnes, strict=True) if x > 0}}
        rounds.append(info)
        if not verify:
            break
        sim = simulate_mix(built, tonnes, built.grade, inp.target.min_share)
        info["agreement"] = _agreement(pred, sim)
        if info["agreement"]["agree"]:
            break
        ref = mix_feed(built, tonnes)
    out = _report(inp, confidence, z, built, res, pred, sim, rounds, t_lin_total,
                  mc_samples, mc_sims)
    if z > 0:  # the price of robustness, on the same linearisation
        det = solve_built(built, 0.0)
        dpred = predict(built, det.v, inp)
        out["deterministic"] = {
            "cost_usd": sum(dpred["cost_breakdown_usd"].values()),
            "objective_value": det.objective,
            "mix_t": {lot.name: x for lot, x in zip(built.lots, tonnes_of(built, det.v),
                                                    strict=True) if x > 0},
            "cycles_planned": float(det.v[-1]),
        }
    return out


def _report(inp: BlendInput, confidence: float, z: float, built: Built, res: Result,
            pred: dict[str, Any], sim: dict[str, Any] | None, rounds: list[dict[str, Any]],
            t_lin: float, mc_samples: int, mc_sims: int) -> dict[str, Any]:
    tonnes = tonnes_of(built, res.v)
    mix: dict[str, float] = {}
    lots = []
    for lot, x, n in zip(built.lots, tonnes, res.v[: len(built.lots)], strict=True):
        if x > 0:
            mix[lot.scrap] = mix.get(lot.scrap, 0.0) + 1000.0 * x
            lots.append({"lot": lot.name, "scrap": lot.scrap, "tonnes": x,
                         "trucks": round(float(n)) if lot.integer else None,
                         "price_usd_per_t": lot.price_usd_per_t,
                         "cost_usd": x * lot.price_usd_per_t})
    mc: dict[str, Any] = {}
    if mc_samples > 0:
        mc = monte_carlo(built, res.v, inp.plan.cycles, mc_samples, MC_SEED)
    if mc_sims > 0:
        mc["simulated"] = simulated_draws(built, tonnes, built.grade, inp.target.min_share,
                                          mc_sims, MC_SEED)
    lin = built.lin
    coeffs = {n: dict(zip(FD_ELEMENTS, map(float, lin.gradient(n)), strict=True))
              for n in ("cycles_per_t", "salt_kg_per_t", "product_t_per_t", "mean.Fe",
                        "mean.Si", "q.sum") if lin.has(n)}
    return {
        "status": res.status,
        "objective": inp.objective.kind,
        "objective_value": res.objective,
        "confidence": confidence,
        "mix": mix,
        "lots": lots,
        "cost_usd": sum(pred["cost_breakdown_usd"].values()),
        "cost_breakdown_usd": pred["cost_breakdown_usd"],
        "predicted_product": pred["product_wt_pct"],
        "grade": pred["grade"],
        "target": {"grade": built.grade.name, "min_share": inp.target.min_share,
                   "predicted_met": pred["meets_target_grade"]},
        "predicted": {k: v for k, v in pred.items() if k not in ("product_wt_pct", "grade")},
        "verified_by_simulation": sim,
        "solve_time_s": res.solve_time_s,
        "linearisation_time_s": t_lin,
        "rounds": rounds,
        "binding_constraints": res.binding,
        "chance_constraints": {
            "method": "individual chance constraints, normal approximation -> second-order "
                      "cones, solved by outer approximation (Kelley cuts) in the HiGHS MILP",
            "z": z, "cut_rounds": res.rounds, "cuts": res.cuts,
            "max_cone_violation_rel": res.cone_violation,
            "rows": ["grade limits (cleanest min_share of the product)",
                     "anode alloy budget (cycles)"],
            "correlation": "one composition draw per scrap class (lots of a class correlated)",
            "calibration": {built.problem.rows[i].name: f for i, f in built.calibration.items()},
            "calibration_note": "where the empirical quantile of a row's spread (20000 "
                                "draws) exceeds the normal one, its sigma is scaled up",
        },
        "monte_carlo": mc,
        "linearisation": {"reference_feed_wt_pct": lin.reference.metal_wt_pct,
                          "per_wt_pct_of_feed": coeffs, "runs": lin.runs,
                          "cached": lin.cached},
        "notes": [
            "product purity in the campaign model is set mostly by non-feed routes "
            "(hardware Fe, refractory Si, make-up salts) plus alloy entrainment; the feed "
            "acts mainly through the cycle length (anode alloy budget) and, through Mg, "
            "the bath replacements",
            "elements other than " + ", ".join(FD_ELEMENTS) + " are held at the reference "
            "feed's effect (no finite difference)",
        ],
    }


