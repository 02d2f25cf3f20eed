"""Core of the validation quantities: the registry, the `Evaluator` and input helpers.

A quantity is a small function of a case's conditions registered with `quantity`; the
definitions live in `alref.validation.quantities` (property and thermodynamic quantities)
and `alref.validation.process_quantities` (campaign and operating-point quantities). The
`Evaluator` keeps one cache of simulations and operating points, so each distinct scenario
runs once, and can add trial design values (``cell.parameters``) for calibration.
"""


from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
    _traces: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
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
                sol = sim.run()
                self._sims[key] = sol.summary
                self._traces[key] = {name: (float(v[0]), float(v[-1]))
                                     for name, v in sol.series.items() if len(v)}
            self.runs += 1
        return self._sims[key]

    def trace(self, scenario: str, overrides: Iterable[str] = ()) -> dict[str, tuple[float, float]]:
        """(first, last) value of every time series of the scenario's campaign (cached run),
        e.g. ``"Anode Si [wt %]"`` at the start and at the end of the cycle."""
        self.simulation(scenario, overrides)
        return self._traces[self._key(scenario, self._overrides(scenario, overrides))]

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
def sim_summary(ev: Evaluator, case: Case) -> dict[str, Any]:
    return ev.simulation(str(case.conditions.scenario), case.conditions.set)


def cell_point(ev: Evaluator, case: Case) -> dict[str, Any]:
    return ev.cell(str(case.conditions.scenario), case.conditions.set)


def temperature_input(case: Case) -> float:
    from alref.units import to_si

    return to_si(case.conditions.inputs["temperature"], "K",
                 key=f"{case.id}.conditions.inputs.temperature")


def composition_input(case: Case, name: str = "composition") -> dict[str, float]:
    comp = case.conditions.inputs[name]
    if not isinstance(comp, Mapping) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in comp.values()):
        raise ConfigError(f"{case.id}.conditions.inputs.{name}", "expected a table of wt %")
    return {str(k): float(v) for k, v in comp.items()}


def text_input(case: Case, name: str) -> str:
    value = case.conditions.inputs[name]
    if not isinstance(value, str):
        raise ConfigError(f"{case.id}.conditions.inputs.{name}", "expected a string")
    return value


