"""Registry of the quantities a validation case can compare, and the evaluator behind them.

Each quantity is a small function of the case conditions: a scenario run through the
campaign model (``simulate.*`` — one campaign, ``cell.*`` — the steady-state operating point)
or a property / thermodynamic function (``thermo.*``, ``props.*``). The `Evaluator` keeps
one cache of simulations and operating points, so each distinct scenario runs once, and
can add trial design values (``cell.parameters``) for calibration.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scipy.constants import R as R_GAS
from scipy.constants import physical_constants

from alref.errors import ConfigError

if TYPE_CHECKING:
    from alref.validation.cases import Case

FARADAY = physical_constants["Faraday constant"][0]
SECONDS_PER_DAY = 86400.0
KELVIN = 273.15


@dataclass(frozen=True)
class Quantity:
    """A computable quantity: its unit, the inputs it needs and its function."""

    name: str
    unit: str
    description: str
    func: Callable[[Evaluator, Case], float]
    needs_scenario: bool = False
    needs_reference: bool = False
    inputs: tuple[str, ...] = ()


REGISTRY: dict[str, Quantity] = {}


def quantity(name: str, unit: str, description: str, *, scenario: bool = False,
             reference: bool = False, inputs: tuple[str, ...] = ()):
    """Decorator registering a quantity function."""

    def deco(func: Callable[[Evaluator, Case], float]) -> Callable[[Evaluator, Case], float]:
        REGISTRY[name] = Quantity(name, unit, description, func, scenario, reference, inputs)
        return func

    return deco


def check_inputs(case: Case) -> None:
    """The case names a known quantity and gives the conditions it needs (ConfigError)."""
    q = REGISTRY.get(case.quantity)
    if q is None:
        raise ConfigError(f"{case.id}.quantity", f"unknown quantity {case.quantity!r}; known: "
                          f"{', '.join(sorted(REGISTRY))}")
    c = case.conditions
    if q.needs_scenario and not c.scenario:
        raise ConfigError(f"{case.id}.conditions.scenario", f"{q.name} needs a scenario")
    if q.needs_reference and not c.reference_scenario:
        raise ConfigError(f"{case.id}.conditions.reference_scenario",
                          f"{q.name} needs a reference scenario")
    for name in q.inputs:
        if name not in c.inputs:
            raise ConfigError(f"{case.id}.conditions.inputs.{name}", "required input is missing")
    unknown = set(c.inputs) - set(q.inputs)
    if unknown:
        raise ConfigError(f"{case.id}.conditions.inputs.{sorted(unknown)[0]}",
                          f"not an input of {q.name}")


def parameter_override(values: Mapping[str, float]) -> str:
    """A ``--set`` item passing design values by dotted path (``cell.parameters``)."""
    body = ", ".join(f'"{k}" = {float(v)!r}' for k, v in sorted(values.items()))
    return f"cell.parameters={{{body}}}"


@dataclass
class Evaluator:
    """Evaluates quantities with a shared cache of simulations and operating points.

    `trial` = {technology: {dotted design path: value}} adds design values to every
    scenario whose design belongs to that technology (used by the calibration fit).
    """

    trial: dict[str, dict[str, float]] = field(default_factory=dict)
    _sims: dict[str, dict[str, Any]] = field(default_factory=dict)
    _cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    _tech: dict[str, str | None] = field(default_factory=dict)
    runs: int = 0

    def technology(self, scenario: str) -> str | None:
        """Technology of a scenario's cell design (``technology`` in cells/*.toml)."""
        if scenario not in self._tech:
            from alref.cell.design import calibrated_raw
            from alref.scenario import load_scenario

            design = load_scenario(scenario).cell.design
            self._tech[scenario] = calibrated_raw(design).get("technology")
        return self._tech[scenario]

    def _overrides(self, scenario: str, overrides: Iterable[str]) -> tuple[str, ...]:
        extra = self.trial.get(self.technology(scenario) or "", {})
        out = tuple(overrides)
        return (*out, parameter_override(extra)) if extra else out

    def _key(self, scenario: str, overrides: tuple[str, ...]) -> str:
        """Cache key: the resolved scenario content (names and provenance left out), so that
        presets that differ only in name share one run."""
        from alref.scenario import load_scenario

        content = load_scenario(scenario, overrides).model_dump(
            mode="json", exclude={"name", "description", "provenance"})
        return json.dumps(content, sort_keys=True)

    def simulation(self, scenario: str, overrides: Iterable[str] = ()) -> dict[str, Any]:
        """Summary of the campaign of a scenario (cached)."""
        from alref.campaign.simulation import Simulation
        from alref.scenario import load_scenario

        full = self._overrides(scenario, overrides)
        key = self._key(scenario, full)
        if key not in self._sims:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sim = Simulation.from_scenario(load_scenario(scenario, full))
                self._sims[key] = sim.run().summary
            self.runs += 1
        return self._sims[key]

    def cell(self, scenario: str, overrides: Iterable[str] = ()) -> dict[str, Any]:
        """Steady-state operating point of a scenario as `alref cell --json` gives it (cached)."""
        from alref.cell.model import CellModel
        from alref.scenario import load_scenario

        full = self._overrides(scenario, overrides)
        key = self._key(scenario, full)
        if key not in self._cells:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = CellModel.from_scenario(load_scenario(scenario, full))
                self._cells[key] = model.solve().to_dict()
            self.runs += 1
        return self._cells[key]

    def evaluate(self, case: Case) -> float:
        """The model's value of the case's quantity."""
        check_inputs(case)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(REGISTRY[case.quantity].func(self, case))


# ----------------------------------------------------------------------- helpers
def _sim(ev: Evaluator, case: Case) -> dict[str, Any]:
    return ev.simulation(str(case.conditions.scenario), case.conditions.set)


def _cell(ev: Evaluator, case: Case) -> dict[str, Any]:
    return ev.cell(str(case.conditions.scenario), case.conditions.set)


def _temperature(case: Case) -> float:
    from alref.units import to_si

    return to_si(case.conditions.inputs["temperature"], "K",
                 key=f"{case.id}.conditions.inputs.temperature")


def _composition(case: Case, name: str = "composition") -> dict[str, float]:
    comp = case.conditions.inputs[name]
    if not isinstance(comp, Mapping) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in comp.values()):
        raise ConfigError(f"{case.id}.conditions.inputs.{name}", "expected a table of wt %")
    return {str(k): float(v) for k, v in comp.items()}


def _text(case: Case, name: str) -> str:
    value = case.conditions.inputs[name]
    if not isinstance(value, str):
        raise ConfigError(f"{case.id}.conditions.inputs.{name}", "expected a string")
    return value


# ---------------------------------------------------------------------- campaign
@quantity("simulate.energy_kwh_per_kg", "kWh/kg", "cycle-mean energy per kg of product",
          scenario=True)
def _sim_energy(ev: Evaluator, case: Case) -> float:
    return float(_sim(ev, case)["energy_kwh_per_kg"])


@quantity("simulate.energy_kwh_per_kg_ratio", "-",
          "cycle-mean energy of the scenario divided by that of the reference scenario",
          scenario=True, reference=True)
def _sim_energy_ratio(ev: Evaluator, case: Case) -> float:
    c = case.conditions
    ref = ev.simulation(str(c.reference_scenario), c.reference_set)
    return float(_sim(ev, case)["energy_kwh_per_kg"]) / float(ref["energy_kwh_per_kg"])


@quantity("simulate.product_al_wt_pct", "wt %", "mass-weighted Al content of all tapped lots",
          scenario=True)
def _sim_purity(ev: Evaluator, case: Case) -> float:
    return float(_sim(ev, case)["product_al_wt_pct"])


@quantity("simulate.min_lot_al_wt_pct", "wt %", "Al content of the least pure tapped lot",
          scenario=True)
def _sim_min_lot(ev: Evaluator, case: Case) -> float:
    return min(float(lot["al_wt_pct"]) for lot in _sim(ev, case)["lots"])


@quantity("simulate.cycle_days", "d", "length of the cycle until a physical limit ends it",
          scenario=True)
def _sim_cycle(ev: Evaluator, case: Case) -> float:
    return float(_sim(ev, case)["cycle_days"])


@quantity("simulate.product_element_ppm", "ppm (mass)",
          "mass-weighted content of one element in all tapped lots", scenario=True,
          inputs=("element",))
def _sim_product_element(ev: Evaluator, case: Case) -> float:
    el = _text(case, "element")
    lots = _sim(ev, case)["lots"]
    mass = math.fsum(float(lot["mass_kg"]) for lot in lots)
    m_el = math.fsum(float(lot["mass_kg"]) * float(lot["composition_wt_pct"].get(el, 0.0))
                     for lot in lots)
    return m_el / mass * 1e4  # wt % -> ppm


@quantity("simulate.residue_enrichment_min", "-",
          "smallest residue/feed concentration ratio over the listed elements", scenario=True,
          inputs=("elements",))
def _sim_residue_enrichment(ev: Evaluator, case: Case) -> float:
    s = _sim(ev, case)
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


# ---------------------------------------------------------------------- steady state
@quantity("cell.energy_kwh_per_kg", "kWh/kg", "steady-state energy per kg (incl. auxiliary heat)",
          scenario=True)
def _cell_energy(ev: Evaluator, case: Case) -> float:
    return float(_cell(ev, case)["energy_kwh_per_kg"])


@quantity("cell.current_efficiency", "-", "steady-state current efficiency", scenario=True)
def _cell_ce(ev: Evaluator, case: Case) -> float:
    return float(_cell(ev, case)["current_efficiency"])


@quantity("cell.faraday_kg_per_ka_day", "kg/(kA d)",
          "production divided by current efficiency and current (Faraday's law in the model)",
          scenario=True)
def _cell_faraday(ev: Evaluator, case: Case) -> float:
    d = _cell(ev, case)
    return float(d["production_kg_per_day"]) / (float(d["current_efficiency"])
                                                 * float(d["current_a"]) / 1e3)


# ---------------------------------------------------------------------- thermodynamics
@quantity("thermo.delta_g_formation_kj_per_mol", "kJ/mol", "standard Gibbs energy of formation",
          inputs=("compound", "temperature"))
def _dfg(ev: Evaluator, case: Case) -> float:
    from alref.thermo.gibbs import delta_g_formation

    return delta_g_formation(_text(case, "compound"), _temperature(case)) / 1e3


@quantity("thermo.delta_e_vs_al_v", "V", "nobility relative to Al (positive = more noble)",
          inputs=("element", "temperature", "bath"))
def _delta_e(ev: Evaluator, case: Case) -> float:
    from alref.thermo.series import delta_e_vs_al

    return delta_e_vs_al(_text(case, "element"), _temperature(case), _text(case, "bath"))


@quantity("thermo.activity_al", "-", "activity of Al in the liquid alloy (COST 507)",
          inputs=("composition", "temperature"))
def _a_al(ev: Evaluator, case: Case) -> float:
    from alref.thermo.activity import activity_al

    return activity_al(_composition(case), _temperature(case))


@quantity("thermo.solubility_wt_pct", "wt %",
          "saturation limit of an element in the liquid alloy (sludge onset)",
          inputs=("element", "composition", "temperature"))
def _solubility(ev: Evaluator, case: Case) -> float:
    from alref.thermo.solubility import saturation_limit

    return saturation_limit(_composition(case), _temperature(case), _text(case, "element"))


def _alcu_eutectic() -> tuple[float, float]:
    """(wt % Cu, K) of the minimum of the Al-side Al-Cu liquidus (bounded search 20-50 % Cu)."""
    from scipy.optimize import minimize_scalar

    from alref.thermo.alloy_liquidus import binary_liquidus

    grid = [20.0 + 0.05 * i for i in range(601)]
    w0 = min(grid, key=binary_liquidus)
    res = minimize_scalar(binary_liquidus, bounds=(w0 - 0.05, w0 + 0.05), method="bounded",
                          options={"xatol": 1e-4})
    return float(res.x), float(res.fun)


@quantity("thermo.alcu_eutectic_c", "degC", "Al-Cu eutectic temperature from the alloy liquidus")
def _eutectic_t(ev: Evaluator, case: Case) -> float:
    return _alcu_eutectic()[1] - KELVIN


@quantity("thermo.alcu_eutectic_cu_wt_pct", "wt %", "Al-Cu eutectic composition")
def _eutectic_w(ev: Evaluator, case: Case) -> float:
    return _alcu_eutectic()[0]


def codissolution_ratio(element: str, t_k: float) -> float:
    """(w_M/w_Al) deposited over (w_M/w_Al) in the anode for noble M at negligible polarisation.

    The ideal-solution, pure-fluoride limit of the campaign's anodic law
    (`alref.campaign.anode`: γ = L = 1, θ ≪ κ with equal film coefficients, η → 0) gives
    i_M/z_M : i_Al/3 = (c_M/c_Al)·exp(−z F ΔE/RT);
    all dissolved M deposits at the cathode, so the mass ratio carries the same factor.
    """
    from alref.materials.elements import valence
    from alref.thermo.series import delta_e_vs_al

    z = valence(element)
    return math.exp(-z * FARADAY * delta_e_vs_al(element, t_k, "fluoride") / (R_GAS * t_k))


@quantity("thermo.codissolution_ratio", "-",
          "deposit/anode ratio of an impurity from anodic co-dissolution (model law, η → 0)",
          inputs=("element", "temperature"))
def _codiss_ratio(ev: Evaluator, case: Case) -> float:
    return codissolution_ratio(_text(case, "element"), _temperature(case))


@quantity("thermo.codissolution_deposit_wt_pct", "wt %",
          "impurity in the deposit from anodic co-dissolution of the given anode (model law)",
          inputs=("element", "composition", "temperature"))
def _codiss_deposit(ev: Evaluator, case: Case) -> float:
    el = _text(case, "element")
    comp = _composition(case)
    w_al = 100.0 - math.fsum(v for k, v in comp.items() if k != "Al")
    return 100.0 * comp.get(el, 0.0) / w_al * codissolution_ratio(el, _temperature(case))


# ---------------------------------------------------------------------- properties
@quantity("props.electrolyte_conductivity_s_cm", "S/cm", "bath conductivity (default correlation)",
          inputs=("composition", "temperature"))
def _kappa(ev: Evaluator, case: Case) -> float:
    from alref.properties import electrolyte

    return electrolyte.conductivity(_composition(case), _temperature(case)).value / 100.0


@quantity("props.electrolyte_liquidus_c", "degC", "bath liquidus (default correlation)",
          inputs=("composition",))
def _bath_liquidus(ev: Evaluator, case: Case) -> float:
    from alref.properties import electrolyte

    return electrolyte.liquidus(_composition(case)).value - KELVIN


@quantity("props.alloy_density_g_cm3", "g/cm3", "liquid anode-alloy density",
          inputs=("composition", "temperature"))
def _alloy_density(ev: Evaluator, case: Case) -> float:
    from alref.properties.alloy_density import density

    return density(_composition(case), _temperature(case)).value / 1e3
