"""Cell designs (`CellDesign`): geometry, lining, conductors and loss parameters of a pot.

Three variants (domain-physics §2–3):

* ``stacked`` — classic three-layer Hoopes cell: anode alloy at the bottom, bath, refined
  Al pad on top; the cathode area is the cavity cross-section.
* ``diaphragm`` — RUSAL-type (RU2809349C1): porous diaphragm compartments filled with
  electrolyte, each holding a vertical cathode, immersed in the impure alloy pool. The
  diaphragm wall's effective conductivity is κ·ε/τ (porosity ε, tortuosity τ).
* ``side_by_side`` — anode and cathode metal pools side by side under one bath
  (SINTEF, Met. Mater. Trans. B 2021), separated by an insulating partition.

Designs live in ``alref/data/cells/<name>.toml``; every number has a source or an
assumption (checked by the data integrity tests); their schema is
`alref.cell.design_schema`. `CellDesign.scaled(I)` scales a design to another amperage at
constant current density: areas, inventories and conductor cross-sections scale with I,
busbar and collector runs with the plan size (√I), ACD, lining and vertical leads stay; a
rating outside the design's validated range warns.
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from pydantic import ValidationError

from alref import data
from alref.cell.design_schema import (
    POT_CONTROL_MODES,
    Conductor,
    DesignFile,
    Layer,
)
from alref.errors import ConfigError, DataError
from alref.properties.registry import RangeWarning

__all__ = [
    "POT_CONTROL_MODES", "CellDesign", "Conductor", "DesignFile", "Layer", "calibrated_raw",
    "calibration", "design_names", "load_design", "set_design_value",
]


@dataclass(frozen=True)
class CellDesign:
    """A pot design at a given amperage rating (immutable; use `scaled`)."""

    spec: DesignFile
    scale: float = 1.0  # current ratio to the file's rating

    # ---- identity
    @property
    def name(self) -> str:
        return self.spec.name if self.scale == 1.0 else f"{self.spec.name}@{self.rated_current_a/1e3:g}kA"

    @property
    def variant(self) -> str:
        return self.spec.variant

    @property
    def rated_current_a(self) -> float:
        return self.spec.rated_current_a * self.scale

    # ---- geometry (scaled at constant current density: areas ∝ I, depths constant)
    @property
    def cavity_length_m(self) -> float:
        return self.spec.geometry.cavity_length_m * math.sqrt(self.scale)

    @property
    def cavity_width_m(self) -> float:
        return self.spec.geometry.cavity_width_m * math.sqrt(self.scale)

    @property
    def cavity_depth_m(self) -> float:
        return self.spec.geometry.cavity_depth_m

    @property
    def cavity_area_m2(self) -> float:
        return self.cavity_length_m * self.cavity_width_m

    @property
    def cathode_area_m2(self) -> float:
        """Electrochemically active cathode area."""
        if self.variant == "diaphragm":
            d = self.spec.diaphragm
            return self.compartments * 2.0 * d.cathode_width_m * d.cathode_height_m
        if self.variant == "side_by_side":
            return self.spec.side_by_side.cathode_pool_area_m2 * self.scale
        return self.cavity_area_m2

    @property
    def anode_area_m2(self) -> float:
        """Alloy/electrolyte interface area carrying the anodic current."""
        if self.variant == "diaphragm":
            return self.diaphragm_area_m2
        if self.variant == "side_by_side":
            return self.spec.side_by_side.anode_pool_area_m2 * self.scale
        return self.cavity_area_m2

    @property
    def compartments(self) -> float:
        return self.spec.diaphragm.compartments * self.scale

    @property
    def diaphragm_area_m2(self) -> float:
        """Outer wall area of all diaphragm compartments wetted by the alloy (sides + bottom)."""
        d = self.spec.diaphragm
        gap = self._design_gap_m()
        w = d.cathode_width_m + 2 * gap
        t = d.cathode_thickness_m + 2 * gap
        h = d.cathode_height_m
        return self.compartments * (2 * w * h + 2 * t * h + w * t)

    def _design_gap_m(self) -> float:
        """Compartment size is built for the largest gap (ACD) the design allows."""
        return self.spec.pot_control.acd_max_m

    # ---- inventories
    @property
    def anode_alloy_kg(self) -> float:
        return self.spec.inventory.anode_alloy_kg * self.scale

    @property
    def bath_kg(self) -> float:
        return self.spec.inventory.bath_kg * self.scale

    @property
    def cathode_metal_kg(self) -> float:
        return self.spec.inventory.cathode_metal_kg * self.scale

    @property
    def open_surface_m2(self) -> float:
        return self.spec.lining.open_surface_m2 * self.scale

    def conductor(self, which: Literal["anode", "cathode", "busbar"]) -> Conductor:
        """Conductor scaled with the pot: cross-section and contact area with the current
        (the same current density in the bar and the joints), the length of runs that
        follow the plan size with sqrt(scale) — so the busbar and collector drops grow
        with pot size, while vertical leads and the joints keep theirs."""
        c: Conductor = getattr(self.spec.conductors, which)
        length = c.length_m * (math.sqrt(self.scale) if c.length_scaling == "plan" else 1.0)
        return c.model_copy(
            update={
                "cross_section_m2": c.cross_section_m2 * self.scale,
                "contact_area_m2": c.contact_area_m2 * self.scale,
                "length_m": length,
            }
        )

    def scaled(self, current_a: float) -> CellDesign:
        """This design scaled to `current_a` at constant current density.

        Warns (RangeWarning, listed in the JSON ``warnings``) when the new rating leaves the
        pot sizes the design's data come from (``[validated]`` of the design file).
        """
        if current_a <= 0:
            raise ConfigError("cell.scale_to", "must be positive")
        out = replace(self, scale=current_a / self.spec.rated_current_a)
        outside = out.outside_validated_range()
        if outside:
            warnings.warn(outside, RangeWarning, stacklevel=2)
        return out

    def outside_validated_range(self) -> str | None:
        """Why this design's rating lies outside the pot sizes its data come from, or None
        (the same message from `scaled` and from `alref cell`, so it is listed once)."""
        v = self.spec.validated
        rating = self.rated_current_a
        if v.current_min_a * (1 - 1e-9) <= rating <= v.current_max_a * (1 + 1e-9):
            return None
        return (f"design {self.spec.name}: scaled to {rating / 1e3:g} kA, outside its "
                f"validated range {v.current_min_a / 1e3:g}-{v.current_max_a / 1e3:g} kA "
                "(geometry, heat loss and conductor data extrapolated)")

    @property
    def heater_max_w(self) -> float:
        """Largest auxiliary heat (W) the design can supply (inf: no rating declared)."""
        h = self.spec.pot_control.heater
        return math.inf if h is None else h.heating_max_w * self.scale

    @property
    def cooling_max_w(self) -> float:
        """Largest heat (W) the design's cooling can remove (inf: no rating declared)."""
        h = self.spec.pot_control.heater
        return math.inf if h is None else h.cooling_max_w * self.scale

    def control_mode(self, requested: str | None) -> str:
        """The pot-control mode to use: the design's default, or `requested` if the design
        supports it (ConfigError naming ``cell.pot_control`` and the allowed modes)."""
        pc = self.spec.pot_control
        if requested is None:
            return pc.default_mode
        if requested not in pc.modes:
            raise ConfigError(
                "cell.pot_control",
                f"{requested!r} is not a control mode of design {self.spec.name}; "
                f"allowed: {', '.join(pc.modes)}",
            )
        return requested

    # ---- outer dimensions (for heat loss)
    def outer_box_m(self) -> tuple[float, float, float]:
        """Outer length, width, height of the lined pot (cavity + lining)."""
        tw = sum(layer.thickness_m for layer in self.spec.lining.walls)
        tb = sum(layer.thickness_m for layer in self.spec.lining.bottom)
        tl = sum(layer.thickness_m for layer in self.spec.lining.lid)
        return (
            self.cavity_length_m + 2 * tw,
            self.cavity_width_m + 2 * tw,
            self.cavity_depth_m + tb + tl,
        )


def design_names() -> list[str]:
    """Built-in cell design presets."""
    return [n.split("/", 1)[1] for n in data.list_files("cells") if not n.split("/")[-1].startswith("_")]


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Tables in `over` replace whole tables of `base` (provenance travels with the table)."""
    out = dict(base)
    for key, value in over.items():
        if key in ("base",):
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key == "conductors":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def design_table(name: str, depth: int = 0) -> dict[str, Any]:
    """Raw design table of `name` (``data/cells/<name>.toml`` merged over its `base` chain),
    before its technology's calibrated values are applied (`calibrated_raw`)."""
    raw: dict[str, Any] = data.load(f"cells/{name}")
    if "base" in raw:
        if depth > 4:
            raise DataError(f"cells/{name}.toml: 'base' chain too deep")
        return _merge(design_table(raw["base"], depth + 1), raw)
    return dict(raw)


def calibration(technology: str | None) -> dict[str, dict[str, Any]]:
    """Calibrated design values of a technology: path -> {value, fitted_to, fitted_on, ...}.

    Files ``alref/data/calibration/<technology>.toml`` hold, per dotted design path, the
    fitted `value`, the literature `range` it must stay in (with its source), the cases it
    was `fitted_to`, the date `fitted_on` and the `uncertainty`. They are written by
    `alref calibrate` and applied on top of every design of that technology.
    """
    if not technology or f"calibration/{technology}" not in data.list_files("calibration"):
        return {}
    raw = data.load(f"calibration/{technology}")
    return {str(k): dict(v) for k, v in raw.get("parameters", {}).items()}


def calibrated_raw(name: str) -> dict[str, Any]:
    """Raw design table of `name` with its technology's calibrated values applied."""
    raw = copy.deepcopy(design_table(name))
    for path, entry in calibration(raw.get("technology")).items():
        set_design_value(raw, path, entry["value"], key=f"calibration.{path}")
    return raw


@lru_cache(maxsize=32)
def _load_spec(name: str) -> DesignFile:
    raw = calibrated_raw(name)
    try:
        spec = DesignFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise DataError(f"cells/{name}.toml: {loc}: {err['msg']}") from None
    if spec.variant == "diaphragm" and spec.diaphragm is None:
        raise DataError(f"cells/{name}.toml: diaphragm variant needs a [diaphragm] table")
    if spec.variant == "side_by_side" and spec.side_by_side is None:
        raise DataError(f"cells/{name}.toml: side_by_side variant needs a [side_by_side] table")
    return spec


def load_design(
    name: str, *, key: str = "cell.design", parameters: Mapping[str, float] | None = None
) -> CellDesign:
    """A built-in design by name; unknown names are a ConfigError naming `key`.

    `parameters` overrides numeric design values by dotted path (e.g.
    ``{"transfer.entrainment_kg_per_a_s": 5e-11, "lining.lid.0.thickness_m": 0.1}``);
    this is how scenarios, calibration and studies change a design without copying it.
    """
    if name not in design_names():
        raise ConfigError(key, f"unknown cell design {name!r}; known: {', '.join(design_names())}")
    if not parameters:
        return CellDesign(_load_spec(name))
    raw = calibrated_raw(name)
    for path, value in parameters.items():
        set_design_value(raw, path, value, key=f"cell.parameters.{path}")
    try:
        return CellDesign(DesignFile.model_validate(raw))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"cell.parameters.{loc}",
                          f"{err['msg']} (got {err.get('input')!r})"[:300]) from None


def set_design_value(raw: dict[str, Any], path: str, value: Any, *, key: str) -> None:
    """Set a numeric design value by dotted path (list items by index) in a raw table."""
    parts = path.split(".")
    node: Any = raw
    for part in parts[:-1]:
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ConfigError(key, f"no item {part!r} in the design")
            node = node[int(part)]
        elif isinstance(node, dict) and isinstance(node.get(part), dict | list):
            node = node[part]
        else:
            raise ConfigError(key, f"no design table {part!r}")
    leaf = parts[-1]
    if not isinstance(node, dict) or leaf not in node:
        raise ConfigError(key, "unknown design parameter")
    old = node[leaf]
    if isinstance(old, bool) or not isinstance(old, int | float):
        raise ConfigError(key, "only numeric design parameters can be overridden")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(key, f"expected a finite number, got {value!r}")
    if value < 0:
        raise ConfigError(key, f"must be >= 0, got {value!r}")
    node[leaf] = float(value)
