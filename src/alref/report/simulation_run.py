"""The run folder of ``alref simulate --out``: the campaign's files (`write_run_folder`), the
parameters it rests on with their provenance, the scenario as TOML, and the HTML report
with its economics and footprint section (`alref.api.assess_campaign`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from alref import api
from alref.campaign.solution import Solution
from alref.errors import ConfigError
from alref.version import __version__


def write_simulation_run(sol: Solution, out_dir: str | Path, scenario: str | None,
                         overrides: Iterable[str] = (), with_assessment: bool = True) -> str:
    """Write the run folder of a simulated scenario atomically; returns its path. An
    existing folder is a ConfigError naming ``--out``."""
    import tomli_w

    from alref.report.assess_section import render_assess_html
    from alref.report.run_folder import write_run_folder

    items = list(overrides)
    raw = api.scenario_toml_table(scenario, items)
    sol.parameters = {row.name: {"value": row.value, "unit": row.unit, "source": row.source,
                                 "locator": row.locator, "assumption": row.assumption}
                      for row in api.parameter_table(scenario, items).parameters}
    extra: list[str] = []
    if with_assessment:
        sc = api.load_scenario(scenario, items)
        extra.append(render_assess_html(api.assess_campaign(sc, sol).to_dict()))
    try:
        path = write_run_folder(sol, Path(out_dir), alref_version=__version__,
                                scenario_toml=tomli_w.dumps(raw), extra_html=extra)
    except FileExistsError as exc:
        raise ConfigError("--out", str(exc)) from None
    return str(path)
