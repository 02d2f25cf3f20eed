"""SIGKILL loops over `alref simulate --out DIR` (overwriting a complete run) and
`alref study mc --out CAT`, shared by `tests/unit/test_kill_loop.py` (short) and
`benchmarks/kill_loop.py` (long).

After every kill the checks are made on disk, before any further alref call could repair
anything: the run folder is visible, its files match its manifest (size and SHA-256) and it
is one of the complete runs (the previous or the new one, told apart by scenario hash), no
other visible folder appeared; the catalogue holds no duplicate (study, sample) row and
only whole chunks. Each study is resumed until it finishes, and must then hold exactly N
rows. A final uninterrupted write must leave no hidden temporary behind.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

FAST = 'campaign.termination.max_duration="{days} d"'
STUDY_N = 20
STUDY_CHUNK = 2
ALREF_CLI = [sys.executable, "-c", "from alref.cli import main; main()"]


def _alref(*args: str) -> subprocess.Popen:
    return subprocess.Popen([*ALREF_CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def simulate_args(out: Path, days: int) -> list[str]:
    return ["simulate", "--set", FAST.format(days=days), "--out", str(out), "--json"]


def study_args(cat: Path, seed: int) -> list[str]:
    return ["study", "mc", "-n", str(STUDY_N), "--vary", "cell.acd", "--seed", str(seed),
            "--chunk-size", str(STUDY_CHUNK), "--set", FAST.format(days=3), "--out", str(cat),
            "--no-report", "--json"]


def _finish(proc: subprocess.Popen, what: str) -> None:
    _out, err = proc.communicate(timeout=300)
    if proc.returncode != 0:
        raise AssertionError(f"{what} exited {proc.returncode}: {err.decode()[-500:]}")


def _timed(args: list[str]) -> float:
    t0 = time.monotonic()
    _finish(_alref(*args), " ".join(args[:2]))
    return time.monotonic() - t0


def _kill_at(proc: subprocess.Popen, delay_s: float, watch: Path | None = None,
             rng: random.Random | None = None) -> bool:
    """SIGKILL `proc` after `delay_s`, or, with `watch`, 0-20 ms after the manifest (written
    last) appears in a hidden temporary sibling of `watch`: the swap. True if it was still
    running when killed."""
    deadline = time.monotonic() + delay_s
    prefix = f".{watch.name}.tmp-" if watch is not None else ""
    while proc.poll() is None and time.monotonic() < deadline:
        if watch is not None and any(p.name.startswith(prefix) and (p / "manifest.json").exists()
                                     for p in watch.parent.iterdir()):
            time.sleep(rng.uniform(0.0, 0.02) if rng else 0.0)
            break
        time.sleep(0.001 if watch is not None else 0.005)
    alive = proc.poll() is None
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return alive


def check_run_folder(out: Path, complete_hashes: set[str]) -> str:
    """Assert `out` is one intact complete run; returns its scenario hash."""
    from alref.campaign.solution_io import MANIFEST, verify_folder

    assert (out / MANIFEST).is_file(), f"no complete run visible in {out}"
    bad = verify_folder(out)
    assert not bad, f"run folder files differ from the manifest: {bad}"
    h = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["scenario_hash"]
    assert h in complete_hashes, f"unknown run {h} in {out}"
    visible = [p.name for p in out.parent.iterdir() if not p.name.startswith(".")]
    assert visible == [out.name], f"a partial run is visible: {visible}"
    return h


def study_rows(cat: Path) -> dict[str, tuple[int, int]]:
    """study id -> (rows, distinct sample ids) in the catalogue (read without alref)."""
    import duckdb

    db = cat / "catalog.duckdb"
    if not db.exists():
        return {}
    con = duckdb.connect(str(db))
    try:
        return {s: (int(n), int(d)) for s, n, d in con.execute(
            "SELECT study_id, count(*), count(DISTINCT sample_id) FROM samples GROUP BY 1"
        ).fetchall()}
    finally:
        con.close()


def kill_loop(work: Path, kills: int, seed: int = 0) -> Counter:
    """`kills` SIGKILLs, alternating run-folder overwrites and study runs; returns counts.
    Raises AssertionError on the first lost or damaged run, visible partial run, duplicated
    row or partial chunk."""
    rng = random.Random(seed)
    counts: Counter = Counter()
    out, cat = work / "runs" / "run", work / "store"
    out.parent.mkdir(parents=True)
    # the two runs that take turns in the folder (told apart by scenario hash)
    run_hash = {}
    for days in (2, 3):
        t_sim = _timed(simulate_args(out, days))
        run_hash[days] = json.loads((out / "manifest.json").read_text())["scenario_hash"]
    assert run_hash[2] != run_hash[3]
    current = check_run_folder(out, {run_hash[3]})
    t_study = _timed(study_args(cat, 10_000 + seed))
    assert set(study_rows(cat).values()) == {(STUDY_N, STUDY_N)}
    study_seed, study_kills = seed, 0
    while counts["kills"] < kills:
        if counts["kills"] % 2 == 0:  # ---------- overwrite the complete run
            days = 2 if current == run_hash[3] else 3  # the new run differs from the old
            proc = _alref(*simulate_args(out, days))
            in_window = rng.random() < 0.5
            killed = _kill_at(proc, t_sim * 1.5 if in_window else rng.uniform(0.2, 1.1) * t_sim,
                              watch=out if in_window else None, rng=rng)
            if not killed:
                assert proc.returncode == 0, proc.stderr.read().decode()[-500:]
            # intact, complete, and the old run or the new one (the new one only if finished)
            h = check_run_folder(out, {current, run_hash[days]})
            counts["runs_checked_intact"] += 1
            if killed:
                counts["kills"] += 1
                counts["kills_run_write_window" if in_window else "kills_run_random"] += 1
                counts["kills_run_new_run_landed" if h != current else "kills_run_old_run_kept"] += 1
                counts["kills_leaving_hidden_temporaries"] += any(
                    p.name.startswith(".") for p in out.parent.iterdir())
            current = h
        else:  # ---------------------------------- a study (resumed until it finishes)
            proc = _alref(*study_args(cat, study_seed))
            killed = _kill_at(proc, rng.uniform(0.3, 1.0) * t_study)
            for sid, (n, distinct) in study_rows(cat).items():
                assert n == distinct, f"duplicated rows in {sid}: {n} rows, {distinct} ids"
                assert n <= STUDY_N and n % STUDY_CHUNK == 0, f"partial chunk in {sid}: {n}"
            if killed:
                counts["kills"] += 1
                counts["kills_study"] += 1
                study_kills += 1
            else:
                assert proc.returncode == 0, proc.stderr.read().decode()[-500:]
            if not killed or study_kills >= 3:  # resume to the end, then a new study
                _finish(_alref(*study_args(cat, study_seed)), "resumed study")
                after = study_rows(cat)
                assert set(after.values()) == {(STUDY_N, STUDY_N)}, after
                counts["studies_resumed_to_exactly_N_rows"] += 1
                study_seed, study_kills = study_seed + 1, 0
    # an uninterrupted write repairs and cleans whatever the last kill left
    days = 2 if current == run_hash[3] else 3
    _finish(_alref(*simulate_args(out, days)), "final simulate")
    check_run_folder(out, {run_hash[days]})
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temporaries left"
    counts["duplicate_rows"] = sum(n - d for n, d in study_rows(cat).values())
    return counts
