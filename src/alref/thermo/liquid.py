"""The liquid anode alloy (Al-Cu-X) of COST 507: parameters, compositions and ln gamma.

The excess Gibbs energy of the liquid (J per mole of atoms) is the COST 507 Round II
model (Ansara, Dinsdale & Rand 1998): binary Redlich-Kister terms (Redlich & Kister 1948)

    G_ex = sum_{i<j} x_i x_j sum_v L_v^{ij}(T) (x_i - x_j)^v

extended to many components with Muggianu's method (Muggianu et al. 1975: binary terms
evaluated at the actual mole fractions), plus the few ternary liquid parameters in the
file, x_i x_j x_k sum_m L_m v_m with v_m = x_m + (1 - x_i - x_j - x_k)/3.

The reference state of every element is its pure liquid at the same T (supercooled
where the element melts above T), as in domain-physics §5.3; then
a_k = gamma_k x_k and RT ln gamma_k = G_ex + dG_ex/dx_k - sum_j x_j dG_ex/dx_j.

Compositions at the interface are wt % mappings; Al may be omitted (balance).

`LiquidModel.ln_gamma_rows` is the single implementation of ln gamma, over a leading row
axis; the scalar `ln_gamma` calls it with one row, the array core
(`alref.thermo.arrays.Thermo`) and the batch engine with many.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.constants import R as R_GAS

from alref import data
from alref.citations import cite
from alref.errors import ConfigError
from alref.materials.elements import is_element, molar_mass
from alref.properties.registry import RangeWarning

#: references.bib key of the liquid description
SOURCE = "cost507"


@dataclass(frozen=True)
class LiquidParameters:
    """COST 507 liquid: elements in the file, binary and ternary L_v(T) = (a, b, c, d) terms."""

    elements: frozenset[str]
    binary: dict[tuple[str, str], tuple[tuple[int, tuple[float, float, float, float]], ...]]
    ternary: dict[tuple[str, str, str], tuple[tuple[int, tuple[float, float, float, float]], ...]]


@lru_cache(maxsize=1)
def liquid_parameters() -> LiquidParameters:
    """The COST 507 liquid parameters of ``data/thermo/cost507_liquid.toml`` (cached)."""
    raw = data.load("thermo/cost507_liquid")
    binary: dict[tuple[str, ...], list] = {}
    ternary: dict[tuple[str, ...], list] = {}
    for p in raw["parameter"]:
        system = tuple(p["system"].split("-"))
        coef = (float(p["a"]), float(p["b"]), float(p["c"]), float(p["d"]))
        target = binary if len(system) == 2 else ternary
        target.setdefault(system, []).append((int(p["order"]), coef))
    return LiquidParameters(
        frozenset(raw["elements_in_file"]),
        {k: tuple(sorted(v)) for k, v in binary.items()},  # type: ignore[misc]
        {k: tuple(sorted(v)) for k, v in ternary.items()},  # type: ignore[misc]
    )


def liquid_elements() -> frozenset[str]:
    """Elements with a COST 507 liquid description in the shipped parameter file."""
    return liquid_parameters().elements


# ----------------------------------------------------------------- compositions
def normalize_composition(
    comp_wt: Mapping[str, float], *, key: str = "composition"
) -> dict[str, float]:
    """Validate an alloy composition in wt % and return it summing to 100 with Al explicit.

    Al may be omitted (it is then the balance). Negative values, unknown elements and a
    sum above 100.5 wt % raise `ConfigError` naming ``<key>.<El>``. A composition that
    gives Al explicitly is rescaled to 100.
    """
    comp: dict[str, float] = {}
    for el, w in comp_wt.items():
        if not is_element(el):
            raise ConfigError(f"{key}.{el}", f"unknown element {el!r}")
        w = float(w)
        if not math.isfinite(w) or w < 0:
            raise ConfigError(f"{key}.{el}", f"wt % must be a finite non-negative number, got {w}")
        comp[el] = comp.get(el, 0.0) + w
    total = sum(comp.values())
    if total > 100.5:
        worst = max(comp, key=lambda e: comp[e] if e != "Al" else -1.0)
        raise ConfigError(f"{key}.{worst}", f"composition sums to {total:g} wt % (> 100)")
    if "Al" not in comp:
        comp["Al"] = max(100.0 - total, 0.0)
        total = sum(comp.values())
    if total <= 0:
        raise ConfigError(key, "empty composition")
    return {el: 100.0 * w / total for el, w in comp.items()}


def mole_fractions(comp_wt: Mapping[str, float], *, key: str = "composition") -> dict[str, float]:
    """Mole fractions of an alloy given in wt % (Al may be the balance)."""
    comp = normalize_composition(comp_wt, key=key)
    n = {el: w / molar_mass(el) for el, w in comp.items()}
    total = sum(n.values())
    return {el: v / total for el, v in n.items()}


# ============================================================== the array core
class LiquidModel:
    """The COST 507 Redlich-Kister-Muggianu liquid over a fixed element list, for rows of
    compositions (one implementation for scalars and rows)."""

    def __init__(self, elements: Sequence[str]) -> None:
        self.el = list(elements)
        idx = {e: i for i, e in enumerate(self.el)}
        E = len(self.el)
        p = liquid_parameters()
        pairs = [(idx[a], idx[b], terms) for (a, b), terms in p.binary.items()
                 if a in idx and b in idx]
        # pairs by their highest Redlich-Kister order, highest first: the Horner sums of
        # `ln_gamma_rows` then run each order over a leading block of pairs only
        pairs.sort(key=lambda q: -max((o for o, c in q[2] if c != (0, 0, 0, 0)), default=0))
        self.n_order = 1 + max((o for *_ab, terms in pairs for o, _c in terms), default=0)
        self.I = np.array([i for i, _j, _t in pairs], int)
        self.J = np.array([j for _i, j, _t in pairs], int)
        self.cb = np.zeros((len(pairs), self.n_order, 4))
        for k, (_i, _j, terms) in enumerate(pairs):
            for o, c in terms:
                self.cb[k, o] = c
        self.OI, self.OJ = np.zeros((len(pairs), E)), np.zeros((len(pairs), E))
        self.OI[np.arange(len(pairs)), self.I] = 1.0
        self.OJ[np.arange(len(pairs)), self.J] = 1.0
        tern = [(tuple(idx[e] for e in tri), terms) for tri, terms in p.ternary.items()
                if all(e in idx for e in tri)]
        self.T3 = np.array([tri for tri, _t in tern], int).reshape(-1, 3)
        self.ct = np.zeros((len(tern), 3, 4))
        for k, (_tri, terms) in enumerate(tern):
            for o, c in terms:
                self.ct[k, o] = c
            if {o for o, _c in terms} == {0}:  # a lone order-0 parameter applies to all three
                self.ct[k, 1] = self.ct[k, 2] = self.ct[k, 0]
        self.O3 = np.zeros((3, len(tern), E))
        for m in range(3):
            self.O3[m, np.arange(len(tern)), self.T3[:, m]] = 1.0
        self.mm = np.array([molar_mass(e) for e in self.el])
        self.idx = idx
        nonzero = (self.cb != 0).any(axis=2)  # P x O
        self._top = np.array([int(np.nonzero(r)[0].max()) if r.any() else 0 for r in nonzero],
                             int)
        #: pairs with a term of order >= o, for each o (a leading block: pairs are sorted)
        self._count = [int((self._top >= o).sum()) for o in range(self.n_order + 1)]
        self._OIT, self._OJT = self.OI.T.copy(), self.OJ.T.copy()
        self._O3T_all = np.ascontiguousarray(np.concatenate(list(self.O3), axis=0).T)

    def coefficients(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """L(T) = a + bT + cT ln T + dT^2 of every binary
        term (O x S x P), its derivative weights o*L_o (O-1 x S x P) and the ternary terms
        (3 x S x Q), for rows at temperatures T (S,)."""
        T = np.asarray(T, float)
        if T.size > 1 and np.all(T[0] == T):  # one temperature: rows broadcast
            T = T[:1]
        basis = np.stack([np.ones_like(T), T, T * np.log(T), T * T], axis=-1)
        lb = np.einsum("sk,pok->osp", basis, self.cb)  # O x S x P
        lbd = lb[1:] * np.arange(1, self.n_order)[:, None, None]
        lt = np.einsum("sk,qmk->msq", basis, self.ct)  # 3 x S x Q
        return lb, lbd, lt

    def ln_gamma_rows(self, X: np.ndarray, T: np.ndarray, coef: tuple | None = None,
                      present_by_value: bool = True) -> np.ndarray:
        """ln gamma (S x E) of mole fractions X (S x E) at T (S,).

        Ternary terms apply where all three elements are present: by value (x > 0, for
        rows over a fixed element list) or, with `present_by_value=False`, by membership of
        the element list (the scalar `ln_gamma`, where a key with x = 0 asks for
        the infinite-dilution value)."""
        lb, lbd, lt = coef if coef is not None else self.coefficients(T)
        # pairs x rows layout (contiguous pair blocks); Horner sum_v L_v d^v per pair from
        # its highest order down (the same arithmetic as over all orders with zeros above)
        Xt = np.ascontiguousarray(X.T)
        x1, x2 = Xt[self.I], Xt[self.J]
        d = x1 - x2
        P, S = d.shape
        n, cnt, top = self.n_order, self._count, self._top
        lbt = lb.transpose(0, 2, 1)  # O x P x S (S = 1 for one temperature)
        s = np.empty((P, S))
        s[:] = lbt[top, np.arange(P)]
        for o in range(n - 2, -1, -1):
            k = cnt[o + 1]
            s[:k] *= d[:k]
            s[:k] += lbt[o, :k]
        ds = np.zeros((P, S))
        if n > 1 and cnt[1]:
            lbdt = lbd.transpose(0, 2, 1)
            k1 = cnt[1]
            ds[:k1] = lbdt[top[:k1] - 1, np.arange(k1)]
            for o in range(n - 3, -1, -1):
                k = cnt[o + 2]
                ds[:k] *= d[:k]
                ds[:k] += lbdt[o, :k]
        x12 = x1 * x2
        g_ex = (x12 * s).sum(0)
        a = x12 * ds
        grad = self._OIT @ (x2 * s + a) + self._OJT @ (x1 * s - a)  # E x S
        Q = len(self.T3)
        if Q:
            xs = [Xt[self.T3[:, m]] for m in range(3)]  # Q x S each
            on = (((xs[0] > 0) & (xs[1] > 0) & (xs[2] > 0)).astype(float) if present_by_value
                  else np.ones_like(xs[0]))
            ltt = lt.transpose(0, 2, 1)  # 3 x Q x S
            corr = (1.0 - xs[0] - xs[1] - xs[2]) / 3.0
            w = ltt[0] * (xs[0] + corr) + ltt[1] * (xs[1] + corr) + ltt[2] * (xs[2] + corr)
            prod = xs[0] * xs[1] * xs[2]
            g_ex += (prod * w * on).sum(0)
            mean_l = (ltt[0] + ltt[1] + ltt[2]) / 3.0
            c = np.empty((3 * Q, S))
            for m in range(3):
                c[m * Q:(m + 1) * Q] = (xs[(m + 1) % 3] * xs[(m + 2) % 3] * w
                                        + prod * (ltt[m] - mean_l)) * on
            grad += self._O3T_all @ c
        weighted = (Xt * grad).sum(axis=0)
        out = (g_ex[None, :] + grad - weighted[None, :]) / (R_GAS * T[None, :])
        return np.ascontiguousarray(out.T)

    def x_of_masses(self, M: np.ndarray) -> np.ndarray:
        """Mole fractions (S x E) of rows of element masses M (S x E); 0 for empty rows."""
        n = np.maximum(M, 0.0) / self.mm
        tot = n.sum(axis=1, keepdims=True)
        return np.divide(n, tot, out=np.zeros_like(n), where=tot > 0)


@lru_cache(maxsize=256)
def liquid_model(elements: tuple[str, ...]) -> LiquidModel:
    """The liquid model over an element list (cached: built once per list)."""
    return LiquidModel(elements)


# ----------------------------------------------------------------- scalar ln gamma
def ln_gamma(x: Mapping[str, float], T: float) -> dict[str, float]:
    """ln of the activity coefficients (pure-liquid reference) of every key of `x`.

    `x` are mole fractions (keys with 0 give the infinite-dilution value). Pairs without
    a COST 507 liquid parameter mix ideally; a `RangeWarning` names elements without any
    Al-X description.
    """
    if T <= 0:
        raise ConfigError("temperature", f"must be positive (K), got {T}")
    p = liquid_parameters()
    els = list(x)
    missing = [
        e for e in els if e != "Al" and ("Al", e) not in p.binary and (e, "Al") not in p.binary
    ]
    if missing:
        warnings.warn(
            f"no COST 507 liquid Al-X description for {', '.join(missing)}: treated as ideal",
            RangeWarning,
            stacklevel=2,
        )
    cite(SOURCE)
    row = liquid_model(tuple(els)).ln_gamma_rows(
        np.array([[float(x[e]) for e in els]]), np.array([float(T)]), present_by_value=False
    )[0]
    return dict(zip(els, row.tolist(), strict=True))
