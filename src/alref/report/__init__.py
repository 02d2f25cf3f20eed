"""Output layer: the run folder (Parquet/CSV/JSON + manifest) and the self-contained HTML report.

Public API:

- `write_run_folder(solution, out_dir, *, alref_version, scenario_toml=None, html=True)`
- `read_run_folder(path)` -> dict of summary, manifest, timeseries/lots/actions DataFrames
- `verify_run_folder(path)` -> list of files whose size or SHA-256 differ from the manifest
- `render_html(solution)` -> one self-contained HTML page (str)
- `write_simulation_run(solution, out_dir, scenario, overrides)` -> the run folder of
  ``alref simulate --out`` (parameters, scenario TOML, economics/footprint section)

Needs the ``report`` extra (pandas, pyarrow, matplotlib, jinja2). These are imported on
first use of a name above, so ``import alref.report`` stays cheap for the CLI.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "render_html": "alref.report.html",
    "read_run_folder": "alref.report.run_folder",
    "verify_run_folder": "alref.report.run_folder",
    "write_run_folder": "alref.report.run_folder",
    "write_simulation_run": "alref.report.simulation_run",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'alref.report' has no attribute {name!r}")
