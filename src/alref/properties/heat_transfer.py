"""Heat losses from the outside of a pot: free convection, radiation, layered walls.

Air properties come from Incropera et al. (2007) Table A.4; free-convection Nusselt
numbers from Churchill & Chu (1975) for vertical walls and Lloyd & Moran (1974) /
Incropera eq. 9.32 for horizontal surfaces, each registered as a `Correlation` with its
Rayleigh-number validity range. `wall_heat_loss` solves the steady 1-D series problem of
a multi-layer lining: conduction with k at each layer's mean temperature, then natural
convection and radiation in parallel from the shell to the surroundings.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from scipy.constants import Stefan_Boltzmann as SIGMA
from scipy.constants import g as GRAVITY

from alref import data
from alref.citations import cite
from alref.errors import ConfigError
from alref.properties.broadcast import broadcasts
from alref.properties.lining import Material, lining_material
from alref.properties.registry import Correlation, RangeWarning, register
from alref.roots import brentq

_C = data.load("heat_transfer")
_XTOL_K = 1e-10  # temperature tolerance of the root solves, K


@dataclass(frozen=True)
class AirProps:
    """Air at 1 atm: k (W/m/K), nu and alpha (m2/s), Pr, beta (1/K)."""

    T: float
    k: float
    nu: float
    alpha: float
    Pr: float
    beta: float


@lru_cache(maxsize=1)
def _air_table() -> dict[str, np.ndarray]:
    a = _C["air"]
    return {
        "T": np.asarray(a["T"], float),
        "k": np.asarray(a["k_e3"], float) * 1e-3,
        "nu": np.asarray(a["nu_e6"], float) * 1e-6,
        "alpha": np.asarray(a["alpha_e6"], float) * 1e-6,
        "Pr": np.asarray(a["Pr"], float),
    }


def air_properties(T_film: float) -> AirProps:
    """Properties of air at the film temperature, linear interpolation in Table A.4.

    Outside 250-1000 K the end values are held and a `RangeWarning` is issued.
    beta = 1/T (ideal gas, Incropera eq. 9.10).
    """
    t = _air_table()
    T = float(T_film)
    if not t["T"][0] <= T <= t["T"][-1]:
        warnings.warn(
            f"air_properties: T_film={T:g} K outside table range "
            f"[{t['T'][0]:g}, {t['T'][-1]:g}] K, end values held",
            RangeWarning,
            stacklevel=2,
        )
    cite(_C["air"]["source"])
    val = {q: float(np.interp(T, t["T"], t[q])) for q in ("k", "nu", "alpha", "Pr")}
    return AirProps(T=T, beta=1.0 / T, **val)


def rayleigh(T_surface: float, T_ambient: float, length: float) -> tuple[float, AirProps]:
    """Rayleigh number g beta |dT| L^3 / (nu alpha), properties at the film temperature."""
    if length <= 0.0:
        raise ConfigError("char_length_m", f"characteristic length must be > 0, got {length!r}")
    air = air_properties(0.5 * (T_surface + T_ambient))
    dT = abs(T_surface - T_ambient)
    return GRAVITY * air.beta * dT * length**3 / (air.nu * air.alpha), air


# --- Nusselt-number correlations (registered) ------------------------------------------


def _nu_churchill_chu(Ra: float, Pr: float) -> float:
    c = _C["churchill_chu"]
    psi = (1.0 + (c["pr0"] / Pr) ** (9.0 / 16.0)) ** (8.0 / 27.0)
    return (c["c0"] + c["c1"] * Ra ** (1.0 / 6.0) / psi) ** 2


def _nu_churchill_chu_laminar(Ra: float, Pr: float) -> float:
    c = _C["churchill_chu_laminar"]
    psi = (1.0 + (c["pr0"] / Pr) ** (9.0 / 16.0)) ** (4.0 / 9.0)
    return c["c0"] + c["c1"] * Ra**0.25 / psi


def _nu_horizontal_up(Ra: float, Pr: float) -> float:
    c = _C["horizontal_up"]
    return c["c_lam"] * Ra**0.25 if Ra <= c["Ra_switch"] else c["c_turb"] * Ra ** (1.0 / 3.0)


def _nu_horizontal_down(Ra: float, Pr: float) -> float:
    return _C["horizontal_down"]["c"] * Ra**0.25


NU_VERTICAL = register(
    Correlation(
        name="nu_vertical_churchill_chu",
        quantity="Nusselt number, vertical plate, free convection",
        unit="1",
        source=_C["churchill_chu"]["source"],
        locator=_C["churchill_chu"]["locator"],
        func=_nu_churchill_chu,
        validity={"Ra": (0.0, _C["churchill_chu"]["Ra_max"])},
        families=("heat_transfer",),
    )
)
NU_VERTICAL_LAMINAR = register(
    Correlation(
        name="nu_vertical_churchill_chu_laminar",
        quantity="Nusselt number, vertical plate, laminar free convection",
        unit="1",
        source=_C["churchill_chu_laminar"]["source"],
        locator=_C["churchill_chu_laminar"]["locator"],
        func=_nu_churchill_chu_laminar,
        validity={"Ra": (0.0, _C["churchill_chu_laminar"]["Ra_max"])},
        families=("heat_transfer",),
    )
)
NU_HORIZONTAL_UP = register(
    Correlation(
        name="nu_horizontal_up_lloyd_moran",
        quantity="Nusselt number, upper surface of hot plate (L = A/P)",
        unit="1",
        source=_C["horizontal_up"]["source"],
        locator=_C["horizontal_up"]["locator"],
        func=_nu_horizontal_up,
        validity={"Ra": (_C["horizontal_up"]["Ra_min"], _C["horizontal_up"]["Ra_max"])},
        families=("heat_transfer",),
    )
)
NU_HORIZONTAL_DOWN = register(
    Correlation(
        name="nu_horizontal_down_incropera",
        quantity="Nusselt number, lower surface of hot plate (L = A/P)",
        unit="1",
        source=_C["horizontal_down"]["source"],
        locator=_C["horizontal_down"]["locator"],
        func=_nu_horizontal_down,
        validity={"Ra": (_C["horizontal_down"]["Ra_min"], _C["horizontal_down"]["Ra_max"])},
        families=("heat_transfer",),
    )
)


def _h(corr: Correlation, T_s: float, T_amb: float, length: float) -> float:
    Ra, air = rayleigh(T_s, T_amb, length)
    return corr(Ra=Ra, Pr=air.Pr).value * air.k / length


@broadcasts("T_surface", "T_ambient", "height")
def h_natural_vertical(T_surface: float, T_ambient: float, height: float) -> float:
    """Free-convection coefficient of a vertical wall, W/m2/K (Churchill & Chu, all Ra)."""
    return _h(NU_VERTICAL, T_surface, T_ambient, height)


@broadcasts("T_s", "T_amb", "L_char")
def h_natural_horizontal_up(T_s: float, T_amb: float, L_char: float) -> float:
    """Free convection from the upper face of a hot (lower face of a cold) plate, W/m2/K.

    L_char = area / perimeter. Lloyd & Moran (1974), Incropera eqs. 9.30-9.31.
    """
    corr = NU_HORIZONTAL_UP if T_s >= T_amb else NU_HORIZONTAL_DOWN
    return _h(corr, T_s, T_amb, L_char)


@broadcasts("T_s", "T_amb", "L_char")
def h_natural_horizontal_down(T_s: float, T_amb: float, L_char: float) -> float:
    """Free convection from the lower face of a hot (upper face of a cold) plate, W/m2/K.

    L_char = area / perimeter. Incropera eq. 9.32.
    """
    corr = NU_HORIZONTAL_DOWN if T_s >= T_amb else NU_HORIZONTAL_UP
    return _h(corr, T_s, T_amb, L_char)


@broadcasts("T_s", "T_amb", "emissivity")
def h_radiation(T_s: float, T_amb: float, emissivity: float) -> float:
    """Linearised radiation coefficient eps sigma (Ts^2 + Ta^2)(Ts + Ta), W/m2/K.

    Grey surface radiating to large surroundings at T_amb (Incropera eq. 1.9);
    h_rad (Ts - Ta) equals eps sigma (Ts^4 - Ta^4) exactly.
    """
    if not 0.0 <= emissivity <= 1.0:
        raise ConfigError("emissivity", f"must be in [0, 1], got {emissivity!r}")
    cite("incropera2007")
    return emissivity * SIGMA * (T_s**2 + T_amb**2) * (T_s + T_amb)


Orientation = Literal["vertical", "top", "bottom"]
_H_OUTER = {
    "vertical": h_natural_vertical,
    "top": h_natural_horizontal_up,
    "bottom": h_natural_horizontal_down,
}


@dataclass(frozen=True)
class WallResult:
    """Steady heat loss through a layered wall. Temperatures K, flux W/m2, flow W.

    ``interface_temperatures_K`` runs from the hot face of the first (inner) layer to the
    shell; ``layer_resistances_m2K_W`` are L/k(T_mean) per layer.
    """

    heat_flow_W: float
    flux_W_m2: float
    shell_temperature_K: float
    interface_temperatures_K: tuple[float, ...]
    layer_resistances_m2K_W: tuple[float, ...]
    inner_resistance_m2K_W: float
    outer_resistance_m2K_W: float
    h_convection: float
    h_radiation: float
    area_m2: float

    @property
    def layer_resistances_K_W(self) -> tuple[float, ...]:
        """Absolute resistances of the layers, K/W."""
        return tuple(r / self.area_m2 for r in self.layer_resistances_m2K_W)


def _layer_hot_temperature(mat: Material, L: float, T_cold: float, q: float) -> float:
    """Hot-face temperature of a layer carrying flux q with k at its mean temperature."""
    if q == 0.0:
        return T_cold

    def f(T_hot: float) -> float:
        return T_hot - T_cold - q * L / mat.conductivity(0.5 * (T_hot + T_cold))

    upper = T_cold + q * L / min(mat.k_values) + 1.0
    return brentq(f, T_cold, upper, xtol=_XTOL_K)


def _parse_layers(layers: Sequence[tuple[str, float]]) -> list[tuple[Material, float]]:
    if not layers:
        raise ConfigError("layers", "at least one layer is needed")
    out = []
    for i, (name, thickness) in enumerate(layers):
        if not thickness > 0.0:
            raise ConfigError(f"layers[{i}]", f"thickness must be > 0 m, got {thickness!r}")
        out.append((lining_material(name), float(thickness)))
    return out


def wall_heat_loss(
    T_inside: float,
    T_ambient: float,
    layers: Sequence[tuple[str, float]],
    area_m2: float,
    orientation: Orientation,
    char_length_m: float,
    emissivity: float | None = None,
    inner_h: float | None = None,
) -> WallResult:
    """Heat loss through a multi-layer wall (inner layer first) to still air.

    Series path: optional inner film 1/inner_h, conduction through each layer with k at the
    layer's mean temperature, then free convection (by orientation: Churchill-Chu vertical,
    Lloyd-Moran top, Incropera 9.32 bottom; char_length_m = height or area/perimeter) in
    parallel with radiation to surroundings at T_ambient. The emissivity defaults to that of
    the outermost layer's material. The shell temperature is found with brentq between
    T_ambient and T_inside, so the solution exists and is unique for any positive k.
    """
    if orientation not in _H_OUTER:
        raise ConfigError("orientation", f"expected vertical, top or bottom, got {orientation!r}")
    if not T_inside > T_ambient:
        raise ConfigError("T_inside", "must exceed T_ambient for a heat loss")
    if not area_m2 > 0.0:
        raise ConfigError("area_m2", f"must be > 0, got {area_m2!r}")
    if inner_h is not None and not inner_h > 0.0:
        raise ConfigError("inner_h", f"must be > 0, got {inner_h!r}")
    mats = _parse_layers(layers)
    if emissivity is None:
        emissivity = mats[-1][0].emissivity
        if emissivity is None:
            raise ConfigError("emissivity", f"no emissivity for material {mats[-1][0].key!r}")
    h_conv_of = _H_OUTER[orientation]

    def outer(Ts: float) -> tuple[float, float, float]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RangeWarning)
            hc = h_conv_of(Ts, T_ambient, char_length_m)
        hr = h_radiation(Ts, T_ambient, emissivity)
        return (hc + hr) * (Ts - T_ambient), hc, hr

    def march(Ts: float) -> tuple[float, list[float]]:
        q = outer(Ts)[0]
        temps = [Ts]
        for mat, L in reversed(mats):
            temps.append(_layer_hot_temperature(mat, L, temps[-1], q))
        T_in = temps[-1] + (q / inner_h if inner_h else 0.0)
        return T_in, temps[::-1]

    Ts = brentq(lambda t: march(t)[0] - T_inside, T_ambient, T_inside, xtol=_XTOL_K)
    q, hc, hr = outer(Ts)
    # one warning pass at the solution, so out-of-range use is reported once
    h_conv_of(Ts, T_ambient, char_length_m)
    _, temps = march(Ts)
    resist = tuple(
        L / mat.conductivity(0.5 * (temps[i] + temps[i + 1])) for i, (mat, L) in enumerate(mats)
    )
    return WallResult(
        heat_flow_W=q * area_m2,
        flux_W_m2=q,
        shell_temperature_K=Ts,
        interface_temperatures_K=tuple(temps),
        layer_resistances_m2K_W=resist,
        inner_resistance_m2K_W=1.0 / inner_h if inner_h else 0.0,
        outer_resistance_m2K_W=1.0 / (hc + hr),
        h_convection=hc,
        h_radiation=hr,
        area_m2=float(area_m2),
    )


def lead_heat_loss(
    T_hot: float, T_cold: float, material: str, area_m2: float, length_m: float
) -> float:
    """Conduction along a current lead or thermal bridge, W: k(T_mean) A (T_hot - T_cold)/L.

    Only the conducted heat; the Joule heat generated in the lead is part of the electrical
    balance (I^2 R of the lead) and is accounted for there, not here.
    """
    if not area_m2 > 0.0 or not length_m > 0.0:
        raise ConfigError("lead", "area_m2 and length_m must be > 0")
    k = lining_material(material).conductivity(0.5 * (T_hot + T_cold))
    return k * area_m2 * (T_hot - T_cold) / length_m


def open_surface_loss(
    T_surface: float,
    T_ambient: float,
    area: float,
    emissivity: float,
    char_length_m: float | None = None,
) -> float:
    """Heat loss of an uncovered horizontal melt surface, W: radiation + free convection.

    Radiation eps sigma (Ts^4 - Ta^4) to large surroundings at T_ambient plus free
    convection from an upward-facing hot plate; char_length_m defaults to that of a square
    of the given area (A/P = sqrt(A)/4).
    """
    if not area > 0.0:
        raise ConfigError("area", f"must be > 0, got {area!r}")
    L = char_length_m if char_length_m is not None else math.sqrt(area) / 4.0
    dT = T_surface - T_ambient
    h = h_natural_horizontal_up(T_surface, T_ambient, L) + h_radiation(
        T_surface, T_ambient, emissivity
    )
    return h * dT * area
