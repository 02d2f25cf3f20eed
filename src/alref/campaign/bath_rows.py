"""Bath properties over engine rows as arrays (the per-row dict path is the hot spot).

`heat_capacity_rows` is `alref.properties.electrolyte.heat_capacity` of each row's major
bath (`observables.bath_major_wt`) computed for all rows at once: the same model —
compound salts decomposed (Na3AlF6 = 3 NaF + AlF3), NaF and AlF3 recombined into cryolite
up to the limiting reagent, the mass-weighted NASA liquid c_p of the salts (McBride et al.
1993) — with the same range warnings and citation. `tests/unit/test_bath_rows.py` checks
it against the scalar correlation on random baths, so the two cannot drift apart.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any

import numpy as np

from alref.citations import cite, note_assumption
from alref.materials import salts
from alref.properties.electrolyte_heat_capacity import MASS_WEIGHTED
from alref.properties.registry import RangeWarning

CRYOLITE = "Na3AlF6"


@lru_cache(maxsize=32)
def _species(names: tuple[str, ...], major: tuple[bool, ...]
             ) -> tuple[tuple[str, ...], np.ndarray, tuple[str, ...]]:
    """(species after decomposition and recombination, the decomposition matrix from the
    major bath columns to the species, the compound salts decomposed)."""
    species: list[str] = []
    compounds: list[str] = []
    parts: list[dict[str, float]] = []
    for n, m in zip(names, major, strict=True):
        if not m:
            p = {}
        elif salts.density_model(n) == salts.DECOMPOSE:
            p = _decomposition(n)
            compounds.append(n)
        else:
            p = {n: 1.0}
        parts.append(p)
        species.extend(s for s in p if s not in species)
    for s in ("NaF", "AlF3", CRYOLITE):
        if s not in species:
            species.append(s)
    D = np.zeros((len(names), len(species)))
    for i, p in enumerate(parts):
        for s, f in p.items():
            D[i, species.index(s)] = f
    return tuple(species), D, tuple(compounds)


def _decomposition(name: str) -> dict[str, float]:
    """Mass fractions of the simple salts of a compound salt (as `salts.decompose`)."""
    return {k: v / 100.0 for k, v in salts.decompose({name: 100.0}).items()}


@lru_cache(maxsize=256)
def _cp(species: tuple[str, ...], t: float) -> np.ndarray:
    return np.array([salts.liquid_cp_mass(s, t) for s in species])


def heat_capacity_rows(eng: Any, rows: np.ndarray, temp: np.ndarray) -> np.ndarray:
    """Bath c_p (J/kg/K) of `rows` at temperatures `temp` (0 for a row without bath)."""
    W = eng.pools.B[rows] * eng.major_mask
    W = np.where(W > 0, W, 0.0)
    species, D, compounds = _species(tuple(eng.layout.names),
                                     tuple(bool(m) for m in eng.major_mask))
    M = W @ D
    i_naf, i_alf3, i_cryo = (species.index(s) for s in ("NaF", "AlF3", CRYOLITE))
    m_naf, m_alf3, m_cryo = (salts.molar_mass(s) for s in ("NaF", "AlF3", CRYOLITE))
    n = np.minimum(M[:, i_naf] / m_naf / 3.0, M[:, i_alf3] / m_alf3)
    n = np.where(n > 0, n, 0.0)
    M[:, i_naf] -= 3.0 * n * m_naf
    M[:, i_alf3] -= n * m_alf3
    M[:, i_cryo] += n * m_cryo
    M = np.maximum(M, 0.0)
    total = M.sum(1)
    out = np.zeros(rows.size)
    has = total > 0
    if not has.any():
        return out
    for name in compounds:
        if (W[:, list(eng.layout.names).index(name)] > 0).any():
            note_assumption(f"{name} decomposed into simple fluorides")
    for t in np.unique(temp[has]):
        for note in MASS_WEIGHTED.out_of_range({"T": float(t)}):
            warnings.warn(note, RangeWarning, stacklevel=2)
        sel = has & (temp == t)
        out[sel] = (M[sel] @ _cp(species, float(t))) / total[sel]
    cite(MASS_WEIGHTED.source)
    return out
