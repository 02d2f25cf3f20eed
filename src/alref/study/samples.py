"""Build one `Simulation` per sample from the immutable base scenario and domain objects.

A sample is ``{key: value}``: scenario keys (``cell.current``, ``cell.acd``,
``cell.parameters.<design path>``, ``electrolyte.composition.AlF3``...; bare numbers in
the unit the schema declares) and the feed composition (``feed.composition`` as a whole
table, or single elements ``feed.composition.<El>`` with Al by balance).

The scenario keys make a validated variant, ``base.derive(row)``; the feed composition
makes a `Feed` (`Feed.from_parts`: the sampled metal with the scrap's non-metallic
content). The sample's simulation is then ``Simulation(CellModel(...), campaign,
feed=feed)`` from domain objects that are cached where they are immutable: the design
per (name, parameters, scale), the bath and the scenario's feed per value
(`alref.scenario`), the base model for samples that vary only the feed, and the base
plan's resolution (only its current changes with ``cell.current``). Nothing is copied
from another simulation or patched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from alref.campaign.protocol import Campaign
from alref.campaign.simulation import Simulation
from alref.cell.feed import Feed
from alref.cell.model import CellModel
from alref.errors import AlrefError, ConfigError
from alref.materials.scrap import resolve_blend
from alref.scenario import Scenario, from_raw
from alref.study.spec import FEED_BLOCK


class SampleBuilder:
    """Turns sample inputs {key: value} into ready-to-run `Simulation`s."""

    def __init__(self, base: Mapping[str, Any] | Scenario) -> None:
        self.base = (base if isinstance(base, Scenario) else from_raw(dict(base))).check()
        self.model = CellModel.from_scenario(self.base)
        self.digest = self.base.digest()
        blend = resolve_blend(self.base.feed.scrap, "feed.scrap")
        self.feed_mean = dict(blend.mean_composition())
        self.nonmetallic = dict(blend.nonmetallic_wt_pct())
        base_sim = Simulation(self.model, self.base.campaign, scenario_hash=self.digest)
        self._base_campaign: Campaign = base_sim.campaign
        self._swap_ok: bool | None = None

    def scenario(self, inputs: Mapping[str, Any]) -> Scenario:
        """The sample's scenario: the base with the sample's scenario keys (validated)."""
        changes = {k: v for k, v in inputs.items()
                   if k != FEED_BLOCK and not k.startswith(FEED_BLOCK + ".")}
        return self.base.derive(changes) if changes else self.base

    def feed(self, inputs: Mapping[str, Any], charge_temperature_k: float) -> Feed | None:
        """The sample's feed, or None when the feed is not varied."""
        comp: dict[str, float] | None = None
        if FEED_BLOCK in inputs:
            comp = dict(inputs[FEED_BLOCK])
        elements = {k.split(".", 2)[2]: v for k, v in inputs.items()
                    if k.startswith(FEED_BLOCK + ".")}
        if elements:
            comp = dict(self.feed_mean)
            comp.update(elements)
            comp["Al"] = 100.0 - sum(v for e, v in comp.items() if e != "Al")
        if comp is None:
            return None
        for el, w in comp.items():
            if not w >= 0:
                raise ConfigError(f"{FEED_BLOCK}.{el}", f"negative wt % {w:.4g}")
        return Feed.from_parts(self.model.feed.name + "-sample", comp, self.nonmetallic,
                               charge_temperature_k)

    def build(self, inputs: Mapping[str, Any]) -> Simulation:
        """A fresh simulation for one sample (ConfigError naming the key if invalid)."""
        sc = self.scenario(inputs)
        model = self.model if sc is self.base else CellModel.from_scenario(sc)
        feed = self.feed(inputs, model.inputs.charge_temperature_k)
        digest = self.digest if sc is self.base else sc.digest()
        same_plan = sc.campaign is self.base.campaign
        known = self._campaign_at(model.inputs.current_a) if same_plan else None
        sim = Simulation(model, known if known is not None else sc.campaign, feed=feed,
                         scenario_hash=digest)
        if same_plan and known is None:
            self._learn(sim.campaign)
        return sim

    def _campaign_at(self, current_a: float) -> Campaign | None:
        """The base plan resolved at `current_a` without resolving it again, if known.

        A plan without a current profile runs at the model's current throughout, so its
        resolutions differ only in the profile. That is checked on the first resolution
        at another current (`_learn`) before profiles are swapped."""
        base = self._base_campaign
        if base.profile == ((0.0, current_a),):
            return base
        return replace(base, profile=((0.0, current_a),)) if self._swap_ok else None

    def _learn(self, resolved: Campaign) -> None:
        if self._swap_ok is None:
            base = self._base_campaign
            current = resolved.profile[0][1]
            self._swap_ok = (len(base.profile) == 1 and resolved.profile == ((0.0, current),)
                             and replace(base, profile=resolved.profile) == resolved)


@lru_cache(maxsize=4)
def _builder(raw_json: str) -> SampleBuilder:
    return SampleBuilder(json.loads(raw_json))


def builder_for(raw_json: str) -> SampleBuilder:
    """Per-process cache of builders (workers build the base scenario's objects once)."""
    return _builder(raw_json)


def try_build(builder: SampleBuilder, inputs: Mapping[str, Any]) -> Simulation | str:
    """The simulation, or the reason the sample cannot be built."""
    try:
        return builder.build(inputs)
    except AlrefError as exc:
        return str(exc)
