"""Registry of the quantities a validation case can compare, and the evaluator behind them.

Each quantity is a small function of the case conditions: a scenario run through the
campaign model (``simulate.*`` — one campaign, ``cell.*`` — the steady-state operating point,
defined in `alref.validation.process_quantities`) or a property / thermodynamic function
(``thermo.*``, ``props.*``, defined here). The registry and the `Evaluator` (one cache of
simulations and operating points, trial design values for calibration) are in
`alref.validation.quantity_core`; this module re-exports them and registers every quantity.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scipy.constants import R as R_GAS

from alref.validation import process_quantities  # noqa: F401  (registers simulate.*, cell.*)
from alref.validation.quantity_core import (
    FARADAY,
    KELVIN,
    REGISTRY,
    SECONDS_PER_DAY,
    Evaluator,
    Quantity,
    check_inputs,
    composition_input,
    parameter_override,
    quantity,
    temperature_input,
    text_input,
)

if TYPE_CHECKING:
    from alref.validation.cases import Case

__all__ = ["FARADAY", "KELVIN", "REGISTRY", "SECONDS_PER_DAY", "Evaluator", "Quantity",
           "check_inputs", "codissolution_ratio", "parameter_override", "quantity"]


# ---------------------------------------------------------------------- thermodynamics
@quantity("thermo.delta_g_formation_kj_per_mol", "kJ/mol", "standard Gibbs energy of formation",
          inputs=("compound", "temperature"))
def _dfg(ev: Evaluator, case: Case) -> float:
    from alref.thermo.gibbs import delta_g_formation

    return delta_g_formation(text_input(case, "compound"), temperature_input(case)) / 1e3


@quantity("thermo.delta_e_vs_al_v", "V", "nobility relative to Al (positive = more noble)",
          inputs=("element", "temperature", "bath"))
def _delta_e(ev: Evaluator, case: Case) -> float:
    from alref.thermo.series import delta_e_vs_al

    return delta_e_vs_al(text_input(case, "element"), temperature_input(case), text_input(case, "bath"))


@quantity("thermo.activity_al", "-", "activity of Al in the liquid alloy (COST 507)",
          inputs=("composition", "temperature"))
def _a_al(ev: Evaluator, case: Case) -> float:
    from alref.thermo.activity import activity_al

    return activity_al(composition_input(case), temperature_input(case))


@quantity("thermo.solubility_wt_pct", "wt %",
          "saturation limit of an element in the liquid alloy (sludge onset)",
          inputs=("element", "composition", "temperature"))
def _solubility(ev: Evaluator, case: Case) -> float:
    from alref.thermo.solubility import saturation_limit

    return saturation_limit(composition_input(case), temperature_input(case), text_input(case, "element"))


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
    return codissolution_ratio(text_input(case, "element"), temperature_input(case))


@quantity("thermo.codissolution_deposit_wt_pct", "wt %",
          "impurity in the deposit from anodic co-dissolution of the given anode (model law)",
          inputs=("element", "composition", "temperature"))
def _codiss_deposit(ev: Evaluator, case: Case) -> float:
    el = text_input(case, "element")
    comp = composition_input(case)
    w_al = 100.0 - math.fsum(v for k, v in comp.items() if k != "Al")
    return 100.0 * comp.get(el, 0.0) / w_al * codissolution_ratio(el, temperature_input(case))


# ---------------------------------------------------------------------- properties
@quantity("props.electrolyte_conductivity_s_cm", "S/cm", "bath conductivity (default correlation)",
          inputs=("composition", "temperature"))
def _kappa(ev: Evaluator, case: Case) -> float:
    from alref.properties import electrolyte

    return electrolyte.conductivity(composition_input(case), temperature_input(case)).value / 100.0


@quantity("props.electrolyte_liquidus_c", "degC", "bath liquidus (default correlation)",
          inputs=("composition",))
def _bath_liquidus(ev: Evaluator, case: Case) -> float:
    from alref.properties import electrolyte

    return electrolyte.liquidus(composition_input(case)).value - KELVIN


@quantity("props.alloy_density_g_cm3", "g/cm3", "liquid anode-alloy density",
          inputs=("composition", "temperature"))
def _alloy_density(ev: Evaluator, case: Case) -> float:
    from alref.properties.alloy_density import density

    return density(composition_input(case), temperature_input(case)).value / 1e3
