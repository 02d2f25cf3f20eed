"""Hardware and refractory impurity sources as design statements
(docs/research/impurity-transfer.md §3.8.4-3.8.5).

* Hardware Fe: bare steel wetted by liquid metal dissolves at the natural-convection,
  Fe-diffusion-controlled rate k_m ρ (w_Fe,sat − w_Fe) per m² (`tetsu1964crsteel`,
  `niinomi1982dissolution`), into the pool it touches (anode alloy or cathode metal, not
  the bath: steel in the bath alone is not oxidised, Fe being nobler than Al). w_Fe,sat is
  alref's COST 507 saturation of the Fe-bearing sludge phase in the pool's liquid.
* Refractory Si: silica of a bath-wetted hot face dissolves as Si(IV) at the design's
  recession rate: area × rate × ρ × w_SiO2 × M_Si/M_SiO2. A silica-free face or a zero
  rate (no sourced rate exists, §3.8.5 [U]) gives none.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from alref import data
from alref.campaign.couples import transfer_data
from alref.errors import ConfigError
from alref.materials.elements import formula_molar_mass, molar_mass
from alref.properties.lining import materials
from alref.thermo.solubility import saturation_limit


def steel_mass_transfer_m_s() -> float:
    """Natural-convection mass-transfer coefficient of Fe from steel into liquid Al."""
    return float(transfer_data()["steel_dissolution"]["mass_transfer_m_s"])


@lru_cache(maxsize=4096)
def fe_saturation(t_round: float, others: tuple[tuple[str, float], ...] = ()) -> float:
    """Saturation mass fraction of Fe (–) in liquid Al holding `others` (wt %, rounded by
    the caller) at t_round K (COST 507 sludge phases)."""
    comp = {"Al": 100.0 - sum(w for _e, w in others), **dict(others)}
    return saturation_limit(comp, t_round, "Fe") / 100.0


def fe_saturation_rows(pool: np.ndarray, area: np.ndarray, temp: np.ndarray, lay: Any
                       ) -> np.ndarray:
    """Fe saturation (mass fraction) of the liquid of `pool` (S x E) for the rows whose
    design wets bare steel with it (other solutes above 0.25 wt % rounded to 0.5 wt %, the
    temperature to 1 K, for the cache); zero elsewhere."""
    out = np.zeros(pool.shape[0])
    for k in np.nonzero(area > 0)[0]:
        row, tot = pool[k], pool[k].sum()
        if not tot > 0:
            continue
        others = tuple((e, round(200.0 * row[i] / tot) / 2.0) for e, i in lay.th.idx.items()
                       if e not in ("Al", "Fe") and row[i] / tot > 0.0025)
        out[k] = fe_saturation(float(round(temp[k])), others)
    return out


def refractory_si_kg_s(tr: Any, key: str = "transfer.refractory_bath_material") -> float:
    """Si into the bath (kg/s) from the design's bath-wetted refractory face."""
    if not tr.refractory_bath_area_m2 or not tr.refractory_recession_m_s:
        return 0.0
    name = tr.refractory_bath_material
    mats = materials()
    if name not in mats:
        raise ConfigError(key, f"{name!r} is not a lining material (one of {sorted(mats)})")
    raw = data.load("lining_materials")["material"][name]
    if "sio2_wt_pct" not in raw:
        raise ConfigError(key, f"{name!r} has no sio2_wt_pct in lining_materials.toml")
    w_sio2 = float(raw["sio2_wt_pct"]["value"]) / 100.0
    rho = mats[name].density
    si_per_sio2 = molar_mass("Si") / formula_molar_mass("SiO2")
    return tr.refractory_bath_area_m2 * tr.refractory_recession_m_s * rho * w_sio2 * si_per_sio2


def steel_fe_kg(area: np.ndarray, k: float, rho: np.ndarray, w_sat: np.ndarray,
                w_fe: np.ndarray, dt: float) -> np.ndarray:
    """Fe dissolved from `area` m² of bare steel over dt (kg): k ρ (w_sat − w) A dt, zero
    where the pool is saturated."""
    return area * k * rho * np.maximum(w_sat - w_fe, 0.0) * dt
