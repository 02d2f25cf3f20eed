"""Domain inputs of a pot model: how the pot is run (`OperatingInputs`) and its bath (`Bath`).

Plain immutable values in SI floats. They live in the cell layer so that the models depend
on values, not on the scenario schema (which also covers higher layers: campaign,
economics, footprint); `alref.scenario.Scenario` builds them from a TOML file, a Python
user may build them directly. Errors name the scenario key of the offending value
(``cell.current``, ``electrolyte.composition.NaF``...), as everywhere at the edges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from alref.errors import ConfigError
from alref.properties import electrolyte
from alref.properties.electrolyte_composition import prepare

#: Largest line current accepted (A): 10 MA is over ten times the largest Hall-Heroult
#: potlines (~600 kA cells); beyond it an input is a typo, not a pot.
MAX_CURRENT_A = 1.0e7
#: Ambient air and cold scrap lie within -73..127 degC (200..400 K): a plausibility band
#: for plant air, not a model limit; outside it an input is a unit slip (K vs degC).
AMBIENT_RANGE_K = (200.0, 400.0)
KELVIN = 273.15  # degC -> K offset, for messages
#: pot-control modes (`alref.cell.model.control`); each design lists the ones it supports
POT_CONTROL_MODES = ("bath_level", "auxiliary", "fixed_acd", "furnace")


class FrozenMap(dict):  # type: ignore[type-arg]
    """A read-only, hashable ``dict`` (compositions inside immutable value types).

    A ``dict`` subclass so that JSON output, ``dict(x)`` and ``x.get`` work unchanged;
    every mutating method raises ``TypeError``.
    """

    __slots__ = ()

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"{type(self).__name__} is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly
    __ior__ = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenMap:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenMap:
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"


def frozen_map(values: Mapping[str, float]) -> FrozenMap:
    """`values` as a `FrozenMap` of floats (no copy if it already is one)."""
    if isinstance(values, FrozenMap):
        return values
    return FrozenMap({str(k): float(v) for k, v in values.items()})


@dataclass(frozen=True)
class OperatingInputs:
    """How a pot is run (SI): line current, set temperature, ACD and the pot-control mode.

    ``pot_control``: the lever that balances the pot's heat (``bath_level``, ``auxiliary``,
    ``fixed_acd``, ``furnace``; see `alref.cell.model`), None for the design's default
    mode. ``anode_cu_wt_pct = None`` takes the design's anode alloy. Construction checks
    the simple physical limits.
    """

    name: str
    current_a: float
    temperature_k: float
    acd_m: float
    ambient_k: float
    charge_temperature_k: float
    pot_control: str | None = None
    anode_cu_wt_pct: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.current_a <= MAX_CURRENT_A:
            raise ConfigError("cell.current", f"must be in (0, {MAX_CURRENT_A:g} A], got "
                                              f"{self.current_a:g} A")
        if not self.temperature_k > 0:
            raise ConfigError("cell.temperature",
                              f"below absolute zero: {self.temperature_k - KELVIN:g} degC")
        if not self.acd_m > 0:
            raise ConfigError("cell.acd", f"must be positive, got {self.acd_m * 100:g} cm")
        if self.pot_control is not None and self.pot_control not in POT_CONTROL_MODES:
            raise ConfigError("cell.pot_control", f"expected one of {', '.join(POT_CONTROL_MODES)}"
                                                  f", got {self.pot_control!r}")
        lo, hi = AMBIENT_RANGE_K
        if not lo < self.ambient_k < hi:
            raise ConfigError("cell.ambient_temperature",
                              f"must lie between {lo - KELVIN:g} and {hi - KELVIN:g} degC")
        if not lo < self.charge_temperature_k < self.temperature_k:
            raise ConfigError("feed.charge_temperature",
                              f"must be above {lo - KELVIN:g} degC and below the bath temperature")
        cu = self.anode_cu_wt_pct
        if cu is not None and not 0.0 <= cu < 100.0:
            raise ConfigError("feed.anode_cu_wt_pct", f"must be in [0, 100), got {cu}")


#: former name of the operating inputs (kept for callers of the 0.x API)
ResolvedScenario = OperatingInputs


@dataclass(frozen=True)
class Bath:
    """A validated bath: salt composition (wt %, summing to 100 ± 0.5) and its family.

    Build with `Bath.of` (validates; ConfigError naming ``electrolyte.composition.<Salt>``
    or ``electrolyte.family``). The liquidus is computed once per bath.
    """

    composition_wt_pct: FrozenMap
    family: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "composition_wt_pct", frozen_map(self.composition_wt_pct))

    @classmethod
    def of(cls, composition: Mapping[str, float], family: str | None = None,
           key: str = "electrolyte.composition") -> Bath:
        """Validate a composition; `family` None identifies it from the salts present."""
        if not isinstance(composition, Mapping):
            raise ConfigError(key, "expected a non-empty table of salt = wt %")
        try:
            items = tuple(composition.items())
            hash(items)
        except TypeError:
            return _bath(composition, family, key)
        return _bath_cached(items, family, key)

    @property
    def liquidus_k(self) -> float:
        """Bath liquidus (K) from the family's correlation (cached per bath)."""
        return _liquidus(self)


def _bath(composition: Mapping[str, Any], family: str | None, key: str) -> Bath:
    if family is None:
        wt = electrolyte.validate_composition(composition, key)
        return Bath(frozen_map(wt), electrolyte.family_of(wt))
    fam, wt = prepare(composition, family, key=key)  # also checks the family's salts
    return Bath(frozen_map(wt), fam)


@lru_cache(maxsize=256)
def _bath_cached(items: tuple[tuple[str, Any], ...], family: str | None, key: str) -> Bath:
    return _bath(dict(items), family, key)


@lru_cache(maxsize=256)
def _liquidus(bath: Bath) -> float:
    return float(electrolyte.liquidus(bath.composition_wt_pct, family=bath.family).value)

