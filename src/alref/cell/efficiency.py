"""Current efficiency from its loss mechanisms, temperature by temperature.

CE = 1 − (I_dissolved metal + I_oxidation + I_bypass)/I, with

* **dissolved metal** (Sterten & Solli 1996; Solheim 2014 integrated model): the bath at the
  cathode is saturated with dissolved metal, c_sat(T, bath), which is carried across the
  boundary layer (mass-transfer coefficient k(T)) and re-oxidised:
  I_mt = 3F·k·c_sat·A_cathode; and the dissolved metal makes the bath partly electronically
  conducting: I_e = t_e·I with t_e = t_e,ref·c_sat/c_ref,e (Solheim et al. 2018: 1 % of the
  current at k = 0 in the Sterten–Solli cell). Both rise with temperature;
* **air oxidation of an exposed cathode pad** (three-layer cells with an open top), as an
  equivalent current I_ox = 3F·r_ox·A_exposed/M_Al;
* **bypass current** through the lining or diaphragm supports: I_bypass = U_electrodes/R_leak.

Metal solubility (`metal_solubility_wt_pct`): the refining-bath level c_ref at 800 °C
(data-gaps-physics §5.1, an estimate) joined in the van 't Hoff form to the level of Arthur's
(1974) regression at 1011.5 °C for the same NaF/AlF3 ratio, and carried to other
compositions with the regression's sensitivities (linear in the NaF/AlF3 ratio as the
regression is, exponential in CaF2, LiF as Li3AlF6, and NaCl). CE falls with temperature
mostly through k(T). The anode-side concentration is taken as zero (Sterten–Solli):
equilibrium with the Al–Cu anode (solubility ∝ a_Al, Arthur 1974) would lower the
mass-transfer part by up to a factor (1 − a_Al) and is not applied, because no
refining-cell CE measurement separates it. Data: ``alref/data/pot_physics.toml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from scipy.constants import R as R_GAS
from scipy.constants import physical_constants

from alref import data
from alref.cell.design import CellDesign
from alref.citations import cite
from alref.materials.elements import formula_molar_mass
from alref.properties.registry import Correlation

FARADAY = physical_constants["Faraday constant"][0]


@dataclass(frozen=True)
class CurrentEfficiency:
    """CE and its loss currents (A).

    `losses_a` has the three mechanisms the campaign engine balances (dissolved metal =
    mass transfer + electronic conduction); `detail` splits them and gives c_sat and k.
    """

    current_efficiency: float
    losses_a: dict[str, float]
    detail: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _physics() -> dict[str, Any]:
    return data.load("pot_physics")


def _regression(ratio: float, t_c: float, caf2: float, li3alf6: float, nacl: float) -> float:
    """Arthur's (1974) regression, wt % Al (alumina-saturated cryolite melts)."""
    r = _physics()["metal_solubility"]["regression"]
    return (r["intercept"] + r["ratio"] * ratio + r["temperature_per_degc"] * t_c
            + r["caf2"] * caf2 + r["li3alf6"] * li3alf6 + r["nacl"] * nacl)


def _solvent_terms(bath_wt: Mapping[str, float]) -> tuple[float, float, float, float]:
    """(NaF/AlF3 weight ratio with KF as NaF, CaF2, Li3AlF6-equivalent of LiF, NaCl), wt %."""
    naf = bath_wt.get("NaF", 0.0) + bath_wt.get("KF", 0.0) * (
        formula_molar_mass("NaF") / formula_molar_mass("KF"))
    naf += bath_wt.get("Na3AlF6", 0.0) * 3 * formula_molar_mass("NaF") / formula_molar_mass("Na3AlF6")
    alf3 = bath_wt.get("AlF3", 0.0) + bath_wt.get("Na3AlF6", 0.0) * (
        formula_molar_mass("AlF3") / formula_molar_mass("Na3AlF6"))
    ratio = naf / alf3 if alf3 > 0 else math.inf
    li3alf6 = bath_wt.get("LiF", 0.0) * formula_molar_mass("Li3AlF6") / (3 * formula_molar_mass("LiF"))
    return ratio, bath_wt.get("CaF2", 0.0), li3alf6, bath_wt.get("NaCl", 0.0)


@lru_cache(maxsize=1)
def _solubility_correlation() -> Correlation:
    ms = _physics()["metal_solubility"]
    ref, reg = ms["reference"], ms["regression"]
    t_mid = ms["sensitivity_point"]["temperature_c"]
    c_mid = _regression(ref["naf_alf3_weight_ratio"], t_mid, 0.0, 0.0, 0.0)
    t_mid_k = t_mid + 273.15
    # van 't Hoff slope joining the refining level (T_ref) and Arthur's level (t_mid), K
    h_over_r = math.log(c_mid / ref["solubility_wt_pct"]) / (1.0 / ref["temperature_k"] - 1.0 / t_mid_k)
    b = {k: reg[k] / c_mid for k in ("caf2", "li3alf6", "nacl")}

    def func(T: float, ratio: float, caf2: float, li3alf6: float, nacl: float) -> float:
        # the ratio enters as the regression does, linearly (its level at t_mid is positive
        # for every ratio >= 0); additives as exponentials of the regression's relative
        # slopes, so that large additions tend to zero instead of turning negative
        r_factor = _regression(min(ratio, 1e3), t_mid, 0.0, 0.0, 0.0) / c_mid
        expo = (b["caf2"] * caf2 + b["li3alf6"] * li3alf6 + b["nacl"] * nacl
                - h_over_r * (1.0 / T - 1.0 / ref["temperature_k"]))
        return ref["solubility_wt_pct"] * r_factor * math.exp(expo)

    return Correlation(
        name="metal_solubility.refining_arthur1974",
        quantity="metal_solubility", unit="wt%", source="arthur1974",
        locator="sensitivities of the abstract regression; level: data-gaps-physics 5.1 estimate",
        func=func,
        validity={
            "T": (ref["temperature_min_k"], ref["temperature_max_k"]),
            "ratio": (reg["ratio_min"], reg["ratio_max"]),
            "caf2": (0.0, reg["caf2_max"]), "li3alf6": (0.0, reg["li3alf6_max"]),
            "nacl": (0.0, reg["nacl_max"]),
        },
        display={"T": lambda v: f"{v - 273.15:.0f} degC"},
    )


def metal_solubility_wt_pct(bath_wt: Mapping[str, float], temperature_k: float) -> float:
    """Dissolved-metal solubility of a refining bath in equilibrium with liquid Al, wt %.

    Rises with temperature and the NaF/AlF3 ratio; falls with CaF2, LiF and NaCl (Arthur
    1974; the same trends in Ødegård, Sterten & Thonstad 1988). RangeWarning outside
    750–1054 °C or the regression's composition range.
    """
    ratio, caf2, li3alf6, nacl = _solvent_terms(bath_wt)
    return _solubility_correlation()(
        T=temperature_k, ratio=ratio, caf2=caf2, li3alf6=li3alf6, nacl=nacl).value


@lru_cache(maxsize=1)
def _mass_transfer_correlation() -> Correlation:
    mt = _physics()["mass_transfer"]
    t_ref = mt["reference"]["temperature_k"]

    def func(T: float, k_ref: float) -> float:
        return k_ref * math.exp(-mt["activation_energy_j_mol"] / R_GAS * (1.0 / T - 1.0 / t_ref))

    return Correlation(
        name="mass_transfer.arrhenius_yasinskiy2021", quantity="mass_transfer_coefficient",
        unit="m/s", source="yasinskiy2021metals", locator=mt["locator"], func=func,
        validity={"T": (mt["temperature_min_k"], mt["temperature_max_k"])},
        display={"T": lambda v: f"{v - 273.15:.0f} degC"},
    )


def mass_transfer_m_s(k_ref_m_s: float, temperature_k: float) -> float:
    """Dissolved-metal mass-transfer coefficient at T from the design's value at 800 °C."""
    return _mass_transfer_correlation()(T=temperature_k, k_ref=k_ref_m_s).value


@lru_cache(maxsize=1)
def _electronic_reference_wt_pct() -> float:
    rb = _physics()["electronic_conduction"]["reference_bath"]
    return _regression(rb["naf_alf3_weight_ratio"], rb["temperature_c"], rb["caf2_wt_pct"], 0.0, 0.0)


def current_efficiency(
    design: CellDesign,
    current_a: float,
    bath_density_kg_m3: float,
    electrode_voltage_v: float,
    temperature_k: float,
    bath_wt: Mapping[str, float],
) -> CurrentEfficiency:
    """CE of the pot at one operating point.

    `electrode_voltage_v` is the voltage across the bath between the metal electrodes (bath
    IR + overvoltages + E_rev), which drives the bypass current.
    """
    e = design.spec.efficiency
    cite("sterten1996", "solheim2014")
    m_al = formula_molar_mass("Al")
    c_wt = metal_solubility_wt_pct(bath_wt, temperature_k)
    c_sat = c_wt / 100 * bath_density_kg_m3 / m_al  # mol/m3
    k = mass_transfer_m_s(e.dissolved_metal_mass_transfer_m_s, temperature_k)
    i_mt = 3 * FARADAY * k * c_sat * design.cathode_area_m2
    ec = _physics()["electronic_conduction"]
    cite(ec["source"])
    i_e = ec["loss_fraction"] * c_wt / _electronic_reference_wt_pct() * current_a
    exposed = e.exposed_pad_fraction * design.cathode_area_m2
    i_ox = 3 * FARADAY * e.pad_oxidation_kg_m2_s * exposed / m_al
    i_bypass = max(electrode_voltage_v, 0.0) / e.leakage_resistance_ohm
    losses = {"dissolved_metal": i_mt + i_e, "pad_oxidation": i_ox, "bypass": i_bypass}
    ce = 1.0 - sum(losses.values()) / current_a
    detail = {
        "dissolved_metal_mass_transfer_a": i_mt, "electronic_conduction_a": i_e,
        "metal_solubility_wt_pct": c_wt, "mass_transfer_m_s": k,
    }
    return CurrentEfficiency(current_efficiency=max(ce, 0.0), losses_a=losses, detail=detail)


def production_kg_s(current_a: float, ce: float) -> float:
    """Faraday's law: Al deposited per second at current efficiency `ce`."""
    return ce * current_a * formula_molar_mass("Al") / (3 * FARADAY)
