"""CLI: alref grade, alref scrap list|show (JSON contract and exit codes)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from alref.cli import app

runner = CliRunner()


def _json(args: list[str]) -> dict:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_grade_json() -> None:
    out = _json(["grade", "--composition", "Fe=0.12,Si=0.06,Zn=0.01", "--json"])
    assert out["al_wt_pct"] == 99.81
    assert out["grade"] is not None
    p = next(c for c in out["checks"] if c["grade"] == "P1020A")
    assert p["passed"] is True and p["failing_elements"] == []
    assert "fastmarkets2021p1020" in out["citations"] and "astm_e29" in out["citations"]


def test_grade_single_failing() -> None:
    out = _json(["grade", "--composition", "Si=0.11,Fe=0.20", "--grade", "P1020A", "--json"])
    assert out["grade"] is None and out["passed"] is False
    assert "Si" in out["checks"][0]["failing_elements"]


def test_grade_errors_exit_2() -> None:
    for args, needle in [
        (["grade", "--composition", "Si=0.1", "--grade", "P9999"], "--grade"),
        (["grade", "--composition", "Xx=0.1"], "Xx"),
        (["grade", "--composition", "Fe=-0.1"], "Fe"),
        (["grade", "--composition", "Cu=60,Si=50"], "--composition"),
    ]:
        res = runner.invoke(app, args)
        assert res.exit_code == 2, args
        assert needle in res.output


def test_scrap_list_json() -> None:
    out = _json(["scrap", "list", "--json"])
    assert len(out["scrap"]) >= 15
    row = next(r for r in out["scrap"] if r["isri_code"] == "Twitch")
    assert {"name", "isri_code", "description", "al_wt_pct_mean"} <= set(row)


def test_scrap_show_twitch() -> None:
    out = _json(["scrap", "show", "twitch", "--json"])
    comp = out["composition_wt_pct"]
    assert len(comp) >= 10
    assert all({"mean", "sd"} <= set(v) for v in comp.values())
    assert abs(sum(v["mean"] for v in comp.values()) - 100.0) < 1e-6
    nm = out["nonmetallic_wt_pct"]
    assert {"oxide", "organics", "moisture", "free_iron", "total"} <= set(nm)
    assert abs(out["metal_yield"] - (1 - nm["total"] / 100)) < 1e-12
    assert out["alloy_mix"] and out["sources"]
    assert "isri2022specs" in out["citations"]


def test_scrap_show_unknown_exit_2() -> None:
    res = runner.invoke(app, ["scrap", "show", "xyz"])
    assert res.exit_code == 2 and "xyz" in res.output


def test_human_output_runs() -> None:
    assert runner.invoke(app, ["scrap", "show", "ubc"]).exit_code == 0
    assert runner.invoke(app, ["grade", "--composition", "Fe=0.1"]).exit_code == 0
