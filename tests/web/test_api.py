"""JSON API of `alref serve`: the CLI contract over HTTP, jobs, cache, cancel, errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from alref import api
from tests.web.conftest import LONG, SHORT, wait_status


def test_health_and_scenarios_mirror_cli(client) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    got = client.get("/api/scenarios").json()
    assert got == json.loads(json.dumps(api.scenario_catalog().to_dict()))


def test_simulate_returns_the_cli_json_keys_and_values(client) -> None:
    r = client.post("/api/simulate?wait=true", json=SHORT)
    assert r.status_code == 200, r.text
    d = r.json()
    direct = api.simulation_result(api.simulate(
        "rusal-500a", ['campaign.termination.max_duration="2 d"'])).to_dict()
    assert set(d) == set(direct) | {"run_folder", "run_id", "cached"}
    for key in ("cycle_days", "product_kg", "energy_kwh_per_kg", "termination"):
        assert d[key] == direct[key]
    assert [lot["grade"] for lot in d["lots"]] == [lot["grade"] for lot in direct["lots"]]
    assert d["lots"], "a 2-day campaign taps lots"


def test_identical_resubmission_is_served_from_cache(client) -> None:
    first = client.post("/api/simulate?wait=true", json=SHORT).json()
    again = client.post("/api/simulate", json=SHORT)
    assert again.status_code == 200 and again.json()["cached"] is True
    assert again.json()["job_id"] == first["run_id"]
    other = client.post("/api/simulate", json={**SHORT, "set": {**SHORT["set"],
                                                                 "cell.current": "510 A"}})
    assert other.status_code == 202 and other.json()["cached"] is False
    assert other.json()["job_id"] != first["run_id"]
    wait_status(client, other.json()["job_id"])


def test_bad_value_is_422_naming_key_value_and_range(client) -> None:
    r = client.post("/api/simulate", json={"scenario": "rusal-500a",
                                           "set": {"cell.current": "-3 kA"}})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["key"] == "cell.current"
    assert "-3 kA" in err["message"] and "(0 A," in err["message"]


def test_malformed_json_and_wrong_types_are_422_with_the_field(client) -> None:
    r = client.post("/api/simulate", content=b'{"scenario": ', headers={
        "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["key"] == "body"
    r = client.post("/api/simulate", json={"scenario": "rusal-500a", "set": [1, 2]})
    assert r.status_code == 422 and r.json()["error"]["key"] == "set"
    r = client.post("/api/simulate", json={"scenario": "rusal-500a", "bogus": 1})
    assert r.status_code == 422 and r.json()["error"]["key"] == "bogus"
    r = client.post("/api/studies", json={"kind": "mc", "n": "many"})
    assert r.status_code == 422 and r.json()["error"]["key"] == "n"


def test_scenario_is_a_preset_or_toml_text_never_a_path(client, tmp_path) -> None:
    secret = tmp_path / "x.toml"
    secret.write_text('name = "leak"\n')
    for text in (str(secret), "../../etc/passwd", "/etc/passwd", "nonexistent-preset"):
        r = client.post("/api/cell", json={"scenario": text})
        assert r.status_code == 422 and r.json()["error"]["key"] == "scenario", text
    r = client.post("/api/cell", json={"scenario": "cell = [", "set": {}})
    assert r.status_code == 422 and "TOML" in r.json()["error"]["message"]


def test_toml_text_scenario_gives_the_presets_answer(client) -> None:
    from importlib import resources

    text = resources.files("alref.data").joinpath("scenarios", "rusal-500a.toml").read_text()
    by_text = client.post("/api/cell", json={"scenario": text}).json()
    by_name = client.post("/api/cell", json={"scenario": "rusal-500a"}).json()
    assert by_text["cell_voltage_v"] == by_name["cell_voltage_v"]
    hotter = client.post("/api/cell", json={"scenario": text,
                                            "set": {"cell.current": "600 A"}}).json()
    assert hotter["cell_voltage_v"] > by_name["cell_voltage_v"]  # more current, more IR drop


def test_cancel_reaches_cancelled_within_two_seconds(client) -> None:
    job = client.post("/api/simulate", json=LONG).json()
    wait_status(client, job["job_id"], ("running",), timeout=30)
    t0 = time.monotonic()
    r = client.post(f"/api/jobs/{job['job_id']}/cancel")
    assert r.status_code == 200
    wait_status(client, job["job_id"], ("cancelled",), timeout=2.0)
    assert time.monotonic() - t0 < 2.0
    events = client.get(f"/api/jobs/{job['job_id']}/events").text
    assert "event: end" in events and '"cancelled"' in events


def test_progress_events_stream_until_done(client) -> None:
    job = client.post("/api/simulate", json={**SHORT, "set": {
        **SHORT["set"], "cell.current": "490 A"}}).json()
    text = client.get(f"/api/jobs/{job['job_id']}/events").text
    statuses = [json.loads(line[6:])["status"] for line in text.splitlines()
                if line.startswith("data: ") and "progress" in line]
    assert statuses[-1] == "done" and "event: end" in text


def test_compare_lists_exactly_the_differing_inputs(client) -> None:
    a = client.post("/api/simulate?wait=true", json=SHORT).json()["run_id"]
    b = client.post("/api/simulate?wait=true", json={**SHORT, "set": {
        **SHORT["set"], "cell.current": "520 A", "feed.charge_temperature": "30 degC"}}).json()
    c = client.get("/api/compare", params={"ids": [a, b["run_id"]]}).json()
    assert set(c) >= {"runs", "kpi_deltas", "input_diff"}
    assert sorted(c["input_diff"]) == ["cell.current", "feed.charge_temperature"]
    assert c["input_diff"]["cell.current"] == ["500 A", "520 A"]
    assert [r["id"] for r in c["runs"]] == [a, b["run_id"]]
    assert c["kpi_deltas"]["product_kg"]["delta"][a] == 0.0
    assert c["kpi_deltas"]["product_kg"]["delta"][b["run_id"]] > 0  # more current, more metal
    r = client.get("/api/compare", params={"ids": [a]})
    assert r.status_code == 422 and r.json()["error"]["key"] == "ids"


def test_downloaded_report_equals_the_clis(client, tmp_path) -> None:
    run = client.post("/api/simulate?wait=true", json=SHORT).json()["run_id"]
    web = client.get(f"/runs/{run}/download/report")
    assert web.status_code == 200
    out = tmp_path / "cli-run"
    subprocess.run([sys.executable, "-c", "from alref.cli import main; main()", "simulate",
                    "rusal-500a", "--set", 'campaign.termination.max_duration="2 d"', "--out",
                    str(out), "--store", str(tmp_path / "store")], check=True, capture_output=True)
    assert web.content == (out / "report.html").read_bytes()


def test_downloads_of_a_run(client) -> None:
    import io
    import zipfile

    run = client.post("/api/simulate?wait=true", json=SHORT).json()["run_id"]
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{run}/download/zip").content))
    assert {f"{run}/manifest.json", f"{run}/report.html", f"{run}/scenario.toml"} <= set(
        z.namelist())
    b = zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{run}/download/bundle").content))
    assert sorted(b.namelist()) == ["README.txt", "manifest.json", "scenario.toml",
                                    "summary.json"]
    assert "alref simulate scenario.toml" in b.read("README.txt").decode()
    lots = client.get(f"/runs/{run}/download/lots.csv").text.splitlines()
    assert lots[0].startswith("t_days") and len(lots) > 1
    assert client.get(f"/runs/{run}/download/timeseries.csv").text.startswith("Time [s]")
    assert client.get(f"/runs/{run}/download/nope").status_code == 404
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/runs/{run}/download/xlsx").content))
    assert book.sheetnames[:4] == ["KPIs", "Lots", "Actions", "Time series"]
    assert "Mass ledger" in book.sheetnames


def test_runs_list_show_and_tags(client) -> None:
    run = client.post("/api/simulate?wait=true", json=SHORT).json()["run_id"]
    end = time.monotonic() + 10  # the catalogue row is written behind the job's state
    while not any(e["id"].startswith(run) for e in client.get("/api/runs").json()["entries"]):
        assert time.monotonic() < end, "run not registered in the catalogue"
        time.sleep(0.1)
    assert client.get(f"/api/runs/{run}").json()["summary"]["cycle_days"] == 2.0
    assert client.post(f"/api/jobs/{run}/tags", json={"tags": ["baseline", "t1"]}).status_code == 200
    hits = client.get("/api/jobs", params={"tag": "baseline"}).json()["jobs"]
    assert [j["job_id"] for j in hits] == [run]
    assert client.get("/api/jobs", params={"q": "no-such-thing"}).json()["jobs"] == []


def test_study_job_mirrors_alref_study(client) -> None:
    body = {"kind": "sweep", "scenario": "rusal-500a", "vary": ["cell.current=450,550"],
            "n": 2, "set": {"campaign.termination.max_duration": "2 d"}}
    r = client.post("/api/studies?wait=true", json=body)
    assert r.status_code == 200, r.text
    d = r.json()
    assert {"study_id", "samples", "failed", "results_path", "summary", "executor"} <= set(d)
    assert d["samples"] == 2 and d["failed"] == 0
    bad = client.post("/api/studies", json={**body, "n": 10**6})
    assert bad.status_code == 422 and bad.json()["error"]["key"] == "n"


def test_pages_render_without_external_references(client) -> None:
    run = client.post("/api/simulate?wait=true", json=SHORT).json()["run_id"]
    for path in ("/", "/editor", "/editor?preset=hoopes-classic", "/runs", f"/runs/{run}",
                 "/compare", "/studies", "/validation", "/api/docs", "/login"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "http://" not in r.text and "https://" not in r.text, path
        assert "default-src 'self'" in r.headers["content-security-policy"]
    page = client.get(f"/runs/{run}").text
    assert 'id="lots"' in page and "figure class=\"plot\"" in page


def test_editor_fields_carry_unit_default_range_and_description(client) -> None:
    d = client.get("/api/schema", params={"preset": "rusal-500a"}).json()
    fields = {f["key"]: f for s in d["sections"] for f in s["fields"]}
    assert fields["cell.current"]["unit"] == "A" and fields["cell.current"]["value"] == "500 A"
    assert fields["campaign.termination.in_grade_window"]["range"] == "≥ 1, ≤ 1000"
    assert fields["campaign.termination.in_grade_window"]["default"] == 5
    assert fields["cell.acd"]["description"]
    assert "electrolyte.composition.BaCl2" in fields


def test_static_assets_are_vendored_with_licenses() -> None:
    static = Path(__file__).parents[2] / "src" / "alref" / "web" / "static" / "vendor"
    names = {p.name for p in static.iterdir()}
    assert {"htmx-LICENSE.txt", "plotly-LICENSE.txt"} <= names
    assert any(n.startswith("htmx-") and n.endswith(".min.js") for n in names)
    assert any(n.startswith("plotly-") and n.endswith(".min.js") for n in names)


def test_assess_mirrors_alref_assess(client) -> None:
    body = {"scenario": "rusal-500a", "set": {"campaign.termination.max_duration": "2 d"}}
    r = client.post("/api/assess?wait=true", json=body)
    assert r.status_code == 200, r.text
    d = r.json()
    direct = api.assess("rusal-500a", ['campaign.termination.max_duration="2 d"']).to_dict()
    assert set(d) == set(direct) | {"cached"}
    assert d["economics"]["margin_usd_per_t"] == direct["economics"]["margin_usd_per_t"]
    assert {"margin_usd_per_t", "revenue_usd_per_t", "cost_breakdown_usd_per_t", "npv_usd",
            "irr"} <= set(d["economics"])


def test_restart_marks_unfinished_jobs_interrupted_and_keeps_finished(tmp_path) -> None:
    from alref.web.jobstore import JobStore, now

    store = JobStore(tmp_path)
    base = {"kind": "simulate", "cache_key": "k", "label": "x", "request": {}, "created": now(),
            "started": None, "finished": None, "progress": 0.0, "error": None,
            "result": None, "run_folder": None, "tags": []}
    store.save({**base, "job_id": "aaaaaaaaaaaa", "status": "running"})
    store.save({**base, "job_id": "bbbbbbbbbbbb", "status": "queued"})
    store.save({**base, "job_id": "cccccccccccc", "status": "done", "result": {"a": 1.5}})
    assert sorted(JobStore(tmp_path).recover()) == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]
    rows = {j["job_id"]: j for j in JobStore(tmp_path).all()}
    assert rows["aaaaaaaaaaaa"]["status"] == rows["bbbbbbbbbbbb"]["status"] == "interrupted"
    assert rows["cccccccccccc"]["status"] == "done"
    assert rows["cccccccccccc"]["result"] == {"a": 1.5}


#: what the dashboard may import from alref: the service layer, the output layers beside it,
#: the configuration schema (the editor is generated from it) and base modules; no physics
WEB_MAY_IMPORT = ("alref.api", "alref.web", "alref.report", "alref.store", "alref.errors",
                  "alref.version", "alref.jsonsafe", "alref.atomicio", "alref.scenario",
                  "alref.schema_paths", "alref.validation.report")


def test_the_web_package_calls_only_the_api_and_output_layers() -> None:
    import ast

    import alref.web

    root = Path(alref.web.__file__).parent
    bad = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):  # `from alref import api` names alref.api
                names = ([f"alref.{a.name}" for a in node.names] if node.module == "alref"
                         else [node.module or ""])
            else:
                continue
            for name in names:
                if name.startswith("alref") and not any(
                        name == ok or name.startswith(ok + ".") for ok in WEB_MAY_IMPORT):
                    bad.append(f"{path.name}:{node.lineno} imports {name}")
    assert bad == []
