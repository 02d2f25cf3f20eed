"""Lumped steady-state heat balance of a refining pot (domain-physics §8).

Nearly all electrical input inside the pot becomes heat (§8.1): the reaction enthalpy
of moving Al from one Al phase to another is ~0. At steady state

    Q_electrical,in pot = Q_walls + Q_bottom + Q_lid + Q_open surface + Q_leads + Q_feed

Walls, bottom and lid are 1-D layered linings with natural convection and radiation
outside (`alref.properties.heat_transfer.wall_heat_loss`); current leads are thermal
bridges; an open charging well radiates; scrap charged cold takes its heating and melting
enthalpy from the pot.
"""

from __future__ import annotations

from dataclasses import dataclass

from alref.cell.design import CellDesign, Layer
from alref.properties.heat_transfer import lead_heat_loss, open_surface_loss, wall_heat_loss


@dataclass(frozen=True)
class HeatLoss:
    """Heat flows (W) out of the pot at a given inside temperature, and shell temperatures."""

    flows_w: dict[str, float]
    shell_temperature_k: dict[str, float]

    @property
    def total_w(self) -> float:
        return sum(self.flows_w.values())


def _mid_dims(design: CellDesign) -> tuple[float, float, float]:
    """Dimensions at mid-lining thickness (for areas of thick linings)."""
    lin = design.spec.lining
    tw = sum(x.thickness_m for x in lin.walls)
    tb = sum(x.thickness_m for x in lin.bottom)
    tl = sum(x.thickness_m for x in lin.lid)
    length = design.cavity_length_m + tw
    width = design.cavity_width_m + tw
    height = design.cavity_depth_m + 0.5 * (tb + tl)
    return length, width, height


def _layers(layers: tuple[Layer, ...]) -> list[tuple[str, float]]:
    return [(x.material, x.thickness_m) for x in layers]


def heat_loss(design: CellDesign, inside_k: float, ambient_k: float) -> HeatLoss:
    """Heat lost through the lining, the open surface and the current leads."""
    lin = design.spec.lining
    length, width, height = _mid_dims(design)
    _, _, outer_h = design.outer_box_m()
    flows: dict[str, float] = {}
    shells: dict[str, float] = {}
    footprint = length * width
    lid_area = max(footprint - design.open_surface_m2, 0.0)
    plan_char = footprint / (2 * (length + width))  # A/P for horizontal plates
    parts = (
        ("walls", lin.walls, 2 * (length + width) * height, "vertical", outer_h),
        ("bottom", lin.bottom, footprint, "bottom", plan_char),
        ("lid", lin.lid, lid_area, "top", plan_char),
    )
    for name, layers, area, orientation, char in parts:
        res = wall_heat_loss(
            inside_k, ambient_k, _layers(layers), area, orientation, char,
            emissivity=lin.shell_emissivity,
        )
        flows[name] = res.heat_flow_W
        shells[name] = res.shell_temperature_K
    flows["open_surface"] = (
        open_surface_loss(inside_k, ambient_k, design.open_surface_m2, lin.open_surface_emissivity)
        if design.open_surface_m2 > 0 else 0.0
    )
    leads = 0.0
    for which in ("anode", "cathode"):
        c = design.conductor(which)
        leads += lead_heat_loss(inside_k, ambient_k, c.material, c.cross_section_m2, c.length_m)
    flows["current_leads"] = leads
    return HeatLoss(flows_w=flows, shell_temperature_k=shells)
