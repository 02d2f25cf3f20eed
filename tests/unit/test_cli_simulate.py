"""`alref simulate` and `alref cell` through the CLI: JSON contract, run folder, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alref.cli import app

runner = CliRunner()

SIMULATE_KEYS = {
    "scenario", "current_a", "cycle_days", "termination", "product_kg", "scrap_charged_kg",
    "current_efficiency", "mean_cell_voltage_v", "voltage_breakdown_v", "energy_kwh_per_kg",
    "product_al_wt_pct", "lots", "residue_kg", "residue_composition_wt_pct",
    "bath_final_composition_wt_pct", "mass_balance_rel_error",
}
CELL_KEYS = {
    "cell_voltage_v", "voltage_breakdown_v", "current_efficiency", "energy_kwh_per_kg",
    "production_kg_per_day", "heat_loss_kw", "bath_temperature_c", "acd_cm",
    "thermally_self_sufficient", "layer_densities_g_cm3",
}


def test_simulate_json_contract(tmp_path) -> None:
    out = tmp_path / "run"
    res = runner.invoke(app, ["simulate", "--json", "--out", str(out),
                              "--set", 'campaign.termination.max_duration="6 d"'])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d) >= SIMULATE_KEYS
    lot = d["lots"][0]
    assert {"t_days", "mass_kg", "al_wt_pct", "composition_wt_pct", "grade"} <= set(lot)
    for name in ("timeseries.parquet", "lots.csv", "summary.json", "manifest.json",
                 "report.html", "scenario.toml"):
        assert (out / name).exists(), name


def test_cell_json_contract() -> None:
    res = runner.invoke(app, ["cell", "rusal-3ka", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d) >= CELL_KEYS
    assert set(d["layer_densities_g_cm3"]) == {"anode", "electrolyte", "cathode"}


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (["cell", "--set", "cell.bogus=1"], "cell.bogus"),
        (["cell", "no-such-preset"], "SCENARIO"),
        (["cell", "--set", 'cell.current="3 kg"'], "cell.current"),
        (["cell", "--set", "electrolyte.composition={NaF=20, AlF3=25, BaCl2=50}"],
         "electrolyte.composition"),
        (["cell", "--set", 'cell.acd="-1 cm"'], "cell.acd"),
        (["cell", "--set", 'cell.temperature="700 degC"'], "cell.temperature"),
        (["simulate", "--set", 'campaign.actions=[{kind="tap", when="foo > 1"}]'],
         "campaign.actions[0].when"),
        (["simulate", "--set",
          'campaign.actions=[{kind="charge_scrap", every="1 d", mass="-5 kg"}]'],
         "campaign.actions[0].mass"),
        (["simulate", "--set", 'campaign.actions=[{kind="tap", at="1 d", mass="500 kg"}]'],
         "campaign.actions[0].mass"),
        (["simulate", "--set", 'feed.scrap="unobtainium"'], "feed.scrap"),
    ],
)
def test_bad_input_exits_2_naming_the_key(args: list[str], key: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and key in err[0], res.stderr
    assert "Traceback" not in res.output


def test_params_cite_lists_sources() -> None:
    res = runner.invoke(app, ["params", "cite", "rusal-3ka", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    keys = {r["key"] for r in d["references"]}
    assert {"rusal2025press", "ru2840274"} <= keys
    assert d["assumptions"]
