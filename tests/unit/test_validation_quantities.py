"""Quantities of the validation suite: cross-checks against independent formulas, the shared
cache, and trial design values (the calibration route)."""

from __future__ import annotations

import math

import pytest
from scipy.constants import physical_constants

from alref.errors import ConfigError
from alref.scenario import apply_overrides, load_raw
from alref.thermo import series
from alref.validation.cases import Case
from alref.validation.quantities import (
    REGISTRY,
    Evaluator,
    check_inputs,
    codissolution_ratio,
    parameter_override,
)

F = physical_constants["Faraday constant"][0]
M_AL_IUPAC = 26.9815384e-3  # kg/mol, IUPAC 2021 standard atomic weight of Al


def _case(quantity: str, **conditions) -> Case:
    return Case.model_validate({"id": "t", "source": "codata2018", "locator": "test",
                                "kind": "prediction", "class": "verification",
                                "class_reason": "a test of one quantity", "quantity": quantity,
                                "expected": 0.0,
                                "tolerance": {"abs": 1.0}, "conditions": conditions})


def test_faraday_production_matches_constants() -> None:
    """8.0537 kg Al per kA and day = M_Al * 86400 s * 1000 A / (3F) (domain-physics 1)."""
    expected = M_AL_IUPAC * 86400.0 * 1000.0 / (3 * F)
    assert expected == pytest.approx(8.0537, abs=1e-4)
    ev = Evaluator()
    got = ev.evaluate(_case("cell.faraday_kg_per_ka_day", scenario="sintef-side-by-side"))
    assert got == pytest.approx(expected, rel=1e-5)


# Cu is left out: the series picks CuF (n = 1) as its most stable fluoride, while the
# campaign's co-dissolution law uses the usual cation charge 2 (reported to the model owners).
@pytest.mark.parametrize(("element", "temperature"), [("Fe", 1023.15), ("Si", 1023.15),
                                                      ("Zn", 1073.15), ("Mn", 1000.0)])
def test_codissolution_ratio_equals_exchange_constant(element: str, temperature: float) -> None:
    """Two routes: exp(-zF dE/RT) of the anodic law vs the exchange constant of alref.thermo."""
    log10_ratio = math.log10(codissolution_ratio(element, temperature))
    assert log10_ratio == pytest.approx(series.log10_exchange_constant(element, temperature),
                                        abs=1e-6)
    assert codissolution_ratio(element, temperature) < 1e-6  # noble: stays in the anode


def test_codissolution_deposit_scales_with_anode_content() -> None:
    ev = Evaluator()
    lo = ev.evaluate(_case("thermo.codissolution_deposit_wt_pct",
                           inputs={"element": "Fe", "composition": {"Fe": 1.0},
                                   "temperature": "750 degC"}))
    hi = ev.evaluate(_case("thermo.codissolution_deposit_wt_pct",
                           inputs={"element": "Fe", "composition": {"Fe": 3.0},
                                   "temperature": "750 degC"}))
    assert hi / lo == pytest.approx(3.0 * 99.0 / 97.0, rel=1e-9)


def test_alcu_eutectic_is_the_table_minimum() -> None:
    """COST 507 table (data/thermo/alloy_liquidus_alcu.toml) has its minimum 822.25 K at 33 %."""
    ev = Evaluator()
    t = ev.evaluate(_case("thermo.alcu_eutectic_c"))
    w = ev.evaluate(_case("thermo.alcu_eutectic_cu_wt_pct"))
    assert t == pytest.approx(822.25 - 273.15, abs=0.01)
    assert w == pytest.approx(33.0, abs=0.05)


def test_parameter_override_is_valid_toml_for_scenarios() -> None:
    item = parameter_override({"transfer.entrainment_kg_per_a_s": 5e-12,
                               "lining.lid.0.thickness_m": 0.05})
    raw = apply_overrides(load_raw("rusal-3ka"), [item])
    assert raw["cell"]["parameters"] == {"transfer.entrainment_kg_per_a_s": 5e-12,
                                         "lining.lid.0.thickness_m": 0.05}


def test_shared_cache_runs_each_scenario_once() -> None:
    ev = Evaluator()
    e1 = ev.evaluate(_case("cell.energy_kwh_per_kg", scenario="sintef-side-by-side"))
    ce = ev.evaluate(_case("cell.current_efficiency", scenario="sintef-side-by-side"))
    # a preset name and explicit overrides that give the same scenario share the run
    ev.evaluate(_case("cell.energy_kwh_per_kg", scenario="sintef-side-by-side",
                      set=['cell.current="10 A"']))
    assert ev.runs == 1
    assert e1 > 0 and 0 < ce <= 1


def test_trial_values_reach_only_their_technology() -> None:
    case = _case("cell.energy_kwh_per_kg", scenario="sintef-side-by-side")
    base = Evaluator().evaluate(case)
    deeper = Evaluator(trial={"sintef-lab": {"side_by_side.bath_depth_m": 0.11}}).evaluate(case)
    other = Evaluator(trial={"hoopes-classic": {"side_by_side.bath_depth_m": 0.11}}).evaluate(case)
    assert deeper != pytest.approx(base, rel=1e-3)
    assert other == pytest.approx(base, rel=1e-12)


def test_inputs_are_checked() -> None:
    with pytest.raises(ConfigError) as exc:
        check_inputs(_case("thermo.activity_al", inputs={"temperature": "750 degC"}))
    assert exc.value.key == "t.conditions.inputs.composition"
    with pytest.raises(ConfigError) as exc:
        check_inputs(_case("thermo.activity_al", inputs={"composition": {"Cu": 33.0},
                                                         "temperature": "750 degC", "x": 1}))
    assert exc.value.key == "t.conditions.inputs.x"
    with pytest.raises(ConfigError) as exc:
        check_inputs(_case("simulate.cycle_days"))
    assert exc.value.key == "t.conditions.scenario"
    with pytest.raises(ConfigError) as exc:
        Evaluator().evaluate(_case("thermo.activity_al", inputs={"composition": {"Cu": 33.0},
                                                                 "temperature": "hot"}))
    assert exc.value.key == "t.conditions.inputs.temperature"


def test_registry_units_and_descriptions() -> None:
    assert len(REGISTRY) >= 15
    for q in REGISTRY.values():
        assert q.unit and q.description


class _Fixed(Evaluator):
    """An evaluator returning a fixed campaign summary and series (first, last)."""

    def __init__(self, summary: dict, trace: dict) -> None:
        super().__init__()
        self._summary, self._trace_fixed = summary, trace

    def simulation(self, scenario: str, overrides=()) -> dict:
        return self._summary

    def trace(self, scenario: str, overrides=()) -> dict:
        return self._trace_fixed


def _lot(mass: float, al: float, **el: float) -> dict:
    return {"mass_kg": mass, "al_wt_pct": al, "composition_wt_pct": {"Al": al, **el}}


FIXED = _Fixed(
    {"lots": [_lot(10.0, 99.99, Si=0.004), _lot(30.0, 99.95, Si=0.012)],
     "scrap_charged_kg": 50.0, "feed_composition_wt_pct": {"Al": 90.0, "Si": 10.0}},
    {"Anode alloy [kg]": (100.0, 110.0), "Anode Al [wt %]": (60.0, 50.0),
     "Anode Si [wt %]": (0.5, 4.0), "Bath AlF3 [wt %]": (40.0, 38.0),
     "Bath NaF [wt %]": (60.0, 62.0)},
)


@pytest.mark.parametrize(
    ("quantity", "inputs", "expected"),
    [
        # product Si = (10*0.004 + 30*0.012)/40 = 0.01 wt %, over 0.5 wt % at the start
        ("simulate.product_to_initial_anode_ratio", {"element": "Si"}, 0.02),
        ("simulate.final_anode_element_wt_pct", {"element": "Si"}, 4.0),
        ("simulate.lot_al_change_wt_pct", {}, 99.95 - 99.99),
        # Al consumed = 50*0.90 + (100*0.60 - 110*0.50) = 50 kg; product Al = 9.999 + 29.985
        ("simulate.al_recovery_pct", {}, 100.0 * (9.999 + 29.985) / 50.0),
        # Al in the bath only from AlF3: 38/40 - 1
        ("simulate.bath_element_change_rel", {"element": "Al"}, 38.0 / 40.0 - 1.0),
    ],
)
def test_campaign_quantities_by_hand(quantity: str, inputs: dict, expected: float) -> None:
    case = _case(quantity, scenario="sintef-side-by-side", inputs=inputs)
    assert FIXED.evaluate(case) == pytest.approx(expected, rel=1e-9)


def test_bath_element_content_from_salt_formulas() -> None:
    """AlF3 is 32.13 wt % Al (26.98/83.98); NaF carries none; Na from NaF is 54.75 wt %."""
    from alref.validation.process_quantities import bath_element_wt_pct

    trace = {"Bath AlF3 [wt %]": (100.0, 50.0), "Bath NaF [wt %]": (0.0, 50.0),
             "Bath mass [kg]": (1.0, 1.0)}
    assert bath_element_wt_pct(trace, "Al", 0) == pytest.approx(100 * 26.9815 / 83.9767, rel=1e-4)
    assert bath_element_wt_pct(trace, "Al", 1) == pytest.approx(50 * 26.9815 / 83.9767, rel=1e-4)
    assert bath_element_wt_pct(trace, "Na", 1) == pytest.approx(50 * 22.98977 / 41.98817, rel=1e-4)


def test_quantity_errors_name_the_case() -> None:
    with pytest.raises(ConfigError) as exc:
        FIXED.evaluate(_case("simulate.final_anode_element_wt_pct",
                             scenario="sintef-side-by-side", inputs={"element": "Ti"}))
    assert exc.value.key.startswith("t.conditions")
    one_lot = _Fixed({"lots": [_lot(1.0, 99.9)]}, {})
    with pytest.raises(ValueError, match="two lots"):
        one_lot.evaluate(_case("simulate.lot_al_change_wt_pct", scenario="sintef-side-by-side"))


def test_cell_voltage_and_dc_energy_agree_with_faraday() -> None:
    """DC energy per kg = V * I * 24 h / production: the two new cell quantities and the
    production of the same operating point satisfy the identity."""
    ev = Evaluator()
    v = ev.evaluate(_case("cell.voltage_v", scenario="sintef-side-by-side"))
    e = ev.evaluate(_case("cell.dc_energy_kwh_per_kg", scenario="sintef-side-by-side"))
    d = ev.cell("sintef-side-by-side")
    assert 0.5 < v < 10.0
    assert e == pytest.approx(v * d["current_a"] * 24.0 / 1e3 / d["production_kg_per_day"],
                              rel=1e-6)
