"""Input of `alref blend`: a TOML file (pydantic v2 schema, unknown keys rejected).

Shape (see the built-in example ``data/blend/example.toml``)::

    [plan]                      # the pot plan the scrap is bought for
    scenario = "rusal-3ka-twitch"
    overrides = []              # --set style KEY=VALUE strings
    cycles = 60                 # pot cycles available in the planning period
    scrap_t = 55.0              # tonnes of scrap (as received) to buy, at least
    scrap_max_t = 65.0          # at most (default: scrap_t + the largest truckload)
    cycle_cost_usd = 1500       # cost of one cycle turnover (alloy, residue, downtime)
    bath_usd_per_kg = 1.2       # replacement bath (Mg load -> MgF2 -> bath replaced)

    [market]
    lme_usd_per_t = 2003.5      # for prices given as % of LME

    [target]
    grade = "P1020A"
    min_share = 0.95            # share of the product that must meet the grade

    [objective]
    kind = "cost"               # cost | margin | co2
    product_usd_per_t = 2100    # margin only
    product_co2_t_per_t = 0.5   # co2 only (refining electricity etc. per t product)

    [[lot]]
    name = "twitch-A"
    scrap = "twitch"            # class name (alref scrap list)
    available_t = 40
    price = { pct_lme = 84.4, source = "...", locator = "..." }   # or usd_per_t
    truck_t = 20                # integer truckloads (omit: continuous tonnes)
    min_lot_t = 20              # buy nothing or at least this much
    co2_t_per_t = 0.05          # co2 objective only
    assay = { Si = { mean = 5.5, sd = 0.4 } }   # optional: user's analysis of the metal

Numbers in the packaged example carry `source`/`locator` or `assumption` keys (the data
provenance rule); user files may carry them too (they are kept and echoed, not required).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from alref import data
from alref.errors import ConfigError
from alref.schema_paths import read_toml

EXAMPLE = "blend/example"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    source: str | None = None
    locator: str | None = None
    assumption: str | None = None


class AssayElement(_Strict):
    mean: float = Field(ge=0.0, le=100.0, description="wt % of the metal")
    sd: float = Field(default=0.0, ge=0.0, description="standard deviation, wt %")


class Price(_Strict):
    usd_per_t: float | None = Field(default=None, ge=0.0)
    pct_lme: float | None = Field(default=None, ge=0.0, le=200.0)


class Lot(_Strict):
    name: str
    scrap: str = Field(description="scrap class name, ISRI code or alias")
    available_t: float = Field(gt=0.0, description="tonnes on offer (as received)")
    price: Price
    truck_t: float | None = Field(default=None, gt=0.0, description="truckload, t")
    min_lot_t: float = Field(default=0.0, ge=0.0, description="buy 0 or at least this, t")
    co2_t_per_t: float = Field(default=0.0, ge=0.0, description="t CO2e per t scrap bought")
    assay: dict[str, AssayElement] = Field(default_factory=dict)


class Plan(_Strict):
    scenario: str = "rusal-3ka-twitch"
    overrides: list[str] = Field(default_factory=list)
    cycles: float = Field(gt=0.0, description="pot cycles available")
    scrap_t: float = Field(gt=0.0, description="tonnes of scrap to buy, at least")
    scrap_max_t: float | None = Field(default=None, gt=0.0)
    cycle_cost_usd: float = Field(default=0.0, ge=0.0)
    bath_usd_per_kg: float = Field(default=0.0, ge=0.0)
    cycle_co2_t: float = Field(default=0.0, ge=0.0, description="t CO2e per cycle turnover")


class Market(_Strict):
    lme_usd_per_t: float | None = Field(default=None, gt=0.0)


class Target(_Strict):
    grade: str = "P1020A"
    min_share: float = Field(default=0.95, gt=0.0, le=1.0)


class Objective(_Strict):
    kind: Literal["cost", "margin", "co2"] = "cost"
    product_usd_per_t: float | None = Field(default=None, ge=0.0)
    product_co2_t_per_t: float = Field(default=0.0, ge=0.0)


class BlendInput(_Strict):
    name: str = "blend"
    description: str = ""
    plan: Plan
    market: Market = Field(default_factory=Market)
    target: Target = Field(default_factory=Target)
    objective: Objective = Field(default_factory=Objective)
    lot: list[Lot] = Field(min_length=1, max_length=1000)

    @field_validator("lot")
    @classmethod
    def _unique_names(cls, lots: list[Lot]) -> list[Lot]:
        seen: set[str] = set()
        for i, lot in enumerate(lots):
            if lot.name in seen:
                raise ValueError(f"lot[{i}].name {lot.name!r} is used twice")
            seen.add(lot.name)
        return lots

    def price_usd_per_t(self, i: int) -> float:
        """Price of lot i in USD per tonne (from USD or % of LME)."""
        price = self.lot[i].price
        if price.usd_per_t is not None:
            return price.usd_per_t
        lme = self.market.lme_usd_per_t
        if lme is None:
            raise ConfigError("market.lme_usd_per_t", f"lot[{i}] is priced in % of LME")
        return float(price.pct_lme or 0.0) * lme / 100.0


def _error_from(exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    loc = ""
    for part in err["loc"]:
        loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    if err["type"] == "extra_forbidden":
        return ConfigError(loc, "unknown key")
    if err["type"] == "missing":
        return ConfigError(loc, "required key is missing")
    return ConfigError(loc, f"{err['msg']} (got {err.get('input')!r})")


def validate(raw: dict[str, Any]) -> BlendInput:
    """Validate a raw table; every error names its dotted key (ConfigError)."""
    try:
        inp = BlendInput.model_validate(raw)
    except ValidationError as exc:
        raise _error_from(exc) from None
    _check_semantics(inp)
    return inp


def _check_semantics(inp: BlendInput) -> None:
    from alref.materials.elements import is_element
    from alref.materials.grades import get_grade
    from alref.materials.scrap import scrap_class

    get_grade(inp.target.grade, key="target.grade")
    for i, lot in enumerate(inp.lot):
        key = f"lot[{i}]"
        scrap_class(lot.scrap, key=f"{key}.scrap")
        if (lot.price.usd_per_t is None) == (lot.price.pct_lme is None):
            raise ConfigError(f"{key}.price", "give exactly one of usd_per_t and pct_lme")
        inp.price_usd_per_t(i)
        if lot.min_lot_t > lot.available_t:
            raise ConfigError(f"{key}.min_lot_t", "exceeds available_t")
        if lot.truck_t is not None and lot.truck_t > lot.available_t:
            raise ConfigError(f"{key}.truck_t", "exceeds available_t")
        for el, a in lot.assay.items():
            if not is_element(el) or el == "Al":
                raise ConfigError(f"{key}.assay.{el}", "not an impurity element symbol")
            if not (math.isfinite(a.mean) and math.isfinite(a.sd)):
                raise ConfigError(f"{key}.assay.{el}", "not a finite number")
    if inp.plan.scrap_max_t is not None and inp.plan.scrap_max_t < inp.plan.scrap_t:
        raise ConfigError("plan.scrap_max_t", "is below plan.scrap_t")
    if inp.objective.kind == "margin" and inp.objective.product_usd_per_t is None:
        raise ConfigError("objective.product_usd_per_t", "the margin objective needs it")


def load_blend_input(source: str | None = None) -> BlendInput:
    """Read a blend TOML file (None: the built-in example)."""
    if source is None:
        raw = data.load(EXAMPLE)
    else:
        if not source.strip():
            raise ConfigError("FILE", "empty file name; give a blend TOML file or none for "
                                      "the built-in example")
        raw = read_toml(Path(source), "FILE")  # size, UTF-8 and nesting limits
    return validate(raw)
