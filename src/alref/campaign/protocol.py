"""Campaign protocol (the PyBaMM "Experiment" of a refining pot).

A campaign is a line current (constant or a piecewise-constant profile), a list of
actions with triggers, and termination conditions. TOML form (scenario ``[campaign]``)::

    time_step = "2 h"
    current_profile = [["0 d", "3 kA"], ["20 d", "3.3 kA"]]   # optional
    [[actions]]
    kind = "tap"            # charge_scrap | tap | drain_residue | correct_bath | add_cu
                            # | tap_bath (bath above its nominal volume, or `leave`, out)
                            # correct_bath: add = {AlF3 = "2 kg"} | "restore" (ratio),
                            # fraction = 0.3 replaces that share of the bath with fresh bath
    every = "1 d"           # or at = ["10 d", "20 d"], or when = "sludge_kg > 40"
    leave = "20 kg"
    [termination]
    product_grade = "P1020A"   # target: lots graded against it (meets_target)
    in_grade_window = 5        # the cycle ends when fewer than in_grade_min_share of
    in_grade_min_share = 0.5   # the last 5 lots' mass meets the target
    alloy_superheat_min = "20 K"
    max_duration = "60 d"      # optional plan limit; none by default

Conditions are ``QUANTITY OP NUMBER`` with OP one of < <= > >=; the quantities a
condition may name are listed in `QUANTITY_PATTERNS` (e.g. ``anode.Si_wt_pct``,
``bath.MgF2_wt_pct``, ``sludge_kg``, ``t_days``). Unknown names are a ConfigError naming
the key, checked when the campaign is built, not when it runs.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from alref.cell.inputs import MAX_CURRENT_A
from alref.errors import ConfigError
from alref.materials.elements import is_element
from alref.units import QuantityModel, check_range, quantity, to_si

Quantity = str | float | int

#: quantity names a `when` condition may use: regex -> description (unit in the name)
QUANTITY_PATTERNS: dict[str, str] = {
    r"t_days": "time since the start of the campaign, d",
    r"anode\.[A-Z][a-z]?_wt_pct": "element in the liquid anode alloy, wt %",
    r"anode_kg": "liquid anode alloy mass, kg",
    r"sludge_kg": "sludge (solid residue) mass in the anode compartment, kg",
    r"anode_solid_fraction": "sludge volume fraction of the anode compartment, -",
    r"bath\.[A-Za-z0-9]+_wt_pct": "salt in the bath, wt %",
    r"bath_kg": "bath mass, kg",
    r"bath_volume_l": "bath volume at the operating temperature, L",
    r"bath_level_fraction": "bath volume over the design's nominal bath volume, -",
    r"bath_cr": "bath cryolite ratio (NaF/AlF3 molar), -",
    r"cathode_kg": "metal in the cathode pool, kg",
    r"cathode\.[A-Z][a-z]?_wt_pct": "element in the cathode metal pool, wt %",
    r"alloy_superheat_k": "anode alloy temperature above its liquidus, K",
    r"bath_superheat_k": "bath temperature above its liquidus, K",
    r"cathode_superheat_k": "cathode pad (refined Al) temperature above its melting point, K",
    r"cell_voltage_v": "cell voltage, V",
}

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
}
_COND = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*$")


def check_quantity_name(name: str, key: str) -> None:
    """ConfigError naming `key` unless `name` is a known campaign quantity."""
    if not any(re.fullmatch(p, name) for p in QUANTITY_PATTERNS):
        raise ConfigError(key, f"unknown quantity {name!r}; known: {', '.join(QUANTITY_PATTERNS)}")
    m = re.fullmatch(r"(anode|cathode)\.([A-Z][a-z]?)_wt_pct", name)
    if m and not is_element(m.group(2)):
        raise ConfigError(key, f"unknown element {m.group(2)!r} in {name!r}")


@dataclass(frozen=True)
class Condition:
    """A parsed `QUANTITY OP NUMBER` condition."""

    quantity: str
    op: str
    value: float
    text: str

    def __call__(self, values: Mapping[str, float]) -> bool:
        x = values.get(self.quantity)
        return x is not None and _OPS[self.op](x, self.value)


def parse_condition(text: str, key: str) -> Condition:
    m = _COND.match(text)
    if not m:
        raise ConfigError(key, f"cannot parse condition {text!r}; expected 'QUANTITY < NUMBER'")
    name, op, value = m.groups()
    check_quantity_name(name, key)
    try:
        v = float(value)
    except ValueError:
        raise ConfigError(key, f"{value!r} is not a number") from None
    return Condition(name, op, v, text.strip())


class _Strict(QuantityModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


#: simulator horizon (d): a cycle whose plan sets no maximum duration and that reaches no
#: limit ends here, and says so (a numerical safeguard, not a plant limit: announced
#: cycles last 40-45 d, Hoopes-cell campaigns years with the same pot but not one cycle)
HORIZON_DAYS = 1000.0

#: physical ranges of the plan's quantities (declared once, on the fields below)
_TIME = {"lo": "0 d", "hi": f"{HORIZON_DAYS:g} d", "why": "within the simulator horizon"}
_PERIOD = {**_TIME, "lo_open": True}
_MASS = {"lo": "0 kg", "hi": "1000 t",
         "why": "1000 t is beyond the inventory of any refining pot (0.1-20 t)"}
_SUPERHEAT = {"lo": "-1000 K", "hi": "1000 K", "temperature": "difference",
              "why": "a superheat above the liquidus in K; a negative minimum lets the layer "
                     "run below its liquidus (switches the limit off)"}


class ActionSpec(_Strict):
    kind: Literal["charge_scrap", "tap", "drain_residue", "correct_bath", "add_cu", "tap_bath"]
    every: Quantity | None = quantity("day", "period; bare numbers in d", default=None,
                                      **_PERIOD)
    start: Quantity = quantity("day", "first time of an `every` trigger", default="0 d",
                               **_TIME)
    at: Quantity | list[Quantity] | None = quantity("day", "times; d", default=None, **_TIME)
    when: str | None = Field(default=None, max_length=200,
                             description="condition 'QUANTITY OP NUMBER'")
    mass: Quantity | Literal["hold_level"] | None = quantity(
        "kg", "mass charged or added", default=None, **_MASS)
    leave: Quantity | None = quantity("kg", "mass left in the pot", default=None, **_MASS)
    scrap: str | dict[str, Annotated[float, Field(ge=0.0)]] | None = None
    add: dict[str, Quantity] | Literal["restore"] | None = quantity(
        "kg", "salt masses added", default=None, **_MASS)
    fraction: float | None = Field(default=None, gt=0.0, le=1.0)


class TerminationSpec(_Strict):
    product_grade: str | None = Field(
        default="P1020A", description="target grade: every lot is graded against it "
        "(meets_target); an off-grade lot is downgraded, not the end of the cycle")
    in_grade_window: int = Field(
        default=5, ge=1, le=1000,
        description="lots over which the in-grade share is judged (plan choice)")
    in_grade_min_share: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="the cycle ends when the in-grade share (by mass) of the last "
        "in_grade_window lots falls below this (plan choice; 0 never ends on grade)")
    alloy_superheat_min: Quantity = quantity("K", "least alloy superheat", default="20 K",
                                             **_SUPERHEAT)
    bath_superheat_min: Quantity = quantity("K", "least bath superheat", default="10 K",
                                            **_SUPERHEAT)
    sludge_capacity: Quantity | None = quantity(
        "kg", "sludge the pot holds (default: the design's)", default=None,
        **{**_MASS, "lo_open": True})
    density_margin_min: Quantity = quantity(
        "g/cm**3", "least density step between the layers", default="0.05 g/cm**3",
        lo="0 g/cm**3", hi="1.5 g/cm**3",
        why="the layers (Al 2.3, baths 2.0-3.0, Al-Cu alloys up to 3.5 g/cm3) differ by "
            "less; a larger margin ends every cycle at once")
    bath_limits: dict[str, float] = Field(default_factory=dict)
    max_duration: Quantity | None = quantity(
        "day", "plan limit on the cycle length; none by default (the "
        "cycle ends on a physical limit or the in-grade rule)", default=None, **_PERIOD)


class CampaignSpec(_Strict):
    time_step: Quantity = quantity("h", "engine time step", default="6 h", lo="1 min",
                                   hi="1 d", why="the engine's step range")
    current_profile: list[tuple[Quantity, Quantity]] | None = Field(
        default=None, max_length=100_000)
    actions: list[ActionSpec] | None = Field(
        default=None, max_length=1000,
        description="None: the default plan (hold level, tap daily, correct bath)"
    )
    termination: TerminationSpec = Field(default_factory=TerminationSpec)


@dataclass(frozen=True)
class Action:
    """A resolved action (SI) with its trigger."""

    index: int
    kind: str
    every_s: float | None
    start_s: float
    at_s: tuple[float, ...]
    when: Condition | None
    mass_kg: float | None
    hold_level: bool
    leave_kg: float | None
    scrap: str | dict[str, float] | None
    add_kg: dict[str, float] | None
    restore: bool
    fraction: float | None

    def key(self) -> str:
        return f"campaign.actions[{self.index}]"


@dataclass(frozen=True)
class Termination:
    product_grade: str | None
    alloy_superheat_min_k: float
    bath_superheat_min_k: float
    sludge_capacity_kg: float | None
    density_margin_min_kg_m3: float
    bath_limits: dict[str, float]
    max_duration_s: float | None
    in_grade_window: int = 5
    in_grade_min_share: float = 0.5

    @property
    def horizon_s(self) -> float:
        """The longest a cycle can run: the plan's maximum duration or the horizon."""
        return self.max_duration_s if self.max_duration_s is not None else HORIZON_DAYS * 86400.0


@dataclass(frozen=True)
class Campaign:
    """A resolved campaign: SI floats, parsed triggers."""

    time_step_s: float
    profile: tuple[tuple[float, float], ...]  # (t_s, current_a), sorted
    actions: tuple[Action, ...]
    termination: Termination

    def current_at(self, t_s: float) -> float:
        current = self.profile[0][1]
        for t0, i in self.profile:
            if t_s + 1e-9 >= t0:
                current = i
        return current


def _time(v: Any, key: str) -> float:
    t = to_si(v, "day", key=key)
    if t < 0:
        raise ConfigError(key, f"must be >= 0, got {v!r}")
    return t


def _mass(v: Any, key: str) -> float:
    m = to_si(v, "kg", key=key)
    if m < 0:
        raise ConfigError(key, f"mass must be >= 0, got {v!r}")
    return m


def resolve_campaign(spec: CampaignSpec, default_current_a: float) -> Campaign:
    """Resolve units and triggers; every error names its key."""
    dt = to_si(spec.time_step, "h", key="campaign.time_step")
    if not 60.0 <= dt <= 86400.0:
        raise ConfigError("campaign.time_step", "must lie between 1 min and 1 d")
    profile: list[tuple[float, float]] = [(0.0, default_current_a)]
    if spec.current_profile:
        profile = []
        for i, (t, cur) in enumerate(spec.current_profile):
            key = f"campaign.current_profile[{i}]"
            ia = to_si(cur, "A", key=key)
            check_range(ia, cur, "A", key, "0 A", f"{MAX_CURRENT_A:g} A", lo_open=True,
                        why="a positive line current up to 10 MA")
            t_s = _time(t, key)
            check_range(t_s, t, "day", key, "0 d", f"{HORIZON_DAYS:g} d",
                        why="within the horizon")
            profile.append((t_s, ia))
        profile.sort()
        if profile[0][0] > 0:
            profile.insert(0, (0.0, default_current_a))
    actions = []
    specs = spec.actions if spec.actions is not None else default_actions()
    for i, a in enumerate(specs):
        key = f"campaign.actions[{i}]"
        triggers = sum(x is not None for x in (a.every, a.at, a.when))
        if triggers == 0:
            raise ConfigError(key, "needs a trigger: every, at or when")
        every = _time(a.every, f"{key}.every") if a.every is not None else None
        if every is not None and every <= 0:
            raise ConfigError(f"{key}.every", "period must be positive")
        at_list = a.at if isinstance(a.at, list) else ([a.at] if a.at is not None else [])
        at = tuple(_time(t, f"{key}.at") for t in at_list)
        when = parse_condition(a.when, f"{key}.when") if a.when else None
        hold = a.mass == "hold_level"
        mass = None if (a.mass is None or hold) else _mass(a.mass, f"{key}.mass")
        leave = _mass(a.leave, f"{key}.leave") if a.leave is not None else None
        add, restore = None, False
        if a.add == "restore":
            restore = True
        elif a.add is not None:
            add = {salt: _mass(v, f"{key}.add.{salt}") for salt, v in a.add.items()}
        if a.fraction is not None and not 0.0 < a.fraction <= 1.0:
            raise ConfigError(f"{key}.fraction", "must be in (0, 1]")
        if a.kind == "charge_scrap" and mass is None and not hold:
            raise ConfigError(f"{key}.mass", "charge_scrap needs a mass or 'hold_level'")
        if a.kind == "add_cu" and mass is None:
            raise ConfigError(f"{key}.mass", "add_cu needs a mass")
        if a.kind == "correct_bath" and add is None and not restore and a.fraction is None:
            raise ConfigError(
                f"{key}.add",
                "correct_bath needs add = {SALT = mass}, add = 'restore' or a replaced fraction",
            )
        actions.append(Action(
            index=i, kind=a.kind, every_s=every, start_s=_time(a.start, f"{key}.start"),
            at_s=at, when=when, mass_kg=mass, hold_level=hold, leave_kg=leave,
            scrap=a.scrap, add_kg=add, restore=restore, fraction=a.fraction,
        ))
    t = spec.termination
    for name, limit in t.bath_limits.items():
        check_quantity_name(name, f"campaign.termination.bath_limits.{name}")
        if limit != limit:
            raise ConfigError(f"campaign.termination.bath_limits.{name}", "not a number")
    term = Termination(
        product_grade=t.product_grade,
        alloy_superheat_min_k=to_si(
            t.alloy_superheat_min, "K", key="campaign.termination.alloy_superheat_min",
            temperature="difference"),
        bath_superheat_min_k=to_si(
            t.bath_superheat_min, "K", key="campaign.termination.bath_superheat_min",
            temperature="difference"),
        sludge_capacity_kg=(
            _mass(t.sludge_capacity, "campaign.termination.sludge_capacity")
            if t.sludge_capacity is not None else None
        ),
        density_margin_min_kg_m3=to_si(
            t.density_margin_min, "g/cm**3", key="campaign.termination.density_margin_min",
            si_unit="kg/m**3",
        ),
        bath_limits=dict(t.bath_limits),
        max_duration_s=(_time(t.max_duration, "campaign.termination.max_duration")
                        if t.max_duration is not None else None),
        in_grade_window=t.in_grade_window,
        in_grade_min_share=t.in_grade_min_share,
    )
    if term.sludge_capacity_kg is not None and term.sludge_capacity_kg <= 0:
        raise ConfigError("campaign.termination.sludge_capacity",
                          f"must be > 0 kg, got {t.sludge_capacity!r}")
    if term.max_duration_s is not None and term.max_duration_s < dt:
        raise ConfigError("campaign.termination.max_duration",
                          f"{t.max_duration!r} is shorter than one time step "
                          f"({spec.time_step!r}); the cycle advances by whole steps")
    if term.max_duration_s is not None and not 0 < term.max_duration_s <= HORIZON_DAYS * 86400.0:
        raise ConfigError("campaign.termination.max_duration",
                          f"must be in (0, {HORIZON_DAYS:g} d], got {t.max_duration!r}")
    return Campaign(dt, tuple(profile), tuple(actions), term)


def default_actions() -> list[ActionSpec]:
    """Built-in operating plan (domain-physics §2.5, §10.4): charge scrap every 6 h to hold
    the anode-compartment level (a plan choice: a day's scrap charged cold at once would
    cool the pot's liquid inventory by ~50 K, `alref.campaign.heat`; four portions a day
    keep the dip near 12 K), tap the cathode metal daily down to the design's pad, feed AlF3
    every 6 h to restore the bath ratio consumed by Mg (RU2809349C1 stresses replenishing
    and correcting the bath; a Mg-rich feed moves the ratio within a day), and tap the bath
    that the Mg fluorides and AlF3 additions add above its nominal volume, daily, so the
    inventory stays within its compartment.

    Plan choice, not physics (an assumption: no source found gives a MgF2 limit for a
    refining bath): replace half of the bath when MgF2 exceeds 4 wt %. Set
    `campaign.actions` to plan otherwise."""
    return [
        ActionSpec(kind="charge_scrap", every="6 h", mass="hold_level"),
        ActionSpec(kind="tap", every="1 d", start="1 d"),
        ActionSpec(kind="correct_bath", every="6 h", add="restore"),
        ActionSpec(kind="tap_bath", every="1 d", start="1 d"),
        ActionSpec(kind="correct_bath", when="bath.MgF2_wt_pct > 4", fraction=0.5),
    ]
