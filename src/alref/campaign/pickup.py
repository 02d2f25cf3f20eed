"""Cathode-side pick-up of Na and Li from the bath (docs/research/impurity-transfer.md
§3.5 iii, `transfer.toml` [cathode_pickup]).

Less-noble bath cations enter the cathode metal only to their equilibrium level with the
bath at the Al couple (the metal/bath interface, no cathodic over-polarisation):

    3 MF + Al(l) = AlF3 + 3 M(in Al),  M = Na, Li

    x_M = a_MF · (K(T) / a_AlF3)^(1/3) / γ_M,   K = exp(−3 (g_AlF3 − g_MF) / RT)

with g the Gibbs energies of formation per equivalent of fluorine (`alref.thermo.series`,
JANAF/CODATA), γ_Na from Dewing (`dewing1990naf6`: RT ln γ_Na = 40967 + 9.480 T J/mol) and
γ_Li from COST 507 at infinite dilution in Al. Bath activities come from a Temkin ionic
model over the anions F⁻, AlF4⁻, AlF6³⁻, Cl⁻ with the dissociation AlF6³⁻ = AlF4⁻ + 2 F⁻
fixed by the speciation of molten cryolite (`cryolite_situation`): a_MF = φ x_M⁺ x_F⁻,
a_AlF3 = κ x_AlF4⁻/x_F⁻, φ and κ fixed by Dewing's activities in stoichiometric cryolite
at 1293 K. The directions follow (thonstad2001sodium,
fellner2000nalicamg): more NaF or a higher cryolite ratio, or a hotter pot, puts more Na in
the metal; chloride or BaF2 dilution and excess AlF3 put less.

`equilibrate` moves the cathode metal's Na and Li to that level at each step (the reaction
is fast against a step of minutes): mass and fluorine close through AlF3 and the pad's Al,
and no charge crosses (a chemical exchange at the metal/bath interface).
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache

import numpy as np
from scipy.constants import R as R_GAS

from alref.campaign.couples import transfer_data
from alref.campaign.layout import PoolLayout
from alref.campaign.state import compound_fractions
from alref.materials.elements import formula_molar_mass, molar_mass
from alref.properties.registry import RangeWarning
from alref.thermo import gibbs, series

#: less-noble bath cations picked up by the cathode metal, with their fluoride
PICKUP = {"Na": "NaF", "Li": "LiF"}
M_AL = molar_mass("Al")
M_ALF3 = M_AL + 3 * molar_mass("F")


def pickup_data() -> dict:
    """The [cathode_pickup] table of `transfer.toml`."""
    return transfer_data()["cathode_pickup"]


def speciation(n_f: np.ndarray, n_al: np.ndarray, n_cl: np.ndarray, k_d: float,
               iterations: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Temkin anion fractions (x_F⁻, x_AlF4⁻) of a bath with n_f mol F, n_al mol Al (not in
    oxides) and n_cl mol Cl (arrays): AlF6³⁻ = AlF4⁻ + 2 F⁻ at equilibrium,
    k_d = x_AlF4 x_F² / x_AlF6, solved by bisection on the AlF6³⁻ amount a and a Newton
    polish (vectorised). With c = n_f − 4 n_al: AlF4⁻ = n_al − a, F⁻ = c − 2a, all anions
    N = n_al + c + n_cl − 2a."""
    c = np.maximum(n_f - 4.0 * n_al, 0.0)
    lo, hi = np.zeros_like(c), np.minimum(n_al, c / 2.0)
    base = n_al + c + n_cl
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        f = c - 2.0 * mid
        n = base - 2.0 * mid
        up = (n_al - mid) * f * f > k_d * mid * n * n  # too little AlF6 formed
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    a = 0.5 * (lo + hi)
    for _ in range(3):  # Newton polish inside the bracket: converged to rounding
        f, b, n = c - 2.0 * a, n_al - a, base - 2.0 * a
        g = b * f * f - k_d * a * n * n
        dg = -f * f - 4.0 * b * f - k_d * n * n + 4.0 * k_d * a * n
        a = np.clip(a - np.where(dg < 0, g / np.where(dg < 0, dg, -1.0), 0.0), lo, hi)
    f, b, n = np.maximum(c - 2.0 * a, 0.0), n_al - a, base - 2.0 * a
    safe = np.where(n > 0, n, 1.0)
    return np.where(n > 0, f / safe, 0.0), np.where(n > 0, b / safe, 0.0)


@lru_cache(maxsize=1)
def model_constants() -> tuple[float, float, float]:
    """(K_d, φ, κ): the dissociation constant of AlF6³⁻ from the speciation of molten
    cryolite (mass fractions of Na3AlF6, NaAlF4, NaF), and the scales that give Dewing's
    a_NaF and a_AlF3 for stoichiometric cryolite."""
    d = pickup_data()
    sp = d["cryolite_speciation_wt"]
    mol = {k: float(sp[k]) / formula_molar_mass(k) for k in ("Na3AlF6", "NaAlF4", "NaF")}
    n = sum(mol.values())
    k_d = (mol["NaAlF4"] / n) * (mol["NaF"] / n) ** 2 / (mol["Na3AlF6"] / n)
    x_f, x_alf4 = speciation(np.array([6.0]), np.array([1.0]), np.array([0.0]), k_d)
    phi = float(d["anchor_a_naf"]) / float(x_f[0])
    kappa = float(d["anchor_a_alf3"]) / float(x_alf4[0] / x_f[0])
    return k_d, phi, kappa


def bath_vectors(lay: PoolLayout) -> dict[str, np.ndarray]:
    """mol per kg of each bath compound (C,): F, Cl (and the spectator anions of the
    alkaline-earth fluorides, which give no free fluoride), Al, non-Al cations, Na, Li;
    oxides (O-bearing compounds) are left out of the ionic model."""
    return _bath_vectors(tuple(lay.names))


@lru_cache(maxsize=64)
def _bath_vectors(names: tuple[str, ...]) -> dict[str, np.ndarray]:
    keys = ("F", "Cl", "Al", "cat", "Na", "Li")
    out = {k: np.zeros(len(names)) for k in keys}
    neutral = set(pickup_data()["neutral_fluoride_cations"])
    for j, name in enumerate(names):
        fr = compound_fractions(name)
        if "O" in fr:
            continue
        bound = "F" in fr and any(el in neutral for el in fr)
        for el, w in fr.items():
            n = w / molar_mass(el)
            if el == "F" and bound:
                # an alkaline-earth fluoride keeps its F: one spectator anion per cation
                out["Cl"][j] += sum(fr[c] / molar_mass(c) for c in fr if c in neutral)
                continue
            if el in ("F", "Cl", "Al", "Na", "Li"):
                out[el][j] += n
            if el not in ("F", "Cl", "Al"):
                out["cat"][j] += n
    return out


def bath_activities(B: np.ndarray, vec: dict[str, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a_NaF, a_LiF, a_AlF3) of each row's bath (S,): a_MF = φ x_M⁺ x_F⁻,
    a_AlF3 = κ x_AlF4⁻/x_F⁻ (inf where no free fluoride is left)."""
    k_d, phi, kappa = model_constants()
    f, cl, al, cat = (B @ vec[k] for k in ("F", "Cl", "Al", "cat"))
    x_f, x_alf4 = speciation(f, al, cl, k_d)
    safe_cat = np.where(cat > 0, cat, 1.0)
    a_naf = phi * (B @ vec["Na"]) / safe_cat * x_f
    a_lif = phi * (B @ vec["Li"]) / safe_cat * x_f
    a_alf3 = np.where(x_f > 0, kappa * x_alf4 / np.where(x_f > 0, x_f, 1.0), np.inf)
    return a_naf, a_lif, a_alf3


@lru_cache(maxsize=4096)
def ln_k_per_atom(element: str, t_round: float) -> float:
    """ln K^(1/3) of 3 MF + Al = AlF3 + 3 M at t_round K (M as pure liquid, the standard
    state of γ_M; pure AlF3): −(g_AlF3 − g_MF + G_M(l) − G_M)/RT with g per equivalent of
    fluorine from the elements in their stable states — above its boiling point (Na,
    1156 K) the stable state of M is the gas, hence the liquid's correction."""
    _c, g_m = series.per_equivalent_gibbs(element, t_round, "fluoride")
    _c, g_al = series.per_equivalent_gibbs("Al", t_round, "fluoride")
    to_liquid = gibbs.gibbs(f"{element}(l)", t_round) - gibbs.gibbs(element, t_round)
    return -(g_al - g_m + to_liquid) / (R_GAS * t_round)


@lru_cache(maxsize=4096)
def ln_gamma_dilute(element: str, t_round: float) -> float:
    """ln γ of M dilute in liquid Al: Dewing's expression for Na, COST 507 for Li."""
    if element == "Na":
        d = pickup_data()
        return (d["na_ln_gamma_h_j"] + d["na_ln_gamma_s_j_k"] * t_round) / (R_GAS * t_round)
    from alref.thermo.arrays import model

    th = model(("Al", element))
    t = np.array([t_round])
    x = np.zeros((1, 2))
    x[0, th.idx["Al"]] = 1.0
    return float(th.ln_gamma_rows(x, t, th.coefficients(t))[0, th.idx[element]])


def _per_temperature(fn, element: str, uniq: np.ndarray, inv: np.ndarray) -> np.ndarray:
    """fn(element, T) over rows, evaluated once per distinct whole-kelvin temperature."""
    return np.array([fn(element, float(t)) for t in uniq])[inv]


def equilibrium_mole_fractions(B: np.ndarray, temp: np.ndarray, vec: dict[str, np.ndarray]
                               ) -> dict[str, np.ndarray]:
    """Equilibrium x_Na and x_Li of Al in contact with each row's bath (S,), capped at the
    metal's saturation by the pure liquid (a_M = 1)."""
    d = pickup_data()
    lo, hi = float(d["min_temp_k"]), float(d["max_temp_k"])
    if ((temp < lo) | (temp > hi)).any():
        warnings.warn(f"cathode Na/Li pick-up: temperature outside {lo:.0f}-{hi:.0f} K "
                      "(fellner2004sodium), extrapolated", RangeWarning, stacklevel=2)
    a_naf, a_lif, a_alf3 = bath_activities(B, vec)
    uniq, inv = np.unique(np.round(np.where(np.isfinite(temp), temp, 1000.0)),
                          return_inverse=True)
    out = {}
    for el, a_mf in (("Na", a_naf), ("Li", a_lif)):
        ln_k = _per_temperature(ln_k_per_atom, el, uniq, inv)
        with np.errstate(divide="ignore"):
            ln_a = np.log(np.maximum(a_mf, 1e-300)) + ln_k - np.log(a_alf3) / 3.0
        ln_a = np.minimum(ln_a, 0.0)
        out[el] = np.where(a_mf > 0, np.exp(ln_a - _per_temperature(ln_gamma_dilute, el, uniq, inv)),
                           0.0)
    return out


def equilibrate(K: np.ndarray, B: np.ndarray, lay: PoolLayout, temp: np.ndarray
                ) -> np.ndarray:
    """Bring the cathode metal's Na and Li (columns of `lay.el` that exist) to equilibrium
    with the bath, in place: 3 MF + Al = AlF3 + 3 M, limited by the bath's MF and the
    metal's Al. Returns the kg of each element entering the metal (S x E; negative where
    M returns to the bath)."""
    moved = np.zeros_like(K)
    els = [e for e in PICKUP if e in lay.th.idx]
    if not els:
        return moved
    x_eq = equilibrium_mole_fractions(B, temp, bath_vectors(lay))
    i_al, j_alf3 = lay.th.idx["Al"], lay.si["AlF3"]
    mm = np.array([molar_mass(e) for e in lay.el])
    n_tot = K @ (1.0 / mm)
    for el in els:
        e, j = lay.th.idx[el], lay.si[PICKUP[el]]
        m_m, m_mf = molar_mass(el), molar_mass(el) + molar_mass("F")
        n_now = K[:, e] / m_m
        x = np.minimum(x_eq[el], 0.5)
        # x_M after the exchange: dn mol of M replace dn/3 mol of Al
        n_target = x * (n_tot - 2.0 / 3.0 * n_now) / (1.0 - 2.0 / 3.0 * x)
        dn = np.where(n_tot > 0, n_target - n_now, 0.0)
        dn = np.minimum(dn, np.minimum(B[:, j] / m_mf, 3.0 * K[:, i_al] / M_AL))
        dn = np.maximum(dn, -np.minimum(n_now, 3.0 * B[:, j_alf3] / M_ALF3))
        K[:, e] += dn * m_m
        K[:, i_al] -= dn / 3.0 * M_AL
        B[:, j] -= dn * m_mf
        B[:, j_alf3] += dn / 3.0 * M_ALF3
        moved[:, e] = dn * m_m
        moved[:, i_al] -= dn / 3.0 * M_AL
        n_tot = n_tot + dn * (1.0 - 1.0 / 3.0)
    return moved


def equilibrium_ppm(bath_kg: dict[str, float], temp_k: float, lay: PoolLayout) -> dict[str, float]:
    """Equilibrium Na and Li (mass ppm) of nearly pure Al under a bath (compound -> kg)."""
    B = np.zeros((1, len(lay.names)))
    for s, m in bath_kg.items():
        B[0, lay.si[s]] = m
    x = equilibrium_mole_fractions(B, np.array([temp_k]), bath_vectors(lay))
    return {el: float(v[0]) * molar_mass(el) / M_AL * 1e6 if math.isfinite(v[0]) else 0.0
            for el, v in x.items()}
