"""The dashboard's jobs, persisted in the results catalogue (table ``web_jobs``).

Same DuckDB file and lock as `alref.store.catalog.Catalog`, so ``alref runs list --out DATA``
sees the finished runs and a restarted server finds every job it had: one still ``queued``
or ``running`` when the server stopped is marked ``interrupted`` on start (`recover`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alref.atomicio import file_lock
from alref.jsonsafe import to_jsonable
from alref.store.catalog import DB_NAME, LOCK_NAME, LOCK_TIMEOUT_S, Catalog

ACTIVE = ("queued", "running")
FINAL = ("done", "failed", "cancelled", "interrupted")
COLUMNS = ("job_id", "kind", "status", "cache_key", "label", "request", "created", "started",
           "finished", "progress", "error", "result", "run_folder", "tags")
_JSON_COLS = ("request", "error", "result", "tags")
_SCHEMA = """CREATE TABLE IF NOT EXISTS web_jobs (
    job_id VARCHAR PRIMARY KEY, kind VARCHAR, status VARCHAR, cache_key VARCHAR, label VARCHAR,
    request VARCHAR, created VARCHAR, started VARCHAR, finished VARCHAR, progress DOUBLE,
    error VARCHAR, result VARCHAR, run_folder VARCHAR, tags VARCHAR)"""


def now() -> str:
    """UTC time stamp, ISO 8601 to the millisecond."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class JobStore:
    """Rows of ``web_jobs`` (one connection per call, under the catalogue's lock)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.catalog = Catalog(self.root)  # creates the catalogue's own tables
        with self._connect() as con:
            con.execute(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[Any]:
        import duckdb

        with file_lock(self.root / LOCK_NAME, timeout_s=LOCK_TIMEOUT_S, key="--data",
                       what=f"catalogue {str(self.root / DB_NAME)!r}"):
            con = duckdb.connect(str(self.root / DB_NAME))
            try:
                yield con
            finally:
                con.close()

    def recover(self) -> list[str]:
        """Mark jobs left queued or running by a stopped server ``interrupted``; their ids."""
        with self._connect() as con:
            rows = con.execute("SELECT job_id FROM web_jobs WHERE status IN ('queued', "
                               "'running')").fetchall()
            con.execute("UPDATE web_jobs SET status = 'interrupted', finished = ? "
                        "WHERE status IN ('queued', 'running')", [now()])
        return [r[0] for r in rows]

    def all(self) -> list[dict[str, Any]]:
        """Every job, oldest first."""
        with self._connect() as con:
            rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM web_jobs "
                               "ORDER BY created").fetchall()
        out = []
        for r in rows:
            d = dict(zip(COLUMNS, r, strict=True))
            for k in _JSON_COLS:
                d[k] = json.loads(d[k]) if d[k] else None
            d["tags"] = d["tags"] or []
            out.append(d)
        return out

    def save(self, job: dict[str, Any]) -> None:
        """Insert or replace one job row."""
        vals = [json.dumps(to_jsonable(job.get(k)), allow_nan=False) if k in _JSON_COLS
                else job.get(k) for k in COLUMNS]
        with self._connect() as con:
            con.execute(f"INSERT OR REPLACE INTO web_jobs ({', '.join(COLUMNS)}) VALUES "
                        f"({', '.join('?' for _ in COLUMNS)})", vals)
