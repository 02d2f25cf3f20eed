"""Domain objects in: Scenario.derive, schema-declared units, CellModel from domain
objects, the one Feed value type, and the study's per-sample build."""

from __future__ import annotations

import copy
import dataclasses
import json
import pathlib
import pickle
import re
import typing

import numpy as np
import pytest
from pydantic import BaseModel

from alref.campaign.protocol import CampaignSpec
from alref.campaign.simulation import Simulation
from alref.cell.design import load_design
from alref.cell.feed import Feed, FeedModel, feed_from_parts, feed_model
from alref.cell.inputs import Bath, OperatingInputs
from alref.cell.model import CellModel
from alref.errors import ConfigError
from alref.materials.scrap import scrap_class
from alref.scenario import (
    Scenario,
    apply_overrides,
    from_raw,
    load_raw,
    load_scenario,
    quantity_keys,
)
from alref.study.samples import SampleBuilder
from alref.study.spec import nominal_value
from alref.units import to_si

BASE = "rusal-3ka-twitch"
SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "alref"


@pytest.fixture(scope="module")
def base() -> Scenario:
    return Scenario.preset(BASE)


# ---------------------------------------------------------------------- derive
def test_derive_makes_a_validated_variant_and_leaves_the_base(base: Scenario) -> None:
    before = base.digest()
    d = base.derive({"cell.current": "3.3 kA", "feed.scrap": {"twitch": 0.7, "zorba": 0.3},
                     "cell.parameters.transfer.entrainment_kg_per_a_s": 5e-11})
    assert d.inputs().current_a == pytest.approx(3300.0)
    assert d.feed.scrap == {"twitch": 0.7, "zorba": 0.3}
    # a design path with dots is one entry of cell.parameters, applied to the design
    assert d.cell.parameters == {"transfer.entrainment_kg_per_a_s": 5e-11}
    assert d.cell_design().spec.transfer.entrainment_kg_per_a_s == 5e-11
    assert base.cell_design().spec.transfer.entrainment_kg_per_a_s != 5e-11
    assert base.digest() == before and base.inputs().current_a == pytest.approx(3000.0)
    assert d.electrolyte is base.electrolyte  # untouched sections are shared, not copied
    assert d.digest() != before


def test_derive_equals_set_overrides_and_raw_overrides(base: Scenario) -> None:
    """`--set` (TOML values), `derive` (Python values) and raw-table overrides agree."""
    d = base.derive({"cell.current": "3.3 kA", "feed.scrap": {"twitch": 0.7, "zorba": 0.3}})
    s = load_scenario(BASE, ['cell.current="3.3 kA"', "feed.scrap={twitch=0.7, zorba=0.3}"])
    r = from_raw(apply_overrides(load_raw(BASE), ['cell.current="3.3 kA"',
                                                  "feed.scrap={twitch=0.7, zorba=0.3}"]))
    assert d == s == r
    assert d.digest() == s.digest() == r.digest()


@pytest.mark.parametrize(("key", "bare", "text"), [
    ("cell.current", 3300, "3.3 kA"),
    ("cell.temperature", 820.5, "820.5 degC"),
    ("cell.acd", 2.5, "25 mm"),
    ("cell.ambient_temperature", 30, "303.15 K"),
    ("feed.charge_temperature", 120, "120 degC"),
])
def test_bare_number_is_taken_in_the_declared_unit(base: Scenario, key: str, bare: float,
                                                   text: str) -> None:
    a, b = base.derive({key: bare}).inputs(), base.derive({key: text}).inputs()
    assert a != base.inputs()
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert x == (pytest.approx(y, rel=1e-12) if isinstance(x, float) else y), f.name


def test_bare_number_in_a_campaign_key(base: Scenario) -> None:
    a = Simulation.from_scenario(base.derive({"campaign.time_step": 4})).campaign
    b = Simulation.from_scenario(base.derive({"campaign.time_step": "240 min"})).campaign
    assert a.time_step_s == b.time_step_s == pytest.approx(4 * 3600.0)


@pytest.mark.parametrize(("changes", "key"), [
    ({"cell.current": "3 kg"}, "cell.current"),
    ({"cell.current": -3000}, "cell.current"),
    ({"cell.acd": "thin"}, "cell.acd"),
    ({"cell.bogus": 1}, "cell.bogus"),
    ({"nonsense.key": 1}, "nonsense"),
    ({"cell.pot_control": "manual"}, "cell.pot_control"),
    ({"cell.scale_to": "0 A"}, "cell.scale_to"),
    ({"cell.design": "no-such-pot"}, "cell.design"),
    ({"cell.parameters.transfer.nope": 1.0}, "cell.parameters.transfer.nope"),
    ({"electrolyte.composition.NaF": -5}, "electrolyte.composition.NaF"),
    ({"electrolyte.composition.Unobtainium": 1}, "electrolyte.composition.Unobtainium"),
    ({"feed.scrap": {"twitch": 0.5}}, "feed.scrap"),
    ({"feed.scrap": "nonesuch"}, "feed.scrap"),
    ({"feed.scrap.twitch": 0.5}, "feed.scrap"),  # a class name is not a table
    ({"feed.charge_temperature": "2000 degC"}, "feed.charge_temperature"),
    ({"feed.anode_cu_wt_pct": 120}, "feed.anode_cu_wt_pct"),
    ({"campaign.time_step": "1 s"}, "campaign.time_step"),
    ({"campaign.actions": [{"kind": "tap"}]}, "campaign.actions[0]"),
])
def test_derive_errors_name_the_key(base: Scenario, changes: dict, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        base.derive(changes)
    assert exc.value.key == key, str(exc.value)


def test_derive_follows_lists_by_index(base: Scenario) -> None:
    plan = base.derive({"campaign.actions": [{"kind": "tap", "every": "1 d"}]})
    assert Simulation.from_scenario(plan).campaign.actions[0].every_s == pytest.approx(86400.0)
    two = plan.derive({"campaign.actions.0.every": 2})  # bare number in d (declared unit)
    assert Simulation.from_scenario(two).campaign.actions[0].every_s == pytest.approx(2 * 86400.0)
    with pytest.raises(ConfigError) as exc:
        plan.derive({"campaign.actions.3.every": 2})
    assert exc.value.key == "campaign.actions[3]"


def test_fit_of_the_parts_is_checked_by_the_model(base: Scenario) -> None:
    """An ACD outside the design limits is a valid scenario value but no valid pot."""
    wide = base.derive({"cell.acd": "9 cm"})
    with pytest.raises(ConfigError) as exc:
        CellModel.from_scenario(wide)
    assert exc.value.key == "cell.acd"


# ---------------------------------------------------------------------- units on the schema
def _models(root: type[BaseModel]) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        for info in m.model_fields.values():
            stack = [info.annotation]
            while stack:
                a = stack.pop()
                if isinstance(a, type) and issubclass(a, BaseModel):
                    todo.append(a)
                stack.extend(typing.get_args(a))
    return seen


def test_every_quantity_field_declares_its_unit() -> None:
    """A field that takes a number or a unit string (str | float | int) must declare the
    unit of its bare numbers; the study's quantity keys are read from these."""
    missing = []
    for model in _models(Scenario):
        for name, info in model.model_fields.items():
            args = set(typing.get_args(info.annotation))
            if {str, float, int} <= args:
                extra = info.json_schema_extra
                if not (isinstance(extra, dict) and "unit" in extra):
                    missing.append(f"{model.__name__}.{name}")
    assert not missing, missing
    assert CampaignSpec in _models(Scenario)


def test_quantity_keys_are_derived_from_the_schema() -> None:
    keys = quantity_keys()
    assert {k: keys[k] for k in ("cell.current", "cell.temperature", "cell.acd",
                                 "cell.scale_to", "cell.ambient_temperature",
                                 "feed.charge_temperature")} == {
        "cell.current": "A", "cell.temperature": "degC", "cell.acd": "cm",
        "cell.scale_to": "A", "cell.ambient_temperature": "degC",
        "feed.charge_temperature": "degC"}
    assert keys["campaign.termination.max_duration"] == "day"
    assert "cell.design" not in keys and "feed.anode_cu_wt_pct" not in keys
    src = (SRC / "study" / "spec.py").read_text()
    assert "QUANTITY_KEYS" not in src  # not listed a second time


def test_study_nominal_values_use_the_declared_units() -> None:
    raw = load_raw(BASE)
    assert nominal_value(raw, "cell.current")[1] == pytest.approx(3000.0)
    assert nominal_value(raw, "cell.acd")[1] == pytest.approx(3.0)
    # a key the file leaves at its schema default
    assert nominal_value(raw, "cell.ambient_temperature")[1] == pytest.approx(25.0)


@pytest.mark.parametrize("unit", ["A", "kA", "degC", "K", "cm", "mm", "h", "day", "kg",
                                  "g/cm**3"])
def test_bare_numbers_convert_exactly_as_pint(unit: str) -> None:
    from alref.units import ureg

    reg = ureg()
    target = reg.Quantity(1, unit).to_base_units().units
    rng = np.random.default_rng(3)
    for x in np.concatenate([rng.random(300) * 10.0**k for k in range(-3, 7)]):
        assert to_si(float(x), unit, key="k") == reg.Quantity(float(x), unit).to(target).magnitude


# ---------------------------------------------------------------------- CellModel
def _by_hand() -> CellModel:
    raw = load_raw(BASE)
    design = load_design(raw["cell"]["design"])
    inputs = OperatingInputs(name=BASE, current_a=3000.0, temperature_k=800.0 + 273.15,
                             acd_m=0.03, ambient_k=298.15, charge_temperature_k=298.15)
    bath = Bath.of(raw["electrolyte"]["composition"], raw["electrolyte"].get("family"))
    feed = Feed.from_scrap(raw["feed"]["scrap"], 298.15)
    return CellModel(design, inputs, bath, feed)


def test_cell_model_from_domain_objects_equals_from_scenario(base: Scenario) -> None:
    a, b = _by_hand(), CellModel.from_scenario(base)
    assert a.conditions() == b.conditions()
    assert a.resolved == a.inputs == b.inputs
    assert a.solve().to_dict() == b.solve().to_dict()


def test_domain_objects_check_their_values() -> None:
    ok = {"name": "x", "current_a": 3000.0, "temperature_k": 1073.15, "acd_m": 0.03,
          "ambient_k": 298.15, "charge_temperature_k": 298.15}
    for field, value, key in (("current_a", 0.0, "cell.current"), ("acd_m", -0.01, "cell.acd"),
                              ("ambient_k", 1000.0, "cell.ambient_temperature"),
                              ("pot_control", "manual", "cell.pot_control"),
                              ("anode_cu_wt_pct", 100.0, "feed.anode_cu_wt_pct")):
        with pytest.raises(ConfigError) as exc:
            OperatingInputs(**{**ok, field: value})
        assert exc.value.key == key
    with pytest.raises(ConfigError) as exc:
        Bath.of({"NaF": 40.0, "AlF3": 40.0})
    assert exc.value.key == "electrolyte.composition"
    with pytest.raises(ConfigError) as exc:
        CellModel(load_design("rusal-3ka"), OperatingInputs(**{**ok, "temperature_k": 900.0}),
                  Bath.of({"NaF": 21.4, "AlF3": 28.6, "BaCl2": 45.0, "NaCl": 5.0}),
                  Feed.from_scrap("twitch", 298.15))
    assert exc.value.key == "cell.temperature"  # below the bath liquidus


def test_solving_again_in_the_same_process_keeps_sources_and_warnings() -> None:
    """Cached heat losses and feeds replay their citations and range warnings."""
    sc = Scenario.preset("sintef-three-layer")
    first = CellModel.from_scenario(sc).solve()
    again = CellModel.from_scenario(sc).solve()
    assert first.citations == again.citations and first.warnings == again.warnings
    assert set(scrap_class(sc.feed.scrap).sources()) <= set(again.citations)


def test_physics_layers_do_not_see_the_scenario_schema() -> None:
    upward = re.compile(r"^\s*(from|import) alref\.(scenario|campaign|assess|optimize|study|"
                        r"api|store|report|cli)\b", re.MULTILINE)
    for path in sorted((SRC / "cell").glob("*.py")):
        assert not upward.search(path.read_text()), path.name


# ---------------------------------------------------------------------- Feed
def test_feed_is_one_immutable_value_type_that_round_trips() -> None:
    f = Feed.from_scrap({"twitch": 0.7, "zorba": 0.3}, 298.15)
    assert FeedModel is Feed
    assert Feed.from_dict(json.loads(json.dumps(f.to_dict()))) == f
    assert pickle.loads(pickle.dumps(f)) == f and copy.deepcopy(f) == f
    assert hash(Feed.from_dict(f.to_dict())) == hash(f)
    with pytest.raises(TypeError):
        f.metal_wt_pct["Al"] = 100.0  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.metal_yield = 1.0  # type: ignore[misc]
    assert feed_model("twitch", 298.15) == Feed.from_scrap("twitch", 298.15)
    sc = scrap_class("twitch")
    parts = (dict(sc.mean_composition()), sc.nonmetallic_wt_pct(), 298.15)
    assert feed_from_parts("t", *parts) == Feed.from_parts("t", *parts)


def test_feed_mix_equals_the_blend_of_the_classes() -> None:
    """Mixing class feeds by scrap mass gives the feed of the blend table (metal by metal
    mass, non-metallics by scrap mass, free iron as Fe either way)."""
    t, z = Feed.from_scrap("twitch", 298.15), Feed.from_scrap("zorba", 298.15)
    mixed = Feed.mix([(t, 0.7), (z, 0.3)])
    blend = Feed.from_scrap({"twitch": 0.7, "zorba": 0.3}, 298.15)
    assert mixed.metal_yield == pytest.approx(blend.metal_yield, rel=1e-12)
    for el, w in blend.metal_wt_pct.items():
        assert mixed.metal_wt_pct[el] == pytest.approx(w, rel=1e-9, abs=1e-12), el
    for k, w in blend.nonmetallic_wt_pct.items():
        assert mixed.nonmetallic_wt_pct[k] == pytest.approx(w, rel=1e-12), k
    assert mixed.heat_per_kg_al(1073.15) == pytest.approx(blend.heat_per_kg_al(1073.15),
                                                          rel=1e-9)
    # more zorba (more Zn, Mg, free iron) moves the mix toward zorba
    more_z = Feed.mix([(t, 0.3), (z, 0.7)])
    assert (more_z.metal_wt_pct["Zn"] - mixed.metal_wt_pct["Zn"]) * (
        z.metal_wt_pct["Zn"] - t.metal_wt_pct["Zn"]) > 0
    with pytest.raises(ConfigError):
        Feed.mix([(t, 1.0), (Feed.from_scrap("zorba", 350.0), 1.0)])


def test_simulation_charges_the_feed_it_is_given(base: Scenario) -> None:
    feed = Feed.from_scrap("zorba", base.inputs().charge_temperature_k)
    sim = Simulation(CellModel.from_scenario(base), base.campaign, feed=feed)
    assert sim.feed is feed


# ---------------------------------------------------------------------- study samples
def test_study_sample_equals_a_fresh_build_of_the_derived_scenario() -> None:
    raw = load_raw(BASE)
    builder = SampleBuilder(raw)
    for row in ({"cell.current": 3300.0}, {"cell.current": 2700.0, "cell.acd": 2.5},
                {"cell.current": 3100.0},
                {"cell.parameters.transfer.entrainment_kg_per_a_s": 5e-11}):
        sim = builder.build(row)
        ref = Simulation.from_scenario(builder.base.derive(row))
        assert sim.campaign == ref.campaign
        assert sim.r == ref.r and sim.feed == ref.feed and sim.design == ref.design
        assert sim.scenario_hash == ref.scenario_hash
    sc = scrap_class("twitch")
    comp = dict(zip(sc.elements, sc.sample_array(np.random.default_rng(1), 1)[0], strict=True))
    sim = builder.build({"feed.composition": comp})
    assert sim.feed == Feed.from_parts("twitch-sample", comp, sc.nonmetallic_wt_pct(), 298.15)


def test_study_sample_that_breaks_the_design_is_a_failed_row() -> None:
    from alref.study.samples import try_build

    builder = SampleBuilder(load_raw(BASE))
    reason = try_build(builder, {"cell.parameters.pot_control.acd_max_m": 0.02})
    assert isinstance(reason, str) and reason.startswith("cell.acd")
