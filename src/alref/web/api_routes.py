"""The JSON API under ``/api/``: the CLI contract over HTTP (every body and response mirrors
the command's inputs and ``--json`` object; see `alref.web.inputs` for the body)."""

from __future__ import annotations

import asyncio
import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from alref.errors import ConfigError
from alref.jsonsafe import to_jsonable
from alref.version import __version__
from alref.web.inputs import ScenarioBody, StudyBody, resolve
from alref.web.jobs import JobManager, cache_key
from alref.web.jobstore import FINAL

router = APIRouter(prefix="/api")
JOB_ID = r"^[0-9a-f]{12}$"
ENTRY_ID = r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,99}$"
JobId = Annotated[str, PathParam(pattern=JOB_ID)]
# assumption: a waiting request gives up after 10 minutes (the job itself goes on)
MAX_WAIT_S = 600.0
STUDY_KINDS = ("sweep", "mc", "sobol", "morris")


class Tags(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tags: list[Annotated[str, Field(max_length=40, pattern=r"^[\w .:+\-]{1,40}$")]] = \
        Field(max_length=20)


def ok(obj: Any, status: int = 200) -> JSONResponse:
    """A strict-JSON response (NaN and infinities as null)."""
    return JSONResponse(to_jsonable(obj), status_code=status)


def jobs_of(request: Request) -> JobManager:
    return request.app.state.jobs


def job_or_404(request: Request, job_id: str) -> dict[str, Any]:
    job = jobs_of(request).get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return job


def public(job: dict[str, Any], cached: bool | None = None) -> dict[str, Any]:
    """A job as the API shows it (without its bulky result)."""
    out = {k: job[k] for k in ("job_id", "kind", "status", "label", "created", "started",
                               "finished", "progress", "error", "tags", "request")}
    out["links"] = {"self": f"/api/jobs/{job['job_id']}",
                    "result": f"/api/jobs/{job['job_id']}/result",
                    "events": f"/api/jobs/{job['job_id']}/events",
                    "page": f"/runs/{job['job_id']}"}
    if cached is not None:
        out["cached"] = cached
    return out


def result_of(job: dict[str, Any]) -> dict[str, Any]:
    """The command's ``--json`` object of a finished job."""
    res = job["result"] or {}
    if job["kind"] == "simulate":
        d = dict(res.get("simulate", {}))
        d["run_folder"] = job["run_folder"]
        return {**d, "run_id": job["job_id"]}
    return dict(res)


def _request_record(body: ScenarioBody, inp: Any) -> dict[str, Any]:
    return {"scenario": inp.label, "source": "preset" if inp.source and "/" not in inp.source
            and not inp.source.endswith(".toml") else ("toml" if inp.source else "default"),
            "set": body.set_, "overrides": list(inp.overrides)}


async def _submit(request: Request, kind: str, label: str, payload: dict[str, Any],
                  spec: Any, record: dict[str, Any], tags: list[str], wait: bool) -> JSONResponse:
    jobs = jobs_of(request)
    job, cached = jobs.submit(kind, label, payload, cache_key(kind, spec), record, tags)
    if not wait:
        return ok(public(job, cached), 200 if cached and job["status"] == "done" else 202)
    job = await _wait(jobs, job["job_id"], MAX_WAIT_S)
    if job["status"] == "done":
        return ok({**result_of(job), "cached": cached})
    if job["status"] == "failed" and (job["error"] or {}).get("kind") == "input":
        return ok({"error": job["error"]}, 422)
    if job["status"] == "failed":
        return ok({"error": job["error"]}, 500)
    return ok(public(job, cached), 409 if job["status"] in FINAL else 202)


async def _wait(jobs: JobManager, job_id: str, timeout: float) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        job = jobs.get(job_id)
        if job["status"] in FINAL or loop.time() > end:
            return job
        await asyncio.sleep(0.1)


def _validated(body: ScenarioBody, data_dir: Path) -> tuple[Any, dict[str, Any]]:
    from alref import api

    inp = resolve(body, data_dir)
    api.load_scenario(inp.source, inp.overrides)  # bad input: 422 now, not a failed job
    table = api.scenario_toml_table(inp.source, inp.overrides)
    return inp, table


# ---------------------------------------------------------------------------- read-only
@router.get("/health")
async def health() -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@router.get("/scenarios")
async def scenarios(request: Request) -> JSONResponse:
    """`alref scenarios --json`."""
    return ok(request.app.state.catalog())


@router.get("/schema")
def schema(preset: Annotated[str, Query(max_length=100)] = "rusal-3ka-twitch") -> JSONResponse:
    """The editor's fields of a preset (unit, default, range, description, value)."""
    from alref.scenario import preset_names
    from alref.web.schema_form import editor_fields

    if preset not in preset_names():
        raise ConfigError("preset", f"{preset[:80]!r} is not a preset")
    return ok({"preset": preset, "sections": editor_fields(preset)})


@router.post("/cell")
def cell(request: Request, body: ScenarioBody) -> JSONResponse:
    """`alref cell --json` (steady operating point; answered in the request)."""
    from alref import api

    inp, _ = _validated(body, request.app.state.settings.data_dir)
    return ok(api.cell_operating_point(inp.source, inp.overrides).to_dict())


# ---------------------------------------------------------------------------- jobs
async def _submit_scenario(request: Request, kind: str, body: ScenarioBody,
                           wait: bool) -> JSONResponse:
    """A scenario command (`simulate`, `assess`) as a job: the scenario validated off the
    event loop, then submitted."""
    inp, table = await asyncio.to_thread(_validated, body, request.app.state.settings.data_dir)
    payload = {"source": inp.source, "overrides": list(inp.overrides)}
    return await _submit(request, kind, inp.label, payload, table,
                         _request_record(body, inp), body.tags, wait)


@router.post("/simulate")
async def simulate(request: Request, body: ScenarioBody,
                   wait: Annotated[bool, Query()] = False) -> JSONResponse:
    """`alref simulate --out` as a job: 202 with the job (``?wait=true``: the ``--json``
    object once done, plus ``run_id`` and ``cached``)."""
    return await _submit_scenario(request, "simulate", body, wait)


@router.post("/assess")
async def assess(request: Request, body: ScenarioBody,
                 wait: Annotated[bool, Query()] = False) -> JSONResponse:
    """`alref assess --json` as a job."""
    return await _submit_scenario(request, "assess", body, wait)


@router.post("/studies")
async def studies_submit(request: Request, body: StudyBody,
                         wait: Annotated[bool, Query()] = False) -> JSONResponse:
    """`alref study KIND --json` as a job (into the dashboard's catalogue)."""
    from alref import api

    settings = request.app.state.settings
    if body.kind not in STUDY_KINDS:
        raise ConfigError("kind", f"{body.kind[:40]!r} is not one of {', '.join(STUDY_KINDS)}")
    if body.n > settings.max_study_samples:
        raise ConfigError("n", f"{body.n} is over the dashboard's limit of "
                          f"{settings.max_study_samples} (run larger studies with alref study)")
    inp, table = await asyncio.to_thread(_validated, body, settings.data_dir)
    plan = await asyncio.to_thread(api.plan_study, body.kind, inp.source, body.vary, body.n,
                                   seed=body.seed, overrides=list(inp.overrides))
    payload = {"kind": body.kind, "source": inp.source, "overrides": list(inp.overrides),
               "vary": list(body.vary), "n": body.n, "seed": body.seed}
    record = {**_request_record(body, inp), "study": body.kind, "vary": body.vary, "n": body.n,
              "seed": body.seed, "study_id": plan.study_id}
    return await _submit(request, "study", f"{body.kind} {inp.label}", payload,
                         {"table": table, **payload}, record, body.tags, wait)


@router.get("/studies")
async def studies_list(request: Request) -> JSONResponse:
    """Study jobs of the dashboard, newest first."""
    return ok({"studies": [public(j) for j in jobs_of(request).list() if j["kind"] == "study"]})


@router.post("/validate")
async def validate_submit(request: Request, wait: Annotated[bool, Query()] = False
                          ) -> JSONResponse:
    """`alref validate --json` as a job (one per alref version: later calls are cached)."""
    return await _submit(request, "validate", "validation cases", {}, "validate",
                         {"scenario": "validation cases"}, [], wait)


@router.get("/validate")
async def validate_latest(request: Request) -> JSONResponse:
    """The newest finished validation (404 before the first)."""
    for job in jobs_of(request).list():
        if job["kind"] == "validate" and job["status"] == "done":
            return ok(result_of(job))
    raise HTTPException(404, "no validation has run yet; POST /api/validate")


@router.get("/jobs")
async def jobs_list(request: Request, q: Annotated[str, Query(max_length=100)] = "",
              tag: Annotated[str, Query(max_length=40)] = "") -> JSONResponse:
    """Every job, newest first (``q``: text in label/id/status; ``tag``: having it)."""
    return ok({"jobs": [public(j) for j in filter_jobs(jobs_of(request).list(), q, tag)]})


def filter_jobs(jobs: list[dict[str, Any]], q: str, tag: str) -> list[dict[str, Any]]:
    """Jobs matching a search text and a tag (both optional, case-insensitive)."""
    q, tag = q.strip().lower(), tag.strip().lower()
    out = []
    for j in jobs:
        text = " ".join([j["job_id"], j["label"] or "", j["status"], j["kind"], *j["tags"],
                         *(f"{k}={v}" for k, v in ((j["request"] or {}).get("set") or {}).items())])
        if q and q not in text.lower():
            continue
        if tag and tag not in (t.lower() for t in j["tags"]):
            continue
        out.append(j)
    return out


@router.get("/jobs/{job_id}")
async def job_get(request: Request, job_id: JobId) -> JSONResponse:
    return ok(public(job_or_404(request, job_id)))


@router.get("/jobs/{job_id}/result")
async def job_result(request: Request, job_id: JobId) -> JSONResponse:
    """The finished job's ``--json`` object (409 while it is not done)."""
    job = job_or_404(request, job_id)
    if job["status"] != "done":
        return ok({"error": {"key": "status", "message": f"job is {job['status']}"},
                   "job": public(job)}, 409)
    return ok(result_of(job))


@router.post("/jobs/{job_id}/cancel")
def job_cancel(request: Request, job_id: JobId) -> JSONResponse:
    job_or_404(request, job_id)
    return ok(public(jobs_of(request).cancel(job_id)))


@router.post("/jobs/{job_id}/tags")
def job_tags(request: Request, job_id: JobId, body: Tags) -> JSONResponse:
    job_or_404(request, job_id)
    return ok(public(jobs_of(request).set_tags(job_id, body.tags)))


@router.get("/jobs/{job_id}/events")
async def job_events(request: Request, job_id: JobId) -> StreamingResponse:
    """Server-sent events: ``progress`` ({status, progress}) on every change, then ``end``."""
    import json

    job_or_404(request, job_id)
    jobs = jobs_of(request)

    async def stream() -> Any:
        last = None
        while True:
            if await request.is_disconnected():
                return
            job = jobs.get(job_id)
            data = json.dumps({"status": job["status"], "progress": job["progress"],
                               "error": job["error"]})
            if data != last:
                last = data
                yield f"event: progress\ndata: {data}\n\n"
            if job["status"] in FINAL:
                yield f"event: end\ndata: {json.dumps({'status': job['status']})}\n\n"
                return
            await asyncio.sleep(0.1)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"cache-control": "no-store"})


@router.get("/jobs/{job_id}/series")
def job_series(request: Request, job_id: JobId) -> JSONResponse:
    """Time series of a finished simulation, for the plots (columns -> lists)."""
    job = job_or_404(request, job_id)
    if job["status"] != "done" or job["kind"] != "simulate":
        raise HTTPException(409, f"job {job_id} has no series (status {job['status']})")
    return ok(request.app.state.series(job_id))


# ---------------------------------------------------------------------------- catalogue
@router.get("/runs")
def runs_list(request: Request) -> JSONResponse:
    """`alref runs list --json` of the dashboard's catalogue."""
    return ok(request.app.state.runs_list(jobs_of(request).generation))


@router.get("/runs/{entry_id}")
def runs_show(request: Request,
              entry_id: Annotated[str, PathParam(pattern=ENTRY_ID)]) -> JSONResponse:
    """`alref runs show --json`."""
    from alref import api

    return ok(api.runs_show(jobs_of(request).store.catalog, entry_id).to_dict())


def compare_jobs(jobs: JobManager, ids: list[str]) -> dict[str, Any]:
    """`alref compare --json` of 2-6 finished simulation jobs (ids are the job ids):
    ``runs``, ``kpi_deltas`` (values, delta and relative delta against the first run) and
    ``input_diff`` (exactly the scenario keys whose values differ). Finished runs never
    change, so a comparison is computed once."""
    if not 2 <= len(ids) <= 6:
        raise ConfigError("ids", f"{len(ids)} runs given; compare 2 to 6")
    for i in ids:
        if not re.match(JOB_ID, i):
            raise ConfigError("ids", f"{i[:40]!r} is not a run id")
        job = jobs.get(i)
        if job is None or job["kind"] != "simulate" or job["status"] != "done":
            raise ConfigError("ids", f"{i} is not a finished simulation")
    return copy.deepcopy(_compare_cached(jobs, tuple(ids)))


@lru_cache(maxsize=32)
def _compare_cached(jobs: JobManager, ids: tuple[str, ...]) -> dict[str, Any]:
    from alref import api
    from alref.store.runs import read_run

    runs = [{**read_run(jobs.folder(i)), "id": i, "path": jobs.get(i)["run_folder"]}
            for i in ids]
    return api.compare_runs(runs).to_dict()


@router.get("/compare")
def compare(request: Request, ids: Annotated[list[str], Query(max_length=6)]) -> JSONResponse:
    """`alref compare --json` of 2-6 finished simulation jobs."""
    return ok(compare_jobs(jobs_of(request), ids))


__all__ = ["compare_jobs", "filter_jobs", "public", "result_of", "router"]
