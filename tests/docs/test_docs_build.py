"""The documentation site builds offline with warnings as errors, and every gallery example
runs (sphinx-gallery executes them during the build, aborting on the first error).

One build (about 1-2 min on 2 cores: the validation cases behind the parity plots ~35 s,
the seven gallery examples ~45 s) serves every test of this module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GALLERY = ROOT / "examples" / "gallery"

if not os.environ.get("CI"):
    pytest.importorskip("sphinx", reason='the docs extra is not installed: pip install -e ".[docs]"')
    pytest.importorskip("sphinx_gallery")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # sphinx-gallery skips examples whose source is unchanged since the last build: start
    # from no gallery output so that every example really runs
    shutil.rmtree(DOCS / "auto_examples", ignore_errors=True)
    out = tmp_path_factory.mktemp("html")
    doctrees = tmp_path_factory.mktemp("doctrees")
    env = {**os.environ, "MPLBACKEND": "Agg", "ALREF_DOCS_VALIDATE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q",
         "-d", str(doctrees), str(DOCS), str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=900,
    )
    assert proc.returncode == 0, f"sphinx-build -W failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
    return out


def test_every_gallery_example_ran(built: Path) -> None:
    scripts = sorted(p.stem for p in GALLERY.glob("*.py"))
    assert len(scripts) >= 7
    for stem in scripts:
        assert stem.startswith("plot_"), f"{stem}.py would not be executed by the gallery"
        page = built / "auto_examples" / f"{stem}.html"
        assert page.is_file(), f"no gallery page for {stem}"
        html = page.read_text(encoding="utf-8")
        assert "sphx-glr-script-out" in html or "sphx-glr-single-img" in html, \
            f"{stem}: no output captured"


def test_gallery_examples_within_time_budget(built: Path) -> None:
    """Each example is meant to run in <= 30 s on 2 cores; the build records each time in
    the example's page. The bound checked here is looser (60 s): the machine is shared."""
    times = {}
    for rst in (DOCS / "auto_examples").glob("plot_*.rst"):
        m = re.search(r"Total running time of the script:\*\* \((\d+) minutes ([\d.]+) seconds\)",
                      rst.read_text(encoding="utf-8"))
        assert m, f"no running time in {rst.name}"
        times[rst.stem] = int(m.group(1)) * 60 + float(m.group(2))
    assert len(times) == len(list(GALLERY.glob("plot_*.py")))
    slow = {k: round(v) for k, v in times.items() if v >= 60}
    assert not slow, f"examples over 60 s: {slow}"


def test_built_pages_load_nothing_from_the_network(built: Path) -> None:
    """Scripts, styles and images come from the site itself (MathJax included), so the
    site reads offline."""
    remote = re.compile(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["'](?:https?:)?//""")
    for page in built.rglob("*.html"):
        hit = remote.search(page.read_text(encoding="utf-8"))
        assert hit is None, f"{page.relative_to(built)} loads {hit.group(0)!r}"


def test_generated_reference_pages(built: Path) -> None:
    from alref.scenario import Scenario

    ref = (DOCS / "generated" / "scenario-reference.md").read_text(encoding="utf-8")
    for key in ("cell.current", "cell.pot_control", "electrolyte.composition", "feed.scrap",
                "campaign.time_step", "campaign.actions[].when", "campaign.actions[].every",
                "campaign.termination.max_duration", "economics.lme_usd_per_t",
                "footprint.gwp"):
        assert f"`{key}`" in ref, key
    for name in Scenario.model_fields:
        assert f"| `{name}` |" in ref, name
    assert "charge_scrap" in ref and "anode.[A-Z][a-z]?_wt_pct" in ref
    cli = (DOCS / "generated" / "cli-reference.md").read_text(encoding="utf-8")
    for cmd in ("alref simulate", "alref cell", "alref validate", "alref study", "alref params list"):
        assert f"`{cmd}`" in cli, cmd
    prov = (DOCS / "generated" / "provenance.md").read_text(encoding="utf-8")
    assert "`cells/rusal-3ka.toml`" in prov and "(none)" not in prov
    parity = (DOCS / "generated" / "validation-parity.md").read_text(encoding="utf-8")
    assert "![parity plot" in parity
    assert (built / "references.html").is_file()


#: pages owned by other engineers that still name files outside the repository (the
#: research note cites the project's shared reference folder); to be fixed at the source
OUTSIDE_REFERENCES_KNOWN = {"research/impurity-transfer.md"}


def test_no_page_links_outside_the_repository(built: Path) -> None:
    """Sources and generated pages name no absolute local path (e.g. /work, /tmp, /home)."""
    pattern = re.compile(r"(?<![\w.])/(work|tmp|home|root|Users)/")
    for path in [*DOCS.rglob("*.md"), *GALLERY.glob("*.py")]:
        if "_build" in path.parts or path.relative_to(DOCS.parent).as_posix().removeprefix(
                "docs/") in OUTSIDE_REFERENCES_KNOWN:
            continue
        assert not pattern.search(path.read_text(encoding="utf-8")), path
