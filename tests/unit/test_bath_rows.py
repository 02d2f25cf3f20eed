"""Bath properties over engine rows (`alref.campaign.bath_rows`) against the scalar
correlations they vectorise: the same numbers, row by row."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from alref.campaign.bath_rows import heat_capacity_rows
from alref.properties import electrolyte
from alref.properties.registry import RangeWarning

NAMES = ("NaF", "AlF3", "CaF2", "Na3AlF6", "LiF", "MgF2", "FeF2")
MAJOR = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0])  # FeF2: an impurity ion


def _eng(B: np.ndarray) -> SimpleNamespace:
    return SimpleNamespace(pools=SimpleNamespace(B=B), major_mask=MAJOR,
                           layout=SimpleNamespace(names=NAMES))


def _scalar(b: np.ndarray, t: float) -> float:
    w = {n: float(v) for n, v, m in zip(NAMES, b, MAJOR, strict=True) if m and v > 0}
    tot = sum(w.values())
    if not tot:
        return 0.0
    return electrolyte.heat_capacity({k: 100 * v / tot for k, v in w.items()}, t).value


def test_heat_capacity_rows_equals_the_scalar_correlation():
    rng = np.random.default_rng(3)
    B = rng.uniform(0, 50, (40, len(NAMES))) * (rng.uniform(size=(40, len(NAMES))) > 0.3)
    B[0, :] = 0.0  # no bath
    B[1, :] = 0.0
    B[1, 1] = 10.0  # AlF3 only: nothing to recombine
    B[2, :] = 0.0
    B[2, 3] = 7.0  # cryolite given as a compound
    temp = np.where(np.arange(40) % 3, 1233.15, 1253.15)
    rows = np.arange(40)
    got = heat_capacity_rows(_eng(B), rows, temp)
    want = np.array([_scalar(B[r], temp[r]) for r in rows])
    assert got[0] == 0.0
    np.testing.assert_allclose(got, want, rtol=1e-12)
    sub = rows[::4]
    np.testing.assert_allclose(heat_capacity_rows(_eng(B), sub, temp[sub]), want[sub],
                               rtol=1e-12)


def test_heat_capacity_rows_warns_out_of_range_like_the_correlation():
    B = np.array([[60.0, 30.0, 5.0, 0.0, 0.0, 0.0, 0.0]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RangeWarning)
        got = heat_capacity_rows(_eng(B), np.array([0]), np.array([9000.0]))
        want = _scalar(B[0], 9000.0)
    msgs = [str(w.message) for w in caught if issubclass(w.category, RangeWarning)]
    assert len(msgs) == 2 and msgs[0] == msgs[1]
    assert got[0] == pytest.approx(want, rel=1e-12)
