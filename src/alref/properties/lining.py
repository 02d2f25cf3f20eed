"""Lining, shell and conductor materials: k(T), density, emissivity, resistivity(T).

Data in ``data/lining_materials.toml``; each property carries its own source or labelled
assumption. Conductivity and resistivity tables are interpolated linearly in T and held
constant beyond their ends (no extrapolation of trends outside the data).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError, DataError
from alref.properties.broadcast import broadcasts


def _provenance(table: Mapping[str, Any]) -> str:
    return str(table.get("source", "assumption"))


@dataclass(frozen=True)
class Material:
    """A lining or conductor material. Units: K, W/m/K, kg/m3, ohm m."""

    key: str
    name: str
    density: float
    emissivity: float | None
    k_T: tuple[float, ...]
    k_values: tuple[float, ...]
    sources: Mapping[str, str]
    rho_T: tuple[float, ...] = ()
    rho_values: tuple[float, ...] = ()
    rho_linear: tuple[float, float, float] | None = None  # (T_ref, rho_ref, alpha)

    @property
    def source(self) -> str:
        """Source of the conductivity data (bib key or 'assumption')."""
        return self.sources["conductivity"]

    def _cite(self, prop: str) -> None:
        src = self.sources.get(prop, "assumption")
        if src == "assumption":
            note_assumption(f"{self.key}.{prop}")
        else:
            cite(src)

    def conductivity(self, T: float) -> float:
        """Thermal conductivity at T, W/m/K."""
        self._cite("conductivity")
        return float(np.interp(float(T), self.k_T, self.k_values))

    def resistivity(self, T: float) -> float:
        """Electrical resistivity at T, ohm m."""
        if self.rho_linear is not None:
            self._cite("resistivity")
            T_ref, rho_ref, alpha = self.rho_linear
            return rho_ref * (1.0 + alpha * (float(T) - T_ref))
        if not self.rho_T:
            raise ConfigError(f"material.{self.key}", "no electrical resistivity data")
        self._cite("resistivity")
        return float(np.interp(float(T), self.rho_T, self.rho_values))


def _points(table: Mapping[str, Any], ykey: str, where: str) -> tuple[tuple, tuple]:
    xs = tuple(float(x) for x in table["T"])
    ys = tuple(float(y) for y in table[ykey])
    if len(xs) != len(ys) or not xs or any(b <= a for a, b in itertools.pairwise(xs)):
        raise DataError(f"{where}: T must increase and match {ykey}")
    if any(y <= 0.0 for y in ys):
        raise DataError(f"{where}: {ykey} must be positive")
    return xs, ys


@lru_cache(maxsize=1)
def materials() -> dict[str, Material]:
    """All lining/conductor materials by key."""
    raw = data.load("lining_materials")["material"]
    out = {}
    for key, t in raw.items():
        where = f"lining_materials:material.{key}"
        k_T, k_vals = _points(t["conductivity"], "k", where + ".conductivity")
        sources = {"conductivity": _provenance(t["conductivity"])}
        sources["density"] = _provenance(t["density"])
        emis = None
        if "emissivity" in t:
            emis = float(t["emissivity"]["value"])
            sources["emissivity"] = _provenance(t["emissivity"])
        rho_T: tuple = ()
        rho_vals: tuple = ()
        rho_lin = None
        if "resistivity" in t:
            r = t["resistivity"]
            sources["resistivity"] = _provenance(r)
            if "alpha" in r:
                rho_lin = (float(r["T_ref"]), float(r["rho_ref"]), float(r["alpha"]))
            else:
                rho_T, rho_vals = _points(r, "rho", where + ".resistivity")
        out[key] = Material(
            key=key,
            name=str(t["name"]),
            density=float(t["density"]["value"]),
            emissivity=emis,
            k_T=k_T,
            k_values=k_vals,
            sources=sources,
            rho_T=rho_T,
            rho_values=rho_vals,
            rho_linear=rho_lin,
        )
    return out


def lining_material(name: str) -> Material:
    """Look up a material by key (see `materials()`); unknown names are a ConfigError."""
    try:
        return materials()[name]
    except KeyError:
        known = ", ".join(sorted(materials()))
        raise ConfigError(f"material.{name}", f"unknown material; known: {known}") from None


def surface_emissivity(name: str) -> float:
    """Named surface emissivity (e.g. 'oxidised_steel', 'painted_steel'), labelled estimate."""
    table = data.load("lining_materials")["emissivity"]
    if name not in table or name == "assumption":
        raise ConfigError(f"emissivity.{name}", "unknown surface")
    note_assumption(f"emissivity.{name}")
    return float(table[name])


@broadcasts("T")
def electrical_resistivity(name: str, T: float) -> float:
    """Electrical resistivity of a conductor material at T, ohm m."""
    return lining_material(name).resistivity(T)
