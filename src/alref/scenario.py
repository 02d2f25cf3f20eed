"""Scenario: one TOML file (or built-in preset) describing a pot, its bath, feed and plan.

Structure (ARCHITECTURE.md §6): required keys `cell.design`, `cell.current`,
`cell.temperature`, `cell.acd`, `electrolyte.composition`, `feed.scrap`. Unknown keys
are rejected (pydantic ``extra="forbid"``). Quantities accept unit strings; the unit of a
bare number is declared once, on the field (`quantity`), and `quantity_keys()` lists
them from the schema.

The scenario is the edge of the model: it builds the domain objects the physics layers
take (`cell_parts()`: `CellDesign`, `OperatingInputs`, `Bath`, `Feed`), so the physics
never sees this schema. `Scenario.derive({...})` makes validated variants from Python
values; `--set a.b=VALUE` overrides (TOML values; a bare word that is not valid TOML is
taken as a string) go through the same path rules (`derive_raw`).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alref import data
from alref.campaign.protocol import CampaignSpec, resolve_campaign
from alref.cell.design import CellDesign, load_design
from alref.cell.feed import Feed
from alref.cell.inputs import MAX_CURRENT_A, Bath, OperatingInputs
from alref.cell.pretreatment import Demag, demag
from alref.citations import citing_cache
from alref.errors import ConfigError
from alref.scenario_sections import EconomicsSection, FootprintSection
from alref.schema_paths import (
    config_error_from,
    derive_raw,
    field_kind,
    field_unit,
    parse_overrides,
    parse_set_value,
    read_toml,
    walk_units,
)
from alref.units import QuantityModel, field_si, quantity

__all__ = [
    "DEFAULT_SCENARIO", "MAX_CURRENT_A", "Scenario", "apply_overrides", "derive_raw",
    "from_raw", "load_raw", "load_scenario", "parse_overrides", "parse_set_value",
    "preset_names", "quantity", "quantity_keys", "walk_units",
]

Quantity = str | float | int


class _Strict(QuantityModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)


#: physical ranges of the scenario's quantities (declared once, on the fields below)
_CURRENT = {"lo": "0 A", "lo_open": True, "hi": f"{MAX_CURRENT_A:g} A",
            "why": "10 MA is over ten times the largest Hall-Heroult potlines"}
_BATH_T = {"lo": "660.32 degC", "hi": "1276 degC", "temperature": "absolute",
           "why": "Al melts at 660.32 degC (the metal layers are liquid) and AlF3 sublimes "
                  "at 1276 degC at 1 bar (no fluoride bath above)"}
_AIR_T = {"lo": "200 K", "hi": "400 K", "lo_open": True, "hi_open": True,
          "temperature": "absolute", "why": "plant air and cold scrap, -73..127 degC"}


class CellSection(_Strict):
    design: str = Field(min_length=1, description="cell design preset name "
                        "(alref scenarios --designs)")
    current: Quantity = quantity("A", "line current", **_CURRENT)
    temperature: Quantity = quantity("degC", "target bath temperature", **_BATH_T)
    acd: Quantity = quantity("cm", "anode-cathode distance (electrolyte gap)", lo="0 cm",
                             lo_open=True, hi="1 m", why="no pot cavity is 1 m deep")
    scale_to: Quantity | None = quantity(
        "A", "scale the design to this current at constant current density", default=None,
        **_CURRENT)
    pot_control: Literal["bath_level", "auxiliary", "fixed_acd", "furnace"] | None = Field(
        default=None,
        description="lever that balances the pot's heat (default: what the design's plant "
        "does; each design lists its modes): 'bath_level' (stacked pots: ACD moved within the "
        "design limits to hold the temperature), 'auxiliary' (gap fixed, auxiliary heating or "
        "cooling holds the temperature), 'fixed_acd' (gap fixed, no auxiliary lever: the "
        "temperature follows the heat balance), 'furnace' (laboratory furnace)",
    )
    ambient_temperature: Quantity = quantity("degC", "ambient air", default="25 degC", **_AIR_T)
    parameters: dict[str, float] = Field(
        default_factory=dict,
        description="design values overridden by dotted path, e.g. "
        "{'transfer.entrainment_kg_per_a_s' = 5e-11} (SI units as in the design file)",
    )


class ElectrolyteSection(_Strict):
    family: str | None = Field(default=None, min_length=1,
                               description="electrolyte family (optional)")
    composition: dict[str, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(
        description="wt % of salts, summing to 100 ± 0.5")


class FeedSection(_Strict):
    scrap: str | dict[str, Annotated[float, Field(ge=0.0)]] = Field(
        description="scrap class name or blend {name: share}")
    charge_temperature: Quantity = quantity(
        "degC", "scrap charged cold", default="25 degC", lo="200 K", lo_open=True,
        hi="1276 degC", temperature="absolute",
        why="from cold air (-73 degC) to the hottest bath; below the bath temperature")
    anode_cu_wt_pct: float | None = Field(
        default=None, ge=0.0, lt=100.0,
        description="Cu in the anode alloy, wt % (default: the design's)"
    )
    pretreatment: Literal["none", "chlorination", "salt_flux"] = Field(
        default="none", description="demagging of the scrap before charging: none, chlorination "
        "(Cl2) or salt_flux (AlF3), down to the residual Mg of data/pretreatment.toml")


class Scenario(_Strict):
    name: str = Field(default="custom", min_length=1, max_length=200)
    description: str = ""
    cell: CellSection
    electrolyte: ElectrolyteSection
    feed: FeedSection
    economics: EconomicsSection = Field(default_factory=EconomicsSection,
                                        description="prices, plant and finance (alref assess)")
    footprint: FootprintSection = Field(default_factory=FootprintSection,
                                        description="carbon footprint method (alref assess)")
    campaign: CampaignSpec | None = Field(
        default=None, description="operating plan (default: hold the alloy level, tap daily)"
    )
    provenance: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="dotted key prefix -> {source, locator} or {assumption} for preset values",
    )

    # ------------------------------------------------------------------ construction
    @classmethod
    def load(cls, source: str | None = None, overrides: Iterable[str] = ()) -> Scenario:
        """A preset name or TOML path with `--set` style overrides (`load_scenario`)."""
        return load_scenario(source, overrides)

    def derive(self, changes: Mapping[str, Any]) -> Scenario:
        """A validated variant: ``{dotted key: Python value}``.

        Values are numbers, strings with units or tables (dicts): e.g.
        ``{"cell.current": "3.3 kA", "feed.scrap": {"twitch": 0.7, "zorba": 0.3},
        "cell.parameters.transfer.entrainment_kg_per_a_s": 5e-11}``. A bare number for a
        quantity key is taken in the field's declared unit (`quantity_keys()`). Keys
        follow the schema: through tables by name, lists by index
        (``campaign.actions.0.every`` or ``campaign.actions[0].every``); in a table of
        values (``cell.parameters``,
        ``electrolyte.composition``, ``feed.scrap``) the rest of the key is one entry.
        The variant is checked as far as a scenario can be on its own (schema, units,
        ranges, names of designs, salts and scrap; `cell_parts`); ConfigError names the
        key. How the parts fit together (ACD within the design limits, liquidus) is
        checked when a `CellModel` is built.
        """
        if not changes:
            return self
        by_section: dict[str, dict[str, Any]] = {}
        for key, value in changes.items():
            by_section.setdefault(str(key).split(".", 1)[0], {})[key] = value
        updates: dict[str, Any] = {}
        for name, section_changes in by_section.items():
            model = _section_model(name)
            current = getattr(self, name, None) if model is not None else None
            base = current.model_dump() if isinstance(current, BaseModel) else {}
            raw = derive_raw({name: base}, section_changes, schema=type(self), copy_raw=False)
            if model is None or not isinstance(raw[name], Mapping):
                return _derive_whole(self, changes)  # top-level values, unknown keys
            updates[name] = _validated(model, raw[name], name)
        out = self.model_copy(update=updates)
        out.check()
        return out

    # ------------------------------------------------------------------ domain objects
    def inputs(self) -> OperatingInputs:
        """The operating inputs in SI (ConfigError naming the key on a bad value)."""
        c, f = self.cell, self.feed
        return _inputs(self.name, c.current, c.temperature, c.acd, c.scale_to, c.pot_control,
                       c.ambient_temperature, f.charge_temperature, f.anode_cu_wt_pct)

    def resolved(self) -> OperatingInputs:
        """`inputs()` (former name)."""
        return self.inputs()

    def cell_design(self) -> CellDesign:
        """The cell design with ``cell.parameters`` applied, scaled to ``cell.scale_to``."""
        c = self.cell
        scale = _si(c.scale_to, "cell", "scale_to") if c.scale_to is not None else None
        return _design(c.design, tuple(c.parameters.items()), scale)

    def bath(self) -> Bath:
        """The validated bath (composition and family)."""
        return Bath.of(self.electrolyte.composition, self.electrolyte.family)

    def scrap_feed(self) -> Feed:
        """The mean feed of ``feed.scrap`` charged at ``feed.charge_temperature``."""
        return demag(Feed.from_scrap(self.feed.scrap, self.inputs().charge_temperature_k),
                     self.feed.pretreatment)[0]

    def pretreatment(self) -> Demag | None:
        """Figures per kg of scrap of ``feed.pretreatment`` (None without one)."""
        return demag(Feed.from_scrap(self.feed.scrap, self.inputs().charge_temperature_k),
                     self.feed.pretreatment)[1]

    def cell_parts(self) -> tuple[CellDesign, OperatingInputs, Bath, Feed]:
        """(design, inputs, bath, feed) for `CellModel(design, inputs, bath, feed)`."""
        inputs = self.inputs()
        design = self.cell_design()
        bath = self.bath()
        feed = demag(Feed.from_scrap(self.feed.scrap, inputs.charge_temperature_k),
                     self.feed.pretreatment)[0]
        return design, inputs, bath, feed

    def check(self) -> Scenario:
        """Build the domain objects (cached) so that bad values fail here; returns self."""
        self.cell_parts()
        if self.campaign is not None:
            resolve_campaign(self.campaign, self.inputs().current_a)
        return self

    def digest(self) -> str:
        """Stable hash of the scenario content (for manifests and caches): SHA-256 of
        ``json.dumps(self.model_dump(mode="json"), sort_keys=True)``, assembled from the
        sections' JSON (remembered per section object, which variants share)."""
        parts = [f"{quoted}: {_json_of(getattr(self, name))}"
                 for name, quoted in _digest_keys(type(self))]
        text = "{" + ", ".join(parts) + "}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def preset(cls, name: str) -> Scenario:
        """A built-in preset by name (``alref scenarios`` lists them); ConfigError if unknown."""
        if name not in preset_names():
            raise ConfigError("SCENARIO", f"unknown preset {name!r}; presets: "
                                          f"{', '.join(preset_names())}")
        return load_scenario(name)


@lru_cache(maxsize=1)
def quantity_keys() -> dict[str, str]:
    """Dotted scenario keys of the quantity fields and the unit of their bare numbers,
    read from the schema (e.g. ``{"cell.current": "A", "cell.temperature": "degC"}``)."""
    return dict(walk_units(Scenario))


def _section_model(name: str) -> type[BaseModel] | None:
    """The model class of a top-level scenario section (None for plain values)."""
    kind, sub = field_kind(Scenario, name)
    return sub if kind == "model" else None


def _validated(model: type[BaseModel], raw: Mapping[str, Any], prefix: str) -> BaseModel:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise config_error_from(exc, prefix) from None


def _derive_whole(sc: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """`Scenario.derive` through the whole table (top-level values, unknown keys)."""
    raw = derive_raw(sc.model_dump(), changes, schema=Scenario, copy_raw=False)
    return from_raw(raw).check()


# ---------------------------------------------------------------------------- caches
#: JSON text of recently digested scenario values, by object id (a strong reference
#: keeps the id from being reused while the entry lives); variants share their base's
#: untouched sections, so a study digests each of those once. Scenarios are immutable
#: values: their tables must not be changed in place.
_JSON_OF: OrderedDict[int, tuple[Any, str]] = OrderedDict()
JSON_MEMO = 256


@lru_cache(maxsize=4)
def _digest_keys(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    return tuple((name, json.dumps(name)) for name in sorted(model.model_fields))


def _json_of(value: Any) -> str:
    """``json.dumps(<value as model_dump(mode="json") gives it>, sort_keys=True)``."""
    hit = _JSON_OF.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    plain = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    text = json.dumps(plain, sort_keys=True)
    _JSON_OF[id(value)] = (value, text)
    if len(_JSON_OF) > JSON_MEMO:
        _JSON_OF.popitem(last=False)
    return text


@lru_cache(maxsize=4096)
def _si(value: Any, section: str, name: str) -> float:
    model = {"cell": CellSection, "feed": FeedSection}[section]
    field_unit(model, name)  # KeyError unless a quantity field
    return field_si(value, model.model_fields[name].json_schema_extra, key=f"{section}.{name}")


@lru_cache(maxsize=1024)
def _inputs(name: str, current: Any, temperature: Any, acd: Any, scale_to: Any,
            pot_control: str, ambient: Any, charge: Any, cu: float | None) -> OperatingInputs:
    current_a = _si(current, "cell", "current")
    temperature_k = _si(temperature, "cell", "temperature")
    acd_m = _si(acd, "cell", "acd")
    if scale_to is not None:
        scale_a = _si(scale_to, "cell", "scale_to")
        if not 0 < scale_a <= MAX_CURRENT_A:
            raise ConfigError("cell.scale_to", f"must be in (0, {MAX_CURRENT_A:g} A], "
                                               f"got {scale_to!r}")
        current_a = scale_a
    return OperatingInputs(
        name=name, current_a=current_a, temperature_k=temperature_k, acd_m=acd_m,
        ambient_k=_si(ambient, "cell", "ambient_temperature"),
        charge_temperature_k=_si(charge, "feed", "charge_temperature"),
        pot_control=pot_control, anode_cu_wt_pct=cu,
    )


@citing_cache(maxsize=256)
def _design(name: str, parameters: tuple[tuple[str, float], ...], scale_to_a: float | None
            ) -> CellDesign:
    """The design, parameters applied and scaled (cached; its scale-up warning is
    re-issued on every call, as an uncached build would)."""
    design = load_design(name, parameters=dict(parameters))
    return design.scaled(scale_to_a) if scale_to_a is not None else design


# ---------------------------------------------------------------------------- loading

DEFAULT_SCENARIO = "rusal-3ka-twitch"


def preset_names() -> list[str]:
    """Built-in scenario presets."""
    return [n.split("/", 1)[1] for n in data.list_files("scenarios")]


@lru_cache(maxsize=64)
def _preset_raw(name: str) -> dict[str, Any]:
    return data.load(f"scenarios/{name}")


def load_raw(source: str | None) -> dict[str, Any]:
    """Raw scenario table from a preset name or a TOML path (None: the default preset;
    an empty name is an error, never the default)."""
    if source is None:
        source = DEFAULT_SCENARIO
    if not source.strip():
        raise ConfigError("SCENARIO", "empty scenario name; give a preset "
                          f"({', '.join(preset_names())}) or a TOML path")
    if len(source) > 4096 or "\0" in source:
        raise ConfigError("SCENARIO", "not a preset name or a file path")
    if source in preset_names():
        raw = copy.deepcopy(_preset_raw(source))
        raw.setdefault("name", source)
        return raw
    path = Path(source)
    if path.suffix == ".toml" or _exists(path):
        raw = read_toml(path, "SCENARIO")
        raw.setdefault("name", path.stem)
        return raw
    raise ConfigError(
        "SCENARIO", f"unknown preset or file {source!r}; presets: {', '.join(preset_names())}"
    )


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long for the file system is not a file
        return False


def apply_overrides(raw: dict[str, Any], overrides: Iterable[str]) -> dict[str, Any]:
    """Apply `KEY=VALUE` overrides (dotted paths, as `Scenario.derive`) to a raw table."""
    return derive_raw(raw, parse_overrides(overrides), schema=Scenario)


def from_raw(raw: Mapping[str, Any]) -> Scenario:
    """Validate a raw table into a Scenario; errors name the offending key."""
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise config_error_from(exc) from None


def load_scenario(source: str | None = None, overrides: Iterable[str] = ()) -> Scenario:
    """Load a preset or TOML file and apply `--set` overrides: the variant is made by
    `Scenario.derive` (so it is checked as a derived scenario is)."""
    base = from_raw(load_raw(source))
    changes = parse_overrides(overrides)
    return base.derive(changes) if changes else base
