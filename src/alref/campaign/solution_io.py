"""The data of a run folder: write a `Solution` atomically, read it back, verify it.

Layout (``out_dir/``)::

    timeseries.parquet  "Time [s]", "Time [d]", then one column per series (pyarrow)
    lots.csv            t_days, mass_kg, al_wt_pct, grade, <El>_wt_pct ...
    actions.csv         t_days, kind, <detail keys> ...
    summary.json        Solution.summary + termination, lots, residue, citations (strict JSON)
    solution.json       every other field of the Solution, exactly (for `Solution.load`)
    manifest.json       format and alref version, scenario, hash, seed, created, parameters,
                        termination, files + size + SHA-256

`alref.report.run_folder` adds ``scenario.toml`` and ``report.html`` through `extra_files`.
The folder is built in a hidden, locked sibling ``.<name>.tmp-XXXXXXXX``; each file is
fsynced and the folder swapped into place only when complete (one atomic exchange on
Linux, `alref.atomicio`), so a reader never sees half a run nor no run, and a failure
leaves any previous run untouched. A writer killed mid-swap or mid-build leaves hidden
temporaries that `recover_run_folder` repairs or deletes at the start of the next write.

``solution.json`` is strict JSON in which a non-finite float is written as
``{"$float": "nan"}`` (or ``"inf"``, ``"-inf"``), so that every float survives the round
trip; the series are exact in Parquet. Folders written before ``solution.json`` existed
(format 1) load from ``summary.json`` and ``actions.csv`` (times via days, best effort).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alref import atomicio
from alref.campaign import solution_tables as tables
from alref.campaign.records import Action, Lot
from alref.jsonsafe import NonFiniteError, dumps_strict, to_jsonable

FORMAT_VERSION = 2
TIMESERIES = "timeseries.parquet"
LOTS = "lots.csv"
ACTIONS = "actions.csv"
SUMMARY = "summary.json"
SOLUTION = "solution.json"
MANIFEST = "manifest.json"
DATA_FILES = (TIMESERIES, LOTS, ACTIONS, SUMMARY, SOLUTION)
_FLOAT_TAG = "$float"
# pandas < 3 parses CSV floats with a fast, not always exact, algorithm unless asked;
# pandas 3 is exact by default and deprecates the option.
_EXACT_FLOATS = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}

ExtraFile = tuple[str, Callable[[], str]]  # file name, producer of its text


# ------------------------------------------------------------------ exact JSON
def encode_exact(obj: Any) -> Any:
    """Plain JSON types, keeping non-finite floats as ``{"$float": "nan"|"inf"|"-inf"}``."""
    if isinstance(obj, float | np.floating):
        value = float(obj)
        return value if math.isfinite(value) else {_FLOAT_TAG: repr(value)}
    if isinstance(obj, Mapping):
        return {str(k): encode_exact(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [encode_exact(v) for v in (obj.tolist() if isinstance(obj, np.ndarray) else obj)]
    return to_jsonable(obj)


def _decode_hook(d: dict[str, Any]) -> Any:
    return float(d[_FLOAT_TAG]) if d.keys() == {_FLOAT_TAG} else d


def solution_state(solution: Any) -> dict[str, Any]:
    """The non-series fields of `solution` as exact JSON data (contents of solution.json)."""
    return encode_exact({
        "format_version": FORMAT_VERSION,
        "scenario": solution.scenario,
        "scenario_hash": solution.scenario_hash,
        "seed": solution.seed,
        "termination": solution.termination,
        "citations": list(solution.citations),
        "residue_kg": solution.residue_kg,
        "residue_composition_wt_pct": dict(solution.residue_composition_wt_pct),
        "grade_limits": {g: dict(lim) for g, lim in solution.grade_limits.items()},
        "parameters": solution.parameters,
        "summary": solution.summary,
        "lots": [{"t_s": lot.t_s, "mass_kg": lot.mass_kg, "grade": lot.grade,
                  "meets_target": lot.meets_target,
                  "composition_wt_pct": dict(lot.composition_wt_pct)} for lot in solution.lots],
        "actions": [{"t_s": a.t_s, "kind": a.kind, "detail": dict(a.detail)}
                    for a in solution.actions],
    })


# ------------------------------------------------------------------ files
def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


_fsync_dir = atomicio.fsync_dir


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line ends and fsync it."""
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


def manifest_dict(solution: Any, folder: Path, files: Sequence[str], alref_version: str
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
        "files": [{"name": n, "size_bytes": (folder / n).stat().st_size,
                   "sha256": sha256_file(folder / n)} for n in files],
    }


def _finite(frame: Any, name: str, *, optional_empty: bool = False) -> Any:
    """`frame` unless a number in it is NaN or infinite (NonFiniteError naming the file and
    column). With `optional_empty`, NaN is an empty field (a key the row does not have, as
    in the actions log); infinities are still refused."""
    import numpy as np

    numbers = frame.select_dtypes("number")
    values = numbers.to_numpy(dtype=float)
    bad = np.isinf(values) if optional_empty else ~np.isfinite(values)
    if bad.any():
        col = numbers.columns[int(np.argwhere(bad)[0][1])]
        raise NonFiniteError(f"{name}:{col}", float(values[bad][0]))
    return frame


def write_data_files(solution: Any, folder: Path) -> list[str]:
    """Write the data files of `solution` into the directory `folder`; their names. Nothing
    non-finite is written (NonFiniteError naming the file and column); an empty field of the
    actions log is a detail key that action does not have."""
    _finite(tables.timeseries_frame(solution), TIMESERIES).to_parquet(
        folder / TIMESERIES, engine="pyarrow", index=False)
    _fsync_file(folder / TIMESERIES)
    _finite(tables.lots_frame(solution), LOTS).to_csv(folder / LOTS, index=False,
                                                      lineterminator="\n")
    _fsync_file(folder / LOTS)
    _finite(tables.actions_frame(solution), ACTIONS, optional_empty=True).to_csv(
        folder / ACTIONS, index=False, lineterminator="\n")
    _fsync_file(folder / ACTIONS)
    write_text(folder / SUMMARY, dumps_strict(tables.summary_dict(solution)))
    write_text(folder / SOLUTION, json.dumps(solution_state(solution), indent=1,
                                             allow_nan=False, ensure_ascii=False) + "\n")
    return list(DATA_FILES)


# ------------------------------------------------------------------ atomic folder
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


def _is_complete(folder: Path) -> bool:
    """A run folder whose manifest exists and whose files match it (size and SHA-256)."""
    try:
        return (folder / MANIFEST).is_file() and not verify_folder(folder)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def recover_run_folder(out_dir: str | os.PathLike[str]) -> list[str]:
    """Repair what a killed writer left next to `out_dir` (`alref.atomicio.recover_folder`):
    a run folder missing between the two renames of a swap is put back (the new run if
    complete, else the old one); leftover temporary folders are deleted."""
    return atomicio.recover_folder(out_dir, _is_complete)


def write_solution_folder(solution: Any, out_dir: str | os.PathLike[str], *,
                          alref_version: str | None = None,
                          extra_files: Sequence[ExtraFile] = ()) -> Path:
    """Write the run folder of `solution` to `out_dir` atomically and return its path.

    `extra_files` are (name, text producer) pairs written after the data files (the
    producers run inside the temporary folder, so their failure leaves nothing behind).
    Everything is built in a temporary sibling; only a complete folder replaces `out_dir`
    (a previous run folder there is exchanged with it atomically, then deleted; leftovers of
    a killed earlier write are first repaired by `recover_run_folder`). On any exception
    the temporary folder is removed and a previous `out_dir` is untouched. An existing
    non-empty `out_dir` that is not a run folder (no manifest.json) is refused with
    FileExistsError, so a mistyped path never deletes unrelated files.
    """
    if alref_version is None:
        from alref.version import __version__ as alref_version
    out = Path(out_dir).absolute()
    recover_run_folder(out)
    _check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp, lock = atomicio.make_temporary_sibling(out)
    try:
        files = write_data_files(solution, tmp)
        for name, produce in extra_files:
            write_text(tmp / name, produce())
            files.append(name)
        write_text(tmp / MANIFEST, dumps_strict(manifest_dict(solution, tmp, files, alref_version)))
        _fsync_dir(tmp)
        atomicio.swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            os.close(lock)
    return out


# ------------------------------------------------------------------ reading
def read_folder(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The data files of a run folder: ``path``, ``manifest``, ``summary`` and ``solution``
    (dicts; ``solution`` is None for format-1 folders), ``timeseries``, ``lots`` and
    ``actions`` (pandas DataFrames; lot ``grade`` is None where no grade was met)."""
    path = Path(path)
    if not (path / MANIFEST).is_file():
        raise FileNotFoundError(f"{path} is not a run folder (no {MANIFEST})")
    lots = pd.read_csv(path / LOTS, dtype={"grade": "object"}, keep_default_na=False,
                       na_values=[""], **_EXACT_FLOATS)
    lots["grade"] = lots["grade"].astype(object).where(lots["grade"].notna(), None)
    state = path / SOLUTION
    return {
        "path": path,
        "manifest": json.loads((path / MANIFEST).read_text(encoding="utf-8")),
        "summary": json.loads((path / SUMMARY).read_text(encoding="utf-8")),
        "solution": (json.loads(state.read_text(encoding="utf-8"), object_hook=_decode_hook)
                     if state.is_file() else None),
        "timeseries": pd.read_parquet(path / TIMESERIES, engine="pyarrow"),
        "lots": lots,
        "actions": pd.read_csv(path / ACTIONS, dtype={"kind": "object"}, **_EXACT_FLOATS),
    }


def _cell_value(value: Any) -> Any:
    """An actions.csv cell as written by `solution_tables.action_rows` (JSON for containers)."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value.item() if isinstance(value, np.generic) else value


def _format1_state(parts: Mapping[str, Any]) -> dict[str, Any]:
    """solution.json's content rebuilt from a format-1 folder (times via days)."""
    summary, manifest = dict(parts["summary"]), parts["manifest"]
    base = set(tables.ACTION_BASE_COLUMNS)
    actions = []
    for row in parts["actions"].to_dict("records"):
        detail = {(k[len("detail_"):] if k.startswith("detail_") and k[7:] in base else k):
                  _cell_value(v) for k, v in row.items()
                  if k not in base and not (isinstance(v, float) and math.isnan(v))}
        actions.append({"t_s": row["t_days"] * tables.SECONDS_PER_DAY, "kind": row["kind"],
                        "detail": detail})
    return {
        "scenario": manifest.get("scenario", summary.get("scenario", "")),
        "scenario_hash": manifest.get("scenario_hash", ""), "seed": manifest.get("seed"),
        "termination": summary.get("termination", manifest.get("termination", "")),
        "citations": summary.pop("citations", []),
        "residue_kg": summary.get("residue_kg", math.nan),
        "residue_composition_wt_pct": summary.get("residue_composition_wt_pct", {}),
        "grade_limits": {}, "parameters": manifest.get("parameters", {}), "summary": summary,
        "lots": [{**lot, "t_s": lot["t_days"] * tables.SECONDS_PER_DAY}
                 for lot in summary.get("lots", [])],
        "actions": actions,
    }


def load_solution(path: str | os.PathLike[str], solution_cls: type) -> Any:
    """The `Solution` stored in a run folder (series exact from Parquet)."""
    parts = read_folder(path)
    state = parts["solution"] or _format1_state(parts)
    ts = parts["timeseries"]
    series = {str(c): ts[c].to_numpy(copy=True) for c in ts.columns
              if c not in (tables.TIME_S, tables.TIME_D)}
    return solution_cls(
        scenario=state["scenario"],
        scenario_hash=state["scenario_hash"],
        time_s=ts[tables.TIME_S].to_numpy(copy=True),
        series=series,
        lots=[Lot(lot["t_s"], lot["mass_kg"], lot["composition_wt_pct"], lot["grade"],
                  lot.get("meets_target"))
              for lot in state["lots"]],
        actions=[Action(a["t_s"], a["kind"], a["detail"]) for a in state["actions"]],
        residue_kg=state["residue_kg"],
        residue_composition_wt_pct=state["residue_composition_wt_pct"],
        summary=state["summary"],
        termination=state["termination"],
        citations=list(state["citations"]),
        grade_limits=state["grade_limits"],
        seed=state["seed"],
        parameters=state["parameters"],
    )


def verify_folder(path: str | os.PathLike[str]) -> list[str]:
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
