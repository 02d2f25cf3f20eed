"""Electrochemical series, decomposition voltages, Nernst and exchange constants.

Reference numbers: domain-physics.md §5.1 (1023 K column, computed from NASA/CRC data)
and §5.2 (log10 K at 1023 K), NIST-JANAF AlF3 (Al-043) and CODATA constants.
"""

from __future__ import annotations

import json
import math

import pytest
import typer
from typer.testing import CliRunner

from alref.cli import thermo as thermo_cli
from alref.errors import ConfigError
from alref.thermo import series

T750 = 1023.15
F = 96485.33212  # CODATA 2018, C/mol
R = 8.314462618  # CODATA 2018, J/mol/K


def test_fluoride_series_order_at_750c() -> None:
    rows = {r["element"]: r for r in series.series_table(T750, "fluoride")}
    for el in ("Cu", "Ni", "Pb", "Fe", "Zn", "Cr", "Mn", "Si", "Ti"):
        assert rows[el]["delta_e_vs_al_v"] > 0.1, el
    for el in ("Na", "Mg", "Li", "Ca", "Ba"):
        assert rows[el]["delta_e_vs_al_v"] < -0.5, el
    assert rows["Al"]["delta_e_vs_al_v"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("element", "delta_e"),
    [("Fe", 1.370), ("Zn", 1.242), ("Mn", 0.891), ("Si", 0.494), ("Mg", -0.607), ("Na", -0.563)],
)
def test_fluoride_delta_e_matches_domain_physics(element: str, delta_e: float) -> None:
    """domain-physics §5.1, fluorides, dE vs Al at 1023 K."""
    assert series.delta_e_vs_al(element, T750, "fluoride") == pytest.approx(delta_e, abs=0.05)


def test_chloride_series_mn_and_ti_close_to_al() -> None:
    """Schwarz & Wendt: in chloride melts Mn (and Ti) sit next to Al."""
    for el in ("Mn", "Ti"):
        assert abs(series.delta_e_vs_al(el, T750, "chloride")) < 0.15, el
    # The gaps to Fe and Zn shrink against fluorides but stay positive (§5.1).
    assert 0.3 < series.delta_e_vs_al("Fe", T750, "chloride") < 1.0
    assert 0.2 < series.delta_e_vs_al("Zn", T750, "chloride") < 0.8


def test_alf3_decomposition_voltage() -> None:
    """E_d(AlF3, 1023 K) = 4.298 V (§5.1); at 1000 K, -dfG/3F from JANAF Al-043 (-1250.072)."""
    assert series.decomposition_voltage("AlF3", T750) == pytest.approx(4.298, abs=0.01)
    janaf = 1250.072e3 / (3 * F)
    assert series.decomposition_voltage("AlF3", 1000.0) == pytest.approx(janaf, abs=0.01)


@pytest.mark.parametrize(
    ("compound", "e_d"), [("NaF", 4.861), ("MgF2", 4.904), ("CaF2", 5.452), ("SiF4", 3.804)]
)
def test_decomposition_voltages_of_bath_salts(compound: str, e_d: float) -> None:
    """§5.1 absolute decomposition voltages at 1023 K."""
    assert series.decomposition_voltage(compound, T750) == pytest.approx(e_d, abs=0.02)


@pytest.mark.parametrize(("element", "log_k"), [("Mg", 6.0), ("Fe", -13.5), ("Li", 5.3),
                                                ("Zn", -12.2)])
def test_exchange_constants(element: str, log_k: float) -> None:
    """§5.2: log10 K of M(alloy) + (n/3) AlF3 = MFn + (n/3) Al at 1023 K."""
    assert series.log10_exchange_constant(element, T750) == pytest.approx(log_k, abs=0.5)
    assert math.log10(series.exchange_constant(element, T750)) == pytest.approx(log_k, abs=0.5)


def test_exchange_constant_consistent_with_delta_e() -> None:
    """log10 K = n F dE / (RT ln 10): cross-check of two routes."""
    for element, n in (("Mg", 2), ("Fe", 2), ("Na", 1)):
        de = series.delta_e_vs_al(element, T750, "fluoride")
        expected = n * F * de / (R * T750 * math.log(10))
        assert series.log10_exchange_constant(element, T750) == pytest.approx(-expected, rel=1e-6)


def test_nernst_potential() -> None:
    de = series.delta_e_vs_al("Fe", T750, "fluoride")
    e1 = series.nernst_potential("Fe", T750, "fluoride", 1.0, 1.0)
    assert e1 == pytest.approx(de, abs=1e-12)
    # A tenfold more dilute FeF2 lowers the potential by RT ln10 / 2F = 0.1015 V at 1023 K.
    e2 = series.nernst_potential("Fe", T750, "fluoride", 0.1, 1.0)
    assert e1 - e2 == pytest.approx(0.1015, abs=5e-4)
    with pytest.raises(ConfigError) as exc:
        series.nernst_potential("Fe", T750, "fluoride", 0.0, 1.0)
    assert exc.value.key == "activity_salt"


def test_compound_choice() -> None:
    """Cu oxidises first to Cu(I) (CuF); Ti in chlorides to TiCl2 (§5.1 tables)."""
    assert series.per_equivalent_gibbs("Cu", T750, "fluoride")[0] == "CuF"
    assert series.per_equivalent_gibbs("Ti", T750, "chloride")[0] == "TiCl2"
    compound, g = series.per_equivalent_gibbs("Al", T750, "fluoride")
    assert compound == "AlF3"
    assert g / 1e3 == pytest.approx(-414.7, abs=1.0)


def test_series_table_rows() -> None:
    rows = series.series_table(T750, "chloride")
    keys = {"element", "compound", "valence", "g_kj_per_eq", "decomposition_v", "delta_e_vs_al_v"}
    assert all(keys <= set(r) for r in rows)
    values = [r["delta_e_vs_al_v"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert len(rows) == 18
    assert [r["element"] for r in series.series_table(T750, "fluoride", ["Fe", "Mg"])] == [
        "Fe", "Mg"]


def test_bad_inputs() -> None:
    with pytest.raises(ConfigError) as exc:
        series.series_table(T750, "oxide")  # type: ignore[arg-type]
    assert exc.value.key == "bath"
    with pytest.raises(ConfigError) as exc:
        series.delta_e_vs_al("Xx", T750, "fluoride")
    assert exc.value.key == "element"
    with pytest.raises(ConfigError):
        series.decomposition_voltage("Al2O3", T750)


runner = CliRunner()
# Only this command group is mounted, so the tests do not depend on other CLI modules.
app = typer.Typer()
thermo_cli.register(app)


@app.callback()
def _root() -> None:
    """Test root (keeps `thermo` as a sub-command)."""


def test_cli_json() -> None:
    result = runner.invoke(app, ["thermo", "series", "--temperature", "750 degC",
                                 "--bath", "fluoride", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["temperature_c"] == pytest.approx(750.0)
    assert out["bath"] == "fluoride"
    fe = next(r for r in out["series"] if r["element"] == "Fe")
    assert fe["delta_e_vs_al_v"] == pytest.approx(1.370, abs=0.05)
    assert "mcbride1993" in out["citations"]


def test_cli_human_table() -> None:
    result = runner.invoke(app, ["thermo", "series", "--bath", "chloride"])
    assert result.exit_code == 0
    assert "MnCl2" in result.stdout


def test_cli_warns_outside_data_range() -> None:
    result = runner.invoke(app, ["thermo", "series", "-T", "1500 degC", "--json"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["warnings"]
    assert any(r["element"] == "Al" for r in out["series"])


@pytest.mark.parametrize(
    ("args", "option"),
    [(["--bath", "oxide"], "--bath"), (["--temperature", "750 kg"], "--temperature"),
     (["--temperature", "9000 degC"], "--temperature"), (["--elements", "Xx"], "--elements")],
)
def test_cli_bad_input_exit_2(args: list[str], option: str) -> None:
    result = runner.invoke(app, ["thermo", "series", *args])
    assert result.exit_code == 2
    assert option in result.stderr
