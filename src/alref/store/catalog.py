"""Results catalogue: DuckDB for runs and studies (one row per sample), Parquet for series.

Layout of a store directory::

    DIR/catalog.duckdb            tables studies, samples, runs
    DIR/<study_id>/samples.parquet  every sample of a study, inputs flattened to columns
    DIR/runs/<run_id>.parquet     time series of a stored run

    DIR/catalog.duckdb.lock       advisory lock: one alref process in the catalogue at a time

Each chunk of a study is inserted in one transaction and (study_id, sample_id) is the
primary key, so a study killed midway leaves only whole chunks and a rerun completes it
with exactly N rows. Every connection holds an exclusive `flock` on the lock file, so two
studies writing one catalogue take turns (DuckDB itself admits one writing process and
would fail the other); a chunk another run of the same study already stored is skipped
(the same study id gives the same rows), never duplicated. Parquet files and reports are
replaced atomically (`alref.atomicio`). Implements the `alref.study.runner.Checkpoint`
protocol.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from alref.atomicio import file_lock, write_bytes_atomic
from alref.errors import ConfigError
from alref.study.executors import OUTPUTS

DB_NAME = "catalog.duckdb"
LOCK_NAME = DB_NAME + ".lock"
# assumption: a connection holds the lock for one chunk insert or one query (well under a
# second); a minute of waiting means the other process is stuck, so say so rather than hang.
LOCK_TIMEOUT_S = 60.0
_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS studies (
        study_id VARCHAR PRIMARY KEY, kind VARCHAR, scenario VARCHAR, n_samples INTEGER,
        seed BIGINT, executor VARCHAR, spec VARCHAR, created TIMESTAMP, finished TIMESTAMP,
        summary VARCHAR, results_path VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS samples (study_id VARCHAR, sample_id INTEGER, inputs VARCHAR, "
    "status VARCHAR, error VARCHAR, engine VARCHAR, termination VARCHAR, "
    + ", ".join(f"{k} DOUBLE" for k in OUTPUTS) + ", PRIMARY KEY (study_id, sample_id))",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY, scenario VARCHAR, created TIMESTAMP, summary VARCHAR,
        series_path VARCHAR)""",
]
_COLS = ("study_id", "sample_id", "inputs", "status", "error", "engine", "termination", *OUTPUTS)


def _json(obj: Any) -> str:
    def clean(o: Any) -> Any:
        if isinstance(o, float):
            return o if math.isfinite(o) else None
        if isinstance(o, Mapping):
            return {str(k): clean(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            return [clean(v) for v in o]
        if hasattr(o, "item"):
            return clean(o.item())
        return o

    return json.dumps(clean(obj), sort_keys=True, default=str)


class Catalog:
    """A store directory with its DuckDB catalogue (opened per call, so files stay free)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError("--out", f"{str(root)!r} is a file, not a catalogue directory")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError("--out", f"cannot create {str(root)!r}: {exc.strerror}") from None
        self.path = self.root / DB_NAME
        if self.path.exists() and not self.path.is_file():
            raise ConfigError("--out", f"{str(self.path)!r} is not a catalogue file")
        with self._connect() as con:
            for stmt in _SCHEMA:
                con.execute(stmt)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[Any]:
        """A DuckDB connection held under the catalogue's lock (ConfigError naming --out if
        the file is not a DuckDB catalogue or another process keeps it too long)."""
        import duckdb

        with file_lock(self.root / LOCK_NAME, timeout_s=LOCK_TIMEOUT_S, key="--out",
                       what=f"catalogue {str(self.path)!r}"):
            try:
                con = duckdb.connect(str(self.path))
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ConfigError("--out", f"{str(self.path)!r} is not a readable alref "
                                  f"catalogue ({first[:200]})") from None
            try:
                yield con
            finally:
                con.close()

    # ------------------------------------------------------------------ studies (Checkpoint)
    def begin_study(self, meta: Mapping[str, Any]) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT INTO studies (study_id, kind, scenario, n_samples, seed, executor, spec, "
                "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (study_id) DO UPDATE SET "
                "executor = excluded.executor",
                [meta["study_id"], meta["kind"], meta["scenario"], meta["n_samples"], meta["seed"],
                 meta["executor"], _json(meta["spec"]), _dt.datetime.now()])

    def completed(self, study_id: str) -> set[int]:
        with self._connect() as con:
            rows = con.execute("SELECT sample_id FROM samples WHERE study_id = ?",
                               [study_id]).fetchall()
        return {int(r[0]) for r in rows}

    def discard(self, study_id: str, sample_ids: Sequence[int]) -> None:
        with self._connect() as con:
            con.executemany("DELETE FROM samples WHERE study_id = ? AND sample_id = ?",
                            [[study_id, int(i)] for i in sample_ids])

    def save_rows(self, study_id: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert one chunk atomically (all its rows or none)."""
        import pandas as pd

        df = pd.DataFrame([{"study_id": study_id, "sample_id": int(r["sample_id"]),
                            "inputs": _json(r["inputs"]), "status": r["status"],
                            "error": r.get("error"), "engine": r.get("engine"),
                            "termination": r.get("termination"),
                            **{k: _float(r.get(k)) for k in OUTPUTS}} for r in rows],
                          columns=list(_COLS))
        with self._connect() as con:
            con.register("chunk_rows", df)
            con.execute("BEGIN TRANSACTION")
            try:
                # another run of the same study may have stored this chunk meanwhile: same
                # id, same rows, so keep the stored ones
                con.execute(f"INSERT OR IGNORE INTO samples SELECT {', '.join(_COLS)} "
                            "FROM chunk_rows")
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise

    def load_rows(self, study_id: str) -> list[dict[str, Any]]:
        with self._connect() as con:
            cur = con.execute(f"SELECT {', '.join(_COLS[1:])} FROM samples WHERE study_id = ? "
                              "ORDER BY sample_id", [study_id])
            names = [d[0] for d in cur.description]
            out = []
            for rec in cur.fetchall():
                row = dict(zip(names, rec, strict=True))
                row["inputs"] = json.loads(row["inputs"])
                for k in OUTPUTS:
                    row[k] = math.nan if row[k] is None else float(row[k])
                out.append(row)
        return out

    def finish_study(self, study_id: str, summary: Mapping[str, Any]) -> str:
        """Export the study's samples to Parquet and store its summary; returns the path."""
        import pandas as pd

        rows = self.load_rows(study_id)
        flat = []
        for r in rows:
            d = {k: v for k, v in r.items() if k != "inputs"}
            for k, v in r["inputs"].items():
                if isinstance(v, Mapping):
                    for el, w in v.items():
                        d[f"in:{k}.{el}"] = w
                else:
                    d[f"in:{k}"] = v
            flat.append(d)
        out = self.root / study_id / "samples.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        frame = pd.DataFrame(flat)
        write_bytes_atomic(out, lambda tmp: frame.to_parquet(tmp, index=False))
        with self._connect() as con:
            con.execute("UPDATE studies SET finished = ?, summary = ?, results_path = ? "
                        "WHERE study_id = ?", [_dt.datetime.now(), _json(summary), str(out),
                                               study_id])
        return str(out)

    # ------------------------------------------------------------------ runs
    def add_run(self, run_id: str, scenario: str, summary: Mapping[str, Any],
                series: Mapping[str, Sequence[float]] | None = None) -> str:
        """Store one simulation run (summary in DuckDB, time series in Parquet)."""
        import pandas as pd

        path = ""
        if series:
            p = self.root / "runs" / f"{run_id}.parquet"
            p.parent.mkdir(parents=True, exist_ok=True)
            frame = pd.DataFrame({k: list(v) for k, v in series.items()})
            write_bytes_atomic(p, lambda tmp: frame.to_parquet(tmp, index=False))
            path = str(p)
        with self._connect() as con:
            con.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?)",
                        [run_id, scenario, _dt.datetime.now(), _json(summary), path])
        return run_id

    # ------------------------------------------------------------------ queries
    def list_entries(self) -> list[dict[str, Any]]:
        """Studies and runs, newest first."""
        with self._connect() as con:
            studies = con.execute(
                "SELECT s.study_id, s.kind, s.scenario, s.n_samples, s.created, s.finished, "
                "(SELECT count(*) FROM samples m WHERE m.study_id = s.study_id), "
                "(SELECT count(*) FROM samples m WHERE m.study_id = s.study_id AND "
                "m.status <> 'ok') FROM studies s").fetchall()
            runs = con.execute("SELECT run_id, scenario, created FROM runs").fetchall()
        out = [{"id": r[0], "type": "study", "kind": r[1], "scenario": r[2], "n_samples": r[3],
                "created": str(r[4]), "finished": r[5] is not None, "stored_samples": r[6],
                "failed": r[7]} for r in studies]
        out += [{"id": r[0], "type": "run", "kind": "run", "scenario": r[1],
                 "created": str(r[2])} for r in runs]
        return sorted(out, key=lambda e: e["created"], reverse=True)

    def show(self, entry_id: str) -> dict[str, Any]:
        """One study (meta + summary) or run (summary), by id or unique prefix."""
        eid = self._resolve(entry_id)
        with self._connect() as con:
            s = con.execute("SELECT study_id, kind, scenario, n_samples, seed, executor, spec, "
                            "created, finished, summary, results_path FROM studies "
                            "WHERE study_id = ?", [eid]).fetchone()
            if s is not None:
                n = con.execute("SELECT count(*) FROM samples WHERE study_id = ?", [eid]
                                ).fetchone()[0]
                return {"id": s[0], "type": "study", "kind": s[1], "scenario": s[2],
                        "n_samples": s[3], "seed": s[4], "executor": s[5],
                        "spec": json.loads(s[6]), "created": str(s[7]),
                        "finished": None if s[8] is None else str(s[8]),
                        "summary": json.loads(s[9]) if s[9] else None, "results_path": s[10],
                        "stored_samples": int(n)}
            r = con.execute("SELECT run_id, scenario, created, summary, series_path FROM runs "
                            "WHERE run_id = ?", [eid]).fetchone()
        return {"id": r[0], "type": "run", "scenario": r[1], "created": str(r[2]),
                "summary": json.loads(r[3]), "series_path": r[4]}

    def _resolve(self, entry_id: str) -> str:
        ids = [e["id"] for e in self.list_entries()]
        if entry_id in ids:
            return entry_id
        hits = [i for i in ids if i.startswith(entry_id)]
        if len(hits) == 1:
            return hits[0]
        raise ConfigError("ID", f"no single stored run or study matches {entry_id!r}"
                          + (f" ({len(hits)} match)" if hits else ""))

    def compare(self, ids: Sequence[str]) -> dict[str, Any]:
        """Key outputs side by side (study: mean over its samples; run: its summary)."""
        if len(ids) < 2:
            raise ConfigError("IDS", "give at least two ids to compare")
        cols = {}
        for i in ids:
            e = self.show(i)
            if e["type"] == "study":
                outs = (e.get("summary") or {}).get("outputs", {})
                cols[e["id"]] = {k: outs.get(k, {}).get("mean") for k in OUTPUTS}
            else:
                cols[e["id"]] = {k: e["summary"].get(k) for k in OUTPUTS}
        return {"ids": list(cols), "outputs": {k: {i: cols[i][k] for i in cols} for k in OUTPUTS}}


def open_catalog(root: str | Path) -> Catalog:
    """The catalogue of an existing store directory (ConfigError naming --out if none)."""
    if not (Path(root) / DB_NAME).exists():
        raise ConfigError("--out", f"no catalogue in {str(root)!r}")
    return Catalog(root)


def _float(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
