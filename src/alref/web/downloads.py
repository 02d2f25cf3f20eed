"""Downloads of a finished run: the run folder as a zip, the HTML report (the very file
``alref simulate --out`` writes), CSV tables, an Excel workbook (with openpyxl) and the
reproducibility bundle (scenario + manifest with version, hash and seed + the command)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response

from alref.web.api_routes import JOB_ID

router = APIRouter()
KINDS = ("zip", "report", "lots.csv", "timeseries.csv", "xlsx", "bundle")


def _folder(request: Request, job_id: str) -> Path:
    jobs = request.app.state.jobs
    job = jobs.get(job_id)
    if job is None or job["kind"] != "simulate":
        raise HTTPException(404, f"no simulation run {job_id}")
    if job["status"] != "done":
        raise HTTPException(409, f"run {job_id} is {job['status']}")
    folder = jobs.folder(job_id)
    if not (folder / "manifest.json").is_file():
        raise HTTPException(410, f"the run folder of {job_id} is gone")
    return folder


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def _attachment(data: bytes, name: str, media: str) -> Response:
    return Response(data, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def bundle_readme(job: dict[str, Any], manifest: dict[str, Any]) -> str:
    """How to reproduce the run from the bundle."""
    sets = " ".join(f"--set '{o}'" for o in (job["request"] or {}).get("overrides", []))
    return (f"alref reproducibility bundle of run {job['job_id']}\n\n"
            f"alref version: {manifest.get('alref_version', '?')}\n"
            f"scenario hash: {manifest.get('scenario_hash', '?')}\n"
            f"seed: {manifest.get('seed', '?')}\n\n"
            "scenario.toml holds the scenario as run (overrides applied). Reproduce with:\n\n"
            "    pip install 'alref==" + str(manifest.get("alref_version", "")) + "'\n"
            "    alref simulate scenario.toml --out run --json\n\n"
            f"(the dashboard's request: {job['label']} {sets})\n")


@router.get("/runs/{job_id}/download/{kind}")
def download(request: Request, job_id: Annotated[str, PathParam(pattern=JOB_ID)],
             kind: str) -> Response:
    """One download of a finished run (kind: zip, report, lots.csv, timeseries.csv, xlsx,
    bundle)."""
    if kind not in KINDS:
        raise HTTPException(404, f"no download {kind[:40]!r}; one of {', '.join(KINDS)}")
    folder = _folder(request, job_id)
    if kind == "report":
        return FileResponse(folder / "report.html", media_type="text/html",
                            filename=f"alref-{job_id}-report.html")
    if kind == "lots.csv":
        return FileResponse(folder / "lots.csv", media_type="text/csv",
                            filename=f"alref-{job_id}-lots.csv")
    if kind == "zip":
        files = sorted(p for p in folder.iterdir() if p.is_file())
        data = _zip([(f"{job_id}/{p.name}", p.read_bytes()) for p in files])
        return _attachment(data, f"alref-{job_id}.zip", "application/zip")
    if kind == "bundle":
        job = request.app.state.jobs.get(job_id)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        data = _zip([("scenario.toml", (folder / "scenario.toml").read_bytes()),
                     ("manifest.json", (folder / "manifest.json").read_bytes()),
                     ("summary.json", (folder / "summary.json").read_bytes()),
                     ("README.txt", bundle_readme(job, manifest).encode())])
        return _attachment(data, f"alref-{job_id}-bundle.zip", "application/zip")
    if kind == "timeseries.csv":
        import pandas as pd

        frame = pd.read_parquet(folder / "timeseries.parquet")
        return _attachment(frame.to_csv(index=False).encode(), f"alref-{job_id}-timeseries.csv",
                           "text/csv")
    path = request.app.state.settings.data_dir / "exports" / f"{job_id}.xlsx"
    if not path.is_file():  # written by the worker with the run when openpyxl is there
        raise HTTPException(404, "no Excel workbook for this run (needs openpyxl: "
                            "pip install openpyxl, then run it again)")
    return FileResponse(path, filename=f"alref-{job_id}.xlsx", media_type=
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
