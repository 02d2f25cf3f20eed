"""End-to-end tests of `alref serve` in a real browser (Playwright driving the system
chromium): edit a scenario, run it, watch progress, read results with lots and plots,
cancel, compare, download the report; every request stays on loopback; screenshots at
1400 and 800 px go to the CI artefact directory; axe-core finds no serious or critical
accessibility violation; a server killed mid-run shows the run ``interrupted`` on restart.

Skipped (with the reason) when Playwright or chromium is missing; `.ci/run` installs both.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import LONG, SHORT, Server

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install 'alref[test]')")
CHROMIUM = os.environ.get("ALREF_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# the project's CI artefact directory (as the report layout test), or ALREF_ARTIFACTS
ARTIFACTS = Path(os.environ.get("ALREF_ARTIFACTS") or Path(__file__).parents[2] / "artifacts"
                 / "screenshots") / "web"
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a broken browser install: say so, do not error
            pytest.skip(f"chromium at {CHROMIUM} does not start: {str(exc).splitlines()[0]}")
        yield b
        b.close()


class Offline:
    """Route handler failing every request that leaves loopback."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def __call__(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOOPBACK:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def page(browser, server):
    guard = Offline()
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    ctx.route("**/*", guard)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert guard.blocked == [], f"requests left loopback: {guard.blocked}"
    assert errors == [], f"script errors: {errors}"


def field(pg, key: str):
    return pg.locator(f'[id="f-{key}"]')


def api_run(server: Server, body: dict) -> str:
    import httpx

    r = httpx.post(server.url + "/api/simulate?wait=true", json=body, timeout=300)
    assert r.status_code == 200, r.text
    return r.json()["run_id"]


def shoot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1400, 800):
        pg.set_viewport_size({"width": width, "height": 900})
        pg.wait_for_timeout(300)  # plots re-layout (responsive)
        pg.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    pg.set_viewport_size({"width": 1400, "height": 900})


def test_edit_run_progress_results_with_lots_and_plots(page, server) -> None:
    page.goto(server.url + "/editor?preset=rusal-500a")
    shoot(page, "editor")
    field(page, "campaign.termination.max_duration").fill("4 d")
    field(page, "cell.current").fill("480 A")
    page.locator("#tags").fill("e2e, browser")
    page.click("#run-btn")
    page.wait_for_url("**/runs/*")
    status = page.locator("#status").inner_text()
    assert status in ("queued", "running", "done")
    if status != "done":
        assert page.locator("#progress").is_visible()  # live progress while it runs
    page.wait_for_selector("#results", timeout=120_000)
    assert page.locator("#status").inner_text() == "done"
    assert page.locator("#lots tbody tr").count() >= 3  # daily taps over 4 days
    grades = page.locator("#lots td.grade").all_inner_texts()
    assert all(g for g in grades)
    page.locator("figure.plot.drawn").nth(2).wait_for(timeout=30_000)
    assert page.locator("figure.plot .main-svg").count() >= 3  # Plotly drew SVG charts
    assert "4" in page.locator("#kpis").inner_text()
    assert page.locator("#termination").inner_text().strip()
    shoot(page, "run")
    page.goto(server.url + "/runs?q=480")
    assert page.locator("#runs-grid tbody tr").count() >= 1
    shoot(page, "runs")


def test_bad_input_is_shown_at_the_field(page, server) -> None:
    page.goto(server.url + "/editor?preset=rusal-500a")
    field(page, "cell.current").fill("-5 kA")
    page.click("#run-btn")
    err = page.locator('[id="e-cell.current"]')
    err.wait_for(state="visible", timeout=10_000)
    text = err.inner_text()
    assert "cell.current" in text and "-5 kA" in text and "(0 A," in text
    assert field(page, "cell.current").get_attribute("aria-invalid") == "true"
    assert "/editor" in page.url


def test_cancel_reaches_cancelled_within_two_seconds(page, server) -> None:
    page.goto(server.url + f"/editor?preset={LONG['scenario']}")
    field(page, "campaign.time_step").fill(LONG["set"]["campaign.time_step"])
    page.click("#run-btn")
    page.wait_for_url("**/runs/*")
    sync_api.expect(page.locator("#status")).to_have_text("running", timeout=30_000)
    t0 = time.monotonic()
    page.click("#cancel-btn")
    sync_api.expect(page.locator("#status")).to_have_text("cancelled", timeout=2_000)
    assert time.monotonic() - t0 < 2.0


def test_compare_lists_exactly_the_differing_inputs(page, server) -> None:
    a = api_run(server, SHORT)
    b = api_run(server, {**SHORT, "set": {**SHORT["set"], "cell.current": "520 A",
                                           "feed.charge_temperature": "40 degC"}})
    page.goto(server.url + "/runs")
    page.check(f'input[name="ids"][value="{a}"]')
    page.check(f'input[name="ids"][value="{b}"]')
    page.click('#compare-form button[type="submit"]')
    page.wait_for_selector("#input-diff")
    keys = page.locator("#input-diff td.diff-key").all_inner_texts()
    assert sorted(keys) == ["cell.current", "feed.charge_temperature"]
    page.locator("figure.plot.drawn").nth(2).wait_for(timeout=30_000)
    assert "Δ" in page.locator("#kpi-deltas").inner_text()
    shoot(page, "compare")


def test_runs_search_filters_the_table_live(page, server) -> None:
    a = api_run(server, SHORT)
    b = api_run(server, {**SHORT, "set": {**SHORT["set"], "cell.current": "530 A"}})
    page.goto(server.url + "/runs")
    page.locator("#q").fill("530")  # htmx swaps the table as one types
    sync_api.expect(page.locator(f'tr[data-run="{a}"]')).to_have_count(0, timeout=5_000)
    sync_api.expect(page.locator(f'tr[data-run="{b}"]')).to_have_count(1)


def test_study_launch_progress_and_results(page, server) -> None:
    page.goto(server.url + "/studies")
    page.select_option("#s-kind", "sweep")
    page.select_option("#s-scenario", "rusal-500a")
    page.locator("#s-vary").fill("cell.current=450,550")
    page.locator("#s-n").fill("2")
    page.locator("#s-set").fill("campaign.termination.max_duration=2 d")
    page.click('#study-form button[type="submit"]')
    page.wait_for_url("**/runs/*")
    page.wait_for_selector("#study-outputs", timeout=120_000)
    assert page.locator("#study-outputs tbody tr").count() >= 3
    page.locator("#study-plot.drawn").wait_for(timeout=30_000)
    shoot(page, "study")


def test_downloaded_report_equals_the_clis(page, server, tmp_path) -> None:
    run = api_run(server, SHORT)
    page.goto(server.url + f"/runs/{run}")
    with page.expect_download() as info:
        page.click("#dl-report")
    got = Path(info.value.path()).read_bytes()
    out = tmp_path / "cli"
    subprocess.run([sys.executable, "-c", "from alref.cli import main; main()", "simulate",
                    SHORT["scenario"], "--set", 'campaign.termination.max_duration="2 d"',
                    "--out", str(out), "--store", str(tmp_path / "store")], check=True,
                   capture_output=True)
    assert got == (out / "report.html").read_bytes()


def test_no_serious_or_critical_accessibility_violations(browser, server) -> None:
    run = api_run(server, SHORT)
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    guard = Offline()
    ctx.route("**/*", guard)
    pg = ctx.new_page()
    found = {}
    for path in ("/", "/editor", f"/runs/{run}", "/runs", "/compare", "/studies",
                 "/validation", "/api/docs"):
        pg.goto(server.url + path)
        pg.wait_for_load_state("load")
        pg.add_script_tag(path=str(AXE))
        result = pg.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} x{len(v['nodes'])}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            found[path] = bad
    ctx.close()
    assert guard.blocked == []
    assert found == {}


def _group_alive(pgid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(pgid)], capture_output=True,
                         text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def test_killed_server_shows_the_run_interrupted_after_restart(browser, tmp_path) -> None:
    import httpx

    srv = Server(tmp_path / "data", tmp_path / "server.log").start()
    try:
        finished = api_run(srv, SHORT)
        job = httpx.post(srv.url + "/api/simulate", json=LONG, timeout=30).json()["job_id"]
        end = time.monotonic() + 30
        while httpx.get(f"{srv.url}/api/jobs/{job}").json()["status"] != "running":
            assert time.monotonic() < end
            time.sleep(0.1)
        pgid = srv.proc.pid
        os.kill(srv.proc.pid, signal.SIGKILL)  # the server crashes; its workers notice
        srv.proc.wait(10)
        end = time.monotonic() + 15
        while _group_alive(pgid) and time.monotonic() < end:
            time.sleep(0.2)
        assert _group_alive(pgid) == [], "workers outlived their server"
        srv.start()
        assert httpx.get(f"{srv.url}/api/jobs/{job}").json()["status"] == "interrupted"
        assert httpx.get(f"{srv.url}/api/jobs/{finished}").json()["status"] == "done"
        assert httpx.get(f"{srv.url}/runs/{finished}/download/report").status_code == 200
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(f"{srv.url}/runs")
        row = pg.locator(f'tr[data-run="{job}"]')
        assert "interrupted" in row.inner_text()
        assert "done" in pg.locator(f'tr[data-run="{finished}"]').inner_text()
        ctx.close()
    finally:
        srv.kill()
        if srv.proc is not None:
            subprocess.run(["pkill", "-KILL", "-g", str(srv.proc.pid)], check=False)
