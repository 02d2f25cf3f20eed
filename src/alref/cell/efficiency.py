"""Current efficiency from its loss mechanisms (domain-physics §6.3, data-gaps §5).

CE = 1 − (I_back + I_oxidation + I_bypass)/I, with

* back reaction of dissolved metal: metal dissolved at the cathode saturates the bath
  boundary layer (c_sat), is carried across by mass transfer (k_E) and re-oxidised at the
  anode: i_back = 3F·k_E·c_sat (Sterten & Solli 1996; Solheim 2014);
* air oxidation of an exposed cathode pad (three-layer cells with an open top): a metal
  loss expressed as an equivalent current, I_ox = 3F·r_ox·A_exposed/M_Al;
* bypass current through the lining or diaphragm: I_bypass = U_electrodes/R_leak.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.constants import physical_constants

from alref.cell.design import CellDesign
from alref.citations import cite
from alref.materials.elements import formula_molar_mass

FARADAY = physical_constants["Faraday constant"][0]


@dataclass(frozen=True)
class CurrentEfficiency:
    """CE and its loss currents (A)."""

    current_efficiency: float
    losses_a: dict[str, float]


def current_efficiency(
    design: CellDesign, current_a: float, bath_density_kg_m3: float, electrode_voltage_v: float
) -> CurrentEfficiency:
    """CE of the pot at one operating point.

    `electrode_voltage_v` is the voltage across the bath between the metal electrodes (bath
    IR + overvoltages + E_rev), which drives the bypass current.
    """
    e = design.spec.efficiency
    cite("sterten1996", "solheim2014")
    m_al = formula_molar_mass("Al")
    c_sat = e.metal_solubility_wt_pct / 100 * bath_density_kg_m3 / m_al  # mol/m3
    i_back = 3 * FARADAY * e.dissolved_metal_mass_transfer_m_s * c_sat * design.cathode_area_m2
    exposed = e.exposed_pad_fraction * design.cathode_area_m2
    i_ox = 3 * FARADAY * e.pad_oxidation_kg_m2_s * exposed / m_al
    i_bypass = max(electrode_voltage_v, 0.0) / e.leakage_resistance_ohm
    losses = {"dissolved_metal": i_back, "pad_oxidation": i_ox, "bypass": i_bypass}
    ce = 1.0 - sum(losses.values()) / current_a
    return CurrentEfficiency(current_efficiency=max(ce, 0.0), losses_a=losses)


def production_kg_s(current_a: float, ce: float) -> float:
    """Faraday's law: Al deposited per second at current efficiency `ce`."""
    return ce * current_a * formula_molar_mass("Al") / (3 * FARADAY)
