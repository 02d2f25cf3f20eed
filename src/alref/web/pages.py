"""HTML pages (Jinja2 + htmx + Plotly.js, every asset served from /static): the scenario
editor, run pages with live progress, the runs list, compare, studies, validation."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from alref.report.html import fmt
from alref.version import __version__
from alref.web.api_routes import JOB_ID, compare_jobs, filter_jobs, result_of
from alref.web.security import csrf_token

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).parent / "templates"
#: series drawn on a run page (those a run has), grouped per plot
RUN_PLOTS = (("Cell voltage", ["Cell voltage [V]"]),
             ("Temperatures and superheats", ["Bath temperature [degC]", "Alloy superheat [K]",
                                              "Bath superheat [K]"]),
             ("Masses", ["Anode alloy [kg]", "Sludge [kg]", "Cathode metal [kg]",
                         "Cumulative product [kg]"]),
             ("Cathode impurities", ["Cathode Fe [wt %]", "Cathode Si [wt %]",
                                     "Cathode Cu [wt %]", "Cathode Zn [wt %]"]),
             ("Current efficiency", ["Current efficiency [-]"]))
# assumption: 200 rows are as many as a reader scans; search narrows the rest
MAX_ROWS = 200
COMPARE_PLOTS = ("Cell voltage [V]", "Bath temperature [degC]", "Cumulative product [kg]",
                 "Anode alloy [kg]", "Cathode Fe [wt %]")


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["num"] = num
    return env


def num(value: Any, digits: int = 4) -> str:
    """A number for a table: the run report's formatter (`alref.report.html.fmt`) at 4
    significant digits."""
    return fmt(value, digits)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env().get_template(name).render(csrf=csrf_token(request.app.state.settings),
                                            version=__version__, page=name, **context)
    return HTMLResponse(html, status_code=status)


def _jobs(request: Request) -> Any:
    return request.app.state.jobs


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    recent = _jobs(request).list()[:8]
    return render(request, "index.html", catalog=request.app.state.catalog(), recent=recent)


@router.get("/editor", response_class=HTMLResponse)
def editor(request: Request, preset: Annotated[str, Query(max_length=100)] = "rusal-3ka-twitch"
           ) -> HTMLResponse:
    from alref.scenario import preset_names
    from alref.web.schema_form import editor_fields

    if preset not in preset_names():
        raise HTTPException(404, f"no preset {preset[:60]!r}")
    return render(request, "editor.html", preset=preset, presets=preset_names(),
                  sections=editor_fields(preset), toml=_preset_toml(preset),
                  designs=[d["name"] for d in request.app.state.catalog()["designs"]])


@lru_cache(maxsize=32)
def _preset_toml(preset: str) -> str:
    from importlib import resources

    return resources.files("alref.data").joinpath("scenarios", f"{preset}.toml").read_text(
        encoding="utf-8")


@router.get("/runs", response_class=HTMLResponse)
async def runs(request: Request, q: Annotated[str, Query(max_length=100)] = "",
         tag: Annotated[str, Query(max_length=40)] = "") -> HTMLResponse:
    jobs = filter_jobs(_jobs(request).list(), q, tag)
    return render(request, "runs.html", jobs=jobs[:MAX_ROWS], q=q, tag=tag, total=len(jobs))


@router.get("/ui/runs-table", response_class=HTMLResponse)
async def runs_table(request: Request, q: Annotated[str, Query(max_length=100)] = "",
               tag: Annotated[str, Query(max_length=40)] = "") -> HTMLResponse:
    jobs = filter_jobs(_jobs(request).list(), q, tag)
    return render(request, "runs_table.html", jobs=jobs[:MAX_ROWS], total=len(jobs))


@router.get("/runs/{job_id}", response_class=HTMLResponse)
def run_page(request: Request, job_id: Annotated[str, PathParam(pattern=JOB_ID)]
             ) -> HTMLResponse:
    job = _jobs(request).get(job_id)
    if job is None:
        raise HTTPException(404, f"no run {job_id}")
    result = result_of(job) if job["status"] == "done" else None
    assessment = (job["result"] or {}).get("assessment") if job["kind"] == "simulate" else None
    plots = []
    if result is not None and job["kind"] == "simulate":
        cols = set(request.app.state.series(job_id)["columns"])
        plots = [(t, [c for c in cs if c in cols]) for t, cs in RUN_PLOTS]
        plots = [(t, cs) for t, cs in plots if cs]
    xlsx = (request.app.state.settings.data_dir / "exports" / f"{job_id}.xlsx").is_file()
    return render(request, "run.html", job=job, result=result, assessment=assessment,
                  plots=plots, xlsx=xlsx)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, ids: Annotated[list[str] | None, Query(max_length=6)] = None
            ) -> HTMLResponse:
    from alref.api.compare import KEY_KPIS
    from alref.errors import ConfigError

    done = [j for j in _jobs(request).list() if j["kind"] == "simulate" and j["status"] == "done"]
    ids = [i for i in (ids or []) if re.match(JOB_ID, i)]
    comparison, error = None, None
    if ids:
        try:
            comparison = compare_jobs(_jobs(request), ids)
        except (ConfigError, OSError) as exc:
            error = str(exc)
    labels = {j["job_id"]: j["label"] for j in done}
    return render(request, "compare.html", done=done, ids=ids, comparison=comparison,
                  error=error, labels=labels, plots=COMPARE_PLOTS, key_kpis=KEY_KPIS)


@router.get("/studies", response_class=HTMLResponse)
async def studies(request: Request) -> HTMLResponse:
    from alref.scenario import preset_names

    jobs = [j for j in _jobs(request).list() if j["kind"] == "study"]
    return render(request, "studies.html", jobs=jobs, presets=preset_names(),
                  max_n=request.app.state.settings.max_study_samples)


@router.get("/validation", response_class=HTMLResponse)
async def validation(request: Request) -> HTMLResponse:
    from alref.validation.report import COLUMNS, rows

    jobs = [j for j in _jobs(request).list() if j["kind"] == "validate"]
    latest = next((j for j in jobs if j["status"] == "done"), None)
    active = next((j for j in jobs if j["status"] in ("queued", "running")), None)
    summary = result_of(latest) if latest else None
    return render(request, "validation.html", latest=latest, active=active, summary=summary,
                  columns=COLUMNS, rows=rows(summary) if summary else [])


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    rows = []
    for path, ops in sorted(spec.get("paths", {}).items()):
        for method, op in ops.items():
            rows.append({"method": method.upper(), "path": path,
                         "summary": (op.get("description") or op.get("summary") or "")
                         .split("\n\n")[0]})
    return render(request, "api_docs.html", rows=rows)


@router.get("/login", response_class=HTMLResponse)
async def login(request: Request) -> HTMLResponse:
    return render(request, "login.html")


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)
