"""Composition uncertainty of scrap lots and chance constraints on linear responses.

Every scrap class (or lot with the user's own assay) is one *group*: all tonnes bought of
a group share one composition draw (a conservative choice - lots of one class from one
market are assumed fully correlated; classes are independent, as in
`alref.materials.scrap.Blend.composition_sd`). A response r = r0 + g.(c - c0) of a group's
metal then has variance g' Cov_G g, with Cov_G the covariance of the group's metal
composition under the scrap library's spread model (`ScrapClass.sample_array`; free iron
fixed) or, for assayed elements, the user's sd (independent of the rest).

An individual chance constraint P(sum_j a_j(c) x_j <= b) >= alpha on a response affine in
the compositions is, for a normally distributed left side (normal approximation of a sum
of independent group terms), the second-order-cone constraint

    sum_j abar_j x_j + z_alpha * || (sigma_iG X_G)_G ||_2 <= b,     X_G = sum_{j in G} x_j

(Gaustad, Li & Kirchain 2007 and the MIT line in plant-level-anchors.md §1.3). HiGHS has
no cones, so `alref.optimize.milp` solves it by outer approximation (Kelley cutting planes):
||s * X||_2 >= (s * X*) . (s * X) / ||s * X*||, added at each iterate until the cone is
met within tolerance. The Monte Carlo functions below check the result by sampling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from alref.errors import ConfigError
from alref.materials.scrap import scrap_class

#: draws per group used to estimate the composition covariance (fixed seed: reproducible)
COVARIANCE_DRAWS = 4000
COVARIANCE_SEED = 20260707


def z_value(confidence: float) -> float:
    """Standard-normal quantile of the confidence; 0.5 gives the deterministic problem."""
    if not (isinstance(confidence, int | float) and 0.0 < confidence < 1.0):
        raise ConfigError("--confidence", f"must lie in (0, 1), got {confidence!r}")
    if confidence < 0.5:
        raise ConfigError("--confidence", "chance constraints are convex only for "
                          f"confidence >= 0.5, got {confidence!r}")
    return float(norm.ppf(confidence))


@dataclass(frozen=True)
class Group:
    """Lots sharing one composition draw: a scrap class, or one lot with an assay."""

    key: str
    scrap: str
    assay_mean: dict[str, float]
    assay_sd: dict[str, float]

    def _alpha(self) -> float:
        """Metal-part -> feed-metal scale factor (free iron counted with the metal)."""
        nm = scrap_class(self.scrap).nonmetallic_wt_pct()
        metal_frac = 1.0 - (nm["total"]) / 100.0
        return metal_frac / (metal_frac + nm["free_iron"] / 100.0)

    def sample(self, rng: np.random.Generator, n: int, elements: Sequence[str]) -> np.ndarray:
        """n x len(elements) draws of the group's feed-metal wt % (free iron fixed)."""
        sc = scrap_class(self.scrap)
        arr = sc.sample_array(rng, n)
        els = sc.elements
        nm = sc.nonmetallic_wt_pct()
        alpha = self._alpha()
        out = np.zeros((n, len(elements)))
        for k, el in enumerate(elements):
            col = arr[:, els.index(el)] if el in els else np.zeros(n)
            if el in self.assay_mean:
                sd = self.assay_sd.get(el, 0.0)
                col = np.clip(self.assay_mean[el] + sd * rng.standard_normal(n), 0.0, None)
            out[:, k] = alpha * col
            if el == "Fe":
                out[:, k] += 100.0 * (nm["free_iron"] / 100.0) / (
                    1.0 - nm["total"] / 100.0 + nm["free_iron"] / 100.0)
        return out

    def covariance(self, elements: Sequence[str]) -> np.ndarray:
        key = (self.key, self.scrap, tuple(sorted(self.assay_mean.items())),
               tuple(sorted(self.assay_sd.items())), tuple(elements))
        if key not in _COVARIANCES:
            rng = np.random.default_rng(COVARIANCE_SEED)
            _COVARIANCES[key] = np.atleast_2d(
                np.cov(self.sample(rng, COVARIANCE_DRAWS, elements), rowvar=False))
        return _COVARIANCES[key]


_COVARIANCES: dict[tuple, np.ndarray] = {}


def group_sigmas(groups: Sequence[Group], gradients: Mapping[str, np.ndarray],
                 elements: Sequence[str], metal_yield: Mapping[str, float]) -> dict[str, np.ndarray]:
    """{response: (sigma_G per t of scrap as received) over groups}: yield_G sqrt(g' Cov_G g)."""
    covs = [g.covariance(elements) for g in groups]
    out = {}
    for name, grad in gradients.items():
        out[name] = np.array([
            metal_yield[g.key] * float(np.sqrt(max(grad @ cov @ grad, 0.0)))
            for g, cov in zip(groups, covs, strict=True)
        ])
    return out


def cone_value(sigma: np.ndarray, group_tonnes: np.ndarray) -> float:
    """|| sigma_G X_G ||_2."""
    return float(np.linalg.norm(sigma * group_tonnes))


def cone_cut(sigma: np.ndarray, group_tonnes: np.ndarray) -> np.ndarray | None:
    """Coefficients c with c . X <= ||sigma X|| for all X, tight at `group_tonnes`."""
    v = sigma * group_tonnes
    nv = float(np.linalg.norm(v))
    if nv <= 0.0:
        return None
    return sigma * v / nv
