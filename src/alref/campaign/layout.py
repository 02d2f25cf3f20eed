"""Pool layout of a pot (or rows of pots): which columns the pool arrays have.

Pools (kg) are arrays with a leading row axis: anode and cathode elements, bath compounds
(salts and the dissolved fluorides of noble impurities, e.g. FeF2), sludge phases (last
column: the scrap's oxide as Al2O3). The layout also carries what the processes need about
those columns: the impurity ions with their bath compound, the order in which an
Al-exhausted anode oxidises noble metals, the sludge phases' densities and element
fractions, and the element matrices that turn every pool into element masses for the
mass ledger. Electrochemical data per element: nobility vs Al in the bath family
(`alref.thermo.series`) and the Zn vapour pressure (NASA/JANAF Gibbs energies).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.constants import R as R_GAS
from scipy.constants import physical_constants

from alref.campaign.state import compound_fractions
from alref.errors import ConfigError
from alref.materials.elements import parse_formula, valence
from alref.thermo import gibbs, series
from alref.thermo.solubility import sludge_phases

FARADAY = physical_constants["Faraday constant"][0]
#: elements that leave the alloy for the bath anodically (less noble than Al, §5.1)
LESS_NOBLE = {"Mg": "MgF2", "Li": "LiF", "Ca": "CaF2", "Na": "NaF"}


#: noble impurities that can be present as ions in the bath
ION_ELEMENTS = ("Fe", "Si", "Cu", "Mn", "Zn", "Ti", "Cr", "Ni", "Pb", "V", "Ga", "Sn", "Zr")


def ion_compound(element: str) -> str:
    """Fluoride a noble impurity forms in the bath (usual cation charge)."""
    return f"{element}F{valence(element)}"


@lru_cache(maxsize=2048)
def nobility_cached(element: str, t_round: float) -> tuple[float, int]:
    try:
        compound, _g = series.per_equivalent_gibbs(element, t_round, "fluoride")
        z = dict(parse_formula(compound)).get("F", 1)
        return series.delta_e_vs_al(element, t_round, "fluoride"), z
    except ConfigError:  # no fluoride data (e.g. Sn, Zr): treated as not co-dissolving
        return math.inf, 1


def nobility(element: str, t_k: float) -> tuple[float, int]:
    """(ΔE vs Al in a fluoride bath in V, electrons per atom of the most stable fluoride
    the series uses), cached at 1 K resolution."""
    return nobility_cached(element, round(t_k))


@lru_cache(maxsize=4096)
def zn_vapour_pressure_bar(t_k: float) -> float:
    """Vapour pressure of pure liquid Zn (bar) from NASA/JANAF data: exp(-ΔG_vap/RT)."""
    dg = gibbs.gibbs("Zn(g)", t_k) - gibbs.gibbs("Zn(l)", t_k)
    return math.exp(-dg / (R_GAS * t_k))


@dataclass(frozen=True)
class PoolLayout:
    """Columns of the pool arrays of a pot (or a group of pots): anode/cathode elements,
    bath compounds, sludge phases (last: Al2O3), with the ion and phase data the step
    kernel needs. Built once per run by `pool_layout`."""

    el: list[str]
    th: Any  # alref.thermo.arrays.Thermo over `el`
    names: list[str]  # bath compounds
    si: dict[str, int]
    ions: list[tuple[str, int, int]]  # (element, anode column, bath column)
    ions_by_nobility: list[tuple[str, int, int]]  # order an Al-exhausted anode oxidises them
    phases: list[str]
    rho_phase: np.ndarray  # solid density; inf for the non-metallic oxide (never entrained)
    pm: np.ndarray  # element mass fractions of each phase (P x E)
    ledger_el: list[str]  # every element any pool can hold (anode, bath, sludge, cathode)
    to_el_metal: np.ndarray  # anode/cathode columns -> ledger elements (E x L)
    to_el_bath: np.ndarray  # bath compounds -> ledger element masses (C x L)
    to_el_phase: np.ndarray  # sludge phases -> ledger element masses (P x L)

    def elements(self, A: np.ndarray, K: np.ndarray, B: np.ndarray, G: np.ndarray) -> np.ndarray:
        """Element masses (S x L, kg) held in the four pools of each row."""
        return (A + K) @ self.to_el_metal + B @ self.to_el_bath + G @ self.to_el_phase


def _fractions(name: str) -> dict[str, float]:
    ph = sludge_phases()
    return dict(ph[name].mass_fractions) if name in ph else compound_fractions(name)


def pool_layout(elements: set[str], bath_salts: Sequence[str],
                extra_salts: Sequence[str] = ()) -> PoolLayout:
    """Pool layout for the `elements` a pot can hold and the salts its bath can hold."""
    from alref.thermo.arrays import model

    el = sorted({"Al", "Cu", "Fe", "Si"} | set(elements),
                key=lambda e: (e not in ("Al", "Cu"), e))
    th = model(tuple(el))
    names = list(dict.fromkeys([*bath_salts, *LESS_NOBLE.values(),
                                *(ion_compound(e) for e in ION_ELEMENTS), *extra_salts]))
    si = {n: i for i, n in enumerate(names)}
    ions = [(e, th.idx[e], si[ion_compound(e)]) for e in ION_ELEMENTS if e in th.idx]
    phases = [*th.phases, "Al2O3"]
    ph = sludge_phases()
    pm = np.zeros((len(phases), len(el)))
    for k, name in enumerate(phases):
        for e, w in _fractions(name).items():
            if e in th.idx:
                pm[k, th.idx[e]] = w
    ledger_el = list(dict.fromkeys(
        [*el, *(e for n in names for e in compound_fractions(n)),
         *(e for n in phases for e in _fractions(n))]))
    li = {e: i for i, e in enumerate(ledger_el)}
    to_metal = np.zeros((len(el), len(ledger_el)))
    for j, e in enumerate(el):
        to_metal[j, li[e]] = 1.0
    to_bath = np.zeros((len(names), len(ledger_el)))
    for j, n in enumerate(names):
        for e, w in compound_fractions(n).items():
            to_bath[j, li[e]] = w
    to_phase = np.zeros((len(phases), len(ledger_el)))
    for j, n in enumerate(phases):
        for e, w in _fractions(n).items():
            to_phase[j, li[e]] = w
    return PoolLayout(
        el=el, th=th, names=names, si=si, ions=ions,
        ions_by_nobility=sorted(ions, key=lambda t: nobility(t[0], 1000.0)[0]),
        phases=phases,
        rho_phase=np.array([ph[n].density if n in ph else np.inf for n in phases]),
        pm=pm, ledger_el=ledger_el, to_el_metal=to_metal, to_el_bath=to_bath,
        to_el_phase=to_phase,
    )


