"""Study specification, sample designs, runner and CLI errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from alref.cli import study as study_cli
from alref.errors import ConfigError
from alref.materials.scrap import scrap_class
from alref.scenario import load_raw
from alref.study.executors import LocalExecutor
from alref.study.runner import StudySpec, run_study
from alref.study.sampling import make_design
from alref.study.spec import parse_factor, parse_factors

RAW = load_raw("rusal-3ka-twitch")
ENTRAIN = "cell.parameters.transfer.entrainment_kg_per_a_s"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test app"""

    study_cli.register(app)
    return app


# ------------------------------------------------------------------ factors
def test_factor_defaults_and_provenance() -> None:
    f = parse_factor(ENTRAIN, RAW, 0.1)
    assert f.kind == "parameter" and f.dist == "uniform"
    assert f.args == pytest.approx((0.9 * f.nominal, 1.1 * f.nominal))
    assert f.provenance.startswith("assumption")
    cur = parse_factor("cell.current", RAW, 0.1)
    assert cur.nominal == pytest.approx(3000.0)  # "3 kA" in bare amperes
    temp = parse_factor("cell.temperature=790:810", RAW, 0.1)
    assert temp.nominal == pytest.approx(800.0) and temp.args == (790.0, 810.0)
    assert parse_factor("cell.acd=±20%", RAW, 0.1).args == pytest.approx((2.4, 3.6))
    assert parse_factor("cell.acd=2,3,4", RAW, 0.1).levels == (2.0, 3.0, 4.0)


def test_feed_element_default_matches_spread_model() -> None:
    """mean ± √3 sd has the spread model's mean and standard deviation (uniform law)."""
    f = parse_factor("feed.composition.Si", RAW, 0.1)
    stats = scrap_class("twitch").composition_stats()["Si"]
    lo, hi = f.args
    assert (lo + hi) / 2 == pytest.approx(stats["mean"], rel=1e-9)
    assert (hi - lo) / math.sqrt(12) == pytest.approx(stats["sd"], rel=1e-9)


def test_calibrated_parameter_takes_its_uncertainty() -> None:
    f = parse_factor("cell.parameters.lining.lid.0.thickness_m", RAW, 0.1)
    assert f.dist in ("truncnorm", "uniform")
    assert "calibration" in f.provenance
    lo, hi = f.bounds()
    assert lo < f.nominal < hi


@pytest.mark.parametrize("item, key", [
    ("nonsense.key", "--vary"),
    ("cell.parameters.no.such.path", "--vary"),
    ("feed.composition.Xx", "--vary"),
    ("cell.acd=5:1", "--vary.cell.acd"),
    ("cell.acd=normal(3,-1)", "--vary.cell.acd"),
])
def test_bad_factor_names_the_key(item: str, key: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_factors([item], RAW, 0.1)
    assert exc.value.key == key


def test_duplicate_and_empty_vary() -> None:
    with pytest.raises(ConfigError, match="twice"):
        parse_factors(["cell.acd", "cell.acd=2:4"], RAW, 0.1)
    with pytest.raises(ConfigError, match="at least one"):
        parse_factors([], RAW, 0.1)


# ------------------------------------------------------------------ designs
def test_designs_are_reproducible_and_sized() -> None:
    fs = parse_factors(["feed.composition", ENTRAIN], RAW, 0.1)
    a = make_design("mc", fs, 50, 3, RAW)
    b = make_design("mc", fs, 50, 3, RAW)
    c = make_design("mc", fs, 50, 4, RAW)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.feed, b.feed)
    assert not np.array_equal(a.feed, c.feed)
    assert np.allclose(a.feed.sum(1), 100.0)
    fs2 = parse_factors(["cell.acd=2:4", ENTRAIN], RAW, 0.1)
    assert make_design("sweep", fs2, 3, 0, RAW).n == 9
    s = make_design("sobol", fs2, 8, 0, RAW)
    assert s.n == 8 * (2 + 2)
    assert make_design("morris", fs2, 5, 0, RAW).n == 5 * 3


def test_feed_block_sample_moments_match_closed_form() -> None:
    """2000 draws reproduce the spread model's closed-form mean and sd (within 4 se)."""
    fs = parse_factors(["feed.composition"], RAW, 0.1)
    d = make_design("mc", fs, 2000, 11, RAW)
    stats = scrap_class("twitch").composition_stats()
    for el in ("Si", "Cu", "Fe"):
        x = d.feed[:, d.feed_elements.index(el)]
        se = stats[el]["sd"] / math.sqrt(len(x))
        assert abs(x.mean() - stats[el]["mean"]) < 4 * se
        assert x.std(ddof=1) == pytest.approx(stats[el]["sd"], rel=0.1)


@pytest.mark.parametrize("kind, n, msg", [
    ("mc", 0, "> 0"), ("sobol", 6, "power of 2"), ("sweep", 1, "at least 2")])
def test_bad_n(kind: str, n: int, msg: str) -> None:
    fs = parse_factors(["cell.acd=2:4"], RAW, 0.1)
    with pytest.raises(ConfigError, match=msg) as exc:
        make_design(kind, fs, n, 0, RAW)
    assert exc.value.key == "-n"


# ------------------------------------------------------------------ runner
def test_run_study_rows_and_failed_sample_reason() -> None:
    """ACD outside the design limits (1-5 cm) is a failed row with its reason, not a crash."""
    spec = StudySpec.build("sweep", "rusal-3ka-twitch", RAW, ["cell.acd=3,9"], 2, seed=0,
                           chunk_size=5)
    res = run_study(spec, LocalExecutor())
    assert len(res.rows) == 2 and res.failed == 1
    bad = next(r for r in res.rows if r["status"] != "ok")
    assert bad["inputs"]["cell.acd"] == 9.0 and "cell.acd" in bad["error"]
    good = next(r for r in res.rows if r["status"] == "ok")
    assert 30 < good["cycle_days"] < 60 and good["engine"] == "batch"
    assert res.summary["failure_reasons"]


# ------------------------------------------------------------------ CLI
def test_cli_bad_input_exits_2(tmp_path) -> None:
    runner = CliRunner()
    app = _app()
    cases = [
        (["study", "mc", "--vary", "bogus.key", "-n", "4"], "bogus.key"),
        (["study", "mc", "--vary", "cell.acd", "-n", "0"], "-n"),
        (["study", "mc", "--vary", "cell.acd", "-n", "2", "--executor", "dask",
          "--scheduler", "tcp://127.0.0.1:9"], "--scheduler"),
    ]
    for args, named in cases:
        r = runner.invoke(app, [*args, "--out", str(tmp_path), "--json"])
        assert r.exit_code == 2, r.output
        assert named in r.output


def test_cli_json_contract(tmp_path) -> None:
    r = CliRunner().invoke(_app(), ["study", "mc", "--vary", "feed.composition", "-n", "3",
                                    "--seed", "5", "--out", str(tmp_path), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    for key in ("samples", "failed", "results_path", "summary", "executor"):
        assert key in out
    assert out["samples"] == 3 and out["executor"] == "local"
    assert out["summary"]["outputs"]["energy_kwh_per_kg"]["n"] == 3


def test_tornado_sign_and_html_report() -> None:
    """More Si in the scrap brings the anode alloy to its Si liquidus sooner: the tornado of
    cycle length must show feed Si with a negative swing; the report embeds its plots."""
    from alref.study.report import render_study_html

    spec = StudySpec.build("mc", "rusal-3ka-twitch", RAW, ["feed.composition"], 40, seed=2,
                           chunk_size=40)
    res = run_study(spec, LocalExecutor())
    assert res.failed == 0
    days = {e["input"]: e for e in res.summary["tornado"]["cycle_days"]}
    assert days["feed.composition.Si"]["swing"] < 0
    assert days["feed.composition.Si"]["spearman"] < -0.5
    page = render_study_html(res.study_id, res.summary, res.rows)
    assert page.count("data:image/png;base64,") == 2  # distributions and tornado
    assert "scrap spread model" in page
