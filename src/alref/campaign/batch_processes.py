"""Processes of the batch engine: actions with their triggers, grade checks, one time step.

Numpy forms over the scenario axis of `Simulation._due/_act` and of the continuous
processes of `Simulation._run` (`alref.campaign.transfer`: ion sources and exchange,
co-dissolution, Faradaic transfer, pad oxidation, entrainment, Zn fume; then sludge
precipitation). Mixed into `alref.campaign.batch._Group`, whose arrays they update.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alref.campaign import transfer as tr
from alref.campaign.simulation import DAY, _salt_impurities
from alref.campaign.state import compound_fractions
from alref.materials import grades, salts
from alref.materials.composition import Composition
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
        """`Simulation._alf3_to_restore_ratio` per row (`transfer.alf3_to_restore_kg`)."""
        B = self.B[rows] * self.bath0_mask
        n_alk, n_alf3 = B @ self.cr_alk, B @ self.cr_alf
        with np.errstate(divide="ignore", invalid="ignore"):
            cr = np.where(n_alf3 > 0, n_alk / n_alf3, np.inf)
        return tr.alf3_to_restore_kg(B[:, self.si["AlF3"]], cr, self.cr0[rows])

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
        """`Simulation._run` continuous processes over dt for the alive rows: the shared
        kernel `alref.campaign.transfer.step_rows`."""
        r = np.nonzero(alive)[0]
        ctx = tr.StepContext(
            th=self.th, si=self.si, ions=self.ions, ions_by_nobility=self.ions_by_nobility,
            nob={e: (v[0][r], v[1][r]) for e, v in self.nob.items()}, pzn=self.pzn[r],
            rho_phase=self.rho_phase, pm=self.pm, coef=_rows(self.coef, r),
        )
        p = {k: v[r] for k, v in self.p.items()}
        out = tr.step_rows(ctx, self.A[r], self.K[r], self.B[r], self.G[r], p, dt, uel[r],
                           rho_alloy[r], x[r], lg[r])
        self.A[r], self.K[r], self.B[r], self.G[r] = out.A, out.K, out.B, out.G
