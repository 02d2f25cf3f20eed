"""`alref assess` through the CLI: JSON contract and exit code 2 naming the bad key."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alref.cli import app

runner = CliRunner()
ECON_KEYS = {"margin_usd_per_t", "revenue_usd_per_t", "cost_breakdown_usd_per_t", "npv_usd", "irr",
             "break_even_scrap_pct_lme", "break_even_power_usd_per_mwh"}
FOOT_KEYS = {"total_t_co2e_per_t", "by_scope", "by_source", "method"}


def test_assess_json_contract(tmp_path) -> None:
    html = tmp_path / "assess.html"
    res = runner.invoke(app, ["assess", "--json", "--html", str(html)])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d["economics"]) >= ECON_KEYS and set(d["footprint"]) >= FOOT_KEYS
    e = d["economics"]
    assert e["margin_usd_per_t"] == pytest.approx(
        e["revenue_usd_per_t"] - sum(e["cost_breakdown_usd_per_t"].values()), abs=1e-6)
    for row in d["comparison"]:
        assert {"route", "t_co2e_per_t", "energy_mwh_per_t", "year", "source"} <= set(row)
    text = html.read_text()
    assert "data:image/png;base64," in text and "Comparison" in text


@pytest.mark.parametrize("setting, key", [
    ("economics.lme_usd_per_t=-100", "economics.lme_usd_per_t"),
    ("economics.power_price_usd_per_mwh=-1", "economics.power_price_usd_per_mwh"),
    ('economics.region="atlantis"', "economics.region"),
    ('footprint.scrap_burden="economic"', "footprint.scrap_burden"),
    ('footprint.residue_allocation="by-vibes"', "footprint.residue_allocation"),
    ('footprint.electricity="moonlight"', "footprint.electricity"),
    ('footprint.gwp="AR4"', "footprint.gwp"),
    ("economics.not_a_field=1", "economics.not_a_field"),
])
def test_bad_input_exits_2_naming_the_key(setting, key) -> None:
    res = runner.invoke(app, ["assess", "--json", "--set", setting])
    assert res.exit_code == 2, res.output
    assert key in res.stderr
    assert res.stdout == ""
