"""Kill tests (issue 17): SIGKILL `alref simulate --out` while it overwrites a complete run
and `alref study mc --out` mid-study, at random points; two studies on one catalogue.
The long loop (≥ 50 kills) is `benchmarks/kill_loop.py`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.killing import ALREF_CLI, STUDY_N, kill_loop, study_args, study_rows

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")


def test_short_kill_loop_loses_no_run_and_duplicates_no_row(tmp_path):
    counts = kill_loop(tmp_path, kills=10, seed=17)
    assert counts["kills"] == 10
    assert counts["kills_study"] == 5 and counts["runs_checked_intact"] >= 5
    assert counts["duplicate_rows"] == 0


def test_two_studies_on_one_catalogue_both_succeed(tmp_path):
    """The same study twice and a different one, at once: all exit 0, N rows each."""
    cat = tmp_path / "store"
    procs = [subprocess.Popen([*ALREF_CLI, *study_args(cat, seed)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for seed in (1, 1, 2)]
    errs = [p.communicate(timeout=300)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errs
    rows = study_rows(cat)
    assert len(rows) == 2 and set(rows.values()) == {(STUDY_N, STUDY_N)}
