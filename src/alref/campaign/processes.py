"""The continuous processes of a campaign time step, one function each (domain-physics
§5.2, §6, §10.2), over rows of pots.

Every process moves mass between the pools of `Pools` in place (anode elements A, cathode
elements K, bath compounds B, sludge phases G; each S x n) and returns what crossed the
pot's boundary, so element balances close exactly:

* `ion_sources`: design-stated sources: Fe from bare steel wetted by alloy or cathode metal,
  Si from a silica-bearing bath-wetted refractory face (bath SiF4) (research §3.8.4-5);
* `ion_exchange`: first-order removal of noble ions from the bath by co-deposition at the
  cathode (k_E·A_c) and reduction at the alloy (k_E·A_a), integrated exactly over the step;
  in a diaphragm pot the bath is two pools joined by the wall (W1, `alref.campaign.wall`);
* `codissolution`: anodic dissolution species by species at the anode potential that
  carries the charge — two Nernst films at Nernstian equilibrium with COST 507 activities,
  lattice factors and the bath's ligand nobility (`alref.campaign.anode`; research
  §3.3, §3.6, §3.7): noble impurities stay unless the alloy starves of Al (late-cycle
  co-dissolution), Mg, Li, ... leave at their alloy-film limit;
* `faradaic_transfer`: Al carries the rest of the anodic charge and is deposited at the
  cathode for the charge the co-deposited ions did not take;
* `pad_oxidation`: air oxidation of an exposed pad (dross, leaves the pot);
* `pickup.equilibrate`: Na and Li of the bath enter the cathode metal to their equilibrium
  level, 3 MF + Al = AlF3 + 3 M (research §3.5 iii; `alref.campaign.pickup`);
* `entrainment`: the interface mix (liquid alloy and floating sludge) carried into the
  cathode metal (the calibrated route, §10.2);
* `zn_fume`: Zn evaporating from the charging well, p_Zn = a_Zn·p°_Zn(T);
* `precipitation`: sludge phases where the liquid exceeds saturation (`alref.thermo`).

The charge-coupled processes (ion co-deposition, co-dissolution, Faradaic transfer) close
their fluorine and aluminium balances together: the cathodic charge an ion takes is Al that
stays in the bath as AlF3. `step` runs them in this order.
"""

from __future__ import annotations

import numpy as np
from scipy.constants import R as R_GAS

from alref.campaign import pickup, routes, wall
from alref.campaign.anode import dissolution
from alref.campaign.couples import anodic_elements, ln_fluoride_chloride_ratio
from alref.campaign.layout import FARADAY, PoolLayout, ion_compound
from alref.campaign.sources import SAT_RTOL, fe_saturation_rows, steel_fe_kg, steel_mass_transfer_m_s
from alref.campaign.state import compound_fractions
from alref.campaign.step_data import Pools, StepContext, StepParams, StepResult
from alref.materials.elements import molar_mass, valence

M_AL = molar_mass("Al")
M_ALF3 = M_AL + 3 * molar_mass("F")


def ion_sources(P: Pools, lay: PoolLayout, p: StepParams, dt: float, rho_alloy: np.ndarray,
                fe_warm: np.ndarray | None = None, fe_rtol: float = SAT_RTOL
                ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Design-stated impurity sources (`alref.campaign.sources`): refractory Si enters the
    bath as its fluoride (kg of compound added, fluorine with it across the boundary);
    bare steel dissolves Fe into the alloy and the cathode metal it wets. Returns the bath
    compounds added and the metal added (S x E, kg; anode plus cathode). `fe_warm`
    (S x 2, updated in place): the alloy's and the metal's last Fe saturation mole
    fractions, warm starts of `fe_saturation_rows`, converged to `fe_rtol`."""
    comp = ion_compound("Si")
    add = p.si_src * dt / compound_fractions(comp)["Si"]
    P.B[:, lay.si[comp]] += add
    metal = np.zeros_like(P.A)
    fe = lay.th.idx["Fe"]
    for k, (pool, area, dens) in enumerate(((P.A, p.steel_alloy, rho_alloy),
                                            (P.K, p.steel_metal, p.rho_metal))):
        mass = pool.sum(1)
        if not (area > 0).any():
            continue
        warm = None if fe_warm is None else fe_warm[:, k]
        wsat = fe_saturation_rows(pool, area, p.temp, lay, warm, fe_rtol)
        w = np.where(mass > 0, pool[:, fe] / np.where(mass > 0, mass, 1.0), 0.0)
        dm = np.where(mass > 0, steel_fe_kg(area, steel_mass_transfer_m_s(), dens, wsat, w, dt), 0.0)
        pool[:, fe] += dm
        metal[:, fe] += dm
    return {comp: add}, metal


def ion_exchange(P: Pools, lay: PoolLayout, p: StepParams, dt: float,
                 walled: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """First-order removal of noble ions from the bath, exact over dt: the share A_c/(A_c+A_a)
    co-deposits at the cathode, the rest is reduced by Al of the alloy (3 MF_z + z Al ->
    3 M + z AlF3). In a diaphragm pot (`p.walled()`) the anode side and the cathode
    compartment are two pools joined by the wall (W1, `alref.campaign.wall.two_pools`).
    Returns the cathodic charge the deposited ions took (mol e-) and, per ion
    (S x ions x 4, `lay.ions` order), the kg removed from the bath, deposited, crossed
    into the compartment through the wall and left in the compartment. `walled`: the
    rows to treat as two pools (default: walled rows with bath)."""
    A, K, B = P.A, P.K, P.B
    i_al, j_alf3 = lay.th.idx["Al"], lay.si["AlF3"]
    area = p.c_area + p.a_area
    decay = np.exp(-p.k_ion * area / (B.sum(1) / p.rho_bath) * dt)
    f_cat = p.c_area / area
    eq_dep = np.zeros(A.shape[0])
    out = np.zeros((A.shape[0], len(lay.ions), 4))
    if walled is None:  # a row without bath has nothing to split
        walled = p.walled() & (B.sum(1) > 0)
    if walled.any():
        wall.check_temperature(p.temp[walled])
        v_a, v_c = wall.volumes(B, p.rho_bath, p.wall_pore)
        v_a, v_c = np.where(walled, v_a, 1.0), np.where(walled, v_c, 1.0)
        k_a, k_c = p.k_ion * p.a_area / v_a, p.k_ion * p.c_area / v_c
        q_disp = p.wall_disp * p.I * M_AL / (3.0 * FARADAY) / p.rho_metal
    for k, (el, e, j) in sorted(enumerate(lay.ions), key=lambda t: t[1]):
        frac = compound_fractions(ion_compound(el))[el]
        m0 = B[:, j] * frac
        if not (m0 > 0).any():
            continue
        removed = m0 - m0 * decay
        dep = removed * f_cat
        if walled.any():
            m_c = np.minimum(P.C[:, k].sum(-1), m0) if P.C is not None else np.zeros_like(m0)
            h = wall.bath_diffusivity(el) * p.wall_g + q_disp
            a1, c1, dep_w, crossed = wall.two_pools(m0 - m_c, m_c, k_a, k_c, h, v_a, v_c, dt)
            removed = np.where(walled, np.clip(m0 - a1 - c1, 0.0, m0), removed)
            dep = np.where(walled, np.minimum(dep_w, removed), dep)
            out[:, k, 2] = np.where(walled, crossed, 0.0)
            out[:, k, 3] = np.where(walled, c1, 0.0)
        B[:, j] = (m0 - removed) / frac
        z, mm = valence(el), molar_mass(el)
        back = removed - dep
        K[:, e] += dep
        A[:, e] += back
        n_al = np.minimum(z / 3.0 * back / mm, A[:, i_al] / M_AL)
        A[:, i_al] -= n_al * M_AL
        B[:, j_alf3] += n_al * M_ALF3
        eq_dep += z * dep / mm
        out[:, k, 0], out[:, k, 1] = removed, dep
    return eq_dep, out


def anodic_charge(p: StepParams, uel: np.ndarray, dt: float) -> np.ndarray:
    """Charge (C) through the anode that transfers metal: the line current less the bypass
    current driven by the electrode voltage uel over the leakage path and the back
    reaction of dissolved metal."""
    bypass = np.maximum(uel, 0.0) / p.r_leak
    return (p.I - bypass - p.i_back) * dt


def codissolution(P: Pools, ctx: StepContext, p: StepParams, q: np.ndarray, dt: float,
                  rho_alloy: np.ndarray, x: np.ndarray, lg: np.ndarray) -> np.ndarray:
    """Anodic dissolution of every species but Al into the bath at the anode potential
    that carries the charge (`alref.campaign.anode`, research §3.3, §3.6, §3.7): noble
    impurities (F3 with COST 507 activities, lattice factors and the bath's ligand
    nobility), less-noble Mg, Li, ... at their alloy-film limit. Returns the anodic
    charge they took (mol e-); `faradaic_transfer` gives Al the rest."""
    A, B, lay = P.A, P.B, ctx.layout
    i_al = lay.th.idx["Al"]
    species = anodic_elements(lay)
    mm_el = np.array([molar_mass(e) for e in lay.el])
    c_m = rho_alloy / (x @ mm_el)
    ligands, bath_mm, ln_a_alx = ctx.bath
    n_bath = B @ (1.0 / bath_mm)
    c_b = p.rho_bath * n_bath / np.where(B.sum(1) > 0, B.sum(1), 1.0)
    ln_ratio = ln_fluoride_chloride_ratio(B, ligands)
    n, _n_al, _phi = dissolution(A, x, lg, species, i_al, ctx.couples, p.temp, ln_ratio,
                                 p.k_anode, p.k_ion, c_m, c_b, p.a_area, rho_alloy,
                                 q / FARADAY, dt, ln_a_alx)
    used = np.zeros(A.shape[0])
    added = np.zeros((A.shape[0], len(lay.ions)))
    for k, (el, e, j) in enumerate(species):
        nk = np.minimum(n[:, k], A[:, e] / molar_mass(el))
        dm = nk * molar_mass(el)
        A[:, e] -= dm
        B[:, j] += dm / compound_fractions(lay.names[j])[el]
        used += nk * valence(el)
        if k < len(lay.ions):
            added[:, k] = dm
    if P.T is not None:
        routes.add(P.T, "equilibrium", added)
    return used


def faradaic_transfer(P: Pools, lay: PoolLayout, q: np.ndarray, used: np.ndarray,
                      eq_dep: np.ndarray) -> np.ndarray:
    """Al carries the anodic charge the other species left (negative: Al returns to the
    alloy from AlF3, the exchange with less-noble elements) and is deposited at the
    cathode for the charge the co-deposited ions did not take; the fluorine of the ions
    goes through AlF3. An alloy without enough Al carries less charge: the cathode then
    receives less Al by the same amount. Returns the charge not carried (mol e-)."""
    A, K, B = P.A, P.K, P.B
    i_al, j_alf3 = lay.th.idx["Al"], lay.si["AlF3"]
    qf = q / FARADAY
    n_an = (qf - used) / 3.0
    n_an = np.maximum(n_an, -B[:, j_alf3] / M_ALF3)
    short = np.maximum(n_an - A[:, i_al] / M_AL, 0.0)
    n_an -= short
    missing = 3.0 * short
    n_dep = (qf - eq_dep - missing) / 3.0
    A[:, i_al] -= n_an * M_AL
    K[:, i_al] += n_dep * M_AL
    B[:, j_alf3] += (n_an - n_dep) * M_ALF3
    return missing


def pad_oxidation(P: Pools, lay: PoolLayout, p: StepParams, dt: float) -> np.ndarray:
    """Air oxidation of an exposed cathode pad at the loss current i_ox; kg of Al lost."""
    i_al = lay.th.idx["Al"]
    ox = np.minimum(p.i_ox * M_AL / (3 * FARADAY) * dt, P.K[:, i_al])
    P.K[:, i_al] -= ox
    return ox


def entrainment(P: Pools, lay: PoolLayout, p: StepParams, dt: float,
                rho_alloy: np.ndarray) -> None:
    """The interface mix carried into the cathode metal at `entrain` kg per coulomb
    (§10.2): liquid alloy and the solids that collect at the alloy/bath interface, lighter
    than the alloy and denser than the bath (research §3.8.2). Solids denser than the alloy
    sink to the sump; solids lighter than the bath leave the interface through the bath —
    their capture at the cathode is the Si-selective route (`routes.si_selective`)."""
    A, K, G = P.A, P.K, P.G
    rho_p = lay.rho_phase[None, :]
    floating = (rho_p < rho_alloy[:, None]) & (rho_p > p.rho_bath[:, None]) & (G > 0)
    Gf = np.where(floating, G, 0.0)
    total = A.sum(1) + Gf.sum(1)
    mass = p.entrain * p.I * dt
    f = np.where((total > 0) & (mass > 0), np.minimum(mass / np.where(total > 0, total, 1.0),
                                                      1.0), 0.0)
    K += A * f[:, None] + (Gf * f[:, None]) @ lay.pm
    A -= A * f[:, None]
    G -= Gf * f[:, None]


def zn_fume(P: Pools, ctx: StepContext, p: StepParams, dt: float, x: np.ndarray,
            lg: np.ndarray) -> np.ndarray:
    """Zn evaporating from the open surface of the charging well at the rate
    k·A·p_Zn·M/RT with p_Zn = a_Zn·p°_Zn(T); kg of Zn fumed."""
    lay, A = ctx.layout, P.A
    fumed = np.zeros(A.shape[0])
    if "Zn" not in lay.th.idx:
        return fumed
    zn = lay.th.idx["Zn"]
    a_zn = x[:, zn] * np.exp(lg[:, zn])
    p_pa = a_zn * ctx.pzn * 1e5
    rate = p.k_fume * p.open_area * p_pa * molar_mass("Zn") / (R_GAS * p.temp)
    on = (p.open_area > 0) & (A[:, zn] > 0)
    fumed = np.where(on, np.minimum(rate * dt, A[:, zn]), 0.0)
    A[:, zn] -= fumed
    return fumed


def precipitation(P: Pools, ctx: StepContext, temp: np.ndarray) -> None:
    """Sludge phases precipitate where the liquid alloy exceeds saturation."""
    th = ctx.layout.th
    liquid, amount = th.precipitate_rows(P.A, temp, ctx.coef, accelerate=ctx.accelerate,
                                         tol=ctx.saturation_tol)
    P.A[...] = liquid
    P.G[:, :-1] += amount * th.phase_mass_matrix().sum(1)[None, :]


def step(P: Pools, ctx: StepContext, p: StepParams, dt: float, uel: np.ndarray,
         rho_alloy: np.ndarray, x: np.ndarray, lg: np.ndarray) -> StepResult:
    """Every continuous process of one time step, in order, on the pools `P` (in place),
    with the route of every kg entering the cathode metal (`alref.campaign.routes`).

    `uel` is the electrode voltage driving the bypass current, `rho_alloy` the alloy
    density, `x` and `lg` the alloy's mole fractions and ln γ at the step's start."""
    lay = ctx.layout
    if P.T is None:
        P.T = routes.new_tags(P.A.shape[0], lay)
    walled = p.walled() & (P.B.sum(1) > 0)
    if walled.any() and P.C is None:
        P.C = np.zeros_like(P.T)
    share = None
    if walled.any():
        v_a, v_c = wall.volumes(P.B, p.rho_bath, p.wall_pore)
        share = np.where(walled, v_c / np.maximum(v_a + v_c, 1e-300), 0.0)
    routes.reconcile(P.T, P.B, lay, P.C, share)
    into = np.zeros((P.A.shape[0], len(routes.ROUTES), len(lay.el)))
    q = anodic_charge(p, uel, dt)
    k_before = P.K.copy()
    sources, metal_src = ion_sources(P, lay, p, dt, rho_alloy, ctx.fe_warm, ctx.fe_rtol)
    into[:, routes.R["hardware"]] += P.K - k_before
    si_ion = [k for k, (el, _e, _j) in enumerate(lay.ions) if el == "Si"]
    if si_ion:
        comp = ion_compound("Si")
        kg = np.zeros((P.A.shape[0], len(lay.ions)))
        kg[:, si_ion[0]] = sources[comp] * compound_fractions(comp)["Si"]
        routes.add(P.T, "refractory", kg)
    eq_dep, moved = ion_exchange(P, lay, p, dt, walled)
    routes.book_deposits(P.T, P.C, into, lay, moved, walled)
    used = codissolution(P, ctx, p, q, dt, rho_alloy, x, lg)
    al = lay.th.idx["Al"]
    k_al = P.K[:, al].copy()
    faradaic_transfer(P, lay, q, used, eq_dep)
    deposited_al = P.K[:, al] - k_al
    ox = pad_oxidation(P, lay, p, dt)
    picked = pickup.equilibrate(P.K, P.B, lay, p.temp)
    for el in pickup.PICKUP:
        if el in lay.th.idx:
            into[:, routes.R["equilibrium"], lay.th.idx[el]] += picked[:, lay.th.idx[el]]
    k_before = P.K.copy()
    entrainment(P, lay, p, dt, rho_alloy)
    routes.si_selective(P.A, P.K, P.G, lay, p.beta_si, deposited_al, p.rho_bath)
    into[:, routes.R["particle"]] += P.K - k_before
    fumed = zn_fume(P, ctx, p, dt, x, lg)
    precipitation(P, ctx, p.temp)
    return StepResult(sources, metal_src, ox, fumed, into)

