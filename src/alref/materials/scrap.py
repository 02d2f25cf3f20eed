"""Scrap classes (ISRI / ReMA codes) with composition distributions, and blends of them.

A class's metallic part is a mix of library alloys (and free metal pieces) with mass shares
(`data/scrap.toml`). Its composition distribution follows from a stated spread model
(`[spread_model]`): alloy shares ~ Dirichlet(kappa * share), every alloy's element contents
uniform over their allowed intervals (`alref.materials.alloys`), independent between alloys;
free-metal fractions uniform within +-h of their mean, independent of the rest.
Mean and standard deviation are computed in closed form; `sample` draws from the same model,
so every draw is physical (non-negative, Al by difference, sums to 100) without truncation.

Non-metallic content (oxide, organics, moisture, free iron) is in wt % of the as-received
scrap; ``metal_yield`` is the metallic mass fraction, 1 - total/100.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError, DataError
from alref.materials.alloys import alloy as get_alloy
from alref.materials.composition import Composition
from alref.materials.elements import is_element

NONMETALLIC_KINDS = ("oxide", "organics", "moisture", "free_iron")
SHARE_SUM_TOLERANCE = 1e-6


@dataclass(frozen=True, eq=False)
class Component:
    """One constituent of a scrap class: an alloy (uniform intervals) or a pure metal."""

    label: str
    kind: str  # "alloy" | "element"
    share: float
    intervals: dict[str, tuple[float, float]]  # non-Al elements -> (lo, hi) wt %
    source: str = ""

    def mean(self) -> dict[str, float]:
        out = {el: 0.5 * (lo + hi) for el, (lo, hi) in self.intervals.items()}
        out["Al"] = 100.0 - math.fsum(out.values())
        return out


def _component(label: str, share: float) -> Component:
    if is_element(label):
        iv = {} if label == "Al" else {label: (100.0, 100.0)}
        return Component(label, "element", share, iv)
    a = get_alloy(label, key=f"scrap.mix.{label}")
    return Component(a.name, "alloy", share, dict(a.intervals), a.source)


@dataclass(frozen=True, eq=False)
class ScrapClass:
    """An ISRI scrap class with its assumed make-up and composition distribution."""

    key: str
    name: str
    isri_code: str
    aliases: tuple[str, ...]
    description: str
    source: str
    locator: str
    components: tuple[Component, ...]
    mix_assumption: str
    nonmetallic: dict[str, float]
    nonmetallic_assumption: str
    limits: dict[str, dict[str, Any]]  # table name -> {source, locator, values}
    concentration: float
    free_half_width: float

    # ------------------------------------------------------------------ moments
    @cached_property
    def elements(self) -> tuple[str, ...]:
        means = self._mean_vector_dict
        return tuple(sorted(means, key=lambda el: (el != "Al", -means[el], el)))

    @cached_property
    def _mean_vector_dict(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for c in self.components:
            for el, w in c.mean().items():
                out[el] = out.get(el, 0.0) + c.share * w
        return out

    def _matrices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Alloy shares s (renormalised to the alloy part), alloy means, lo, hi (K x E),
        and the free-metal mean fractions m (E,) of the metallic part."""
        els = self.elements
        alloys = [c for c in self.components if c.kind == "alloy"]
        m = np.zeros(len(els))
        for c in self.components:
            if c.kind == "element":
                m[els.index(c.label)] += c.share
        s = np.array([c.share for c in alloys]) / max(1.0 - m.sum(), 1e-300)
        lo = np.zeros((len(alloys), len(els)))
        hi = np.zeros_like(lo)
        for k, c in enumerate(alloys):
            for j, el in enumerate(els):
                if el in c.intervals:
                    lo[k, j], hi[k, j] = c.intervals[el]
        al = els.index("Al")
        mean = 0.5 * (lo + hi)
        mean[:, al] = 100.0 - (mean.sum(axis=1) - mean[:, al])
        return s, mean, lo, hi, m

    def mean_composition(self) -> Composition:
        """Mean composition of the metallic part (wt %)."""
        self._cite()
        return Composition.from_wt_pct(
            {el: w for el, w in self._mean_vector_dict.items() if el != "Al"},
            key=f"scrap.{self.key}",
        )

    def composition_sd(self) -> dict[str, float]:
        """Standard deviation (wt %) of each element under the spread model (closed form).

        Metal X = G * Y + 100 f, with Y the alloy part (Dirichlet shares x uniform contents),
        f the free-metal fractions (uniform, independent) and G = 1 - sum(f).
        """
        s, mean, lo, hi, m = self._matrices()
        al = self.elements.index("Al")
        var_c = (hi - lo) ** 2 / 12.0
        var_c[:, al] = var_c.sum(axis=1) - var_c[:, al]  # Al = 100 - sum of the others
        kappa = self.concentration
        e_w2 = s * (1.0 - s) / (kappa + 1.0) + s**2
        cov_w = (np.diag(s) - np.outer(s, s)) / (kappa + 1.0)
        mu_y = s @ mean
        var_y = e_w2 @ var_c + np.einsum("ke,kj,je->e", mean, cov_w, mean)
        v_f = (self.free_half_width * m) ** 2 / 3.0  # variance of U(m(1-h), m(1+h))
        e_g, var_g = 1.0 - m.sum(), v_f.sum()
        var = var_g * var_y + var_g * mu_y**2 + e_g**2 * var_y + 1e4 * v_f - 200.0 * mu_y * v_f
        return {el: float(math.sqrt(max(v, 0.0))) for el, v in zip(self.elements, var, strict=True)}

    def composition_stats(self) -> dict[str, dict[str, float]]:
        """{El: {"mean": wt %, "sd": wt %}} for every element present."""
        mean = self.mean_composition()
        sd = self.composition_sd()
        return {el: {"mean": mean.wt_pct(el), "sd": sd[el]} for el in self.elements}

    # ------------------------------------------------------------------ sampling
    def sample_array(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n x E array of sampled compositions (columns in `elements` order, rows sum to 100)."""
        if n < 1:
            raise ConfigError("n", "number of samples must be >= 1")
        s, _mean, lo, hi, m = self._matrices()
        al = self.elements.index("Al")
        w = rng.dirichlet(self.concentration * s, size=n) if len(s) > 1 else np.ones((n, 1))
        c = lo[None, :, :] + (hi - lo)[None, :, :] * rng.random((n, len(s), len(self.elements)))
        c[:, :, al] = 0.0
        c[:, :, al] = 100.0 - c.sum(axis=2)
        y = np.einsum("nk,nke->ne", w, c)
        f = m[None, :] * (1.0 + self.free_half_width * (2.0 * rng.random((n, len(m))) - 1.0))
        return (1.0 - f.sum(axis=1, keepdims=True)) * y + 100.0 * f

    def sample(self, rng: np.random.Generator, n: int) -> list[Composition]:
        """n compositions of the metallic part drawn from the spread model."""
        self._cite()
        arr = self.sample_array(rng, n)
        els = self.elements
        return [Composition({el: float(v) for el, v in zip(els, row, strict=True)}) for row in arr]

    # ------------------------------------------------------------------ non-metallics
    def nonmetallic_wt_pct(self) -> dict[str, float]:
        """oxide, organics, moisture, free_iron and total, wt % of the as-received scrap."""
        out = {k: self.nonmetallic.get(k, 0.0) for k in NONMETALLIC_KINDS}
        out["total"] = math.fsum(out.values())
        return out

    @property
    def metal_yield(self) -> float:
        """Metallic mass fraction of the as-received scrap (0..1)."""
        return 1.0 - self.nonmetallic_wt_pct()["total"] / 100.0

    # ------------------------------------------------------------------ provenance
    def sources(self) -> list[str]:
        keys = {self.source}
        keys |= {c.source for c in self.components if c.source}
        keys |= {lim["source"] for lim in self.limits.values()}
        return sorted(keys)

    def _cite(self) -> None:
        cite(*self.sources())
        note_assumption(f"scrap.{self.key}.mix")
        note_assumption("scrap.spread_model")

    def alloy_mix(self) -> list[dict[str, Any]]:
        return [{"component": c.label, "kind": c.kind, "share": c.share} for c in self.components]


# ---------------------------------------------------------------------- library
def _limits(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for table in ("isri_limits", "gost_limits", "market"):
        if table in raw:
            t = raw[table]
            values = {k: float(v) for k, v in t.items() if k not in ("source", "locator")}
            out[table] = {"source": t["source"], "locator": t["locator"], "values": values}
    return out


def _build(key: str, raw: dict[str, Any], kappa: float, half_width: float) -> ScrapClass:
    mix = {str(k): float(v) for k, v in raw["mix"].items() if k != "assumption"}
    total = math.fsum(mix.values())
    if abs(total - 1.0) > SHARE_SUM_TOLERANCE or min(mix.values()) <= 0.0:
        raise DataError(
            f"scrap.toml: class {key}: mix shares must be > 0 and sum to 1 (got {total})"
        )
    if all(is_element(label) for label in mix):
        raise DataError(f"scrap.toml: class {key}: the mix needs at least one alloy")
    nm = raw["nonmetallic"]
    return ScrapClass(
        key=key,
        name=str(raw["name"]),
        isri_code=str(raw["isri_code"]),
        aliases=tuple(raw.get("aliases", ())),
        description=str(raw["description"]),
        source=str(raw["source"]),
        locator=str(raw["locator"]),
        components=tuple(_component(label, share) for label, share in mix.items()),
        mix_assumption=str(raw["mix"]["assumption"]),
        nonmetallic={k: float(nm.get(k, 0.0)) for k in NONMETALLIC_KINDS},
        nonmetallic_assumption=str(nm.get("assumption", "")),
        limits=_limits(raw),
        concentration=kappa,
        free_half_width=half_width,
    )


@lru_cache(maxsize=1)
def _library() -> dict[str, ScrapClass]:
    raw = data.load("scrap")
    kappa = float(raw["spread_model"]["share_concentration"])
    half = float(raw["spread_model"]["free_metal_half_width"])
    return {str(k): _build(str(k), v, kappa, half) for k, v in raw["class"].items()}


def _norm(label: str) -> str:
    return " ".join(label.strip().lower().replace("_", " ").replace("-", " ").split())


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for key, sc in _library().items():
        for label in (key, sc.name, sc.isri_code, *sc.aliases, *sc.isri_code.split("/")):
            idx.setdefault(_norm(label), key)
    return idx


def scrap_classes() -> dict[str, ScrapClass]:
    """All scrap classes, by key."""
    return dict(_library())


ALLOY_PREFIX = "alloy:"


def scrap_class(name: str, key: str = "scrap") -> ScrapClass:
    """Look up a class by key, ISRI code or alias (case-insensitive; 'ubc' -> Talc).

    ``"alloy:<name>"`` (e.g. ``"alloy:7075"``) is a clean, sorted feed of one alloy from the
    alloy library — laboratory anodes and segregated process scrap.
    """
    text = str(name)
    if text.lower().startswith(ALLOY_PREFIX):
        return alloy_feed(text[len(ALLOY_PREFIX):], key=key)
    try:
        return _library()[_index()[_norm(text)]]
    except KeyError:
        raise ConfigError(key, f"unknown scrap class {name!r}") from None


@lru_cache(maxsize=64)
def _alloy_feed(alloy_name: str) -> ScrapClass:
    comp = _component(alloy_name, 1.0)
    raw = data.load("scrap")
    a = get_alloy(alloy_name)
    return ScrapClass(
        key=f"{ALLOY_PREFIX}{a.name}",
        name=f"sorted {a.name} alloy",
        isri_code="-",
        aliases=(),
        description=f"Clean sorted feed of alloy {a.name} (composition within its registered limits)",
        source=a.source,
        locator=a.locator,
        components=(comp,),
        mix_assumption="a single alloy: its registered composition intervals",
        nonmetallic={k: 0.0 for k in NONMETALLIC_KINDS},
        nonmetallic_assumption="clean sorted alloy (laboratory anodes, segregated process scrap): "
                               "no oxide, organics, moisture or free iron",
        limits={},
        concentration=float(raw["spread_model"]["share_concentration"]),
        free_half_width=float(raw["spread_model"]["free_metal_half_width"]),
    )


def alloy_feed(alloy_name: str, key: str = "scrap") -> ScrapClass:
    """A clean feed of one library alloy (see `scrap_class` with the ``alloy:`` prefix)."""
    try:
        return _alloy_feed(get_alloy(alloy_name, key=key).name)
    except ConfigError as exc:
        raise ConfigError(key, f"unknown alloy {alloy_name!r} ({exc.message})") from None


def spread_model() -> str:
    return str(data.load("scrap")["spread_model"]["assumption"])


# ---------------------------------------------------------------------- blends
@dataclass(frozen=True)
class Blend:
    """Scrap classes with as-received mass shares summing to 1: the composition
    distribution of a purchase (mean, spread, draws); a pot charges `alref.cell.feed.Feed`."""

    parts: tuple[tuple[ScrapClass, float], ...]

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, float], key: str = "feed.scrap") -> Blend:
        """Shares must be finite, >= 0 and sum to 1 within 1e-6 (no silent normalisation)."""
        if not isinstance(mapping, Mapping) or not mapping:
            raise ConfigError(key, "expected a non-empty table of scrap class = mass share")
        parts: dict[str, tuple[ScrapClass, float]] = {}
        for name, share in mapping.items():
            sc = scrap_class(str(name), key=f"{key}.{name}")
            try:
                x = float(share)
            except (TypeError, ValueError):
                raise ConfigError(f"{key}.{name}", f"{share!r} is not a number") from None
            if not math.isfinite(x) or x < 0.0:
                raise ConfigError(f"{key}.{name}", f"share must be finite and >= 0, got {share!r}")
            prev = parts.get(sc.key, (sc, 0.0))[1]
            parts[sc.key] = (sc, prev + x)
        total = math.fsum(x for _sc, x in parts.values())
        if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            raise ConfigError(key, f"shares sum to {total:.6g}, not 1")
        return cls(tuple((sc, x) for sc, x in parts.values() if x > 0.0))

    @property
    def metal_yield(self) -> float:
        """Metallic mass fraction of the blended as-received scrap."""
        return math.fsum(x * sc.metal_yield for sc, x in self.parts)

    def metal_shares(self) -> dict[str, float]:
        """Share of each class in the metallic part (weights share x metal_yield)."""
        y = self.metal_yield
        return {sc.key: x * sc.metal_yield / y for sc, x in self.parts}

    def mean_composition(self) -> Composition:
        """Mean composition of the blended metal (metallic masses mixed)."""
        return Composition.mix(
            [(sc.mean_composition(), x * sc.metal_yield) for sc, x in self.parts]
        )

    def composition_sd(self) -> dict[str, float]:
        """SD of the blended metal, classes independent: sd^2 = sum (metal share)^2 sd_i^2."""
        ms = self.metal_shares()
        var: dict[str, float] = {}
        for sc, _x in self.parts:
            for el, sd in sc.composition_sd().items():
                var[el] = var.get(el, 0.0) + (ms[sc.key] * sd) ** 2
        return {el: math.sqrt(v) for el, v in var.items()}

    def nonmetallic_wt_pct(self) -> dict[str, float]:
        """Non-metallic content of the blend, wt % of the as-received scrap, with total."""
        out = {k: 0.0 for k in (*NONMETALLIC_KINDS, "total")}
        for sc, x in self.parts:
            for k, v in sc.nonmetallic_wt_pct().items():
                out[k] += x * v
        return out

    def sample(self, rng: np.random.Generator, n: int) -> list[Composition]:
        """n blended metal compositions, each class sampled independently."""
        draws = [(sc.sample(rng, n), x * sc.metal_yield) for sc, x in self.parts]
        return [Composition.mix([(d[i], m) for d, m in draws]) for i in range(n)]

    def as_mapping(self) -> dict[str, float]:
        return {sc.key: x for sc, x in self.parts}


def resolve_blend(value: object, key: str = "feed.scrap") -> Blend:
    """A scrap class name or a table of class shares -> Blend (the composition
    distribution of the scrap; the charged feed value is `alref.cell.feed.Feed`)."""
    if isinstance(value, str):
        return Blend(((scrap_class(value, key=key), 1.0),))
    if isinstance(value, Mapping):
        return Blend.from_mapping(value, key=key)
    raise ConfigError(key, "expected a scrap class name or a table of class = mass share")


resolve_feed = resolve_blend  # former name
