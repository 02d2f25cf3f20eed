"""`alref props alloy` CLI contract (ARCHITECTURE §6)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alref.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["props", "alloy", *args])


def test_json_eutectic_alloy() -> None:
    res = _run("--composition", "Al=67,Cu=33", "--temperature", "750 degC", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("density_g_cm3", "liquidus_c", "activity_al", "e_rev_v", "solubility_wt_pct",
                "activity_coefficients", "warnings", "citations"):
        assert key in out
    assert out["activity_al"] == pytest.approx(0.803, abs=0.005)  # §5.4
    assert out["e_rev_v"] == pytest.approx(0.0064, abs=0.0002)  # §5.4
    assert out["liquidus_c"] == pytest.approx(550, abs=10)  # §2.5
    assert out["density_g_cm3"] == pytest.approx(3.09, abs=0.03)  # data-gaps §3.2
    assert out["solubility_wt_pct"]["Fe"] == pytest.approx(0.61, rel=0.2)  # §5.5
    assert {"cost507", "assael2006al"} <= set(out["citations"])
    assert out["warnings"] == []


def test_balance_and_below_liquidus_warns() -> None:
    res = _run("--composition", "Cu=33,Fe=1.5", "--temperature", "500", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert any("below the alloy liquidus" in w for w in out["warnings"])
    assert any(w.startswith("Fe") for w in out["warnings"])


def test_human_output() -> None:
    res = _run("--composition", "Cu=33", "--temperature", "750 degC")
    assert res.exit_code == 0
    assert "liquidus" in res.stdout


@pytest.mark.parametrize(
    ("comp", "key"),
    [("Cu=33,Xx=1", "--composition.Xx"), ("Cu=-2", "--composition.Cu"),
     ("Cu=95,Fe=6", "--composition.Cu"), ("Cu=abc", "--composition.Cu")],
)
def test_bad_composition_exit_2(comp: str, key: str) -> None:
    res = _run("--composition", comp, "--temperature", "750 degC", "--json")
    assert res.exit_code == 2
    assert key in res.output
    assert res.stdout.strip() == "" or "Traceback" not in res.output


def test_bad_temperature_exit_2() -> None:
    res = _run("--composition", "Cu=33", "--temperature", "750 kg", "--json")
    assert res.exit_code == 2


def test_must_show_al55cu33si12_without_temperature() -> None:
    """Issue 13 must-show, as typed: no --temperature; the first solid is primary Si within
    10 K of the pycalphad + COST 507 reference (data/thermo/first_solid_calphad.csv), far
    above the Al-Cu matrix liquidus."""
    res = _run("--composition", "Al=55,Cu=33,Si=12", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["primary_phase"] == "Si"
    from importlib import resources
    ref = next(ln for ln in resources.files("alref.data").joinpath(
        "thermo", "first_solid_calphad.csv").read_text().splitlines()
        if ln.startswith("Al=55;Cu=33;Si=12,"))
    assert out["liquidus_c"] == pytest.approx(float(ref.split(",")[1]) - 273.15, abs=10)
    assert out["matrix_liquidus_c"] < out["liquidus_c"] - 100
