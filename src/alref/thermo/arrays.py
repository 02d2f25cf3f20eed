"""Array cores of the liquid-alloy thermodynamics, over a leading scenario (row) axis.

The single implementation of the COST 507 Redlich-Kister-Muggianu liquid (`Thermo.ln_gamma_rows`,
inherited from `alref.thermo.liquid.LiquidModel`),
sludge saturation indices (`Thermo.saturation`), precipitation (`Thermo.precipitate_rows`)
and the Al-Cu(-X) liquidus (`Liquidus.rows`). The scalar API (`alref.thermo.liquid.ln_gamma`,
`alref.thermo.solubility.precipitate`, `alref.thermo.alloy_liquidus.liquidus`, ...) calls these
with one row; the batch engine (`alref.campaign.batch`) calls them with many, so the reference
solver and the batch engine share one physics code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from alref.materials.elements import molar_mass
from alref.properties import alloy_density as ad
from alref.thermo.alcu_table import alcu_table, node_slope
from alref.thermo.liquid import LiquidModel
from alref.thermo.sludge import SATURATION_TOLERANCE, sludge_phases


# ============================================================== vectorised thermo twins
class Thermo(LiquidModel):
    """COST 507 liquid activities (`LiquidModel`) and sludge saturation over a fixed element
    list."""

    # sludge-phase arrays are built on first use (the ln K fit of `sludge_phases` runs once,
    # when a model first needs a phase)
    @cached_property
    def _phase_arrays(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        ph = sludge_phases()
        names = [n for n, q in ph.items() if all(e in self.idx for e in q.atoms)]
        nu = np.zeros((len(names), len(self.el)))
        for k, n in enumerate(names):
            for e, v in ph[n].nu.items():
                nu[k, self.idx[e]] = v
        return (names, nu, np.array([ph[n].ln_k_a for n in names]),
                np.array([ph[n].ln_k_b for n in names]))

    @property
    def phases(self) -> list[str]:
        return self._phase_arrays[0]

    @property
    def nu(self) -> np.ndarray:
        return self._phase_arrays[1]

    @property
    def lnk_a(self) -> np.ndarray:
        return self._phase_arrays[2]

    @property
    def lnk_b(self) -> np.ndarray:
        return self._phase_arrays[3]

    def saturation(self, X: np.ndarray, T: np.ndarray, coef: tuple | None = None,
                   lg: np.ndarray | None = None) -> np.ndarray:
        """SI (S x P) of every sludge phase; -inf where an element of the phase is absent.
        `lg` may pass ln gamma of the same X and T when already computed."""
        if lg is None:
            lg = self.ln_gamma_rows(X, T, coef)
        pos = X > 0
        lna = np.where(pos, np.log(np.where(pos, X, 1.0)) + lg, 0.0)
        out = lna @ self.nu.T - (self.lnk_a + self.lnk_b / T[:, None])
        absent = (~pos).astype(float) @ (self.nu > 0).T.astype(float) > 0
        return np.where(absent, -np.inf, out)

    def precipitate_rows(self, M: np.ndarray, T: np.ndarray, coef: tuple,
                         max_iter: int = 200, accelerate: bool = False,
                         tol: float = SATURATION_TOLERANCE) -> tuple[np.ndarray, np.ndarray]:
        """`solubility.precipitate` for every row: (liquid masses S x E, phase moles S x P).

        The most supersaturated phase is removed by the frozen-γ step (`_ideal_step_rows`)
        until no phase exceeds saturation; γ is held while phases are removed and then
        re-evaluated, and the removal repeats until every phase is within
        `SATURATION_TOLERANCE` of saturation with the true activities. After the call,
        `self.last_converged` is False if a row still exceeded saturation after `max_iter`
        phase removals. `accelerate` extrapolates the slowly converging γ re-evaluations
        (`_Aitken`): the same saturation state to within ~1e-6 of a minor phase's amount,
        reached in fewer rounds (the batch strategy's setting; the reference keeps the plain
        rounds)."""
        self.last_converged = True
        mol = np.maximum(M, 0.0) / self.mm
        amount = np.zeros((M.shape[0], len(self.phases)))
        if not self.phases:  # no sludge phase can form from these elements
            return M.copy(), amount
        rows = np.arange(M.shape[0])
        active = mol.sum(axis=1) > 0
        acc = _Aitken.new(mol, amount) if accelerate else None
        removals = 0
        while removals < max_iter:
            r = rows[active]
            if r.size == 0:
                break
            m = mol[r]
            x = m / m.sum(axis=1)[:, None]
            lg = self.ln_gamma_rows(x, T[r], _take(coef, r))
            si = self.saturation(x, T[r], _take(coef, r), lg)
            back = (acc.overshot(r, si, mol, amount) if acc is not None  # restored: γ again
                    else np.zeros(r.size, bool))
            go = (si.max(axis=1) > tol) & ~back
            active[r[~go & ~back]] = False
            if not go.any():
                if back.any():
                    continue
                break
            r, lg, si = r[go], lg[go], si[go]
            start = amount[r].copy() if acc is not None else None
            todo = r
            while r.size and removals < max_iter:  # frozen γ: no new activities needed
                removals += 1
                m = mol[r]
                total = m.sum(axis=1)
                best = si.argmax(axis=1)
                si0 = si[np.arange(r.size), best]
                nu = self.nu[best]
                step = _ideal_step_rows(m, total, nu, si0)
                mol[r] -= nu * step[:, None]
                amount[r, best] += step
                m = mol[r]
                si = self.saturation(m / m.sum(axis=1)[:, None], T[r], _take(coef, r), lg)
                more = si.max(axis=1) > tol
                r, lg, si = r[more], lg[more], si[more]
            if acc is not None:
                acc.extrapolate(todo, amount[todo] - start, mol, amount, self.nu)
        if removals >= max_iter and active.any():
            self.last_converged = False
        liquid = M - (amount @ (self.nu * self.mm))  # phase masses per element
        return liquid, amount

    def phase_mass_matrix(self) -> np.ndarray:
        """kg of each element per mole of atoms of each phase (P x E)."""
        return self.nu * self.mm


#: Aitken acceleration of the γ re-evaluations in `precipitate_rows` (numerical settings):
#: the share of the predicted remaining removal taken at once, the largest contraction
#: ratio accepted and the relative misfit of two successive rounds' removals allowed
AITKEN_SHARE, AITKEN_RHO_MAX, AITKEN_MISFIT = 0.9, 0.6, 0.05


@dataclass
class _Aitken:
    """Speeds up the γ re-evaluations of `precipitate_rows` where they converge slowly.

    With γ frozen, a round removes too little of each phase (removing it moves γ), and the
    next round removes a fixed share ρ of the previous round's removal: the rounds converge
    geometrically. Once two successive rounds of a row remove phase amounts in the same
    proportion (from the third round on: the first removes the bulk), the rest of the
    series, AITKEN_SHARE·ρ/(1−ρ) times the last round, is removed at once, every round from
    then on. The next evaluation of γ checks it: a row
    whose extrapolated phases fell below saturation is restored and continues without the
    acceleration, so every row still ends within `SATURATION_TOLERANCE` of saturation with
    the true activities, approached from supersaturation as without it."""

    rounds: np.ndarray  # S, rounds of removal so far
    prev: np.ndarray  # S x P, the last round's removal
    rho: np.ndarray  # S, the contraction ratio (nan: not known)
    off: np.ndarray  # S, acceleration switched off
    pending: np.ndarray  # S, extrapolated in the last round (to be checked)
    extra: np.ndarray  # S x P, what was extrapolated
    keep_mol: np.ndarray  # S x E, the row before the extrapolation
    keep_amount: np.ndarray  # S x P

    @classmethod
    def new(cls, mol: np.ndarray, amount: np.ndarray) -> _Aitken:
        S = mol.shape[0]
        return cls(np.zeros(S, int), np.zeros_like(amount), np.full(S, np.nan), np.zeros(S, bool),
                   np.zeros(S, bool), np.zeros_like(amount), mol.copy(), amount.copy())

    def overshot(self, r: np.ndarray, si: np.ndarray, mol: np.ndarray,
                 amount: np.ndarray) -> np.ndarray:
        """Rows of r (mask) whose last extrapolation went past saturation: restored."""
        back = self.pending[r] & ((si < -SATURATION_TOLERANCE) & (self.extra[r] > 0)).any(1)
        self.pending[r] = False
        if back.any():
            b = r[back]
            mol[b], amount[b] = self.keep_mol[b], self.keep_amount[b]
            self.off[b] = True
            self.rho[b] = np.nan
        return back

    def extrapolate(self, r: np.ndarray, d: np.ndarray, mol: np.ndarray, amount: np.ndarray,
                    nu: np.ndarray) -> None:
        """After a round that removed d (len(r) x P) from rows r."""
        prev = self.prev[r]
        self.prev[r] = d
        self.rounds[r] += 1
        rho = self.rho[r]
        # the first round removes the bulk; the geometric series shows from the second on
        fresh = np.isnan(rho) & (self.rounds[r] >= 3)
        with np.errstate(invalid="ignore", divide="ignore"):
            pp = (prev * prev).sum(1)
            est = (d * prev).sum(1) / pp
            misfit = np.sqrt(((d - est[:, None] * prev) ** 2).sum(1) / (d * d).sum(1))
        learn = fresh & (pp > 0) & (est > 0) & (est < AITKEN_RHO_MAX) & (misfit < AITKEN_MISFIT)
        rho = np.where(learn, est, rho)
        self.rho[r] = rho
        go = ~np.isnan(rho) & ~self.off[r]
        if not go.any():
            return
        g = r[go]
        extra = (AITKEN_SHARE * rho[go] / (1.0 - rho[go]))[:, None] * d[go]
        new_mol = mol[g] - extra @ nu
        ok = (new_mol >= 0).all(1)
        g, extra, new_mol = g[ok], extra[ok], new_mol[ok]
        self.keep_mol[g], self.keep_amount[g] = mol[g], amount[g]
        mol[g] = new_mol
        amount[g] += extra
        self.extra[g] = extra
        self.pending[g] = True


def _take(coef: tuple, r: np.ndarray) -> tuple:
    """Coefficient rows r (unchanged when one temperature broadcasts to every row)."""
    if coef[0].shape[1] == 1:
        return coef
    return coef[0][:, r], coef[1][:, r], coef[2][:, r]


def _ideal_step_rows(mol: np.ndarray, total: np.ndarray, nu: np.ndarray, si0: np.ndarray
                     ) -> np.ndarray:
    """Moles of atoms of a phase to remove from each row so that its SI falls to 0 with the
    activity coefficients frozen: the root of SI(s) in [0, cap).

    SI(s) = si0 + sum_i nu_i ln(1 - nu_i s / N_i) - ln(1 - s / N) decreases in s; the root
    is found by Newton steps kept inside the bracket [lo, hi] (bisection otherwise).
    """
    cols = np.nonzero((nu > 0).any(axis=0))[0]  # only the phases' elements matter
    mol, nu = mol[:, cols], nu[:, cols]
    has = nu > 0
    safe_nu = np.where(has, nu, 1.0)
    cap = np.where(has, mol / safe_nu, np.inf).min(axis=1)
    nu2 = np.where(has, nu * nu, 0.0)
    safe_mol = np.where(has, mol, 1.0)

    def f_df(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rest = np.where(has, mol - nu * s[:, None], 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = si0 + (nu * np.log(np.where(has, rest / safe_mol, 1.0))).sum(1) \
                - np.log1p(-s / total)
            df = -(nu2 / rest).sum(1) + 1.0 / (total - s)
        return f, df

    hi = cap * (1.0 - 1e-12)
    fhi, _ = f_df(hi)
    sat = fhi > 0  # still supersaturated at the cap: remove all the phase can take
    lo = np.zeros_like(cap)
    s = np.zeros_like(cap)
    f, df = si0.copy(), f_df(s)[1]
    done = sat.copy()
    for _ in range(100):
        step = np.where(df < 0, s - f / np.where(df < 0, df, -1.0), 0.5 * (lo + hi))
        inside = (step > lo) & (step < hi)
        new = np.where(inside, step, 0.5 * (lo + hi))
        s = np.where(done, s, new)
        f, df = f_df(s)
        pos = f > 0
        lo = np.where(pos & ~done, s, lo)
        hi = np.where(~pos & ~done, s, hi)
        done = done | (np.abs(f) < 1e-13) | (hi - lo <= 1e-15 * cap)
        if done.all():
            break
    return np.where(sat, cap * (1.0 - 1e-12), s)


# ============================================================== liquidus and density
class Liquidus:
    """The Al-Cu(-X) liquidus of `alref.thermo.alloy_liquidus` for rows: binary table, node
    slopes, activity shift."""

    def __init__(self, th: Thermo) -> None:
        t = alcu_table()
        self.w = np.asarray(t["wt_pct_cu"], float)
        self.T = np.asarray(t["liquidus_K"], float)
        prim = t["primary"]
        n = len(self.w)
        self.eligible = np.array([any(0 <= j < n and prim[j] == prim[k] for j in (k - 1, k + 1))
                                  for k in range(n)])
        self.nu_cu = np.array([max(float(x), 0.0) for x in t["x_cu_solid"]])
        self.slope = np.array([node_slope(k, self.nu_cu[k]) if self.eligible[k]
                               else np.nan for k in range(n)])
        self.th = th
        self.al, self.cu = th.idx["Al"], th.idx["Cu"]

    def _phase_term(self, X: np.ndarray, T: np.ndarray, nu_cu: np.ndarray) -> np.ndarray:
        lg = self.th.ln_gamma_rows(X, T)
        out = np.zeros(X.shape[0])
        for col, nu in ((self.al, 1.0 - nu_cu), (self.cu, nu_cu)):
            out += np.where(nu > 0, nu * (np.log(np.maximum(X[:, col], 1e-300)) + lg[:, col]), 0.0)
        return out

    def binary(self, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Cu/(Al+Cu) in wt %, the binary Al-Cu liquidus there in K) of alloys with wt % W
        (S x E): the cheap part of `rows`, which shifts it by the other solutes."""
        al, cu = W[:, self.al], W[:, self.cu]
        w_star = np.where(al + cu > 0, 100.0 * cu / np.maximum(al + cu, 1e-300), 100.0)
        return w_star, np.interp(w_star, self.w, self.T)

    def rows(self, W: np.ndarray, guess: np.ndarray | None = None) -> np.ndarray:
        """Liquidus (K) of alloys with wt % W (S x E, rows summing to 100).

        `guess` (e.g. the previous day's liquidus) narrows the bracket to guess ± WARM_K
        where the root lies inside it; other rows search [T_b - 400, T_b + 300] K as the
        scalar function does."""
        al, cu = W[:, self.al], W[:, self.cu]
        w_star, t_b = self.binary(W)
        other = 100.0 - al - cu
        out = t_b.copy()
        r = np.nonzero(other > 0)[0]
        if r.size == 0:
            return out
        dist = np.abs(w_star[r, None] - self.w[None, :])
        dist[:, ~self.eligible] = np.inf
        k = dist.argmin(axis=1)
        nu_cu, slope, tb = self.nu_cu[k], self.slope[k], t_b[r]
        xb = np.zeros((r.size, len(self.th.el)))
        n_al, n_cu = (100.0 - w_star[r]) / molar_mass("Al"), w_star[r] / molar_mass("Cu")
        xb[:, self.al], xb[:, self.cu] = n_al / (n_al + n_cu), n_cu / (n_al + n_cu)
        ln_k_ref = self._phase_term(xb, tb, nu_cu)
        x = self.th.x_of_masses(W[r])
        root = tb.copy()
        todo = np.ones(r.size, bool)

        def solve(sub: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
            def g(T: np.ndarray) -> np.ndarray:
                return self._phase_term(x[sub], T, nu_cu[sub]) - (
                    ln_k_ref[sub] + slope[sub] * (1.0 / T - 1.0 / tb[sub]))

            glo, ghi = g(lo), g(hi)
            ok = glo * ghi <= 0
            return np.where(ok, illinois(g, lo, hi, glo, ghi, ok, xtol=1e-6), np.nan), ok

        if guess is not None:
            gs = guess[r]
            wide_lo, wide_hi = tb - 400.0, tb + 300.0
            near = np.nonzero(np.isfinite(gs) & (gs - WARM_K > wide_lo) & (gs + WARM_K < wide_hi))[0]
            if near.size:
                val, ok = solve(near, gs[near] - WARM_K, gs[near] + WARM_K)
                root[near[ok]] = val[ok]
                todo[near[ok]] = False
        rest = np.nonzero(todo)[0]
        if rest.size:
            val, ok = solve(rest, tb[rest] - 400.0, tb[rest] + 300.0)
            root[rest] = np.where(ok, val, tb[rest])
        out[r] = root
        return out


#: half-width (K) of the warm-start bracket around the previous liquidus (numerical)
WARM_K = 3.0


def illinois(g: Any, lo: np.ndarray, hi: np.ndarray, glo: np.ndarray, ghi: np.ndarray,
              ok: np.ndarray, xtol: float) -> np.ndarray:
    """Bracketed root of g per row by regula falsi with the Illinois modification: rows
    where `ok` (g(lo) and g(hi) of opposite sign) converge to `xtol`; the others keep the
    midpoint."""
    x = 0.5 * (lo + hi)
    side = np.zeros(x.shape, int)  # which end was replaced last: -1 lo, +1 hi
    done = ~ok
    for _ in range(100):
        new = (lo * ghi - hi * glo) / np.where(ghi != glo, ghi - glo, 1.0)
        step = np.abs(new - x)
        x = np.where(done, x, new)
        gx = g(x)
        left = (np.sign(gx) == np.sign(glo)) & ~done
        right = ~left & ~done
        ghi = np.where(left & (side == -1), ghi * 0.5, ghi)
        glo = np.where(right & (side == 1), glo * 0.5, glo)
        lo, glo = np.where(left, x, lo), np.where(left, gx, glo)
        hi, ghi = np.where(right, x, hi), np.where(right, gx, ghi)
        side = np.where(left, -1, np.where(right, 1, side))
        done = done | (np.abs(hi - lo) < xtol) | (step < xtol) | (gx == 0)
        if done.all():
            break
    return x


def alloy_density_rows(th: Thermo, M: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Alloy density (kg/m3) for rows of element masses M (S x E) at T (S,)
    (`alref.properties.alloy_density.density_rows`)."""
    return ad.density_rows(np.maximum(M, 0.0) / th.mm, th.el, T)


@lru_cache(maxsize=256)
def model(elements: tuple[str, ...]) -> Thermo:
    """The array model over an element list (cached: built once per list)."""
    return Thermo(elements)


@lru_cache(maxsize=64)
def liquidus_model(elements: tuple[str, ...]) -> Liquidus:
    """The array liquidus over an element list that includes Al and Cu (cached)."""
    return Liquidus(model(elements))
