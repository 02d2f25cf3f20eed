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

from typing import Any

import numpy as np

from alref import data
from alref.campaign.couples import transfer_data
from alref.errors import ConfigError
from alref.materials.elements import formula_molar_mass, molar_mass
from alref.properties.lining import materials


def steel_mass_transfer_m_s() -> float:
    """Natural-convection mass-transfer coefficient of Fe from steel into liquid Al."""
    return float(transfer_data()["steel_dissolution"]["mass_transfer_m_s"])


#: Fe content (mole fraction) at which the saturation of an Fe-free liquid is evaluated
#: first (numerical: dilute enough for Henry's law, large enough to keep ln a_Fe finite)
X_FE_REF = 1e-4
#: Henry's-law steps toward the saturation, at most, and their relative convergence
#: (numerical; converged, they equal the scalar root of
#: `alref.thermo.solubility.saturation_limit` in binary Al-Fe, and differ by a few per cent
#: in Al-Cu alloys, where the scalar root dilutes the other solutes differently)
SAT_ITERATIONS = 30
SAT_RTOL = 1e-6


def fe_saturation_rows(pool: np.ndarray, area: np.ndarray, temp: np.ndarray, lay: Any,
                       warm: np.ndarray | None = None, rtol: float = SAT_RTOL) -> np.ndarray:
    """Fe saturation (mass fraction) of the liquid of `pool` (S x E) for the rows whose
    design wets bare steel with it; zero elsewhere. `warm` (optional, length S, updated in
    place) holds each row's saturation mole fraction from its last call: the Henry's-law
    steps start there (where > 0) instead of at the liquid's own Fe, so a slowly moving
    liquid converges in a step or two, to the same root within `rtol` (relative step
    that ends the iteration; default `SAT_RTOL`).

    COST 507 saturation of the most stable Fe-bearing sludge phase, in Henry's law for Fe:
    with the liquid's activities now, SI_p rises by ν_Fe·ln f when x_Fe is multiplied by f,
    so x_Fe,sat = x_Fe·min_p exp(−SI_p/ν_Fe,p) (the other activities held); the step is
    repeated from its own result (`SAT_ITERATIONS`) so concentrated liquids converge too."""
    out = np.zeros(pool.shape[0])
    th = lay.th
    rows = np.nonzero((area > 0) & (pool.sum(1) > 0))[0]
    fe_phases = np.nonzero(th.nu[:, th.idx["Fe"]] > 0)[0] if len(th.phases) else np.zeros(0, int)
    if rows.size == 0 or fe_phases.size == 0:
        return out
    fe = th.idx["Fe"]
    x0 = th.x_of_masses(pool[rows])
    rest = np.maximum(1.0 - x0[:, fe], 1e-300)
    nu_fe = th.nu[fe_phases, fe]
    x_sat = np.maximum(x0[:, fe], X_FE_REF)
    if warm is not None:
        x_sat = np.where(warm[rows] > 0, warm[rows], x_sat)
    x = np.empty_like(x0)
    todo = np.arange(rows.size)
    coef = th.coefficients(temp[rows])  # ln γ terms at the rows' temperatures, once
    for _ in range(SAT_ITERATIONS):  # Henry's-law steps from the estimate: converge to SI = 0
        xs = x_sat[todo]
        xt = x0[todo] * ((1.0 - xs) / rest[todo])[:, None]
        xt[:, fe] = xs
        x[todo] = xt
        ct = coef if coef[0].shape[1] == 1 else tuple(c[:, todo] for c in coef)
        si = th.saturation(xt, temp[rows[todo]], ct)[:, fe_phases]
        new = np.minimum(xs * np.exp(-si / nu_fe[None, :]).min(1), 0.5)
        x_sat[todo] = new  # a converged row stays as it is: rows are independent
        todo = todo[np.abs(new - xs) > rtol * new]
        if todo.size == 0:
            break
    if warm is not None:
        warm[rows] = x_sat
    others = np.delete(np.arange(len(th.el)), fe)
    m_other = (x[:, others] * th.mm[others]).sum(1) / np.maximum(x[:, others].sum(1), 1e-300)
    m_fe = th.mm[fe]
    out[rows] = x_sat * m_fe / (x_sat * m_fe + (1.0 - x_sat) * m_other)
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
