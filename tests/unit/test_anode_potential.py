"""The anode potential root (`anode.potential`, safeguarded Newton) against a 200-pass
bisection of the same charge balance: normal rows, Al-starved rows where Si/Fe/Cu carry
the charge, rows whose films cannot carry it (φ at the bracket top), rows already above it
at the bottom, empty alloys and zero charge."""

from __future__ import annotations

import numpy as np

from alref.campaign.anode import ABOVE, BELOW, PHI_TOL, Films, potential
from alref.campaign.layout import FARADAY

R_T = 8.314462618 * 1023.0


def _bisect(films: Films, target: np.ndarray) -> np.ndarray:
    phi0 = np.where(np.isfinite(films.ln_xs0), films.ln_xs0 / (3.0 * films.f_rt), 0.0)
    lo, hi = phi0 - BELOW, phi0 + ABOVE
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        up = films.charge(mid)[0] < target
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    return 0.5 * (lo + hi)


def _films(n: int, seed: int = 3) -> tuple[Films, np.ndarray]:
    rng = np.random.default_rng(seed)
    K = 4  # Mg (less noble), Si, Fe, Cu (nobler)
    zv = np.array([2.0, 4.0, 3.0, 2.0])
    zs = np.tile(zv, (n, 1))
    n_lim = rng.uniform(1e-4, 1.0, (n, K)) * rng.choice([1.0, 1e-6, 0.0], (n, K))
    ln_t0 = np.column_stack([rng.uniform(5, 15, n), rng.uniform(-40, -10, n),
                             rng.uniform(-50, -20, n), rng.uniform(-70, -40, n)])
    n_lim_al = rng.uniform(1.0, 50.0, n) * rng.choice([1.0, 1e-3, 1e-9], n)
    x_al = rng.uniform(1e-4, 0.95, n)
    ln_xs0 = rng.uniform(-3.0, 1.0, n) - np.log(x_al)
    f_rt = np.full(n, FARADAY / R_T)
    target = rng.uniform(0.5, 60.0, n)
    return Films(n_lim, ln_t0, zs, zv, n_lim_al, ln_xs0, f_rt), target


def test_newton_root_equals_bisection_on_mixed_rows() -> None:
    films, target = _films(400)
    phi = potential(films, target)
    ref = _bisect(films, target)
    assert np.abs(phi - ref).max() <= 10 * PHI_TOL
    phi0 = films.ln_xs0 / (3.0 * films.f_rt)
    q_top = films.charge(phi0 + ABOVE)[0]
    q_bottom = films.charge(phi0 - BELOW)[0]
    inner = (q_top > target) & (q_bottom < target)
    np.testing.assert_allclose(films.charge(phi)[0][inner], target[inner], rtol=1e-10)
    # the sample holds Al-starved rows (Al film limit far below the charge) that still
    # carry it on other couples, rows that cannot carry it and rows past it at the bottom
    starved = 3.0 * films.n_lim_al < 0.5 * target
    assert (starved & inner).any() and (q_top < target).any() and (q_bottom > target).any()
    assert (phi[q_top < target] == (phi0 + ABOVE)[q_top < target]).all()


def test_edge_rows_empty_alloy_zero_charge_and_row_independence() -> None:
    films, target = _films(50, seed=8)
    films.n_lim[:5] = 0.0
    films.n_lim_al[:5] = 0.0  # empty alloy: nothing can carry the charge -> bracket top
    target[5:10] = 0.0  # no charge: the bottom of the bracket (nothing dissolves)
    phi = potential(films, target)
    ref = _bisect(films, target)
    assert np.abs(phi - ref).max() <= 10 * PHI_TOL
    # one row alone gives the same root as inside the batch (rows are frozen when done)
    for r in (0, 7, 20, 33):
        one = Films(*(getattr(films, f)[r:r + 1] if f != "zv" else films.zv
                      for f in ("n_lim", "ln_t0", "zs", "zv", "n_lim_al", "ln_xs0", "f_rt")))
        assert potential(one, target[r:r + 1])[0] == phi[r]
