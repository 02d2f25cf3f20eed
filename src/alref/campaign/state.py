"""State of a pot during a campaign and its element bookkeeping.

Pools (kg): liquid anode alloy (elements), sludge (phases; oxide as Al2O3), bath
(compounds: salts and dissolved impurity fluorides such as FeF2), cathode metal
(elements). Every transfer moves mass from one pool to another; inputs (scrap, salts,
Cu) and outputs (lots, residue, fume, dross, removed bath, off-gas) are logged, so the
element balance `initial + inputs = pools + outputs` closes to rounding error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from alref.materials.elements import molar_mass, parse_formula
from alref.thermo.solubility import sludge_phases


@lru_cache(maxsize=1)
def oxide_density_kg_m3() -> float:
    """Density of the oxide (Al2O3) carried into the residue by the scrap, kg/m3."""
    from alref import data

    return float(data.load("residue")["oxide"]["density_kg_m3"])


def add_into(target: dict[str, float], masses: Mapping[str, float], sign: float = 1.0) -> None:
    """target += sign * masses (in place)."""
    for k, v in masses.items():
        target[k] = target.get(k, 0.0) + sign * v


@lru_cache(maxsize=256)
def compound_fractions(formula: str) -> dict[str, float]:
    """Element mass fractions of a compound formula (e.g. 'MgF2')."""
    parts = {el: n * molar_mass(el) for el, n in parse_formula(formula)}
    total = sum(parts.values())
    return {el: m / total for el, m in parts.items()}


def compounds_to_elements(masses: Mapping[str, float]) -> dict[str, float]:
    """Element masses of a table of compound masses."""
    out: dict[str, float] = {}
    for name, m in masses.items():
        if m == 0.0:
            continue
        for el, w in compound_fractions(name).items():
            out[el] = out.get(el, 0.0) + m * w
    return out


def phases_to_elements(masses: Mapping[str, float]) -> dict[str, float]:
    """Element masses of sludge phases (and 'Al2O3' oxide)."""
    phases = sludge_phases()
    out: dict[str, float] = {}
    for name, m in masses.items():
        fr = phases[name].mass_fractions if name in phases else compound_fractions(name)
        for el, w in fr.items():
            out[el] = out.get(el, 0.0) + m * w
    return out


@dataclass
class PotState:
    """Masses in each pool (kg) at time t (s)."""

    t: float
    anode: dict[str, float]
    sludge: dict[str, float]
    bath: dict[str, float]
    cathode: dict[str, float]

    def copy(self) -> PotState:
        return PotState(self.t, dict(self.anode), dict(self.sludge), dict(self.bath),
                        dict(self.cathode))

    @property
    def anode_kg(self) -> float:
        return sum(self.anode.values())

    @property
    def sludge_kg(self) -> float:
        return sum(self.sludge.values())

    @property
    def bath_kg(self) -> float:
        return sum(self.bath.values())

    @property
    def cathode_kg(self) -> float:
        return sum(self.cathode.values())

    def elements(self) -> dict[str, float]:
        """Element masses over every pool."""
        out = dict(self.anode)
        add_into(out, phases_to_elements(self.sludge))
        add_into(out, compounds_to_elements(self.bath))
        add_into(out, self.cathode)
        return out


@dataclass
class Ledger:
    """Inputs and outputs of the pot, as element masses (kg), plus non-element off-gas."""

    inputs: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, float] = field(default_factory=dict)
    offgas_kg: float = 0.0  # organics and moisture of the scrap (not element-resolved)

    def add_input(self, elements: Mapping[str, float]) -> None:
        add_into(self.inputs, elements)

    def add_output(self, elements: Mapping[str, float]) -> None:
        add_into(self.outputs, elements)


def balance_errors(initial: Mapping[str, float], state: PotState, ledger: Ledger) -> dict[str, float]:
    """Relative element-balance error |initial + in - now - out| / (initial + in)."""
    now = state.elements()
    names = set(initial) | set(now) | set(ledger.inputs) | set(ledger.outputs)
    errors = {}
    for el in sorted(names):
        supplied = initial.get(el, 0.0) + ledger.inputs.get(el, 0.0)
        accounted = now.get(el, 0.0) + ledger.outputs.get(el, 0.0)
        scale = max(supplied, accounted, 1e-30)
        errors[el] = abs(supplied - accounted) / scale
    return errors
