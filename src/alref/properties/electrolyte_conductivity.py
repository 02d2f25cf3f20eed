"""Electrical conductivity of refining electrolytes (S/m), one cited correlation per model.

Cryolite-type baths: Hives et al. 1996 (ln kappa, wt %), Hives et al. 1993 (mole fractions),
the Wang/Hertzberg bath-weight-ratio equation used by Yao et al. 2017, and the Chrenkova
low-melting-bath equation (default for acidic or < 940 degC baths). Ba-fluoride baths: an
Arrhenius line fitted in alref to the JILM 24(5) Hurter/Sumitomo points
(``correlations/bath_points.csv``). Chloride-fluoride, KF-AlF3 and LiF-AlF3 baths:
Arrhenius anchors on labelled assumptions (no numbers seen).

Composition away from each non-cryolite family's reference bath moves the conductivity
by exp(sum b_i dw_i) with the Hives 1996 wt % coefficients: excess AlF3 (over the
family's hexafluoroaluminates) lowers it (JILM 24(5): almost linearly, in the
NaF-CaF2-BaF2-AlF3 baths), MgF2, CaF2 (and BaF2/SrF2 per mole as CaF2) and Al2O3 lower
it, LiF raises it; NaCl adds 0.024 S/cm per wt % (Kan 2007). Coefficients live in
``alref/data/correlations/conductivity.toml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
from scipy.constants import R

from alref import data
from alref.citations import cite, note_assumption
from alref.materials import salts
from alref.properties import electrolyte_composition as ec
from alref.properties._electrolyte_common import (
    KELVIN,
    S_PER_CM,
    check_schema,
    display_for,
    validity_from,
)
from alref.properties.broadcast import broadcasts
from alref.properties.registry import Correlation, PropertyValue, register

_D = data.load("correlations/conductivity")
_HIVES_TERMS = ("Al2O3", "AlF3", "CaF2", "MgF2", "KF", "LiF")
_ANCHOR = ("kappa_ref_S_per_cm", "t_ref_C")
check_schema(_D, {
    "hives1996": ("intercept", "activation_K", *(f"b_{s}" for s in _HIVES_TERMS)),
    "hives1993": ("a", "activation_K", "c_Al2O3", "c_CaF2", "c_MgF2", "c_Al2O3_CaF2",
                  "c_Al2O3_MgF2"),
    "yao2017": ("intercept", "b_BWR", "b_CaF2", "b_Al2O3", "b_LiF", "b_MgF2", "activation_K"),
    "chrenkova": ("c0", "c_t", "c_tt", "c_AlF3_AlF3", "c_AlF3_t", "c_LiF", "c_LiF_LiF",
                  "c_Al2O3_t", "c_AlF3_LiF", "c_AlF3_Al2O3", "c_AlF3_LiF_Al2O3"),
    "kan2007": ("d_NaCl",),
    "ba_fluoride.composition": ("max_deviation_wt",),
    "chloride_fluoride": (*_ANCHOR, "activation_energy_J_per_mol"),
    "kf_alf3": (*_ANCHOR, "activation_K"),
    "lif_alf3": (*_ANCHOR, "activation_K"),
}, "correlations/conductivity")


def hives1996(T: float, AlF3: float, CaF2: float = 0.0, Al2O3: float = 0.0, MgF2: float = 0.0,
              LiF: float = 0.0, KF: float = 0.0) -> float:
    """Hives et al. (1996): ln kappa[S/cm] = 1.977 - 0.0200 Al2O3 - 0.0131 AlF3 - ... - 1204.3/T.

    wt % of bath, AlF3 = excess AlF3, T in K. Returns S/m.
    """
    c = _D["hives1996"]
    w = {"AlF3": AlF3, "CaF2": CaF2, "Al2O3": Al2O3, "MgF2": MgF2, "LiF": LiF, "KF": KF}
    ln_k = c["intercept"] + sum(c[f"b_{s}"] * w[s] for s in _HIVES_TERMS) - c["activation_K"] / T
    return math.exp(ln_k) * S_PER_CM


def hives1993(T: float, x_Al2O3: float = 0.0, x_CaF2: float = 0.0, x_MgF2: float = 0.0,
              AlF3: float = 0.0) -> float:
    """Hives et al. (1993), Electrochim. Acta 38, 2165 (mole fractions, Na3AlF6 basis). S/m."""
    c = _D["hives1993"]
    k = (c["a"] * math.exp(-c["activation_K"] / T) + c["c_Al2O3"] * x_Al2O3 + c["c_CaF2"] * x_CaF2
         + c["c_MgF2"] * x_MgF2 + c["c_Al2O3_CaF2"] * x_Al2O3 * x_CaF2
         + c["c_Al2O3_MgF2"] * x_Al2O3 * x_MgF2)
    return k * S_PER_CM


def yao2017(T: float, BWR: float, CaF2: float = 0.0, Al2O3: float = 0.0, LiF: float = 0.0,
            MgF2: float = 0.0) -> float:
    """Wang/Hertzberg-type BWR equation as used by Yao et al. (2017). BWR = CR/2. S/m."""
    c = _D["yao2017"]
    ln_k = (c["intercept"] + c["b_BWR"] * BWR + c["b_CaF2"] * CaF2 + c["b_Al2O3"] * Al2O3
            + c["b_LiF"] * LiF + c["b_MgF2"] * MgF2 - c["activation_K"] / T)
    return math.exp(ln_k) * S_PER_CM


def chrenkova(T: float, AlF3: float, LiF: float = 0.0, Al2O3: float = 0.0, CaF2: float = 0.0,
              MgF2: float = 0.0, KF: float = 0.0) -> float:
    """Chrenkova et al., low-melting baths: polynomial in t (degC), excess AlF3, LiF, Al2O3.

    CaF2, MgF2 and KF are accepted only so that their presence is range-checked (the
    equation has no terms for them). Returns S/m.
    """
    c = _D["chrenkova"]
    t = T - KELVIN
    k = (c["c0"] + c["c_t"] * t + c["c_tt"] * t * t + c["c_AlF3_AlF3"] * AlF3**2
         + c["c_AlF3_t"] * AlF3 * t + c["c_LiF"] * LiF + c["c_LiF_LiF"] * LiF**2
         + c["c_Al2O3_t"] * Al2O3 * t + c["c_AlF3_LiF"] * AlF3 * LiF
         + c["c_AlF3_Al2O3"] * AlF3 * Al2O3 + c["c_AlF3_LiF_Al2O3"] * AlF3 * LiF * Al2O3)
    return k * S_PER_CM


def arrhenius_fit(t_k: np.ndarray, kappa: np.ndarray) -> tuple[float, float]:
    """Least-squares fit of ln kappa = ln A - B/T; returns (A, B) in the units of kappa, K."""
    slope, intercept = np.polyfit(1.0 / t_k, np.log(kappa), 1)
    return float(math.exp(intercept)), float(-slope)


@lru_cache(maxsize=1)
def ba_fluoride_fit() -> dict[str, float]:
    """Arrhenius line (S/cm, K) through the JILM 24(5) Hurter and Sumitomo bath points."""
    from alref.properties.bath_points import points

    pts = points(family="ba_fluoride", quantity="conductivity_S_per_cm", kind="fit")
    t = np.array([p.t_c for p in pts]) + KELVIN
    k = np.array([p.value for p in pts])
    a, b = arrhenius_fit(t, k)
    resid = np.abs(a * np.exp(-b / t) / k - 1.0)
    return {"A": a, "B": b, "max_rel_residual": float(resid.max())}


def composition_factor(deltas: Mapping[str, float]) -> float:
    """exp(sum b_i dw_i) with Hives 1996 wt % coefficients; BaF2/SrF2 per mole as CaF2."""
    c = _D["hives1996"]
    b = {s: c[f"b_{s}"] for s in _HIVES_TERMS}
    m_ca = salts.molar_mass("CaF2")
    b["BaF2"] = b["CaF2"] * m_ca / salts.molar_mass("BaF2")
    b["SrF2"] = b["CaF2"] * m_ca / salts.molar_mass("SrF2")
    return math.exp(sum(b.get(s, 0.0) * dw for s, dw in deltas.items()))


def ba_fluoride(T: float, deviation: float = 0.0, factor: float = 1.0, NaCl: float = 0.0) -> float:
    """Ba-fluoride bath: kappa = A exp(-B/T) * factor + 0.024 NaCl (S/cm -> S/m).

    `factor` carries the composition departure from the family default (Hives 1996 wt %
    coefficients); `deviation` is the largest |dw| in wt % (range-checked only).
    """
    fit = ba_fluoride_fit()
    k = fit["A"] * math.exp(-fit["B"] / T) * factor + _D["kan2007"]["d_NaCl"] * NaCl
    return k * S_PER_CM


def _arrhenius_anchor(table: Mapping[str, float], T: float) -> float:
    """kappa_ref exp(-B (1/T - 1/T_ref)) in S/cm, B from activation_K or Ea/R."""
    b = table.get("activation_K")
    if b is None:
        b = table["activation_energy_J_per_mol"] / R
    t_ref = table["t_ref_C"] + KELVIN
    return table["kappa_ref_S_per_cm"] * math.exp(-b * (1.0 / T - 1.0 / t_ref))


def chloride_fluoride(T: float, NaCl: float = 0.0, NaF: float = 0.0, BaCl2: float = 0.0,
                      AlF3: float = 0.0, factor: float = 1.0, deviation: float = 0.0) -> float:
    """Gadeau-type bath: assumed Arrhenius anchor x composition factor + Kan NaCl. S/m.

    `factor` = exp(sum b_i dw_i) from the reference bath (Hives 1996 coefficients);
    NaF, BaCl2, AlF3 (wt %) and `deviation` (largest |dw| of the factor's measures) are
    range-checked only.
    """
    k = (_arrhenius_anchor(_D["chloride_fluoride"], T) * factor
         + _D["kan2007"]["d_NaCl"] * NaCl)
    return k * S_PER_CM


def kf_alf3(T: float, CR: float, factor: float = 1.0, deviation: float = 0.0) -> float:
    """KF-AlF3 bath: assumed Arrhenius anchor x composition factor (CR range-checked). S/m."""
    return _arrhenius_anchor(_D["kf_alf3"], T) * factor * S_PER_CM


def lif_alf3(T: float, CR: float, factor: float = 1.0, deviation: float = 0.0) -> float:
    """LiF-AlF3 bath: assumed Arrhenius anchor x composition factor (CR range-checked). S/m."""
    return _arrhenius_anchor(_D["lif_alf3"], T) * factor * S_PER_CM


def _reg(name: str, func, table: str, *validity_tables, source: str | None = None,
         locator: str | None = None, family: str = "", description: str = "") -> Correlation:
    t = _D[table]
    validity = validity_from(t, *validity_tables)
    src = source or t.get("source", "assumption")
    loc = locator or t.get("locator", t.get("assumption", ""))
    return register(Correlation(
        name=name, quantity="electrolyte.conductivity", unit="S/m", source=src, locator=loc,
        func=func, validity=validity,
        description=description or (func.__doc__ or "").split("\n")[0],
        families=(family,) if family else (), display=display_for(validity)))


HIVES1996 = _reg("conductivity.hives1996", hives1996, "hives1996", _D["hives1996"]["validity"],
                 _D["hives1996"]["validity_additives"], family="cryolite")
HIVES1993 = _reg("conductivity.hives1993", hives1993, "hives1993",
                 _D["hives1993"]["validity_excess"], family="cryolite")
YAO2017 = _reg("conductivity.yao2017_bwr", yao2017, "yao2017", _D["yao2017"]["validity"],
               family="cryolite")
CHRENKOVA = _reg("conductivity.chrenkova", chrenkova, "chrenkova", _D["chrenkova"]["validity"],
                 family="cryolite")
BA_FLUORIDE = _reg(
    "conductivity.ba_fluoride_arrhenius", ba_fluoride, "ba_fluoride",
    {**_D["ba_fluoride"]["validity"],
     "deviation": [0.0, _D["ba_fluoride"]["composition"]["max_deviation_wt"]]},
    source="jilm1974conductivity",
    locator="Arrhenius fitted in alref to the Hurter/Sumitomo points in "
            "correlations/conductivity.toml, "
            "see alref.properties.electrolyte_conductivity.ba_fluoride_fit",
    family="ba_fluoride")
_DEV = {"deviation": [0.0, _D["ba_fluoride"]["composition"]["max_deviation_wt"]]}
CHLORIDE_FLUORIDE = _reg(
    "conductivity.chloride_fluoride_assumed", chloride_fluoride, "chloride_fluoride",
    _D["chloride_fluoride"]["validity"], _DEV, source="assumption",
    locator=_D["chloride_fluoride"]["assumption"], family="chloride_fluoride")
KF_ALF3 = _reg("conductivity.kf_alf3_assumed", kf_alf3, "kf_alf3", _D["kf_alf3"]["validity"],
               _DEV, source="assumption", locator=_D["kf_alf3"]["assumption"], family="kf_alf3")
LIF_ALF3 = _reg("conductivity.lif_alf3_assumed", lif_alf3, "lif_alf3", _D["lif_alf3"]["validity"],
                _DEV, source="assumption", locator=_D["lif_alf3"]["assumption"], family="lif_alf3")

CRYOLITE_CHOICES = {"hives1996": HIVES1996, "hives1993": HIVES1993, "yao2017": YAO2017,
                    "chrenkova": CHRENKOVA}


def _cryolite_inputs(w: Mapping[str, float]) -> dict[str, float]:
    return {"AlF3": ec.excess_alf3(w), **{s: w.get(s, 0.0) for s in _HIVES_TERMS if s != "AlF3"}}


def _default_cryolite(w: Mapping[str, float], T: float) -> Correlation:
    """Chrenkova below the Hives range (acidic or < 940 degC), Hives 1996 otherwise."""
    lo_t = HIVES1996.validity["T"][0]
    hi_xs = HIVES1996.validity["AlF3"][1]
    return CHRENKOVA if (lo_t > T or ec.excess_alf3(w) > hi_xs) else HIVES1996


@broadcasts("T")
def conductivity(comp: Mapping[str, float], T: float, family: str | None = None,
                 correlation: str | None = None) -> PropertyValue:
    """Electrical conductivity in S/m of a bath (wt % of salts) at T in K.

    `correlation` (cryolite family only) forces one of hives1996, hives1993, yao2017,
    chrenkova; by default Chrenkova is used for acidic/low-temperature baths.
    """
    fam, w0 = ec.prepare(comp, family)
    T = ec.check_temperature(T)
    w = salts.decompose(w0)
    if fam == "cryolite":
        corr = CRYOLITE_CHOICES[correlation] if correlation else _default_cryolite(w, T)
        if corr is HIVES1993:
            x = ec.mole_fractions_cryolite_basis(w)
            return corr(T=T, x_Al2O3=x.get("Al2O3", 0.0), x_CaF2=x.get("CaF2", 0.0),
                        x_MgF2=x.get("MgF2", 0.0), AlF3=ec.excess_alf3(w))
        if corr is YAO2017:
            bwr = ec.cryolite_ratio(w, "cryolite") / 2.0
            adds = {s: w.get(s, 0.0) for s in ("CaF2", "Al2O3", "LiF", "MgF2")}
            return corr(T=T, BWR=bwr, **adds)
        value = corr(T=T, **_cryolite_inputs(w))
        if w.get("NaCl", 0.0) > 0:  # Kan 2007 increment, outside both equations' terms
            cite(_D["kan2007"]["source"])
            extra = _D["kan2007"]["d_NaCl"] * w["NaCl"] * S_PER_CM
            return PropertyValue(value.value + extra, value.unit, value.correlation, value.warnings)
        return value
    factor, deviation = _family_factor(fam, w)
    if fam == "ba_fluoride":
        note_assumption("ba_fluoride conductivity composition scaling")
        return BA_FLUORIDE(T=T, deviation=deviation, factor=factor, NaCl=w.get("NaCl", 0.0))
    note_assumption(f"{fam} conductivity anchor and composition scaling")
    if fam == "chloride_fluoride":
        main = {s: w.get(s, 0.0) for s in ("NaCl", "NaF", "BaCl2", "AlF3")}
        return CHLORIDE_FLUORIDE(T=T, factor=factor, deviation=deviation, **main)
    corr = KF_ALF3 if fam == "kf_alf3" else LIF_ALF3
    return corr(T=T, CR=ec.cryolite_ratio(w, fam), factor=factor, deviation=deviation)


def _family_factor(fam: str, w: Mapping[str, float]) -> tuple[float, float]:
    """(exp(sum b_i dw_i), max |dw_i|) of a bath against its family's reference bath."""
    ref = _REFERENCE.get(fam) or ec.families()[fam].default_composition
    ref_x, x = _measures(fam, salts.decompose(ref)), _measures(fam, w)
    deltas = {s: x.get(s, 0.0) - ref_x.get(s, 0.0) for s in set(ref_x) | set(x)}
    return composition_factor(deltas), max((abs(d) for d in deltas.values()), default=0.0)


#: reference baths of the conductivity anchors where they differ from the family default
_REFERENCE = {"chloride_fluoride": {"NaF": 17.0, "AlF3": 23.0, "BaCl2": 60.0}}


def _measures(fam: str, w: Mapping[str, float]) -> dict[str, float]:
    """wt % measures of the composition scaling: excess AlF3 over the family's
    hexafluoroaluminates and the additives (a family's own alkali fluorides excluded)."""
    own = set(ec.CR_CATIONS[fam])
    out = {s: w.get(s, 0.0) for s in ("CaF2", "Al2O3", "MgF2", "LiF", "KF", "BaF2", "SrF2")
           if s not in own}
    m_alf3 = salts.molar_mass("AlF3")
    bound = sum(w.get(c, 0.0) * m_alf3 / (3.0 * salts.molar_mass(c)) for c in own)
    out["AlF3"] = w.get("AlF3", 0.0) - bound
    return out
