"""Invariants of the steady-state cell model on every preset and on random scenarios.

* the voltage terms add up to the cell voltage;
* energy balance: heat released in the pot + auxiliary heat
  = heat losses + scrap heating and melting + cooling required;
* production obeys Faraday's law at the reported CE (8.0537 kg per kA·day at CE = 1);
* CE in (0, 1]; temperatures above both liquidus lines; ACD inside the design limits.
Random scenario values (hypothesis) must either solve or raise a ConfigError naming a
key — never another exception.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alref.api import cell_operating_point
from alref.errors import ConfigError
from alref.scenario import preset_names

FARADAY_KG_PER_KA_DAY = 8.0537  # domain-physics §1, Al per kA·day at 100 % CE


def check_invariants(op) -> None:
    d = op.to_dict()
    assert sum(d["voltage_breakdown_v"].values()) == pytest.approx(d["cell_voltage_v"], rel=1e-12)
    hb = d["heat_balance_kw"]
    supply = {"generated_in_pot", "auxiliary_heat", "freezing_deficit"}
    losses = sum(v for k, v in hb.items() if k not in supply | {
        "scrap_heating_and_melting", "cooling_required", "overheating_surplus"})
    # only a pot its heater cannot keep liquid draws on its own heat (no steady state)
    freezing = d["pot_control"]["acd_at_limit"] == "heater_freeze"
    assert ("freezing_deficit" in hb) == freezing
    if freezing:
        assert hb["freezing_deficit"] > 0
    # only a pot its full cooling cannot hold keeps heating (no steady state either)
    overheating = d["pot_control"]["acd_at_limit"] == "cooling_overheat"
    assert ("overheating_surplus" in hb) == overheating
    if overheating:
        assert hb["overheating_surplus"] > 0
    lhs = sum(hb.get(k, 0.0) for k in supply)
    rhs = (losses + hb["scrap_heating_and_melting"] + hb["cooling_required"]
           + hb.get("overheating_surplus", 0.0))
    assert lhs == pytest.approx(rhs, rel=1e-5, abs=1e-6)
    assert d["heat_loss_kw"] == pytest.approx(losses, rel=1e-12)
    ce = d["current_efficiency"]
    assert 0 < ce <= 1
    faraday = FARADAY_KG_PER_KA_DAY * d["current_a"] / 1e3 * ce
    assert d["production_kg_per_day"] == pytest.approx(faraday, rel=1e-4)
    pc = op.design.spec.pot_control
    assert pc.acd_min_m - 1e-9 <= op.acd_m <= pc.acd_max_m + 1e-9
    assert d["bath_temperature_c"] >= d["bath"]["liquidus_c"] - 1e-6
    assert d["bath_temperature_c"] >= d["anode_alloy"]["liquidus_c"] - 1e-6
    assert all(v >= 0 for v in d["voltage_breakdown_v"].values())
    assert d["energy_kwh_per_kg"] >= d["dc_energy_kwh_per_kg"] - 1e-12
    assert all(math.isfinite(v) for v in hb.values())


@pytest.mark.parametrize("name", preset_names())
def test_balances_on_every_preset(name: str) -> None:
    check_invariants(cell_operating_point(name))


@pytest.mark.parametrize(
    "override",
    ['cell.pot_control="fixed_acd"', 'cell.scale_to="30 kA"', 'cell.current="1.5 kA"',
     'cell.temperature="800 degC"'],
)
def test_balances_on_model_options(override: str) -> None:
    check_invariants(cell_operating_point("rusal-3ka", [override]))


quantity = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**6, max_value=10**6),
    st.text(max_size=12),
    st.sampled_from(["3 kA", "-1 A", "850 degC", "2 cm", "3 kg", "1e9 A", "0 cm", "100 K",
                     "", "nan", "5 m", "400 degC", "1 furlong"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from([
        "cell.current", "cell.temperature", "cell.acd", "cell.scale_to",
        "cell.ambient_temperature", "feed.charge_temperature", "feed.anode_cu_wt_pct",
        "electrolyte.composition.NaF", "electrolyte.composition.BaCl2", "feed.scrap",
        "cell.design", "cell.pot_control", "electrolyte.family", "cell.unknown_key",
    ]),
    value=quantity,
)
def test_random_scenario_values_never_traceback(field: str, value) -> None:
    import json

    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else (
        "nan" if value != value else ("inf" if value > 0 else "-inf"))
    try:
        op = cell_operating_point("rusal-3ka", [f"{field}={text}"])
    except ConfigError as exc:
        assert exc.key, "ConfigError must name a key"
        return
    check_invariants(op)
