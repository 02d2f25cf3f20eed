"""Grades of tapped lots over rows of pots.

`passes` decides, for rows of lot masses, whether each lot meets a grade. It applies the
rounding rules of `alref.materials.grades.check_grade` over all rows at once: each observed
value is rounded half-to-even to the places of its limit (ASTM E29 6.4) in integer units of
the last place, Al by difference and "others total" are summed from the rounded parts in
those integers, and the comparisons are exact. A value whose scaled float lies within
`TIE_TOL` of a rounding tie (or of the 0.010 % counting threshold) could round either way
depending on its shortest decimal repr, so such a lot goes to the reference `check_grade`
— the answer is always the reference's, at array speed. `lot_composition` and `grade_check`
give one lot's analysis and check.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alref.materials.composition import Composition
from alref.materials.grades import (
    Grade,
    GradeCheck,
    check_grade,
    get_grade,
    grade_table,
    reporting_decimals,
)

#: distance (in units of the last reported place, or relative at the counting threshold)
#: from a rounding tie inside which a lot is left to the reference check (numerical
#: setting: far above the ~1e-12 float error of the scaled values, far below any real gap)
TIE_TOL = 1e-7


def lot_composition(el: Sequence[str], masses: np.ndarray) -> Composition:
    """The analysis of one lot (Al by difference) from its element masses."""
    comp = Composition.from_mass({e: float(masses[j]) for j, e in enumerate(el)
                                  if masses[j] > 0}, key="lot")
    return Composition.from_wt_pct(dict(comp), balance="Al")


def grade_check(el: Sequence[str], masses: np.ndarray, grade_name: str) -> GradeCheck:
    """The reference check of one lot against a grade."""
    return check_grade(lot_composition(el, masses), get_grade(grade_name))


def _units(v: np.ndarray, places: int) -> tuple[np.ndarray, np.ndarray]:
    """`v` rounded half-to-even to `places` decimals, in integer units of the last place,
    and a mask of values too close to a tie to trust the float."""
    x = v * 10.0 ** places
    frac = x - np.floor(x)
    return np.rint(x), np.abs(frac - 0.5) <= TIE_TOL


def _round_units(units: np.ndarray, shift: int) -> np.ndarray:
    """Integers in units of 10^-p re-rounded half-to-even to p - shift places (shift >= 0)."""
    if shift <= 0:
        return units * 10 ** (-shift)
    d = 10 ** shift
    q, r = np.divmod(units, d)
    up = (2 * r > d) | ((2 * r == d) & (q % 2 == 1))
    return q + up


def _limit_units(limit: float, places: int) -> int:
    """The largest whole number of last-place units not above the limit."""
    return int(np.floor(limit * 10.0 ** places + TIE_TOL))


def _exact(grade: Grade, el: Sequence[str], W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(passed, unsure) over rows of wt % `W` (columns `el`) by the rounding method."""
    rule = grade_table()["rules"][grade.rule]
    ix = {e: j for j, e in enumerate(el)}
    n = W.shape[0]
    ok = np.ones(n, bool)
    unsure = np.zeros(n, bool)

    def at_most(v: np.ndarray, limit: float, places: int) -> None:
        nonlocal ok, unsure
        u, tie = _units(v, places)
        ok &= u <= _limit_units(limit, places)
        unsure |= tie

    for e, lim in grade.max.items():
        if e in ix:
            at_most(W[:, ix[e]], lim, grade.decimals.get(e, reporting_decimals(lim)))
    named = set(grade.max)
    for els, lim in grade.combined:
        named |= set(els)
        cols = [ix[e] for e in els if e in ix]
        if cols:
            at_most(W[:, cols].sum(1), lim, reporting_decimals(lim))
    others = [ix[e] for e in el if e not in named and e != "Al"]
    if grade.others_each is not None and others:
        at_most(W[:, others].max(1), grade.others_each, reporting_decimals(grade.others_each))
    threshold = float(rule["al_difference_threshold"])
    places = int(rule["al_difference_decimals"])
    present = W > 0
    near = np.abs(W - threshold) <= TIE_TOL * threshold
    unsure |= (near & present).any(1)
    counted = present & (threshold <= W)
    units, tie = _units(W, places)
    units = np.where(counted, units, 0.0).astype(np.int64)
    imp = [j for j, e in enumerate(el) if e != "Al"]
    unsure |= (tie & counted)[:, imp].any(1)
    if grade.others_total is not None and others:
        q = reporting_decimals(grade.others_total)
        tot = _round_units(units[:, others].sum(1), places - q)
        ok &= tot <= _limit_units(grade.others_total, q)
    exclude = set(rule["exclude"])
    cols = [j for j in imp if el[j] not in exclude]
    al = 100 * 10 ** places - units[:, cols].sum(1)
    q = reporting_decimals(grade.al_min)
    ok &= _round_units(al, places - q) >= round(grade.al_min * 10.0 ** q)
    return ok, unsure


def passes(el: Sequence[str], lots: np.ndarray, grade_name: str) -> np.ndarray:
    """Rows of lot masses (S x E, columns `el`) meeting a grade (see module docstring)."""
    grade = get_grade(grade_name)
    pos = np.maximum(lots, 0.0)
    tot = pos.sum(1, keepdims=True)
    W = np.divide(100.0 * pos, tot, out=np.zeros_like(pos), where=tot > 0)
    live = tot[:, 0] > 0
    ok, unsure = _exact(grade, el, W)
    out = ok & live
    for r in np.nonzero(unsure & live)[0]:
        out[r] = grade_check(el, lots[r], grade_name).passed
    return out
