"""Grades of tapped lots over rows of pots.

`passes` decides, for rows of lot masses, whether each lot meets a grade: a vectorised
screen that implies a pass under the rounding rules (every element at least one reported
digit below its limit, totals well inside), then the reference `check_grade` for every
lot closer to a limit — so the answer is always the reference's, at array speed for the
clear cases. `lot_composition` and `grade_check` give one lot's analysis and check.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alref.materials.composition import Composition
from alref.materials.grades import GradeCheck, check_grade, get_grade, reporting_decimals

#: fraction of each grade total below which a lot passes without the full rounding check
#: (numerical setting: the reference `check_grade` decides every lot closer to a limit)
SCREEN = 0.5


def lot_composition(el: Sequence[str], masses: np.ndarray) -> Composition:
    """The analysis of one lot (Al by difference) from its element masses."""
    comp = Composition.from_mass({e: float(masses[j]) for j, e in enumerate(el)
                                  if masses[j] > 0}, key="lot")
    return Composition.from_wt_pct(dict(comp), balance="Al")


def grade_check(el: Sequence[str], masses: np.ndarray, grade_name: str) -> GradeCheck:
    """The reference check of one lot against a grade."""
    return check_grade(lot_composition(el, masses), get_grade(grade_name))


def passes(el: Sequence[str], lots: np.ndarray, grade_name: str) -> np.ndarray:
    """Rows of lot masses (S x E, columns `el`) meeting a grade (see module docstring)."""
    grade = get_grade(grade_name)
    ix = {e: j for j, e in enumerate(el)}
    pos = np.maximum(lots, 0.0)
    tot = pos.sum(1, keepdims=True)
    W = np.divide(100.0 * pos, tot, out=np.zeros_like(pos), where=tot > 0)
    n = lots.shape[0]

    def below(v: np.ndarray, limit: float, element: str = "") -> np.ndarray:
        places = grade.decimals.get(element, reporting_decimals(limit))
        return v <= limit - 10.0 ** -places

    ok = 100.0 - W[:, ix["Al"]] <= SCREEN * (100.0 - grade.al_min)
    named: set[str] = set(grade.max)
    for e, lim in grade.max.items():
        if e in ix:
            ok &= below(W[:, ix[e]], lim, e)
    for els, lim in grade.combined:
        named |= set(els)
        ok &= below(sum((W[:, ix[e]] for e in els if e in ix), np.zeros(n)), lim)
    others = [ix[e] for e in el if e not in named and e != "Al"]
    if grade.others_each is not None and others:
        ok &= below(W[:, others].max(1), grade.others_each)
    if grade.others_total is not None and others:
        ok &= W[:, others].sum(1) <= SCREEN * grade.others_total
    out = ok.copy()
    for r in np.nonzero(~ok & (lots.sum(1) > 0))[0]:
        out[r] = grade_check(el, lots[r], grade_name).passed
    return out
