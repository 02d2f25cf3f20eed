"""Mass-transfer processes of a campaign step (domain-physics §5.2, §6, §10.2).

Each function moves mass between pools of a `PotState` and logs inputs/outputs in the
`Ledger`, so element balances close exactly:

* `faradaic_transfer` — Al (and less-noble Mg, Li) oxidised at the anode, Al deposited at
  the cathode with the current efficiency of the cell model; Mg and Li leave the alloy at
  their transport-limited rate k·A·ρ·w (their exchange with AlF3 is complete, log K ≈ +6,
  §5.2), forming MgF2/LiF and consuming AlF3.
* `ion_exchange` — noble impurity ions in the bath (from make-up salts, steel hardware and
  silica refractories) are first-order removed by cathodic co-deposition (k_E·A_c) and by
  reduction at the alloy (k_E·A_a); integrated exactly over the step.
* `entrain` — anode alloy entrained into the cathode metal (the calibrated route, §10.2).
* `fume` — zinc evaporation from the charging well, p_Zn = a_Zn·p°_Zn(T).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

from scipy.constants import R as R_GAS
from scipy.constants import physical_constants

from alref.campaign.state import Ledger, PotState, compound_fractions
from alref.citations import cite
from alref.errors import ConfigError
from alref.materials.elements import molar_mass, parse_formula, valence
from alref.thermo import gibbs, series
from alref.thermo.solubility import sludge_phases

FARADAY = physical_constants["Faraday constant"][0]
#: elements that leave the alloy for the bath anodically (less noble than Al, §5.1)
LESS_NOBLE = {"Mg": "MgF2", "Li": "LiF", "Ca": "CaF2", "Na": "NaF"}


def ion_compound(element: str) -> str:
    """Fluoride a noble impurity forms in the bath (usual cation charge)."""
    return f"{element}F{valence(element)}"


def codissolution_equivalents(
    s: PotState,
    charge_c: float,
    anode_area_m2: float,
    alloy_density: float,
    k_alloy_m_s: float,
    t_k: float,
    dt: float,
) -> dict[str, float]:
    """mol e- of noble impurities oxidised with Al at the anode over dt (§6.4).

    Mass-transfer-limited anode with fast kinetics: Al supply limits at
    i_lim = 3F·k·c_Al; the anode polarises by η = −(RT/3F)·ln(1 − j/i_lim); a noble
    element M of relative nobility ΔE_M dissolves at i_M = i_lim,M·exp(−z F (ΔE_M − η)/RT)
    (Bard & Faulkner §1.4). Negligible while Al is plentiful; it grows as the alloy is
    depleted of Al late in a cycle.
    """
    cite("bard2001")
    j = charge_c / dt / anode_area_m2
    m_liquid = s.anode_kg
    if m_liquid <= 0:
        return {}
    m_al = molar_mass("Al")
    c_al = s.anode.get("Al", 0.0) / m_liquid * alloy_density / m_al
    i_lim = 3 * FARADAY * k_alloy_m_s * c_al
    ratio = 1.0 - 1e-12 if i_lim <= j else j / i_lim
    rt = R_GAS * t_k
    eta = -rt / (3 * FARADAY) * math.log(1.0 - ratio)
    out: dict[str, float] = {}
    for el in ION_ELEMENTS:
        m = s.anode.get(el, 0.0)
        if m <= 0:
            continue
        d_e, z_ser = _nobility(el, t_k)
        c = m / m_liquid * alloy_density / molar_mass(el)
        i_m = z_ser * FARADAY * k_alloy_m_s * c * math.exp(-z_ser * FARADAY * (d_e - eta) / rt)
        z = valence(el)  # the ion is carried in the bath as its usual fluoride
        eq = min(i_m * anode_area_m2 * dt / FARADAY / z_ser * z, m / molar_mass(el) * z)
        if eq > 1e-300:
            out[el] = eq
    return out


@lru_cache(maxsize=2048)
def _nobility_cached(element: str, t_round: float) -> tuple[float, int]:
    try:
        compound, _g = series.per_equivalent_gibbs(element, t_round, "fluoride")
        z = dict(parse_formula(compound)).get("F", 1)
        return series.delta_e_vs_al(element, t_round, "fluoride"), z
    except ConfigError:  # no fluoride data (e.g. Sn, Zr): treated as not co-dissolving
        return math.inf, 1


def _nobility(element: str, t_k: float) -> tuple[float, int]:
    """(ΔE vs Al in a fluoride bath in V, electrons per atom of the most stable fluoride
    the series uses), cached at 1 K resolution."""
    return _nobility_cached(element, round(t_k))


def faradaic_transfer(
    s: PotState,
    charge_c: float,
    anode_area_m2: float,
    alloy_density: float,
    k_alloy_m_s: float,
    dt: float,
    deposited_ion_equivalents: float,
    codissolved_eq: dict[str, float] | None = None,
) -> dict[str, float]:
    """Move Al (and Mg, Li, ...) by `charge_c` coulombs of net electrochemical charge.

    `deposited_ion_equivalents` (mol e-) of the cathodic charge went to impurity ions, the
    rest deposits Al; `codissolved_eq` (mol e- per element) of the anodic charge oxidised
    noble impurities into the bath as fluorides. Returns the moles moved, for the log.
    """
    m_liquid = s.anode_kg
    moved: dict[str, float] = {}
    used_eq = 0.0
    for el, eq in (codissolved_eq or {}).items():
        n = eq / valence(el)
        dm = min(n * molar_mass(el), s.anode.get(el, 0.0))
        s.anode[el] = s.anode.get(el, 0.0) - dm
        comp = ion_compound(el)
        s.bath[comp] = s.bath.get(comp, 0.0) + dm / compound_fractions(comp)[el]
        used_eq += dm / molar_mass(el) * valence(el)
        moved[f"{el}_codissolved"] = dm / molar_mass(el)
    if m_liquid > 0:
        lam = k_alloy_m_s * anode_area_m2 * alloy_density / m_liquid
        for el, salt in LESS_NOBLE.items():
            m = s.anode.get(el, 0.0)
            if m <= 0:
                continue
            dm = m * (1.0 - math.exp(-lam * dt))
            n = dm / molar_mass(el)
            eq = n * valence(el)
            if used_eq + eq > charge_c / FARADAY:
                n *= max(charge_c / FARADAY - used_eq, 0.0) / eq
                eq = n * valence(el)
                dm = n * molar_mass(el)
            used_eq += eq
            s.anode[el] = m - dm
            s.bath[salt] = s.bath.get(salt, 0.0) + dm / compound_fractions(salt)[el]
            moved[el] = n
    n_al_anode = (charge_c / FARADAY - used_eq) / 3.0
    n_al_dep = (charge_c / FARADAY - deposited_ion_equivalents) / 3.0
    m_al = molar_mass("Al")
    available = s.anode.get("Al", 0.0) / m_al
    if n_al_anode > available:
        # the alloy runs out of Al: the rest of the anodic charge oxidises the noble
        # elements, least noble first (§6.4), into the bath as fluorides
        deficit = 3.0 * (n_al_anode - available)
        for el in sorted((e for e in s.anode if e in ION_ELEMENTS and s.anode[e] > 0),
                         key=lambda e: _nobility(e, 1000.0)[0]):
            z = valence(el)
            eq = min(deficit, s.anode[el] / molar_mass(el) * z)
            dm = eq / z * molar_mass(el)
            s.anode[el] -= dm
            comp = ion_compound(el)
            s.bath[comp] = s.bath.get(comp, 0.0) + dm / compound_fractions(comp)[el]
            deficit -= eq
            moved[f"{el}_codissolved"] = moved.get(f"{el}_codissolved", 0.0) + dm / molar_mass(el)
            if deficit <= 0:
                break
        # nothing left to oxidise: the charge cannot pass and deposits nothing either (the
        # next operating point finds a_Al = 0 and ends the cycle)
        n_al_dep -= max(deficit, 0.0) / 3.0
        n_al_anode = available
    s.anode["Al"] = s.anode.get("Al", 0.0) - n_al_anode * m_al
    s.cathode["Al"] = s.cathode.get("Al", 0.0) + n_al_dep * m_al
    # bath Al3+ (as AlF3) balances what the anode gave and the cathode took, and the
    # fluoride released by deposited ions / bound by Mg, Li
    d_alf3 = n_al_anode - n_al_dep
    s.bath["AlF3"] = s.bath.get("AlF3", 0.0) + d_alf3 * (m_al + 3 * molar_mass("F"))
    moved["Al_anode"] = n_al_anode
    moved["Al_cathode"] = n_al_dep
    return moved


def ion_exchange(
    s: PotState,
    sources_kg_s: Mapping[str, float],
    bath_volume_m3: float,
    k_m_s: float,
    cathode_area_m2: float,
    anode_area_m2: float,
    dt: float,
) -> float:
    """First-order removal of impurity ions, exact over dt. Returns deposited equivalents."""
    lam = k_m_s * (cathode_area_m2 + anode_area_m2) / bath_volume_m3
    f_cat = cathode_area_m2 / (cathode_area_m2 + anode_area_m2)
    decay = math.exp(-lam * dt)
    equivalents = 0.0
    elements = set(sources_kg_s) | {
        el for el in ION_ELEMENTS if s.bath.get(ion_compound(el), 0.0) > 0
    }
    m_al, m_f = molar_mass("Al"), molar_mass("F")
    for el in sorted(elements):
        comp = ion_compound(el)
        frac = compound_fractions(comp)[el]
        m0 = s.bath.get(comp, 0.0) * frac
        src = sources_kg_s.get(el, 0.0)
        m_ss = src / lam
        m1 = m_ss + (m0 - m_ss) * decay
        removed = m0 + src * dt - m1
        s.bath[comp] = m1 / frac
        dep = removed * f_cat
        back = removed - dep
        z = valence(el)
        n_dep, n_back = dep / molar_mass(el), back / molar_mass(el)
        s.cathode[el] = s.cathode.get(el, 0.0) + dep
        # reduction at the alloy: MFz + z/3 Al(alloy) -> M(alloy) + z/3 AlF3
        s.anode[el] = s.anode.get(el, 0.0) + back
        n_al = min(z / 3.0 * n_back, s.anode.get("Al", 0.0) / m_al)
        s.anode["Al"] = s.anode.get("Al", 0.0) - n_al * m_al
        s.bath["AlF3"] = s.bath.get("AlF3", 0.0) + n_al * (m_al + 3 * m_f)
        equivalents += z * n_dep
        del n_dep
    return equivalents


#: noble impurities that can be present as ions in the bath
ION_ELEMENTS = ("Fe", "Si", "Cu", "Mn", "Zn", "Ti", "Cr", "Ni", "Pb", "V", "Ga", "Sn", "Zr")


def add_ion_source(s: PotState, ledger: Ledger, element: str, mass_kg: float) -> None:
    """An impurity enters the bath as its fluoride (fluorine taken with it as an input)."""
    if mass_kg <= 0:
        return
    comp = ion_compound(element)
    m_comp = mass_kg / compound_fractions(comp)[element]
    s.bath[comp] = s.bath.get(comp, 0.0) + m_comp
    ledger.add_input({el: m_comp * w for el, w in compound_fractions(comp).items()})


def entrain(s: PotState, mass_kg: float, alloy_density: float) -> None:
    """Carry `mass_kg` of the alloy/bath interface material into the cathode metal.

    The interface holds the liquid alloy and the sludge phases lighter than it (they float
    up to the interface, e.g. primary Si); denser phases sink to the hearth and are not
    entrained. The entrained mass is drawn from both in proportion to their masses.
    """
    phases = sludge_phases()
    floating = {p: m for p, m in s.sludge.items()
                if p in phases and phases[p].density < alloy_density and m > 0}
    total = s.anode_kg + sum(floating.values())
    if total <= 0 or mass_kg <= 0:
        return
    f = min(mass_kg / total, 1.0)
    for el, m in s.anode.items():
        dm = m * f
        s.anode[el] = m - dm
        s.cathode[el] = s.cathode.get(el, 0.0) + dm
    for p, m in floating.items():
        dm = m * f
        s.sludge[p] = m - dm
        for el, w in phases[p].mass_fractions.items():
            s.cathode[el] = s.cathode.get(el, 0.0) + dm * w


@lru_cache(maxsize=4096)
def _p_zn_bar(t_k: float) -> float:
    """Vapour pressure of pure liquid Zn (bar) from NASA/JANAF data: exp(-ΔG_vap/RT)."""
    dg = gibbs.gibbs("Zn(g)", t_k) - gibbs.gibbs("Zn(l)", t_k)
    return math.exp(-dg / (R_GAS * t_k))


def fume(
    s: PotState, ledger: Ledger, a_zn: float, t_k: float, area_m2: float, k_g_m_s: float, dt: float
) -> float:
    """Evaporate Zn from the open charging well; returns the mass lost (kg)."""
    if area_m2 <= 0 or s.anode.get("Zn", 0.0) <= 0:
        return 0.0
    cite("mcbride1993")
    p_pa = a_zn * _p_zn_bar(round(t_k, 1)) * 1e5
    rate = k_g_m_s * area_m2 * p_pa * molar_mass("Zn") / (R_GAS * t_k)
    dm = min(rate * dt, s.anode["Zn"])
    s.anode["Zn"] -= dm
    ledger.add_output({"Zn": dm})
    return dm
