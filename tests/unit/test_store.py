"""Results catalogue: chunk checkpoints, resume after a kill, runs list/show/compare."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import textwrap

import typer
from typer.testing import CliRunner

from alref.cli import study as study_cli
from alref.scenario import load_raw
from alref.store.catalog import Catalog
from alref.study.executors import LocalExecutor
from alref.study.runner import StudySpec, run_study

VARY = ["feed.composition", "cell.parameters.transfer.entrainment_kg_per_a_s"]
N, CHUNK, SEED = 8, 2, 21

SCRIPT = textwrap.dedent(f"""
    import sys, warnings
    warnings.simplefilter("ignore")
    from alref.scenario import load_raw
    from alref.store.catalog import Catalog
    from alref.study.executors import LocalExecutor
    from alref.study.runner import StudySpec, run_study
    spec = StudySpec.build("mc", "rusal-3ka-twitch", load_raw(None), {VARY!r}, {N},
                           seed={SEED}, chunk_size={CHUNK})
    def progress(done, total):
        print(done, flush=True)
    run_study(spec, LocalExecutor(), Catalog(sys.argv[1]), progress)
""")


def _spec() -> StudySpec:
    return StudySpec.build("mc", "rusal-3ka-twitch", load_raw(None), VARY, N, seed=SEED,
                           chunk_size=CHUNK)


def test_killed_study_resumes_to_exactly_n(tmp_path) -> None:
    store = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(store)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    seen = 0
    for line in proc.stdout:  # progress lines arrive after each chunk is committed
        seen = int(line)
        if seen >= 2 * CHUNK:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the study finished before it could be killed"
    cat = Catalog(store)
    spec = _spec()
    stored = cat.completed(spec.study_id)
    assert 2 * CHUNK <= len(stored) < N and len(stored) % CHUNK == 0
    res = run_study(spec, LocalExecutor(), cat)
    assert res.resumed_samples == len(stored)
    ids = [r["sample_id"] for r in res.rows]
    assert ids == list(range(N))  # exactly N, none lost, none duplicated
    with cat._connect() as con:
        assert con.execute("SELECT count(*) FROM samples").fetchone()[0] == N
    # the resumed study equals an uninterrupted one
    fresh = run_study(_spec(), LocalExecutor(), Catalog(tmp_path / "fresh"))
    for a, b in zip(res.rows, fresh.rows, strict=True):
        assert a["inputs"] == b["inputs"]
        for k in ("cycle_days", "energy_kwh_per_kg", "product_al_wt_pct"):
            assert a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k]))


def test_rerun_of_finished_study_adds_nothing(tmp_path) -> None:
    spec = StudySpec.build("sweep", "x", load_raw(None), ["cell.acd=2.5,3.5"], 2, chunk_size=1)
    cat = Catalog(tmp_path)
    first = run_study(spec, LocalExecutor(), cat)
    again = run_study(spec, LocalExecutor(), cat)
    assert again.resumed_samples == 2 and len(again.rows) == 2
    assert [r["energy_kwh_per_kg"] for r in again.rows] == [
        r["energy_kwh_per_kg"] for r in first.rows]
    # a chunk stored again (a second run of the same study racing the first) is skipped:
    # one row per sample, the stored values kept
    changed = [{**first.rows[0], "energy_kwh_per_kg": -1.0}]
    cat.save_rows(spec.study_id, changed)
    rows = cat.load_rows(spec.study_id)
    assert [r["sample_id"] for r in rows] == [0, 1]
    assert rows[0]["energy_kwh_per_kg"] == first.rows[0]["energy_kwh_per_kg"]


def test_runs_list_show_compare(tmp_path) -> None:
    spec = StudySpec.build("sweep", "x", load_raw(None), ["cell.acd=2.5,3.5"], 2, chunk_size=2)
    cat = Catalog(tmp_path)
    res = run_study(spec, LocalExecutor(), cat)
    assert res.results_path and res.results_path.endswith(".parquet")
    import pandas as pd

    df = pd.read_parquet(res.results_path)
    assert list(df["in:cell.acd"]) == [2.5, 3.5]
    cat.add_run("run-1", "rusal-3ka-twitch", {"energy_kwh_per_kg": 9.0, "cycle_days": 41.75},
                {"time_s": [0.0, 1.0], "Cell voltage [V]": [3.0, 3.1]})
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test app"""

    study_cli.register(app)
    runner = CliRunner()
    r = runner.invoke(app, ["runs", "list", "--out", str(tmp_path), "--json"])
    assert r.exit_code == 0, r.output
    ids = {e["id"] for e in json.loads(r.stdout)["entries"]}
    assert ids == {spec.study_id, "run-1"}
    r = runner.invoke(app, ["runs", "show", spec.study_id[:8], "--out", str(tmp_path), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["stored_samples"] == 2
    r = runner.invoke(app, ["runs", "compare", spec.study_id, "run-1", "--out", str(tmp_path),
                            "--json"])
    out = json.loads(r.stdout)
    assert out["outputs"]["cycle_days"]["run-1"] == 41.75
    r = runner.invoke(app, ["runs", "show", "nope", "--out", str(tmp_path)])
    assert r.exit_code == 2
