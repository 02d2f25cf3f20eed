"""Diaphragm wall transfer W1 (docs/research/impurity-transfer.md §3.8.3).

In a diaphragm pot (`variant = "diaphragm"`, RU2809349C1: porous compartments permeable to
the electrolyte, impermeable to alloy and refined Al) the bath is two pools joined by the
wall: the **anode side**, the bath in the wall's pores that touches the alloy (volume
ε·A_w·L), and the **cathode compartment** (the rest). The anode puts its ions into the
anode side (co-dissolution, refractory Si); the alloy reduces them back there; only what
crosses the wall can co-deposit at the cathode. Per ion j:

  N_j,wall = (ε D_j/(τ L)) A_w (c_j,an − c_j,cat) + Q_disp (c_j,an − c_j,cat)        (W1)

The first term is diffusion through the pores (porosity ε, tortuosity τ, thickness L, bath
diffusivity D_j); the second is the displacement flow, W1's u·c_up averaged over a tap
cycle: while metal collects in the compartment it pushes compartment bath out through the
wall (upstream: the compartment); when the metal is drained or tapped the same volume
returns from the anode side. Q_disp is the deposited Al volume times the design's
`displaced_bath_fraction` (0 when the metal drains as it forms, as in RU2809349C1's
surface-level drainage channels). Electromigration of a dilute impurity is negligible
(transference number ~4e-9 per ppm, §3.8.3).

With the cathode co-deposition (k_b·A_c) and the back-reduction by the alloy (k_b·A_a)
the two pools are a linear 2 x 2 system, integrated exactly over the step (matrix
exponential in closed form), so the wall conserves every ion's mass to rounding.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any

import numpy as np

from alref.campaign.couples import transfer_data
from alref.campaign.layout import FARADAY
from alref.materials.elements import molar_mass
from alref.properties.registry import RangeWarning

M_AL = molar_mass("Al")
G_N = 9.80665  # standard gravity, m/s² (CGPM 1901 definition)


@lru_cache(maxsize=1)
def wall_data() -> dict:
    """The `[diaphragm_wall]` table of `data/transfer.toml`."""
    return transfer_data()["diaphragm_wall"]


def bath_diffusivity(element: str) -> float:
    """Diffusivity of the ion of `element` in the bath (m²/s): measured values where the
    data file has them, else its labelled default."""
    d = wall_data()["diffusivity_m2_s"]
    return float(d.get(element, d["default"])["value"])


def check_wall(porosity: float, tortuosity: float, where: str = "diaphragm") -> float:
    """ε/τ of a wall; RangeWarning outside the literature range of porous ceramic
    diaphragms (`[diaphragm_wall.eps_over_tau]`)."""
    ratio = porosity / tortuosity
    w = wall_data()["eps_over_tau"]
    lo, hi = float(w["min"]), float(w["max"])
    if not lo <= ratio <= hi:
        warnings.warn(f"{where}: porosity/tortuosity {ratio:.3g} outside the range "
                      f"{lo}-{hi} of porous ceramic diaphragms (wall transfer W1)",
                      RangeWarning, stacklevel=2)
    return ratio


def check_temperature(temp_k: np.ndarray) -> None:
    """RangeWarning when the bath temperature leaves the range of the diffusivity data."""
    w = wall_data()["temperature_k"]
    lo, hi = float(w["min"]), float(w["max"])
    t = np.asarray(temp_k, float)
    if t.size and ((t < lo).any() or (t > hi).any()):
        warnings.warn(f"diaphragm wall transfer: bath at {float(t.min()):.0f}-"
                      f"{float(t.max()):.0f} K outside the {lo:.0f}-{hi:.0f} K of its ion "
                      f"diffusivity data", RangeWarning, stacklevel=2)


def volumes(B: np.ndarray, rho_bath: np.ndarray, pore: np.ndarray | None
            ) -> tuple[np.ndarray, np.ndarray]:
    """Bath volume (m³) of the anode side (the wall's pores `pore`, at most 90 % of the
    bath: a numerical guard for a nearly drained pot) and of the cathode compartment."""
    v = B.sum(1) / rho_bath
    v_a = np.minimum(np.zeros_like(v) if pore is None else pore, 0.9 * v)
    return v_a, v - v_a


def two_pools(m_a: np.ndarray, m_c: np.ndarray, a: np.ndarray, c: np.ndarray,
              h: np.ndarray, v_a: np.ndarray, v_c: np.ndarray, dt: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Exact solution over dt of
        dm_a/dt = −a m_a − H (m_a/V_a − m_c/V_c)
        dm_c/dt = −c m_c + H (m_a/V_a − m_c/V_c)
    (a = k A_a/V_a, c = k A_c/V_c, H = wall conductance in m³/s; arrays of one shape).
    Returns m_a(dt), m_c(dt), the kg co-deposited at the cathode c∫m_c and the kg that
    crossed the wall into the compartment (net, may be negative)."""
    ha, hc = h / v_a, h / v_c
    m11, m12, m21, m22 = -a - ha, hc, ha, -c - hc
    s = 0.5 * (m11 + m22)
    q = np.sqrt(np.maximum(0.25 * (m11 - m22) ** 2 + m12 * m21, 0.0))
    # eigenvalues s ± q are both <= 0: exp(M dt) = e^{s dt}[cosh(q dt) I + sinh(q dt)/q (M − s I)],
    # written with the two decaying exponentials (no overflow); sinh(q dt)/q -> dt as q -> 0
    ep, em = np.exp((s + q) * dt), np.exp((s - q) * dt)
    ch = 0.5 * (ep + em)
    sh = np.where(q * dt > 1e-8, 0.5 * (ep - em) / np.where(q > 0, q, 1.0), np.exp(s * dt) * dt)
    e11 = ch + sh * (m11 - s)
    e22 = ch + sh * (m22 - s)
    e12, e21 = sh * m12, sh * m21
    a1 = e11 * m_a + e12 * m_c
    c1 = e21 * m_a + e22 * m_c
    # ∫0^dt m dt = M⁻¹ (m(dt) − m0); M is invertible (det = ac + a·hc + c·ha > 0)
    det = m11 * m22 - m12 * m21
    da, dc = a1 - m_a, c1 - m_c
    int_c = np.where(det > 0, (-m21 * da + m11 * dc) / np.where(det > 0, det, 1.0), m_c * dt)
    dep = np.clip(c * int_c, 0.0, None)
    a1, c1 = np.clip(a1, 0.0, None), np.clip(c1, 0.0, None)
    crossed = c1 - m_c + dep
    return a1, c1, dep, crossed


def kozeny_carman_m2(porosity: float, pore_diameter_m: float) -> float:
    """Permeability of a packed porous wall, κ = ε³ d²/[180 (1 − ε)²] (Kozeny–Carman, with
    the particle/pore size d; research §3.8.3: 4e-13 m² for ε = 0.4, d = 20 µm)."""
    return porosity**3 * pore_diameter_m**2 / (180.0 * (1.0 - porosity) ** 2)


def displacement_head_m(design: Any, current_a: float, rho_bath: float) -> float:
    """Level difference (m of bath) that drives the displaced bath through the wall by
    Darcy's law, Δp = μ u L/κ with u = Q_disp/A_w (the deposited Al volume times the
    design's displaced fraction over the wall area); 0 without displacement or pore data."""
    d = design.spec.diaphragm
    if not d.displaced_bath_fraction or d.pore_diameter_m is None:
        return 0.0
    w = wall_data()["displacement"]
    q = (d.displaced_bath_fraction * current_a * M_AL / (3.0 * FARADAY)
         / float(w["metal_density_kg_m3"]))
    u = q / design.diaphragm_area_m2
    dp = float(w["bath_viscosity_pa_s"]) * u * d.wall_thickness_m / kozeny_carman_m2(
        d.porosity, d.pore_diameter_m)
    return dp / (rho_bath * G_N)


def wall_arrays(design: Any, current_a: float = 0.0) -> dict[str, float]:
    """Per-row wall values of a cell design (zeros without a diaphragm): `wall_g` =
    ε A_w/(τ L) (m; × D_j gives the diffusive conductance in m³/s), `wall_pore` = ε A_w L
    (m³, the anode-side bath) and `wall_disp` (share of the deposited metal volume that
    displaces compartment bath through the wall). RangeWarning when ε/τ leaves its range
    or when the displaced bath would need a level difference larger than the compartment's
    immersed height to pass the wall (Kozeny–Carman, `displacement_head_m`): the bath would
    then rise over the compartment instead, outside W1."""
    if design.variant != "diaphragm":
        return {"wall_g": 0.0, "wall_pore": 0.0, "wall_disp": 0.0}
    d = design.spec.diaphragm
    where = f"cells/{design.name}: [diaphragm]"
    ratio = check_wall(d.porosity, d.tortuosity, where)
    head = displacement_head_m(design, current_a,
                               float(wall_data()["displacement"]["bath_density_kg_m3"]))
    if head > d.cathode_height_m:
        warnings.warn(f"{where}: the displaced bath needs a {head:.3g} m level difference to "
                      f"pass the wall (Kozeny-Carman), more than the {d.cathode_height_m} m "
                      f"compartment: wall transfer W1 outside its range", RangeWarning,
                      stacklevel=2)
    area, thick = design.diaphragm_area_m2, d.wall_thickness_m
    return {"wall_g": ratio * area / thick, "wall_pore": d.porosity * area * thick,
            "wall_disp": d.displaced_bath_fraction}
