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
        {"id": "a", "kind": "calibration", "quantity": "cell.energy_kwh_per_kg", "unit": "kWh/kg",
         "expected": 9.0, "predicted": 9.1, "tolerance": {"abs": 0.5}, "passed": True,
         "status": "ok", "source": "rusal2025press", "locator": "press | release", "reason": None},
        {"id": "b", "kind": "prediction", "quantity": "cell.energy_kwh_per_kg", "unit": "kWh/kg",
         "expected": [16.0, float("inf")], "predicted": 14.0, "tolerance": {"abs": 0.0},
         "passed": False, "status": "known deviation", "source": "scirep2024vacuum",
         "locator": "Table 3", "reason": "the preset cannot run at <800 degC> & stays hot"},
    ],
    "total": 2, "passed": 1, "failed": 0, "known_deviations": 1,
    "calibration_cases": 1, "prediction_cases": 1,
}


def test_markdown_and_html_tables() -> None:
    md = markdown(SUMMARY, {"sintef-lab": {"x_m": {"value": 0.07, "uncertainty": 0.02,
                                                   "range": {"lo": 0.01, "hi": 0.12},
                                                   "fitted_to": ["a"], "fitted_on": "2026-11-29"}}},
                  "## Notes\n\n- open item")
    assert "| a | calibration |" in md and "press \\| release" in md
    assert "[16, ∞]" in md and "known deviation" in md and "## Known deviations" in md
    assert "| sintef-lab | `x_m` | 0.07 | 0.02 |" in md and "- open item" in md
    page = html_page(SUMMARY)
    assert page.startswith("<!DOCTYPE html>") and "&lt;800 degC&gt; &amp;" in page
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
    assert len(d["cases"]) >= 12 and d["failed"] == 0 and d["known_deviations"] <= 2
    for c in d["cases"]:
        assert {"id", "source", "quantity", "expected", "predicted", "tolerance", "passed",
                "kind", "status"} <= set(c)
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
