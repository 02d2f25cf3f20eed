"""Scenario: one TOML file (or built-in preset) describing a pot, its bath, feed and plan.

Structure (ARCHITECTURE.md §6): required keys `cell.design`, `cell.current`,
`cell.temperature`, `cell.acd`, `electrolyte.composition`, `feed.scrap`. Unknown keys
are rejected (pydantic ``extra="forbid"``); quantities accept unit strings and are
converted to SI floats by `Scenario.resolved()`. `--set a.b=VALUE` overrides take TOML
values (a bare word that is not valid TOML is taken as a string).
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alref import data
from alref.campaign.protocol import CampaignSpec
from alref.cell.inputs import ResolvedScenario
from alref.errors import ConfigError
from alref.scenario_sections import EconomicsSection, FootprintSection
from alref.units import to_si

Quantity = str | float | int

#: Largest line current accepted (A): 10 MA is over ten times the largest Hall-Heroult
#: potlines (~600 kA cells); beyond it an input is a typo, not a pot.
MAX_CURRENT_A = 1.0e7


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class CellSection(_Strict):
    design: str = Field(description="cell design preset name (alref scenarios --designs)")
    current: Quantity = Field(description="line current; bare numbers in A")
    temperature: Quantity = Field(description="target bath temperature; bare numbers in degC")
    acd: Quantity = Field(description="anode-cathode distance (electrolyte gap); bare numbers in cm")
    scale_to: Quantity | None = Field(
        default=None, description="scale the design to this current at constant current density"
    )
    pot_control: Literal["bath_level", "auxiliary", "fixed_acd", "furnace"] | None = Field(
        default=None,
        description="lever that balances the pot's heat (default: what the design's plant "
        "does; each design lists its modes): 'bath_level' (stacked pots: ACD moved within the "
        "design limits to hold the temperature), 'auxiliary' (gap fixed, auxiliary heating or "
        "cooling holds the temperature), 'fixed_acd' (gap fixed, no auxiliary lever: the "
        "temperature follows the heat balance), 'furnace' (laboratory furnace)",
    )
    ambient_temperature: Quantity = Field(default="25 degC", description="ambient air; degC")
    parameters: dict[str, float] = Field(
        default_factory=dict,
        description="design values overridden by dotted path, e.g. "
        "{'transfer.entrainment_kg_per_a_s' = 5e-11} (SI units as in the design file)",
    )


class ElectrolyteSection(_Strict):
    family: str | None = Field(default=None, description="electrolyte family (optional)")
    composition: dict[str, float] = Field(description="wt % of salts, summing to 100 ± 0.5")


class FeedSection(_Strict):
    scrap: str | dict[str, float] = Field(description="scrap class name or blend {name: share}")
    charge_temperature: Quantity = Field(default="25 degC", description="scrap charged cold; degC")
    anode_cu_wt_pct: float | None = Field(
        default=None, description="Cu in the anode alloy, wt % (default: the design's)"
    )


class Scenario(_Strict):
    name: str = "custom"
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

    def resolved(self) -> ResolvedScenario:
        """Convert quantities to SI and check simple physical limits (ConfigError on failure)."""
        c = self.cell
        current = to_si(c.current, "A", key="cell.current")
        if not 0 < current <= MAX_CURRENT_A:
            raise ConfigError("cell.current", f"must be in (0, {MAX_CURRENT_A:g} A], got {c.current!r}")
        temperature = to_si(c.temperature, "degC", key="cell.temperature")
        if temperature <= 0:
            raise ConfigError("cell.temperature", f"below absolute zero: {c.temperature!r}")
        acd = to_si(c.acd, "cm", key="cell.acd")
        if acd <= 0:
            raise ConfigError("cell.acd", f"must be positive, got {c.acd!r}")
        scale_to = None
        if c.scale_to is not None:
            scale_to = to_si(c.scale_to, "A", key="cell.scale_to")
            if not 0 < scale_to <= MAX_CURRENT_A:
                raise ConfigError(
                    "cell.scale_to", f"must be in (0, {MAX_CURRENT_A:g} A], got {c.scale_to!r}")
        ambient = to_si(c.ambient_temperature, "degC", key="cell.ambient_temperature")
        if not 200.0 < ambient < 400.0:
            raise ConfigError("cell.ambient_temperature", "must lie between -73 and 127 degC")
        charge_t = to_si(self.feed.charge_temperature, "degC", key="feed.charge_temperature")
        if not 200.0 < charge_t < temperature:
            raise ConfigError(
                "feed.charge_temperature", "must be above -73 degC and below the bath temperature"
            )
        cu = self.feed.anode_cu_wt_pct
        if cu is not None and not 0.0 <= cu < 100.0:
            raise ConfigError("feed.anode_cu_wt_pct", f"must be in [0, 100), got {cu}")
        for salt, wt in self.electrolyte.composition.items():
            if not isinstance(wt, int | float) or wt != wt or wt < 0:
                raise ConfigError(f"electrolyte.composition.{salt}", f"invalid wt % {wt!r}")
        if isinstance(self.feed.scrap, dict):
            if not self.feed.scrap:
                raise ConfigError("feed.scrap", "empty blend")
            for name, share in self.feed.scrap.items():
                if share != share or share < 0:
                    raise ConfigError(f"feed.scrap.{name}", f"share must be >= 0, got {share}")
        return ResolvedScenario(
            name=self.name,
            design=self.cell.design,
            current_a=scale_to if scale_to is not None else current,
            scale_to_a=scale_to,
            temperature_k=temperature,
            acd_m=acd,
            pot_control=c.pot_control,
            ambient_k=ambient,
            electrolyte_family=self.electrolyte.family,
            electrolyte_wt_pct=dict(self.electrolyte.composition),
            feed_scrap=copy.deepcopy(self.feed.scrap),
            charge_temperature_k=charge_t,
            anode_cu_wt_pct=cu,
            design_parameters=dict(c.parameters),
        )

    def digest(self) -> str:
        """Stable hash of the scenario content (for manifests and caches)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def preset(cls, name: str) -> Scenario:
        """A built-in preset by name (``alref scenarios`` lists them); ConfigError if unknown."""
        if name not in preset_names():
            raise ConfigError("SCENARIO", f"unknown preset {name!r}; presets: "
                                          f"{', '.join(preset_names())}")
        return load_scenario(name)


# ---------------------------------------------------------------------------- loading

DEFAULT_SCENARIO = "rusal-3ka-twitch"


def preset_names() -> list[str]:
    """Built-in scenario presets."""
    return [n.split("/", 1)[1] for n in data.list_files("scenarios")]


@lru_cache(maxsize=64)
def _preset_raw(name: str) -> dict[str, Any]:
    return data.load(f"scenarios/{name}")


def load_raw(source: str | None) -> dict[str, Any]:
    """Raw scenario table from a preset name or a TOML path."""
    source = source or DEFAULT_SCENARIO
    if source in preset_names():
        raw = copy.deepcopy(_preset_raw(source))
        raw.setdefault("name", source)
        return raw
    path = Path(source)
    if path.suffix == ".toml" or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError("SCENARIO", f"cannot read {source!r}: {exc.strerror}") from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("SCENARIO", f"{source}: invalid TOML ({exc})") from None
        raw.setdefault("name", path.stem)
        return raw
    raise ConfigError(
        "SCENARIO", f"unknown preset or file {source!r}; presets: {', '.join(preset_names())}"
    )


def parse_set_value(text: str) -> Any:
    """Parse the VALUE of `--set KEY=VALUE` as TOML; a bare word falls back to a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_overrides(raw: dict[str, Any], overrides: Iterable[str]) -> dict[str, Any]:
    """Apply `KEY=VALUE` overrides (dotted TOML paths) to a raw scenario table."""
    out = copy.deepcopy(raw)
    for item in overrides:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError("--set", f"expected KEY=VALUE, got {item!r}")
        parts = key.split(".")
        node: Any = out
        for i, part in enumerate(parts[:-1]):
            nxt = node.get(part)
            if nxt is None:
                nxt = node[part] = {}
            if not isinstance(nxt, dict):
                raise ConfigError(".".join(parts[: i + 1]), "is not a table; cannot set a sub-key")
            node = nxt
        node[parts[-1]] = parse_set_value(value)
    return out


def from_raw(raw: Mapping[str, Any]) -> Scenario:
    """Validate a raw table into a Scenario; errors name the offending key."""
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise config_error_from(exc) from None


def config_error_from(exc: ValidationError) -> ConfigError:
    """First pydantic error as a one-line ConfigError naming the dotted key."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
    # drop the union-branch tags pydantic adds (e.g. 'str', 'float', 'dict[str,float]')
    parts = [p for p in loc.split(".") if p not in {"str", "float", "int", "dict[str,float]"}]
    loc = ".".join(parts)
    kind = err["type"]
    if kind == "extra_forbidden":
        return ConfigError(loc, "unknown key")
    if kind == "missing":
        return ConfigError(loc, "required key is missing")
    return ConfigError(loc, f"{err['msg']} (got {err.get('input')!r})")


def load_scenario(source: str | None = None, overrides: Iterable[str] = ()) -> Scenario:
    """Load a preset or TOML file, apply `--set` overrides, validate."""
    return from_raw(apply_overrides(load_raw(source), overrides))
