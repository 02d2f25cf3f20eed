"""ParameterSet: every number a scenario uses, with its unit and provenance.

Built from the scenario preset and its cell design data file. Each `Parameter` carries
its value, unit (from the name suffix of the data key), and either a references.bib key
with a locator or an `assumption` with its reason. `alref params list|show|cite` print it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from alref import data
from alref.cell.design import calibration, design_table
from alref.errors import ConfigError

_UNIT_SUFFIXES = (
    ("_kg_per_a_s", "kg/(A s)"), ("_kg_per_day", "kg/d"), ("_kg_m2_s", "kg/(m2 s)"),
    ("_ohm_m2", "ohm m2"), ("_a_m2", "A/m2"), ("_m_s", "m/s"),
    ("_wt_pct", "wt %"), ("_ohm_m", "ohm m"), ("_m2", "m2"), ("_kg", "kg"), ("_ohm", "ohm"),
    ("_a", "A"), ("_k", "K"), ("_m", "m"),
)


def unit_of(name: str) -> str:
    """Unit implied by a data key's suffix ('-' for dimensionless)."""
    leaf = name.rsplit(".", 1)[-1].split("[", 1)[0]
    for suffix, unit in _UNIT_SUFFIXES:
        if leaf.endswith(suffix):
            return unit
    return "-"


@dataclass(frozen=True)
class Parameter:
    """One number with its unit and provenance."""

    name: str
    value: Any
    unit: str
    source: str | None = None
    locator: str | None = None
    assumption: str | None = None

    @property
    def set_key(self) -> str:
        """The dotted key that changes this parameter with ``--set KEY=VALUE`` (and
        `Scenario.derive`): design values go through ``cell.parameters`` (list items by
        index: ``lining.walls[0].thickness_m`` -> ``cell.parameters.lining.walls.0.thickness_m``);
        scenario values are their own key without the ``scenario.`` prefix."""
        if self.name.startswith("design."):
            path = re.sub(r"\[(\d+)\]", r".\1", self.name[len("design."):])
            return f"cell.parameters.{path}"
        if self.name.startswith("scenario."):
            return self.name[len("scenario."):]
        return self.name

    def provenance(self) -> str:
        if self.assumption:
            return f"assumption: {self.assumption}"
        return f"{self.source} ({self.locator})"


class ParameterSet(Mapping[str, Parameter]):
    """Immutable mapping of parameter name -> Parameter."""

    def __init__(self, params: Mapping[str, Parameter]) -> None:
        self._p = dict(params)

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self._p[key]
        except KeyError:
            raise ConfigError("PARAMETER", f"unknown parameter {key!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._p)

    def __len__(self) -> int:
        return len(self._p)

    def sources(self) -> set[str]:
        return {p.source for p in self._p.values() if p.source}

    def assumptions(self) -> list[Parameter]:
        return [p for p in self._p.values() if p.assumption]

    @classmethod
    def for_scenario(cls, raw_scenario: Mapping[str, Any]) -> ParameterSet:
        """Parameters of a raw scenario table and its cell design."""
        params: dict[str, Parameter] = {}
        cell = raw_scenario.get("cell", {})
        design_name = cell.get("design", "")
        overrides = {str(k): v for k, v in cell.get("parameters", {}).items()}
        raw_design = design_table(design_name)
        fitted = calibration(raw_design.get("technology"))
        for dotted, value, prov in data.iter_numbers(raw_design):
            name = f"design.{dotted}"
            path = dotted.replace("[", ".").replace("]", "")
            if path in fitted:
                e = fitted[path]
                value = e["value"]
                prov = {"source": str(e.get("source", "alref-calibration")),
                        "locator": f"fitted to {', '.join(e.get('fitted_to', []))} on "
                                   f"{e.get('fitted_on', '?')} (± {e.get('uncertainty', '?')})"}
            if path in overrides:
                value = overrides[path]
                prov = {"assumption": f"set by the scenario (cell.parameters.{path})"}
            params[name] = Parameter(name, value, unit_of(dotted), **(prov or {}))
        prov_table = raw_scenario.get("provenance", {})

        def walk(node: Mapping[str, Any], prefix: str) -> None:
            for key, value in node.items():
                dotted = f"{prefix}{key}"
                if dotted in {"provenance", "name", "description", "cell.parameters"}:
                    continue
                if isinstance(value, Mapping):
                    walk(value, dotted + ".")
                    continue
                parts = dotted.split(".")
                prov = next(
                    (prov_table[".".join(parts[:n])] for n in range(len(parts), 0, -1)
                     if ".".join(parts[:n]) in prov_table),
                    {},
                )
                params[f"scenario.{dotted}"] = Parameter(
                    f"scenario.{dotted}", value, "-", **{k: str(v) for k, v in prov.items()}
                )

        walk(raw_scenario, "")
        return cls(params)
