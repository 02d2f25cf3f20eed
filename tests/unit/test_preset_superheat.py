"""Every preset runs at a bath superheat its sources support (data/preset_superheat.toml)."""

from __future__ import annotations

import pytest

from alref import data, scenario
from alref.api.cell import cell_operating_point

RANGES = data.load("preset_superheat")["presets"]


def test_every_preset_has_a_superheat_range() -> None:
    assert set(RANGES) == set(scenario.preset_names())


KNOWN = {
    "ueda1998-lab": "the chloride-fluoride liquidus, extrapolated beyond its NaCl range (Ueda's "
                    "melt has 29 % NaCl, 1 % NaF), gives 556 degC, about 100 K below the "
                    "BaCl2-NaCl eutectic; the correlation, not the preset, is at fault",
    "ru2222642-residue": "the patent runs its acid Ba-fluoride bath at 900-920 degC, 220 K above "
                         "the Ba-fluoride liquidus correlation's 689 degC; no measured liquidus "
                         "of that bath was found, so the correlation, not the patent's "
                         "temperature, is suspect",
}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN[n], strict=True)) if n in KNOWN else n
    for n in sorted(RANGES)])
def test_preset_superheat_inside_source_range(name: str) -> None:
    rng = RANGES[name]
    bath = cell_operating_point(name).bath
    assert rng["min_k"] <= bath["superheat_k"] <= rng["max_k"], (
        f"{name}: superheat {bath['superheat_k']:.0f} K (liquidus {bath['liquidus_c']:.0f} degC) "
        f"outside [{rng['min_k']}, {rng['max_k']}] K")


def test_the_check_can_fail_at_the_old_ba_bath_temperature() -> None:
    """At 950 degC (the temperature the classic preset used before) the Ba-fluoride bath
    runs 260 K above its liquidus, far outside the sources' range."""
    rng = RANGES["hoopes-classic"]
    bath = cell_operating_point("hoopes-classic", ['cell.temperature="950 degC"']).bath
    assert bath["superheat_k"] > rng["max_k"]
