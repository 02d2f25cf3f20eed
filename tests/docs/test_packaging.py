"""Packaging: the wheel holds everything alref reads at run time, and the installed wheel
(not the source tree) runs `alref scenarios export`, `alref simulate` and finds the
validation cases. The full check in a fresh virtual environment — `pip install` of the
wheel with its dependencies, `alref validate`, `alref simulate --out` — takes minutes and
the network: `tools/check_wheel.sh`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                           "-w", str(out)], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"cannot build the wheel here (no build backend?): {proc.stderr[-500:]}")
    (path,) = out.glob("alref-*.whl")
    return path


def _tracked_package_files() -> list[str]:
    proc = subprocess.run(["git", "ls-files", "src/alref"], cwd=ROOT, capture_output=True,
                          text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "src/alref").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts]
    else:
        files = proc.stdout.split()
    return [f.removeprefix("src/") for f in files]


def test_wheel_holds_every_package_file_and_the_licence(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in _tracked_package_files() if f not in names]
    assert missing == [], f"files of src/alref not in the wheel: {missing[:10]}"
    assert any(n.endswith("licenses/LICENSE") for n in names)
    for needed in ("alref/data/scenarios/rusal-3ka-twitch.toml",
                   "alref/data/validation/V1-3ka-cycle.toml",
                   "alref/data/references/core.bib",
                   "alref/data/correlations/bath_points.csv"):
        assert needed in names, needed


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "ALREF_CACHE_DIR": str(cwd / "cache")}
    env.pop("ALREF_VALIDATION_CASES", None)
    return subprocess.run([sys.executable, "-c", "import sys; from alref.cli import main; "
                           "sys.argv[0] = 'alref'; main()", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_installed_wheel_runs_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=300)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import alref, alref.validation.case_files as c;"
                            "print(alref.__file__); print(c.default_case_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    module_file, case_dir = where.stdout.split()
    assert Path(module_file).is_relative_to(site), "the test did not import the wheel"
    assert Path(case_dir).is_relative_to(site) and any(Path(case_dir).glob("*.toml"))

    export = _run(site, work, "scenarios", "export", "rusal-3ka-twitch")
    assert export.returncode == 0, export.stderr
    (work / "my.toml").write_text(export.stdout, encoding="utf-8")
    sim = _run(site, work, "simulate", "my.toml", "--json",
               "--set", 'campaign.termination.max_duration="5 d"')
    assert sim.returncode == 0, sim.stderr
    assert json.loads(sim.stdout)["product_kg"] > 0
