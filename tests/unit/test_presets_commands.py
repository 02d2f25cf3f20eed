"""Issue 17: every built-in preset runs every command that applies to it (`cell`, `simulate
--out`, `assess`) with exit 0, and the simulate JSON reconciles its energy with Faraday's law:
``dc_energy_kwh_per_kg == 2.98 x mean_cell_voltage_v / current_efficiency`` within 0.5 %.

The loop shortens the plan to a few days (the full preset runs are the regression goldens);
the full-horizon energy check is marked slow. Run folders carry no NaN or infinity in their
JSON, CSV or Parquet."""

from __future__ import annotations

import contextlib
import io
import json
import math
import warnings
from pathlib import Path

import pytest

from alref.cli import run
from alref.scenario import load_scenario, preset_names
from alref.units import to_si

#: Faraday's law: kWh per kg of Al per volt at CE = 1, 3F / (M_Al x 3.6e6 J/kWh) = 2.98
FARADAY_KWH_PER_KG_V = 3 * 96485.33212 / (26.9815385e-3 * 3.6e6)
SHORT_DAYS = 3.0


def _cli(argv: list[str]) -> dict:
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        warnings.simplefilter("ignore")
        code = run(argv)
    assert code == 0, f"alref {' '.join(argv)}: exit {code}: {err.getvalue()}"

    def reject(token: str) -> None:
        raise AssertionError(f"non-finite token {token} in the JSON of {argv}")

    return json.loads(out.getvalue(), parse_constant=reject)


def _short(preset: str) -> list[str]:
    """`--set` of a plan of at most SHORT_DAYS (a preset's own shorter plan is kept)."""
    sc = load_scenario(preset)
    limit = sc.campaign.termination.max_duration if sc.campaign is not None else None
    if limit is not None and to_si(limit, "day", key="x") <= SHORT_DAYS * 86400:
        return []
    return ["--set", f'campaign.termination.max_duration="{SHORT_DAYS:g} d"']


def _energy_reconciles(d: dict) -> None:
    expected = FARADAY_KWH_PER_KG_V * d["mean_cell_voltage_v"] / d["current_efficiency"]
    assert d["dc_energy_kwh_per_kg"] == pytest.approx(expected, rel=5e-3)
    assert d["energy_kwh_per_kg"] == pytest.approx(
        d["dc_energy_kwh_per_kg"] + d["auxiliary_energy_kwh_per_kg"], rel=1e-9)


def _finite_files(folder: Path) -> None:
    """No NaN or infinity in the run folder: JSON tokens, CSV fields, Parquet numbers. An
    empty CSV field is a key the row does not have (actions.csv: the union of the actions'
    detail keys, documented in `actions_frame`)."""
    import csv

    import pandas as pd

    bad = {"nan", "-nan", "inf", "-inf", "infinity", "-infinity"}
    for path in folder.rglob("*"):
        if path.suffix == ".json":
            text = path.read_text()
            assert "NaN" not in text and "Infinity" not in text, path
        elif path.suffix == ".csv":
            with path.open() as fh:
                fields = [f.strip().lower() for row in csv.reader(fh) for f in row]
            assert not bad.intersection(fields), path
        elif path.suffix == ".parquet":
            numbers = pd.read_parquet(path).select_dtypes("number").to_numpy(dtype=float)
            assert all(math.isfinite(x) for x in numbers.ravel()), path


@pytest.mark.parametrize("preset", preset_names())
def test_every_preset_runs_cell(preset: str) -> None:
    d = _cli(["cell", preset, "--json"])
    assert d["cell_voltage_v"] > 0 and 0 < d["current_efficiency"] <= 1
    _energy_reconciles({**d, "mean_cell_voltage_v": d["cell_voltage_v"]})


@pytest.mark.parametrize("preset", preset_names())
def test_every_preset_runs_simulate_out_and_its_energy_reconciles(preset: str,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "run"
    d = _cli(["simulate", preset, *_short(preset), "--out", str(folder), "--json"])
    assert d["product_kg"] > 0 and d["cycle_days"] > 0
    _energy_reconciles(d)
    _finite_files(folder)


@pytest.mark.parametrize("preset", preset_names())
def test_every_preset_runs_assess(preset: str) -> None:
    d = _cli(["assess", preset, *_short(preset), "--json"])
    assert math.isfinite(d["economics"]["margin_usd_per_t"])
    assert d["footprint"]["total_t_co2e_per_t"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("preset", preset_names())
def test_full_preset_runs_reconcile_energy_with_faraday(preset: str) -> None:
    _energy_reconciles(_cli(["simulate", preset, "--json"]))
