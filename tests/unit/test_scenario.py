"""Scenario loading, overrides and input errors (errors must name the key)."""

from __future__ import annotations

import pytest

from alref.errors import ConfigError
from alref.scenario import (
    apply_overrides,
    load_raw,
    load_scenario,
    parse_set_value,
    preset_names,
)


def test_presets_exist() -> None:
    names = preset_names()
    for required in ("rusal-3ka", "rusal-500a", "hoopes-classic", "rusal-3ka-twitch"):
        assert required in names


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_validates_and_resolves(name: str) -> None:
    r = load_scenario(name).resolved()
    assert r.current_a > 0 and r.temperature_k > 273.15 and r.acd_m > 0


def test_units_are_parsed_to_si() -> None:
    r = load_scenario("rusal-3ka", ['cell.current="6 kA"', 'cell.temperature="820 degC"',
                                    'cell.acd="25 mm"']).resolved()
    assert r.current_a == pytest.approx(6000.0)
    assert r.temperature_k == pytest.approx(1093.15)
    assert r.acd_m == pytest.approx(0.025)


def test_scale_to_sets_current() -> None:
    sc = load_scenario("rusal-3ka", ['cell.scale_to="30 kA"'])
    assert sc.inputs().current_a == pytest.approx(30000.0)
    design = sc.cell_design()
    assert design.scale == pytest.approx(30000.0 / design.spec.rated_current_a)


def test_set_value_parsing() -> None:
    assert parse_set_value('"3 kA"') == "3 kA"
    assert parse_set_value("3000") == 3000
    assert parse_set_value("{twitch=0.7, zorba=0.3}") == {"twitch": 0.7, "zorba": 0.3}
    assert parse_set_value("twitch") == "twitch"  # bare word falls back to a string


def test_overrides_do_not_mutate_preset() -> None:
    raw = load_raw("rusal-3ka")
    before = raw["cell"]["current"]
    apply_overrides(raw, ['cell.current="1 kA"'])
    assert raw["cell"]["current"] == before
    assert load_raw("rusal-3ka")["cell"]["current"] == before


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ('cell.bogus=1', "cell.bogus"),
        ('nonsense.key=1', "nonsense"),
        ('cell.current="3 kg"', "cell.current"),
        ('cell.current="-3 kA"', "cell.current"),
        ('cell.acd="-1 cm"', "cell.acd"),
        ('cell.temperature="hot"', "cell.temperature"),
        ('cell.scale_to="0 A"', "cell.scale_to"),
        ('cell.pot_control="manual"', "cell.pot_control"),
        ('feed.charge_temperature="2000 degC"', "feed.charge_temperature"),
        ('feed.scrap={twitch=-1}', "feed.scrap.twitch"),
        ('electrolyte.composition={NaF=-5, AlF3=105}', "electrolyte.composition.NaF"),
    ],
)
def test_bad_input_names_the_key(override: str, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        load_scenario("rusal-3ka", [override]).resolved()
    assert exc.value.key == key, str(exc.value)


def test_unknown_preset_is_config_error() -> None:
    with pytest.raises(ConfigError) as exc:
        load_scenario("no-such-preset")
    assert exc.value.key == "SCENARIO"


def test_scenario_file_round_trip(tmp_path) -> None:
    f = tmp_path / "my.toml"
    f.write_text(
        '[cell]\ndesign="rusal-3ka"\ncurrent="3 kA"\ntemperature="850 degC"\nacd="3 cm"\n'
        '[electrolyte]\ncomposition={NaF=21.4, AlF3=28.6, BaCl2=45.0, NaCl=5.0}\n'
        '[feed]\nscrap="twitch"\n'
    )
    sc = load_scenario(str(f))
    assert sc.name == "my"
    bad = tmp_path / "bad.toml"
    bad.write_text("[cell\n")
    with pytest.raises(ConfigError):
        load_scenario(str(bad))
