"""The Python front door: lazy `import alref`, Solution tables/plot/save/load, typed KPIs."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from typer.testing import CliRunner

import alref
from alref.campaign.solution import Kpis, Solution
from alref.cli import app
from alref.errors import ConfigError
from alref.extras import MissingExtraError, needs_extras
from alref.jsonsafe import to_jsonable
from alref.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parents[2]
PRESET = "rusal-3ka-twitch"


@pytest.fixture(scope="module")
def sol() -> Solution:
    """The scientist's run: the default preset at 3.3 kA (until `Scenario.derive` lands,
    through the `--set` path it will share)."""
    sc = load_scenario(PRESET, ['cell.current="3.3 kA"'])
    return alref.Simulation.from_scenario(sc).run()


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


# ------------------------------------------------------------------ lazy import
def test_import_alref_imports_no_extras_and_no_model():
    r = _python("import alref, sys; "
                "bad = [m for m in ('pandas', 'matplotlib', 'pyarrow', 'duckdb', 'SALib', "
                "'alref.campaign', 'alref.scenario') if m in sys.modules]; "
                "assert not bad, bad; print(sorted(alref.__all__))")
    assert r.returncode == 0, r.stderr
    assert "Simulation" in r.stdout and "print_citations" in r.stdout


def test_building_and_running_needs_no_pandas_or_matplotlib():
    r = _python("import alref, sys; sc = alref.Scenario.preset('rusal-500a'); "
                "alref.CellModel; alref.Solution; alref.Campaign; alref.run_batch; "
                "assert 'pandas' not in sys.modules and 'matplotlib' not in sys.modules")
    assert r.returncode == 0, r.stderr


def test_every_export_resolves_and_unknown_names_raise_attribute_error():
    for name in alref.__all__:
        assert getattr(alref, name) is not None
    assert sorted(alref.__all__) == sorted(["__version__", *alref._EXPORTS])
    with pytest.raises(AttributeError, match="no attribute 'Simulatoin'"):
        _ = alref.Simulatoin


def test_missing_extra_names_the_pip_install(sol, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas -> ModuleNotFoundError
    monkeypatch.delitem(sys.modules, "alref.campaign.solution_tables", raising=False)
    with pytest.raises(MissingExtraError, match=r'pip install "alref\[report\]"') as info:
        sol.to_frame()
    assert isinstance(info.value, ImportError) and "Solution.to_frame needs pandas" in str(info.value)


def test_needs_extras_passes_other_import_errors_through():
    with pytest.raises(ModuleNotFoundError), needs_extras("x"):
        import alref_no_such_module  # noqa: F401


def test_preset_is_the_named_preset_and_unknown_names_are_config_errors():
    assert Scenario.preset(PRESET) == load_scenario(PRESET)
    with pytest.raises(ConfigError, match="unknown preset 'rusal-9ka'"):
        Scenario.preset("rusal-9ka")


# ------------------------------------------------------------------ Solution
def test_repr_is_one_short_line_with_the_key_results(sol):
    text = repr(sol)
    assert "\n" not in text and len(text) < 220
    k = sol.kpis
    for part in (PRESET, f"{k.cycle_days:.2f} d", f"{k.product_kg:.1f} kg",
                 f"{k.product_al_wt_pct:.3f} wt % Al", f"{len(sol.lots)} lots", sol.termination):
        assert part in text


def test_to_frame_has_one_column_per_series_indexed_by_days(sol):
    frame = sol.to_frame()
    assert list(frame.columns) == list(sol.series)
    assert frame.index.name == "Time [d]"
    np.testing.assert_array_equal(frame.index.to_numpy(), sol.time_s / 86400.0)
    np.testing.assert_array_equal(frame["Cell voltage [V]"].to_numpy(), sol["Cell voltage [V]"])


def test_lots_and_actions_frames_have_a_row_per_lot_and_action(sol):
    lots = sol.lots_frame()
    assert len(lots) == len(sol.lots) and lots["mass_kg"].sum() == pytest.approx(sol.kpis.product_kg)
    assert list(lots.columns[:4]) == ["t_days", "mass_kg", "al_wt_pct", "grade"]
    actions = sol.actions_frame()
    assert len(actions) == len(sol.actions)
    assert set(actions["kind"]) == {a.kind for a in sol.actions}


def test_plot_returns_one_axes_per_name_with_time_in_days(sol):
    names = ["Cell voltage [V]", "Bath temperature [degC]"]
    axes = sol.plot(names)
    assert len(axes) == 2 and all(isinstance(a, matplotlib.axes.Axes) for a in axes)
    for ax, name in zip(axes, names, strict=True):
        x, y = ax.get_lines()[0].get_data()
        np.testing.assert_array_equal(x, sol.time_s / 86400.0)
        np.testing.assert_array_equal(y, sol[name])
        assert ax.get_ylabel() == name
    assert axes[-1].get_xlabel() == "Time [d]"
    matplotlib.pyplot.close("all")


def test_plot_draws_into_given_axes_and_names_unknown_series(sol):
    fig, ax = matplotlib.pyplot.subplots()
    assert sol.plot("Cell voltage [V]", ax=ax) == [ax]
    with pytest.raises(KeyError, match="available"):
        sol.plot(["Cell voltage [kV]"])
    with pytest.raises(ValueError, match="2 names but 1 axes"):
        sol.plot(["Cell voltage [V]", "ACD [cm]"], ax=[ax])
    matplotlib.pyplot.close(fig)


def test_save_then_load_round_trips_exactly(sol, tmp_path):
    path = sol.save(tmp_path / "run")
    assert path == (tmp_path / "run").absolute() and (path / "manifest.json").is_file()
    back = Solution.load(path)
    assert list(back.series) == list(sol.series)
    for name, values in sol.series.items():
        assert back.series[name].dtype == values.dtype
        np.testing.assert_array_equal(back.series[name], values)
    np.testing.assert_array_equal(back.time_s, sol.time_s)
    assert back.lots == sol.lots
    assert back.actions == sol.actions
    assert back.summary == sol.summary
    assert back.termination == sol.termination and back.citations == sol.citations
    assert (back.residue_kg, back.residue_composition_wt_pct) == (sol.residue_kg,
                                                                  sol.residue_composition_wt_pct)
    assert back.grade_limits == sol.grade_limits and back.scenario_hash == sol.scenario_hash
    assert back.kpis == sol.kpis


def test_save_refuses_non_finite_floats_naming_the_key(sol, tmp_path):
    """Nothing non-finite leaves alref (issue 17): a NaN or infinite KPI stops the save with
    its key, and no folder is left."""
    from alref.jsonsafe import NonFiniteError

    odd = dataclasses.replace(sol, summary={**sol.summary, "current_efficiency": float("nan")})
    with pytest.raises(NonFiniteError) as err:
        odd.save(tmp_path / "run")
    assert err.value.key == "current_efficiency"
    assert not (tmp_path / "run").exists()


def test_load_reads_a_folder_written_before_solution_json(sol, tmp_path):
    path = sol.save(tmp_path / "run")
    (path / "solution.json").unlink()  # a format-1 run folder
    back = Solution.load(path)
    np.testing.assert_array_equal(back["Cell voltage [V]"], sol["Cell voltage [V]"])
    assert [lot.grade for lot in back.lots] == [lot.grade for lot in sol.lots]
    assert [lot.t_s for lot in back.lots] == pytest.approx([lot.t_s for lot in sol.lots])
    assert [(a.kind, dict(a.detail)) for a in back.actions] == [
        (a.kind, dict(a.detail)) for a in sol.actions]
    assert back.termination == sol.termination and back.citations == sol.citations


def test_save_refuses_a_folder_that_is_not_a_run(sol, tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(FileExistsError, match="not a run folder"):
        sol.save(tmp_path)
    assert (tmp_path / "thesis.tex").read_text() == "precious"


# ------------------------------------------------------------------ KPIs
def test_kpi_names_and_values_are_the_simulate_json(sol):
    res = CliRunner().invoke(app, ["simulate", PRESET, "--set", 'cell.current="3.3 kA"', "--json"])
    assert res.exit_code == 0, res.output
    as_json = json.loads(res.stdout)
    assert {f.name for f in dataclasses.fields(Kpis)} == set(as_json)
    kpis = to_jsonable(sol.kpis.to_dict())
    # citations are compared apart: a second run in one process currently records fewer
    # (cached computations do not re-cite), so the CLI run here may list fewer keys
    assert set(as_json.pop("citations")) <= set(kpis.pop("citations"))
    assert kpis == as_json


def test_kpis_are_frozen_and_typed(sol):
    k = sol.kpis
    with pytest.raises(dataclasses.FrozenInstanceError):
        k.cycle_days = 1.0
    assert isinstance(k.cycle_days, float) and isinstance(k.termination, str)
    assert k.cycle_days == sol.summary["cycle_days"]
    assert Kpis.from_summary({"cycle_days": 2.0, "not_a_kpi": 1}).cycle_days == 2.0


def test_print_citations_lists_the_references_of_the_run(sol):
    buf = io.StringIO()
    alref.print_citations(sol, file=buf)
    lines = buf.getvalue().splitlines()
    assert len(lines) == len(set(sol.citations)) > 0
    assert lines[0].startswith(f"[1] {sorted(sol.citations)[0]}: ")
    buf = io.StringIO()
    alref.print_citations(["no_such_key"], file=buf)
    assert "not in alref's references.bib" in buf.getvalue()


# ------------------------------------------------------------------ Study
def test_study_runs_and_tabulates_one_row_per_sample():
    study = alref.Study.mc(PRESET, vary={"cell.current": "2700:3300"}, n=4, seed=1)
    res = study.run()
    frame = res.to_frame()
    assert len(frame) == 4 and res.failed == 0
    assert {"in:cell.current", "status", "cycle_days", "energy_kwh_per_kg"} <= set(frame.columns)
    assert frame["in:cell.current"].between(2700, 3300).all()
    # more current, faster campaign: the cycle shortens as the line current rises
    ordered = frame.sort_values("in:cell.current")
    assert ordered["cycle_days"].iloc[0] > ordered["cycle_days"].iloc[-1]


# ------------------------------------------------------------------ the one-liner
needs_derive = pytest.mark.skipif(not hasattr(Scenario, "derive"),
                                  reason="Scenario.derive lands with the domain branch")


@needs_derive
def test_what_a_scientist_types():
    r = _python(
        "import alref; sol = alref.Simulation.from_scenario(alref.Scenario.preset("
        "'rusal-3ka-twitch').derive({'cell.current': '3.3 kA'})).run(); "
        "axes = sol.plot(['Cell voltage [V]']); print(sol.kpis.current_a, len(axes))")
    assert r.returncode == 0, r.stderr
    current, n_axes = r.stdout.split()
    assert float(current) == pytest.approx(3300.0) and n_axes == "1"


@needs_derive
def test_python_api_example_runs(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "python_api.py"), str(tmp_path)],
                       capture_output=True, text=True, timeout=300, check=False,
                       env={**os.environ, "MPLBACKEND": "Agg"})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "voltage.png").stat().st_size > 0
    assert Solution.load(tmp_path / "run").kpis.current_a == pytest.approx(3300.0)
