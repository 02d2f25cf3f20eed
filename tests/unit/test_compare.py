"""`alref compare`: KPI deltas and exactly the inputs that differ; runs enter the catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alref.api.compare import compare_runs, input_diff
from alref.cli import app

FAST = 'campaign.termination.max_duration="4 d"'


def test_input_diff_lists_exactly_the_differing_keys() -> None:
    a = {"cell.current": "3 kA", "cell.acd": "3 cm", "feed.scrap": "twitch"}
    b = {"cell.current": "2.5 kA", "cell.acd": "3 cm", "feed.scrap": "twitch", "x.y": 1}
    assert input_diff([a, b]) == {"cell.current": ["3 kA", "2.5 kA"], "x.y": [None, 1]}
    assert input_diff([a, dict(a)]) == {}


def test_compare_needs_two_runs() -> None:
    with pytest.raises(Exception, match="at least two"):
        compare_runs([{"id": "a", "summary": {}, "inputs": {}}])


def test_simulate_out_registers_runs_and_compare_lists_exactly_the_changed_inputs(
        tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    common = ["--set", FAST, "--store", str(store), "--json"]
    ra = runner.invoke(app, ["simulate", "--out", str(tmp_path / "a"), *common])
    assert ra.exit_code == 0, ra.output
    rb = runner.invoke(app, ["simulate", "--out", str(tmp_path / "b"), "--set",
                             'cell.current="2.7 kA"', "--set", 'cell.acd="3.2 cm"', *common])
    assert rb.exit_code == 0, rb.output
    listed = runner.invoke(app, ["runs", "list", "--out", str(store), "--json"])
    ids = [e["id"] for e in json.loads(listed.stdout)["entries"] if e["type"] == "run"]
    assert len(ids) == 2
    html = tmp_path / "cmp.html"
    r = runner.invoke(app, ["compare", *sorted(ids), "--store", str(store), "--out", str(html),
                            "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert set(d["input_diff"]) == {"cell.current", "cell.acd"}
    delta = d["kpi_deltas"]["current_a"]["delta"]
    assert delta[sorted(ids)[1]] == pytest.approx(-300.0)
    # by folder path too, and the report holds both series
    r2 = runner.invoke(app, ["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--json"])
    assert set(json.loads(r2.stdout)["input_diff"]) == {"cell.current", "cell.acd"}
    text = html.read_text()
    assert "cell.current" in text and "data:image/png;base64" in text


def test_xlsx_workbook_has_kpis_lots_actions_and_series(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "run.xlsx"
    r = CliRunner().invoke(app, ["simulate", "--set", FAST, "--xlsx", str(out), "--json"])
    assert r.exit_code == 0, r.output
    n_lots = len(json.loads(r.stdout)["lots"])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["KPIs", "Lots", "Actions", "Time series", "Mass ledger",
                             "Voltage breakdown"]
    # the mass ledger sheet balances per element (the same kg in as out)
    sums: dict[tuple[str, str], float] = {}
    for el, side, _flow, kg in wb["Mass ledger"].iter_rows(min_row=2, values_only=True):
        sums[el, side] = sums.get((el, side), 0.0) + kg
    for el in {el for el, _side in sums}:
        assert sums[el, "out"] == pytest.approx(sums[el, "in"], rel=1e-9), el
    assert wb["Lots"].max_row == n_lots + 1
    kpis = {row[2]: row[1] for row in wb["KPIs"].iter_rows(min_row=2, values_only=True)}
    assert kpis["cycle_days"] == pytest.approx(json.loads(r.stdout)["cycle_days"])
