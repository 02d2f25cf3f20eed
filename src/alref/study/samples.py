"""Build one `Simulation` per sample, fresh from the immutable base scenario.

For each sample the raw scenario table is copied, the sample's values are written at
their dotted keys (design parameters under ``cell.parameters``) and the result validated
into a new `Scenario`. When only design parameters and the feed vary, the expensive part
of `Simulation.__init__` (unit parsing of the scenario and the campaign) is the same for
every sample, so the sample's `Simulation` is a shallow copy of a base one with its own
scenario, resolved scenario, design and feed (all immutable, or rebuilt per sample; the
mutable per-run caches are reset). Any other key goes through `Simulation(scenario)`.

Feed composition (until the scenario has a key for it, see the report): the sampled
metal composition becomes a `FeedModel` via `alref.cell.feed.feed_from_parts` with the
scrap's non-metallic content, set as the simulation's `feed` before `run()`.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from alref.campaign.simulation import Simulation
from alref.cell.design import load_design
from alref.cell.feed import FeedModel, feed_from_parts
from alref.errors import AlrefError, ConfigError
from alref.materials.scrap import resolve_feed
from alref.scenario import from_raw
from alref.study.spec import QUANTITY_KEYS


def _set(raw: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = raw
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


class SampleBuilder:
    """Turns sample inputs {key: value} into ready-to-run `Simulation`s."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = copy.deepcopy(dict(raw))
        self.base = Simulation.from_scenario(from_raw(self.raw))
        blend = resolve_feed(self.raw["feed"]["scrap"], "feed.scrap")
        self.feed_mean = dict(blend.mean_composition())
        self.nonmetallic = dict(blend.nonmetallic_wt_pct())

    def feed(self, inputs: Mapping[str, Any]) -> FeedModel | None:
        """The sample's feed, or None when the feed is not varied."""
        comp: dict[str, float] | None = None
        if "feed.composition" in inputs:
            comp = dict(inputs["feed.composition"])
        elements = {k.split(".", 2)[2]: v for k, v in inputs.items()
                    if k.startswith("feed.composition.")}
        if elements:
            comp = dict(self.feed_mean)
            comp.update(elements)
            comp["Al"] = 100.0 - sum(v for e, v in comp.items() if e != "Al")
        if comp is None:
            return None
        for el, w in comp.items():
            if not w >= 0:
                raise ConfigError(f"feed.composition.{el}", f"negative wt % {w:.4g}")
        return feed_from_parts(self.base.feed.name + "-sample", comp, self.nonmetallic,
                               self.base.r.charge_temperature_k)

    def build(self, inputs: Mapping[str, Any]) -> Simulation:
        """A fresh simulation for one sample (ConfigError naming the key if invalid)."""
        raw = copy.deepcopy(self.raw)
        params = dict(raw.get("cell", {}).get("parameters", {}))
        fast = True
        for key, value in inputs.items():
            if key.startswith("feed.composition"):
                continue
            if key.startswith("cell.parameters."):
                params[key.split(".", 2)[2]] = value
            else:
                fast = False
                unit = QUANTITY_KEYS.get(key)
                _set(raw, key, f"{value!r} {unit}" if unit else value)
        if params:
            raw.setdefault("cell", {})["parameters"] = params
        scenario = from_raw(raw)
        feed = self.feed(inputs)
        if fast:
            sim = copy.copy(self.base)
            sim.scenario_hash = scenario.digest()
            sim.r = dataclasses.replace(self.base.r, design_parameters=params)
            design = load_design(sim.r.design, parameters=params)
            sim.design = design.scaled(sim.r.scale_to_a) if sim.r.scale_to_a else design
            _check_limits(sim)
            sim._feeds = {}
            sim._matrix_liquidus = (-1, 0.0)
        else:
            sim = Simulation.from_scenario(scenario)
        if feed is not None:
            sim.feed = feed
        return sim


def _check_limits(sim: Simulation) -> None:
    """The design-limit checks of `CellModel.conditions` that a parameter can change."""
    pc, r = sim.design.spec.pot_control, sim.r
    if not pc.acd_min_m - 1e-12 <= r.acd_m <= pc.acd_max_m + 1e-12:
        raise ConfigError("cell.acd", f"{r.acd_m * 100:.3g} cm is outside the design limits")
    if r.temperature_k > pc.temperature_max_k + 1e-9:
        raise ConfigError("cell.temperature", "above the design maximum")
    if sim.design.spec.transfer is None:
        raise ConfigError("cell.design", "design has no [transfer] data")


@lru_cache(maxsize=4)
def _builder(raw_json: str) -> SampleBuilder:
    import json

    return SampleBuilder(json.loads(raw_json))


def builder_for(raw_json: str) -> SampleBuilder:
    """Per-process cache of builders (workers build the base simulation once)."""
    return _builder(raw_json)


def try_build(builder: SampleBuilder, inputs: Mapping[str, Any]) -> Simulation | str:
    """The simulation, or the reason the sample cannot be built."""
    try:
        return builder.build(inputs)
    except AlrefError as exc:
        return str(exc)
