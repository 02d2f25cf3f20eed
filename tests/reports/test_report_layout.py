"""Run, sweep and Sobol reports in headless Chromium at 1400 px and 800 px: no horizontal
overflow (``scrollWidth <= innerWidth``) and no unstyled table (the shared stylesheet's
computed styles are applied). Screenshots go to ``artifacts/screenshots/`` (CI artefacts).

Uses Playwright for Python with the system Chromium (``/usr/bin/chromium``, or
``$ALREF_CHROMIUM``); never downloads a browser. Skipped, with the reason, when either is
missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alref.cli import app

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("ALREF_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FAST = 'campaign.termination.max_duration="6 d"'
WIDTHS = (1400, 800)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install \"alref[test]\")")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ALREF_CHROMIUM)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("reports")
    runner = CliRunner()
    out: dict[str, Path] = {}
    r = runner.invoke(app, ["simulate", "--set", FAST, "--out", str(tmp / "run"), "--store",
                            str(tmp / "store"), "--json"])
    assert r.exit_code == 0, r.output
    out["run"] = tmp / "run" / "report.html"
    for kind, n, name in (("sweep", "3", "sweep"), ("sobol", "4", "sobol")):
        r = runner.invoke(app, ["study", kind, "--vary", "cell.current", "--vary", "cell.acd",
                                "-n", n, "--set", FAST, "--out", str(tmp / name), "--json"])
        assert r.exit_code == 0, r.output
        out[name] = next((tmp / name).glob("*/report.html"))
    return out


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # pragma: no cover - environment dependent
            pytest.skip(f"Chromium at {CHROMIUM} does not start under Playwright: {exc}")
        yield b
        b.close()


LAYOUT = """() => {
  const tables = Array.from(document.querySelectorAll('table'));
  const unstyled = tables.filter(t => {
    const s = getComputedStyle(t);
    const cell = t.querySelector('td, th');
    const c = cell ? getComputedStyle(cell) : null;
    return s.borderCollapse !== 'collapse' || !c || c.borderTopStyle === 'none'
      || parseFloat(c.paddingLeft) === 0;
  }).length;
  const wideImages = Array.from(document.images).filter(
    i => i.getBoundingClientRect().right > window.innerWidth + 1).length;
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
          tables: tables.length, unstyled, images: document.images.length, wideImages,
          title: document.title};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["run", "sweep", "sobol"])
def test_report_fits_the_window_and_styles_every_table(reports: dict[str, Path], browser,
                                                       name: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(reports[name].as_uri())
        page.wait_for_load_state("load")
        m = page.evaluate(LAYOUT)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        page.close()
    assert m["tables"] > 0 and m["images"] > 0, m
    assert m["scroll"] <= m["inner"], f"{name} at {width} px overflows horizontally: {m}"
    assert m["unstyled"] == 0, f"{name}: {m['unstyled']} unstyled tables"
    assert m["wideImages"] == 0, m


def test_sobol_report_warns_when_n_is_small(reports: dict[str, Path]) -> None:
    assert "base samples: below" in reports["sobol"].read_text()


def test_sweep_report_plots_outputs_against_the_swept_values(reports: dict[str, Path]) -> None:
    text = reports["sweep"].read_text()
    assert "Outputs against the swept values" in text and "<style>" in text


FLOWS = """() => ['#mass-flows img', '#energy-flows img', '#economics img'].map(sel => {
  const img = document.querySelector(sel);
  if (!img) return {sel, present: false};
  const r = img.getBoundingClientRect();
  return {sel, present: true, loaded: img.naturalWidth > 0, right: r.right,
          inner: window.innerWidth};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_run_report_flow_diagrams_render_within_the_page(reports: dict[str, Path], browser,
                                                         width: int) -> None:
    """The mass-flow (Sankey), energy-flow and economics waterfall images are in the run
    report, decoded by the browser and no wider than the window."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(reports["run"].as_uri())
        page.wait_for_load_state("load")
        found = page.evaluate(FLOWS)
    finally:
        page.close()
    for f in found:
        assert f["present"] and f["loaded"], f
        assert f["right"] <= f["inner"] + 1, f
