"""Densities of liquid Al, liquid Cu and the liquid Al-Cu(-Si-X) anode alloy.

- Liquid Al: Assael et al. (2006) reference line, rho = 2377.23 - 0.311 (T - 933.47) kg/m3.
- Liquid Cu: Assael et al. (2010) reference line, rho = 7997 - 0.819 (T - 1357.77) kg/m3
  (used supercooled as the Cu end member of the alloy).
- Al-Cu: ideal molar-volume mixing of the two reference lines plus a Redlich-Kister excess
  volume V_E = x_Al x_Cu sum_v A_v (x_Al - x_Cu)^v (v = 0..2) fitted at load time to Brillo's
  levitation lines for 0.2 <= x_Cu <= 0.5 (Brillo 2016; Brillo, Egry & Westphal 2008
  report V_E < 0), taken against the Assael end members so that the model reproduces
  Brillo's alloy densities (his own pure-Al line is ~0.8 % below Assael's).
- Si: partial molar volume of Si (linear in the Cu share and T) fitted at load time to
  the Al-Cu-Si rows of Kobatake, Schmitz & Brillo (2014), on top of the Al-Cu model
  (this carries their ternary excess).
- Other solutes: ideal mixing at the molar volume of liquid Cu (a labelled assumption in
  ``metals.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError
from alref.materials.elements import is_element, molar_mass
from alref.properties.registry import Correlation, PropertyValue, register


def _line(entry: Mapping[str, float], T: float) -> float:
    return entry["c1"] - entry["c2"] * (T - entry["T_ref"])


def _al(T: float) -> float:
    return _line(data.load("metals")["al"]["assael2006"], T)


def _cu(T: float) -> float:
    return _line(data.load("metals")["cu"]["assael2010"], T)


def _deg_c(T: float) -> str:
    return f"{T - 273.15:.0f} degC"


_AL = data.load("metals")["al"]["assael2006"]
_CU = data.load("metals")["cu"]["assael2010"]

liquid_al_density_corr = register(
    Correlation(
        name="liquid_al.density.assael2006",
        quantity="metal.density",
        unit="kg/m3",
        source="assael2006al",
        locator=_AL["locator"],
        func=lambda T: _al(T),
        validity={"T": (_AL["T_min"], _AL["T_max"])},
        description="Liquid Al reference density line (95 % uncertainty 0.65 %).",
        families=("Al",),
        display={"T": _deg_c},
    )
)

liquid_cu_density_corr = register(
    Correlation(
        name="liquid_cu.density.assael2010",
        quantity="metal.density",
        unit="kg/m3",
        source="assael2010cu",
        locator=_CU["locator"],
        func=lambda T: _cu(T),
        validity={"T": (_CU["T_min"], _CU["T_max"])},
        description="Liquid Cu reference density line (95 % uncertainty 1.3 %).",
        families=("Cu",),
        display={"T": _deg_c},
    )
)


def liquid_al_density(T: float) -> PropertyValue:
    """Density of liquid Al (kg/m3) at T (K), Assael et al. 2006."""
    return liquid_al_density_corr(T=T)


def liquid_cu_density(T: float) -> PropertyValue:
    """Density of liquid Cu (kg/m3) at T (K), Assael et al. 2010."""
    return liquid_cu_density_corr(T=T)


# --------------------------------------------------------------------------- alloy model
@lru_cache(maxsize=1)
def _excess_volume_coefficients() -> tuple[float, float, float]:
    """(A0, A1, A2) in m3/mol of the Al-Cu excess volume, fitted to Brillo's lines."""
    b = data.load("metals")["al_cu"]["brillo2016"]
    m_al, m_cu = molar_mass("Al"), molar_mass("Cu")
    rows, rhs = [], []
    for x, c1, c2, t_l in zip(b["x_cu"], b["c1"], b["c2"], b["T_L"], strict=True):
        if x in (0.0, 1.0):
            continue
        for T in (t_l + 50.0, t_l + 150.0):
            rho = c1 - c2 * (T - t_l)
            rho_al, rho_cu = _al(T), _cu(T)
            m = (1 - x) * m_al + x * m_cu
            v_e = m / rho - ((1 - x) * m_al / rho_al + x * m_cu / rho_cu)
            d = (1 - x) - x
            rows.append([(1 - x) * x, (1 - x) * x * d, (1 - x) * x * d * d])
            rhs.append(v_e)
    coef, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    return float(coef[0]), float(coef[1]), float(coef[2])


def _alcu_molar_volume(x_al: float, x_cu: float, T: float) -> float:
    """Molar volume (m3/mol) of the Al-Cu part for mole amounts x_al, x_cu (not normalized)."""
    a0, a1, a2 = _excess_volume_coefficients()
    n = x_al + x_cu
    if n <= 0:
        return 0.0
    ya, yc = x_al / n, x_cu / n
    v_ideal = ya * molar_mass("Al") / _al(T) + yc * molar_mass("Cu") / _cu(T)
    d = ya - yc
    v_e = ya * yc * (a0 + a1 * d + a2 * d * d)
    return n * (v_ideal + v_e)


@lru_cache(maxsize=1)
def _si_partial_volume_coefficients() -> tuple[float, float, float]:
    """Si partial molar volume V_Si = V0 + V1 y_Cu + V2 (T - 1023.15 K) in m3/mol.

    y_Cu = x_Cu / (x_Al + x_Cu). Fitted to the six Kobatake et al. (2014) values
    (3 compositions x 750/800 degC) on top of the Al-Cu model; it carries their ternary
    excess volume.
    """
    k = data.load("metals")["al_cu_si"]["kobatake2014"]
    rows, rhs = [], []
    for w_cu, w_si, rhos in zip(k["wt_cu"], k["wt_si"], k["rho"], strict=True):
        for T, rho in zip(k["T_K"], rhos, strict=True):
            n = _moles({"Cu": w_cu, "Si": w_si})
            mass = sum(n[e] * molar_mass(e) for e in n)
            v_total = mass / rho
            y_cu = n["Cu"] / (n["Al"] + n["Cu"])
            rows.append([n["Si"], n["Si"] * y_cu, n["Si"] * (T - 1023.15)])
            rhs.append(v_total - _alcu_molar_volume(n["Al"], n["Cu"], T))
    coef, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
    return float(coef[0]), float(coef[1]), float(coef[2])


def _moles(comp_wt: Mapping[str, float]) -> dict[str, float]:
    comp = {el: float(w) for el, w in comp_wt.items()}
    for el, w in comp.items():
        if not is_element(el):
            raise ConfigError(f"composition.{el}", f"unknown element {el!r}")
        if w < 0:
            raise ConfigError(f"composition.{el}", f"negative wt % {w}")
    if "Al" not in comp:
        comp["Al"] = max(100.0 - sum(comp.values()), 0.0)
    total = sum(comp.values())
    if total <= 0:
        raise ConfigError("composition", "empty composition")
    return {el: (w / total) / molar_mass(el) for el, w in comp.items()}


def density_rows(N: np.ndarray, elements: Sequence[str], T: np.ndarray) -> np.ndarray:
    """Density (kg/m3) of liquid alloys from element amounts N (S x E, moles on any scale).

    The single implementation of the model (used with one row by `density` and with many
    by the batch engine): Assael end members, Brillo Redlich-Kister excess volume of Al-Cu,
    Kobatake Si partial volume, other solutes at the molar volume of liquid Cu.
    """
    idx = {e: i for i, e in enumerate(elements)}
    T = np.asarray(T, float)
    zero = np.zeros(N.shape[0])
    n_al = N[:, idx["Al"]] if "Al" in idx else zero
    n_cu = N[:, idx["Cu"]] if "Cu" in idx else zero
    a0, a1, a2 = _excess_volume_coefficients()
    nn = n_al + n_cu
    safe = np.where(nn > 0, nn, 1.0)
    ya, yc = n_al / safe, n_cu / safe
    d = ya - yc
    v = np.where(nn > 0, nn * (ya * molar_mass("Al") / _al(T) + yc * molar_mass("Cu") / _cu(T)
                               + ya * yc * (a0 + a1 * d + a2 * d * d)), 0.0)
    if "Si" in idx:
        v0, v1, v2 = _si_partial_volume_coefficients()
        v = v + N[:, idx["Si"]] * (v0 + v1 * yc + v2 * (T - 1023.15))
    others = [i for e, i in idx.items() if e not in ("Al", "Cu", "Si")]
    if others:
        v = v + N[:, others].sum(axis=1) * molar_mass("Cu") / _cu(T)
    mass = (N * np.array([molar_mass(e) for e in elements])).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):  # an emptied alloy has no density
        return mass / v


def _alloy_density(T: float, composition: Mapping[str, float], wt_cu: float = 0.0,
                   wt_si: float = 0.0) -> float:
    n = _moles(composition)
    els = [e for e in n if n[e] > 0] or list(n)
    if n.get("Si", 0.0) > 0:
        cite("kobatake2014alcusi")
    if any(e not in ("Al", "Cu", "Si") for e in els):
        note_assumption("metals.other_solutes")
    cite("assael2006al", "assael2010cu")
    return float(density_rows(np.array([[n[e] for e in els]]), els, np.array([float(T)]))[0])


alloy_density_corr = register(
    Correlation(
        name="alloy.density.brillo_rk",
        quantity="alloy.density",
        unit="kg/m3",
        source="brillo2016",
        locator="Redlich-Kister excess volume fitted in alref to the Al-Cu lines of metals.toml "
        "[al_cu.brillo2016], see alref.properties.alloy_density",
        func=_alloy_density,
        validity={"T": (835.0, 1400.0), "wt_cu": (0.0, 70.2), "wt_si": (0.0, 16.3)},
        description="Liquid Al-Cu(-Si-X) density: Assael end members, Brillo excess volume, "
        "Kobatake Si partial volume.",
        families=("Al-Cu",),
        display={"T": _deg_c},
    )
)


def density(comp_wt: Mapping[str, float], T: float) -> PropertyValue:
    """Density (kg/m3) of the liquid anode alloy of composition `comp_wt` (wt %, Al balance)."""
    wt_cu = float(comp_wt.get("Cu", 0.0))
    wt_si = float(comp_wt.get("Si", 0.0))
    return alloy_density_corr(T=T, composition=comp_wt, wt_cu=wt_cu, wt_si=wt_si)
