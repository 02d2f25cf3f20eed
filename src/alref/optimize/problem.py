"""The blend MILP built from the input and the linearised pot (see `alref.optimize.service`).

Decision variables: trucks n_j of every lot j (integer when the lot has a truck size,
else tonnes), a binary b_j per lot with a minimum lot (x_j = 0 or x_j >= min_lot_j), and
the pot cycles used n_cyc. With x_j = truck_j n_j tonnes as received, y_j the lot's metal
yield and r(c_j) a linearised response at the lot's composition, a mix's response total is
sum_j x_j y_j r(c_j) because r is affine and the mix's composition is the metal-weighted
mean of the lots' (`alref.optimize.linear_model`). Rows:

* grade: for every limit U of the target grade, sum_j x_j y_j (q(c_j) - U) <= 0 with q the
  wt % that the cleanest ``min_share`` of the product does not exceed (chance row);
* anode alloy budget: sum_j x_j y_j u(c_j) <= n_cyc, u = cycles per tonne of metal (chance
  row); cycle time limit: sum_j x_j y_j / (metal per day x maximum duration) <= n_cyc;
  cycles available: n_cyc <= plan.cycles;
* supply: plan.scrap_t <= sum_j x_j <= plan.scrap_max_t; availability (bounds on n_j);
  minimum lots: min_lot_j b_j <= x_j <= available_j b_j.
Objective: cost (scrap + cycle turnovers + salt for the Mg load), -margin or CO2e.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from alref.cell.feed import Feed
from alref.materials.grades import Grade
from alref.materials.scrap import scrap_class
from alref.optimize.blend_input import BlendInput
from alref.optimize.linear_model import Linearisation, class_feed, duration_limits_days
from alref.optimize.milp import Problem, Row
from alref.optimize.robust import Group, group_sigmas


@dataclass(frozen=True)
class LotData:
    name: str
    scrap: str  # class key
    group: str
    price_usd_per_t: float
    available_t: float
    truck_t: float  # 1.0 for continuous lots
    integer: bool
    min_lot_t: float
    co2_t_per_t: float
    feed: Feed

    @property
    def metal_yield(self) -> float:
        return self.feed.metal_yield

    @property
    def max_units(self) -> float:
        return math.floor(self.available_t / self.truck_t + 1e-9) if self.integer else self.available_t


def prepare_lots(inp: BlendInput, charge_temperature_k: float
                 ) -> tuple[list[LotData], list[Group]]:
    """Lots with their mean feed (charged at the plan's charge temperature); groups of
    lots sharing a composition draw."""
    lots, groups = [], {}
    for i, lot in enumerate(inp.lot):
        sc = scrap_class(lot.scrap, key=f"lot[{i}].scrap")
        means = {el: a.mean for el, a in lot.assay.items()}
        key = f"lot:{lot.name}" if lot.assay else sc.key
        groups.setdefault(key, Group(key, sc.key, means, {el: a.sd for el, a in lot.assay.items()}))
        lots.append(LotData(lot.name, sc.key, key, inp.price_usd_per_t(i), lot.available_t,
                            lot.truck_t or 1.0, lot.truck_t is not None, lot.min_lot_t,
                            lot.co2_t_per_t,
                            class_feed(sc.key, means, charge_temperature_k=charge_temperature_k)))
    return lots, list(groups.values())


def grade_limits(grade: Grade, lin: Linearisation) -> list[tuple[str, list[str], float]]:
    """(label, responses summed, limit wt %) for the grade's limits the product can reach."""
    present = set(lin.product_elements())
    out = [(el, [f"q.{el}"], lim) for el, lim in grade.max.items() if el in present]
    named = set(grade.max)
    for els, lim in grade.combined:
        named |= set(els)
        have = [f"q.{el}" for el in els if el in present]
        if have:
            out.append(("+".join(els), have, lim))
    if grade.others_each is not None:
        out += [(el, [f"q.{el}"], float(grade.others_each)) for el in sorted(present - named)]
    out.append(("Al", ["q.sum"], 100.0 - grade.al_min))
    return out


@dataclass
class Built:
    problem: Problem
    lots: list[LotData]
    groups: list[Group]
    lin: Linearisation
    per_t: dict[str, np.ndarray]  # response per t as received, per lot (deterministic part)
    grade_rows: list[int]
    budget_row: int
    grade: Grade
    calibration: dict[int, float] = field(default_factory=dict)


def _per_lot(lin: Linearisation, lots: list[LotData], names: list[str]) -> np.ndarray:
    return np.array([sum(lin.value(n, lot.feed) for n in names) * lot.metal_yield for lot in lots])


def build(inp: BlendInput, lots: list[LotData], groups: list[Group], lin: Linearisation,
          grade: Grade, only: int | None = None) -> Built:
    """The MILP (deterministic rows plus chance-row sigmas); `only` keeps one lot buyable."""
    nl = len(lots)
    nv = 2 * nl + 1
    cyc = 2 * nl
    unit = np.array([lot.truck_t for lot in lots])
    y = np.array([lot.metal_yield for lot in lots])

    def on_lots(per_t: np.ndarray) -> np.ndarray:
        v = np.zeros(nv)
        v[:nl] = per_t * unit
        return v

    gm = np.zeros((len(groups), nv))
    gindex = {g.key: k for k, g in enumerate(groups)}
    for j, lot in enumerate(lots):
        gm[gindex[lot.group], j] = lot.truck_t
    yields = {g.key: next(lot.metal_yield for lot in lots if lot.group == g.key) for g in groups}
    plan = inp.plan
    rows: list[Row] = []
    per_t: dict[str, np.ndarray] = {}
    grade_rows = []
    limits = grade_limits(grade, lin)
    sig_in = {label: sum(lin.gradient(n) for n in names) for label, names, _ in limits}
    sig_in["cycles_per_t"] = lin.gradient("cycles_per_t")
    sigmas = group_sigmas(groups, sig_in, lin.fd_elements, yields)
    share = inp.target.min_share
    for label, names, lim in limits:
        a = _per_lot(lin, lots, names) - y * lim
        per_t[f"grade:{label}"] = a
        grade_rows.append(len(rows))
        rows.append(Row(f"grade {grade.name}: {label} <= {lim:g} wt % in the cleanest "
                        f"{share:.0%} of the product", "target.grade", on_lots(a), hi=0.0,
                        sigma=sigmas[label], unit="wt % x t of metal"))
    u = np.clip([lin.value("cycles_per_t", lot.feed) for lot in lots], 0.0, None) * y
    per_t["cycles"] = u
    coef = on_lots(u)
    coef[cyc] = -1.0
    budget_row = len(rows)
    rows.append(Row("anode alloy budget (cycles the charge needs)", "plan.cycles", coef, hi=0.0,
                    sigma=sigmas["cycles_per_t"], unit="cycles"))
    rate = lin.value("metal_t_per_day", lin.reference)
    coef = on_lots(y / (rate * lin.max_duration_days))
    coef[cyc] = -1.0
    per_t["cycles_time"] = y / (rate * lin.max_duration_days)
    t_plan, _t_max = duration_limits_days(lin.scenario)
    label = (f"cycle time limit ({lin.max_duration_days:g} d per cycle, the plan's maximum)"
             if t_plan is not None else
             f"simulator horizon ({lin.max_duration_days:g} d per cycle; the plan sets no "
             "maximum duration)")
    rows.append(Row(label, "plan.cycles", coef, hi=0.0, unit="cycles"))
    e = np.zeros(nv)
    e[cyc] = 1.0
    rows.append(Row(f"cycles available ({plan.cycles:g})", "plan.cycles", e, hi=plan.cycles,
                    unit="cycles"))
    ones = on_lots(np.ones(nl))
    rows.append(Row(f"scrap to buy (at least {plan.scrap_t:g} t)", "plan.scrap_t", ones,
                    lo=plan.scrap_t, requirement=True, unit="t"))
    qmax = plan.scrap_max_t or plan.scrap_t + max(unit.max(), 1.0)
    rows.append(Row(f"scrap to buy (at most {qmax:g} t)", "plan.scrap_max_t", ones, hi=qmax,
                    requirement=True, unit="t"))
    lb, ub = np.zeros(nv), np.zeros(nv)
    integrality = np.zeros(nv)
    for j, lot in enumerate(lots):
        ub[j] = 0.0 if (only is not None and j != only) else lot.max_units
        integrality[j] = 1 if lot.integer else 0
        if lot.min_lot_t > 0:
            ub[nl + j], integrality[nl + j] = 1.0, 1
            c1 = np.zeros(nv)
            c1[j], c1[nl + j] = lot.truck_t, -lot.min_lot_t
            rows.append(Row(f"minimum lot of {lot.name}", f"lot.{lot.name}.min_lot_t", c1,
                            lo=0.0, elastic=False, report=False))
            c2 = np.zeros(nv)
            c2[j], c2[nl + j] = lot.truck_t, -lot.available_t
            rows.append(Row(f"lot {lot.name} bought only if chosen", f"lot.{lot.name}", c2,
                            hi=0.0, elastic=False, report=False))
    ub[cyc] = np.inf
    price = np.array([lot.price_usd_per_t for lot in lots])
    salt = np.clip([lin.value("salt_kg_per_t", lot.feed) for lot in lots], 0.0, None) * y
    product = np.array([lin.value("product_t_per_t", lot.feed) for lot in lots]) * y
    per_t.update(price=price, salt_kg=salt, product_t=product,
                 co2=np.array([lot.co2_t_per_t for lot in lots]))
    cost = on_lots(price + plan.bath_usd_per_kg * salt)
    cost[cyc] = plan.cycle_cost_usd
    kind = inp.objective.kind
    if kind == "cost":
        c = cost
    elif kind == "margin":
        c = cost - on_lots(product * float(inp.objective.product_usd_per_t or 0.0))
    else:
        c = on_lots(per_t["co2"] + inp.objective.product_co2_t_per_t * product)
        c[cyc] = plan.cycle_co2_t
    names = [f"trucks:{lot.name}" for lot in lots] + [f"chosen:{lot.name}" for lot in lots]
    problem = Problem(c, lb, ub, integrality, rows, gm, [*names, "cycles"])
    return Built(problem, lots, groups, lin, per_t, grade_rows, budget_row, grade)
