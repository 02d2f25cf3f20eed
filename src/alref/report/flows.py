"""The numbers behind the run report's flow diagrams: per-element mass flows, the energy
flows of the cell and the voltage breakdown with its small terms grouped.

* `mass_flows`: per element, what came in (initial inventory, scrap, additions, hardware
  and refractory) and where it went (product, residue, bath removed, fume, oxidised, left
  in each pool), in kg, from the campaign's mass ledger (``summary["mass_ledger_kg"]``,
  `alref.campaign.results.mass_ledger`). Both sides of an element agree to the run's
  mass-balance error.
* `energy_flows`: the DC electrical energy split over the voltage terms (each term's
  ∫ U_i·I dt, from the recorded series, scaled to the recorder's exact DC energy), and the
  heat balance: Joule heat (DC energy less the reversible work) plus auxiliary heat against
  the heat lost by the pot; the rest heats and melts the charges (the operating point's
  steady heat balance, `alref.cell.thermal`, budgets it as the feed's heat draw).
* `group_terms`: voltage terms below `SMALL_SHARE` of the total summed into "other".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

#: display choice: a voltage term below this share of the cell voltage is grouped into
#: "other" (readability only; the table below the plot lists every term)
SMALL_SHARE = 0.03
#: display choice: elements shown as flow diagrams (Al and the largest impurities fed)
MAX_FLOW_ELEMENTS = 6
SECONDS_PER_HOUR = 3600.0

#: human labels of the mass-ledger kinds (`alref.campaign.results.mass_ledger`)
KIND_LABELS = {
    "initial_inventory": "initial inventory", "scrap": "scrap charged",
    "bath_additions": "bath additions", "metal_additions": "metal additions",
    "hardware_and_refractory": "hardware and refractory", "other": "other inputs",
    "product": "product (tapped)", "residue": "residue (drained)",
    "bath_removed": "bath removed", "fume": "fume", "oxidised": "oxidised in air",
    "left_in_cathode": "left in the pad", "left_in_bath": "left in the bath",
    "left_in_anode": "left in the anode", "left_in_sludge": "left in the sludge",
}
#: readable names of the voltage terms of `alref.cell.model` (others: underscores to spaces)
TERM_LABELS = {"bath_ir": "bath IR", "diaphragm_ir": "diaphragm IR",
               "reversible": "reversible (concentration cell)"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " "))


def term_label(term: str) -> str:
    return TERM_LABELS.get(term, term.replace("_", " "))


def ledger(summary: Mapping[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    """The run's per-element mass ledger (kg), {} for runs recorded before it existed."""
    led = summary.get("mass_ledger_kg")
    if not isinstance(led, Mapping):
        return {}
    out = {}
    for el, sides in led.items():
        if not isinstance(sides, Mapping):
            continue
        out[str(el)] = {side: {str(k): float(v) for k, v in (sides.get(side) or {}).items()
                               if isinstance(v, int | float) and math.isfinite(v)}
                        for side in ("in", "out")}
    return out


def flow_elements(summary: Mapping[str, Any], n: int = MAX_FLOW_ELEMENTS) -> list[str]:
    """The elements drawn as flow diagrams: Al, then the metals fed with the scrap by
    decreasing mass in (elements of the bath salts and oxide are in the table only)."""
    led = ledger(summary)
    feed = summary.get("feed_composition_wt_pct") or {}
    metals = [e for e in led if e in feed or e == "Al"]
    metals.sort(key=lambda e: (e != "Al", -sum(led[e]["in"].values())))
    return metals[:n]


def mass_flows(summary: Mapping[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    """Per element: {"in": {label: kg}, "out": {label: kg}} (human labels, ledger order)."""
    return {el: {side: {kind_label(k): v for k, v in sides[side].items()}
                 for side in ("in", "out")}
            for el, sides in ledger(summary).items()}


def ledger_rows(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Table rows per element: total in, total out, the largest sinks, and the balance
    (in − out, kg) — the mass balance made visible."""
    rows = []
    for el, sides in ledger(summary).items():
        tin, tout = math.fsum(sides["in"].values()), math.fsum(sides["out"].values())
        main = sorted(sides["out"].items(), key=lambda kv: -kv[1])
        rows.append({"element": el, "in_kg": tin, "out_kg": tout, "diff_kg": tin - tout,
                     "sources": ", ".join(f"{kind_label(k)} {_share(v, tin)}"
                                          for k, v in sides["in"].items()),
                     "sinks": ", ".join(f"{kind_label(k)} {_share(v, tout)}"
                                        for k, v in main if v > 0)})
    return rows


def _share(v: float, total: float) -> str:
    if total <= 0:
        return "–"
    pct = 100.0 * v / total
    return f"{pct:.3g} %" if pct >= 0.01 else "<0.01 %"


# ------------------------------------------------------------------ voltage
def group_terms(breakdown: Mapping[str, float], share: float = SMALL_SHARE
                ) -> dict[str, float]:
    """Terms (human labels) with each one below `share` of the total summed into
    ``other (n terms)``; largest first. A lone small term keeps its name."""
    items = {str(k): float(v) for k, v in breakdown.items()
             if isinstance(v, int | float) and math.isfinite(v)}
    total = math.fsum(abs(v) for v in items.values())
    if total <= 0:
        return {}
    big = {k: v for k, v in items.items() if abs(v) >= share * total}
    small = {k: v for k, v in items.items() if k not in big}
    out = {term_label(k): v for k, v in sorted(big.items(), key=lambda kv: -abs(kv[1]))}
    if len(small) == 1:
        (k, v), = small.items()
        out[term_label(k)] = v
    elif small:
        out[f"other ({len(small)} terms)"] = math.fsum(small.values())
    return out


def voltage_rows(summary: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every voltage term (cycle mean, V and share), largest first."""
    terms = {k: float(v) for k, v in (summary.get("voltage_breakdown_v") or {}).items()
             if isinstance(v, int | float) and math.isfinite(v)}
    total = math.fsum(terms.values())
    rows = []
    for k, v in sorted(terms.items(), key=lambda kv: -abs(kv[1])):
        rows.append({"term": term_label(k), "volts": f"{v:.4f}",
                     "share": f"{100 * v / total:.1f}" if total > 0 else "–",
                     "grouped": abs(v) < SMALL_SHARE * total})
    return rows


# ------------------------------------------------------------------ energy
def _integral_kwh(t_s: np.ndarray, y: np.ndarray) -> float:
    """Σ y_k (t_{k+1} − t_k) of a series held over each step, y in W, result in kWh."""
    y = np.nan_to_num(np.asarray(y, float))
    if t_s.size < 2:
        return 0.0
    return float(np.sum(y[:-1] * np.diff(t_s))) / SECONDS_PER_HOUR / 1e3


def term_energy_shares(solution: Any) -> dict[str, float]:
    """Each voltage term's share of the DC energy: ∫ U_i·I dt over Σ of them (from the
    series ``Voltage: <term> [V]`` and ``Current [A]``), else the cycle-mean voltages."""
    breakdown = solution.summary.get("voltage_breakdown_v") or {}
    series, t = solution.series, np.asarray(solution.time_s, float)
    current = series.get("Current [A]")
    energies = {}
    if current is not None and t.size > 1:
        for term in breakdown:
            name = f"Voltage: {term.replace('_', ' ')} [V]"
            if name in series:
                energies[term] = _integral_kwh(t, np.asarray(series[name]) * current)
    if len(energies) != len(breakdown) or not math.fsum(energies.values()) > 0:
        energies = {k: float(v) for k, v in breakdown.items()}
    total = math.fsum(energies.values())
    return {k: v / total for k, v in energies.items()} if total > 0 else {}


def energy_flows(solution: Any) -> dict[str, Any] | None:
    """{"unit", "electrical": {"in": {...}, "out": {...}}, "heat": {...}} or None without
    the DC energy. Values per kg of product (kWh/kg) when metal was tapped, else kWh."""
    s = solution.summary
    product = float(s.get("product_kg") or 0.0)
    dc_per_kg = s.get("dc_energy_kwh_per_kg")
    if not (product > 0 and isinstance(dc_per_kg, int | float) and math.isfinite(dc_per_kg)):
        return None
    shares = term_energy_shares(solution)
    if not shares:
        return None
    dc = float(dc_per_kg)
    electrical_out = group_terms({k: dc * f for k, f in shares.items()})
    reversible = dc * shares.get("reversible", 0.0)
    flows: dict[str, Any] = {"unit": "kWh/kg Al",
                             "electrical": {"in": {"DC electrical energy": dc},
                                            "out": electrical_out}}
    t = np.asarray(solution.time_s, float)
    loss, aux = solution.series.get("Heat loss [kW]"), solution.series.get("Auxiliary heat [kW]")
    if loss is None or t.size < 2:
        return flows
    loss_kwh = _integral_kwh(t, np.asarray(loss) * 1e3) / product
    aux_kwh = (_integral_kwh(t, np.asarray(aux) * 1e3) / product if aux is not None
               else float(s.get("auxiliary_energy_kwh_per_kg") or 0.0))
    joule = dc - reversible
    heat_in = {"Joule heat (DC less reversible work)": joule}
    if aux_kwh > 0:
        heat_in["auxiliary heat"] = aux_kwh
    heat_out = {"heat lost by the pot": loss_kwh}
    rest = joule + aux_kwh - loss_kwh
    if rest >= 0:
        heat_out["charges heated and melted"] = rest
    else:
        heat_in["heat drawn from the pot's inventory"] = -rest
    flows["heat"] = {"in": heat_in, "out": heat_out}
    return flows
