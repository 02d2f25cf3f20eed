"""Sample designs of a study: full-factorial sweeps, Monte Carlo, Sobol (Saltelli) and Morris.

Every design is a pure function of (factors, n, seed): the same seed gives the same
samples on any machine and any executor. Monte Carlo draws the scalar factors by the
inverse CDF of their distributions (scipy.stats) from a NumPy `Generator` (or a scrambled
Sobol / Latin-hypercube sequence from `scipy.stats.qmc`), and the whole feed composition
from the scrap spread model with a child stream of the same seed. Sobol and Morris
designs come from SALib (Herman & Usher 2017): `SALib.sample.sobol.sample`
(Saltelli 2002/2010 scheme, N·(D+2) runs without second-order terms) and
`SALib.sample.morris.sample` (N trajectories, D+1 runs each).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from scipy.stats import qmc

from alref.errors import ConfigError
from alref.materials.scrap import resolve_blend
from alref.study.spec import Factor

KINDS = ("sweep", "mc", "sobol", "morris")
MORRIS_LEVELS = 4  # grid levels of the Morris design (SALib default, Morris 1991)


@dataclass(frozen=True)
class Design:
    """The sample matrix of a study (rows = samples)."""

    kind: str
    names: tuple[str, ...]  # scalar factor keys (columns of `values`)
    values: np.ndarray  # N x len(names)
    feed_elements: tuple[str, ...] = ()
    feed: np.ndarray | None = None  # N x len(feed_elements), wt % of the metal
    problem: dict[str, Any] | None = None  # SALib problem (sobol, morris)

    @property
    def n(self) -> int:
        return int(self.values.shape[0]) if self.values.size or self.feed is None else len(self.feed)

    def row(self, i: int) -> dict[str, Any]:
        """Inputs of sample i: {key: value} (+ the sampled feed composition)."""
        out: dict[str, Any] = {k: float(v) for k, v in zip(self.names, self.values[i], strict=True)}
        if self.feed is not None:
            out["feed.composition"] = {e: float(w) for e, w in
                                       zip(self.feed_elements, self.feed[i], strict=True)}
        return out


def ppf(f: Factor, u: np.ndarray) -> np.ndarray:
    """Values of factor `f` at probabilities u in [0, 1) (inverse CDF)."""
    a = f.args
    if f.dist == "uniform":
        return a[0] + u * (a[1] - a[0])
    if f.dist == "normal":
        return stats.norm.ppf(u, loc=a[0], scale=a[1])
    if f.dist == "triangular":
        return stats.triang.ppf(u, (a[1] - a[0]) / (a[2] - a[0]), loc=a[0], scale=a[2] - a[0])
    if f.dist == "truncnorm":
        lo, hi, mu, sd = a
        return stats.truncnorm.ppf(u, (lo - mu) / sd, (hi - mu) / sd, loc=mu, scale=sd)
    if f.dist == "levels":
        idx = np.minimum((u * len(f.levels)).astype(int), len(f.levels) - 1)
        return np.asarray(f.levels)[idx]
    raise ConfigError("--vary", f"{f.key}: distribution {f.dist} cannot be sampled here")


def _check_n(kind: str, n: int) -> None:
    if n <= 0:
        raise ConfigError("-n", f"number of samples must be > 0, got {n}")
    if kind == "sobol" and n & (n - 1):
        raise ConfigError("-n", f"Sobol (Saltelli) needs a power of 2 base samples, got {n}")
    if kind == "sweep" and n < 2:
        raise ConfigError("-n", "a sweep needs at least 2 levels per parameter")


def salib_problem(factors: Sequence[Factor]) -> dict[str, Any]:
    """SALib problem dict; distributions mapped to SALib's names."""
    names, bounds, dists = [], [], []
    for f in factors:
        if f.dist in ("levels", "scrap_spread"):
            raise ConfigError("--vary", f"{f.key}: Sobol/Morris need a continuous distribution "
                                        "(give a range, or single feed elements)")
        names.append(f.key)
        if f.dist == "uniform":
            bounds.append([f.args[0], f.args[1]])
            dists.append("unif")
        elif f.dist == "normal":
            bounds.append([f.args[0], f.args[1]])
            dists.append("norm")
        elif f.dist == "triangular":
            lo, mode, hi = f.args
            bounds.append([lo, hi, (mode - lo) / (hi - lo)])
            dists.append("triang")
        else:  # truncnorm
            bounds.append(list(f.args))
            dists.append("truncnorm")
    return {"num_vars": len(names), "names": names, "bounds": bounds, "dists": dists}


def make_design(kind: str, factors: Sequence[Factor], n: int, seed: int,
                raw: Mapping[str, Any], sampler: str = "random") -> Design:
    """The sample matrix of a `kind` study (see module docstring); ConfigError on bad input."""
    if kind not in KINDS:
        raise ConfigError("STUDY", f"unknown study kind {kind!r}; expected {', '.join(KINDS)}")
    _check_n(kind, n)
    scalar = [f for f in factors if f.kind != "feed_block"]
    block = [f for f in factors if f.kind == "feed_block"]
    names = tuple(f.key for f in scalar)
    if kind == "sweep":
        if block:
            raise ConfigError("--vary", "feed.composition is random: use it in mc studies")
        grids = [f.levels if f.dist == "levels" else tuple(np.linspace(*f.bounds(), n))
                 for f in scalar]
        values = np.array(list(itertools.product(*grids)), dtype=float).reshape(-1, len(scalar))
        return Design(kind, names, values)
    if kind in ("sobol", "morris"):
        if block:
            raise ConfigError("--vary", "feed.composition is a block: vary feed.composition.<El>")
        problem = salib_problem(scalar)
        if kind == "sobol":
            from SALib.sample import sobol as sobol_sample

            values = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
        else:
            from SALib.sample import morris as morris_sample

            values = morris_sample.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)
        return Design(kind, names, np.asarray(values, float), problem=problem)
    ss = np.random.SeedSequence(seed)
    s_scalar, s_feed = ss.spawn(2)
    if sampler == "random":
        u = np.random.default_rng(s_scalar).random((n, len(scalar)))
    elif sampler in ("lhs", "sobol"):
        eng = (qmc.LatinHypercube(d=max(len(scalar), 1), seed=np.random.default_rng(s_scalar))
               if sampler == "lhs" else
               qmc.Sobol(d=max(len(scalar), 1), scramble=True, seed=np.random.default_rng(s_scalar)))
        u = eng.random(n)[:, : len(scalar)]
    else:
        raise ConfigError("--sampler", f"unknown sampler {sampler!r}; expected random, lhs, sobol")
    values = np.column_stack([ppf(f, u[:, j]) for j, f in enumerate(scalar)]) if scalar else (
        np.zeros((n, 0)))
    feed_el: tuple[str, ...] = ()
    feed = None
    if block:
        feed_el, feed = sample_feed(raw, n, np.random.default_rng(s_feed))
    return Design(kind, names, values, feed_el, feed)


def sample_feed(raw: Mapping[str, Any], n: int, rng: np.random.Generator
                ) -> tuple[tuple[str, ...], np.ndarray]:
    """n metal compositions of the scenario's feed (class or blend) from the spread model.

    A blend mixes independent draws of its classes by their metallic shares, as
    `Blend.sample` does, without building `Composition` objects.
    """
    blend = resolve_blend(raw.get("feed", {}).get("scrap"), "feed.scrap")
    elements = sorted({e for sc, _x in blend.parts for e in sc.elements},
                      key=lambda e: (e != "Al", e))
    out = np.zeros((n, len(elements)))
    shares = blend.metal_shares()
    for sc, _x in blend.parts:
        arr = sc.sample_array(rng, n)
        cols = [elements.index(e) for e in sc.elements]
        out[:, cols] += shares[sc.key] * arr
    if not math.isclose(float(out[0].sum()), 100.0, rel_tol=1e-9):
        out *= 100.0 / out.sum(axis=1, keepdims=True)
    return tuple(elements), out
