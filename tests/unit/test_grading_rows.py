"""`campaign.grading.passes` (rounding rules over rows in integer units) gives the reference
`check_grade` answer on every lot: random lots around each grade's limits, lots placed on
exact rounding ties and on the 0.010 % counting threshold, empty lots."""

from __future__ import annotations

import numpy as np
import pytest

from alref.campaign.grading import grade_check, passes
from alref.materials.grades import grades

EL = ["Al", "Si", "Fe", "Cu", "Zn", "Ga", "V", "Ti", "Mn", "Mg", "Ni"]


def _lots(grade, rng: np.random.Generator, n: int) -> np.ndarray:
    """Lot masses (kg) whose impurities scatter around the grade's limits."""
    imp = np.zeros((n, len(EL)))
    for j, e in enumerate(EL[1:], start=1):
        lim = grade.max.get(e, grade.others_each or 0.03)
        scale = rng.choice([0.1, 0.3, 0.9, 1.0, 1.05, 2.0], size=n)
        imp[:, j] = lim * scale * rng.uniform(0.8, 1.2, n)
        imp[rng.random(n) < 0.5, j] = 0.0
    imp[:, 0] = 100.0 - imp[:, 1:].sum(1)
    return imp * rng.uniform(50.0, 3000.0, (n, 1)) / 100.0


@pytest.mark.parametrize("name", list(grades()))
def test_rows_equal_reference_around_limits(name: str) -> None:
    rng = np.random.default_rng(11)
    grade = grades()[name]
    lots = _lots(grade, rng, 300)
    got = passes(EL, lots, name)
    want = np.array([grade_check(EL, lots[r], name).passed for r in range(len(lots))])
    assert (got == want).all()
    assert want.any() and not want.all()  # lots on both sides of the limits


def test_ties_thresholds_and_empty_lots() -> None:
    """Values exactly on a rounding tie (0.105 wt % Si vs 0.10, 0.005 % Al steps) and on
    the counting threshold go through the reference check and agree with it."""
    rows = []
    for si in (0.095, 0.1, 0.104999, 0.105, 0.10500001, 0.115, 0.125):
        for zn in (0.0, 0.0049, 0.005, 0.01, 0.0149, 0.015, 0.035, 0.025):
            w = np.zeros(len(EL))
            w[EL.index("Si")] = si
            w[EL.index("Zn")] = zn
            w[EL.index("Fe")] = 0.195
            w[0] = 100.0 - w[1:].sum()
            rows.append(w * 7.3)
    rows.append(np.zeros(len(EL)))
    lots = np.array(rows)
    for name in ("P1020A", "A995", "A85"):
        got = passes(EL, lots, name)
        want = [grade_check(EL, lots[r], name).passed if lots[r].sum() > 0 else False
                for r in range(len(lots))]
        assert got.tolist() == want
    # the direction: more Si fails P1020A once it rounds above 0.10
    si = passes(EL, lots[:-1], "P1020A").reshape(7, 8)[:, 0]
    assert si.tolist() == [True, True, True, True, False, False, False]
