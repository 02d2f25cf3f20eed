"""Cell designs: loading, scaling at constant current density, geometry."""

from __future__ import annotations

import pytest

from alref.cell.design import design_names, load_design
from alref.errors import ConfigError


def test_required_designs_exist() -> None:
    names = design_names()
    for required in ("rusal-500a", "rusal-3ka", "hoopes-classic"):
        assert required in names
    variants = {load_design(n).variant for n in names}
    assert variants == {"stacked", "diaphragm", "side_by_side"}


def test_unknown_design_names_key() -> None:
    with pytest.raises(ConfigError) as exc:
        load_design("nope")
    assert exc.value.key == "cell.design"


@pytest.mark.parametrize("name", ["rusal-500a", "rusal-3ka"])
def test_rusal_cathode_current_density_meets_patent(name: str) -> None:
    """RU2840274C1: cathode current density from 0.5 A/cm2."""
    d = load_design(name)
    j = d.rated_current_a / d.cathode_area_m2 / 1e4
    assert j >= 0.5 - 1e-9


def test_diaphragm_area_exceeds_cathode_area() -> None:
    d = load_design("rusal-3ka")
    assert d.diaphragm_area_m2 > d.cathode_area_m2


@pytest.mark.parametrize("name", ["rusal-3ka", "hoopes-classic", "sintef-side-by-side"])
def test_scaling_keeps_current_density_acd_and_lining(name: str) -> None:
    d = load_design(name)
    s = d.scaled(10 * d.rated_current_a)
    j0 = d.rated_current_a / d.cathode_area_m2
    j1 = s.rated_current_a / s.cathode_area_m2
    assert j1 == pytest.approx(j0, rel=1e-12)
    assert s.anode_area_m2 / d.anode_area_m2 == pytest.approx(10.0)
    assert s.spec.pot_control == d.spec.pot_control
    assert s.spec.lining == d.spec.lining
    assert s.cavity_depth_m == d.cavity_depth_m
    assert s.anode_alloy_kg == pytest.approx(10 * d.anode_alloy_kg)
    assert s.conductor("busbar").cross_section_m2 == pytest.approx(
        10 * d.conductor("busbar").cross_section_m2
    )


def test_inherited_design_overrides_tables() -> None:
    small, big = load_design("rusal-500a"), load_design("rusal-3ka")
    assert small.spec.lining == big.spec.lining
    assert small.spec.geometry != big.spec.geometry
    assert small.rated_current_a == 500.0


def test_design_parameters_override_by_path() -> None:
    base = load_design("rusal-3ka")
    d = load_design("rusal-3ka", parameters={"lining.lid.0.thickness_m": 0.15,
                                              "transfer.entrainment_kg_per_a_s": 1e-10})
    assert d.spec.lining.lid[0].thickness_m == 0.15
    assert d.spec.transfer.entrainment_kg_per_a_s == 1e-10
    assert base.spec.lining.lid[0].thickness_m != 0.15  # the preset is not changed


@pytest.mark.parametrize(
    ("path", "value"),
    [("nope.x", 1.0), ("lining.lid.9.thickness_m", 0.1), ("lining.lid.0.material", 1.0),
     ("geometry.cavity_length_m", -1.0), ("geometry.cavity_length_m", float("nan"))],
)
def test_bad_design_override_names_the_key(path: str, value: float) -> None:
    with pytest.raises(ConfigError) as exc:
        load_design("rusal-3ka", parameters={path: value})
    assert exc.value.key.startswith("cell.parameters.")
