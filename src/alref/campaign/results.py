"""KPIs, summaries and Solutions of the rows of a finished engine.

`summary(eng, r)` is the campaign summary of row r (the `alref simulate --json` keys and
more); `kpis(eng, r)` the short form studies and benchmarks keep; `solution(eng, r)` the
full `Solution` with time series, lots (graded), the action log and the mass balance.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from alref.campaign.engine import DAY, Engine
from alref.campaign.layout import FARADAY
from alref.campaign.recorder import balance_errors
from alref.campaign.routes import ROUTES
from alref.campaign.solution import Action, Lot, Solution
from alref.materials.composition import Composition
from alref.materials.elements import molar_mass
from alref.materials.grades import classify, get_grade

#: summary keys kept by `kpis` (studies, benchmarks, the optimiser)
KPI_KEYS = ("scenario", "cycle_days", "termination", "product_kg", "scrap_charged_kg",
            "current_efficiency", "mean_cell_voltage_v", "energy_kwh_per_kg",
            "product_al_wt_pct", "product_in_grade_fraction", "residue_kg")


def _wt(names: list[str], masses: np.ndarray) -> dict[str, float]:
    pos = {n: float(m) for n, m in zip(names, masses, strict=True) if m > 0}
    tot = sum(pos.values())
    return {k: 100.0 * v / tot for k, v in pos.items()} if tot > 0 else {}


def target_grade(eng: Engine) -> str:
    return eng.campaign.termination.product_grade or "P1020A"


def kpis(eng: Engine, r: int) -> dict[str, Any]:
    """The short summary of row r (`KPI_KEYS`), or {"scenario", "error"} for a failed row."""
    row = eng.rows[r]
    if not eng.ok[r]:
        return {"scenario": row.name, "error": str(eng.errors[r])}
    rec = eng.recorder
    product, al, in_grade = rec.product_kg, rec.al_product_kg, rec.in_grade_kg
    faraday_al = rec.charge_c[r] * molar_mass("Al") / (3 * FARADAY)
    t_end = eng.t_end[r]
    duration = max(t_end, 1e-9)
    prod = product[r]
    mean_v = {k: float(v[r]) / duration for k, v in rec.v_sum.items()}
    residue = rec.residue_el[r].sum() if rec.residue_el is not None else 0.0
    return {
        "scenario": row.name,
        "cycle_days": t_end / DAY,
        "termination": eng.reason[r] or "not ended",
        "product_kg": prod,
        "scrap_charged_kg": rec.scrap_kg[r],
        "current_efficiency": al[r] / faraday_al if faraday_al > 0 else math.nan,
        "mean_cell_voltage_v": sum(mean_v.values()),
        "energy_kwh_per_kg": rec.energy_j[r] / 3.6e6 / prod if prod > 0 else math.nan,
        "dc_energy_kwh_per_kg": ((rec.energy_j[r] - rec.aux_energy_j[r]) / 3.6e6 / prod
                                 if prod > 0 else math.nan),
        "auxiliary_energy_kwh_per_kg": rec.aux_energy_j[r] / 3.6e6 / prod if prod > 0 else math.nan,
        "product_al_wt_pct": 100 * al[r] / prod if prod > 0 else math.nan,
        "product_in_grade_fraction": in_grade[r] / prod if prod > 0 else math.nan,
        "residue_kg": float(residue),
    }


def balance(eng: Engine) -> np.ndarray:
    """Relative element-balance errors (S x L) of every row."""
    P = eng.pools
    now = eng.layout.elements(P.A, P.K, P.B, P.G)
    return balance_errors(eng.initial_elements, now, eng.ledger)


def summary(eng: Engine, r: int, graded: list[Lot] | None = None) -> dict[str, Any]:
    """The full campaign summary of row r (the `alref simulate --json` keys and more)."""
    row, rec, lay = eng.rows[r], eng.recorder, eng.layout
    k = kpis(eng, r)
    duration = max(eng.t_end[r], 1e-9)
    mean_v = {name: float(v[r]) / duration for name, v in rec.v_sum.items()}
    errors = balance(eng)[r]
    present = (eng.initial_elements[r] + eng.ledger.inputs[r] > 0) | (eng.ledger.outputs[r] > 0)
    by_element = {e: float(errors[j]) for j, e in enumerate(lay.ledger_el) if present[j]}
    residue = rec.residue_el[r] if rec.residue_el is not None else np.zeros(len(lay.ledger_el))
    B = eng.pools.B[r]
    return {
        "scenario": row.name,
        "mode": "campaign",
        "design": row.design.name,
        "current_a": rec.charge_c[r] / duration,
        "cycle_days": k["cycle_days"],
        "termination": k["termination"],
        "product_kg": k["product_kg"],
        "scrap_charged_kg": k["scrap_charged_kg"],
        "current_efficiency": k["current_efficiency"],
        "mean_cell_voltage_v": sum(mean_v.values()),
        "voltage_breakdown_v": mean_v,
        "energy_kwh_per_kg": k["energy_kwh_per_kg"],
        "dc_energy_kwh_per_kg": k["dc_energy_kwh_per_kg"],
        "auxiliary_energy_kwh_per_kg": k["auxiliary_energy_kwh_per_kg"],
        "product_al_wt_pct": k["product_al_wt_pct"],
        "product_in_grade_fraction": k["product_in_grade_fraction"],
        "target_grade": target_grade(eng),
        "lots": [x.to_dict() for x in (graded if graded is not None else lots(eng, r))],
        "residue_kg": k["residue_kg"],
        "residue_composition_wt_pct": _wt(lay.ledger_el, residue),
        "residue_phases_kg": dict(rec.residue_phases[r]),
        "bath_final_kg": float(B.sum()),
        "bath_final_composition_wt_pct": _wt(lay.names, B),
        "mass_balance_rel_error": max(by_element.values()) if by_element else 0.0,
        "mass_balance_rel_error_by_element": by_element,
        "feed_composition_wt_pct": dict(row.feed.metal_wt_pct),
        "termination_limit": eng.reason_limit[r],
        "charge_cooling_max_k": float(eng.dip_max[r]),
        "heater_shortfall_max_kw": float(eng.op.short_max[r]) / 1e3,
        "limits": limit_margins(eng, r),
        "closest_limits": closest_limits(eng, r),
        "product_routes": product_routes(eng, r),
        "mass_ledger_kg": mass_ledger(eng, r),
    }


#: what the engine step's untagged output of an element is (cathode Al oxidised in air,
#: Zn evaporated: `alref.campaign.step_data.StepResult`)
LOST_TO_AIR = {"Al": "oxidised", "Zn": "fume"}


def mass_ledger(eng: Engine, r: int) -> dict[str, dict[str, dict[str, float]]]:
    """Row r's mass flows per element (kg): ``in`` (the initial inventory and the ledger's
    inputs by kind: scrap, additions, hardware and refractory) and ``out`` (outputs by kind:
    product, residue, bath removed, fume, oxidised, and what is left in each pool at the
    end). Per element the two sides agree to the mass-balance error of the run."""
    lay, P, led = eng.layout, eng.pools, eng.ledger
    ins = {"initial_inventory": eng.initial_elements[r],
           **{k: v[r] for k, v in led.inputs_by_kind.items()}}
    outs = {k: v[r] for k, v in led.outputs_by_kind.items() if k != "other"}
    if "other" in led.outputs_by_kind:  # the step's losses to air: Al oxidised, Zn fumed
        lost = led.outputs_by_kind["other"][r]
        for j, e in enumerate(lay.ledger_el):
            kind = LOST_TO_AIR.get(e, "other")
            outs.setdefault(kind, np.zeros_like(lost))[j] += lost[j]
    outs |= {"left_in_cathode": P.K[r] @ lay.to_el_metal, "left_in_bath": P.B[r] @ lay.to_el_bath,
             "left_in_anode": P.A[r] @ lay.to_el_metal, "left_in_sludge": P.G[r] @ lay.to_el_phase}
    out: dict[str, dict[str, dict[str, float]]] = {}
    for j, e in enumerate(lay.ledger_el):
        side_in = {k: float(v[j]) for k, v in ins.items() if v[j] > 0}
        side_out = {k: float(v[j]) for k, v in outs.items() if v[j] > 0}
        if side_in or side_out:
            out[e] = {"in": side_in, "out": side_out}
    return out


def product_routes(eng: Engine, r: int) -> dict[str, dict[str, float]]:
    """Share of each impurity's kg entering the cathode metal by route (research §3.10:
    equilibrium, particle, hardware, refractory, salts), over the whole run."""
    kg = eng.routes_kg[r]  # ROUTES x E
    out = {}
    for j, e in enumerate(eng.layout.el):
        tot = kg[:, j].sum()
        if e == "Al" or not tot > 0:
            continue
        out[e] = {name: float(kg[k, j] / tot) for k, name in enumerate(ROUTES)}
    return out


def limit_margins(eng: Engine, r: int) -> dict[str, dict[str, Any]]:
    """Every limit that applied to row r: its threshold and unit, and its margin (distance
    from the threshold, positive inside) at the start, at its smallest and at the end, with
    the share of the starting margin left at the end."""
    rec = eng.recorder
    out = {}
    for name, m in rec.margins.items():
        start, low, end = (float(m[k][r]) for k in ("start", "min", "end"))
        if not math.isfinite(start):
            continue
        unit, threshold = rec.limit_units[name]
        out[name] = {"unit": unit, "threshold": threshold, "margin_start": start,
                     "margin_min": low, "margin_end": end,
                     "remaining_fraction": end / start if start > 0 else math.nan}
    return out


def closest_limits(eng: Engine, r: int, n: int = 3) -> list[str]:
    """The limits (other than the one that ended the cycle, and not the simulator's
    horizon, which is no limit of the pot) that came closest: the smallest share of their
    starting margin left at the end (ties, to 1e-9, by name)."""
    m = limit_margins(eng, r)
    ranked = sorted((round(v["remaining_fraction"], 9), k) for k, v in m.items()
                    if k not in (eng.reason_limit[r], "horizon")
                    and math.isfinite(v["remaining_fraction"]))
    return [k for _f, k in ranked[:n]]


def lots(eng: Engine, r: int) -> list[Lot]:
    """Row r's tapped lots, each graded (the purest grade its analysis meets)."""
    out = []
    for ev in eng.recorder.lots:
        hit = np.nonzero(ev.rows == r)[0]
        if hit.size == 0:
            continue
        m = ev.data["masses"][hit[0]]
        comp = Composition.from_mass({e: float(m[j]) for j, e in enumerate(eng.layout.el)
                                      if m[j] > 0}, key="lot")
        out.append(Lot(ev.t, float(m.sum()), dict(comp), classify(comp).grade,
                       bool(ev.data["meets_target"][hit[0]])))
    return out


def actions(eng: Engine, r: int, graded: list[Lot] | None = None) -> list[Action]:
    """Row r's action log (taps carry their lot's grade)."""
    grades = iter(lot.grade for lot in (graded if graded is not None else lots(eng, r)))
    out = []
    for ev in eng.recorder.events:
        hit = np.nonzero(ev.rows == r)[0]
        if hit.size == 0:
            continue
        k = int(hit[0])
        detail = {name: (v[k] if isinstance(v, list | np.ndarray) else v)
                  for name, v in ev.data.items()}
        detail = {n: (float(v) if isinstance(v, np.floating) else v) for n, v in detail.items()}
        if ev.kind == "tap":
            detail["grade"] = next(grades, None)
        out.append(Action(ev.t, ev.kind, detail))
    return out


def solution(eng: Engine, r: int) -> Solution:
    """The `Solution` of row r (time series need an engine run with `series=True`)."""
    row = eng.rows[r]
    graded = lots(eng, r)
    s = summary(eng, r, graded)
    times, series = eng.recorder.series_of(r)
    target = target_grade(eng)
    grade = get_grade(target)
    return Solution(
        scenario=row.name, scenario_hash=row.scenario_hash, time_s=times, series=series,
        lots=graded, actions=actions(eng, r, graded), residue_kg=s["residue_kg"],
        residue_composition_wt_pct=s["residue_composition_wt_pct"], summary=s,
        termination=s["termination"], citations=[],
        grade_limits={target: dict(grade.max) if hasattr(grade, "max") else {}},
    )
