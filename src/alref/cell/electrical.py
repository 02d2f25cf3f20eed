"""Cell voltage breakdown (domain-physics §2.4, §10.2).

U_cell = E_rev + η_a + η_c + I·R_bath (+ I·R_diaphragm) + I·(R_alloy + R_hearth + R_anode lead)
         + I·(R_cathode metal + R_cathode lead) + I·R_contacts + I·R_busbar

* E_rev = (RT/3F)·ln(1/a_Al,anode) — the concentration-cell term (§5.4).
* Overvoltages: charge transfer (Butler–Volmer, `asinh` form) plus concentration
  polarisation (RT/nF)·ln(1/(1 − j/j_lim)), with j_lim = nF·k·c of the Al-bearing species.
  Both are small at refining current densities (Ueda et al. 1998: "negligible").
* Bath IR through the real geometry of each design variant (see `bath_resistance`).
No anode gas evolves, so there is no bubble term (§2.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from scipy.constants import R as R_GAS
from scipy.constants import physical_constants

from alref import data
from alref.cell.design import CellDesign, Conductor
from alref.citations import cite
from alref.errors import PhysicsError
from alref.materials.elements import formula_molar_mass
from alref.properties.thermal import electrical_resistivity

FARADAY = physical_constants["Faraday constant"][0]


@dataclass(frozen=True)
class ElectricalState:
    """Inputs of the voltage model at one operating point (SI)."""

    current_a: float
    temperature_k: float
    ambient_k: float
    acd_m: float
    bath_conductivity_s_m: float
    bath_density_kg_m3: float
    bath_alf3_wt_pct: float
    alloy_al_activity: float
    alloy_density_kg_m3: float
    alloy_al_wt_pct: float
    alloy_cu_wt_pct: float
    cathode_density_kg_m3: float


@dataclass(frozen=True)
class VoltageBreakdown:
    """Voltage terms (V) and the part of their heat released inside the pot (W)."""

    terms: dict[str, float]
    heat_in_pot_w: float
    notes: tuple[str, ...] = field(default=())

    @property
    def total_v(self) -> float:
        return sum(self.terms.values())


def reversible_voltage(a_al: float, temperature_k: float) -> float:
    """E_rev = (RT/3F)·ln(1/a_Al) of an Al–X anode alloy against pure Al (§5.4)."""
    if not 0.0 < a_al <= 1.0 + 1e-9:
        raise PhysicsError(f"Al activity {a_al} outside (0, 1]")
    return R_GAS * temperature_k / (3 * FARADAY) * math.log(1.0 / min(a_al, 1.0))


def electrode_overvoltage(
    j_a_m2: float, temperature_k: float, i0_a_m2: float, alpha: float, j_lim_a_m2: float
) -> float:
    """Charge-transfer (Butler–Volmer, symmetric asinh form) + concentration overvoltage, V.

    η_ct = RT/(α·3F)·asinh(j/2i0);  η_conc = RT/(3F)·ln(1/(1 − j/j_lim)).
    Refs: Bard & Faulkner, Electrochemical Methods, 2nd ed., §3.4 and §1.4.
    """
    cite("bard2001")
    if j_a_m2 >= j_lim_a_m2:
        raise PhysicsError(
            f"current density {j_a_m2/1e4:.3g} A/cm2 exceeds the limiting current "
            f"{j_lim_a_m2/1e4:.3g} A/cm2 (Al supply to the electrode fails)"
        )
    rt_nf = R_GAS * temperature_k / (3 * FARADAY)
    eta_ct = rt_nf / alpha * math.asinh(j_a_m2 / (2 * i0_a_m2))
    eta_conc = rt_nf * math.log(1.0 / (1.0 - j_a_m2 / j_lim_a_m2))
    return eta_ct + eta_conc


def bath_resistance(design: CellDesign, acd_m: float, kappa_s_m: float) -> dict[str, float]:
    """Ohmic resistance (Ω) of the electrolyte path for the design variant.

    * stacked: a slab of thickness ACD over the cavity cross-section;
    * diaphragm: the electrolyte gap (ACD) between each cathode face and the diaphragm wall,
      in series with the porous wall of effective conductivity κ·ε/τ over its wetted area
      (Bruggeman-type porous-medium conduction; Newman & Thomas-Alyea, Electrochemical
      Systems, 3rd ed., §22.3 — effective conductivity = κ·ε/τ);
    * side_by_side: vertical legs of half the bath depth above each pool in series with a
      horizontal leg across the partition (a resistor-network approximation).
    """
    if acd_m <= 0 or kappa_s_m <= 0:
        raise PhysicsError("ACD and bath conductivity must be positive")
    if design.variant == "stacked":
        return {"bath_ir": acd_m / (kappa_s_m * design.cathode_area_m2)}
    if design.variant == "diaphragm":
        d = design.spec.diaphragm
        cite("newman2004")
        kappa_eff = kappa_s_m * d.porosity / d.tortuosity
        return {
            "bath_ir": acd_m / (kappa_s_m * design.cathode_area_m2),
            "diaphragm_ir": d.wall_thickness_m / (kappa_eff * design.diaphragm_area_m2),
        }
    s = design.spec.side_by_side
    scale = design.scale
    a_a, a_c = s.anode_pool_area_m2 * scale, s.cathode_pool_area_m2 * scale
    width = s.pool_width_m * math.sqrt(scale)
    half = 0.5 * s.bath_depth_m
    len_a, len_c = a_a / width, a_c / width
    r_vertical = half / (kappa_s_m * a_a) + half / (kappa_s_m * a_c)
    path = acd_m + s.partition_width_m + 0.5 * (len_a + len_c)
    r_horizontal = path / (kappa_s_m * half * width)
    return {"bath_ir": r_vertical + r_horizontal}


@lru_cache(maxsize=1)
def _metal_table() -> dict:
    return data.load("electrical")


def liquid_metal_resistivity(al_wt_pct: float, cu_wt_pct: float, temperature_k: float) -> float:
    """Resistivity of liquid Al, Cu or an Al–Cu alloy (Ω·m): linear mix + an excess bump."""
    tab = _metal_table()
    cite("desai1984al", "matula1979cu")

    def line(name: str) -> float:
        r = tab[name]
        return r["resistivity_at_melting_ohm_m"] + r["slope_ohm_m_per_k"] * (
            temperature_k - r["melting_k"]
        )

    m_al, m_cu = formula_molar_mass("Al"), formula_molar_mass("Cu")
    n_al, n_cu = al_wt_pct / m_al, cu_wt_pct / m_cu
    x_cu = n_cu / (n_al + n_cu) if n_al + n_cu > 0 else 0.0
    excess = 4 * x_cu * (1 - x_cu) * tab["al_cu_liquid_excess"]["peak_excess_ohm_m"]
    return (1 - x_cu) * line("liquid_al") + x_cu * line("liquid_cu") + excess


def conductor_resistance(c: Conductor, t_hot_k: float, t_cold_k: float) -> float:
    """Resistance (Ω) of a lead or bar evaluated at its mean temperature, plus its contacts."""
    t_mean = 0.5 * (t_hot_k + t_cold_k)
    rho = electrical_resistivity(c.material, t_mean)
    return rho * c.length_m / c.cross_section_m2


def contact_resistance(c: Conductor) -> float:
    """Contact (joint) resistance of a conductor, Ω."""
    return c.contact_resistance_ohm_m2 / c.contact_area_m2 if c.contact_area_m2 > 0 else 0.0


def voltage_breakdown(design: CellDesign, s: ElectricalState) -> VoltageBreakdown:
    """All voltage terms at one operating point and the heat they release in the pot."""
    kin = design.spec.kinetics
    i = s.current_a
    j_c = i / design.cathode_area_m2
    j_a = i / design.anode_area_m2
    m_al = formula_molar_mass("Al")
    m_alf3 = formula_molar_mass("AlF3")
    # limiting currents: Al-bearing fluoro-complexes in the bath at the cathode, Al in the
    # liquid alloy at the anode (domain-physics §6.1, §6.4)
    c_bath = s.bath_alf3_wt_pct / 100 * s.bath_density_kg_m3 / m_alf3
    c_alloy = s.alloy_al_wt_pct / 100 * s.alloy_density_kg_m3 / m_al
    j_lim_c = 3 * FARADAY * kin.cathode_mass_transfer_m_s * c_bath
    j_lim_a = 3 * FARADAY * kin.anode_mass_transfer_m_s * c_alloy
    terms: dict[str, float] = {}
    terms["reversible"] = reversible_voltage(s.alloy_al_activity, s.temperature_k)
    terms["anode_overvoltage"] = electrode_overvoltage(
        j_a, s.temperature_k, kin.exchange_current_density_a_m2,
        kin.charge_transfer_coefficient, j_lim_a,
    )
    terms["cathode_overvoltage"] = electrode_overvoltage(
        j_c, s.temperature_k, kin.exchange_current_density_a_m2,
        kin.charge_transfer_coefficient, j_lim_c,
    )
    for name, r in bath_resistance(design, s.acd_m, s.bath_conductivity_s_m).items():
        terms[name] = i * r
    # anode side: alloy layer and hearth, then the collector/lead
    alloy_height = design.anode_alloy_kg / (s.alloy_density_kg_m3 * design.cavity_area_m2)
    rho_alloy = liquid_metal_resistivity(s.alloy_al_wt_pct, s.alloy_cu_wt_pct, s.temperature_k)
    r_alloy = rho_alloy * alloy_height / design.cavity_area_m2
    cond = design.spec.conductors
    r_hearth = 0.0
    if cond.hearth_material and cond.hearth_thickness_m > 0:
        rho_h = electrical_resistivity(cond.hearth_material, s.temperature_k)
        r_hearth = rho_h * cond.hearth_thickness_m / design.cavity_area_m2
    terms["anode_alloy_and_hearth"] = i * (r_alloy + r_hearth)
    anode, cathode, busbar = (design.conductor(w) for w in ("anode", "cathode", "busbar"))
    terms["anode_conductor"] = i * conductor_resistance(anode, s.temperature_k, s.ambient_k)
    # cathode side: metal pad (stacked) or drained metal film (negligible), then the leads
    pad_height = (
        design.cathode_metal_kg / (s.cathode_density_kg_m3 * design.cathode_area_m2)
        if design.variant == "stacked" else 0.0
    )
    rho_pad = liquid_metal_resistivity(100.0, 0.0, s.temperature_k)
    terms["cathode_metal"] = i * rho_pad * pad_height / design.cathode_area_m2
    terms["cathode_conductor"] = i * conductor_resistance(cathode, s.temperature_k, s.ambient_k)
    terms["contacts"] = i * sum(contact_resistance(c) for c in (anode, cathode, busbar))
    terms["busbar"] = i * conductor_resistance(busbar, s.ambient_k, s.ambient_k)
    in_pot = {
        "anode_overvoltage": 1.0, "cathode_overvoltage": 1.0, "bath_ir": 1.0,
        "diaphragm_ir": 1.0, "anode_alloy_and_hearth": 1.0, "cathode_metal": 1.0,
        "anode_conductor": anode.in_pot_fraction, "cathode_conductor": cathode.in_pot_fraction,
        # joints sit at the clamps outside the lining; the busbar is outside the pot;
        # E_rev·I is reversible work (concentration cell), not heat
        "contacts": 0.0, "busbar": 0.0, "reversible": 0.0,
    }
    heat = sum(i * v * in_pot[k] for k, v in terms.items())
    return VoltageBreakdown(terms=terms, heat_in_pot_w=heat)
