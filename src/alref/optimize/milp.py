"""A small MILP with optional second-order-cone (chance) rows, solved by HiGHS.

`scipy.optimize.milp` (HiGHS branch and cut) solves the linear part. Rows that carry a
`sigma` (per group) are chance constraints ``coef.v + z ||sigma * (G v)||_2 <= hi``
(`alref.optimize.robust`); they are imposed by outer approximation: the cone is
replaced by supporting hyperplanes, starting from ||s X|| >= s_G X_G for every group
and adding the hyperplane at each iterate that violates the cone (Kelley's cutting-plane
method), until every cone holds within a tolerance. The result is then feasible for the
cone constraints (up to that tolerance) and optimal for the outer approximation, hence
optimal for the cone problem.

An infeasible problem is diagnosed with an elastic copy: each named row gets a
non-negative slack, their scaled sum is minimised, and the rows that need slack are
reported (`Infeasible.binding`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from alref.optimize.robust import cone_cut, cone_value

#: cone tolerance relative to the row's scale (sum of |terms| + |rhs|)
CONE_REL_TOL = 1e-6
MAX_CUT_ROUNDS = 60
#: HiGHS settings: relative MIP gap and a time cap (s) per MILP
MIP_REL_GAP = 1e-7
TIME_LIMIT_S = 30.0


@dataclass
class Row:
    """lo <= coef . v (+ z ||sigma * (G v)||) <= hi, named for reports."""

    name: str
    key: str
    coef: np.ndarray
    lo: float = -np.inf
    hi: float = np.inf
    sigma: np.ndarray | None = None
    elastic: bool = True
    report: bool = True  # structural rows (lot switches) are not listed as binding
    requirement: bool = False  # kept hard in the first diagnosis pass (what must be bought)
    unit: str = ""


@dataclass
class Problem:
    c: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integrality: np.ndarray
    rows: list[Row]
    group_matrix: np.ndarray  # groups x variables: tonnes of each group
    var_names: list[str]


@dataclass
class Result:
    status: str
    v: np.ndarray
    objective: float
    rounds: int
    cuts: int
    solve_time_s: float
    cone_violation: float
    message: str = ""
    binding: list[str] = field(default_factory=list)


class Infeasible(Exception):
    """No solution: `binding` names the rows that cannot all hold."""

    def __init__(self, binding: list[tuple[str, str, float]], message: str) -> None:
        super().__init__(message)
        self.binding = binding


def row_value(row: Row, v: np.ndarray, g: np.ndarray, z: float) -> float:
    val = float(row.coef @ v)
    if row.sigma is not None and z > 0:
        val += z * cone_value(row.sigma, g @ v)
    return val


def _row_scale(row: Row, v: np.ndarray) -> float:
    return float(np.abs(row.coef * v).sum()) + (abs(row.hi) if np.isfinite(row.hi) else 0.0) + 1e-9


def _matrix(p: Problem, z: float, cuts: list[tuple[int, np.ndarray]]) -> LinearConstraint:
    a, lo, hi = [], [], []
    for r in p.rows:
        a.append(r.coef)
        lo.append(r.lo)
        hi.append(r.hi)
    for i, cut in cuts:
        r = p.rows[i]
        a.append(r.coef + z * (cut @ p.group_matrix))
        lo.append(-np.inf)
        hi.append(r.hi)
    return LinearConstraint(np.vstack(a), np.array(lo), np.array(hi))


def _milp(p: Problem, c: np.ndarray, cons: LinearConstraint, integrality: np.ndarray,
          lb: np.ndarray, ub: np.ndarray) -> Any:
    return milp(c, integrality=integrality, bounds=Bounds(lb, ub), constraints=cons,
                options={"mip_rel_gap": MIP_REL_GAP, "time_limit": TIME_LIMIT_S})


def solve(p: Problem, z: float = 0.0) -> Result:
    """Solve; raise `Infeasible` naming the rows that conflict."""
    t0 = time.perf_counter()
    cuts: list[tuple[int, np.ndarray]] = []
    if z > 0:  # initial outer approximation: ||s X|| >= s_G X_G for each group
        for i, r in enumerate(p.rows):
            if r.sigma is not None:
                for k in range(len(r.sigma)):
                    e = np.zeros(len(r.sigma))
                    e[k] = r.sigma[k]
                    cuts.append((i, e))
    rounds, worst = 0, 0.0
    res = None
    while True:
        rounds += 1
        res = _milp(p, p.c, _matrix(p, z, cuts), p.integrality, p.lb, p.ub)
        if res.status != 0 or res.x is None:
            break
        v = np.asarray(res.x)
        worst, new = 0.0, 0
        for i, r in enumerate(p.rows):
            if r.sigma is None or z <= 0:
                continue
            excess = row_value(r, v, p.group_matrix, z) - r.hi
            worst = max(worst, excess / _row_scale(r, v))
            if excess > CONE_REL_TOL * _row_scale(r, v):
                cut = cone_cut(r.sigma, p.group_matrix @ v)
                if cut is not None:
                    cuts.append((i, cut))
                    new += 1
        if new == 0 or rounds >= MAX_CUT_ROUNDS:
            break
    elapsed = time.perf_counter() - t0
    if res is None or res.status != 0 or res.x is None:
        if res is not None and res.status == 2:
            raise diagnose(p, z)
        raise Infeasible([], f"HiGHS stopped without a solution: {getattr(res, 'message', '')}")
    v = np.asarray(res.x)
    return Result("optimal" if worst <= CONE_REL_TOL else "approximate", v, float(res.fun),
                  rounds, len(cuts), elapsed, worst, str(res.message),
                  binding_rows(p, v, z))


def binding_rows(p: Problem, v: np.ndarray, z: float, rel_tol: float = 1e-5) -> list[str]:
    """Rows at one of their bounds and variables at a bound that is not zero."""
    out = []
    for r in p.rows:
        if not r.report:
            continue
        val = row_value(r, v, p.group_matrix, z)
        scale = _row_scale(r, v)
        if (np.isfinite(r.hi) and abs(r.hi - val) <= rel_tol * scale) or (
                np.isfinite(r.lo) and abs(val - r.lo) <= rel_tol * scale):
            out.append(r.name)
    for name, x, ub in zip(p.var_names, v, p.ub, strict=True):
        if name.startswith("trucks:") and ub > 0 and abs(x - ub) < 1e-6:
            out.append(f"availability of lot {name.split(':', 1)[1]}")
    for r in p.rows:  # a lot bought at exactly its minimum
        if r.name.startswith("minimum lot of ") and abs(float(r.coef @ v)) < 1e-6 and any(
                r.coef[k] < 0 and v[k] > 0.5 for k in range(len(v))):
            out.append(r.name)
    return out


def diagnose(p: Problem, z: float, keep_requirements: bool = True) -> Infeasible:
    """Elastic copy: a slack per elastic row; minimal scaled total slack names the culprits.

    First the requirements (what must be bought) stay hard, so the report names the limits
    (grade, cycles, time) that stop them; if even then no blend exists, the requirements
    are relaxed too (e.g. more scrap asked for than is on offer)."""
    rows = [r for r in p.rows if r.elastic and not (keep_requirements and r.requirement)]
    n, m = len(p.c), len(rows)
    scale = np.array([max(np.abs(r.coef).max() * max(p.ub[np.isfinite(p.ub)].max(initial=1.0), 1.0),
                          abs(r.hi) if np.isfinite(r.hi) else 0.0,
                          abs(r.lo) if np.isfinite(r.lo) else 0.0, 1e-9) for r in rows])
    position = {id(r): j for j, r in enumerate(rows)}
    a, lo, hi = [], [], []
    for r in p.rows:
        ext = np.zeros(m)
        if id(r) in position:
            j = position[id(r)]
            ext[j] = -1.0 if np.isfinite(r.hi) else 1.0  # elastic rows are one-sided
        coef = np.concatenate([r.coef, ext])
        if r.sigma is not None and z > 0:  # outer approximation of the cone (valid bound)
            for k in range(len(r.sigma)):
                a.append(coef + np.concatenate([z * r.sigma[k] * p.group_matrix[k], np.zeros(m)]))
                lo.append(-np.inf)
                hi.append(r.hi)
        a.append(coef)
        lo.append(r.lo)
        hi.append(r.hi)
    if not rows:
        return Infeasible([], "infeasible: the lots cannot meet the requirements")
    c = np.concatenate([np.zeros(n), 1.0 / scale])
    res = _milp(p, c, LinearConstraint(np.vstack(a), np.array(lo), np.array(hi)),
                np.concatenate([p.integrality, np.zeros(m)]),
                np.concatenate([p.lb, np.zeros(m)]), np.concatenate([p.ub, np.full(m, np.inf)]))
    if res.x is None:
        if keep_requirements:
            return diagnose(p, z, keep_requirements=False)
        return Infeasible([], "infeasible, and the elastic diagnosis failed: " + str(res.message))
    slack = np.asarray(res.x)[n:]
    culprits = [(r.name, r.key, float(s)) for r, s, sc in zip(rows, slack, scale, strict=True)
                if s > 1e-7 * sc]
    if not culprits:
        names = [r.name for r in rows if r.sigma is not None]
        return Infeasible([(nm, "--confidence", 0.0) for nm in names],
                          "infeasible only with the chance constraints at this confidence: "
                          + "; ".join(names))
    units = {r.name: r.unit for r in rows}
    text = "; ".join(f"{nm} (violated by {s:.4g} {units[nm]})".replace(" )", ")")
                     for nm, _k, s in culprits)
    return Infeasible(culprits, f"no feasible blend: these constraints cannot all hold: {text}")
