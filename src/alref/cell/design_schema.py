"""Schema of a cell design file (``alref/data/cells/<name>.toml``): one pydantic table per
section, each with its provenance keys (checked by the data-integrity tests), and the
pot-control modes a design may declare. `alref.cell.design` builds `CellDesign` from it.

Every number declares its physical range here, next to its name (`span`): what a pot can
be, not what the data support (those are the correlations' validity ranges, which warn).
A design file or a ``cell.parameters`` override outside it is refused, naming the key,
the value and the range. The bounds are definitions (fractions, porosity in (0, 1),
tortuosity >= 1), Faraday's law (entrainment), or plausibility bands whose reason is
given where they are declared.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Faraday's law: Al deposited per coulomb, M_Al / 3F = 26.9815e-3 / (3 x 96485.33) kg/C;
#: more alloy entrained into the product than Al deposited is no refining
AL_DEPOSITED_KG_PER_A_S = 26.9815385e-3 / (3 * 96485.33212)
#: plausibility bands (assumption: beyond them a value is a unit slip, not a pot)
SIZE_M = (1.0e-3, 20.0)  # a pot dimension: from 1 mm to beyond any Hall-Heroult cell (~17 m)
AREA_M2 = (1.0e-6, 400.0)  # an electrode or pool area: 1 mm2 to 20 m x 20 m
MASS_KG = (0.0, 1.0e6)  # an inventory: up to 1000 t, beyond any refining pot (0.1-20 t)
LAYER_MIN_KG = 1.0e-3  # a liquid layer of at least 1 g (laboratory cells hold 0.3-3 kg)
RATE_M_S = (0.0, 1.0)  # a mass-transfer coefficient: stirred liquids are ~1e-4 m/s
CURRENT_A = (0.0, 1.0e7)  # a rating: up to 10 MA (alref.cell.inputs.MAX_CURRENT_A)


def span(lo: float | None, hi: float | None, *, lo_open: bool = False,
         hi_open: bool = False, **kwargs: Any) -> Any:
    """A numeric field with its physical range [lo, hi] (open ends where said)."""
    bounds: dict[str, float] = {}
    if lo is not None:
        bounds["gt" if lo_open else "ge"] = lo
    if hi is not None:
        bounds["lt" if hi_open else "le"] = hi
    return Field(**bounds, allow_inf_nan=False, **kwargs)


def _size() -> Any:
    return span(*SIZE_M)


class _Table(BaseModel):
    """A data table: provenance keys allowed, anything else must be declared."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str | None = None
    locator: str | None = None
    assumption: str | None = None


class Layer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    material: str
    thickness_m: float = span(1.0e-3, 2.0)  # a 1 mm sheet to a 2 m wall


class Lining(_Table):
    walls: tuple[Layer, ...]
    bottom: tuple[Layer, ...]
    lid: tuple[Layer, ...]
    shell_emissivity: float = span(0.0, 1.0, lo_open=True)
    open_surface_m2: float = span(0.0, AREA_M2[1])
    open_surface_emissivity: float = span(0.0, 1.0)


class Geometry(_Table):
    cavity_length_m: float = _size()
    cavity_width_m: float = _size()
    cavity_depth_m: float = _size()


class Diaphragm(_Table):
    compartments: float = span(1.0, 1.0e4)
    cathode_width_m: float = _size()
    cathode_height_m: float = _size()
    cathode_thickness_m: float = _size()
    wall_thickness_m: float = span(SIZE_M[0], 0.5)  # a porous wall, 1 mm to 0.5 m
    porosity: float = span(0.0, 1.0, lo_open=True, hi_open=True)  # a void fraction
    tortuosity: float = span(1.0, 100.0)  # >= 1 by definition (path over thickness)
    # share of the deposited metal volume that pushes compartment bath out through the wall
    # (returned from the anode side at each drain or tap; wall transfer W1,
    # docs/research/impurity-transfer.md §3.8.3): 0 = metal drains as it forms, 1 = it
    # collects in the compartment until tapped
    displaced_bath_fraction: float = span(0.0, 1.0, default=0.0)
    # mean pore (or fibre/grain) size of the wall for its Kozeny-Carman permeability
    # (checks that the displaced bath can pass the wall); None: not stated
    pore_diameter_m: float | None = span(1.0e-8, 0.01, default=None)


class SideBySide(_Table):
    anode_pool_area_m2: float = span(*AREA_M2)
    cathode_pool_area_m2: float = span(*AREA_M2)
    bath_depth_m: float = _size()
    pool_width_m: float = _size()
    partition_width_m: float = _size()


class Inventory(_Table):
    anode_alloy_kg: float = span(LAYER_MIN_KG, MASS_KG[1])
    anode_cu_wt_pct: float = span(0.0, 100.0, hi_open=True)
    bath_kg: float = span(LAYER_MIN_KG, MASS_KG[1])
    cathode_metal_kg: float = span(*MASS_KG)
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


class Heater(_Table):
    """Authority of the auxiliary heating and cooling (``[pot_control.heater]``), W at the
    file's rated current (a scaled design scales them with its current, like its
    inventories): beyond them the pot's temperature follows the heat balance."""

    heating_max_w: float = span(0.0, 1.0e9)
    cooling_max_w: float = span(0.0, 1.0e9)


class PotControl(_Table):
    modes: tuple[str, ...]
    default_mode: str
    acd_min_m: float = span(0.0, 1.0, lo_open=True)  # a gap within a 1 m deep cavity
    acd_max_m: float = span(0.0, 1.0, lo_open=True)
    #: from the melting point of Al (933.47 K) to the sublimation of AlF3 at 1 bar (1549 K)
    temperature_max_k: float = span(933.47, 1549.15)
    superheat_min_k: float = span(0.0, 500.0)
    #: None: no rating declared, the heater and cooling are unlimited
    heater: Heater | None = None

    @model_validator(mode="after")
    def _known_modes(self) -> PotControl:
        unknown = [m for m in self.modes if m not in POT_CONTROL_MODES]
        if unknown or not self.modes:
            raise ValueError(f"pot_control.modes must be a non-empty subset of "
                             f"{sorted(POT_CONTROL_MODES)}, got {list(self.modes)}")
        if self.default_mode not in self.modes:
            raise ValueError(f"pot_control.default_mode {self.default_mode!r} is not in modes")
        if self.acd_min_m > self.acd_max_m:
            raise ValueError(f"acd_min_m {self.acd_min_m:g} m is above acd_max_m "
                             f"{self.acd_max_m:g} m")
        return self


class Conductor(_Table):
    material: str
    cross_section_m2: float = span(*AREA_M2)
    length_m: float = span(0.0, 1000.0)  # a conductor run, up to a potline's 1 km
    in_pot_fraction: float = span(0.0, 1.0)
    contact_resistance_ohm_m2: float = span(0.0, 1.0, default=0.0)
    contact_area_m2: float = span(*AREA_M2, default=1.0)
    #: "plan": the run follows the pot's plan size (busbars between pots, collector bars in
    #: the hearth) and grows with sqrt(scale); "fixed": a vertical lead through the lid or
    #: hearth, whose length does not change with the pot's plan size
    length_scaling: Literal["plan", "fixed"] = "fixed"


class Conductors(_Table):
    anode: Conductor
    cathode: Conductor
    busbar: Conductor
    hearth_material: str | None = None
    hearth_thickness_m: float = span(0.0, 2.0, default=0.0)


class Efficiency(_Table):
    #: boundary-layer mass-transfer coefficient of dissolved metal at 800 degC (carried to
    #: other temperatures by alref.cell.efficiency); the solubility comes from the bath
    dissolved_metal_mass_transfer_m_s: float = span(*RATE_M_S)
    exposed_pad_fraction: float = span(0.0, 1.0)
    pad_oxidation_kg_m2_s: float = span(0.0, 1.0)
    leakage_resistance_ohm: float = span(0.0, 1.0e12, lo_open=True)  # 0 would short the pot


class Kinetics(_Table):
    exchange_current_density_a_m2: float = span(0.0, 1.0e9, lo_open=True)
    charge_transfer_coefficient: float = span(0.0, 1.0, lo_open=True, hi_open=True)
    cathode_mass_transfer_m_s: float = span(*RATE_M_S, lo_open=True)
    anode_mass_transfer_m_s: float = span(*RATE_M_S, lo_open=True)


class Transfer(_Table):
    """Impurity routes into the product and losses, used by the campaign simulator."""

    entrainment_kg_per_a_s: float = span(0.0, AL_DEPOSITED_KG_PER_A_S)
    # bare steel wetted by the anode alloy and by the cathode metal (design statement,
    # docs/research/impurity-transfer.md §3.8.4): dissolves at the natural-convection rate
    bare_steel_alloy_m2: float = span(0.0, AREA_M2[1], default=0.0)
    bare_steel_cathode_metal_m2: float = span(0.0, AREA_M2[1], default=0.0)
    # bath-wetted refractory hot face (§3.8.5): material of lining_materials.toml, wetted
    # area and recession rate; a silica-free face or a zero rate gives no Si
    refractory_bath_material: str | None = None
    refractory_bath_area_m2: float = span(0.0, AREA_M2[1], default=0.0)
    refractory_recession_m_s: float = span(*RATE_M_S, default=0.0)
    # capture at the cathode of the Si-selective route of the bath family (§3.8.7), relative
    # to Ueda's cell where the family's beta_Si was calibrated (1 = as there, 0 = off)
    buoyant_si_capture: float = span(0.0, 1.0, default=1.0)
    bath_ion_mass_transfer_m_s: float = span(*RATE_M_S)
    fume_mass_transfer_m_s: float = span(*RATE_M_S)
    sludge_capacity_kg: float = span(*MASS_KG, lo_open=True)


class Validated(_Table):
    """Pot sizes (rated currents) the design's data come from; scaling beyond them warns."""

    current_min_a: float = span(*CURRENT_A, lo_open=True)
    current_max_a: float = span(*CURRENT_A, lo_open=True)


class DesignFile(_Table):
    name: str
    title: str
    technology: str | None = None
    variant: Literal["stacked", "diaphragm", "side_by_side"]
    heating: Literal["self", "external_furnace"] = "self"
    rated_current_a: float = span(*CURRENT_A, lo_open=True)
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
