"""Liquidus temperature of refining electrolytes (K).

Cryolite-type: Solheim et al. (1996), with the coefficient choice documented in
``correlations/liquidus.toml`` (0.50 and 0.0936), and the 2014 J. Min. Metall. B equation.
NaCl lowers the primary-cryolite liquidus by 4.5 K per wt % (Matiasovsky & Malinovsky 1961).
KF-AlF3 and LiF-AlF3: linear interpolation in CR over phase-diagram points (labelled
assumptions). Ba-fluoride: Solheim with BaF2/SrF2 as CaF2 mole for mole (the one-foreign-
cation cryoscopic equivalence). Chloride-fluoride (Gadeau/Pechiney): a reference liquidus
bounded by its sources, moved by the cryolite ratio as the NaF-AlF3 binary liquidus moves
and lowered by NaCl as Taniuchi & Sato (1971) measured. Chloride-rich BaCl2-NaCl melts
(solutes up to 5 wt %): the NaCl and BaCl2 fields of the Temkin ideal ionic solution
(``electrolyte_liquidus_temkin``), blended linearly into the Gadeau model up to its field.

Additives without data of their own in a family (MgF2, CaF2, LiF, KF, Al2O3, BaF2 in the
chloride-fluoride, KF-AlF3 and LiF-AlF3 baths) depress the liquidus as they do in the
primary-cryolite field, scaled by (T/T_cryolite)^2 (van 't Hoff) - a labelled analogue
with its own ranges; chlorides with no data at all only warn. The data points the
models are tested against are in ``correlations/bath_points.csv``.
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
from alref.properties import electrolyte_liquidus_temkin as tk
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
    "solheim1996.nacl": ("a_NaCl",),
    "chloride_fluoride": ("t_at_reference_C", "uncertainty_K"),
    "chloride_fluoride.nacl": ("a_NaCl",),
    "chloride_fluoride.band": ("t_min_C", "t_max_C"),
    "cryoscopic_analogue": ("t_cryolite_C",),
    "temkin_chloride": ("t_floor_K", "uncertainty_K"),
    "temkin_chloride.blend": ("solutes_gadeau",),
}, "correlations/liquidus")
for _table in ("kf_alf3", "lif_alf3"):
    _cr, _t = _D[_table]["CR"], _D[_table]["t_C"]
    if len(_cr) != len(_t) or _cr != sorted(_cr):
        raise DataError(f"correlations/liquidus.toml: [{_table}] CR must ascend and match t_C")
_SOLHEIM_ADDITIVES = ("CaF2", "Al2O3", "LiF", "MgF2", "KF")
_ANALOGUE = _D["cryoscopic_analogue"]
#: additives the analogue covers
_ANALOGUE_SALTS = ("CaF2", "MgF2", "KF", "LiF", "Al2O3", "BaF2", "SrF2", "NaCl")
#: salts each family's own terms account for (the rest are analogue additives or others)
_OWN_SALTS = {
    "kf_alf3": ("KF", "NaF", "AlF3"),
    "lif_alf3": ("LiF", "NaF", "AlF3"),
    "chloride_fluoride": ("NaF", "AlF3", "BaCl2", "NaCl"),
}


def solheim1996(AlF3: float, CaF2: float = 0.0, Al2O3: float = 0.0, LiF: float = 0.0,
                MgF2: float = 0.0, KF: float = 0.0, NaCl: float = 0.0) -> float:
    """Solheim et al. (1996) primary-cryolite liquidus; wt %, AlF3 = excess. Returns K.

    NaCl lowers it linearly (Matiasovsky & Malinovsky 1961, 4.5 K per wt %).
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
         + c["a_MgF2"] * MgF2 + c["a_KF"] * KF + c["nacl"]["a_NaCl"] * NaCl)
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


def analogue_shift(t_k: float, additives: Mapping[str, float]) -> float:
    """Liquidus shift (K) of additives (wt %) at a liquidus t_k (K), by the cryolite-field
    slopes scaled by (t_k/T_cryolite)^2; BaF2/SrF2 count as CaF2 mole for mole."""
    slope = dict(_ANALOGUE["slope_K_per_wt"])
    m_ca = salts.molar_mass("CaF2")
    for heavy in ("BaF2", "SrF2"):
        slope[heavy] = slope["CaF2"] * m_ca / salts.molar_mass(heavy)
    scale = (t_k / (_ANALOGUE["t_cryolite_C"] + KELVIN)) ** 2
    return scale * sum(slope.get(s, 0.0) * w for s, w in additives.items())


def kf_alf3(CR: float, CaF2: float = 0.0, MgF2: float = 0.0, LiF: float = 0.0,
            Al2O3: float = 0.0, BaF2: float = 0.0, others: float = 0.0) -> float:
    """KF-AlF3 liquidus by interpolation in CR = (KF+NaF)/AlF3 (assumed phase-diagram
    points), additives by the cryoscopic analogue; `others` (wt %) only range-checked. K."""
    t = _interp(_D["kf_alf3"], CR)
    return t + analogue_shift(t, {"CaF2": CaF2, "MgF2": MgF2, "LiF": LiF, "Al2O3": Al2O3,
                                  "BaF2": BaF2})


def lif_alf3(CR: float, CaF2: float = 0.0, MgF2: float = 0.0, KF: float = 0.0,
             Al2O3: float = 0.0, BaF2: float = 0.0, others: float = 0.0) -> float:
    """LiF-AlF3 liquidus by interpolation in CR = (LiF+NaF)/AlF3 (assumed phase-diagram
    points), additives by the cryoscopic analogue; `others` (wt %) only range-checked. K."""
    t = _interp(_D["lif_alf3"], CR)
    return t + analogue_shift(t, {"CaF2": CaF2, "MgF2": MgF2, "KF": KF, "Al2O3": Al2O3,
                                  "BaF2": BaF2})


def ba_fluoride(AlF3: float, CaF2_equivalent: float, Al2O3: float = 0.0, LiF: float = 0.0,
                MgF2: float = 0.0, NaCl: float = 0.0) -> float:
    """Ba-fluoride bath: Solheim 1996 with BaF2/SrF2 as CaF2 (mole for mole) and NaCl. K.

    AlF3 is the excess AlF3 of the NaF-AlF3 binary with the bath's CR (so the NaF-AlF3 term
    sees the bath's own CR whatever else it holds), the rest in wt % of the whole bath.
    """
    return solheim1996(AlF3=AlF3, CaF2=CaF2_equivalent, Al2O3=Al2O3, LiF=LiF, MgF2=MgF2,
                       NaCl=NaCl)


def binary_excess_alf3(cr: float) -> float:
    """Excess AlF3 (wt %) of the NaF-AlF3 binary melt with molar ratio CR (< 0 if CR > 3)."""
    if not cr > 0:
        return 100.0
    m_naf, m_alf3 = salts.molar_mass("NaF"), salts.molar_mass("AlF3")
    if math.isinf(cr):  # no AlF3: the limit of the expression below
        return -100.0 * m_alf3 / (3.0 * m_naf)
    return 100.0 * (1.0 - cr / 3.0) * m_alf3 / (cr * m_naf + m_alf3)


def naf_alf3_binary(cr: float) -> float:
    """Primary liquidus (K) of the NaF-AlF3 binary at molar ratio CR (Solheim 1996 AlF3
    terms with the eutectic cap; NaF-rich melts, CR > 3, are held at cryolite's)."""
    return solheim1996(AlF3=binary_excess_alf3(cr))


def chloride_fluoride(CR: float, NaCl: float = 0.0, NaF: float = 0.0, BaCl2: float = 0.0,
                      AlF3: float = 0.0, CaF2: float = 0.0, MgF2: float = 0.0,
                      LiF: float = 0.0, KF: float = 0.0, Al2O3: float = 0.0, BaF2: float = 0.0,
                      others: float = 0.0) -> float:
    """Gadeau-type bath: T_ref + CR term + NaCl term + analogue additives. K.

    T_ref (Gadeau bath) is bounded by the sources; the CR term is the NaF-AlF3 binary
    liquidus change from the reference CR scaled by (T_ref/T_b,ref)^2, kept inside the
    700-850 degC band JILM measured for the low-melting field; NaCl lowers the
    liquidus 5 K per wt % (Taniuchi & Sato 1971). NaF, BaCl2, AlF3 and `others` (wt % of
    chlorides without data) are range-checked only.
    """
    c = _D["chloride_fluoride"]
    t_ref = c["t_at_reference_C"] + KELVIN
    t_b_ref = naf_alf3_binary(reference_cr())
    t = t_ref + (t_ref / t_b_ref) ** 2 * (naf_alf3_binary(CR) - t_b_ref)
    band = c["band"]
    t = min(max(t, band["t_min_C"] + KELVIN), band["t_max_C"] + KELVIN)
    t += c["nacl"]["a_NaCl"] * NaCl
    return t + analogue_shift(t, {"CaF2": CaF2, "MgF2": MgF2, "LiF": LiF, "KF": KF,
                                  "Al2O3": Al2O3, "BaF2": BaF2})


def chloride_temkin(solutes: float, composition: tuple[tuple[str, float], ...]) -> float:
    """Chloride-rich melt: the highest NaCl/BaCl2 field of the Temkin ideal ionic solution
    (`solutes`: wt % other than NaCl and BaCl2, range-checked). K."""
    return tk.temkin_liquidus(dict(composition))[0]


def reference_cr() -> float:
    """Cryolite ratio of the chloride-fluoride reference (Gadeau) bath."""
    return ec.cryolite_ratio(_D["chloride_fluoride"]["reference"], "chloride_fluoride")


def chloride_fluoride_uncertainty() -> float:
    """Stated uncertainty (K) of the chloride-fluoride reference liquidus."""
    return float(_D["chloride_fluoride"]["uncertainty_K"])


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
_an = validity_from(_ANALOGUE)
_kf_cr = _D["kf_alf3"]["CR"]
KF_ALF3 = _reg("liquidus.kf_alf3_phase_diagram", kf_alf3,
               {"CR": (_kf_cr[0], _kf_cr[-1]), **_an},
               "assumption", _D["kf_alf3"]["assumption"], "kf_alf3")
_li_cr = _D["lif_alf3"]["CR"]
LIF_ALF3 = _reg("liquidus.lif_alf3_phase_diagram", lif_alf3,
                {"CR": (_li_cr[0], _li_cr[-1]), **_an},
                "assumption", _D["lif_alf3"]["assumption"], "lif_alf3")
BA_FLUORIDE = _reg("liquidus.ba_fluoride_solheim_caf2_equivalent", ba_fluoride,
                   {"AlF3": validity_from(_sol)["AlF3"],
                    "CaF2_equivalent": validity_from(_sol)["CaF2"],
                    "NaCl": validity_from(_sol["nacl"])["NaCl"]},
                   "solheim1996", _D["ba_fluoride"]["assumption"], "ba_fluoride")
CHLORIDE_FLUORIDE = _reg("liquidus.chloride_fluoride_gadeau", chloride_fluoride,
                         {**_an, **validity_from(_D["chloride_fluoride"]["validity"])},
                         "assumption", _D["chloride_fluoride"]["assumption"],
                         "chloride_fluoride")
_tk = _D["temkin_chloride"]
CHLORIDE_TEMKIN = _reg("liquidus.chloride_temkin_ideal", chloride_temkin,
                       {"solutes": tuple(_tk["solutes"])}, "temkin1945", _tk["locator"],
                       "chloride_fluoride")

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
    if fam in ("kf_alf3", "lif_alf3"):
        note_assumption(f"{fam} liquidus points")
        args = _analogue_args(fam, w)
        corr = KF_ALF3 if fam == "kf_alf3" else LIF_ALF3
        return corr(CR=ec.cryolite_ratio(w, fam), **args)
    if fam == "ba_fluoride":
        note_assumption("ba_fluoride liquidus CaF2 equivalence")
        m_ca = salts.molar_mass("CaF2")
        heavy = w.get("BaF2", 0.0) + w.get("SrF2", 0.0)
        ca_eq = (w.get("CaF2", 0.0) + w.get("BaF2", 0.0) * m_ca / salts.molar_mass("BaF2")
                 + w.get("SrF2", 0.0) * m_ca / salts.molar_mass("SrF2"))
        xs_free = binary_excess_alf3(ec.cryolite_ratio(w, fam)) if heavy < 100.0 else math.inf
        return BA_FLUORIDE(AlF3=xs_free, CaF2_equivalent=ca_eq, Al2O3=add["Al2O3"],
                           LiF=add["LiF"], MgF2=add["MgF2"], NaCl=w.get("NaCl", 0.0))
    return _chloride_fluoride(w)


def _chloride_fluoride(w: Mapping[str, float]) -> PropertyValue:
    """Temkin fields where the melt is chloride-rich, the Gadeau model from the edge of its
    field on, linear in the solute wt % between (no jump as the composition moves)."""
    total = sum(w.values())
    solutes = 100.0 * (total - w.get("NaCl", 0.0) - w.get("BaCl2", 0.0)) / total
    lo, hi = _tk["solutes"][1], _tk["blend"]["solutes_gadeau"]
    if solutes < hi:
        tkv = CHLORIDE_TEMKIN(solutes=solutes, composition=tuple(sorted(w.items())))
        if solutes <= lo:
            return tkv
        note_assumption("chloride_fluoride liquidus: Temkin-Gadeau interpolation")
        gad = _gadeau(w)
        f = (solutes - lo) / (hi - lo)
        return PropertyValue((1.0 - f) * tkv.value + f * gad.value, tkv.unit,
                             f"{tkv.correlation}+{gad.correlation}",
                             tkv.warnings + gad.warnings)
    return _gadeau(w)


def _gadeau(w: Mapping[str, float]) -> PropertyValue:
    note_assumption("chloride_fluoride liquidus reference and CR term")
    fam = "chloride_fluoride"
    args = _analogue_args(fam, w)
    return CHLORIDE_FLUORIDE(CR=ec.cryolite_ratio(w, fam), NaCl=w.get("NaCl", 0.0),
                             NaF=w.get("NaF", 0.0), BaCl2=w.get("BaCl2", 0.0),
                             AlF3=w.get("AlF3", 0.0), **args)


def _analogue_args(fam: str, w: Mapping[str, float]) -> dict[str, float]:
    """Analogue additives present in a bath (wt %), and the sum of salts with no data."""
    own = _OWN_SALTS[fam]
    args: dict[str, float] = {}
    others = 0.0
    for s, v in w.items():
        if v <= 0 or s in own:
            continue
        if s in _ANALOGUE_SALTS:
            key = "BaF2" if s == "SrF2" else s
            args[key] = args.get(key, 0.0) + v
        else:
            others += v
    if args:
        note_assumption(f"{fam} liquidus: cryolite-field analogue for {', '.join(sorted(args))}")
    if fam == "chloride_fluoride":
        args = {k: v for k, v in args.items() if k != "NaCl"}
    return {**args, "others": others}
