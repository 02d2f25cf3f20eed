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
assumption (checked by the data integrity tests). `CellDesign.scaled(I)` scales a design
to another amperage at constant current density: areas, inventories and conductor
cross-sections scale with I, ACD and lining construction stay.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from alref import data
from alref.errors import ConfigError, DataError


class _Table(BaseModel):
    """A data table: provenance keys allowed, anything else must be declared."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str | None = None
    locator: str | None = None
    assumption: str | None = None


class Layer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    material: str
    thickness_m: float


class Lining(_Table):
    walls: tuple[Layer, ...]
    bottom: tuple[Layer, ...]
    lid: tuple[Layer, ...]
    shell_emissivity: float
    open_surface_m2: float
    open_surface_emissivity: float


class Geometry(_Table):
    cavity_length_m: float
    cavity_width_m: float
    cavity_depth_m: float


class Diaphragm(_Table):
    compartments: float
    cathode_width_m: float
    cathode_height_m: float
    cathode_thickness_m: float
    wall_thickness_m: float
    porosity: float
    tortuosity: float


class SideBySide(_Table):
    anode_pool_area_m2: float
    cathode_pool_area_m2: float
    bath_depth_m: float
    pool_width_m: float
    partition_width_m: float


class Inventory(_Table):
    anode_alloy_kg: float
    anode_cu_wt_pct: float
    bath_kg: float
    cathode_metal_kg: float


class PotControl(_Table):
    acd_min_m: float
    acd_max_m: float
    temperature_max_k: float
    superheat_min_k: float


class Conductor(_Table):
    material: str
    cross_section_m2: float
    length_m: float
    in_pot_fraction: float
    contact_resistance_ohm_m2: float = 0.0
    contact_area_m2: float = 1.0


class Conductors(_Table):
    anode: Conductor
    cathode: Conductor
    busbar: Conductor
    hearth_material: str | None = None
    hearth_thickness_m: float = 0.0


class Efficiency(_Table):
    dissolved_metal_mass_transfer_m_s: float
    metal_solubility_wt_pct: float
    exposed_pad_fraction: float
    pad_oxidation_kg_m2_s: float
    leakage_resistance_ohm: float


class Kinetics(_Table):
    exchange_current_density_a_m2: float
    charge_transfer_coefficient: float
    cathode_mass_transfer_m_s: float
    anode_mass_transfer_m_s: float


class Transfer(_Table):
    """Impurity routes into the product and losses, used by the campaign simulator."""

    entrainment_kg_per_a_s: float
    hardware_fe_kg_per_day: float
    refractory_si_kg_per_day: float
    bath_ion_mass_transfer_m_s: float
    fume_mass_transfer_m_s: float
    sludge_capacity_kg: float


class DesignFile(_Table):
    name: str
    title: str
    technology: str | None = None
    variant: Literal["stacked", "diaphragm", "side_by_side"]
    heating: Literal["self", "external_furnace"] = "self"
    rated_current_a: float
    geometry: Geometry
    diaphragm: Diaphragm | None = None
    side_by_side: SideBySide | None = None
    inventory: Inventory
    pot_control: PotControl
    lining: Lining
    conductors: Conductors
    efficiency: Efficiency
    kinetics: Kinetics
    transfer: Transfer | None = None


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
        """Conductor with its cross-section (and contact area) scaled with the current."""
        c: Conductor = getattr(self.spec.conductors, which)
        return c.model_copy(
            update={
                "cross_section_m2": c.cross_section_m2 * self.scale,
                "contact_area_m2": c.contact_area_m2 * self.scale,
            }
        )

    def scaled(self, current_a: float) -> CellDesign:
        """This design scaled to `current_a` at constant current density."""
        if current_a <= 0:
            raise ConfigError("cell.scale_to", "must be positive")
        return replace(self, scale=current_a / self.spec.rated_current_a)

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
        raise ConfigError(f"cell.parameters.{loc}", err["msg"]) from None


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
