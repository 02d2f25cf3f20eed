"""Mass-transfer processes of a campaign time step (domain-physics §5.2, §6, §10.2).

`step_rows` is the one implementation of the continuous processes, over rows of pots
(the reference `Simulation` runs it with one row, the batch engine with many); every
transfer moves mass between pools, so element balances close exactly:

* ion sources (steel hardware, silica refractories) and first-order ion exchange: noble
  impurity ions in the bath co-deposit at the cathode (k_E·A_c) or are reduced at the
  alloy (k_E·A_a), integrated exactly over the step;
* anodic co-dissolution of noble impurities, mass-transfer limited with fast kinetics:
  i_M = i_lim,M·exp(−z F (ΔE_M − η)/RT) with η the Al concentration polarisation (§6.4);
* Faradaic transfer: Mg and Li leave the alloy at their transport-limited rate k·A·ρ·w
  (exchange with AlF3 complete, log K ≈ +6, §5.2) as MgF2/LiF consuming AlF3; Al is
  oxidised at the anode and deposited at the cathode with the cell model's current
  efficiency; if the alloy runs out of Al the noble elements are oxidised instead;
* air oxidation of an exposed pad; entrainment of the interface mix (liquid alloy and
  floating sludge) into the cathode metal (the calibrated route, §10.2);
* Zn fume from the charging well, p_Zn = a_Zn·p°_Zn(T) (NASA/JANAF vapour pressure);
* precipitation of sludge phases where the liquid exceeds saturation (`alref.thermo`).
`add_ion_source` is used by the protocol (make-up salts bring Fe and Si).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.constants import R as R_GAS
from scipy.constants import physical_constants

from alref.campaign.state import Ledger, PotState, compound_fractions
from alref.errors import ConfigError
from alref.materials.elements import molar_mass, parse_formula, valence
from alref.thermo import gibbs, series
from alref.thermo.solubility import sludge_phases

FARADAY = physical_constants["Faraday constant"][0]
#: elements that leave the alloy for the bath anodically (less noble than Al, §5.1)
LESS_NOBLE = {"Mg": "MgF2", "Li": "LiF", "Ca": "CaF2", "Na": "NaF"}


#: noble impurities that can be present as ions in the bath
ION_ELEMENTS = ("Fe", "Si", "Cu", "Mn", "Zn", "Ti", "Cr", "Ni", "Pb", "V", "Ga", "Sn", "Zr")


def ion_compound(element: str) -> str:
    """Fluoride a noble impurity forms in the bath (usual cation charge)."""
    return f"{element}F{valence(element)}"


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


def alf3_to_restore_kg(alf3_kg: Any, cr: Any, cr0: Any) -> Any:
    """AlF3 (kg) that brings a bath's cryolite ratio `cr` back down to `cr0` (floats or
    arrays): CR = n_base/n_AlF3, so n_AlF3 must grow by the factor cr/cr0. Mg and Li from
    the scrap consume AlF3 (3Mg + 2AlF3 -> 3MgF2 + 2Al) and raise the ratio."""
    alf3_kg, cr, cr0 = np.asarray(alf3_kg, float), np.asarray(cr, float), np.asarray(cr0, float)
    ok = np.isfinite(cr0) & (cr0 > 0) & np.isfinite(cr) & (cr > cr0)
    out = np.where(ok, alf3_kg * (cr / np.where(ok, cr0, 1.0) - 1.0), 0.0)
    return float(out) if out.ndim == 0 else out


def add_ion_source(s: PotState, ledger: Ledger, element: str, mass_kg: float) -> None:
    """An impurity enters the bath as its fluoride (fluorine taken with it as an input)."""
    if mass_kg <= 0:
        return
    comp = ion_compound(element)
    m_comp = mass_kg / compound_fractions(comp)[element]
    s.bath[comp] = s.bath.get(comp, 0.0) + m_comp
    ledger.add_input({el: m_comp * w for el, w in compound_fractions(comp).items()})


@lru_cache(maxsize=4096)
def _p_zn_bar(t_k: float) -> float:
    """Vapour pressure of pure liquid Zn (bar) from NASA/JANAF data: exp(-ΔG_vap/RT)."""
    dg = gibbs.gibbs("Zn(g)", t_k) - gibbs.gibbs("Zn(l)", t_k)
    return math.exp(-dg / (R_GAS * t_k))


@dataclass(frozen=True)
class PoolLayout:
    """Columns of the pool arrays of a pot (or a group of pots): anode/cathode elements,
    bath compounds, sludge phases (last: Al2O3), with the ion and phase data the step
    kernel needs. Built once per run by `pool_layout`."""

    el: list[str]
    th: Any  # alref.thermo.arrays.Thermo over `el`
    names: list[str]  # bath compounds
    si: dict[str, int]
    ions: list[tuple[str, int, int]]  # (element, anode column, bath column)
    ions_by_nobility: list[tuple[str, int, int]]  # order an Al-exhausted anode oxidises them
    phases: list[str]
    rho_phase: np.ndarray  # solid density; inf for the non-metallic oxide (never entrained)
    pm: np.ndarray  # element mass fractions of each phase (P x E)


def pool_layout(elements: set[str], bath_salts: Sequence[str],
                extra_salts: Sequence[str] = ()) -> PoolLayout:
    """Pool layout for the `elements` a pot can hold and the salts its bath can hold."""
    from alref.thermo.arrays import model

    el = sorted({"Al", "Cu", "Fe", "Si"} | set(elements),
                key=lambda e: (e not in ("Al", "Cu"), e))
    th = model(tuple(el))
    names = list(dict.fromkeys([*bath_salts, *LESS_NOBLE.values(),
                                *(ion_compound(e) for e in ION_ELEMENTS), *extra_salts]))
    si = {n: i for i, n in enumerate(names)}
    ions = [(e, th.idx[e], si[ion_compound(e)]) for e in ION_ELEMENTS if e in th.idx]
    phases = [*th.phases, "Al2O3"]
    ph = sludge_phases()
    pm = np.zeros((len(phases), len(el)))
    for k, name in enumerate(phases):
        fr = ph[name].mass_fractions if name in ph else compound_fractions(name)
        for e, w in fr.items():
            if e in th.idx:
                pm[k, th.idx[e]] = w
    return PoolLayout(
        el=el, th=th, names=names, si=si, ions=ions,
        ions_by_nobility=sorted(ions, key=lambda t: _nobility(t[0], 1000.0)[0]),
        phases=phases,
        rho_phase=np.array([ph[n].density if n in ph else np.inf for n in phases]),
        pm=pm,
    )


@dataclass
class StepContext:
    """What the step kernel needs besides the pools: the array thermo model, index maps
    of the bath compounds and impurity ions, per-row nobilities (ΔE vs Al, electrons) and
    Zn vapour pressure, sludge-phase densities and element fractions, ln γ coefficients."""

    th: Any
    si: dict[str, int]
    ions: list[tuple[str, int, int]]
    ions_by_nobility: list[tuple[str, int, int]]
    nob: dict[str, tuple[np.ndarray, np.ndarray]]
    pzn: np.ndarray
    rho_phase: np.ndarray
    pm: np.ndarray
    coef: tuple


@dataclass
class StepResult:
    """Pools after the step and what crossed the pot's boundary (for the ledger)."""

    A: np.ndarray
    K: np.ndarray
    B: np.ndarray
    G: np.ndarray
    sources: dict[str, np.ndarray]  # bath compound -> kg added (hardware Fe, refractory Si)
    oxidised_al: np.ndarray  # kg of cathode Al lost to air oxidation
    fumed_zn: np.ndarray  # kg of Zn evaporated


def step_rows(ctx: StepContext, A: np.ndarray, K: np.ndarray, B: np.ndarray, G: np.ndarray,
              p: dict[str, np.ndarray], dt: float, uel: np.ndarray, rho_alloy: np.ndarray,
              x: np.ndarray, lg: np.ndarray) -> StepResult:
    """The continuous processes of one time step for rows of pots (the one implementation,
    used by `Simulation` with one row and by the batch engine with many).

    Pools: anode elements A, cathode elements K, bath compounds B, sludge phases G (last
    column Al2O3), each S x n. In order: ion sources (steel hardware, silica refractories)
    and first-order ion exchange (co-deposition and reduction at the alloy, exact over
    dt); anodic co-dissolution of noble impurities (§6.4); Faradaic transfer with Mg/Li
    at their transport-limited rate and Al (noble metals oxidised if the alloy runs out
    of Al); pad oxidation; entrainment of the interface mix (liquid alloy and floating
    sludge); Zn fume; precipitation of sludge phases. `p` holds per-row operating values
    (current I, temperature, loss currents, areas, mass-transfer coefficients, ...).
    """
    A, K, B, G = A.copy(), K.copy(), B.copy(), G.copy()
    ix, si = ctx.th.idx, ctx.si
    i_al, j_alf3 = ix["Al"], si["AlF3"]
    m_al = molar_mass("Al")
    m_alf3 = m_al + 3 * molar_mass("F")
    temp, cur, rho = p["temp"], p["I"], rho_alloy
    rt = R_GAS * temp
    bypass = np.maximum(uel, 0.0) / p["r_leak"]
    q = (cur - bypass - p["i_back"]) * dt
    sources = {}
    for el, rate in (("Fe", p["fe_src"]), ("Si", p["si_src"])):
        comp = ion_compound(el)
        add = rate * dt / compound_fractions(comp)[el]
        B[:, si[comp]] += add
        sources[comp] = add
    # ion exchange: first order, exact over dt
    area = p["c_area"] + p["a_area"]
    decay = np.exp(-p["k_ion"] * area / (B.sum(1) / p["rho_bath"]) * dt)
    f_cat = p["c_area"] / area
    eq_dep = np.zeros(A.shape[0])
    for el, e, j in sorted(ctx.ions):
        frac = compound_fractions(ion_compound(el))[el]
        m0 = B[:, j] * frac
        if not (m0 > 0).any():
            continue
        removed = m0 - m0 * decay
        B[:, j] = m0 * decay / frac
        dep, z, mm = removed * f_cat, valence(el), molar_mass(el)
        back = removed - dep
        K[:, e] += dep
        A[:, e] += back
        n_al = np.minimum(z / 3.0 * back / mm, A[:, i_al] / m_al)
        A[:, i_al] -= n_al * m_al
        B[:, j_alf3] += n_al * m_alf3
        eq_dep += z * dep / mm
    # co-dissolution of noble impurities
    m_liq = A.sum(1)
    j_a = q / dt / p["a_area"]
    c_al = A[:, i_al] / m_liq * rho / m_al
    i_lim = 3 * FARADAY * p["k_anode"] * c_al
    ratio = np.where(i_lim <= j_a, 1.0 - 1e-12, j_a / np.where(i_lim > 0, i_lim, 1.0))
    eta = -rt / (3 * FARADAY) * np.log(1.0 - ratio)
    used = np.zeros(A.shape[0])
    for el, e, j in ctx.ions:
        m = A[:, e]
        if not (m > 0).any():
            continue
        z, mm = valence(el), molar_mass(el)
        d_e, z_ser = ctx.nob[el]
        cc = m / m_liq * rho / mm
        with np.errstate(over="ignore"):
            i_m = z_ser * FARADAY * p["k_anode"] * cc * np.exp(-z_ser * FARADAY * (d_e - eta) / rt)
        eq = np.minimum(i_m * p["a_area"] * dt / FARADAY / z_ser * z, m / mm * z)
        eq = np.where((m > 0) & (eq > 1e-300), eq, 0.0)
        dm = np.minimum(eq / z * mm, m)
        A[:, e] -= dm
        B[:, j] += dm / compound_fractions(ion_compound(el))[el]
        used += dm / mm * z
    # Faradaic transfer: Mg, Li, ... at their transport-limited rate, then Al
    lam = p["k_anode"] * p["a_area"] * rho / m_liq
    qf = q / FARADAY
    for el, salt in LESS_NOBLE.items():
        if el not in ix or salt not in si:
            continue
        m = A[:, ix[el]]
        if not (m > 0).any():
            continue
        z, mm = valence(el), molar_mass(el)
        n = m * (1.0 - np.exp(-lam * dt)) / mm
        eqx = n * z
        over = (used + eqx > qf) & (eqx > 0)
        n = np.where(over, n * np.maximum(qf - used, 0.0) / np.where(eqx > 0, eqx, 1.0), n)
        n = np.where(m > 0, n, 0.0)
        used += n * z
        A[:, ix[el]] = m - n * mm
        B[:, si[salt]] += n * mm / compound_fractions(salt)[el]
    n_an = (qf - used) / 3.0
    n_dep = (qf - eq_dep) / 3.0
    available = A[:, i_al] / m_al
    short = n_an > available
    if short.any():
        # the alloy runs out of Al: the rest of the anodic charge oxidises the noble
        # elements, least noble first, into the bath
        deficit = np.where(short, 3.0 * (n_an - available), 0.0)
        for el, e, j in ctx.ions_by_nobility:
            m = A[:, e]
            z, mm = valence(el), molar_mass(el)
            eq = np.where(m > 0, np.minimum(deficit, m / mm * z), 0.0)
            eq = np.maximum(eq, 0.0)
            dm = eq / z * mm
            A[:, e] -= dm
            B[:, j] += dm / compound_fractions(ion_compound(el))[el]
            deficit -= eq
        n_dep = np.where(short, n_dep - np.maximum(deficit, 0.0) / 3.0, n_dep)
        n_an = np.where(short, available, n_an)
    A[:, i_al] -= n_an * m_al
    K[:, i_al] += n_dep * m_al
    B[:, j_alf3] += (n_an - n_dep) * m_alf3
    # pad oxidation, entrainment, fume
    ox = np.minimum(p["i_ox"] * m_al / (3 * FARADAY) * dt, K[:, i_al])
    K[:, i_al] -= ox
    fumed = np.zeros(A.shape[0])
    floating = (ctx.rho_phase[None, :] < rho[:, None]) & (G > 0)
    Gf = np.where(floating, G, 0.0)
    total = A.sum(1) + Gf.sum(1)
    mass = p["entrain"] * cur * dt
    f = np.where((total > 0) & (mass > 0), np.minimum(mass / np.where(total > 0, total, 1.0),
                                                      1.0), 0.0)
    K += A * f[:, None] + (Gf * f[:, None]) @ ctx.pm
    A -= A * f[:, None]
    G -= Gf * f[:, None]
    if "Zn" in ix:
        zn = ix["Zn"]
        a_zn = x[:, zn] * np.exp(lg[:, zn])
        p_pa = a_zn * ctx.pzn * 1e5
        rate = p["k_fume"] * p["open_area"] * p_pa * molar_mass("Zn") / rt
        on = (p["open_area"] > 0) & (A[:, zn] > 0)
        fumed = np.where(on, np.minimum(rate * dt, A[:, zn]), 0.0)
        A[:, zn] -= fumed
    liquid, amount = ctx.th.precipitate_rows(A, temp, ctx.coef)
    A = liquid
    G[:, :-1] += amount * ctx.th.phase_mass_matrix().sum(1)[None, :]
    return StepResult(A, K, B, G, sources, ox, fumed)
