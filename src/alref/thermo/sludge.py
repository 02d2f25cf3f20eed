"""Sludge phases of the anode alloy: stoichiometry, density and the fitted ln K(T).

Each sludge phase p (``data/thermo/sludge_phases.toml``) has a fixed stoichiometry nu_i
(mole fractions of its atoms). It is in equilibrium with the liquid when

    sum_i nu_i ln a_i(liquid) = ln K_p(T) = A_p + B_p / T,

with the activities a_i of the COST 507 liquid (pure-liquid reference,
`alref.thermo.liquid`). A_p and B_p are fitted at load time to the liquid compositions
that pycalphad 0.11.2 computes from COST507.tdb in full equilibrium with that phase
(``data/thermo/solubility_calphad.toml``; Cu-free points where the phase occurs there,
all points otherwise). Saturation and precipitation: `alref.thermo.solubility` (scalar)
and `alref.thermo.arrays` (rows).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from alref import data
from alref.errors import PhysicsError
from alref.materials.elements import molar_mass
from alref.thermo.liquid import ln_gamma

#: saturation index below which a liquid counts as saturated, not supersaturated (numerical)
SATURATION_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Phase:
    """A sludge phase: stoichiometry, what it limits, solid density and ln K fit."""

    name: str
    calphad_name: str
    atoms: Mapping[str, float]  # formula-unit atom counts
    limits: str
    density: float  # kg/m3 (solid, room temperature; labelled assumption)
    ln_k_a: float
    ln_k_b: float  # K
    fit_points: int
    fit_rms: float  # rms residual of ln K

    @property
    def nu(self) -> dict[str, float]:
        """Mole fraction of each element in the phase."""
        n = sum(self.atoms.values())
        return {el: c / n for el, c in self.atoms.items()}

    @property
    def molar_mass_per_atom(self) -> float:
        """kg per mole of atoms."""
        return sum(v * molar_mass(el) for el, v in self.nu.items())

    @property
    def mass_fractions(self) -> dict[str, float]:
        """Element mass fractions of the phase."""
        m = {el: v * molar_mass(el) for el, v in self.nu.items()}
        total = sum(m.values())
        return {el: v / total for el, v in m.items()}

    def ln_k(self, T: float) -> float:
        return self.ln_k_a + self.ln_k_b / T


def wt_to_x(wt: Mapping[str, float]) -> dict[str, float]:
    """Mole fractions of the elements with wt % > 0."""
    n = {el: w / molar_mass(el) for el, w in wt.items() if w > 0}
    s = sum(n.values())
    return {el: v / s for el, v in n.items()}


@lru_cache(maxsize=1)
def sludge_phases() -> dict[str, Phase]:
    """The sludge phases by name (Al13Fe4, alpha/beta/gamma/delta_AlFeSi, Al6Mn, ...)."""
    raw = data.load("thermo/sludge_phases")
    points = data.load("thermo/solubility_calphad")["point"]
    by_calphad = {v["calphad_name"]: k for k, v in raw["phase"].items()}
    samples: dict[str, list[tuple[float, dict[str, float], bool]]] = {k: [] for k in raw["phase"]}
    for pt in points:
        names = [s["phase"] for s in pt["solids"]]
        if any(n not in by_calphad for n in names):
            continue  # an Al-Cu phase co-precipitates: not a pure sludge equilibrium
        cu_free = "Cu" not in pt["liquid_wt_pct"]
        for n in names:
            samples[by_calphad[n]].append((pt["T_K"], pt["liquid_wt_pct"], cu_free))
    phases = {}
    for name, spec in raw["phase"].items():
        atoms = {el: float(c) for el, c in spec["atoms"].items()}
        n_at = sum(atoms.values())
        nu = {el: c / n_at for el, c in atoms.items()}
        pts = samples[name]
        if sum(1 for p in pts if p[2]) >= 2:
            pts = [p for p in pts if p[2]]
        if len(pts) < 2:
            raise PhysicsError(f"sludge phase {name}: fewer than 2 CALPHAD points to fit ln K")
        inv_t, ln_k = [], []
        for T, liq, _ in pts:
            x = wt_to_x(liq)
            lg = ln_gamma(x, T)
            ln_k.append(sum(v * (math.log(x[el]) + lg[el]) for el, v in nu.items()))
            inv_t.append(1.0 / T)
        A = np.column_stack([np.ones(len(inv_t)), inv_t])
        coef, *_ = np.linalg.lstsq(A, np.array(ln_k), rcond=None)
        rms = float(np.sqrt(np.mean((A @ coef - np.array(ln_k)) ** 2)))
        phases[name] = Phase(
            name=name,
            calphad_name=spec["calphad_name"],
            atoms=atoms,
            limits=spec["limits"],
            density=1000.0 * float(raw["density_g_cm3"][name]),
            ln_k_a=float(coef[0]),
            ln_k_b=float(coef[1]),
            fit_points=len(pts),
            fit_rms=rms,
        )
    return phases
