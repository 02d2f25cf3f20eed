"""Precipitation with the batch strategy's accelerated γ rounds (`Thermo.precipitate_rows(
accelerate=True)`) against the plain rounds: the same saturated liquid, in fewer rounds."""

from __future__ import annotations

import numpy as np

from alref.thermo import arrays
from alref.thermo.sludge import SATURATION_TOLERANCE

ELEMENTS = ("Al", "Cu", "Cr", "Fe", "Mn", "Si", "Ti")


def _alloys(n: int) -> np.ndarray:
    """Supersaturated Al-Cu scrap alloys (kg) like a twitch anode after a charge."""
    rng = np.random.default_rng(5)
    wt = np.array([60.0, 30.0, 0.3, 2.0, 0.6, 6.0, 0.4])
    return wt[None, :] * rng.uniform(0.8, 1.2, (n, len(ELEMENTS)))


def test_accelerated_rounds_reach_the_same_saturation_in_fewer_gamma_evaluations(monkeypatch):
    th = arrays.model(ELEMENTS)
    M = _alloys(12)
    T = np.full(M.shape[0], 1073.15)
    coef = th.coefficients(T)
    calls = {"n": 0}
    plain_lg = th.ln_gamma_rows

    def counting(*a, **k):
        calls["n"] += 1
        return plain_lg(*a, **k)

    # a saturated anode to which a time step's dissolution adds a little Fe, Si, Ti
    M, _ = th.precipitate_rows(M, T, coef)
    M = M + np.array([0.0, 0.0, 0.0, 2e-3, 0.0, 5e-3, 1e-3])[None, :]
    monkeypatch.setattr(th, "ln_gamma_rows", counting)
    _liq0, amt0 = th.precipitate_rows(M, T, coef)
    n_plain, calls["n"] = calls["n"], 0
    liq1, amt1 = th.precipitate_rows(M, T, coef, accelerate=True)
    n_fast = calls["n"]
    assert amt0.sum() > 0  # the alloys were supersaturated
    np.testing.assert_allclose(liq1.sum(1), M.sum(1) - (amt1 @ (th.nu * th.mm)).sum(1),
                               rtol=1e-14)  # mass conserved
    np.testing.assert_allclose(amt1, amt0, rtol=1e-5, atol=1e-9 * amt0.max())
    x = th.x_of_masses(liq1)
    si = th.saturation(x, T, coef)
    assert np.nanmax(si) <= SATURATION_TOLERANCE
    assert n_fast < n_plain, (n_fast, n_plain)


def test_a_looser_saturation_tolerance_stops_earlier_just_above_saturation():
    """`tol` (the batch strategy's 1e-6): every row ends at most tol above saturation, the
    phase amounts within ~tol of the tight answer, and in fewer γ rounds."""
    th = arrays.model(ELEMENTS)
    M = _alloys(12)
    T = np.full(M.shape[0], 1073.15)
    coef = th.coefficients(T)
    M, _ = th.precipitate_rows(M, T, coef)
    M = M + np.array([0.0, 0.0, 0.0, 2e-3, 0.0, 5e-3, 1e-3])[None, :]
    n = {"lg": 0}
    plain_lg = th.ln_gamma_rows

    def counting(*a, **k):
        n["lg"] += 1
        return plain_lg(*a, **k)

    th.ln_gamma_rows = counting
    try:
        _, tight = th.precipitate_rows(M, T, coef, accelerate=True)
        n_tight, n["lg"] = n["lg"], 0
        liq, loose = th.precipitate_rows(M, T, coef, accelerate=True, tol=1e-6)
        n_loose = n["lg"]
    finally:
        del th.ln_gamma_rows
    si = th.saturation(th.x_of_masses(liq), T, coef)
    assert np.nanmax(si) <= 1e-6
    assert np.nanmax(si) > SATURATION_TOLERANCE  # it did stop short of the tight tolerance
    np.testing.assert_allclose(loose, tight, rtol=1e-4, atol=1e-6 * tight.max())
    assert n_loose < n_tight
