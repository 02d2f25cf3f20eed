"""Electrochemical couples of the anode and bath, per element and row of pots
(docs/research/impurity-transfer.md §3.1-3.2).

* per-equivalent Gibbs energies of each element's most stable fluoride and chloride
  (`alref.thermo.series`), cached at 1 K;
* the lattice factor L_j = exp[ΔH_m (1 − T/T_m)/RT] that puts COST 507's liquid-referenced
  activity on the stable-element scale of those Gibbs energies (T2; fusion enthalpies from
  `metals_thermal.toml`, `data/transfer.toml` for elements without them);
* the bath's nobility of each element vs Al from ligand competition (T4): per equivalent,
  g_eff = −RT ln[exp(−(g_F − Δμ)/RT) + exp(−g_Cl/RT)] with the fluoride-for-chloride
  exchange potential Δμ = (g_NaF − g_NaCl) + RT ln(a_NaF/a_NaCl), a_NaF/a_NaCl from the
  bath's composition per row. A chloride-free bath gives the pure-fluoride series.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.constants import R as R_GAS

from alref import data
from alref.campaign.layout import FARADAY, LESS_NOBLE, PoolLayout, zn_vapour_pressure_bar
from alref.campaign.state import compound_fractions
from alref.errors import ConfigError
from alref.materials.elements import formula_molar_mass, molar_mass, parse_formula
from alref.properties import thermal
from alref.properties.registry import RangeWarning
from alref.thermo import series


@lru_cache(maxsize=1)
def transfer_data() -> dict:
    """The `data/transfer.toml` tables."""
    return data.load("transfer")


@lru_cache(maxsize=4096)
def couple_gibbs(element: str, t_round: float) -> tuple[float, float, int]:
    """(g per equivalent of the most stable fluoride, of the most stable chloride (nan if
    none), electrons per atom of that fluoride) at t_round K; g = +inf where the element
    has no fluoride data (treated as never dissolving)."""
    try:
        comp, g_f = series.per_equivalent_gibbs(element, t_round, "fluoride")
        z = dict(parse_formula(comp)).get("F", 1)
    except ConfigError:
        return math.inf, math.nan, 1
    try:
        _c, g_cl = series.per_equivalent_gibbs(element, t_round, "chloride")
    except ConfigError:
        g_cl = math.nan
    return g_f, g_cl, z


@lru_cache(maxsize=4096)
def ln_lattice_factor(element: str, t_round: float) -> float:
    """ln L_j at t_round K (T2): zero where the liquid is the stable state."""
    tm = thermal.melting_point(element)
    if tm is not None and t_round >= tm:
        return 0.0
    dh = thermal.fusion_enthalpy(element)
    if dh is None or tm is None:
        assumed = transfer_data()["lattice"]
        if element in assumed:
            return math.log(float(assumed[element]))
        warnings.warn(f"lattice factor of {element}: no fusion data, L = 1 used",
                      RangeWarning, stacklevel=2)
        return 0.0
    return dh * (1.0 - t_round / tm) / (R_GAS * t_round)


def anodic_elements(lay: PoolLayout) -> list[tuple[str, int, int]]:
    """(element, anode column, bath column) of every element besides Al that the anode
    can oxidise into the bath: the noble ions and the less-noble elements (as their
    fluoride salt)."""
    out = list(lay.ions)
    for el, salt in LESS_NOBLE.items():
        if el in lay.th.idx and salt in lay.si:
            out.append((el, lay.th.idx[el], lay.si[salt]))
    return out


def anodic_names(lay: PoolLayout) -> list[str]:
    """Names of `anodic_elements`."""
    return [e for e, _i, _j in anodic_elements(lay)]


@dataclass
class Couples:
    """Per-row couple data at the rows' temperatures (arrays of length S): per element
    g_F, g_Cl (J/eq), z of the fluoride couple and ln L; the same for Al and Na."""

    g_f: dict[str, np.ndarray]
    g_cl: dict[str, np.ndarray]
    z: dict[str, np.ndarray]
    ln_l: dict[str, np.ndarray]

    def rows(self, r: np.ndarray) -> Couples:
        return Couples(*({k: v[r] for k, v in d.items()}
                         for d in (self.g_f, self.g_cl, self.z, self.ln_l)))


def couples_at(elements: list[str], temp: np.ndarray) -> Couples:
    """Couple data of `elements` (plus Al, Na) at per-row temperatures (1 K resolution)."""
    els = list(dict.fromkeys(["Al", "Na", *elements]))
    ok = np.isfinite(temp)
    tr = [float(round(t)) if f else 1000.0 for t, f in zip(temp, ok, strict=True)]
    g_f, g_cl, z, ln_l = {}, {}, {}, {}
    for e in els:
        vals = np.array([couple_gibbs(e, t) for t in tr], float).reshape(len(tr), 3)
        g_f[e], g_cl[e], z[e] = vals[:, 0], vals[:, 1], vals[:, 2]
        ln_l[e] = np.array([ln_lattice_factor(e, t) if math.isfinite(g) else 0.0
                            for t, g in zip(tr, g_f[e], strict=True)])
    return Couples(g_f, g_cl, z, ln_l)


def bath_ligand_vectors(lay: PoolLayout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """mol of F, Cl and Al per kg of each bath compound (C,)."""
    f, cl, al = (np.zeros(len(lay.names)) for _ in range(3))
    for j, name in enumerate(lay.names):
        fr = compound_fractions(name)
        f[j] = fr.get("F", 0.0) / molar_mass("F")
        cl[j] = fr.get("Cl", 0.0) / molar_mass("Cl")
        al[j] = fr.get("Al", 0.0) / molar_mass("Al")
    return f, cl, al


def bath_constants(lay: PoolLayout) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray],
                                              np.ndarray, float]:
    """What the anodic law needs about the bath columns: ligand vectors, compound molar
    masses (kg/mol) and ln a_AlX (`transfer.toml` [bath])."""
    mm = np.array([formula_molar_mass(s) for s in lay.names])
    return bath_ligand_vectors(lay), mm, math.log(transfer_data()["bath"]["alf3_activity"])


def ln_fluoride_chloride_ratio(B: np.ndarray, vectors: tuple[np.ndarray, ...]) -> np.ndarray:
    """ln(a_NaF/a_NaCl) of each row's bath (T4 [E], `transfer.toml` [ligands]): free
    fluoride after AlF3 binds `fluoride_per_al` F, over the bath's chloride; +inf for a
    chloride-free bath."""
    lig = transfer_data()["ligands"]
    f, cl, al = (B @ v for v in vectors)
    free = np.maximum(f - lig["fluoride_per_al"] * al, 0.0)
    floor = lig["min_fluoride_chloride_ratio"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(cl > 0, np.maximum(free / np.where(cl > 0, cl, 1.0), floor), np.inf)
    return np.log(ratio)


def effective_gibbs(c: Couples, el: str, temp: np.ndarray, ln_ratio: np.ndarray) -> np.ndarray:
    """g_eff per equivalent on the chloride scale (T4); for a chloride-free bath, the
    fluoride's g less the (row-constant) exchange potential, which cancels against Al's."""
    rt = R_GAS * temp
    d_mu = (c.g_f["Na"] - c.g_cl["Na"]) + rt * np.where(np.isfinite(ln_ratio), ln_ratio, 0.0)
    gf = c.g_f[el] - d_mu
    gcl = c.g_cl[el]
    fluoride_only = ~np.isfinite(ln_ratio) | np.isnan(gcl)
    with np.errstate(invalid="ignore"):
        mixed = -rt * np.logaddexp(-gf / rt, -np.where(np.isnan(gcl), 0.0, gcl) / rt)
    return np.where(fluoride_only, gf, mixed)


def delta_e(c: Couples, el: str, temp: np.ndarray, ln_ratio: np.ndarray) -> np.ndarray:
    """Nobility of `el` vs Al in each row's bath (V; + = nobler), T4."""
    if not np.isfinite(c.g_f[el]).all():
        out = np.full(temp.shape, np.inf)
        ok = np.isfinite(c.g_f[el])
        if ok.any():
            out[ok] = delta_e(c.rows(ok), el, temp[ok], ln_ratio[ok])
        return out
    return (effective_gibbs(c, el, temp, ln_ratio)
            - effective_gibbs(c, "Al", temp, ln_ratio)) / FARADAY


def temperature_data(lay: PoolLayout, temp: np.ndarray, cache: dict
                     ) -> tuple[Couples, np.ndarray]:
    """Per-row couple data (1 K resolution) and Zn vapour pressure (bar, 0.1 K) at the
    rows' temperatures, cached in `cache` by temperature vector."""
    key = temp.tobytes()
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        ok = np.isfinite(temp)
        pzn = np.array([zn_vapour_pressure_bar(round(float(t), 1)) if f else 0.0
                        for t, f in zip(temp, ok, strict=True)])
        cache[key] = (couples_at(anodic_names(lay), temp), pzn)
    return cache[key]
