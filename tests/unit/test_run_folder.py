"""Run folder: atomic write, file formats, round trip, manifest hashes, strict JSON."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from tests.synthetic import synthetic_solution

from alref.campaign import solution_io
from alref.campaign.solution import Action, Lot, Solution
from alref.report import read_run_folder, run_folder, verify_run_folder, write_run_folder

VERSION = "0.1.0-test"


@pytest.fixture(scope="module")
def solution() -> Solution:
    return synthetic_solution(n_days=10.0, step_h=2.0, seed=3)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _boom(_solution: Solution) -> str:
    raise RuntimeError("renderer failed")


def _tiny(**changes) -> Solution:
    """A two-point Solution with two lots of different impurity sets."""
    fields = {
        "scenario": "tiny", "scenario_hash": "abc", "time_s": np.array([0.0, 86400.0]),
        "series": {"Cell voltage [V]": np.array([4.0, 4.1])},
        "lots": [Lot(43200.0, 10.0, {"Al": 99.8, "Fe": 0.2}, "P1020A"),
                 Lot(86400.0, 12.5, {"Al": 99.5, "Si": 0.5}, None)],
        "actions": [Action(100.0, "charge_scrap", {"mass_kg": 50.0,
                                                   "composition_wt_pct": {"Al": 95.0}}),
                    Action(200.0, "tap", {"mass_kg": 10.0, "kind": "odd-key"})],
        "residue_kg": 1.0, "residue_composition_wt_pct": {"Fe": 100.0},
        "summary": {"product_kg": 22.5}, "termination": "end", "citations": [],
    }
    fields.update(changes)
    return Solution(**fields)


# ------------------------------------------------------------------ atomicity
def test_failure_leaves_no_folder_and_no_temporary(tmp_path, solution, monkeypatch):
    monkeypatch.setattr(run_folder, "render_html", _boom)
    out = tmp_path / "run"
    with pytest.raises(RuntimeError, match="renderer failed"):
        write_run_folder(solution, out, alref_version=VERSION)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no .run.tmp-XXXX left behind


def test_failure_keeps_previous_folder_untouched(tmp_path, solution, monkeypatch):
    out = tmp_path / "run"
    write_run_folder(solution, out, alref_version=VERSION, scenario_toml="a = 1\n", html=False)
    before = _snapshot(out)
    monkeypatch.setattr(run_folder, "render_html", _boom)
    with pytest.raises(RuntimeError):
        write_run_folder(_tiny(), out, alref_version=VERSION, html=True)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_failed_rename_restores_previous_folder(tmp_path, solution, monkeypatch):
    out = tmp_path / "run"
    write_run_folder(solution, out, alref_version=VERSION, html=False)
    before = _snapshot(out)
    real_rename = solution_io.os.rename
    calls = []

    def flaky_rename(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:  # moving the new folder into place
            raise OSError("disk went away")
        real_rename(src, dst)

    monkeypatch.setattr(solution_io.atomicio, "rename_exchange", lambda a, b: False)
    monkeypatch.setattr(solution_io.os, "rename", flaky_rename)
    with pytest.raises(OSError, match="disk went away"):
        write_run_folder(_tiny(), out, alref_version=VERSION, html=False)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_success_replaces_previous_folder_completely(tmp_path, solution):
    out = tmp_path / "run"
    write_run_folder(solution, out, alref_version=VERSION, scenario_toml="a = 1\n", html=False)
    (out / "stale.txt").write_text("from the old run")
    write_run_folder(_tiny(), out, alref_version=VERSION, html=False)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["actions.csv", "lots.csv", "manifest.json", "solution.json",
                     "summary.json", "timeseries.parquet"]
    assert read_run_folder(out)["summary"]["product_kg"] == 22.5
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask  # not mkdtemp's private 0700


def test_refuses_to_replace_a_folder_that_is_not_a_run(tmp_path, solution):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(FileExistsError, match="not a run folder"):
        write_run_folder(solution, out, alref_version=VERSION, html=False)
    assert (out / "thesis.tex").read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["docs"]


def test_bad_series_length_raises_and_leaves_nothing(tmp_path):
    bad = _tiny(series={"Cell voltage [V]": np.array([4.0, 4.1, 4.2])})
    with pytest.raises(ValueError, match="Cell voltage"):
        write_run_folder(bad, tmp_path / "run", alref_version=VERSION, html=False)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ round trip
def test_round_trip_series_lots_summary(tmp_path, solution):
    out = write_run_folder(solution, tmp_path / "run", alref_version=VERSION,
                           scenario_toml="[cell]\ncurrent = \"3 kA\"\n", html=False)
    back = read_run_folder(out)
    ts = back["timeseries"]
    assert list(ts.columns[:2]) == ["Time [s]", "Time [d]"]
    assert set(ts.columns[2:]) == set(solution.series)
    np.testing.assert_array_equal(ts["Time [s]"].to_numpy(), solution.time_s)
    np.testing.assert_array_equal(ts["Time [d]"].to_numpy(), solution.time_s / 86400.0)
    for name, values in solution.series.items():
        assert ts[name].dtype == values.dtype
        np.testing.assert_array_equal(ts[name].to_numpy(), values)  # exact

    lots = back["lots"]
    assert len(lots) == len(solution.lots)
    for (_, row), lot in zip(lots.iterrows(), solution.lots, strict=True):
        assert row["t_days"] == lot.t_s / 86400.0
        assert row["mass_kg"] == lot.mass_kg
        assert row["al_wt_pct"] == lot.al_wt_pct
        assert row["grade"] == lot.grade  # None survives as None
        assert row["Fe_wt_pct"] == lot.composition_wt_pct["Fe"]
    assert any(g is None for g in lots["grade"])  # the fixture has off-grade lots

    summary = back["summary"]
    assert summary["termination"] == solution.termination
    assert summary["product_kg"] == solution.summary["product_kg"]
    assert summary["residue_kg"] == solution.residue_kg
    assert summary["residue_composition_wt_pct"] == solution.residue_composition_wt_pct
    assert summary["citations"] == solution.citations
    assert summary["lots"] == [lot.to_dict() for lot in solution.lots]
    assert back["scenario_toml"] == "[cell]\ncurrent = \"3 kA\"\n"
    assert len(back["actions"]) == len(solution.actions)


def test_manifest_hashes_and_metadata(tmp_path, solution):
    out = write_run_folder(solution, tmp_path / "run", alref_version=VERSION,
                           scenario_toml="x = 1\n", html=False)
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {e["name"]: e for e in manifest["files"]}
    on_disk = {p.name for p in out.iterdir()} - {"manifest.json"}
    assert set(listed) == on_disk
    for name, entry in listed.items():
        data = (out / name).read_bytes()
        assert entry["size_bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["alref_version"] == VERSION
    assert manifest["scenario"] == solution.scenario
    assert manifest["scenario_hash"] == solution.scenario_hash
    assert manifest["seed"] == solution.seed
    assert manifest["parameters"] == solution.parameters
    created = datetime.fromisoformat(manifest["created"])
    assert created.utcoffset() == timedelta(0)
    assert verify_run_folder(out) == []
    with open(out / "lots.csv", "a") as fh:
        fh.write("tampered\n")
    assert verify_run_folder(out) == ["lots.csv"]


# ------------------------------------------------------------------ file formats
def test_lots_csv_columns_are_the_union_of_elements(tmp_path):
    out = write_run_folder(_tiny(), tmp_path / "run", alref_version=VERSION, html=False)
    with open(out / "lots.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["t_days", "mass_kg", "al_wt_pct", "grade", "meets_target", "Fe_wt_pct",
                       "Si_wt_pct"]
    assert rows[1] == ["0.5", "10.0", "99.8", "P1020A", "", "0.2", "0.0"]
    assert rows[2] == ["1.0", "12.5", "99.5", "", "", "0.0", "0.5"]


def test_actions_csv_flattens_details(tmp_path):
    out = write_run_folder(_tiny(), tmp_path / "run", alref_version=VERSION, html=False)
    with open(out / "actions.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["t_days", "kind", "mass_kg", "composition_wt_pct", "detail_kind"]
    assert rows[0]["kind"] == "charge_scrap"
    assert json.loads(rows[0]["composition_wt_pct"]) == {"Al": 95.0}
    assert float(rows[0]["t_days"]) == pytest.approx(100.0 / 86400.0, rel=1e-15)
    assert rows[1]["kind"] == "tap" and rows[1]["detail_kind"] == "odd-key"


def test_summary_json_refuses_non_finite_values_naming_the_key(tmp_path):
    """Nothing non-finite leaves alref (issue 17): NaN/inf is refused naming its key, never
    written as null; numpy types are unwrapped."""
    from alref.jsonsafe import NonFiniteError

    for bad, key in (({"ce": float("nan")}, "ce"), ({"x": np.float64(np.inf)}, "x"),
                     ({"arr": np.array([1.0, np.nan])}, "arr[1]"),
                     ({"nested": {"y": -math.inf}}, "nested.y")):
        with pytest.raises(NonFiniteError) as err:
            write_run_folder(_tiny(summary={"product_kg": 22.5, **bad}), tmp_path / "bad",
                             alref_version=VERSION, html=False)
        assert err.value.key == key
        assert not (tmp_path / "bad").exists()
    summary = {"product_kg": 22.5, "n": np.int64(3), "arr": np.array([1.0, 2.0])}
    out = write_run_folder(_tiny(summary=summary), tmp_path / "run", alref_version=VERSION,
                           html=False)
    for name in ("summary.json", "manifest.json"):
        text = (out / name).read_text()

        def reject(token):
            raise AssertionError(f"non-standard JSON token {token}")

        json.loads(text, parse_constant=reject)
    s = json.loads((out / "summary.json").read_text())
    assert s["arr"] == [1.0, 2.0] and s["n"] == 3


def test_html_written_and_listed(tmp_path):
    out = write_run_folder(_tiny(), tmp_path / "run", alref_version=VERSION, html=True)
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    names = [e["name"] for e in json.loads((out / "manifest.json").read_text())["files"]]
    assert "report.html" in names


def test_solution_load_reads_a_report_run_folder_exactly(tmp_path, solution):
    out = write_run_folder(solution, tmp_path / "run", alref_version=VERSION,
                           scenario_toml="x = 1\n", html=True)
    back = Solution.load(out)
    assert back.lots == solution.lots and back.actions == solution.actions
    assert back.summary == solution.summary and back.parameters == solution.parameters
    assert (back.seed, back.grade_limits) == (solution.seed, solution.grade_limits)
    for name, values in solution.series.items():
        np.testing.assert_array_equal(back[name], values)
    assert verify_run_folder(out) == []


def test_a_non_finite_time_series_is_refused_naming_its_column(tmp_path):
    from alref.jsonsafe import NonFiniteError

    bad = _tiny(series={"Cell voltage [V]": np.array([4.0, np.nan])})
    with pytest.raises(NonFiniteError) as err:
        write_run_folder(bad, tmp_path / "run", alref_version=VERSION, html=False)
    assert "Cell voltage [V]" in err.value.key and "timeseries.parquet" in err.value.key
    assert not (tmp_path / "run").exists()
