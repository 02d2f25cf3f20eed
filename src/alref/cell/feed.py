"""`Feed`: the scrap charged into a pot, as one immutable value.

A feed is the mean composition of the metal charged (wt %, free iron counted as Fe), the
non-metallic content of the as-received scrap (wt %: oxide, organics, moisture), the
metal yield (metallic mass fraction of the scrap) and the temperature it is charged at.
Every part of alref passes this one type around: the scenario builds it from a scrap
class or blend (`Feed.from_scrap`), studies from a sampled composition (`Feed.from_parts`),
the blend optimiser mixes lots (`Feed.mix`) and perturbs them (`Feed.with_metal`), and
`Simulation(model, campaign, feed=...)` charges it.

At steady state the scrap charged replaces the Al transferred to the cathode, so the
scrap needed per kg of product is 1/(metal yield × Al fraction of the metal). All of the
charged scrap (metal, oxide, moisture) is heated to the bath temperature, and the metal
melted, with heat taken from the pot (domain-physics §2.5, §8.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from alref.cell.inputs import FrozenMap, frozen_map
from alref.cell.memo import Provenance, recorded
from alref.errors import ConfigError
from alref.materials.scrap import resolve_blend
from alref.properties.thermal import elements as thermal_elements
from alref.properties.thermal import enthalpy_scrap_charge

#: wt % below which an element without heat-capacity data is lumped with Al (its share of
#: the scrap enthalpy is then under ~0.25 %, within the enthalpy data's own uncertainty)
TRACE_WT_PCT = 0.25
NO_PROVENANCE = Provenance()


@dataclass(frozen=True)
class Feed:
    """The scrap charged into a pot (immutable; compositions are read-only mappings).

    Equality and hashing are by value (name, compositions, yield, charge temperature);
    `provenance` (the sources of the scrap data) and the memo of the heat demand are not
    part of the value.
    """

    name: str
    metal_wt_pct: FrozenMap
    nonmetallic_wt_pct: FrozenMap
    metal_yield: float
    charge_temperature_k: float
    provenance: Provenance = field(default=NO_PROVENANCE, compare=False, repr=False)
    _heat: dict[float, tuple[float, Provenance]] = field(
        default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metal_wt_pct", frozen_map(self.metal_wt_pct))
        object.__setattr__(self, "nonmetallic_wt_pct", frozen_map(self.nonmetallic_wt_pct))
        object.__setattr__(self, "metal_yield", float(self.metal_yield))
        object.__setattr__(self, "charge_temperature_k", float(self.charge_temperature_k))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_scrap(cls, scrap: str | Mapping[str, float], charge_temperature_k: float,
                   key: str = "feed.scrap") -> Feed:
        """The mean feed of a scrap class name or a blend table {class: mass share}
        (ConfigError naming `key`); cached per (scrap, charge temperature)."""
        if isinstance(scrap, Mapping):
            items: Any = tuple(scrap.items())
            try:
                hash(items)
            except TypeError:
                feed = _from_scrap(scrap, charge_temperature_k, key)
            else:
                feed = _from_scrap_cached(items, True, float(charge_temperature_k), key)
        elif isinstance(scrap, str):
            feed = _from_scrap_cached(scrap, False, float(charge_temperature_k), key)
        else:
            feed = _from_scrap(scrap, charge_temperature_k, key)
        feed.cite()
        return feed

    @classmethod
    def from_parts(cls, name: str, metal_wt_pct: Mapping[str, float],
                   nonmetallic_wt_pct: Mapping[str, float], charge_temperature_k: float,
                   provenance: Provenance | None = None) -> Feed:
        """Feed from a scrap-metal composition (wt % of the metal part) and the scrap's
        non-metallic content (wt % of the as-received scrap; a ``total`` entry is ignored).

        Free iron (shredder steel) dissolves into the Al-Cu anode alloy, so it is counted
        with the metal as Fe; oxide, organics and moisture are not metal.
        """
        nonmetal = {k: float(v) for k, v in nonmetallic_wt_pct.items() if k != "total"}
        free_fe = nonmetal.pop("free_iron", 0.0)
        metal_frac = 1.0 - sum(nonmetal.values()) / 100.0 - free_fe / 100.0
        masses = {el: float(w) / 100.0 * metal_frac for el, w in metal_wt_pct.items()}
        masses["Fe"] = masses.get("Fe", 0.0) + free_fe / 100.0
        total = sum(masses.values())
        return cls(
            name=name,
            metal_wt_pct={el: 100.0 * m / total for el, m in masses.items()},
            nonmetallic_wt_pct={k: v for k, v in nonmetal.items() if v > 0},
            metal_yield=total,
            charge_temperature_k=charge_temperature_k,
            provenance=provenance or NO_PROVENANCE,
        )

    @classmethod
    def mix(cls, parts: Iterable[tuple[Feed, float]], name: str = "blend") -> Feed:
        """Feeds mixed by as-received mass (kg or t, any common unit); parts of zero mass
        are dropped. The metal compositions mix by metal mass, the non-metallics by scrap
        mass. All parts must be charged at the same temperature."""
        kept = [(f, m) for f, m in parts if m > 0]
        if not kept:
            raise ConfigError("mix", "empty mix")
        temps = {f.charge_temperature_k for f, _m in kept}
        if len(temps) > 1:
            raise ConfigError("mix", "feeds charged at different temperatures cannot be mixed")
        metal = sum(f.metal_yield * m for f, m in kept)
        total = sum(m for _f, m in kept)
        comp: dict[str, float] = {}
        for f, m in kept:
            for el, w in f.metal_wt_pct.items():
                comp[el] = comp.get(el, 0.0) + w * f.metal_yield * m / metal
        nm: dict[str, float] = {}
        for f, m in kept:
            for k, v in f.nonmetallic_wt_pct.items():
                nm[k] = nm.get(k, 0.0) + v * m / total
        keys = tuple(sorted({k for f, _m in kept for k in f.provenance.keys}))
        notes = tuple(sorted({a for f, _m in kept for a in f.provenance.assumptions}))
        return cls(name, comp, nm, metal / total, kept[0][0].charge_temperature_k,
                   Provenance(keys, notes))

    def with_metal(self, metal_wt_pct: Mapping[str, float], name: str | None = None) -> Feed:
        """The same scrap (non-metallics, yield, charge temperature) with another metal
        composition (wt % of the feed metal, free iron included)."""
        return replace(self, name=self.name if name is None else name,
                       metal_wt_pct=frozen_map(metal_wt_pct))

    # ------------------------------------------------------------------ physics
    @property
    def scrap_per_kg_al(self) -> float:
        """kg of scrap charged per kg of Al transferred to the cathode."""
        return 1.0 / (self.metal_yield * self.metal_wt_pct.get("Al", 0.0) / 100.0)

    def heat_per_kg_al(self, bath_temperature_k: float) -> float:
        """J taken from the pot per kg of Al transferred (scrap heated, melted, dried).

        Memoised per bath temperature; the citations and range warnings of the enthalpy
        data are recorded again on every call (`alref.cell.memo`)."""
        hit = self._heat.get(bath_temperature_k)
        if hit is None:
            hit = recorded(lambda: enthalpy_scrap_charge(
                self._thermal_composition(), self.nonmetallic_wt_pct,
                self.charge_temperature_k, bath_temperature_k) * self.scrap_per_kg_al)
            self._heat[bath_temperature_k] = hit
        hit[1].replay()
        return hit[0]

    def cite(self) -> None:
        """Record the sources of the scrap data this feed was built from."""
        self.provenance.replay()

    def _thermal_composition(self) -> dict[str, float]:
        """Metal composition for the enthalpy: trace elements without heat-capacity data
        (each below `TRACE_WT_PCT`) are counted as Al, whose enthalpy dominates anyway."""
        known = thermal_elements()
        out: dict[str, float] = {}
        for el, w in self.metal_wt_pct.items():
            if el not in known and w <= TRACE_WT_PCT:
                el = "Al"
            out[el] = out.get(el, 0.0) + w
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready value (round-trips through `Feed.from_dict`)."""
        return {"name": self.name, "metal_wt_pct": dict(self.metal_wt_pct),
                "nonmetallic_wt_pct": dict(self.nonmetallic_wt_pct),
                "metal_yield": self.metal_yield,
                "charge_temperature_k": self.charge_temperature_k}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Feed:
        """Inverse of `to_dict`."""
        return cls(str(d["name"]), d["metal_wt_pct"], d["nonmetallic_wt_pct"],
                   d["metal_yield"], d["charge_temperature_k"])


def _from_scrap(scrap: Any, charge_temperature_k: float, key: str) -> Feed:
    def build() -> Feed:
        blend = resolve_blend(scrap, key)
        return Feed.from_parts(
            name=scrap if isinstance(scrap, str) else "blend",
            metal_wt_pct=dict(blend.mean_composition()),
            nonmetallic_wt_pct=dict(blend.nonmetallic_wt_pct()),
            charge_temperature_k=charge_temperature_k,
        )

    feed, prov = recorded(build)
    return replace(feed, provenance=prov)


@lru_cache(maxsize=256)
def _from_scrap_cached(scrap: Any, is_blend: bool, charge_temperature_k: float,
                       key: str) -> Feed:
    return _from_scrap(dict(scrap) if is_blend else scrap, charge_temperature_k, key)


#: former names (the feed types before `Feed` replaced them)
FeedModel = Feed


def feed_model(scrap: str | Mapping[str, float], charge_temperature_k: float) -> Feed:
    """`Feed.from_scrap` (former name)."""
    return Feed.from_scrap(scrap, charge_temperature_k)


def feed_from_parts(name: str, metal_wt_pct: Mapping[str, float],
                    nonmetallic_wt_pct: Mapping[str, float], charge_temperature_k: float) -> Feed:
    """`Feed.from_parts` (former name)."""
    return Feed.from_parts(name, metal_wt_pct, nonmetallic_wt_pct, charge_temperature_k)
