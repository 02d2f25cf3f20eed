"""`OperatingPoint`: the result of the steady-state model (`alref.cell.model.CellModel`).

SI floats inside; `to_dict` gives the keys of the `alref cell --json` contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alref.cell.design import CellDesign
from alref.cell.efficiency import CurrentEfficiency
from alref.cell.electrical import VoltageBreakdown
from alref.cell.feed import Feed
from alref.cell.thermal import HeatLoss


@dataclass(frozen=True)
class OperatingPoint:
    """Result of the steady-state model (SI inside; `to_dict` gives the CLI contract keys)."""

    scenario: str
    design: CellDesign
    current_a: float
    temperature_k: float
    acd_m: float
    pot_control: str
    acd_limit: str | None
    voltage: VoltageBreakdown
    ce: CurrentEfficiency
    production_kg_s: float
    heat: HeatLoss
    feed: Feed
    feed_heat_w: float
    heat_generated_w: float
    auxiliary_heat_w: float
    cooling_required_w: float
    bath: dict[str, Any]
    alloy: dict[str, Any]
    cathode_density_kg_m3: float
    layer_order_ok: bool | None
    warnings: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    #: pot-control report: allowed modes, self-heating temperature, limits (alref.cell.limits)
    control: dict[str, Any] = field(default_factory=dict)

    @property
    def cell_voltage_v(self) -> float:
        return self.voltage.total_v

    @property
    def dc_energy_j_per_kg(self) -> float:
        return self.cell_voltage_v * self.current_a / self.production_kg_s

    @property
    def energy_j_per_kg(self) -> float:
        """DC energy plus auxiliary heating (furnace heat of lab cells is not counted)."""
        aux = self.auxiliary_heat_w if self.design.spec.heating == "self" else 0.0
        return (self.cell_voltage_v * self.current_a + aux) / self.production_kg_s

    @property
    def thermally_self_sufficient(self) -> bool:
        return self.design.spec.heating == "self" and self.auxiliary_heat_w <= 1e-6

    def heat_balance_kw(self) -> dict[str, float]:
        """Heat in and out (kW): generated + auxiliary = losses + scrap heat + cooling.

        A pot whose heater at full power cannot keep it above its highest liquidus
        (`acd_limit` "heater_freeze", `alref.cell.heater`) has no steady state: it loses
        more than it receives and the difference is drawn from its own heat as a layer
        freezes. That term is shown as ``freezing_deficit`` so the books still balance
        and the deficit is visible; it is absent for every pot that has a steady state.
        Likewise a pot whose full cooling cannot hold it within its overheat bound
        ("cooling_overheat") receives more than it loses: ``overheating_surplus`` is the heat
        still going into it at that bound."""
        hb = {
            "generated_in_pot": self.heat_generated_w / 1e3,
            **{k: v / 1e3 for k, v in self.heat.flows_w.items()},
            "scrap_heating_and_melting": self.feed_heat_w / 1e3,
            "auxiliary_heat": self.auxiliary_heat_w / 1e3,
            "cooling_required": self.cooling_required_w / 1e3,
        }
        out = self.heat.total_w + self.feed_heat_w + self.cooling_required_w
        if self.acd_limit == "heater_freeze":
            hb["freezing_deficit"] = (out - self.heat_generated_w - self.auxiliary_heat_w) / 1e3
        elif self.acd_limit == "cooling_overheat":
            hb["overheating_surplus"] = (self.heat_generated_w + self.auxiliary_heat_w - out) / 1e3
        return hb

    def to_dict(self) -> dict[str, Any]:
        kwh = 3.6e6
        d = self.design
        return {
            "scenario": self.scenario,
            "design": d.name,
            "variant": d.variant,
            "current_a": self.current_a,
            "cathode_current_density_a_cm2": self.current_a / d.cathode_area_m2 / 1e4,
            "cell_voltage_v": self.cell_voltage_v,
            "voltage_breakdown_v": dict(self.voltage.terms),
            "current_efficiency": self.ce.current_efficiency,
            "ce_losses_a": dict(self.ce.losses_a),
            "energy_kwh_per_kg": self.energy_j_per_kg / kwh,
            "dc_energy_kwh_per_kg": self.dc_energy_j_per_kg / kwh,
            "auxiliary_energy_kwh_per_kg": (self.energy_j_per_kg - self.dc_energy_j_per_kg) / kwh,
            "production_kg_per_day": self.production_kg_s * 86400.0,
            "heat_loss_kw": self.heat.total_w / 1e3,
            "heat_balance_kw": self.heat_balance_kw(),
            "shell_temperature_c": {k: v - 273.15 for k, v in self.heat.shell_temperature_k.items()},
            "auxiliary_heat_kw": self.auxiliary_heat_w / 1e3,
            "thermally_self_sufficient": self.thermally_self_sufficient,
            "bath_temperature_c": self.temperature_k - 273.15,
            "acd_cm": self.acd_m * 100,
            "pot_control": {
                "mode": self.pot_control, "acd_at_limit": self.acd_limit,
                **{k: v for k, v in self.control.items() if k not in ("limits", "within_limits")},
            },
            "cooling_required_kw": self.cooling_required_w / 1e3,
            "limits": self.control.get("limits", {}),
            "within_limits": self.control.get("within_limits"),
            "ce_detail": dict(self.ce.detail),
            "bath": self.bath,
            "anode_alloy": self.alloy,
            "scrap_kg_per_kg_product": self.feed.scrap_per_kg_al,
            "layer_densities_g_cm3": {
                "anode": self.alloy["density_g_cm3"],
                "electrolyte": self.bath["density_g_cm3"],
                "cathode": self.cathode_density_kg_m3 / 1e3,
            },
            "layer_order_ok": self.layer_order_ok,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "citations": list(self.citations),
        }
