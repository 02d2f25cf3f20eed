"""Density of refining electrolytes (kg/m3).

* Additive molar volumes of the pure liquids (CRC/Janz 1988 lines, supercooled below their
  melting points) with a CR-dependent partial molar volume of AlF3 fitted in alref to the
  back-calculated values of data-gaps-physics.md section 1.2, V = a + b/CR. Dissolved
  alumina is density-neutral (labelled assumption).
* Kan et al. (2007) equation for cryolite-based baths, used inside its composition range.
* The NaAlF4-KAlF4 (1:1) equation (J. Chem. Eng. Data 55, 2010), used near its composition.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from alref import data
from alref.citations import cite, note_assumption
from alref.materials import salts
from alref.properties import electrolyte_composition as ec
from alref.properties._electrolyte_common import (
    G_CM3,
    KELVIN,
    check_schema,
    display_for,
    validity_from,
)
from alref.properties.broadcast import broadcasts
from alref.properties.registry import Correlation, PropertyValue, register

_D = data.load("correlations/density")
check_schema(_D, {
    "v_alf3.points": ("CR", "v_cm3_per_mol"),
    "kan2007": ("c0", "c_AlF3", "c_LiF", "c_NaCl", "c_t", "AlF3", "LiF", "NaCl"),
    "nakalf4_kalf4": ("c0", "c_t", "t_C"),
    "nakalf4_kalf4.applicability": ("CR", "na_over_k"),
}, "correlations/density")
_CM3 = 1e-6  # cm3 -> m3


@lru_cache(maxsize=1)
def v_alf3_fit() -> dict[str, float]:
    """Least-squares fit V(AlF3) = a + b/CR (cm3/mol) to the back-calculated points."""
    pts = _D["v_alf3"]["points"]
    cr = np.asarray(pts["CR"], float)
    v = np.asarray(pts["v_cm3_per_mol"], float)
    b, a = np.polyfit(1.0 / cr, v, 1)
    resid = np.abs(a + b / cr - v)
    return {"a": float(a), "b": float(b), "max_abs_residual": float(resid.max())}


def v_alf3(cr: float) -> float:
    """Partial molar volume of AlF3 in m3/mol at molar ratio CR (inf CR -> limit a)."""
    fit = v_alf3_fit()
    cite(_D["v_alf3"]["points"]["source"])
    return (fit["a"] + (fit["b"] / cr if math.isfinite(cr) and cr > 0 else 0.0)) * _CM3


def additive(T: float, CR: float, composition: Mapping[str, float] | None = None) -> float:
    """rho = sum(m_i) / sum(n_i V_i(T)) over non-neutral salts; kg/m3.

    `composition` (wt %, simple salts) is passed as a keyword-only payload; `CR` (total
    alkali fluoride/AlF3) is both the V(AlF3) argument and the range-checked input.
    """
    w = composition or {}
    mass = volume = 0.0
    for s, ws in w.items():
        if ws <= 0:
            continue
        model = salts.density_model(s)
        if model == salts.DENSITY_NEUTRAL:
            note_assumption(f"{s} density-neutral")
            continue
        n = ws / 1000.0 / salts.molar_mass(s)
        v = v_alf3(CR) if model == salts.PARTIAL_MOLAR_VOLUME else salts.molar_volume(s, T)
        mass += ws / 1000.0
        volume += n * v
    return mass / volume if volume > 0 else math.nan


def kan2007(T: float, AlF3: float, LiF: float = 0.0, NaCl: float = 0.0) -> float:
    """Kan et al. (2007): rho = 2.8971 - 0.00307 AlF3 + 0.003041 LiF - 0.00932 NaCl - 0.00085 t."""
    c = _D["kan2007"]
    t = T - KELVIN
    rho = c["c0"] + c["c_AlF3"] * AlF3 + c["c_LiF"] * LiF + c["c_NaCl"] * NaCl + c["c_t"] * t
    return rho * G_CM3


def nakalf4_kalf4(T: float) -> float:
    """Equimolar NaAlF4-KAlF4, alumina-saturated: rho = 2.5321 - 9.598e-4 t(degC) g/cm3."""
    c = _D["nakalf4_kalf4"]
    return (c["c0"] + c["c_t"] * (T - KELVIN)) * G_CM3


ADDITIVE = register(Correlation(
    name="density.additive_molar_volume", quantity="electrolyte.density", unit="kg/m3",
    source="crc_molten_salt_density",
    locator="pure-salt lines in salts.toml; V(AlF3) = a + b/CR fitted in alref to "
            "correlations/density.toml "
            "v_alf3.points, see alref.properties.electrolyte_density.v_alf3_fit",
    func=additive, validity=validity_from(_D["v_alf3"]["validity"]),
    description="additive molar volumes with a CR-dependent AlF3 partial molar volume"))
_kan_validity = validity_from(_D["kan2007"], _D["kan2007"]["validity_t"])
KAN2007 = register(Correlation(
    name="density.kan2007", quantity="electrolyte.density", unit="kg/m3", source="kan2007density",
    locator=_D["kan2007"]["locator"], func=kan2007, validity=_kan_validity,
    families=("cryolite",), display=display_for(_kan_validity),
    description="Kan et al. 2007 cryolite-bath density equation"))
_nk_validity = validity_from(_D["nakalf4_kalf4"])
NAKALF4_KALF4 = register(Correlation(
    name="density.nakalf4_kalf4", quantity="electrolyte.density", unit="kg/m3",
    source="nakalf4_density2010", locator=_D["nakalf4_kalf4"]["locator"], func=nakalf4_kalf4,
    validity=_nk_validity, families=("kf_alf3",), display=display_for(_nk_validity),
    description="NaAlF4-KAlF4 (1:1) density equation"))


def _in(value: float, bounds: list[float]) -> bool:
    return bounds[0] <= value <= bounds[1]


@broadcasts("T")
def density(comp: Mapping[str, float], T: float, family: str | None = None,
            correlation: str | None = None) -> PropertyValue:
    """Bath density in kg/m3 at T in K.

    Kan 2007 for cryolite baths inside its excess-AlF3/LiF/NaCl range (and with no MgF2/KF),
    the NaAlF4-KAlF4 equation near its composition, additive molar volumes otherwise.
    `correlation` may force "additive", "kan2007" or "nakalf4_kalf4".
    """
    fam, w0 = ec.prepare(comp, family)
    T = ec.check_temperature(T)
    w = salts.decompose(w0)
    choice = correlation or _default_choice(fam, w)
    if choice == "kan2007":
        return KAN2007(T=T, AlF3=ec.excess_alf3(w), LiF=w.get("LiF", 0.0), NaCl=w.get("NaCl", 0.0))
    if choice == "nakalf4_kalf4":
        return NAKALF4_KALF4(T=T)
    return ADDITIVE(T=T, CR=ec.total_cryolite_ratio(w), composition=w)


def _default_choice(fam: str, w: Mapping[str, float]) -> str:
    kan = _D["kan2007"]
    if (fam == "cryolite" and _in(ec.excess_alf3(w), kan["AlF3"])
            and _in(w.get("LiF", 0.0), kan["LiF"]) and _in(w.get("NaCl", 0.0), kan["NaCl"])
            and w.get("MgF2", 0.0) == 0 and w.get("KF", 0.0) == 0):
        return "kan2007"
    app = _D["nakalf4_kalf4"]["applicability"]
    n = ec.moles(w)
    if n.get("NaF", 0.0) > 0 and n.get("KF", 0.0) > 0:
        others = sum(v for s, v in w.items() if s not in ("NaF", "KF", "AlF3", "Al2O3"))
        if (others == 0 and _in(ec.total_cryolite_ratio(w), app["CR"])
                and _in(n["NaF"] / n["KF"], app["na_over_k"])):
            return "nakalf4_kalf4"
    return "additive"
