"""`alref props electrolyte`: JSON keys, human table, exit codes and error keys."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alref.cli import app

runner = CliRunner()
KEYS = {"conductivity_s_per_cm", "density_g_cm3", "liquidus_c", "heat_capacity_j_per_kg_k",
        "family", "correlations", "warnings", "citations"}


def invoke(*args: str):
    return runner.invoke(app, ["props", "electrolyte", *args])


def test_json_contract() -> None:
    res = invoke("--composition", "NaF=40,AlF3=60", "--temperature", "800 degC", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) >= KEYS
    assert out["family"] == "cryolite"
    assert 0.5 < out["conductivity_s_per_cm"] < 2.0
    assert 1.8 < out["density_g_cm3"] < 2.2
    assert out["correlations"] and all(isinstance(c, str) for c in out["correlations"])
    assert "chrenkova_lowmelting" in out["citations"]


def test_family_option_and_warning_below_liquidus() -> None:
    res = invoke("--composition", "NaF=23.17,AlF3=34.33,BaF2=42.5", "--temperature", "750",
                 "--family", "hoopes", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["family"] == "ba_fluoride"
    res = invoke("--composition", "NaF=48.6,AlF3=43.4,CaF2=5,Al2O3=3", "--temperature", "800",
                 "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["liquidus_c"] > 800.0
    assert any("below the liquidus" in w for w in out["warnings"])


def test_human_output() -> None:
    res = invoke("--composition", "NaF=17,AlF3=23,BaCl2=60", "--temperature", "750 degC")
    assert res.exit_code == 0, res.output
    assert "conductivity" in res.stdout and "chloride_fluoride" in res.stdout


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("--composition", "NaF=40,Xx=60", "--temperature", "800 degC"), "--composition.Xx"),
        (("--composition", "NaF=40,AlF3=abc", "--temperature", "800 degC"), "--composition.AlF3"),
        (("--composition", "NaF=40,AlF3=50", "--temperature", "800 degC"), "--composition:"),
        (("--composition", "NaF=40,AlF3=60", "--temperature", "800 kg"), "--temperature"),
        (("--composition", "NaF=40,AlF3=60", "--temperature", "hot"), "--temperature"),
        (("--composition", "NaF=40,AlF3=60", "--temperature", "-300 degC"), "--temperature"),
        (("--composition", "NaF=40,AlF3=60", "--temperature", "800", "--family", "x"), "--family"),
    ],
)
def test_bad_input_exit_2_names_key(args: tuple[str, ...], key: str) -> None:
    res = invoke(*args, "--json")
    assert res.exit_code == 2
    assert key in res.stderr
    assert res.stdout == ""
