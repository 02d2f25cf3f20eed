"""Processes of the batch engine: actions with their triggers, grade checks, one time step.

Numpy forms over the scenario axis of `Simulation._due/_act` and of the continuous
processes of `Simulation._run` (`alref.campaign.transfer`: ion sources and exchange,
co-dissolution, Faradaic transfer, pad oxidation, entrainment, Zn fume; then sludge
precipitation). Mixed into `alref.campaign.batch._Group`, whose arrays they update.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.constants import R as R_GAS

from alref.campaign import transfer as tr
from alref.campaign.simulation import DAY, _salt_impurities
from alref.campaign.state import compound_fractions
from alref.materials import grades, salts
from alref.materials.composition import Composition
from alref.materials.elements import molar_mass, valence
from alref.materials.grades import check_grade, get_grade
from alref.properties import electrolyte_composition as ec

F = tr.FARADAY
#: fraction of each grade total below which a lot passes without the full rounding check
#: (numerical setting: the reference `check_grade` decides every lot closer to a limit)
SCREEN = 0.5


def _rows(coef: tuple, r: np.ndarray) -> tuple:
    """Coefficient rows r (unchanged when one temperature broadcasts to every row)."""
    if coef[0].shape[1] == 1:
        return coef
    return coef[0][:, r], coef[1][:, r], coef[2][:, r]


class Processes:
    """Actions, grade checks and the time step of a lock-step group of scenarios."""

    S: int
    A: np.ndarray
    K: np.ndarray
    B: np.ndarray
    G: np.ndarray
    p: dict[str, np.ndarray]
    th: Any
    si: dict[str, int]
    salts: list[str]
    el: list[str]
    sims: list[Any]
    family: str

    # ------------------------------------------------------------------ actions
    def _due(self, a: Any, t: float, v: dict[str, Any], alive: np.ndarray) -> np.ndarray:
        fire = np.zeros(self.S, bool)
        if a.every_s is not None:
            nd = self._next_due[a.index]
            hit = t + 1e-6 >= nd
            while True:
                m = nd <= t + 1e-6
                if not m.any():
                    break
                nd[m] += a.every_s
            fire |= hit
        for ta in a.at_s:
            key = (a.index, ta)
            done = self._at_done.setdefault(key, np.zeros(self.S, bool))
            hit = ~done & (t + 1e-6 >= ta)
            done |= hit
            fire |= hit
        if a.when is not None:
            x = v.get(a.when.quantity)
            cond = np.zeros(self.S, bool) if x is None else np.asarray(a.when(v), bool)
            fire = cond if (a.every_s is None and not a.at_s) else (fire & cond)
        return fire & alive

    def _act(self, a: Any, rows: np.ndarray, t: float) -> None:
        if a.kind == "charge_scrap":
            if a.hold_level:
                deficit = self.p["level0"][rows] - self.A[rows].sum(1) - self.G[rows].sum(1)
                mass = np.maximum(deficit, 0.0) / self.yld[rows]
            else:
                mass = np.full(rows.size, a.mass_kg or 0.0)
            mass = np.where(mass > 0, mass, 0.0)
            self.A[rows] += (mass * self.yld[rows])[:, None] * self.feed[rows] / 100.0
            self.G[rows, -1] += mass * self.oxide[rows] / 100.0
            self.scrap[rows] += mass
        elif a.kind == "tap":
            self._tap(rows, a.leave_kg, a.mass_kg, t, a.key())
        elif a.kind == "drain_residue":
            frac = a.fraction if a.fraction is not None else 1.0
            out = self.G[rows] * frac
            self.G[rows] -= out
            self.residue[rows] += out.sum(1)
        elif a.kind == "correct_bath":
            adds = np.zeros((rows.size, len(self.salts)))
            for salt, m in (a.add_kg or {}).items():
                adds[:, self.si[salt]] += m
            if a.fraction is not None:
                removed = self.B[rows] * a.fraction
                self.B[rows] -= removed
                fresh = removed.sum(1)
                for r_i, r in enumerate(rows):
                    for salt, w in self.sims[r].bath0.items():
                        adds[r_i, self.si[salt]] += fresh[r_i] * w / 100
            if a.restore:
                adds[:, self.si["AlF3"]] += self._alf3_restore(rows)
            for salt, j in self.si.items():
                m = adds[:, j]
                if not (m > 0).any():
                    continue
                imp = _salt_impurities().get(salt, {})
                self.B[rows, j] += m * (1 - sum(imp.values()) / 100)
                for el, w in imp.items():
                    self._ion_source(rows, el, m * w / 100)
        elif a.kind == "add_cu":
            self.A[rows, self.th.idx["Cu"]] += a.mass_kg or 0.0

    def _ion_source(self, rows: np.ndarray, el: str, mass: np.ndarray) -> None:
        comp = tr.ion_compound(el)
        self.B[rows, self.si[comp]] += np.maximum(mass, 0.0) / compound_fractions(comp)[el]

    def _cr_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Alkali-fluoride and AlF3 moles per kg of each bath0 salt, from the reference
        `electrolyte_composition.moles(salts.decompose(...))` (both linear in the masses)."""
        cations = ec.CR_CATIONS[ec.resolve_family(self.family)]
        alk, alf = np.zeros(len(self.salts)), np.zeros(len(self.salts))
        for salt in self.sims[0].bath0:
            n = ec.moles(salts.decompose({salt: 100.0}))
            alk[self.si[salt]] = sum(n.get(c, 0.0) for c in cations) / 100.0
            alf[self.si[salt]] = n.get("AlF3", 0.0) / 100.0
        return alk, alf

    def _alf3_restore(self, rows: np.ndarray) -> np.ndarray:
        """`Simulation._alf3_to_restore_ratio` per row: AlF3 that brings the cryolite ratio
        back to its initial value."""
        m_alf3 = molar_mass("Al") + 3 * molar_mass("F")
        B = self.B[rows] * self.bath0_mask
        n_alk, n_alf3 = B @ self.cr_alk, B @ self.cr_alf
        with np.errstate(divide="ignore", invalid="ignore"):
            cr = np.where(n_alf3 > 0, n_alk / n_alf3, np.inf)
        cr0 = self.cr0[rows]
        ok = np.isfinite(cr0) & (cr0 > 0) & np.isfinite(cr) & (cr > cr0)
        return np.where(ok, B[:, self.si["AlF3"]] / m_alf3 * (cr / np.where(ok, cr0, 1.0) - 1.0)
                        * m_alf3, 0.0)

    def _tap(self, rows: np.ndarray, leave: float | None, mass: float | None, t: float,
             key: str) -> None:
        total = self.K[rows].sum(1)
        pad = self.p["pad"][rows]
        lv = pad if (leave is None and mass is None) else (
            np.full(rows.size, leave) if leave is not None else None)
        if mass is not None:
            bad = mass > total + 1e-9
            for r in rows[bad]:
                self._fail(r, f"{key}.mass: tapping {mass:g} kg at day {t / DAY:.2f} but only "
                              f"{self.K[r].sum():.3g} kg of metal is in the cathode")
        take = total - lv if lv is not None else np.full(rows.size, mass or 0.0)
        if mass is not None and lv is not None:
            take = np.minimum(take, mass)
        go = take > 1e-9
        rows, take, total = rows[go], take[go], total[go]
        lot = self.K[rows] * (take / total)[:, None]
        self.K[rows] -= lot
        full = np.zeros((self.S, len(self.el)))
        full[rows] = lot
        self.lots.append((t, full))
        self.tapped_at[rows] = t

    def _fail(self, r: int, msg: str) -> None:
        if self.ok[r]:
            self.ok[r], self.err[r] = False, msg
            self.alive[r] = False

    # ------------------------------------------------------------------ grades
    def _passes(self, lots: np.ndarray, grade_name: str) -> np.ndarray:
        """Rows of lot masses (S x E) meeting a grade: a screen that implies a pass under
        the rounding rules (every element at least one reported digit below its limit,
        totals well inside), then the reference `check_grade` for every other lot."""
        grade = get_grade(grade_name)
        min_dec = int(grades._raw()["rules"]["places"]["min_decimals"])
        W = self._wt_rows(lots)
        ix = self.th.idx

        def below(v: np.ndarray, limit: float, el: str = "") -> np.ndarray:
            unit = 10.0 ** -grade.decimals.get(el, grades._places(limit, min_dec))
            return v <= limit - unit

        ok = 100.0 - W[:, ix["Al"]] <= SCREEN * (100.0 - grade.al_min)
        named: set[str] = set(grade.max)
        for e, lim in grade.max.items():
            if e in ix:
                ok &= below(W[:, ix[e]], lim, e)
        for els, lim in grade.combined:
            named |= set(els)
            ok &= below(sum((W[:, ix[e]] for e in els if e in ix), np.zeros(self.S)), lim)
        others = [ix[e] for e in self.el if e not in named and e != "Al"]
        if grade.others_each is not None and others:
            ok &= below(W[:, others].max(1), grade.others_each)
        if grade.others_total is not None and others:
            ok &= W[:, others].sum(1) <= SCREEN * grade.others_total
        out = ok.copy()
        for r in np.nonzero(~ok & (lots.sum(1) > 0))[0]:
            comp = Composition.from_mass({e: lots[r, j] for j, e in enumerate(self.el)
                                          if lots[r, j] > 0}, key="lot")
            out[r] = check_grade(Composition.from_wt_pct(dict(comp), balance="Al"),
                                 grade).passed
        return out

    # ------------------------------------------------------------------ one time step
    def _step(self, alive: np.ndarray, dt: float, volt: np.ndarray, uel: np.ndarray,
              lg: np.ndarray, x: np.ndarray, rho_alloy: np.ndarray) -> None:
        """`Simulation._run` continuous processes over dt for the alive rows."""
        r = np.nonzero(alive)[0]
        p = {k: v[r] for k, v in self.p.items()}
        A, K, B, G = self.A[r], self.K[r], self.B[r], self.G[r]
        ix, si = self.th.idx, self.si
        i_al, j_alf3 = ix["Al"], si["AlF3"]
        m_al = molar_mass("Al")
        m_alf3 = m_al + 3 * molar_mass("F")
        temp, cur, rho = p["temp"], p["I"], rho_alloy[r]
        rt = R_GAS * temp
        bypass = np.maximum(uel[r], 0.0) / p["r_leak"]
        q = (cur - bypass - p["i_back"]) * dt
        for el, rate in (("Fe", p["fe_src"]), ("Si", p["si_src"])):
            comp = tr.ion_compound(el)
            B[:, si[comp]] += rate * dt / compound_fractions(comp)[el]
        # ion exchange (transfer.ion_exchange): first order, exact over dt
        area = p["c_area"] + p["a_area"]
        decay = np.exp(-p["k_ion"] * area / (B.sum(1) / p["rho_bath"]) * dt)
        f_cat = p["c_area"] / area
        eq_dep = np.zeros(r.size)
        for el, e, j in sorted(self.ions):
            frac = compound_fractions(tr.ion_compound(el))[el]
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
        # co-dissolution of noble impurities (transfer.codissolution_equivalents)
        m_liq = A.sum(1)
        j_a = q / dt / p["a_area"]
        c_al = A[:, i_al] / m_liq * rho / m_al
        i_lim = 3 * F * p["k_anode"] * c_al
        ratio = np.where(i_lim <= j_a, 1.0 - 1e-12, j_a / np.where(i_lim > 0, i_lim, 1.0))
        eta = -rt / (3 * F) * np.log(1.0 - ratio)
        used = np.zeros(r.size)
        for el, e, j in self.ions:
            m = A[:, e]
            if not (m > 0).any():
                continue
            z, mm = valence(el), molar_mass(el)
            d_e, z_ser = self.nob[el][0][r], self.nob[el][1][r]
            cc = m / m_liq * rho / mm
            with np.errstate(over="ignore"):
                i_m = z_ser * F * p["k_anode"] * cc * np.exp(-z_ser * F * (d_e - eta) / rt)
            eq = np.minimum(i_m * p["a_area"] * dt / F / z_ser * z, m / mm * z)
            eq = np.where((m > 0) & (eq > 1e-300), eq, 0.0)
            dm = np.minimum(eq / z * mm, m)
            A[:, e] -= dm
            B[:, j] += dm / compound_fractions(tr.ion_compound(el))[el]
            used += dm / mm * z
        # Faradaic transfer: Mg, Li, ... at their transport-limited rate, then Al
        lam = p["k_anode"] * p["a_area"] * rho / m_liq
        qf = q / F
        for el, salt in tr.LESS_NOBLE.items():
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
            # elements, least noble first, into the bath (transfer.faradaic_transfer)
            deficit = np.where(short, 3.0 * (n_an - available), 0.0)
            for el, e, j in self.ions_by_nobility:
                m = A[:, e]
                z, mm = valence(el), molar_mass(el)
                eq = np.where(m > 0, np.minimum(deficit, m / mm * z), 0.0)
                eq = np.maximum(eq, 0.0)
                dm = eq / z * mm
                A[:, e] -= dm
                B[:, j] += dm / compound_fractions(tr.ion_compound(el))[el]
                deficit -= eq
            n_dep = np.where(short, n_dep - np.maximum(deficit, 0.0) / 3.0, n_dep)
            n_an = np.where(short, available, n_an)
        A[:, i_al] -= n_an * m_al
        K[:, i_al] += n_dep * m_al
        B[:, j_alf3] += (n_an - n_dep) * m_alf3
        # pad oxidation, entrainment, fume
        ox = np.minimum(p["i_ox"] * m_al / (3 * F) * dt, K[:, i_al])
        K[:, i_al] -= ox
        floating = (self.rho_phase[None, :] < rho[:, None]) & (G > 0)
        Gf = np.where(floating, G, 0.0)
        total = A.sum(1) + Gf.sum(1)
        mass = p["entrain"] * cur * dt
        f = np.where((total > 0) & (mass > 0), np.minimum(mass / np.where(total > 0, total, 1.0),
                                                          1.0), 0.0)
        K += A * f[:, None] + (Gf * f[:, None]) @ self.pm
        A -= A * f[:, None]
        G -= Gf * f[:, None]
        if "Zn" in ix:
            zn = ix["Zn"]
            a_zn = x[r, zn] * np.exp(lg[r, zn])
            p_pa = a_zn * self.pzn[r] * 1e5
            rate = p["k_fume"] * p["open_area"] * p_pa * molar_mass("Zn") / rt
            on = (p["open_area"] > 0) & (A[:, zn] > 0)
            A[:, zn] -= np.where(on, np.minimum(rate * dt, A[:, zn]), 0.0)
        liquid, amount = self.th.precipitate_rows(A, temp, _rows(self.coef, r))
        A = liquid
        G[:, :-1] += amount * self.th.phase_mass_matrix().sum(1)[None, :]
        self.A[r], self.K[r], self.B[r], self.G[r] = A, K, B, G

