"""A synthetic campaign `Solution` with the shape of a real run, for the report tests.

The numbers are illustrative (smooth trends plus seeded noise chosen to exercise every plot
and table: positive voltage terms, drifting compositions, lots crossing grade limits);
they are **not** model output and must not be quoted as results. Grade limits are the
sourced ones from ``data/grades.toml``.
"""

from __future__ import annotations

import numpy as np

from alref.campaign.solution import Action, Lot, Solution
from alref.materials.grades import get_grade

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
PRODUCT_KG_PER_DAY = 24.0  # illustrative output of a 3 kA pot


def _drift(t_d: np.ndarray, start: float, end: float, rng: np.random.Generator,
           noise: float = 0.0) -> np.ndarray:
    """A smooth start→end trend over the run with relative noise."""
    x = t_d / t_d[-1] if t_d[-1] > 0 else np.zeros_like(t_d)
    base = start + (end - start) * x**2
    return base * (1.0 + noise * rng.standard_normal(t_d.size))


def synthetic_solution(n_days: float = 45.0, step_h: float = 1.0, seed: int = 0,
                       scenario: str = "synthetic-3ka") -> Solution:
    """A `Solution` of `n_days` with points every `step_h` hours, a lot and a scrap charge
    per day, a bath correction every 5 days and a residue drain every 20 days."""
    rng = np.random.default_rng(seed)
    time_s = np.arange(0.0, n_days * SECONDS_PER_DAY + 1.0, step_h * SECONDS_PER_HOUR)
    t_d = time_s / SECONDS_PER_DAY
    terms = {
        "Voltage: bath IR [V]": _drift(t_d, 3.6, 4.1, rng, 0.01),
        "Voltage: anode alloy IR [V]": _drift(t_d, 0.05, 0.07, rng, 0.01),
        "Voltage: cathode IR [V]": _drift(t_d, 0.04, 0.04, rng, 0.01),
        "Voltage: polarisation [V]": _drift(t_d, 0.15, 0.25, rng, 0.02),
        "Voltage: busbars and contacts [V]": _drift(t_d, 0.30, 0.30, rng, 0.005),
    }
    series: dict[str, np.ndarray] = dict(terms)
    series["Cell voltage [V]"] = np.sum(list(terms.values()), axis=0)
    series["Bath temperature [degC]"] = _drift(t_d, 760.0, 775.0, rng, 0.002)
    series["Anode alloy temperature [degC]"] = series["Bath temperature [degC]"] + 8.0
    anode = {"Cu": (30.0, 38.0), "Fe": (0.3, 2.5), "Si": (0.4, 1.8), "Zn": (0.1, 0.9),
             "Mn": (0.05, 0.4), "Mg": (0.2, 0.002)}
    for el, (a, b) in anode.items():
        series[f"Anode {el} [wt %]"] = _drift(t_d, a, b, rng, 0.01)
    series["Anode Al [wt %]"] = 100.0 - np.sum(
        [series[f"Anode {el} [wt %]"] for el in anode], axis=0)
    bath = {"BaF2": (60.0, 59.0), "AlF3": (23.0, 22.0), "NaF": (17.0, 17.5),
            "MgF2": (0.0, 1.5)}
    for salt, (a, b) in bath.items():
        series[f"Bath {salt} [wt %]"] = _drift(t_d, a, b, rng, 0.002)
    rate_kg_per_s = PRODUCT_KG_PER_DAY / SECONDS_PER_DAY
    series["Cumulative product [kg]"] = rate_kg_per_s * time_s
    # the limits that end a cycle (report: "Limits that end the cycle")
    series["Alloy superheat [K]"] = _drift(t_d, 120.0, 25.0, rng, 0.01)
    series["Bath superheat [K]"] = _drift(t_d, 30.0, 22.0, rng, 0.01)
    series["Sludge [kg]"] = _drift(t_d, 1.0, 80.0, rng, 0.01)
    power_kw = 3.0 * series["Cell voltage [V]"]
    series["Cumulative energy [kWh]"] = np.concatenate(
        [[0.0], np.cumsum(power_kw[1:] * np.diff(time_s) / SECONDS_PER_HOUR)])
    series["Cumulative scrap charged [kg]"] = 1.1 * series["Cumulative product [kg]"] + 500.0
    series["Current efficiency [-]"] = _drift(t_d, 0.96, 0.92, rng, 0.002)
    series["Current [A]"] = np.full(t_d.size, 3000.0)
    series["Heat loss [kW]"] = 0.8 * power_kw
    series["Auxiliary heat [kW]"] = np.full(t_d.size, 0.5)
    series["Bath volume [L]"] = _drift(t_d, 45.0, 52.0, rng, 0.002)

    limits = dict(get_grade("P1020A").max)
    lots, actions = [], []
    for day in range(1, int(n_days) + 1):
        t = day * SECONDS_PER_DAY
        frac = day / n_days
        comp = {"Fe": 0.04 + 0.2 * frac**3, "Si": 0.03 + 0.05 * frac**2,
                "Zn": 0.002 + 0.03 * frac**4, "Cu": 0.003 + 0.004 * frac, "Mg": 0.001,
                "Ga": 0.0 if day % 3 else 0.005}
        comp = {el: v * (1.0 + 0.05 * rng.standard_normal()) for el, v in comp.items()}
        comp["Al"] = 100.0 - sum(comp.values())
        failing = any(comp.get(el, 0.0) > lim for el, lim in limits.items())
        grade = None if failing else "P1020A"
        mass = float(rate_kg_per_s * SECONDS_PER_DAY * (1.0 + 0.02 * rng.standard_normal()))
        lots.append(Lot(t_s=t, mass_kg=mass, composition_wt_pct=comp, grade=grade))
        actions.append(Action(t - 600.0, "tap", {"mass_kg": mass, "grade": grade}))
        actions.append(Action(t, "charge_scrap", {
            "scrap": "twitch", "mass_kg": 1.1 * mass,
            "composition_wt_pct": {"Al": 93.0, "Fe": 0.6, "Si": 3.0, "Cu": 2.4, "Zn": 1.0}}))
        if day % 5 == 0:
            actions.append(Action(t + 1800.0, "correct_bath", {"AlF3_kg": 4.0, "NaF_kg": 1.0}))
        if day % 20 == 0:
            actions.append(Action(t + 3600.0, "drain_residue", {"mass_kg": 150.0}))

    energy = float(series["Cumulative energy [kWh]"][-1])
    product = float(series["Cumulative product [kg]"][-1])
    summary = {
        "scenario": scenario,
        "current_a": 3000.0,
        "cycle_days": float(t_d[-1]),
        "product_kg": product,
        "scrap_charged_kg": float(series["Cumulative scrap charged [kg]"][-1]),
        "current_efficiency": 0.94,
        "mean_cell_voltage_v": float(np.mean(series["Cell voltage [V]"])),
        "voltage_breakdown_v": {k[len("Voltage: "):-4]: float(np.mean(v))
                                for k, v in terms.items()},
        "energy_kwh_per_kg": energy / product,
        "product_al_wt_pct": float(np.average([lot.al_wt_pct for lot in lots],
                                              weights=[lot.mass_kg for lot in lots])),
        "mass_balance_rel_error": 1e-9,
        "dc_energy_kwh_per_kg": energy / product,
        "feed_composition_wt_pct": {"Al": 93.0, "Fe": 0.6, "Si": 3.0, "Cu": 2.4, "Zn": 1.0},
        "mass_ledger_kg": _ledger(lots, float(series["Cumulative scrap charged [kg]"][-1])),
        "limits": {"bath_volume": {"unit": "L", "threshold": 0.0, "margin_start": 15.0,
                                   "margin_min": 8.0, "margin_end": 8.0}},
    }
    return Solution(
        scenario=scenario, scenario_hash="0" * 16, time_s=time_s, series=series, lots=lots,
        actions=sorted(actions, key=lambda a: a.t_s),
        residue_kg=300.0, residue_composition_wt_pct={"Al": 55.0, "Cu": 30.0, "Fe": 9.0,
                                                      "Si": 5.0, "Mn": 1.0},
        summary=summary,
        termination="product out of grade: Fe 0.21 wt % > P1020A limit 0.20 wt % (synthetic)",
        citations=["fastmarkets2021p1020"], grade_limits={"P1020A": limits}, seed=seed,
        parameters={"cell.current": {"value": 3000.0, "unit": "A",
                                     "assumption": "synthetic run for report tests"}},
    )


def _ledger(lots: list[Lot], scrap_kg: float) -> dict[str, dict[str, dict[str, float]]]:
    """A balanced per-element ledger: an initial inventory and the scrap in; the lots,
    a residue share and what is left out (illustrative splits)."""
    feed = {"Al": 93.0, "Fe": 0.6, "Si": 3.0, "Cu": 2.4, "Zn": 1.0}
    initial = {"Al": 300.0, "Cu": 150.0, "Fe": 2.0, "Si": 1.0}
    out = {}
    for el, wt in feed.items():
        ins = {"initial_inventory": initial.get(el, 0.0), "scrap": scrap_kg * wt / 100.0}
        ins = {k: v for k, v in ins.items() if v > 0}
        total = sum(ins.values())
        product = sum(lot.mass_kg * lot.composition_wt_pct.get(el, 0.0) / 100.0 for lot in lots)
        left = 0.02 * total
        outs = {"product": product, "fume": 0.01 * total if el == "Zn" else 0.0,
                "left_in_cathode": left}
        outs["residue"] = total - sum(outs.values())
        out[el] = {"in": ins, "out": {k: v for k, v in outs.items() if v > 0}}
    return out
