"""`Simulation`: a pot's whole cycle (PyBaMM-style: build -> run -> Solution).

A simulation is a pot model (`alref.cell.model.CellModel`: design, operating inputs, bath,
feed), an operating plan (`alref.campaign.protocol.Campaign`), optionally another feed and
an initial state. `run()` steps it through the campaign engine (`alref.campaign.engine`)
as one row with the reference operating-point strategy (re-solved every step) and returns a
`Solution`. Each time step (default 6 h) the engine solves the operating point (voltage
breakdown, CE, pot control and heat balance — the same functions as `alref cell`), reads
the observables, carries out the actions that fall due (charge scrap, tap, drain residue,
correct the bath, add Cu), checks the terminations (product grade, alloy or bath superheat,
sludge capacity, bath limits, density inversion, maximum duration) and integrates the
continuous processes (ion sources and exchange, co-dissolution, Faradaic transfer, pad
oxidation, entrainment, Zn fume, precipitation). Product purity, cycle length and energy
emerge from these balances.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from typing import Any

from alref.campaign.actions import feed_key
from alref.campaign.engine import DAY, Engine, RowSetup
from alref.campaign.operating_point import Resolve, Strategy
from alref.campaign.protocol import Campaign, CampaignSpec, resolve_campaign
from alref.campaign.recorder import MAIN_ELEMENTS
from alref.campaign.results import solution
from alref.campaign.solution import Solution
from alref.campaign.state import PotState
from alref.cell.design import CellDesign
from alref.cell.feed import FeedModel, feed_model
from alref.cell.model import CellModel
from alref.cell.pretreatment import Demag
from alref.citations import track_citations
from alref.errors import ConfigError
from alref.materials.grades import get_grade
from alref.properties import electrolyte
from alref.properties.registry import RangeWarning
from alref.validity import collapse

__all__ = ["DAY", "MAIN_ELEMENTS", "Simulation", "default_campaign_spec"]


class Simulation:
    """A pot (`model`) run through an operating plan (`campaign`: resolved, a spec, or
    None for the default plan) on a scrap `feed` (default: the model's), from an
    `initial_state` (default: the design's fresh inventory). `run()` returns a `Solution`."""

    def __init__(self, model: CellModel, campaign: Campaign | CampaignSpec | None = None,
                 feed: FeedModel | None = None, initial_state: PotState | None = None,
                 scenario_hash: str | None = None) -> None:
        self.model = model
        self.r = model.resolved
        base = model.conditions()  # validates design, bath, alloy, feed
        self.design: CellDesign = base.design
        if self.design.spec.transfer is None:
            raise ConfigError("cell.design", f"design {self.design.name} has no [transfer] data")
        self.bath0 = base.bath_wt
        self.family = base.family
        self.feed: FeedModel = feed if feed is not None else base.feed
        if not isinstance(campaign, Campaign):
            campaign = resolve_campaign(campaign if campaign is not None
                                        else default_campaign_spec(), self.r.current_a)
        self.campaign: Campaign = campaign
        self._initial = initial_state
        self.scenario_hash = scenario_hash or _digest(self.r, self.campaign, self.feed)
        self._feeds: dict[str, FeedModel] = {}
        #: demagging of the feed before charging (`alref.cell.pretreatment`), if any
        self.pretreatment: Demag | None = None
        self._validate_actions()

    @classmethod
    def from_scenario(cls, scenario: Any) -> Simulation:
        """Build the simulation of a validated `alref.scenario.Scenario` (the schema sits
        above this layer, so it is taken by its interface: `campaign`, `digest()`)."""
        sim = cls(CellModel.from_scenario(scenario), scenario.campaign,
                  scenario_hash=scenario.digest())
        sim.pretreatment = scenario.pretreatment() if hasattr(scenario, "pretreatment") else None
        return sim

    # ------------------------------------------------------------------ set-up
    def _validate_actions(self) -> None:
        allowed = electrolyte.families()[self.family].allowed_components
        for a in self.campaign.actions:
            if a.scrap is not None:
                self.feed_for(a.scrap, f"{a.key()}.scrap")
            for salt in a.add_kg or {}:
                if salt not in self.bath0 and salt not in allowed:
                    raise ConfigError(f"{a.key()}.add.{salt}",
                                      f"{salt} is not a component of a {self.family} bath")
        g = self.campaign.termination.product_grade
        if g is not None:
            get_grade(g, key="campaign.termination.product_grade")

    def feed_for(self, scrap: Any, key: str) -> FeedModel:
        """The feed an action charging `scrap` brings (ConfigError naming `key`)."""
        name = feed_key(scrap)
        if name not in self._feeds:
            try:
                self._feeds[name] = feed_model(scrap, self.r.charge_temperature_k)
            except ConfigError as exc:
                raise ConfigError(key, exc.message) from None
        return self._feeds[name]

    def initial_state(self) -> PotState:
        """The state the cycle starts from: the given one, or the design's fresh inventory
        (anode alloy at its Cu content, or the feed's metal where the design's anode is the
        scrap alloy itself; the initial bath, the cathode pad)."""
        if self._initial is not None:
            return self._initial.copy()
        d = self.design
        cu = (self.r.anode_cu_wt_pct if self.r.anode_cu_wt_pct is not None
              else d.spec.inventory.anode_cu_wt_pct)
        anode = {"Al": d.anode_alloy_kg * (100 - cu) / 100, "Cu": d.anode_alloy_kg * cu / 100}
        if d.spec.inventory.anode_from_feed:  # the anode is the scrap alloy itself
            metal = dict(self.feed.metal_wt_pct)
            total = sum(metal.values())
            anode = {el: d.anode_alloy_kg * w / total for el, w in metal.items() if w > 0}
        bath = {k: d.bath_kg * v / 100 for k, v in self.bath0.items()}
        return PotState(0.0, anode, {}, bath, {"Al": d.cathode_metal_kg})

    def row(self, design_op: CellDesign | None = None) -> RowSetup:
        """This simulation as one row of the campaign engine."""
        feeds = {feed_key(a.scrap): self.feed_for(a.scrap, f"{a.key()}.scrap")
                 for a in self.campaign.actions if a.scrap is not None}
        return RowSetup(self.r.name, self.r, self.design, self.family, self.bath0, self.feed,
                        feeds, self.initial_state(), self.campaign, self.scenario_hash,
                        design_op)

    # ------------------------------------------------------------------ run
    def run(self, progress: Callable[[float], None] | None = None,
            strategy: Strategy | None = None) -> Solution:
        """Run the cycle (reference strategy unless given); RangeWarnings of the
        correlations are collected into `summary["warnings"]`, citations into
        `citations`."""
        with track_citations() as tracker, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RangeWarning)
            eng = Engine([self.row()], strategy or Resolve(), series=True,
                         progress=progress).run()
            if not eng.ok[0]:
                raise eng.errors[0]
            sol = solution(eng, 0)
        sol.citations = tracker.sorted_keys()
        notes = [str(w.message) for w in caught if issubclass(w.category, RangeWarning)]
        sol.summary["warnings"] = sorted(collapse(notes))
        if self.pretreatment is not None:
            s = sol.summary
            s["pretreatment"] = self.pretreatment.totals(s["scrap_charged_kg"], s["product_kg"])
        return sol


def _digest(*parts: Any) -> str:
    """Stable hash of the inputs of a simulation built without a scenario."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def default_campaign_spec() -> CampaignSpec:
    """Built-in campaign: default actions and terminations (see `default_actions`)."""
    return CampaignSpec()
