"""Free convection, radiation and layered-wall heat loss (alref.properties.heat_transfer).

Reference values:
- Incropera et al. (2007) Example 9.2: vertical glass screen 0.71 m high, 1.02 m wide,
  Ts = 232 degC, T_inf = 23 degC -> Ra_L = 1.813e9, h = 7.0 W/m2/K, q = 1060 W.
- Churchill-Chu at Ra = 1e9, Pr = 0.71 computed by hand: psi = [1 + (0.492/0.71)^(9/16)]^(8/27)
  = 1.19289, Nu = (0.825 + 0.387 * 31.6228 / 1.19289)^2 = 122.86.
- domain-physics §8.3: sigma (1023.15^4 - 300^4) = 61.6 kW/m2 per unit emissivity; an
  uncovered 750 degC surface with eps 0.1-0.3 loses 6-18 kW/m2 by radiation.
- domain-physics §8.2 / data-gaps §4: a well-insulated refining pot at 750 degC with ~0.3 m
  lining has a shell flux of 0.6-1.2 kW/m2 and a shell at ~80-150 degC [E].
- Cengel & Ghajar Table A-15, air at 30 degC: nu = 1.608e-5 m2/s, k = 0.02588 W/m/K.
"""

from __future__ import annotations

import itertools
import math
import warnings

import pytest
from scipy.constants import Stefan_Boltzmann as SIGMA

from alref.citations import track_citations
from alref.errors import ConfigError
from alref.properties import heat_transfer as ht
from alref.properties.lining import lining_material
from alref.properties.registry import RangeWarning, all_correlations

K0 = 273.15


def test_air_properties_against_cengel() -> None:
    air = ht.air_properties(30.0 + K0)
    assert air.nu == pytest.approx(1.608e-5, rel=0.02)
    assert air.k == pytest.approx(0.02588, rel=0.03)
    assert air.beta == pytest.approx(1.0 / (30.0 + K0))
    with pytest.warns(RangeWarning):
        ht.air_properties(1500.0)


def test_incropera_example_9_2() -> None:
    Ts, Ta, H, W = 232.0 + K0, 23.0 + K0, 0.71, 1.02
    Ra, _ = ht.rayleigh(Ts, Ta, H)
    assert Ra == pytest.approx(1.813e9, rel=0.02)
    h = ht.h_natural_vertical(Ts, Ta, H)
    assert h == pytest.approx(7.0, rel=0.03)
    assert h * H * W * (Ts - Ta) == pytest.approx(1060.0, rel=0.03)


def test_churchill_chu_hand_point_and_laminar_form() -> None:
    assert ht.NU_VERTICAL(Ra=1e9, Pr=0.71).value == pytest.approx(122.86, rel=1e-3)
    # in the laminar range the two forms of the same paper agree within ~7 %
    for Ra in (1e5, 1e6, 1e7):
        full = ht.NU_VERTICAL(Ra=Ra, Pr=0.71).value
        lam = ht.NU_VERTICAL_LAMINAR(Ra=Ra, Pr=0.71).value
        assert lam == pytest.approx(full, rel=0.07)


def test_correlations_registered_with_ra_ranges() -> None:
    names = set(all_correlations())
    assert {"nu_vertical_churchill_chu", "nu_horizontal_up_lloyd_moran",
            "nu_horizontal_down_incropera"} <= names
    with pytest.warns(RangeWarning):
        ht.NU_VERTICAL(Ra=1e13, Pr=0.7)
    with pytest.warns(RangeWarning):
        ht.h_natural_horizontal_up(400.0, 300.0, 0.005)  # Ra < 1e4
    with pytest.warns(RangeWarning):
        ht.h_natural_horizontal_down(400.0, 300.0, 0.01)  # Ra < 1e5


def test_horizontal_plates_ordering() -> None:
    # a hot plate loses more from its upper face than from its lower face
    up = ht.h_natural_horizontal_up(400.0, 300.0, 0.5)
    down = ht.h_natural_horizontal_down(400.0, 300.0, 0.5)
    assert up > 2.0 * down > 0.0
    # turbulent regime: Nu ~ Ra^(1/3) so h is independent of L
    assert ht.h_natural_horizontal_up(400.0, 300.0, 1.0) == pytest.approx(
        ht.h_natural_horizontal_up(400.0, 300.0, 2.0), rel=1e-9
    )


def test_radiation_identity_and_domain_physics() -> None:
    for Ts, Ta, eps in ((400.0, 300.0, 0.8), (1023.15, 300.0, 1.0), (350.0, 290.0, 0.3)):
        hr = ht.h_radiation(Ts, Ta, eps)
        assert hr * (Ts - Ta) == pytest.approx(eps * SIGMA * (Ts**4 - Ta**4), rel=1e-12)
    q = ht.h_radiation(1023.15, 300.0, 1.0) * (1023.15 - 300.0)
    assert q == pytest.approx(61.6e3, rel=0.005)
    with pytest.raises(ConfigError):
        ht.h_radiation(400.0, 300.0, 1.5)


def test_single_layer_wall_matches_series_resistance() -> None:
    # high_alumina has a constant k (one data point), so the wall is linear
    k = lining_material("high_alumina").conductivity(800.0)
    L, Ti, Ta, h_in = 0.2, 1023.15, 300.0, 50.0
    r = ht.wall_heat_loss(Ti, Ta, [("high_alumina", L)], 2.0, "vertical", 1.0,
                          emissivity=0.8, inner_h=h_in)
    R_out = 1.0 / (r.h_convection + r.h_radiation)
    assert r.flux_W_m2 == pytest.approx((Ti - Ta) / (1.0 / h_in + L / k + R_out), rel=1e-9)
    assert r.layer_resistances_m2K_W[0] == pytest.approx(L / k)
    assert r.heat_flow_W == pytest.approx(2.0 * r.flux_W_m2)
    assert r.layer_resistances_K_W[0] == pytest.approx(L / k / 2.0)


@pytest.mark.parametrize("orientation", ["vertical", "top", "bottom"])
def test_multilayer_flux_conserved(orientation: str) -> None:
    layers = [("dense_firebrick", 0.115), ("insulating_firebrick", 0.115),
              ("calcium_silicate", 0.05), ("steel", 0.008)]
    Ti, Ta = 1073.15, 303.15
    r = ht.wall_heat_loss(Ti, Ta, layers, 3.0, orientation, 0.8, emissivity=0.8)
    temps = r.interface_temperatures_K
    assert temps[0] == pytest.approx(Ti, abs=1e-6)
    assert temps[-1] == pytest.approx(r.shell_temperature_K)
    assert Ta < r.shell_temperature_K < Ti
    assert all(b < a for a, b in itertools.pairwise(temps))
    q = r.flux_W_m2
    for i, (name, L) in enumerate(layers):
        k = lining_material(name).conductivity(0.5 * (temps[i] + temps[i + 1]))
        assert (temps[i] - temps[i + 1]) * k / L == pytest.approx(q, rel=1e-6)
    q_out = (r.h_convection + r.h_radiation) * (r.shell_temperature_K - Ta)
    assert q_out == pytest.approx(q, rel=1e-6)


def test_sanity_anchor_well_insulated_pot() -> None:
    # 0.23 m dense fire-clay working lining + 0.065 m insulating firebrick + 6 mm steel
    layers = [("dense_firebrick", 0.23), ("insulating_firebrick", 0.065), ("steel", 0.006)]
    r = ht.wall_heat_loss(750.0 + K0, 25.0 + K0, layers, 10.0, "vertical", 1.0)
    assert 500.0 <= r.flux_W_m2 <= 1500.0
    assert 80.0 + K0 - 30.0 <= r.shell_temperature_K <= 150.0 + K0


def test_more_insulation_less_loss() -> None:
    base = [("dense_firebrick", 0.115), ("steel", 0.006)]
    better = [("dense_firebrick", 0.115), ("microporous", 0.05), ("steel", 0.006)]
    a = ht.wall_heat_loss(1023.15, 298.15, base, 1.0, "vertical", 1.0)
    b = ht.wall_heat_loss(1023.15, 298.15, better, 1.0, "vertical", 1.0)
    assert b.flux_W_m2 < 0.5 * a.flux_W_m2
    assert b.shell_temperature_K < a.shell_temperature_K


def test_wall_errors() -> None:
    layers = [("dense_firebrick", 0.1), ("steel", 0.005)]
    with pytest.raises(ConfigError, match="orientation"):
        ht.wall_heat_loss(1000.0, 300.0, layers, 1.0, "sideways", 1.0)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="T_inside"):
        ht.wall_heat_loss(300.0, 300.0, layers, 1.0, "vertical", 1.0)
    with pytest.raises(ConfigError, match="layers"):
        ht.wall_heat_loss(1000.0, 300.0, [("dense_firebrick", 0.0)], 1.0, "vertical", 1.0)
    with pytest.raises(ConfigError, match="material"):
        ht.wall_heat_loss(1000.0, 300.0, [("cheese", 0.1)], 1.0, "vertical", 1.0)
    with pytest.raises(ConfigError, match="emissivity"):
        ht.wall_heat_loss(1000.0, 300.0, [("dense_firebrick", 0.1)], 1.0, "vertical", 1.0)


def test_lead_heat_loss() -> None:
    q = ht.lead_heat_loss(500.0, 300.0, "copper", 1e-3, 0.5)
    k = lining_material("copper").conductivity(400.0)
    assert q == pytest.approx(k * 1e-3 * 200.0 / 0.5)
    assert ht.lead_heat_loss(300.0, 500.0, "copper", 1e-3, 0.5) == pytest.approx(-q)
    # a graphite lead conducts less than copper but far more than a firebrick plug
    g = ht.lead_heat_loss(1000.0, 400.0, "graphite_electrode", 0.01, 1.0)
    f = ht.lead_heat_loss(1000.0, 400.0, "dense_firebrick", 0.01, 1.0)
    assert g > 50.0 * f
    with pytest.raises(ConfigError):
        ht.lead_heat_loss(500.0, 300.0, "copper", 0.0, 0.5)


def test_open_surface_loss_domain_physics() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        q1 = ht.open_surface_loss(1023.15, 300.0, 1.0, 0.1)
        q3 = ht.open_surface_loss(1023.15, 300.0, 1.0, 0.3)
    # the radiation part: 61.6 kW/m2 per unit emissivity (convection cancels here)
    assert q3 - q1 == pytest.approx(0.2 * 61.6e3, rel=0.005)
    # free convection above a 750 degC surface adds h ~ 5-12 W/m2/K times 723 K
    conv = q1 - 0.1 * 61.6e3
    assert 5.0 * 723.15 <= conv <= 12.0 * 723.15
    with pytest.raises(ConfigError):
        ht.open_surface_loss(1023.15, 300.0, 0.0, 0.1)


def test_citations() -> None:
    with track_citations() as tr:
        ht.wall_heat_loss(1000.0, 300.0, [("dense_firebrick", 0.2), ("steel", 0.005)],
                          1.0, "vertical", 1.0)
    assert {"incropera2007", "churchill1975vertical"} <= tr.keys
    assert math.isfinite(1.0)
