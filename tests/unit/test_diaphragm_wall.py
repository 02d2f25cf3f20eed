"""Diaphragm wall transfer W1 (docs/research/impurity-transfer.md §3.8.3,
`alref.campaign.wall`): the two bath pools of a diaphragm pot conserve every ion's mass and
the cathodic charge, the exact two-pool solution matches a numerical matrix exponential, a
thicker or less porous wall keeps the anode's ions out of the product, and pots without a
diaphragm are untouched."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.linalg import expm
from tests.unit.test_processes import S, T, _elements, charge_coupled, setup  # noqa: F401  (fixture)

from alref.campaign import processes as pr
from alref.campaign import routes, wall
from alref.campaign.engine import Engine
from alref.campaign.operating_point import Hold
from alref.campaign.results import balance
from alref.campaign.simulation import Simulation
from alref.properties.registry import RangeWarning
from alref.scenario import load_scenario


def test_two_pools_is_the_exact_matrix_exponential() -> None:
    a, c, h = np.array([1e-3, 2e-4]), np.array([8e-5, 3e-4]), np.array([7.7e-8, 5e-6])
    v_a, v_c = np.array([5e-3, 0.01]), np.array([0.035, 0.02])
    m_a, m_c, dt = np.array([0.2, 0.0]), np.array([0.05, 0.3]), 3600.0
    a1, c1, dep, crossed = wall.two_pools(m_a, m_c, a, c, h, v_a, v_c, dt)
    for r in range(2):
        M = np.array([[-a[r] - h[r] / v_a[r], h[r] / v_c[r]],
                      [h[r] / v_a[r], -c[r] - h[r] / v_c[r]]])
        # augmented system: the third and fourth states integrate the two sinks
        Mx = np.zeros((4, 4))
        Mx[:2, :2] = M
        Mx[2, 0], Mx[3, 1] = a[r], c[r]
        ref = expm(Mx * dt) @ np.array([m_a[r], m_c[r], 0.0, 0.0])
        assert a1[r] == pytest.approx(ref[0], rel=1e-9)
        assert c1[r] == pytest.approx(ref[1], rel=1e-9)
        assert dep[r] == pytest.approx(ref[3], rel=1e-9)
        # mass: what the alloy reduced is the rest, and it is the integral of its sink
        assert m_a[r] + m_c[r] - a1[r] - c1[r] - dep[r] == pytest.approx(ref[2], rel=1e-9)
        # the wall balance of the compartment: crossed = gain + deposited
        assert crossed[r] == pytest.approx(c1[r] - m_c[r] + dep[r], rel=1e-12, abs=1e-18)
    assert crossed[0] > 0  # anode side richer: ions go into the compartment
    assert crossed[1] < 0  # compartment richer: they leave it


def test_a_closed_wall_isolates_the_two_pools() -> None:
    a1, c1, dep, crossed = wall.two_pools(np.array([1.0]), np.array([2.0]), np.array([1e-4]),
                                          np.array([2e-4]), np.array([0.0]), np.array([1e-3]),
                                          np.array([1e-2]), 1000.0)
    assert a1[0] == pytest.approx(np.exp(-0.1), rel=1e-12)
    assert c1[0] == pytest.approx(2.0 * np.exp(-0.2), rel=1e-12)
    assert dep[0] == pytest.approx(2.0 - c1[0], rel=1e-12)
    assert crossed[0] == pytest.approx(0.0, abs=1e-15)


def _walled(p: pr.StepParams, rows: list[int], g: float = 25.8, pore: float = 5e-3,
            disp: float = 0.0) -> pr.StepParams:
    on = np.zeros(S)
    on[rows] = 1.0
    p.wall_g, p.wall_pore, p.wall_disp = g * on, pore * on, disp * on
    return p


def test_wall_transfer_conserves_mass_and_charge(setup) -> None:  # noqa: F811
    """Ion exchange with a wall, then co-dissolution and Faradaic transfer: no element is
    created; the Al deposited is the charge less what the co-deposited ions took."""
    lay, P, p, ctx = setup
    p = _walled(p, [0, 2], disp=1.0)
    P.T, P.C = routes.new_tags(S, lay), routes.new_tags(S, lay)
    before = _elements(lay, P)
    k0 = P.K.copy()
    dt = 6 * 3600.0
    rho = np.full(S, 3200.0)
    # the bath's ions start on the anode side, as if the anode had just dissolved them
    routes.reconcile(P.T, P.B, lay, P.C, np.zeros(S))
    q, eq_dep, moved, missing = charge_coupled(lay, P, p, ctx, dt, rho)
    assert (missing == 0).all()
    assert np.allclose(_elements(lay, P), before, rtol=1e-12, atol=1e-10)
    al = lay.th.idx["Al"]
    assert np.allclose(P.K[:, al] - k0[:, al], (q / pr.FARADAY - eq_dep) / 3.0 * pr.M_AL,
                       rtol=1e-9)
    # charge of the co-deposited ions: z/M per kg deposited
    fe = next(k for k, (el, _e, _j) in enumerate(lay.ions) if el == "Fe")
    si = next(k for k, (el, _e, _j) in enumerate(lay.ions) if el == "Si")
    z_dep = 2 * moved[:, fe, 1] / 55.845e-3 + 4 * moved[:, si, 1] / 28.0855e-3
    assert np.allclose(eq_dep, z_dep, rtol=1e-3)
    # the wall keeps the anode side's ions away from the cathode: walled rows deposit a
    # far smaller share of what they remove than the open row
    share = moved[:, fe, 1] / moved[:, fe, 0]
    assert share[0] < 0.1 * share[1] and share[2] < 0.1 * share[1]


def test_step_books_the_wall_route_and_closes(setup) -> None:  # noqa: F811
    lay, P, p, ctx = setup
    p = _walled(p, [0, 1, 2], disp=0.5)
    x = lay.th.x_of_masses(P.A)
    lg = lay.th.ln_gamma_rows(x, T, ctx.coef)
    before, k0 = _elements(lay, P), P.K.copy()
    for _ in range(4):  # the anode's ions reach the compartment through the wall
        res = pr.step(P, ctx, p, 6 * 3600.0, np.full(S, 0.4), np.full(S, 3200.0), x, lg)
        inflow = sum(m[:, None] * lay.to_el_bath[lay.si[c]][None, :]
                     for c, m in res.sources.items()) + res.metal_sources @ lay.to_el_metal
        out = np.zeros_like(before)
        out[:, lay.ledger_el.index("Al")] += res.oxidised_al
        out[:, lay.ledger_el.index("Zn")] += res.fumed_zn
        after = _elements(lay, P)
        assert np.allclose(after + out, before + inflow, rtol=1e-12, atol=1e-9)
        gain = P.K - k0
        for e, j in lay.th.idx.items():
            if e != "Al":
                assert np.allclose(res.routes[:, :, j].sum(1), gain[:, j], rtol=1e-9,
                                   atol=1e-15), e
        before, k0 = after, P.K.copy()
    # the refractory Si enters on the anode side and reaches the product only through the wall
    r = routes.R
    si = lay.th.idx["Si"]
    assert (res.routes[:, r["wall"], si] > 0).all()
    assert (res.routes[:, r["refractory"], si] == 0).all()
    # tags stay consistent: the compartment's part never exceeds the total
    assert (P.C <= P.T + 1e-15).all() and (P.C >= 0).all()


def test_rows_without_a_wall_are_untouched(setup) -> None:  # noqa: F811
    """A wall in one row of a batch leaves the other rows exactly as without any wall."""
    lay, P, p, ctx = setup
    P2 = pr.Pools(P.A.copy(), P.K.copy(), P.B.copy(), P.G.copy())
    p2 = pr.StepParams(**{k: (v.copy() if v is not None else None) for k, v in vars(p).items()})
    p2 = _walled(p2, [0])
    x = lay.th.x_of_masses(P.A)
    lg = lay.th.ln_gamma_rows(x, T, ctx.coef)
    r1 = pr.step(P, ctx, p, 6 * 3600.0, np.full(S, 0.4), np.full(S, 3200.0), x, lg)
    r2 = pr.step(P2, ctx, p2, 6 * 3600.0, np.full(S, 0.4), np.full(S, 3200.0), x, lg)
    for a, b in ((P.A, P2.A), (P.K, P2.K), (P.B, P2.B), (r1.routes, r2.routes)):
        assert np.array_equal(a[1:], b[1:])
        assert not np.array_equal(a[:1], b[:1])


def test_wall_outside_its_range_warns() -> None:
    with pytest.warns(RangeWarning, match="porosity/tortuosity"):
        wall.check_wall(0.9, 1.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert wall.check_wall(0.4, 2.0) == pytest.approx(0.2)
    with pytest.warns(RangeWarning, match="diffusivity"):
        wall.check_temperature(np.array([1300.0]))


def _engine(*params: str) -> Engine:
    over = ['campaign.termination.max_duration="12 d"']
    if params:
        over.append("cell.parameters={" + ", ".join(params) + "}")
    sim = Simulation.from_scenario(load_scenario("rusal-3ka-twitch", over))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Engine([sim.row()], Hold()).run()


@pytest.fixture(scope="module")
def walls() -> dict[str, Engine]:
    return {"base": _engine(),
            "thick": _engine('"diaphragm.wall_thickness_m"=0.04'),
            "dense": _engine('"diaphragm.porosity"=0.1'),
            "held": _engine('"diaphragm.displaced_bath_fraction"=1.0')}


def _bath_ion_kg(eng: Engine) -> float:
    """kg of the anode side's ions (noble impurities) in the product: in a diaphragm pot they
    reach the cathode only through the wall."""
    kg = eng.routes_kg[0]
    cols = [e for _el, e, _j in eng.layout.ions]
    assert kg[routes.R["equilibrium"], cols].sum() == 0.0
    return float(kg[routes.R["wall"], cols].sum())


def _compartment_wall_kg(eng: Engine) -> float:
    """kg of ions in the cathode compartment that came through the wall."""
    return float(eng.pools.C[0, :, routes.BS["wall"]].sum())


def test_a_thicker_or_denser_wall_keeps_the_anodes_ions_out(walls) -> None:
    base = walls["base"]
    assert _bath_ion_kg(base) > 0  # the route is live in the default pot
    for k in ("thick", "dense"):
        assert _bath_ion_kg(walls[k]) < 0.5 * _bath_ion_kg(base), k
        assert _compartment_wall_kg(walls[k]) < _compartment_wall_kg(base), k
    # metal held in the compartment displaces bath through the wall: a larger exchange
    assert _bath_ion_kg(walls["held"]) > 2 * _bath_ion_kg(base)
    # the other side of the same wall: ions of the salts made up into the compartment are
    # held there by a less porous wall (less escapes to the alloy), more reach the product
    cols = [e for _el, e, _j in base.layout.ions]
    salts = {k: walls[k].routes_kg[0, routes.R["salts"], cols].sum() for k in ("base", "dense")}
    assert salts["dense"] > salts["base"]
    for eng in walls.values():
        assert balance(eng).max() < 1e-9


def test_a_pot_without_diaphragm_books_no_wall_route() -> None:
    sim = Simulation.from_scenario(load_scenario("sintef-three-layer",
                                                 ['campaign.termination.max_duration="5 d"']))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eng = Engine([sim.row()], Hold()).run()
    assert eng.routes_kg[0, routes.R["wall"]].sum() == 0.0
    assert eng.pools.C is None or not eng.pools.C.any()
    assert balance(eng).max() < 1e-9


def test_kozeny_carman_head_of_the_displaced_bath() -> None:
    """Research §3.8.3: κ = 4e-13 m² at ε = 0.4, d = 20 µm; the head grows as 1/d² and warns
    when it exceeds the compartment."""
    assert wall.kozeny_carman_m2(0.4, 20e-6) == pytest.approx(3.95e-13, rel=0.01)
    from alref.cell.design import load_design

    def head(d_pore: float) -> float:
        des = load_design("rusal-3ka", parameters={"diaphragm.displaced_bath_fraction": 1.0,
                                                    "diaphragm.pore_diameter_m": d_pore})
        return wall.displacement_head_m(des, 3000.0, 2700.0)

    assert head(20e-6) < 1e-3  # a fraction of a millimetre: the wall passes the flow
    assert head(2e-6) == pytest.approx(100 * head(20e-6), rel=1e-9)
    des = load_design("rusal-3ka", parameters={"diaphragm.displaced_bath_fraction": 1.0,
                                                "diaphragm.pore_diameter_m": 3e-7})
    with pytest.warns(RangeWarning, match="Kozeny-Carman"):
        wall.wall_arrays(des, 3000.0)
    # the shipped design drains its metal: no displacement, no head
    assert wall.displacement_head_m(load_design("rusal-3ka"), 3000.0, 2700.0) == 0.0


def test_walls_of_a_batch_equal_their_single_runs() -> None:
    """S = 1 and S = n give the same rows (pools, compartment tags, routes) when the rows
    differ in their walls."""
    walls = ('"diaphragm.wall_thickness_m"=0.004', '"diaphragm.porosity"=0.2',
             '"diaphragm.displaced_bath_fraction"=1.0')
    sims = [Simulation.from_scenario(load_scenario("rusal-3ka-twitch", [
        'campaign.termination.max_duration="6 d"', "cell.parameters={" + w + "}"]))
        for w in walls]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        together = Engine([s.row() for s in sims], Hold()).run()
        alone = [Engine([s.row()], Hold()).run() for s in sims]
    for i, a in enumerate(alone):
        for name in ("A", "K", "B", "T", "C"):
            np.testing.assert_allclose(getattr(together.pools, name)[i],
                                       getattr(a.pools, name)[0], rtol=1e-12, atol=1e-18)
        np.testing.assert_allclose(together.routes_kg[i], a.routes_kg[0], rtol=1e-12,
                                   atol=1e-18)
    assert balance(together).max() < 1e-9
    wall_fe = together.routes_kg[:, routes.R["wall"], together.layout.th.idx["Fe"]]
    assert len(set(wall_fe.tolist())) == 3  # the walls differ, and so do the rows
