"""The run folder: every output of one campaign run, written atomically.

Layout (``out_dir/``)::

    timeseries.parquet  one column per series + "Time [s]", "Time [d]" (pyarrow)
    lots.csv            t_days, mass_kg, al_wt_pct, grade, <El>_wt_pct ...
    actions.csv         t_days, kind, <detail keys> ...
    summary.json        Solution.summary + termination, lots, residue, citations
    scenario.toml       the scenario as run (if given)
    report.html         self-contained report (if html=True)
    manifest.json       version, scenario, hash, seed, created, parameters, files+SHA-256

The folder is built in a hidden sibling ``.<name>.tmp-XXXX``; each file is fsynced and the
folder renamed into place only when complete, so a reader never sees half a run and a
failure leaves any previous run untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from alref.campaign.solution import Solution
from alref.report import tables
from alref.report.html import render_html
from alref.report.jsonsafe import dumps_strict

FORMAT_VERSION = 1
TIMESERIES = "timeseries.parquet"
LOTS = "lots.csv"
ACTIONS = "actions.csv"
SUMMARY = "summary.json"
MANIFEST = "manifest.json"
SCENARIO = "scenario.toml"
REPORT = "report.html"
# pandas < 3 parses CSV floats with a fast, not always exact, algorithm unless asked;
# pandas 3 is exact by default and deprecates the option.
_EXACT_FLOATS = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_entries(folder: Path, names: list[str]) -> list[dict[str, Any]]:
    return [
        {"name": n, "size_bytes": (folder / n).stat().st_size, "sha256": sha256_file(folder / n)}
        for n in names
    ]


def manifest_dict(solution: Solution, folder: Path, files: list[str], alref_version: str
                  ) -> dict[str, Any]:
    """The manifest of a run folder whose `files` are already written in `folder`."""
    return {
        "format_version": FORMAT_VERSION,
        "alref_version": alref_version,
        "scenario": solution.scenario,
        "scenario_hash": solution.scenario_hash,
        "seed": solution.seed,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "termination": solution.termination,
        "parameters": solution.parameters,
        "files": _file_entries(folder, files),
    }


def _write_contents(solution: Solution, folder: Path, alref_version: str,
                    scenario_toml: str | None, html: bool,
                    renderer: Callable[[Solution], str]) -> None:
    """Write every file of the run folder into the (empty) directory `folder`."""
    frame = tables.timeseries_frame(solution)
    frame.to_parquet(folder / TIMESERIES, engine="pyarrow", index=False)
    _fsync_file(folder / TIMESERIES)
    tables.lots_frame(solution).to_csv(folder / LOTS, index=False, lineterminator="\n")
    _fsync_file(folder / LOTS)
    tables.actions_frame(solution).to_csv(folder / ACTIONS, index=False, lineterminator="\n")
    _fsync_file(folder / ACTIONS)
    _write_text(folder / SUMMARY, dumps_strict(tables.summary_dict(solution)))
    files = [TIMESERIES, LOTS, ACTIONS, SUMMARY]
    if scenario_toml is not None:
        _write_text(folder / SCENARIO, scenario_toml)
        files.append(SCENARIO)
    if html:
        _write_text(folder / REPORT, renderer(solution))
        files.append(REPORT)
    manifest = manifest_dict(solution, folder, files, alref_version)
    _write_text(folder / MANIFEST, dumps_strict(manifest))


def _check_replaceable(out_dir: Path) -> None:
    """Refuse to replace anything but an empty directory or a previous run folder."""
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if out_dir.is_symlink() or not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} exists and is not a directory")
    if any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
        raise FileExistsError(
            f"{out_dir} exists, is not empty and is not a run folder (no {MANIFEST}); "
            "refusing to replace it")


def _make_temporary_sibling(out_dir: Path) -> Path:
    """Create the hidden sibling ``.<name>.tmp-XXXXXXXX`` (mode from the umask, unlike
    `tempfile.mkdtemp`'s 0700, so the finished run folder has ordinary permissions)."""
    for _attempt in range(100):
        tmp = out_dir.with_name(f".{out_dir.name}.tmp-{secrets.token_hex(4)}")
        try:
            tmp.mkdir()
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"could not create a temporary folder next to {out_dir}")


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Rename the finished `tmp` to `out_dir`, moving a previous `out_dir` aside first."""
    if not out_dir.exists():
        os.rename(tmp, out_dir)
        _fsync_dir(out_dir.parent)
        return
    old = tmp.with_name(tmp.name + ".old")
    os.rename(out_dir, old)
    try:
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(old, out_dir)
        raise
    _fsync_dir(out_dir.parent)
    shutil.rmtree(old, ignore_errors=True)


def write_run_folder(solution: Solution, out_dir: Path, *, alref_version: str,
                     scenario_toml: str | None = None, html: bool = True,
                     extra_html: Sequence[str] = ()) -> Path:
    """Write the run folder of `solution` to `out_dir` atomically and return its path.

    Everything is built in a temporary sibling ``.<name>.tmp-XXXX``; only a complete folder
    replaces `out_dir` (a previous run folder there is moved aside, replaced, then deleted).
    On any exception the temporary folder is removed and a previous `out_dir` is untouched.
    An existing non-empty `out_dir` that is not a run folder (no manifest.json) is refused
    with FileExistsError, so a mistyped path never deletes unrelated files.
    """
    out_dir = Path(out_dir).absolute()
    _check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = _make_temporary_sibling(out_dir)
    try:
        _write_contents(solution, tmp, alref_version, scenario_toml, html,
                        (lambda sol: render_html(sol, extra_html=extra_html)) if extra_html
                        else render_html)
        _fsync_dir(tmp)
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def read_run_folder(path: Path) -> dict[str, Any]:
    """Load a run folder back.

    Returns a dict with ``summary`` and ``manifest`` (dicts), ``timeseries``, ``lots`` and
    ``actions`` (pandas DataFrames; lot ``grade`` is None where no grade was met),
    ``scenario_toml`` (str or None) and ``path``.
    """
    path = Path(path)
    if not (path / MANIFEST).is_file():
        raise FileNotFoundError(f"{path} is not a run folder (no {MANIFEST})")
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    summary = json.loads((path / SUMMARY).read_text(encoding="utf-8"))
    timeseries = pd.read_parquet(path / TIMESERIES, engine="pyarrow")
    lots = pd.read_csv(path / LOTS, dtype={"grade": "object"}, keep_default_na=False,
                       na_values=[""], **_EXACT_FLOATS)
    lots["grade"] = lots["grade"].astype(object).where(lots["grade"].notna(), None)
    actions = pd.read_csv(path / ACTIONS, dtype={"kind": "object"}, **_EXACT_FLOATS)
    scenario = path / SCENARIO
    return {
        "path": path,
        "manifest": manifest,
        "summary": summary,
        "timeseries": timeseries,
        "lots": lots,
        "actions": actions,
        "scenario_toml": scenario.read_text(encoding="utf-8") if scenario.is_file() else None,
    }


def verify_run_folder(path: Path) -> list[str]:
    """Names of files whose size or SHA-256 differ from the manifest (empty if intact)."""
    path = Path(path)
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    bad = []
    for entry in manifest["files"]:
        f = path / entry["name"]
        if (not f.is_file() or f.stat().st_size != entry["size_bytes"]
                or sha256_file(f) != entry["sha256"]):
            bad.append(entry["name"])
    return bad
