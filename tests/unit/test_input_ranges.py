"""Issue 17: every input has a physical range declared once, on its schema field; a value
outside is exit 2 with one line naming the key, the value and the range. Temperatures and
temperature differences are not interchangeable."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from alref.cli import app

runner = CliRunner()


def _fails(args: list[str], key: str, *fragments: str) -> str:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0], res.stderr
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("setting", "key", "fragment"),
    [
        ("transfer.entrainment_kg_per_a_s=1", "transfer.entrainment_kg_per_a_s", "1.0"),
        ("geometry.cavity_length_m=1e-6", "geometry.cavity_length_m", "0.001"),
        ("diaphragm.cathode_height_m=1e-6", "diaphragm.cathode_height_m", "0.001"),
        ("diaphragm.porosity=2", "diaphragm.porosity", "less than 1"),
        ("diaphragm.tortuosity=0.5", "diaphragm.tortuosity", "greater than or equal to 1"),
        ("lining.lid.0.thickness_m=0", "lining.lid.0.thickness_m", "0.001"),
        ("efficiency.exposed_pad_fraction=1.5", "efficiency.exposed_pad_fraction", "1.5"),
        ("pot_control.acd_min_m=0.2", "pot_control", "acd_max_m"),
    ],
)
def test_design_parameters_outside_their_physical_range_exit_2(setting, key, fragment) -> None:
    _fails(["cell", "--set", f"cell.parameters.{setting}", "--json"],
           f"cell.parameters.{key.split('.')[0]}", fragment)


def test_a_design_parameter_inside_its_range_still_runs() -> None:
    res = runner.invoke(app, ["cell", "--set", "cell.parameters.diaphragm.porosity=0.5", "--json"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize(
    ("setting", "key", "fragment"),
    [
        ('cell.temperature="2000 degC"', "cell.temperature", "[660.32 degC, 1276 degC]"),
        ("cell.temperature=100", "cell.temperature", "outside the range"),
        ('cell.acd="2 m"', "cell.acd", "1 m]"),
        ('cell.current="20 MA"', "cell.current", "outside the range"),
        ('feed.scrap={twitch=-1}', "feed.scrap.twitch", "greater than or equal to 0"),
        ("electrolyte.composition={NaF=400, AlF3=-300}", "electrolyte.composition",
         "100"),
        ("feed.anode_cu_wt_pct=100", "feed.anode_cu_wt_pct", "less than 100"),
        ("cell.parameters={x=nan}", "cell.parameters.x", "finite"),
        ('name=""', "name", "at least 1"),
        ('cell.design=""', "cell.design", "at least 1"),
    ],
)
def test_scenario_values_outside_their_declared_range_exit_2(setting, key, fragment) -> None:
    _fails(["cell", "--set", setting, "--json"], key, fragment)


@pytest.mark.parametrize(
    ("setting", "key", "fragment"),
    [
        ('campaign.termination.density_margin_min="10 g/cm**3"',
         "campaign.termination.density_margin_min", "1.5 g/cm**3"),
        ('campaign.termination.max_duration="2000 d"', "campaign.termination.max_duration",
         "1000 d"),
        ('campaign.time_step="1 s"', "campaign.time_step", "[1 min, 1 d]"),
        ('campaign.termination.sludge_capacity="0 kg"', "campaign.termination.sludge_capacity",
         "(0 kg"),
        ('campaign.current_profile=[["1 d", "-3 kA"]]', "campaign.current_profile[0]",
         "outside the range"),
    ],
)
def test_plan_values_outside_their_range_exit_2(setting, key, fragment) -> None:
    _fails(["simulate", "--set", setting, "--json"], key, fragment)


def test_a_temperature_refuses_a_temperature_difference() -> None:
    _fails(["cell", "--set", 'cell.temperature="800 delta_degC"', "--json"], "cell.temperature",
           "temperature difference")
    _fails(["cell", "--set", 'feed.charge_temperature="25 delta_degC"', "--json"],
           "feed.charge_temperature", "temperature difference")
    _fails(["props", "electrolyte", "--composition", "NaF=40,AlF3=60", "--temperature",
            "800 delta_degC", "--json"], "--temperature", "temperature difference")


def test_a_temperature_difference_refuses_an_absolute_temperature() -> None:
    _fails(["simulate", "--set", 'campaign.termination.alloy_superheat_min="20 degC"', "--json"],
           "campaign.termination.alloy_superheat_min", "absolute temperature")


def test_kelvin_and_delta_units_serve_differences() -> None:
    from alref.units import to_si

    assert to_si("20 delta_degC", "K", key="x", temperature="difference") == pytest.approx(20.0)
    assert to_si("20 K", "K", key="x", temperature="difference") == pytest.approx(20.0)
    assert to_si("1073.15 K", "degC", key="x") == pytest.approx(1073.15)
