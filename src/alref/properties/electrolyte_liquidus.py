"""Liquidus temperature of refining electrolytes (K).

Cryolite-type: Solheim et al. (1996), with the coefficient choice documented in
``correlations/liquidus.toml`` (0.50 and 0.0936), and the 2014 J. Min. Metall. B equation.
KF-AlF3 and LiF-AlF3: linear interpolation in CR over phase-diagram points (labelled
assumptions). Ba-fluoride: Solheim with BaF2/SrF2 as CaF2 mole for mole (estimate).
Chloride-fluoride (Gadeau): a documented estimate over the JILM workable range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from alref import data
from alref.citations import note_assumption
from alref.errors import DataError
from alref.materials import salts
from alref.properties import electrolyte_composition as ec
from alref.properties._electrolyte_common import KELVIN, check_schema, display_for, validity_from
from alref.properties.registry import Correlation, PropertyValue, register

_D = data.load("correlations/liquidus")
check_schema(_D, {
    "solheim1996": ("t0", "a_AlF3_lin", "a_AlF3_pow", "p_AlF3", "a_CaF2", "d_CaF2",
                    "a_CaF2_AlF3", "a_CaF2_AlF3_pow", "p_CaF2_AlF3", "a_Al2O3", "d_Al2O3",
                    "d_Al2O3_sq", "d_Al2O3_AlF3", "a_LiF", "d_LiF", "d_LiF_AlF3sq", "a_MgF2",
                    "a_KF"),
    "solheim1996.acidic_cap": ("xs_cap",),
    "jmm2014": ("t0", "AlF3_1", "AlF3_2", "Al2O3_1", "Al2O3_2", "LiF_1", "LiF_2", "KF_1", "KF_2",
                "CaF2_1", "CaF2_2", "AlF3_LiF", "AlF3_KF", "AlF3_CaF2", "Al2O3_LiF"),
    "kf_alf3": ("CR", "t_C"),
    "lif_alf3": ("CR", "t_C"),
    "chloride_fluoride": ("t_at_reference_C", "slope_K_per_wt"),
}, "correlations/liquidus")
for _table in ("kf_alf3", "lif_alf3"):
    _cr, _t = _D[_table]["CR"], _D[_table]["t_C"]
    if len(_cr) != len(_t) or _cr != sorted(_cr):
        raise DataError(f"correlations/liquidus.toml: [{_table}] CR must ascend and match t_C")
_SOLHEIM_ADDITIVES = ("CaF2", "Al2O3", "LiF", "MgF2", "KF")


def solheim1996(AlF3: float, CaF2: float = 0.0, Al2O3: float = 0.0, LiF: float = 0.0,
                MgF2: float = 0.0, KF: float = 0.0, NaCl: float = 0.0) -> float:
    """Solheim et al. (1996) primary-cryolite liquidus; wt %, AlF3 = excess. Returns K.

    NaCl has no term; it is accepted only so that its presence is flagged as out of range.
    Excess AlF3 beyond ``acidic_cap.xs_cap`` (the NaF-AlF3 eutectic) is capped there.
    """
    c = _D["solheim1996"]
    a = min(max(AlF3, 0.0), c["acidic_cap"]["xs_cap"])
    t = (c["t0"] + c["a_AlF3_lin"] * a + c["a_AlF3_pow"] * a ** c["p_AlF3"]
         + c["a_CaF2"] * CaF2 / (1.0 + c["d_CaF2"] * CaF2)
         + c["a_CaF2_AlF3"] * CaF2 * a + c["a_CaF2_AlF3_pow"] * (CaF2 * a) ** c["p_CaF2_AlF3"]
         + c["a_Al2O3"] * Al2O3 / (1.0 + c["d_Al2O3"] * Al2O3 + c["d_Al2O3_sq"] * Al2O3**2
                                   + c["d_Al2O3_AlF3"] * a * Al2O3)
         + c["a_LiF"] * LiF / (1.0 + c["d_LiF"] * LiF + c["d_LiF_AlF3sq"] * a**2)
         + c["a_MgF2"] * MgF2 + c["a_KF"] * KF)
    return t + KELVIN


def jmm2014(AlF3: float, CR: float, Al2O3: float = 0.0, LiF: float = 0.0, KF: float = 0.0,
            CaF2: float = 0.0) -> float:
    """J. Min. Metall. B (2014) liquidus regression (wt %, AlF3 = excess); CR range-checked. K."""
    c = _D["jmm2014"]
    t = (c["t0"] + c["AlF3_1"] * AlF3 + c["AlF3_2"] * AlF3**2 + c["Al2O3_1"] * Al2O3
         + c["Al2O3_2"] * Al2O3**2 + c["LiF_1"] * LiF + c["LiF_2"] * LiF**2 + c["KF_1"] * KF
         + c["KF_2"] * KF**2 + c["CaF2_1"] * CaF2 + c["CaF2_2"] * CaF2**2
         + c["AlF3_LiF"] * AlF3 * LiF + c["AlF3_KF"] * AlF3 * KF + c["AlF3_CaF2"] * AlF3 * CaF2
         + c["Al2O3_LiF"] * Al2O3 * LiF)
    return t + KELVIN


def _interp(table: Mapping[str, list[float]], cr: float) -> float:
    return float(np.interp(cr, table["CR"], table["t_C"])) + KELVIN


def kf_alf3(CR: float) -> float:
    """KF-AlF3 liquidus by interpolation in CR = KF/AlF3 (assumed phase-diagram points). K."""
    return _interp(_D["kf_alf3"], CR)


def lif_alf3(CR: float) -> float:
    """LiF-AlF3 liquidus by interpolation in CR = LiF/AlF3 (assumed phase-diagram points). K."""
    return _interp(_D["lif_alf3"], CR)


def ba_fluoride(AlF3: float, CaF2_equivalent: float, Al2O3: float = 0.0, LiF: float = 0.0,
                MgF2: float = 0.0) -> float:
    """Ba-fluoride bath estimate: Solheim 1996 with BaF2/SrF2 as CaF2 (mole for mole). K.

    AlF3 is the excess AlF3 in wt % of the BaF2/SrF2-free part of the bath (so the NaF-AlF3
    term sees the bath's own CR), CaF2_equivalent in wt % of the whole bath.
    """
    return solheim1996(AlF3=AlF3, CaF2=CaF2_equivalent, Al2O3=Al2O3, LiF=LiF, MgF2=MgF2)


def chloride_fluoride(distance: float, NaF: float = 0.0, BaCl2: float = 0.0,
                      AlF3: float = 0.0) -> float:
    """Gadeau-bath estimate: t_ref + slope * distance (wt %) from the Gadeau composition. K."""
    c = _D["chloride_fluoride"]
    return c["t_at_reference_C"] + c["slope_K_per_wt"] * distance + KELVIN


def _reg(name: str, func, validity: dict, source: str, locator: str, family: str) -> Correlation:
    return register(Correlation(
        name=name, quantity="electrolyte.liquidus", unit="K", source=source, locator=locator,
        func=func, validity=validity, families=(family,), display=display_for(validity),
        description=(func.__doc__ or "").split("\n")[0]))


_sol = _D["solheim1996"]
SOLHEIM1996 = _reg("liquidus.solheim1996", solheim1996,
                   validity_from(_sol, _sol["coefficient_choice"]), "solheim1996",
                   _sol["locator"] + "; coefficients 0.50/0.0936 chosen, see liquidus.toml",
                   "cryolite")
JMM2014 = _reg("liquidus.jmm2014", jmm2014, validity_from(_D["jmm2014"]), "liquidus2014jmm",
               _D["jmm2014"]["locator"], "cryolite")
_kf_cr = _D["kf_alf3"]["CR"]
KF_ALF3 = _reg("liquidus.kf_alf3_phase_diagram", kf_alf3, {"CR": (_kf_cr[0], _kf_cr[-1])},
               "assumption", _D["kf_alf3"]["assumption"], "kf_alf3")
_li_cr = _D["lif_alf3"]["CR"]
LIF_ALF3 = _reg("liquidus.lif_alf3_phase_diagram", lif_alf3, {"CR": (_li_cr[0], _li_cr[-1])},
                "assumption", _D["lif_alf3"]["assumption"], "lif_alf3")
BA_FLUORIDE = _reg("liquidus.ba_fluoride_solheim_caf2_equivalent", ba_fluoride,
                   {"AlF3": validity_from(_sol)["AlF3"],
                    "CaF2_equivalent": validity_from(_sol)["CaF2"]},
                   "solheim1996", _D["ba_fluoride"]["assumption"], "ba_fluoride")
CHLORIDE_FLUORIDE = _reg("liquidus.chloride_fluoride_estimate", chloride_fluoride,
                         validity_from(_D["chloride_fluoride"]["validity"]), "assumption",
                         _D["chloride_fluoride"]["assumption"], "chloride_fluoride")

CRYOLITE_CHOICES = {"solheim1996": SOLHEIM1996, "jmm2014": JMM2014}


def liquidus(comp: Mapping[str, float], family: str | None = None,
             correlation: str | None = None) -> PropertyValue:
    """Liquidus temperature in K of a bath (wt % of salts).

    `correlation` (cryolite family) may force "solheim1996" (default) or "jmm2014".
    """
    fam, w0 = ec.prepare(comp, family)
    w = salts.decompose(w0)
    xs = ec.excess_alf3(w)
    add = {s: w.get(s, 0.0) for s in _SOLHEIM_ADDITIVES}
    if fam == "cryolite":
        if correlation == "jmm2014":
            return JMM2014(AlF3=xs, CR=ec.cryolite_ratio(w, fam),
                           **{s: add[s] for s in ("Al2O3", "LiF", "KF", "CaF2")})
        return SOLHEIM1996(AlF3=xs, NaCl=w.get("NaCl", 0.0), **add)
    if fam == "kf_alf3":
        note_assumption("kf_alf3 liquidus points")
        return KF_ALF3(CR=ec.cryolite_ratio(w, fam))
    if fam == "lif_alf3":
        note_assumption("lif_alf3 liquidus points")
        return LIF_ALF3(CR=ec.cryolite_ratio(w, fam))
    if fam == "ba_fluoride":
        note_assumption("ba_fluoride liquidus CaF2 equivalence")
        m_ca = salts.molar_mass("CaF2")
        heavy = w.get("BaF2", 0.0) + w.get("SrF2", 0.0)
        ca_eq = (w.get("CaF2", 0.0) + w.get("BaF2", 0.0) * m_ca / salts.molar_mass("BaF2")
                 + w.get("SrF2", 0.0) * m_ca / salts.molar_mass("SrF2"))
        xs_free = xs * 100.0 / (100.0 - heavy) if heavy < 100.0 else math.inf
        return BA_FLUORIDE(AlF3=xs_free, CaF2_equivalent=ca_eq, Al2O3=add["Al2O3"],
                           LiF=add["LiF"], MgF2=add["MgF2"])
    note_assumption("chloride_fluoride liquidus estimate")
    ref = _D["chloride_fluoride"]["reference"]
    keys = set(ref) | {s for s, v in w.items() if v > 0}
    dist = math.sqrt(sum((w.get(s, 0.0) - ref.get(s, 0.0)) ** 2 for s in keys))
    return CHLORIDE_FLUORIDE(distance=dist, NaF=w.get("NaF", 0.0), BaCl2=w.get("BaCl2", 0.0),
                             AlF3=w.get("AlF3", 0.0))
