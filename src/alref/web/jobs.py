"""Jobs of the dashboard: a bounded pool of worker processes outside the request.

Each job runs in its own process (started from a forkserver that has `alref` imported, so a
start costs milliseconds), reports over its own pipe (`alref.web.worker`) and is cancelled
by terminating that process: a cancelled run stops at once and cannot corrupt another
job's channel. State lives in memory for fast pages and is written through to the results
catalogue (`JobStore`), so a restart shows unfinished jobs ``interrupted`` and keeps every
finished one. An identical resubmission (same kind, same scenario table after overrides,
same alref version) returns the existing job instead of running again.
"""

from __future__ import annotations

import collections
import copy
import hashlib
import json
import multiprocessing as mp
import queue
import shutil
import threading
import uuid
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from alref.jsonsafe import to_jsonable
from alref.version import __version__
from alref.web.jobstore import ACTIVE, JobStore, now
from alref.web.settings import Settings

KINDS = ("simulate", "assess", "study", "validate")
# assumption: the monitor wakes 10 times a second: progress and cancel latency stay < 0.2 s
POLL_S = 0.1


def cache_key(kind: str, spec: Any) -> str:
    """Hash of what decides a job's result: its kind, inputs and the alref version."""
    text = json.dumps(to_jsonable({"kind": kind, "spec": spec, "version": __version__}),
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class JobManager:
    """Queue, run, cancel and remember jobs (thread-safe)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        self.store = JobStore(self.data_dir)
        self.interrupted = self.store.recover()
        self.jobs: dict[str, dict[str, Any]] = {j["job_id"]: j for j in self.store.all()}
        self.versions: dict[str, int] = collections.defaultdict(int)
        self.lock = threading.RLock()
        self.pending: collections.deque[str] = collections.deque()
        self.payloads: dict[str, dict[str, Any]] = {}
        self.procs: dict[str, tuple[Any, Any]] = {}  # job id -> (process, reader)
        self._exiting: list[Any] = []  # finished workers not yet reaped
        self.finishing: set[str] = set()  # final state written, not yet shown
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(["alref.web.worker", "alref.api.simulation",
                                         "alref.report.simulation_run"])
        #: bumped on every persisted change (caches of catalogue listings key on it)
        self.generation = 0
        self._writes: queue.Queue[tuple[str, Any] | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write_loop, name="alref-jobs-db",
                                        daemon=True)
        self._writer.start()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="alref-jobs", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ public
    def folder(self, job_id: str) -> Path:
        """Run folder of a simulation job."""
        return self.data_dir / "run-folders" / job_id

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self.lock:
            job = self.jobs.get(job_id)
            return dict(job) if job is not None else None

    def list(self) -> list[dict[str, Any]]:
        """Every job, newest first."""
        with self.lock:
            return sorted((dict(j) for j in self.jobs.values()), key=lambda j: j["created"],
                          reverse=True)

    def version(self, job_id: str) -> int:
        return self.versions[job_id]

    def submit(self, kind: str, label: str, payload: dict[str, Any], key: str,
               request: dict[str, Any], tags: list[str] = ()) -> tuple[dict[str, Any], bool]:
        """Queue a job (or return the identical one already queued, running or done, with
        True)."""
        with self.lock:
            for job in self.jobs.values():
                if (job["cache_key"] == key and job["kind"] == kind
                        and (job["status"] in ACTIVE or (job["status"] == "done"
                                                         and self._intact(job)))):
                    return dict(job), True
            job_id = uuid.uuid4().hex[:12]
            job = {"job_id": job_id, "kind": kind, "status": "queued", "cache_key": key,
                   "label": label, "request": request, "created": now(), "started": None,
                   "finished": None, "progress": 0.0, "error": None, "result": None,
                   "run_folder": None, "tags": sorted(set(tags))}
            self.jobs[job_id] = job
            self.payloads[job_id] = payload
            self.versions[job_id] += 1
        # the row is on disk before the job can start or the client hears of it, so a crash
        # at any later moment leaves it for `recover` (outside the lock: readers go on)
        self.store.save(copy.deepcopy(job))
        with self.lock:
            self.pending.append(job_id)
            return dict(job), False

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Cancel a queued or running job (a finished one is returned unchanged)."""
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            if job["status"] == "queued":
                self.pending.remove(job_id)
            elif job["status"] == "running" and job_id in self.finishing:
                return dict(job)  # it has just ended; its result is being stored
            elif job["status"] == "running":
                proc, reader = self.procs.pop(job_id)
                proc.terminate()
                proc.join(1.0)
                if proc.is_alive():
                    proc.kill()
                    proc.join(1.0)
                reader.close()
                self._discard_partial(job_id)
            else:
                return dict(job)
            job.update(status="cancelled", finished=now())
            self._changed(job_id, persist=True)
            return dict(job)

    def set_tags(self, job_id: str, tags: list[str]) -> dict[str, Any] | None:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            job["tags"] = sorted(set(tags))
            self._changed(job_id, persist=True)
            return dict(job)

    def shutdown(self) -> None:
        """Stop the monitor; running jobs are terminated and marked ``interrupted``."""
        self._stop.set()
        self._thread.join(2.0)
        with self.lock:
            for job_id, (proc, reader) in list(self.procs.items()):
                proc.terminate()
                proc.join(1.0)
                reader.close()
                self.jobs[job_id].update(status="interrupted", finished=now())
                self._changed(job_id, persist=True)
            for job_id in self.pending:
                self.jobs[job_id].update(status="interrupted", finished=now())
                self._changed(job_id, persist=True)
            self.procs.clear()
            self.pending.clear()
        self._writes.put(None)
        self._writer.join(10.0)

    # ------------------------------------------------------------------ internals
    def _intact(self, job: dict[str, Any]) -> bool:
        return job["kind"] != "simulate" or (self.folder(job["job_id"]) / "manifest.json").is_file()

    def _changed(self, job_id: str, persist: bool) -> None:
        self.versions[job_id] += 1
        if persist:  # written behind, in order, outside the lock readers take
            self.generation += 1
            self._writes.put(("save", copy.deepcopy(self.jobs[job_id]), None))

    def _write_loop(self) -> None:
        from alref.store.runs import register_run_folder

        while True:
            item = self._writes.get()
            if item is None:
                return
            kind, value, apply = item
            try:
                if kind == "save":
                    self.store.save(value)
                else:  # registered as `alref simulate --out` registers its folder
                    register_run_folder(self.store.catalog, value)
            except Exception:  # keep writing the others; the row is retried on next change
                pass
            with self.lock:
                self.generation += 1  # listings cached before this write are stale
                if apply is not None:
                    apply()
                    self.finishing.discard(value["job_id"])

    def _discard_partial(self, job_id: str) -> None:
        target = self.folder(job_id)
        for tmp in target.parent.glob(f".{job_id}.tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)
        if target.exists() and not (target / "manifest.json").is_file():
            shutil.rmtree(target, ignore_errors=True)

    def _start(self, job_id: str) -> None:
        from alref.web.worker import run_job

        job = self.jobs[job_id]
        out = self.folder(job_id)
        out.parent.mkdir(parents=True, exist_ok=True)
        reader, writer = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=run_job, name=f"alref-job-{job_id}", daemon=True,
                                args=(job["kind"], self.payloads.pop(job_id), str(out),
                                      str(self.data_dir), writer))
        proc.start()
        writer.close()
        self.procs[job_id] = (proc, reader)
        job.update(status="running", started=now())
        self._changed(job_id, persist=True)

    def _handle(self, job_id: str, message: tuple[str, Any]) -> None:
        job = self.jobs[job_id]
        kind, value = message
        if kind == "progress":
            job["progress"] = max(0.0, min(1.0, float(value)))
            self._changed(job_id, persist=False)
            return
        proc, reader = self.procs.pop(job_id)
        reader.close()
        self._exiting.append(proc)  # reaped later: never wait under the readers' lock
        if kind == "done":
            final = {"status": "done", "progress": 1.0, "finished": now(), "result": value}
            if job["kind"] == "simulate":
                final["run_folder"] = str(self.folder(job_id).relative_to(self.data_dir))
                self._writes.put(("run", self.folder(job_id), None))
        else:
            final = {"status": "failed", "finished": now(), "error": value}
        self._finish(job_id, final)

    def _finish(self, job_id: str, final: dict[str, Any]) -> None:
        """A job's final state: shown only once it is on disk (written in order behind the
        earlier rows), so a crash never loses a result a client has seen. Meanwhile the
        job reads as still running."""
        row = {**copy.deepcopy(self.jobs[job_id]), **final}

        def apply() -> None:
            self.jobs[job_id].update(final)
            self.versions[job_id] += 1

        self.finishing.add(job_id)
        self._writes.put(("save", row, apply))

    def _poll(self) -> None:
        with self.lock:
            readers = {reader: job_id for job_id, (_p, reader) in self.procs.items()}
        ready = wait(list(readers), timeout=POLL_S) if readers else []
        if not readers:
            self._stop.wait(POLL_S)
        with self.lock:
            for reader in ready:
                job_id = readers[reader]
                if job_id not in self.procs:  # cancelled meanwhile
                    continue
                try:
                    while job_id in self.procs and reader.poll():
                        self._handle(job_id, reader.recv())
                except (EOFError, OSError):  # the worker died without a word
                    if job_id in self.procs:
                        self._died(job_id)
            for job_id, (proc, reader) in list(self.procs.items()):
                if proc.exitcode is None:
                    continue
                try:  # its last message may have arrived after the wait
                    while job_id in self.procs and reader.poll():
                        self._handle(job_id, reader.recv())
                except (EOFError, OSError):
                    pass
                if job_id in self.procs:
                    self._died(job_id)
            self._exiting = [p for p in self._exiting if p.exitcode is None]
            while self.pending and len(self.procs) < self.settings.workers:
                self._start(self.pending.popleft())

    def _died(self, job_id: str) -> None:
        proc, reader = self.procs.pop(job_id)
        reader.close()
        self._discard_partial(job_id)
        self._finish(job_id, {"status": "failed", "finished": now(),
                              "error": {"key": "", "kind": "internal",
                                        "message": f"worker stopped (exit code {proc.exitcode})"}})

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._poll()
            except Exception:  # the monitor must outlive any single job's trouble
                self._stop.wait(POLL_S)

