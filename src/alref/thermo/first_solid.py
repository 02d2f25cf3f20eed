"""True liquidus of the anode alloy: the highest temperature at which any solid appears.

The Al-Cu(-X) *matrix* liquidus (primary fcc-Al, theta-Al2Cu, eta, epsilon) is
`alref.thermo.arrays.Liquidus` (COST 507 binary table shifted by the liquid activities).
Every other solid the liquid can deposit is a phase of ``data/thermo/sludge_phases.toml``
(primary Si, Al13Fe4, alpha/beta/delta-AlFeSi, Al6Mn, beta-AlMnSi, Al3Ti, ...): it first
appears where its saturation index SI_p(X, T) = sum_i nu_i ln a_i - ln K_p(T) of the
*whole* alloy composition X crosses zero (`alref.thermo.solubility`; COST 507 liquid
activities, ln K_p fitted to pycalphad equilibria). The true liquidus is the largest of
these temperatures; the phase that sets it is the primary phase.

Checked against full pycalphad equilibria on COST 507 over the campaign's range
(``data/thermo/first_solid_calphad.csv``, ``tests/unit/test_first_solid.py``).

`liquidus_rows(th, W, guess)` is the array form for the campaign engine (rows of wt %
compositions over the element list of the `Thermo` model `th`); `first_solid(comp)` is
the scalar form behind ``alref props alloy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from alref.properties.registry import Correlation, PropertyValue, register
from alref.thermo import arrays
from alref.thermo.activity import normalize_composition
from alref.thermo.alcu_table import alcu_table

#: search window (K) for the temperature at which a sludge phase first appears: from below
#: the Al-Cu-Si ternary eutectic to above any alloy the pot can hold liquid (numerical)
T_MIN_K, T_MAX_K = 750.0, 1900.0
#: half-width (K) of the warm-start bracket around a previous liquidus (numerical)
WARM_K = 5.0
#: names of the Al-Cu matrix phases of the COST 507 binary table, in a fixed order
MATRIX_PHASES = ("FCC_A1", "ALCU_THETA", "ALCU_ETA", "ALCU_EPSILON", "BCC_B2")
#: readable names of the matrix phases
MATRIX_LABELS = {"FCC_A1": "fcc_Al", "ALCU_THETA": "theta_Al2Cu", "ALCU_ETA": "eta_AlCu",
                 "ALCU_EPSILON": "epsilon_AlCu", "BCC_B2": "bcc_AlCu"}


def phase_names(th: arrays.Thermo) -> list[str]:
    """Names indexed by `liquidus_rows`' primary-phase index: the sludge phases of `th`
    (``sludge_phases.toml`` names, e.g. "Si", "Al13Fe4"), then the matrix phases."""
    return [*th.phases, *(MATRIX_LABELS[p] for p in MATRIX_PHASES)]


@lru_cache(maxsize=1)
def _matrix_primary_nodes() -> tuple[np.ndarray, np.ndarray]:
    """(wt % Cu nodes, matrix-phase index of the primary phase at each node)."""
    t = alcu_table()
    idx = np.array([MATRIX_PHASES.index(p) for p in t["primary"]], int)
    return np.asarray(t["wt_pct_cu"], float), idx


def _matrix_primary(th: arrays.Thermo, W: np.ndarray) -> np.ndarray:
    """Matrix primary phase (index into MATRIX_PHASES) of each row from its Cu share."""
    al, cu = W[:, th.idx["Al"]], W[:, th.idx["Cu"]]
    w_star = np.where(al + cu > 0, 100.0 * cu / np.maximum(al + cu, 1e-300), 100.0)
    nodes, prim = _matrix_primary_nodes()
    # the node at or above w* names the phase field w* lies in (fields end at a node)
    k = np.clip(np.searchsorted(nodes, w_star, side="left"), 0, len(nodes) - 1)
    return prim[k]


def _sludge_onsets(th: arrays.Thermo, W: np.ndarray, guess: np.ndarray | None
                   ) -> np.ndarray:
    """Temperature (K, S x P) at which each sludge phase first saturates; -inf if it
    cannot form (an element absent, or undersaturated even at T_MIN_K)."""
    S, P = W.shape[0], len(th.phases)
    out = np.full((S, P), -np.inf)
    if P == 0 or S == 0:
        return out
    X = th.x_of_masses(W)
    present = (X > 0).astype(float) @ (th.nu > 0).T.astype(float)
    can = present >= (th.nu > 0).sum(axis=1)[None, :] - 0.5  # every element of p present
    r, p = np.nonzero(can)
    if r.size == 0:
        return out
    Xr = X[r]

    def si(T: np.ndarray) -> np.ndarray:
        lg = th.ln_gamma_rows(Xr, T)
        lna = np.log(np.where(Xr > 0, Xr, 1.0)) + lg
        return ((lna * th.nu[p]).sum(axis=1)
                - (th.lnk_a[p] + th.lnk_b[p] / T))

    lo = np.full(r.size, T_MIN_K)
    hi = np.full(r.size, T_MAX_K)
    if guess is not None:  # warm start: a bracket around the previous liquidus
        g = np.asarray(guess, float)[r]
        ok = np.isfinite(g)
        lo = np.where(ok, np.maximum(g - WARM_K, T_MIN_K), lo)
        hi = np.where(ok, np.minimum(g + WARM_K, T_MAX_K), hi)
    slo, shi = si(lo), si(hi)
    wide = ~((slo >= 0) & (shi <= 0))  # root not in the warm bracket: search the window
    if wide.any():
        lo, hi = np.where(wide, T_MIN_K, lo), np.where(wide, T_MAX_K, hi)
        slo, shi = si(lo), si(hi)
    root = np.where(shi > 0, T_MAX_K, -np.inf)  # supersaturated even at T_MAX_K: capped
    bracket = (slo >= 0) & (shi <= 0)
    if bracket.any():
        found = arrays.illinois(si, lo, hi, slo, shi, bracket, xtol=1e-3)
        root = np.where(bracket, found, root)
    out[r, p] = root
    return out


def liquidus_rows(th: arrays.Thermo, W: np.ndarray, guess: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """True liquidus (K) and primary-phase index of alloys with wt % W (S x E).

    W's columns follow ``th.el`` (which must include Al and Cu); rows sum to 100.
    `guess` (S,), e.g. the previous step's true liquidus, narrows the root brackets.
    The index refers to `phase_names(th)`: sludge phases first, then the matrix phases.
    """
    W = np.asarray(W, float)
    matrix = arrays.liquidus_model(tuple(th.el)).rows(W, guess)
    onsets = _sludge_onsets(th, W, guess)
    P = len(th.phases)
    best = onsets.argmax(axis=1) if P else np.zeros(W.shape[0], int)
    t_sludge = onsets[np.arange(W.shape[0]), best] if P else np.full(W.shape[0], -np.inf)
    sludge_first = t_sludge > matrix
    t_liq = np.where(sludge_first, t_sludge, matrix)
    primary = np.where(sludge_first, best, P + _matrix_primary(th, W))
    return t_liq, primary


def _first_solid_K(composition: Mapping[str, float], wt_other: float) -> float:
    th, W = _one_row(composition)
    return float(liquidus_rows(th, W)[0][0])


def _one_row(composition: Mapping[str, float]) -> tuple[arrays.Thermo, np.ndarray]:
    els = tuple(sorted({el for el, w in composition.items() if w > 0} | {"Al", "Cu"}))
    th = arrays.model(els)
    return th, np.array([[float(composition.get(el, 0.0)) for el in els]])


first_solid_corr = register(Correlation(
    name="alloy.liquidus.first_solid_cost507",
    quantity="alloy.liquidus",
    unit="K",
    source="cost507",
    locator="max of the Al-Cu matrix liquidus (data/thermo/alloy_liquidus_alcu.toml) and the "
            "saturation temperatures of the sludge phases (data/thermo/sludge_phases.toml, ln K "
            "fitted to pycalphad 0.11.2 COST507.tdb equilibria); checked against "
            "data/thermo/first_solid_calphad.csv",
    func=_first_solid_K,
    validity={"wt_other": (0.0, 25.0)},
    description="True liquidus of the anode alloy (first solid of any phase).",
    families=("Al-Cu",),
))


def first_solid(comp_wt: Mapping[str, float]) -> tuple[PropertyValue, str]:
    """(true liquidus in K, primary phase name) of the alloy `comp_wt` (wt %, Al may be
    the balance). Warns above 25 wt % of solutes other than Al and Cu (the range checked
    against pycalphad)."""
    comp = normalize_composition(comp_wt)
    other = 100.0 - comp.get("Al", 0.0) - comp.get("Cu", 0.0)
    value = first_solid_corr(composition=comp, wt_other=max(other, 0.0))
    th, W = _one_row(comp)
    _t, idx = liquidus_rows(th, W)
    return value, phase_names(th)[int(idx[0])]
