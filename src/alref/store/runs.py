"""Simulation runs in the catalogue: register a run folder, load a run for `alref compare`.

``alref simulate --out DIR`` writes a run folder (`alref.report.run_folder`) and registers
it in the catalogue (`register_run_folder`): the summary KPIs, the scenario inputs as run
(the flattened ``scenario.toml``), the folder's path and the time series (Parquet). A run
is then found by ``alref runs list`` and compared by ``alref compare`` by its id, or
directly by its folder path (`load_run`).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alref.errors import ConfigError

MANIFEST = "manifest.json"
SUMMARY = "summary.json"
SCENARIO = "scenario.toml"
TIMESERIES = "timeseries.parquet"
#: summary keys that are lists of records or long tables, left out of the stored summary
_BULKY = ("lots", "citations", "warnings", "product_routes", "mass_ledger_kg")


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"cell": {"current": "3 kA"}}`` -> ``{"cell.current": "3 kA"}``; list items by
    index (``campaign.actions.0.every``); empty tables kept as ``{}``."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, dotted + ".") if value else {dotted: {}})
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for i, item in enumerate(value):
                out.update(flatten(item, f"{dotted}.{i}."))
        else:
            out[dotted] = value
    return out


def run_id_of(folder: Path, manifest: Mapping[str, Any]) -> str:
    """``<folder name>-<first 8 characters of the scenario hash>``."""
    return f"{folder.name}-{str(manifest.get('scenario_hash', ''))[:8]}".strip("-")


def read_run(folder: str | Path) -> dict[str, Any]:
    """A run folder as {id, scenario, summary, inputs, series, path} (series: name -> list)."""
    import pandas as pd

    path = Path(folder)
    if not (path / MANIFEST).is_file():
        raise ConfigError("RUN", f"{str(folder)!r} is not a run folder (no {MANIFEST})")
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    summary = json.loads((path / SUMMARY).read_text(encoding="utf-8"))
    toml = path / SCENARIO
    inputs = flatten(tomllib.loads(toml.read_text(encoding="utf-8"))) if toml.is_file() else {}
    series: dict[str, list[float]] = {}
    if (path / TIMESERIES).is_file():
        frame = pd.read_parquet(path / TIMESERIES)
        series = {str(c): frame[c].astype(float).tolist() for c in frame.columns}
    return {"id": run_id_of(path.resolve(), manifest), "scenario": manifest.get("scenario"),
            "summary": summary, "inputs": inputs, "series": series, "path": str(path),
            "scenario_hash": manifest.get("scenario_hash"),
            "alref_version": manifest.get("alref_version")}


def register_run_folder(catalog: Any, folder: str | Path) -> str:
    """Enter a run folder into `catalog` (`alref.store.catalog.Catalog`); returns its id."""
    run = read_run(folder)
    summary = {k: v for k, v in run["summary"].items() if k not in _BULKY}
    summary.update({"inputs": run["inputs"], "run_folder": str(Path(folder).resolve()),
                    "n_lots": len(run["summary"].get("lots") or [])})
    return catalog.add_run(run["id"], str(run["scenario"]), summary, run["series"])


def load_run(ref: str, store: str | Path | None) -> dict[str, Any]:
    """A run to compare: a run folder path, or an id (or unique prefix) in `store`."""
    path = Path(ref)
    if (path / MANIFEST).is_file():
        return read_run(path)
    if store is None or not (Path(store) / "catalog.duckdb").exists():
        raise ConfigError("RUN", f"{ref!r} is neither a run folder nor a run id in a catalogue"
                          + (f" (no catalogue in {str(store)!r})" if store else ""))
    from alref.store.catalog import open_catalog

    entry = open_catalog(store).show(ref)
    if entry["type"] != "run":
        raise ConfigError("RUN", f"{ref!r} is a study, not a run")
    summary = dict(entry["summary"])
    folder = summary.get("run_folder")
    if folder and (Path(folder) / MANIFEST).is_file():
        run = read_run(folder)
        run["id"] = entry["id"]
        return run
    series: dict[str, list[float]] = {}
    if entry.get("series_path") and Path(entry["series_path"]).is_file():
        import pandas as pd

        frame = pd.read_parquet(entry["series_path"])
        series = {str(c): frame[c].astype(float).tolist() for c in frame.columns}
    return {"id": entry["id"], "scenario": entry["scenario"], "summary": summary,
            "inputs": summary.pop("inputs", {}), "series": series, "path": folder,
            "scenario_hash": None, "alref_version": None}
