"""Numbers behind docs/research/impurity-transfer.md (research aid, not engine code).

Run from the worktree with the project venv:

    python research/scripts/impurity_numbers.py > /tmp/impurity_numbers.md

Every number printed here comes from alref's own data (`alref.thermo` Gibbs energies,
COST 507 activities, the presets) or from the parameter ranges quoted in the research
doc; the script only combines them with the formulas of that doc (section numbers in
the headings). Nothing here is imported by alref.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.constants import R, physical_constants

from alref.materials.elements import molar_mass
from alref.thermo import gibbs, series
from alref.thermo.activity import activity_al, gamma_infinite_dilution

warnings.simplefilter("ignore")
F = physical_constants["Faraday constant"][0]
M_AL = molar_mass("Al")
SPECIES = ["Fe", "Si", "Cu", "Zn", "Mn", "Ni", "Ti", "Cr", "Pb", "Ga", "V", "Mg", "Li", "Na"]
TEMPS_C = (750.0, 800.0, 900.0)


def table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def series_table() -> str:
    rows = []
    for el in SPECIES:
        row = [el]
        for bath in ("fluoride", "chloride"):
            comp, _ = series.per_equivalent_gibbs(el, 1023.15, bath)
            z = series.valence(comp, bath)
            row.append(f"{comp} ({z})")
            row += [f"{series.delta_e_vs_al(el, t + 273.15, bath):+.3f}" for t in TEMPS_C]
        rows.append(row)
    head = ["el", "fluoride (z)"] + [f"dE F {t:.0f}" for t in TEMPS_C] + \
        ["chloride (z)"] + [f"dE Cl {t:.0f}" for t in TEMPS_C]
    return table(head, rows)


def reaction_dg(t_k: float, bath: str) -> str:
    """dG (kJ per reaction as written) of n MXz + z Al = z AlX3 + n M, written with the
    smallest integers (e.g. 3 FeF2 + 2 Al = 2 AlF3 + 3 Fe)."""
    x = "F" if bath == "fluoride" else "Cl"
    al_x = "AlF3" if bath == "fluoride" else "AlCl3"
    rows = []
    for el in SPECIES:
        comp, _ = series.per_equivalent_gibbs(el, t_k, bath)
        z = series.valence(comp, bath)
        g = math.gcd(3, z)
        n_m, n_al = 3 // g, z // g  # n_m MXz + n_al Al -> n_al AlX3 + n_m M
        dg_m = gibbs.delta_g_formation(comp, t_k)
        dg_al = gibbs.delta_g_formation(al_x if bath == "fluoride" else "AlCl3", t_k)
        dg = n_al * dg_al - n_m * dg_m
        k = math.exp(-dg / (R * t_k))
        def term(n: int, s: str) -> str:
            return f"{n} {s}" if n > 1 else s

        lhs = f"{term(n_m, comp)} + {term(n_al, 'Al')}"
        rhs = f"{term(n_al, al_x)} + {term(n_m, el)}"
        rows.append([f"{lhs} = {rhs}", f"{dg / 1e3:+.0f}",
                     f"{math.log10(k):+.1f}" if k > 0 else "-inf"])
    del x
    return table(["reaction", "dG° kJ", "log10 K"], rows)


def fusion_correction(el: str, t_k: float) -> float:
    """G(liquid) - G(stable solid) of the pure element at t_k (J/mol), approximated by
    dH_m (1 - T/T_m) with dH_m from alref's metals_thermal data (liquid minus solid
    enthalpy at T_m). Zero where the element is liquid at t_k or has no data."""
    from alref.properties import thermal

    try:
        sp = thermal._get(el, "element")
    except Exception:
        return float("nan")
    tm = sp.T_melt
    if t_k >= tm:
        return 0.0
    try:
        h_l = thermal._eval(sp.liquid, tm, "liquid", "h")
        h_s = thermal._eval(sp.solid, tm - 1e-6, "solid", "h")
    except Exception:
        return float("nan")
    return (h_l - h_s) * (1.0 - t_k / tm)


def codissolution_table(t_k: float = 1073.15, j: float = 5000.0, k_b: float = 1.0e-5,
                        a_alx: float = 0.1, rho_b: float = 2700.0, m_b: float = 0.085) -> str:
    """Transfer ratio tau_M = (w_M product)/(w_M anode) by anodic co-dissolution at a
    Nernstian anode interface (fast kinetics), Al-33Cu with 1 wt % M, bath side film k_b,
    all dissolved M deposited at the cathode (section 3.3, eq. A5)."""
    rows = []
    c_b = rho_b / m_b  # mol of salt per m3 (order of magnitude)
    for bath in ("fluoride", "chloride"):
        for el in SPECIES:
            comp, _ = series.per_equivalent_gibbs(el, t_k, bath)
            z = series.valence(comp, bath)
            k_ex = series.exchange_constant(el, t_k, bath)
            wt = {"Cu": 33.0, el: 1.0} if el != "Cu" else {"Cu": 33.0}
            try:
                gam = gamma_infinite_dilution({"Cu": 33.0}, t_k, el) if el != "Cu" else 0.014
            except Exception:
                gam = 1.0
            a_al = activity_al(wt if el in ("Fe", "Si", "Zn", "Mn", "Ti", "Cr", "V", "Mg",
                                            "Li", "Ni") else {"Cu": 33.0}, t_k)
            # mole fraction of M in the alloy
            n = {e: w / molar_mass(e) for e, w in {**wt, "Al": 100 - sum(wt.values())}.items()}
            x_m = n.get(el, 0.0) / sum(n.values()) if el != "Cu" else n["Cu"] / sum(n.values())
            dg_fus = fusion_correction(el, t_k)
            lat = 1.0 if math.isnan(dg_fus) else math.exp(dg_fus / (R * t_k))
            a_m = gam * x_m * lat
            x_bs = k_ex * (a_alx / a_al) ** (z / 3.0) * a_m  # gamma of the salt = 1
            n_m = k_b * c_b * x_bs  # mol/m2/s
            n_al = j / (3 * F)
            w_prod = n_m * molar_mass(el) / (n_al * M_AL)
            w_anode = (1.0 if el != "Cu" else 33.0) / 100.0
            tau = w_prod / w_anode
            rows.append([bath, el, f"{gam:.3g}", f"{lat:.3g}", f"{math.log10(max(tau, 1e-300)):+.1f}"])
    return table(["bath", "el", "gamma(l) in Al-33Cu", "lattice factor", "log10 tau"], rows)


def mixed_bath_nobility(t_k: float = 1073.15) -> str:
    """Apparent nobility vs Al in a chloride-fluoride bath by ligand competition
    (section 3.2, eq. T4): each cation takes the mix of F and Cl that minimises its
    per-equivalent Gibbs energy, with the fluoride-for-chloride exchange potential of
    the solvent, d_mu = (g_NaF - g_NaCl) + RT ln(a_NaF / a_NaCl)."""
    rt = R * t_k
    g_naf = series.per_equivalent_gibbs("Na", t_k, "fluoride")[1]
    g_nacl = series.per_equivalent_gibbs("Na", t_k, "chloride")[1]

    def g_eff(el: str, log_r: float) -> float:
        d_mu = (g_naf - g_nacl) + rt * math.log(10.0) * log_r
        gf = series.per_equivalent_gibbs(el, t_k, "fluoride")[1] - d_mu
        gc = series.per_equivalent_gibbs(el, t_k, "chloride")[1]
        m = min(gf, gc)
        return m - rt * math.log(math.exp(-(gf - m) / rt) + math.exp(-(gc - m) / rt))

    rows = []
    log_rs = (0.0, -1.0, -2.0, -3.0)
    for el in SPECIES:
        if el == "Na":
            continue
        row = [el, f"{series.delta_e_vs_al(el, t_k, 'fluoride'):+.2f}",
               f"{series.delta_e_vs_al(el, t_k, 'chloride'):+.2f}"]
        for lr in log_rs:
            row.append(f"{(g_eff(el, lr) - g_eff('Al', lr)) / F:+.2f}")
        rows.append(row)
    head = ["el", "pure F", "pure Cl (AlCl3(l))"] + [f"a_NaF/a_NaCl = 1e{lr:+.0f}"
                                                       for lr in log_rs]
    return table(head, rows) + f"\n\n(g_NaF - g_NaCl = {(g_naf - g_nacl) / 1e3:.1f} kJ/eq " \
        f"at {t_k - 273.15:.0f} degC)"


def codeposition_table() -> str:
    """ppm in product per ppm (mass) of a noble ion in the bath, at the limiting current
    (section 3.5, eq. C2): w_prod / w_bath = 3 F k rho_b / (j M_Al)."""
    rows = []
    for k in (1e-6, 5e-6, 1e-5, 5.6e-5, 1.31e-4):
        row = [f"{k:.2g}"]
        for j_acm2 in (0.1, 0.5, 1.0):
            row.append(f"{3 * F * k * 2700.0 / (j_acm2 * 1e4 * M_AL):.3g}")
        rows.append(row)
    return table(["k_b (m/s)", "j 0.1 A/cm2", "j 0.5 A/cm2", "j 1.0 A/cm2"], rows)


def exhaustion_table() -> str:
    """Anode Al content (wt %) below which the alloy-side limiting current for Al falls
    below the anodic current density, w_Al* = j M_Al / (3 F k_m rho_alloy) (section 3.6)."""
    rows = []
    for k_m in (1e-6, 3e-6, 1e-5, 3e-5, 1e-4):
        row = [f"{k_m:.0e}"]
        for j_acm2 in (0.5, 0.75, 1.0):
            row.append(f"{100 * j_acm2 * 1e4 * M_AL / (3 * F * k_m * 3500.0):.2g}")
        rows.append(row)
    return table(["k_m (m/s)", "j 0.5", "j 0.75", "j 1.0"], rows)


def twitch_si() -> str:
    """Product Si and Al if the product carries a fixed fraction beta of the anode's Si
    (section 5.2), on the anode trajectory of the current rusal-3ka-twitch run. Two
    readings of "1/30 of the anode": w_Si,prod = beta w_Si,anode (a particle route that
    carries alloy) or w_Si,prod = beta w_Si,anode / w_Al,anode (Si moving with each
    dissolving Al atom); both added on top of the current routes."""
    from alref import api

    sol = api.simulate("rusal-3ka-twitch")
    t = sol["Time [d]"]
    si = sol["Anode Si [wt %]"]
    al = sol["Anode Al [wt %]"]
    lots = sol.lots
    base = np.array([lot.composition_wt_pct.get("Si", 0.0) for lot in lots])
    al_lot = np.array([lot.al_wt_pct for lot in lots])
    tl = np.array([lot.t_s / 86400.0 for lot in lots])
    m = np.array([lot.mass_kg for lot in lots])
    si_l = np.interp(tl, t, si)
    al_l = np.interp(tl, t, al)
    rows = []
    for reading, ratio in (("w_Si", si_l), ("w_Si/w_Al", 100.0 * si_l / al_l)):
        for beta in (1 / 100, 1 / 50, 1 / 30):
            add = ratio * beta
            al_new = al_lot - add
            mean = float(np.sum(m * al_new) / np.sum(m))
            rows.append([reading, f"1/{round(1 / beta)}", f"{add.mean():.3f}",
                         f"{add.max():.3f}", f"{mean:.3f}", f"{al_new.min():.3f}",
                         f"{int(np.sum(add + base > 0.10))} / {len(lots)}",
                         f"{int(np.sum(add + base > 0.15))} / {len(lots)}"])
    head = ["reading", "beta_Si", "mean added Si wt %", "last-lot added Si wt %",
            "mean product Al wt %", "worst lot Al wt %", "lots > Si 0.10 (P1020A)",
            "lots > Si 0.15 (A7)"]
    return table(head, rows) + (
        f"\n\nBaseline run: {sol.summary['cycle_days']:.1f} d, product "
        f"{sol.summary['product_al_wt_pct']:.3f} % Al; anode Si {si_l.min():.1f}-"
        f"{si_l.max():.1f} wt % over the lots (mean {si_l.mean():.1f}), anode Al "
        f"{al_l.min():.1f}-{al_l.max():.1f} wt %.")


def main() -> None:
    print("## A. Nobility vs Al (V), alref.thermo.series\n")
    print(series_table())
    for t_k in (1023.15, 1073.15):
        for bath in ("fluoride", "chloride"):
            print(f"\n## B. Exchange reactions, {bath}, {t_k - 273.15:.0f} degC\n")
            print(reaction_dg(t_k, bath))
    print("\n## C. Co-dissolution transfer ratio, 800 degC, j 0.5 A/cm2, k_b 1e-5 m/s, "
          "a_AlX3 0.1\n")
    print(codissolution_table())
    print("\n## C2. Apparent nobility in chloride-fluoride baths (ligand competition), "
          "800 degC\n")
    print(mixed_bath_nobility())
    print("\n## D. Co-deposition: ppm in product per ppm in the bath\n")
    print(codeposition_table())
    print("\n## E. Anode Al content at which co-dissolution starts (wt %)\n")
    print(exhaustion_table())
    print("\n## F. A fixed Si transfer ratio applied to the rusal-3ka-twitch anode\n")
    print(twitch_si())


if __name__ == "__main__":
    main()
