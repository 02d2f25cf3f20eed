"""Pot control with the levers each design has, and the direction of every lever.

* a diaphragm pot's gap is fixed: its modes are 'auxiliary' (heaters or cooling hold the
  set temperature, the default) and 'fixed_acd' (the temperature follows the heat balance);
  a stacked pot adds 'bath_level' (the ACD moves); furnace cells have 'furnace' only;
* an unsupported mode is exit 2 naming cell.pot_control and the allowed modes;
* more current at fixed geometry -> more voltage, more heat, more energy per kg, and the
  cost is stated (cooling, or a higher self-heating temperature);
* a thicker lining -> less heat loss -> less auxiliary heat, a hotter self-heating pot.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from alref.api import cell_operating_point
from alref.cli import app
from alref.errors import ConfigError


def op(name: str = "rusal-3ka", *sets: str) -> dict:
    return cell_operating_point(name, list(sets)).to_dict()


@pytest.mark.parametrize(("design", "modes", "default"), [
    ("rusal-3ka", ["auxiliary", "fixed_acd"], "auxiliary"),
    ("rusal-500a", ["auxiliary", "fixed_acd"], "auxiliary"),
    ("hoopes-classic", ["bath_level", "fixed_acd"], "bath_level"),
    ("sintef-side-by-side", ["furnace"], "furnace"),
])
def test_modes_per_design(design: str, modes: list[str], default: str) -> None:
    d = op(design)
    assert d["pot_control"]["allowed_modes"] == modes
    assert d["pot_control"]["mode"] == default


def test_diaphragm_gap_is_fixed_in_every_mode() -> None:
    for mode in ("auxiliary", "fixed_acd"):
        for acd in ("2 cm", "4 cm"):
            d = op("rusal-3ka", f'cell.pot_control="{mode}"', f'cell.acd="{acd}"')
            assert d["acd_cm"] == pytest.approx(float(acd.split()[0]))


@pytest.mark.parametrize(("design", "mode"), [
    ("rusal-3ka", "bath_level"), ("rusal-3ka", "furnace"), ("hoopes-classic", "auxiliary"),
    ("sintef-three-layer", "bath_level"),
])
def test_unsupported_mode_is_a_config_error(design: str, mode: str) -> None:
    with pytest.raises(ConfigError) as exc:
        op(design, f'cell.pot_control="{mode}"')
    assert exc.value.key == "cell.pot_control"
    assert "allowed" in exc.value.message


def test_unsupported_mode_exits_2_naming_key_and_allowed_modes() -> None:
    res = CliRunner().invoke(app, ["cell", "rusal-3ka", "--set", 'cell.pot_control="bath_level"',
                                   "--json"])
    assert res.exit_code == 2
    assert "cell.pot_control" in res.output and "auxiliary, fixed_acd" in res.output


def test_more_current_costs_voltage_energy_and_cooling() -> None:
    """Must-show of issue 13: 3.5 kA against 3 kA at fixed geometry."""
    lo, hi = op("rusal-3ka"), op("rusal-3ka", 'cell.current="3.5 kA"')
    assert hi["cell_voltage_v"] > lo["cell_voltage_v"]
    assert hi["energy_kwh_per_kg"] > lo["energy_kwh_per_kg"]
    assert hi["heat_balance_kw"]["generated_in_pot"] > lo["heat_balance_kw"]["generated_in_pot"]
    # the cost is stated: cooling needed at the held temperature, and the temperature the
    # pot would reach without it
    assert hi["cooling_required_kw"] > lo["cooling_required_kw"]
    assert hi["pot_control"]["temperature_rise_k"] > 0
    assert any("cooling" in n for n in hi["notes"])


@pytest.mark.parametrize("mode", ["fixed_acd"])
def test_more_current_raises_temperature_when_it_floats(mode: str) -> None:
    temps = [op("rusal-3ka", f'cell.pot_control="{mode}"', f'cell.current="{i} kA"',
                'cell.acd="4 cm"')["bath_temperature_c"] for i in (3.0, 3.3, 3.6)]
    assert temps[0] < temps[1] < temps[2]


def test_more_current_raises_the_self_heating_temperature() -> None:
    t = [op("rusal-3ka", f'cell.current="{i} kA"')["pot_control"]["self_heating_temperature_c"]
         for i in (3.3, 3.6)]
    assert t[0] < t[1]


def test_thicker_lid_less_heat_loss_less_auxiliary_heat() -> None:
    base = op("rusal-3ka")
    thick = op("rusal-3ka", "cell.parameters={'lining.lid.0.thickness_m' = 0.20}")
    assert thick["heat_loss_kw"] < base["heat_loss_kw"]
    assert thick["auxiliary_heat_kw"] < base["auxiliary_heat_kw"]
    assert thick["energy_kwh_per_kg"] < base["energy_kwh_per_kg"]
    # the same current now heats the pot further on its own
    hot = op("rusal-3ka", 'cell.current="3.5 kA"',
             "cell.parameters={'lining.lid.0.thickness_m' = 0.20}")
    cold = op("rusal-3ka", 'cell.current="3.5 kA"')
    assert (hot["pot_control"]["self_heating_temperature_c"]
            > cold["pot_control"]["self_heating_temperature_c"])


def test_hotter_set_point_needs_more_auxiliary_heat() -> None:
    a, b = op("rusal-3ka"), op("rusal-3ka", 'cell.temperature="850 degC"')
    assert b["heat_loss_kw"] > a["heat_loss_kw"]
    assert b["auxiliary_heat_kw"] > a["auxiliary_heat_kw"]


def test_wider_gap_more_voltage_and_heat() -> None:
    a, b = op("rusal-3ka", 'cell.acd="2 cm"'), op("rusal-3ka", 'cell.acd="4 cm"')
    assert b["cell_voltage_v"] > a["cell_voltage_v"]
    assert b["heat_balance_kw"]["generated_in_pot"] > a["heat_balance_kw"]["generated_in_pot"]


def test_bath_level_moves_the_acd_to_hold_temperature() -> None:
    """Stacked pot: a hotter set point needs a thicker bath layer (more IR heat)."""
    a = op("hoopes-classic", 'cell.temperature="750 degC"')
    b = op("hoopes-classic", 'cell.temperature="790 degC"')
    assert a["bath_temperature_c"] == pytest.approx(750.0)
    assert b["acd_cm"] > a["acd_cm"]


def test_fixed_acd_without_lever_reports_leaving_the_window() -> None:
    """A fixed-gap pot with no heaters that cannot keep itself molten is outside its limits."""
    d = op("rusal-500a", 'cell.pot_control="fixed_acd"')
    assert d["auxiliary_heat_kw"] > 0
    assert d["within_limits"] is False
    assert d["limits"]["control_lever"]["ok"] is False
    assert op("rusal-500a")["within_limits"] is True  # with its heaters it is fine
