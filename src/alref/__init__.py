"""alref: electrolytic refining of aluminium scrap into primary-grade aluminium.

The front door for Python::

    import alref

    sc = alref.Scenario.preset("rusal-3ka-twitch").derive({"cell.current": "3.3 kA"})
    sol = alref.Simulation.from_scenario(sc).run()
    sol                                 # <Solution rusal-3ka-twitch: cycle days, product, ...>
    sol.kpis.energy_kwh_per_kg          # typed KPIs, named as `alref simulate --json`
    sol.to_frame()                      # time series (pandas), indexed by time in days
    sol.plot(["Cell voltage [V]"])      # matplotlib axes
    sol.save("runs/3.3ka")              # run folder; alref.Solution.load(path) reads it
    alref.print_citations(sol)          # the references the result rests on

Names are imported on first use (PEP 562), so ``import alref`` stays fast and the
optional extras (pandas, matplotlib, pyarrow: ``report``; SALib, duckdb, dask: ``study``)
are imported only by what needs them; a missing one raises an ImportError that names the
``pip install "alref[EXTRA]"`` to run.

The package is layered; data flows one way (see ARCHITECTURE.md §2):
data -> materials -> properties -> thermo -> cell -> campaign -> assess/optimize/study
-> api -> store/report/cli.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from alref.version import __version__

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Scenario": "alref.scenario",
    "CellModel": "alref.cell.model",
    "Simulation": "alref.campaign.simulation",
    "PotLife": "alref.campaign.potlife",
    "Solution": "alref.campaign.solution",
    "Kpis": "alref.campaign.solution",
    "Campaign": "alref.campaign.protocol",
    "run_batch": "alref.campaign.batch",
    "Study": "alref.study.facade",
    "print_citations": "alref.bibliography",
}

__all__ = ["Campaign", "CellModel", "Kpis", "PotLife", "Scenario", "Simulation", "Solution", "Study",
           "__version__", "print_citations", "run_batch"]

if TYPE_CHECKING:
    from alref.bibliography import print_citations
    from alref.campaign.batch import run_batch
    from alref.campaign.potlife import PotLife
    from alref.campaign.protocol import Campaign
    from alref.campaign.simulation import Simulation
    from alref.campaign.solution import Kpis, Solution
    from alref.cell.model import CellModel
    from alref.scenario import Scenario
    from alref.study.facade import Study


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'alref' has no attribute {name!r}")
    from alref.extras import needs_extras

    with needs_extras(f"alref.{name}"):
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
