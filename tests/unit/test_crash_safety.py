"""Crash safety of run folders (`alref.atomicio`, `solution_io.recover_run_folder`): the
states a SIGKILL can leave are rebuilt by hand and the next write must repair them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.synthetic import synthetic_solution

from alref import atomicio
from alref.campaign import solution_io
from alref.campaign.solution import Solution

VERSION = "0.1.0-test"


@pytest.fixture(scope="module")
def solutions() -> tuple[Solution, Solution]:
    return (synthetic_solution(n_days=4.0, step_h=6.0, seed=1),
            synthetic_solution(n_days=6.0, step_h=6.0, seed=2))


def _write(sol: Solution, out: Path) -> Path:
    return solution_io.write_solution_folder(sol, out, alref_version=VERSION)


def _killed_between_renames(old_sol: Solution, new_sol: Solution, out: Path,
                            new_complete: bool) -> None:
    """The state of a writer killed after `out` -> `.tmp-X.old`, before `.tmp-X` -> `out`."""
    _write(old_sol, out)
    scratch = out.with_name("scratch")
    _write(new_sol, scratch)
    tmp = out.with_name(f".{out.name}{atomicio.TMP_MARK}deadbeef")
    os.rename(out, tmp.with_name(tmp.name + atomicio.OLD_SUFFIX))
    os.rename(scratch, tmp)
    if not new_complete:
        (tmp / solution_io.MANIFEST).unlink()


def test_overwrite_is_one_atomic_exchange_and_leaves_nothing(tmp_path, solutions, monkeypatch):
    out = tmp_path / "run"
    _write(solutions[0], out)
    renames = []
    real = os.rename
    monkeypatch.setattr(solution_io.atomicio.os, "rename",
                        lambda a, b: (renames.append((a, b)), real(a, b))[1])
    _write(solutions[1], out)
    assert renames == []  # the previous run was never moved away: no window without a run
    assert not solution_io.verify_folder(out)
    assert len(solution_io.read_folder(out)["timeseries"]) == len(solutions[1].time_s)
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


@pytest.mark.parametrize("new_complete", [True, False])
def test_kill_between_renames_is_repaired_on_next_start(tmp_path, solutions, new_complete):
    out = tmp_path / "run"
    _killed_between_renames(solutions[0], solutions[1], out, new_complete)
    assert not out.exists()
    actions = solution_io.recover_run_folder(out)
    assert actions and actions[0].startswith("restored")
    assert not solution_io.verify_folder(out)
    expect = solutions[1] if new_complete else solutions[0]  # never a partial run
    assert len(solution_io.read_folder(out)["timeseries"]) == len(expect.time_s)
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_next_write_cleans_a_killed_build(tmp_path, solutions):
    out = tmp_path / "run"
    _write(solutions[0], out)
    dead = out.with_name(f".{out.name}{atomicio.TMP_MARK}0badf00d")
    dead.mkdir()
    (dead / "timeseries.parquet").write_bytes(b"half")
    _write(solutions[1], out)
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_recovery_leaves_a_live_writers_folder_alone(tmp_path, solutions):
    out = tmp_path / "run"
    _write(solutions[0], out)
    live, fd = atomicio.make_temporary_sibling(out)
    try:
        assert solution_io.recover_run_folder(out) == []
        assert live.is_dir()
    finally:
        os.close(fd)
    assert solution_io.recover_run_folder(out) == [f"removed {live.name}"]
    assert not live.exists()


def test_kill_between_renames_without_exchange(tmp_path, solutions, monkeypatch):
    """Where no atomic exchange exists the two-rename fallback is repaired the same way."""
    monkeypatch.setattr(atomicio, "rename_exchange", lambda a, b: False)
    out = tmp_path / "run"
    _killed_between_renames(solutions[0], solutions[1], out, new_complete=False)
    _write(solutions[1], out)  # the next write first restores, then replaces
    assert not solution_io.verify_folder(out)
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    shutil.rmtree(out)


def test_file_lock_times_out_naming_the_option(tmp_path):
    lock = tmp_path / "x.lock"
    with atomicio.file_lock(lock, timeout_s=1, key="--out", what="catalogue"):
        # a second open file description conflicts like a second process would
        with (pytest.raises(Exception, match=r"^--out: catalogue is in use") as exc,
              atomicio.file_lock(lock, timeout_s=0.1, key="--out", what="catalogue")):
            pass
        assert "\n" not in str(exc.value)
    with atomicio.file_lock(lock, timeout_s=0.1, key="--out", what="catalogue"):
        pass  # released


def test_atomic_file_replaces_whole_and_cleans_killed_temporaries(tmp_path):
    target = tmp_path / "samples.parquet"
    target.write_bytes(b"old")
    stale = tmp_path / f".samples.parquet{atomicio.TMP_MARK}deadbeef"
    stale.write_bytes(b"half")  # left by a killed writer: nobody holds its lock

    def boom(tmp: Path) -> None:
        tmp.write_bytes(b"ne")
        raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        atomicio.write_bytes_atomic(target, boom)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == [target.name]
    atomicio.write_bytes_atomic(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("make", ["file", "garbage"])
def test_study_out_that_is_not_a_catalogue_exits_2_naming_out(tmp_path, make):
    from typer.testing import CliRunner

    from alref.cli import app

    out = tmp_path / "x"
    if make == "file":
        out.write_text("not a catalogue")
    else:
        out.mkdir()
        (out / "catalog.duckdb").write_text("garbage")
    res = CliRunner().invoke(app, ["study", "mc", "-n", "2", "--vary", "cell.acd", "--out",
                                   str(out), "--json"])
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--out" in lines[0], res.output
    assert out.exists() and (out.is_file() or (out / "catalog.duckdb").read_text() == "garbage")
