"""Campaign (``simulate.*``) and operating-point (``cell.*``) validation quantities.

``simulate.*`` quantities read the summary of one campaign run (`alref simulate --json`) and
the first and last values of its time series (`Evaluator.trace`); ``cell.*`` quantities
read the steady-state operating point (`alref cell --json`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from alref.errors import ConfigError
from alref.validation.quantity_core import (
    Evaluator,
    cell_point,
    quantity,
    sim_summary,
    text_input,
)

if TYPE_CHECKING:
    from alref.validation.cases import Case


# ---------------------------------------------------------------------- campaign
@quantity("simulate.energy_kwh_per_kg", "kWh/kg", "cycle-mean energy per kg of product",
          scenario=True)
def _sim_energy(ev: Evaluator, case: Case) -> float:
    return float(sim_summary(ev, case)["energy_kwh_per_kg"])


@quantity("simulate.energy_kwh_per_kg_ratio", "-",
          "cycle-mean energy of the scenario divided by that of the reference scenario",
          scenario=True, reference=True)
def _sim_energy_ratio(ev: Evaluator, case: Case) -> float:
    c = case.conditions
    ref = ev.simulation(str(c.reference_scenario), c.reference_set)
    return float(sim_summary(ev, case)["energy_kwh_per_kg"]) / float(ref["energy_kwh_per_kg"])


@quantity("simulate.product_al_wt_pct", "wt %", "mass-weighted Al content of all tapped lots",
          scenario=True)
def _sim_purity(ev: Evaluator, case: Case) -> float:
    return float(sim_summary(ev, case)["product_al_wt_pct"])


@quantity("simulate.min_lot_al_wt_pct", "wt %", "Al content of the least pure tapped lot",
          scenario=True)
def _sim_min_lot(ev: Evaluator, case: Case) -> float:
    return min(float(lot["al_wt_pct"]) for lot in sim_summary(ev, case)["lots"])


@quantity("simulate.cycle_days", "d", "length of the cycle until a physical limit ends it",
          scenario=True)
def _sim_cycle(ev: Evaluator, case: Case) -> float:
    return float(sim_summary(ev, case)["cycle_days"])


@quantity("simulate.product_element_ppm", "ppm (mass)",
          "mass-weighted content of one element in all tapped lots", scenario=True,
          inputs=("element",))
def _sim_product_element(ev: Evaluator, case: Case) -> float:
    el = text_input(case, "element")
    lots = sim_summary(ev, case)["lots"]
    mass = math.fsum(float(lot["mass_kg"]) for lot in lots)
    m_el = math.fsum(float(lot["mass_kg"]) * float(lot["composition_wt_pct"].get(el, 0.0))
                     for lot in lots)
    return m_el / mass * 1e4  # wt % -> ppm


@quantity("simulate.residue_enrichment_min", "-",
          "smallest residue/feed concentration ratio over the listed elements", scenario=True,
          inputs=("elements",))
def _sim_residue_enrichment(ev: Evaluator, case: Case) -> float:
    s = sim_summary(ev, case)
    elements = case.conditions.inputs["elements"]
    if not isinstance(elements, list) or not elements:
        raise ConfigError(f"{case.id}.conditions.inputs.elements", "expected a list of elements")
    ratios = []
    for el in elements:
        feed = float(s["feed_composition_wt_pct"].get(el, 0.0))
        if feed <= 0:
            raise ConfigError(f"{case.id}.conditions.inputs.elements", f"{el} is not in the feed")
        ratios.append(float(s["residue_composition_wt_pct"].get(el, 0.0)) / feed)
    return min(ratios)


def _trace(ev: Evaluator, case: Case) -> dict[str, tuple[float, float]]:
    return ev.trace(str(case.conditions.scenario), case.conditions.set)


def _series(case: Case, trace: Mapping[str, tuple[float, float]], name: str
            ) -> tuple[float, float]:
    if name not in trace:
        raise ConfigError(f"{case.id}.conditions.inputs", f"the campaign has no series {name!r}; "
                          "its anode/bath series: " + ", ".join(
                              sorted(n for n in trace if n.startswith(("Anode", "Bath")))))
    return trace[name]


@quantity("simulate.product_to_initial_anode_ratio", "-",
          "mass-weighted content of an element in all tapped lots over its content in the "
          "anode alloy at the start of the campaign", scenario=True, inputs=("element",))
def _sim_product_to_anode(ev: Evaluator, case: Case) -> float:
    el = text_input(case, "element")
    w0 = _series(case, _trace(ev, case), f"Anode {el} [wt %]")[0]
    if w0 <= 0:
        raise ConfigError(f"{case.id}.conditions.inputs.element", f"no {el} in the initial anode")
    return _sim_product_element(ev, case) / 1e4 / w0


@quantity("simulate.final_anode_element_wt_pct", "wt %",
          "content of an element in the anode alloy at the end of the campaign", scenario=True,
          inputs=("element",))
def _sim_final_anode(ev: Evaluator, case: Case) -> float:
    el = text_input(case, "element")
    return _series(case, _trace(ev, case), f"Anode {el} [wt %]")[1]


def bath_element_wt_pct(trace: Mapping[str, tuple[float, float]], el: str, end: int) -> float:
    """wt % of element `el` in the bath from its salts' wt % (series ``Bath X [wt %]``)."""
    from alref.materials.elements import formula_molar_mass, molar_mass, parse_formula

    total = 0.0
    for name, values in trace.items():
        if not (name.startswith("Bath ") and name.endswith(" [wt %]")):
            continue
        salt = name[len("Bath "):-len(" [wt %]")]
        try:
            atoms = dict(parse_formula(salt))
        except (ConfigError, ValueError, KeyError):
            continue
        if el in atoms:
            total += values[end] * atoms[el] * molar_mass(el) / formula_molar_mass(salt)
    return total


@quantity("simulate.bath_element_change_rel", "-",
          "relative change of an element's content (wt %) of the bath over the campaign "
          "(from the bath salts' series)", scenario=True, inputs=("element",))
def _sim_bath_change(ev: Evaluator, case: Case) -> float:
    el = text_input(case, "element")
    trace = _trace(ev, case)
    w0, w1 = bath_element_wt_pct(trace, el, 0), bath_element_wt_pct(trace, el, 1)
    if w0 <= 0:
        raise ConfigError(f"{case.id}.conditions.inputs.element", f"no {el} in the initial bath")
    return (w1 - w0) / w0


@quantity("simulate.lot_al_change_wt_pct", "wt %",
          "Al content of the last tapped lot minus that of the first", scenario=True)
def _sim_lot_change(ev: Evaluator, case: Case) -> float:
    lots = sim_summary(ev, case)["lots"]
    if len(lots) < 2:
        raise ValueError("fewer than two lots: no change over the campaign")
    return float(lots[-1]["al_wt_pct"]) - float(lots[0]["al_wt_pct"])


@quantity("simulate.al_recovery_pct", "%",
          "Al tapped as product over Al consumed (scrap fed plus initial anode Al minus the Al "
          "left in the anode at the end): direct recovery", scenario=True)
def _sim_al_recovery(ev: Evaluator, case: Case) -> float:
    s, trace = sim_summary(ev, case), _trace(ev, case)
    m_anode = _series(case, trace, "Anode alloy [kg]")
    w_al = _series(case, trace, "Anode Al [wt %]")
    fed = float(s["scrap_charged_kg"]) * float(s["feed_composition_wt_pct"].get("Al", 0.0)) / 100
    consumed = fed + (m_anode[0] * w_al[0] - m_anode[1] * w_al[1]) / 100.0
    product_al = math.fsum(float(lot["mass_kg"]) * float(lot["al_wt_pct"]) / 100.0
                           for lot in s["lots"])
    if consumed <= 0:
        raise ValueError("no Al consumed from the anode")
    return 100.0 * product_al / consumed


# ---------------------------------------------------------------------- steady state
@quantity("cell.energy_kwh_per_kg", "kWh/kg", "steady-state energy per kg (incl. auxiliary heat)",
          scenario=True)
def _cell_energy(ev: Evaluator, case: Case) -> float:
    return float(cell_point(ev, case)["energy_kwh_per_kg"])


@quantity("cell.voltage_v", "V", "steady-state cell voltage (`cell_voltage_v`)", scenario=True)
def _cell_voltage(ev: Evaluator, case: Case) -> float:
    return float(cell_point(ev, case)["cell_voltage_v"])


@quantity("cell.dc_energy_kwh_per_kg", "kWh/kg",
          "steady-state DC energy per kg of product (no auxiliary heat)", scenario=True)
def _cell_dc_energy(ev: Evaluator, case: Case) -> float:
    return float(cell_point(ev, case)["dc_energy_kwh_per_kg"])


@quantity("cell.current_efficiency", "-", "steady-state current efficiency", scenario=True)
def _cell_ce(ev: Evaluator, case: Case) -> float:
    return float(cell_point(ev, case)["current_efficiency"])


@quantity("cell.faraday_kg_per_ka_day", "kg/(kA d)",
          "production divided by current efficiency and current (Faraday's law in the model)",
          scenario=True)
def _cell_faraday(ev: Evaluator, case: Case) -> float:
    d = cell_point(ev, case)
    return float(d["production_kg_per_day"]) / (float(d["current_efficiency"])
                                                 * float(d["current_a"]) / 1e3)


