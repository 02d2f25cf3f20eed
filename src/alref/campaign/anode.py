"""Anodic dissolution of the alloy, species by species: two Nernst films at Nernstian
equilibrium and one electrode potential per row (docs/research/impurity-transfer.md §3.3,
§3.6, §3.7), the fast-kinetics limit of the molten-salt electrorefiner models
(`hoover2009markiv`, `zhang2014kinetic`).

At the anode interface each couple j satisfies Nernst at the potential φ (vs Al/AlX3 at
unit activities):

    θ_j(φ) = x_j^{b,s}/x_j^{m,s} = exp(−z_j F ΔE_j/RT) · γ_j L_j · exp(z_j F φ/RT)   (F1)

with ΔE_j the bath's nobility of j (`alref.campaign.couples`, T4), γ_j the alloy's COST 507
activity coefficient and L_j the lattice factor (T2). Films in series on the alloy side
(k_m c_m) and the bath side (k_b c_b) give the dissolution flux (F3, bath bulk term apart):

    N_j = k_m c_m x_j · θ_j/(κ + θ_j),   κ = k_m c_m/(k_b c_b),

which is the alloy-film limit k_m c_m x_j times a share between 0 (noble: θ → 0) and 1
(less noble or Al-starved: θ → ∞). Over a step the alloy-film limit is integrated
exactly, n_lim = m_j/M_j (1 − exp(−λ dt)) with λ = k_m A ρ/m_liq. Al crosses only its alloy
film: N_Al = k_m c_m (x_Al − x_Al^s), x_Al^s = a_AlX exp(−3Fφ/RT)/γ_Al. φ is the root of
Σ z_j n_j(φ) = q/F (every term increasing in φ), found over rows at once by a bracketed
(safeguarded) Newton iteration (`potential`).
As the alloy runs out of Al, φ rises and the next couples carry the current (late-cycle
co-dissolution, §3.6) — the same law, no separate branch. The bath-bulk term of F3 (noble
ions returning to the alloy) is the current-free exchange of `processes.ion_exchange`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.constants import R as R_GAS
from scipy.special import expit

from alref.campaign import couples as cp
from alref.campaign.layout import FARADAY
from alref.materials.elements import molar_mass, valence

#: safeguarded Newton iterations at most (numerical setting: 6-10 are used; every
#: non-Newton step halves the bracket, so 60 also bound the bisection fallback)
ITERATIONS = 60
#: the root is accepted when the bracket or the Newton step is below this (V; numerical
#: setting, ~1e-13 of the bracket, far below any effect on the fluxes)
PHI_TOL = 1e-12
#: bracket of the anode potential around the Al couple's zero-current potential, V
BELOW, ABOVE = 0.3, 3.0


def mean_molar_mass(x: np.ndarray, mm: np.ndarray) -> np.ndarray:
    """Mean molar mass (kg/mol) of rows of mole fractions x over species of molar mass mm."""
    return x @ mm


def dissolution(A: np.ndarray, x: np.ndarray, lg: np.ndarray, species: list[tuple[str, int, int]],
                i_al: int, couples: cp.Couples, temp: np.ndarray, ln_ratio: np.ndarray,
                k_m: np.ndarray, k_b: np.ndarray, c_m: np.ndarray, c_b: np.ndarray,
                area: np.ndarray, rho_alloy: np.ndarray, q_mol_e: np.ndarray, dt: float,
                ln_a_alx: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Moles of each species (S x len(species)) and of Al (S,) the anode oxidises over dt
    for q_mol_e mol of electrons, and the anode potential φ (S,).

    Al's moles are the charge the other species leave (3 n_Al = q/F − Σ z_j n_j), so
    charge is exact; negative where less-noble elements carry more than the charge (Al
    then returns to the alloy from AlF3: the exchange 3 Mg + 2 AlF3 → 3 MgF2 + 2 Al).
    Where even the alloy-film limits of every species cannot carry the charge, φ sits at
    the bracket's top and Al is the film limit (the caller handles the shortfall).
    """
    rt = R_GAS * temp
    m_liq = A.sum(1)
    lam_dt = np.where(m_liq > 0, k_m * area * rho_alloy / np.where(m_liq > 0, m_liq, 1.0), 0.0) * dt
    share = -np.expm1(-lam_dt)  # fraction of each species the alloy film can deliver in dt
    ln_kappa = np.log(k_m * c_m) - np.log(k_b * c_b)
    n_sp = len(species)
    n_lim = np.zeros((A.shape[0], n_sp))
    ln_t0 = np.full((A.shape[0], n_sp), -np.inf)  # ln θ at φ = 0, less ln κ
    zs = np.zeros((A.shape[0], n_sp))  # electrons of the couple in F1
    zv = np.zeros(n_sp)  # electrons per atom of the bath compound (charge bookkeeping)
    for k, (el, e, _j) in enumerate(species):
        zv[k] = valence(el)
        n_lim[:, k] = A[:, e] / molar_mass(el) * share
        d_e = cp.delta_e(couples, el, temp, ln_ratio)
        z = couples.z[el]
        zs[:, k] = z
        with np.errstate(invalid="ignore", divide="ignore"):
            lt = -z * FARADAY * d_e / rt + lg[:, e] + couples.ln_l[el] - ln_kappa
        ln_t0[:, k] = np.where(np.isfinite(lt) & (A[:, e] > 0), lt, -np.inf)
    n_lim_al = A[:, i_al] / molar_mass("Al") * share
    with np.errstate(divide="ignore"):
        ln_xs0 = ln_a_alx - lg[:, i_al] - np.log(x[:, i_al])  # ln(x_Al^s/x_Al) at φ = 0
    f_rt = FARADAY / rt
    target = q_mol_e

    films = Films(n_lim, ln_t0, zs, zv, n_lim_al, ln_xs0, f_rt)
    phi = potential(films, target)
    n = films.charge(phi)[1]
    n_al = (target - n @ zv) / 3.0
    n_al = np.minimum(n_al, n_lim_al)
    return n, n_al, phi


@dataclass(frozen=True)
class Films:
    """The anode's film limits and Nernst terms over rows (see `dissolution`): moles of each
    species (S x K) and of Al (S,) the films can deliver, ln θ at φ = 0 less ln κ, electrons
    per couple (S x K) and per atom (K,), ln(x_Al^s/x_Al) at φ = 0, and F/RT (S,)."""

    n_lim: np.ndarray
    ln_t0: np.ndarray
    zs: np.ndarray
    zv: np.ndarray
    n_lim_al: np.ndarray
    ln_xs0: np.ndarray
    f_rt: np.ndarray

    def charge(self, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Moles of electrons the anode passes at potential φ (S,), increasing in φ, and
        the species' moles (S x K)."""
        n = self.n_lim * expit(self.ln_t0 + self.zs * (self.f_rt * phi)[:, None])
        n_al = self.n_lim_al * -np.expm1(np.minimum(self.ln_xs0 - 3.0 * self.f_rt * phi, 700.0))
        return n @ self.zv + 3.0 * n_al, n

    def charge_slope(self, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`charge(φ)[0]` and its derivative in φ (mol e/V)."""
        sig = expit(self.ln_t0 + self.zs * (self.f_rt * phi)[:, None])
        ea = np.minimum(self.ln_xs0 - 3.0 * self.f_rt * phi, 700.0)
        q = (self.n_lim * sig) @ self.zv + 3.0 * self.n_lim_al * -np.expm1(ea)
        dq = ((self.n_lim * sig * (1.0 - sig) * self.zs) @ self.zv * self.f_rt
              + 9.0 * self.f_rt * self.n_lim_al * np.exp(ea))
        return q, dq


def potential(films: Films, target: np.ndarray) -> np.ndarray:
    """The anode potential φ (S,) where `films.charge(φ)` (increasing in φ) meets `target`
    (mol e): Newton steps with the analytic derivative, kept inside a bracket that every
    evaluation narrows (a step leaving it bisects). The bracket is the Al couple's
    zero-current potential −BELOW/+ABOVE; rows whose charge stays below the target at the
    top end there, rows above it at the bottom end at the bottom. The first guess is the
    potential at which Al alone carries the charge. Each row iterates until its own step or
    bracket is below `PHI_TOL` and is then frozen, so a row's root does not depend on the
    other rows."""
    f_rt, ln_xs0, n_lim_al = films.f_rt, films.ln_xs0, films.n_lim_al
    phi0 = np.where(np.isfinite(ln_xs0), ln_xs0 / (3.0 * f_rt), 0.0)
    lo, hi = phi0 - BELOW, phi0 + ABOVE
    top = films.charge(hi)[0] <= target
    done = top | (films.charge(lo)[0] >= target)
    with np.errstate(divide="ignore", invalid="ignore"):
        guess = (ln_xs0 - np.log1p(-target / (3.0 * n_lim_al))) / (3.0 * f_rt)
    x = np.where(np.isfinite(guess) & (guess > lo) & (guess < hi), guess, 0.5 * (lo + hi))
    x = np.where(done, np.where(top, hi, lo), x)
    for _ in range(ITERATIONS):
        if done.all():
            break
        q, dq = films.charge_slope(x)
        f = q - target
        below = f < 0
        lo = np.where(~done & below, x, lo)
        hi = np.where(~done & ~below, x, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - f / dq
        small = np.isfinite(newton) & (np.abs(newton - x) <= PHI_TOL)
        inside = np.isfinite(newton) & (newton > lo) & (newton < hi)
        nxt = np.where(small | inside, newton, 0.5 * (lo + hi))
        x = np.where(done | (f == 0), x, nxt)
        done = done | (f == 0) | small | (hi - lo <= PHI_TOL)
    return x
