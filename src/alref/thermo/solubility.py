"""Saturation of impurities in the liquid anode alloy and their precipitation as sludge.

Each sludge phase p (``data/thermo/sludge_phases.toml``) has a fixed stoichiometry nu_i
(mole fractions of its atoms). It is in equilibrium with the liquid when

    sum_i nu_i ln a_i(liquid) = ln K_p(T) = A_p + B_p / T,

with the activities a_i of the COST 507 liquid (pure-liquid reference,
`alref.thermo.activity`). A_p and B_p are fitted at load time to the liquid compositions
that pycalphad 0.11.2 computes from COST507.tdb in full equilibrium with that phase
(``data/thermo/solubility_calphad.toml``; Cu-free points where the phase occurs there,
all points otherwise). The Cu dependence of every solubility therefore comes from the
liquid activities (Cu raises gamma_Fe ~14-fold, domain-physics §5.3), and Fe and Si
interact through the AlFeSi phases.

The saturation index SI_p = sum_i nu_i ln a_i - ln K_p is > 0 for a supersaturated liquid.
COST 507 Round II lacks the Al-Cu-Fe omega phase and Cu solubility in Al13Fe4 (§5.5), so
real Fe solubilities in Al-Cu melts are probably lower than these.
Primary Al-Cu phases (the alloy liquidus) are handled by `alref.thermo.alloy_liquidus`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from alref import data
from alref.citations import cite, note_assumption
from alref.errors import ConfigError, PhysicsError
from alref.materials.elements import molar_mass
from alref.thermo.activity import ln_gamma, normalize_composition

#: Elements whose saturation limits `saturation_limits` reports.
LIMITED_ELEMENTS = ("Fe", "Si", "Mn", "Ti", "Cr", "Zr", "V")
_TOL_SI = 1e-9


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


def _wt_to_x(wt: Mapping[str, float]) -> dict[str, float]:
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
            x = _wt_to_x(liq)
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


def _saturation_indices(x: Mapping[str, float], T: float) -> dict[str, float]:
    """SI of every phase whose elements are all present in the liquid `x` (mole fractions).

    Computed by the array core `alref.thermo.arrays.Thermo.saturation` with one row."""
    from alref.thermo.arrays import model

    els = tuple(el for el, v in x.items() if v > 0)
    if not els:
        return {}
    th = model(els)
    T_arr = np.array([float(T)])
    si = th.saturation(np.array([[float(x[e]) for e in els]]), T_arr)[0]
    return {name: float(v) for name, v in zip(th.phases, si, strict=True) if np.isfinite(v)}


def saturation_indices(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """SI = sum nu_i ln a_i - ln K_p of each sludge phase (> 0: supersaturated)."""
    cite("cost507", "otis2017pycalphad")
    return _saturation_indices(_wt_to_x(normalize_composition(comp_wt)), T)


def saturation_limit(comp_wt: Mapping[str, float], T: float, element: str) -> float:
    """Largest wt % of `element` the liquid holds before a phase containing it precipitates.

    The other solutes keep their wt %; Al is the balance. Returns ``inf`` if no sludge phase
    contains the element.
    """
    comp = normalize_composition(comp_wt)
    comp.pop("Al")
    comp.pop(element, None)
    phases = [p for p in sludge_phases().values() if element in p.atoms]
    if not phases:
        return math.inf
    cite("cost507", "otis2017pycalphad")
    others = sum(comp.values())
    w_max = 100.0 - others - 1e-6

    def worst(log_w: float) -> float:
        trial = dict(comp)
        trial[element] = math.exp(log_w)
        trial["Al"] = 100.0 - others - trial[element]
        si = _saturation_indices(_wt_to_x(trial), T)
        vals = [si[p.name] for p in phases if p.name in si]
        return max(vals) if vals else -math.inf

    # SI rises with the solute only while Al stays the matrix: scan up from a trace level
    # to the first supersaturated point, then refine the crossing.
    lo = math.log(1e-9)
    if worst(lo) > 0:
        return 0.0
    step = math.log(1.5)
    hi = lo
    while hi < math.log(w_max):
        nxt = min(hi + step, math.log(w_max))
        if worst(nxt) > 0:
            return math.exp(brentq(worst, hi, nxt, xtol=1e-12, rtol=1e-12))
        hi = nxt
    return w_max


def saturation_limits(comp_wt: Mapping[str, float], T: float) -> dict[str, float]:
    """Saturation wt % of Fe, Si, Mn, Ti, Cr, Zr, V in the liquid alloy at T (K).

    Each limit holds the other solutes at their wt % (Al balance), so Cu and, for Fe and
    Si, the AlFeSi phases are accounted for.
    """
    return {el: saturation_limit(comp_wt, T, el) for el in LIMITED_ELEMENTS}


def _ideal_step(
    mol: Mapping[str, float], total: float, nu: Mapping[str, float], si0: float
) -> float:
    """Moles of atoms of a phase to remove so that its SI falls to 0 with frozen gamma.

    With gamma fixed, SI(s) = si0 + sum_i nu_i ln[(N_i - nu_i s) / N_i * N / (N - s)], which
    decreases monotonically in s (Cauchy-Schwarz), so the root is bracketed in [0, cap).
    """
    cap = min(mol[el] / v for el, v in nu.items())

    def f(s: float) -> float:
        out = si0
        for el, v in nu.items():
            out += v * math.log1p(-v * s / mol[el])
        return out - math.log1p(-s / total)

    hi = cap * (1.0 - 1e-12)
    if f(hi) > 0:
        return hi
    return brentq(f, 0.0, hi, xtol=1e-15 * cap, rtol=1e-15)


def precipitate(
    element_masses_kg: Mapping[str, float], T: float, *, max_iter: int = 200
) -> tuple[dict[str, float], dict[str, float]]:
    """Move the solute above saturation into sludge phases, conserving each element's mass.

    Returns (liquid element masses in kg, sludge phase masses in kg by phase name). The
    liquid leaves with every saturation index <= 1e-9; phase p holds
    ``mass_p * sludge_phases()[p].mass_fractions[el]`` of each element and
    liquid[el] = input[el] - sum_p of those, so the balance closes to rounding.
    Each step removes the most supersaturated phase until its SI is 0 with the activity
    coefficients frozen (exact 1-D solve of the ideal part), then refreshes them.
    """
    for el, m in element_masses_kg.items():
        if not (m >= 0 and math.isfinite(m)):
            raise ConfigError(f"element_masses_kg.{el}", f"mass must be finite and >= 0, got {m}")
    if T <= 0:
        raise ConfigError("temperature", f"must be positive (K), got {T}")
    from alref.thermo.arrays import model  # the array core (one implementation)

    phases = sludge_phases()
    cite("cost507", "otis2017pycalphad")
    note_assumption("sludge_phases.density_g_cm3")
    els = tuple(el for el, m in element_masses_kg.items() if m > 0)
    liquid = {el: float(m) for el, m in element_masses_kg.items()}
    if not els:
        return liquid, {}
    th = model(els)
    T_arr = np.array([float(T)])
    M = np.array([[float(element_masses_kg[e]) for e in els]])
    left, amount = th.precipitate_rows(M, T_arr, th.coefficients(T_arr), max_iter=max_iter)
    if not th.last_converged:
        raise PhysicsError(f"precipitate did not converge at T={T} K")
    phase_masses = {name: float(n) * phases[name].molar_mass_per_atom
                    for name, n in zip(th.phases, amount[0], strict=True) if n > 0}
    for k, el in enumerate(els):
        liquid[el] = float(left[0, k])
    return liquid, phase_masses
