"""`alref validate` / `alref calibrate` command line and the report writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alref.cli import app
from alref.errors import ConfigError
from alref.validation.report import html_page, markdown, num, write_report

runner = CliRunner()

SUMMARY = {
    "cases": [
        {"id": "a", "kind": "calibration", "class": "calibration",
         "quantity": "cell.energy_kwh_per_kg", "unit": "kWh/kg",
         "expected": 9.0, "predicted": 9.1, "tolerance": {"abs": 0.5}, "passed": True,
         "status": "ok", "source": "rusal2025press", "locator": "press | release", "reason": None,
         "accepted_interval": [8.5, 9.5]},
        {"id": "b", "kind": "prediction", "class": "validation",
         "quantity": "cell.energy_kwh_per_kg", "unit": "kWh/kg",
         "expected": [16.0, float("inf")], "predicted": 14.0, "tolerance": {"abs": 0.0},
         "passed": False, "status": "known deviation", "source": "scirep2024vacuum",
         "locator": "Table 3", "reason": "the preset cannot run at <800 degC> & stays hot",
         "accepted_interval": [16.0, float("inf")]},
        {"id": "c", "kind": "prediction", "class": "validation", "quantity": "cell.voltage_v",
         "unit": "V", "expected": 0.5, "predicted": None, "tolerance": {"abs": 0.05},
         "passed": False, "status": "pending", "source": "nagayama1984diaphragm",
         "locator": "abstract", "reason": "needs a chloride family", "accepted_interval": [0.45, 0.55]},
    ],
    "total": 3, "passed": 1, "failed": 0, "known_deviations": 1, "pending": 1, "success": True,
    "failed_validation": [],
    "by_class": {"verification": {"total": 0, "passed": 0, "failed": 0, "known_deviations": 0,
                                  "pending": 0},
                 "calibration": {"total": 1, "passed": 1, "failed": 0, "known_deviations": 0,
                                 "pending": 0},
                 "validation": {"total": 2, "passed": 0, "failed": 0, "known_deviations": 1,
                                "pending": 1}},
    "calibration_cases": 1, "prediction_cases": 2,
}


def test_markdown_and_html_tables() -> None:
    md = markdown(SUMMARY, {"sintef-lab": {"x_m": {"value": 0.07, "uncertainty": 0.02,
                                                   "range": {"lo": 0.01, "hi": 0.12},
                                                   "fitted_to": ["a"], "fitted_on": "2026-11-29"}}},
                  "## Notes\n\n- open item")
    assert "| a | calibration |" in md and "press \\| release" in md
    assert "[16, ∞]" in md and "known deviation" in md and "## Known deviations" in md
    assert "| sintef-lab | `x_m` | 0.07 | 0.02 |" in md and "- open item" in md
    assert "validation: 2 cases, 0 pass, 0 fail, 1 known deviations, 1 pending" in md
    assert "| 2026-11-29 | - |" in md  # no identifiability flag on a well-determined value
    assert "## Pending cases (not run)" in md and "needs a chloride family" in md
    page = html_page(SUMMARY)
    assert page.startswith("<!DOCTYPE html>") and "&lt;800 degC&gt; &amp;" in page
    # one parity plot for the quantity with evaluated cases; the pending case is not drawn
    assert page.count('alt="parity plot of') == 1 and "cell.energy_kwh_per_kg" in page
    assert "data:image/png;base64," in page and 'class="pending"' in page
    assert num(1.0212e-13) == "1.0212e-13" and num(None) == "-"


def test_write_report_atomic_and_suffix_checked(tmp_path: Path) -> None:
    out = write_report(tmp_path / "v.md", SUMMARY)
    assert out.read_text(encoding="utf-8").startswith("# Validation")
    write_report(tmp_path / "v.html", SUMMARY)
    assert not list(tmp_path.glob(".*.tmp"))
    with pytest.raises(ConfigError) as exc:
        write_report(tmp_path / "v.txt", SUMMARY)
    assert exc.value.key == "--report"
    with pytest.raises(ConfigError):
        write_report(tmp_path / "missing" / "v.md", SUMMARY)


def test_validate_json_contract(tmp_path: Path) -> None:
    report = tmp_path / "validation.md"
    result = runner.invoke(app, ["validate", "--json", "--report", str(report)])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    for key in ("cases", "passed", "failed", "known_deviations"):
        assert key in d
    assert len(d["cases"]) >= 12 and d["failed"] == 0 and d["success"] is True
    for c in d["cases"]:
        assert {"id", "class", "class_reason", "source", "quantity", "expected", "predicted",
                "tolerance", "passed", "kind", "status"} <= set(c)
        assert c["class"] in ("verification", "calibration", "validation")
    by_class = d["by_class"]
    assert sum(n["total"] for n in by_class.values()) == d["total"]
    assert sum(n["pending"] for n in by_class.values()) == d["pending"]
    assert sum(n["passed"] for n in by_class.values()) == d["passed"]
    # held-out predictions that pass today (issue 12 asks for ten; see docs/validation.md)
    assert by_class["validation"]["passed"] >= 9
    assert report.is_file() and "| V1-3ka-energy |" in report.read_text(encoding="utf-8")


def _one_case_dir(tmp_path: Path, body: str) -> Path:
    (tmp_path / "bad-case.toml").write_text(body, encoding="utf-8")
    return tmp_path


def test_malformed_case_file_exit_2(tmp_path: Path) -> None:
    folder = _one_case_dir(tmp_path, 'id = "bad-case"\nsource = "codata2018"\n')
    result = runner.invoke(app, ["validate", "--cases", str(folder)])
    assert result.exit_code == 2
    assert "bad-case.locator" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["calibrate", "V9-nosuch", "--params", "lining.lid.0.thickness_m"], "V9-nosuch"),
        (["calibrate", "V8-sintef-energy", "--params", "side_by_side.colour_m"],
         "side_by_side.colour_m"),
        (["validate", "--report", "out.pdf"], "--report"),
    ],
)
def test_bad_input_exit_2_naming_it(args: list[str], words: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert words in result.output


def test_calibrate_json_without_write() -> None:
    result = runner.invoke(app, ["calibrate", "V8-sintef-energy", "--params",
                                 "side_by_side.bath_depth_m", "--json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["technology"] == "sintef-lab" and "written" not in d
    p = d["parameters"][0]
    assert p["range"][0] <= p["value"] <= p["range"][1] and p["uncertainty"] > 0
    assert abs(d["cases"][0]["residual"]) < 0.05


def test_validate_exits_1_when_a_validation_case_misses(tmp_path: Path) -> None:
    """A validation-class case marked ok that misses fails the run (exit 1, success false,
    its id in failed_validation), the JSON still printed in full; the same case marked as
    a known deviation with its reason, or pending, does not."""
    body = ('id = "{id}"\nsource = "codata2018"\nlocator = "t"\nkind = "prediction"\n'
            'class = "validation"\nclass_reason = "held out of every fit (test)"\n{status}'
            'quantity = "thermo.activity_al"\nexpected = 0.5\ntolerance = {{ abs = 0.01 }}\n'
            '[conditions]\ninputs = {{ composition = {{ Cu = 33.0 }}, temperature = "750 degC" }}\n')
    (tmp_path / "miss.toml").write_text(body.format(id="miss", status=""), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--json", "--cases", str(tmp_path)])
    assert result.exit_code == 1
    d = json.loads(result.stdout)
    assert d["success"] is False and d["failed_validation"] == ["miss"]
    assert d["by_class"]["validation"] == {"total": 1, "passed": 0, "failed": 1,
                                           "known_deviations": 0, "pending": 0}
    table = runner.invoke(app, ["validate", "--cases", str(tmp_path)])
    assert table.exit_code == 1 and "FAILED" in table.output and "miss" in table.output
    reason = 'reason = "the activity model gives 0.80 here, not 0.5 (a test)"\n'
    for status in ("known deviation", "pending"):
        (tmp_path / "miss.toml").write_text(body.format(
            id="miss", status=f'status = "{status}"\n{reason}'), encoding="utf-8")
        result = runner.invoke(app, ["validate", "--json", "--cases", str(tmp_path)])
        assert result.exit_code == 0, status
        d = json.loads(result.stdout)
        assert d["success"] is True and d["passed"] == 0
        assert d["pending"] == (status == "pending")
        pred = d["cases"][0]["predicted"]
        if status == "pending":
            assert pred is None
        else:
            assert pred == pytest.approx(0.803, abs=0.01)


def test_shipped_calibration_flags() -> None:
    from alref.validation.report import calibration_flags

    rng = {"lo": 0.02, "hi": 0.3}
    assert calibration_flags({"value": 0.1, "uncertainty": 0.01, "range": rng}) == []
    assert calibration_flags({"value": 0.02, "uncertainty": 0.01, "range": rng}) == ["at bound"]
    assert calibration_flags({"value": 0.03, "uncertainty": 0.04, "range": rng}) == ["1σ > value"]
