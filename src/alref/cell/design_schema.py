"""Schema of a cell design file (``alref/data/cells/<name>.toml``): one pydantic table per
section, each with its provenance keys (checked by the data-integrity tests), and the
pot-control modes a design may declare. `alref.cell.design` builds `CellDesign` from it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


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
    #: the bath compartment holds this multiple of the nominal bath volume (the nominal
    #: bath at its initial density) before it overflows
    bath_volume_max_fraction: float = Field(ge=1.0, le=5.0)
    #: the anode pool starts as the feed's metal (a cell without a Cu weighting agent whose
    #: anode is the scrap alloy itself, e.g. side-by-side laboratory cells); otherwise it
    #: starts as Al with anode_cu_wt_pct of Cu
    anode_from_feed: bool = False


#: Pot-control modes: the lever each uses to balance the heat of the pot.
POT_CONTROL_MODES: dict[str, str] = {
    "bath_level": "the bath layer (ACD) is raised or lowered within the design limits to hold "
                  "the set temperature; beyond the limits auxiliary heat or cooling is reported",
    "auxiliary": "the gap is fixed; auxiliary heating or cooling holds the set temperature",
    "fixed_acd": "the gap is held at cell.acd and no auxiliary lever is used: the temperature "
                 "is where the heat balance closes (auxiliary heat or cooling only at the "
                 "design's temperature limits)",
    "furnace": "a laboratory furnace holds the set temperature (its heat is not counted)",
}


class PotControl(_Table):
    modes: tuple[str, ...]
    default_mode: str
    acd_min_m: float
    acd_max_m: float
    temperature_max_k: float
    superheat_min_k: float

    @model_validator(mode="after")
    def _known_modes(self) -> PotControl:
        unknown = [m for m in self.modes if m not in POT_CONTROL_MODES]
        if unknown or not self.modes:
            raise ValueError(f"pot_control.modes must be a non-empty subset of "
                             f"{sorted(POT_CONTROL_MODES)}, got {list(self.modes)}")
        if self.default_mode not in self.modes:
            raise ValueError(f"pot_control.default_mode {self.default_mode!r} is not in modes")
        return self


class Conductor(_Table):
    material: str
    cross_section_m2: float
    length_m: float
    in_pot_fraction: float
    contact_resistance_ohm_m2: float = 0.0
    contact_area_m2: float = 1.0
    #: "plan": the run follows the pot's plan size (busbars between pots, collector bars in
    #: the hearth) and grows with sqrt(scale); "fixed": a vertical lead through the lid or
    #: hearth, whose length does not change with the pot's plan size
    length_scaling: Literal["plan", "fixed"] = "fixed"


class Conductors(_Table):
    anode: Conductor
    cathode: Conductor
    busbar: Conductor
    hearth_material: str | None = None
    hearth_thickness_m: float = 0.0


class Efficiency(_Table):
    #: boundary-layer mass-transfer coefficient of dissolved metal at 800 degC (carried to
    #: other temperatures by alref.cell.efficiency); the solubility comes from the bath
    dissolved_metal_mass_transfer_m_s: float
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
    # bare steel wetted by the anode alloy and by the cathode metal (design statement,
    # docs/research/impurity-transfer.md §3.8.4): dissolves at the natural-convection rate
    bare_steel_alloy_m2: float = Field(default=0.0, ge=0.0)
    bare_steel_cathode_metal_m2: float = Field(default=0.0, ge=0.0)
    # bath-wetted refractory hot face (§3.8.5): material of lining_materials.toml, wetted
    # area and recession rate; a silica-free face or a zero rate gives no Si
    refractory_bath_material: str | None = None
    refractory_bath_area_m2: float = Field(default=0.0, ge=0.0)
    refractory_recession_m_s: float = Field(default=0.0, ge=0.0)
    # capture at the cathode of the Si-selective route of the bath family (§3.8.7), relative
    # to Ueda's cell where the family's beta_Si was calibrated (1 = as there, 0 = off)
    buoyant_si_capture: float = Field(default=1.0, ge=0.0, le=1.0)
    bath_ion_mass_transfer_m_s: float
    fume_mass_transfer_m_s: float
    sludge_capacity_kg: float


class Validated(_Table):
    """Pot sizes (rated currents) the design's data come from; scaling beyond them warns."""

    current_min_a: float
    current_max_a: float


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
    validated: Validated

    @model_validator(mode="after")
    def _modes_fit_the_design(self) -> DesignFile:
        modes = set(self.pot_control.modes)
        if (self.heating == "external_furnace") != (modes == {"furnace"}):
            raise ValueError("pot_control.modes: 'furnace' is the one mode of a furnace-heated "
                             "design and only of such a design")
        if "bath_level" in modes and self.variant != "stacked":
            raise ValueError("pot_control.modes: 'bath_level' needs a stacked design (the ACD "
                             "of diaphragm and side-by-side pots is fixed by construction)")
        return self
