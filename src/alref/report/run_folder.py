"""The run folder: every output of one campaign run, written atomically.

Layout (``out_dir/``)::

    timeseries.parquet  one column per series + "Time [s]", "Time [d]" (pyarrow)
    lots.csv            t_days, mass_kg, al_wt_pct, grade, <El>_wt_pct ...
    actions.csv         t_days, kind, <detail keys> ...
    summary.json        Solution.summary + termination, lots, residue, citations
    solution.json       the rest of the Solution, exactly (read by `Solution.load`)
    scenario.toml       the scenario as run (if given)
    report.html         self-contained report (if html=True)
    manifest.json       version, scenario, hash, seed, created, parameters, files+SHA-256

The data files, the manifest and the atomic write (build in a hidden sibling
``.<name>.tmp-XXXX``, fsync, swap into place only when complete) belong to the campaign
layer (`alref.campaign.solution_io`, also behind `Solution.save` / `Solution.load`); this
module adds the scenario and the HTML report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alref.campaign import solution_io
from alref.campaign.solution import Solution
from alref.campaign.solution_io import (  # noqa: F401  (re-exported public API)
    ACTIONS,
    FORMAT_VERSION,
    LOTS,
    MANIFEST,
    SOLUTION,
    SUMMARY,
    TIMESERIES,
    manifest_dict,
    sha256_file,
)
from alref.report.html import render_html

SCENARIO = "scenario.toml"
REPORT = "report.html"


def write_run_folder(solution: Solution, out_dir: Path, *, alref_version: str,
                     scenario_toml: str | None = None, html: bool = True,
                     extra_html: Sequence[str] = ()) -> Path:
    """Write the run folder of `solution` to `out_dir` atomically and return its path.

    Everything is built in a temporary sibling ``.<name>.tmp-XXXX``; only a complete folder
    replaces `out_dir` (a previous run folder there is exchanged with it atomically, then
    deleted; leftovers of a killed earlier write are repaired first).
    On any exception the temporary folder is removed and a previous `out_dir` is untouched.
    An existing non-empty `out_dir` that is not a run folder (no manifest.json) is refused
    with FileExistsError, so a mistyped path never deletes unrelated files.
    """
    extra: list[solution_io.ExtraFile] = []
    if scenario_toml is not None:
        extra.append((SCENARIO, lambda: scenario_toml))
    if html:
        extra.append((REPORT, lambda: render_html(solution, extra_html=extra_html)
                      if extra_html else render_html(solution)))
    return solution_io.write_solution_folder(solution, out_dir, alref_version=alref_version,
                                             extra_files=extra)


def read_run_folder(path: Path) -> dict[str, Any]:
    """Load a run folder back.

    Returns a dict with ``summary`` and ``manifest`` (dicts), ``timeseries``, ``lots`` and
    ``actions`` (pandas DataFrames; lot ``grade`` is None where no grade was met),
    ``scenario_toml`` (str or None) and ``path``. `Solution.load(path)` gives the
    `Solution` itself.
    """
    parts = solution_io.read_folder(path)
    parts.pop("solution")
    scenario = Path(path) / SCENARIO
    parts["scenario_toml"] = scenario.read_text(encoding="utf-8") if scenario.is_file() else None
    return parts


def verify_run_folder(path: Path) -> list[str]:
    """Names of files whose size or SHA-256 differ from the manifest (empty if intact)."""
    return solution_io.verify_folder(path)
