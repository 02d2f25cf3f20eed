"""`alref assess --xlsx`: the workbook's sheets (KPIs, waterfall, cost lines, cash flow,
footprint), the waterfall closing on the margin, valid sheet names, and an economics
section that survives missing keys."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alref.cli import app
from alref.report.assess_section import plot_margin_waterfall, render_assess_html, waterfall_steps
from alref.report.workbook import assessment_sheets, sheet_name

openpyxl = pytest.importorskip("openpyxl")
FAST = 'campaign.termination.max_duration="6 d"'


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("assess") / "assess.xlsx"
    r = CliRunner().invoke(app, ["assess", "rusal-3ka-twitch", "--set", FAST, "--xlsx",
                                 str(out), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), out


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_workbook_has_the_assessment_sheets(assessed):
    d, path = assessed
    wb = openpyxl.load_workbook(path)
    names = set(wb.sheetnames)
    assert {"KPIs", "Waterfall", "Economics", "Costs (USD per t)", "Cash flow", "Footprint",
            "Footprint by scope", "Comparison"} <= names
    kpis = {r[2]: r[1] for r in _rows(wb["KPIs"])[1:]}
    assert kpis["economics.margin_usd_per_t"] == pytest.approx(d["economics"]["margin_usd_per_t"])
    assert kpis["footprint.total_t_co2e_per_t"] == pytest.approx(
        d["footprint"]["total_t_co2e_per_t"])
    cash = _rows(wb["Cash flow"])
    assert len(cash) - 1 == len(d["economics"]["cash_flow"])
    costs = {r[0]: r[1] for r in _rows(wb["Costs (USD per t)"])[1:]}
    assert costs == pytest.approx(d["economics"]["cost_breakdown_usd_per_t"])


def test_waterfall_sheet_closes_on_the_margin(assessed):
    """The revenue and cost steps before the margin add up to the margin the assessment
    computed (its own identity, not the sheet echoing one number)."""
    d, path = assessed
    rows = _rows(openpyxl.load_workbook(path)["Waterfall"])[1:]
    first_total = next(i for i, r in enumerate(rows) if r[3] in ("subtotal", "total"))
    assert rows[first_total][0].startswith("margin")
    steps = [r[1] for r in rows[:first_total]]
    assert any(s < 0 for s in steps) and any(s > 0 for s in steps)
    margin = d["economics"]["margin_usd_per_t"]
    assert math.fsum(steps) == pytest.approx(margin, rel=1e-9, abs=1e-6)
    assert rows[first_total - 1][2] == pytest.approx(margin, rel=1e-9, abs=1e-6)


def test_missing_openpyxl_exits_2_before_work(monkeypatch: pytest.MonkeyPatch, tmp_path):
    import alref.extras

    monkeypatch.setattr(alref.extras, "missing", lambda mods: ["openpyxl"])
    monkeypatch.setattr("alref.api.assess", lambda *a, **k: pytest.fail("work started"))
    r = CliRunner().invoke(app, ["assess", "--xlsx", str(tmp_path / "a.xlsx")])
    assert r.exit_code == 2
    assert 'pip install "alref[report]"' in r.output and "--xlsx" in r.output


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    assert sheet_name("Revenue [USD per t]", used) == "Revenue (USD per t)"
    assert sheet_name("a/b:c*d?", used) == "a-b-c-d-"
    long = "x" * 40
    first, second = sheet_name(long, used), sheet_name(long, used)
    assert len(first) == 31 and len(second) <= 31 and first != second


def test_generic_sheets_follow_new_keys():
    d = {"scenario": "s", "economics": {"margin_usd_per_t": 10.0, "new_table": {"a": 1.0},
                                         "new_rows": [{"year": 1, "x": 2.0}]},
         "plant_block": {"pots": 40, "lines": [{"item": "labour", "usd": 3.0}]}}
    names = [s[0] for s in assessment_sheets(d)]
    assert "Economics new table" in names and "Economics new rows" in names
    assert "Plant block" in names and "Plant block lines" in names


def test_waterfall_reads_the_assessments_own_steps():
    own = {"waterfall_usd_per_t": [
        {"item": "metal", "usd_per_t": 2800.0, "kind": "revenue"},
        {"item": "scrap", "usd_per_t": -2100.0, "kind": "cost"},
        {"item": "margin_usd_per_t", "usd_per_t": 700.0, "kind": "subtotal"},
        {"item": "capital_charge", "usd_per_t": -300.0, "kind": "capital"},
        {"item": "margin_after_capital_usd_per_t", "usd_per_t": 400.0, "kind": "total"}]}
    steps = waterfall_steps(own)
    assert [s[0] for s in steps] == ["metal", "scrap", "margin", "capital charge",
                                     "margin after capital"]
    assert plot_margin_waterfall(steps).startswith(b"\x89PNG")
    fallback = waterfall_steps({"revenue_breakdown_usd_per_t": {"metal": 2800.0},
                                "cost_breakdown_usd_per_t": {"scrap": 2100.0, "power": 300.0}})
    assert fallback[-1] == ("margin", pytest.approx(400.0), "total")
    assert waterfall_steps({}) == [] and plot_margin_waterfall([]) is None


def test_economics_section_survives_missing_keys():
    page = render_assess_html({"scenario": "partial", "economics": {"margin_usd_per_t": 5.0}})
    assert "partial" in page and "margin [US$/t]" in page
    assert "no data in the assessment" in page  # no breakdown: the waterfall is a note
