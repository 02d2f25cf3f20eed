"""Each continuous process of a time step conserves element mass: what leaves one pool
arrives in another, or crosses the boundary as the process reports (sources, dross, fume).
The charge-coupled processes (ion co-deposition, co-dissolution, Faradaic transfer) close
their balances together."""

from __future__ import annotations

import numpy as np
import pytest

from alref.campaign import couples as cp
from alref.campaign import processes as pr
from alref.campaign import routes
from alref.campaign.layout import LESS_NOBLE, pool_layout, zn_vapour_pressure_bar
from alref.campaign.sources import fe_saturation_rows, steel_mass_transfer_m_s
from alref.thermo.solubility import saturation_limit

S = 3
T = np.array([1073.15, 1073.15, 1123.15])


def context(lay, temp, coef) -> pr.StepContext:
    return pr.StepContext(
        layout=lay, couples=cp.couples_at([e for e, _i, _j in cp.anodic_elements(lay)], temp),
        pzn=np.array([zn_vapour_pressure_bar(round(t, 1)) for t in temp]), coef=coef,
        bath=cp.bath_constants(lay))


@pytest.fixture()
def setup():
    lay = pool_layout({"Al", "Cu", "Si", "Fe", "Zn", "Mg", "Mn", "Ti"}, ["NaF", "AlF3", "BaCl2"])
    rng = np.random.default_rng(1)
    E, C, P = len(lay.el), len(lay.names), len(lay.phases)
    A = np.zeros((S, E))
    A[:, lay.th.idx["Al"]] = 300.0
    A[:, lay.th.idx["Cu"]] = 150.0
    for e, w in (("Si", 40.0), ("Fe", 6.0), ("Zn", 5.0), ("Mg", 2.0), ("Mn", 1.0), ("Ti", 0.2)):
        A[:, lay.th.idx[e]] = w * (0.5 + rng.random(S))
    K = np.zeros((S, E))
    K[:, lay.th.idx["Al"]] = 40.0
    K[:, lay.th.idx["Fe"]] = 0.01
    B = np.zeros((S, C))
    for s, m in (("NaF", 30.0), ("AlF3", 40.0), ("BaCl2", 60.0), ("FeF2", 0.05), ("SiF4", 0.03)):
        B[:, lay.si[s]] = m
    G = np.zeros((S, P))
    G[:, -1] = 1.0
    p = pr.StepParams(
        temp=T, I=np.full(S, 3000.0), r_leak=np.full(S, 0.5), i_back=np.full(S, 10.0),
        i_ox=np.full(S, 2.0), rho_bath=np.full(S, 3000.0), a_area=np.full(S, 0.6),
        c_area=np.full(S, 0.8), k_anode=np.full(S, 2e-5), steel_alloy=np.full(S, 0.01),
        steel_metal=np.full(S, 0.002), rho_metal=np.full(S, 2300.0), si_src=np.full(S, 5e-8),
        beta_si=np.array([0.0, 1 / 30, 1 / 30]),
        k_ion=np.full(S, 1e-5), entrain=np.full(S, 1e-10),
        k_fume=np.full(S, 0.01), open_area=np.full(S, 0.05))
    coef = lay.th.coefficients(T)
    ctx = context(lay, T, coef)
    return lay, pr.Pools(A, K, B, G), p, ctx


def _elements(lay, P: pr.Pools) -> np.ndarray:
    return lay.elements(P.A, P.K, P.B, P.G)


def _copy(P: pr.Pools) -> pr.Pools:
    return pr.Pools(P.A.copy(), P.K.copy(), P.B.copy(), P.G.copy())


def _el_col(lay, e: str) -> int:
    return lay.ledger_el.index(e)


def test_ion_sources_add_exactly_what_they_report(setup) -> None:
    lay, P, p, _ctx = setup
    before = _elements(lay, P)
    fe = lay.th.idx["Fe"]
    k0, w0, K0 = P.K[:, fe].copy(), P.K[:, fe] / P.K.sum(1), P.K.copy()
    added, metal = pr.ion_sources(P, lay, p, 3600.0, np.full(S, 3200.0))
    inflow = sum(m[:, None] * lay.to_el_bath[lay.si[c]][None, :] for c, m in added.items())
    inflow = inflow + metal @ lay.to_el_metal
    assert np.allclose(_elements(lay, P), before + inflow, rtol=0, atol=1e-12)
    assert added["SiF4"].min() > 0
    # Fe from the steel wetted by the cathode metal: k rho (w_sat - w) A dt
    w_sat = fe_saturation_rows(K0, np.ones(S), T, lay)  # COST 507, the cathode metal
    scalar = np.array([saturation_limit({"Al": 100.0}, t, "Fe") / 100 for t in T])
    assert np.allclose(w_sat, scalar, rtol=1e-4) and (w_sat > 0.04).all()
    expect = 0.002 * steel_mass_transfer_m_s() * 2300.0 * (w_sat - w0) * 3600.0
    assert np.allclose(P.K[:, fe] - k0, expect, rtol=1e-12)


def charge_coupled(lay, P, p, ctx, dt: float, rho: np.ndarray):
    """Ion exchange, co-dissolution and Faradaic transfer in `step`'s order at 0.4 V:
    (anodic charge, co-deposited equivalents, moved ion masses, missing charge)."""
    q = pr.anodic_charge(p, np.full(S, 0.4), dt)
    eq_dep, moved = pr.ion_exchange(P, lay, p, dt)
    x = lay.th.x_of_masses(P.A)
    lg = lay.th.ln_gamma_rows(x, T, ctx.coef)
    used = pr.codissolution(P, ctx, p, q, dt, rho, x, lg)
    return q, eq_dep, moved, pr.faradaic_transfer(P, lay, q, used, eq_dep)


def test_charge_coupled_processes_conserve_mass(setup) -> None:
    """Ion exchange + co-dissolution + Faradaic transfer move mass, never create it; the
    anode loses Al and Mg, the cathode gains Al, the bath gains MgF2."""
    lay, P, p, ctx = setup
    before = _elements(lay, P)
    P0 = _copy(P)
    dt = 6 * 3600.0
    rho = np.full(S, 3200.0)
    q, eq_dep, _moved, missing = charge_coupled(lay, P, p, ctx, dt, rho)
    assert (missing == 0).all()
    assert np.allclose(_elements(lay, P), before, rtol=1e-12, atol=1e-10)
    al = lay.th.idx["Al"]
    assert (P.K[:, al] > P0.K[:, al]).all() and (P.A[:, al] < P0.A[:, al]).all()
    assert (P.B[:, lay.si[LESS_NOBLE["Mg"]]] > 0).all()
    # Faraday: Al deposited at the cathode is the charge (less what the ions took) / 3F
    n_dep = (q / pr.FARADAY - eq_dep) / 3.0
    assert np.allclose(P.K[:, al] - P0.K[:, al], n_dep * pr.M_AL, rtol=1e-9)


def test_pad_oxidation_reports_its_dross(setup) -> None:
    lay, P, p, _ctx = setup
    before = _elements(lay, P)
    ox = pr.pad_oxidation(P, lay, p, 3600.0)
    after = _elements(lay, P)
    assert np.allclose(before[:, _el_col(lay, "Al")] - after[:, _el_col(lay, "Al")], ox)
    assert (ox > 0).all()


def test_entrainment_moves_alloy_into_the_product(setup) -> None:
    lay, P, p, _ctx = setup
    before = _elements(lay, P)
    k_before = P.K.sum(1)
    pr.entrainment(P, lay, p, 3600.0, np.full(S, 3200.0))
    assert np.allclose(_elements(lay, P), before, rtol=1e-12, atol=1e-10)
    assert np.allclose(P.K.sum(1) - k_before, p.entrain * p.I * 3600.0)


def test_zn_fume_reports_what_leaves(setup) -> None:
    lay, P, p, ctx = setup
    x = lay.th.x_of_masses(P.A)
    lg = lay.th.ln_gamma_rows(x, T, ctx.coef)
    zn0 = P.A[:, lay.th.idx["Zn"]].copy()
    fumed = pr.zn_fume(P, ctx, p, 3600.0, x, lg)
    assert (fumed > 0).all()
    assert np.allclose(zn0 - P.A[:, lay.th.idx["Zn"]], fumed)
    # hotter pot, higher Zn vapour pressure, more fume (per kg of Zn in the alloy)
    assert fumed[2] / zn0[2] > fumed[0] / zn0[0]


def test_precipitation_conserves_mass_and_reaches_saturation(setup) -> None:
    lay, P, _p, ctx = setup
    before = _elements(lay, P)
    pr.precipitation(P, ctx, T)
    assert np.allclose(_elements(lay, P), before, rtol=1e-12, atol=1e-9)
    assert (P.G[:, :-1].sum(1) > 0).all()  # 40+ kg Si in 500 kg of Al-Cu: sludge forms
    x = lay.th.x_of_masses(P.A)
    assert lay.th.saturation(x, T, ctx.coef).max() < 1e-6


def test_full_step_conserves_mass_besides_its_boundary_flows(setup) -> None:
    lay, P, p, ctx = setup
    before = _elements(lay, P)
    x = lay.th.x_of_masses(P.A)
    lg = lay.th.ln_gamma_rows(x, T, ctx.coef)
    res = pr.step(P, ctx, p, 6 * 3600.0, np.full(S, 0.4), np.full(S, 3200.0), x, lg)
    inflow = sum(m[:, None] * lay.to_el_bath[lay.si[c]][None, :] for c, m in res.sources.items())
    inflow = inflow + res.metal_sources @ lay.to_el_metal
    out = np.zeros_like(before)
    out[:, _el_col(lay, "Al")] += res.oxidised_al
    out[:, _el_col(lay, "Zn")] += res.fumed_zn
    assert np.allclose(_elements(lay, P) + out, before + inflow, rtol=1e-12, atol=1e-9)


def test_every_kg_entering_the_product_has_one_route(setup) -> None:
    """Route bookkeeping (research §3.10): per impurity element, the kg booked by route
    equal the cathode metal's gain over the step; hardware Fe is booked `hardware`, bath
    ions of the initial bath `salts`, the Si-selective route `particle`."""
    lay, P, p, ctx = setup
    k0 = P.K.copy()
    x = lay.th.x_of_masses(P.A)
    lg = lay.th.ln_gamma_rows(x, T, ctx.coef)
    res = pr.step(P, ctx, p, 6 * 3600.0, np.full(S, 0.4), np.full(S, 3200.0), x, lg)
    gain = P.K - k0
    for e, j in lay.th.idx.items():
        if e == "Al":
            continue
        assert np.allclose(res.routes[:, :, j].sum(1), gain[:, j], rtol=1e-9, atol=1e-15), e
    fe, si = lay.th.idx["Fe"], lay.th.idx["Si"]
    r = {n: k for k, n in enumerate(routes.ROUTES)}
    assert (res.routes[:, r["hardware"], fe] > 0).all()
    assert (res.routes[:, r["salts"], fe] > 0).all()  # the initial bath's FeF2
    # Si-selective route: rows with beta > 0 put far more Si into the product
    assert (res.routes[1:, r["particle"], si] > 10 * res.routes[0, r["particle"], si]).all()


def test_si_selective_route_is_beta_times_anode_si_per_kg_deposited(setup) -> None:
    lay, P, _p, _ctx = setup
    si = lay.th.idx["Si"]
    w = P.A[:, si] / P.A.sum(1)
    k0 = P.K[:, si].copy()
    moved = routes.si_selective(P.A, P.K, P.G, lay, np.array([0.0, 0.02, 0.04]), np.full(S, 10.0))
    assert moved[0] == 0.0
    assert np.allclose(moved[1:], np.array([0.02, 0.04]) * w[1:] * 10.0)
    assert np.allclose(P.K[:, si] - k0, moved)


def test_si_selective_route_needs_a_bath_denser_than_silicon(setup) -> None:
    """The route's carrier is solid Si rising through the bath (research §3.8.2, §5.1): a
    BaCl2-rich bath (3000 kg/m3) carries it, a NaCl-KCl bath (1600 kg/m3) does not."""
    lay, P, _p, _ctx = setup
    si = lay.th.idx["Si"]
    beta = np.full(S, 0.03)
    dense = routes.si_selective(P.A.copy(), P.K.copy(), P.G.copy(), lay, beta,
                                np.full(S, 10.0), np.full(S, 3000.0))
    light = routes.si_selective(P.A.copy(), P.K.copy(), P.G.copy(), lay, beta,
                                np.full(S, 10.0), np.full(S, 1600.0))
    assert (dense[P.A[:, si] > 0] > 0).all()
    assert (light == 0.0).all()
    assert routes.silicon_density() == pytest.approx(2330.0)


def test_solids_lighter_than_the_bath_are_not_entrained_with_the_alloy(setup) -> None:
    """Density classes (research §3.8.2): interface solids (bath < rho_p < alloy) ride
    with the entrained alloy; solids lighter than the bath (free Si, 2330 kg/m3, in a
    3000 kg/m3 Ba-chloride bath) and denser than the alloy (Al13Fe4) do not."""
    lay, P, p, _ctx = setup
    si, fe4 = lay.phases.index("Si"), lay.phases.index("Al13Fe4")
    P.G[:, si], P.G[:, fe4] = 1.0, 1.0
    rho_alloy = np.full(S, 3200.0)
    light = pr.StepParams(**{**p.__dict__, "rho_bath": np.full(S, 2100.0)})
    dense = pr.StepParams(**{**p.__dict__, "rho_bath": np.full(S, 3000.0)})
    G0 = P.G.copy()
    pr.entrainment(P, lay, dense, 3600.0, rho_alloy)
    assert np.allclose(P.G[:, [si, fe4]], G0[:, [si, fe4]])
    pr.entrainment(P, lay, light, 3600.0, rho_alloy)
    assert (P.G[:, si] < G0[:, si]).all()
    assert np.allclose(P.G[:, fe4], G0[:, fe4])
