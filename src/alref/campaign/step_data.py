"""The data a campaign time step works on (`alref.campaign.processes`): the pools of S rows
of pots, the per-row operating values, the step's context and what crossed the pot's
boundary."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from alref.campaign.couples import Couples
from alref.campaign.layout import PoolLayout
from alref.campaign.sources import SAT_RTOL
from alref.thermo.sludge import SATURATION_TOLERANCE


@dataclass
class Pools:
    """Pool masses (kg) of S rows of pots; updated in place by the processes."""

    A: np.ndarray  # liquid anode alloy, elements (S x E)
    K: np.ndarray  # cathode metal, elements (S x E)
    B: np.ndarray  # bath compounds (S x C)
    G: np.ndarray  # sludge phases, last column Al2O3 (S x P)
    T: np.ndarray | None = None  # bath-ion source tags (S x ions x sources, `routes`)
    #: the cathode compartment's part of T (diaphragm pots, `alref.campaign.wall`; zero
    #: elsewhere): the compartment's ion inventory is C.sum(-1)
    C: np.ndarray | None = None

    def rows(self, r: np.ndarray) -> Pools:
        return Pools(self.A[r], self.K[r], self.B[r], self.G[r],
                     None if self.T is None else self.T[r],
                     None if self.C is None else self.C[r])

    def put(self, r: np.ndarray, other: Pools) -> None:
        self.A[r], self.K[r], self.B[r], self.G[r] = other.A, other.K, other.B, other.G
        if self.T is not None and other.T is not None:
            self.T[r] = other.T
        if self.C is not None and other.C is not None:
            self.C[r] = other.C


@dataclass
class StepParams:
    """Per-row operating values of a step (arrays of length S, SI units)."""

    temp: np.ndarray  # K
    I: np.ndarray  # line current, A  # noqa: E741
    r_leak: np.ndarray  # leakage resistance of the bypass path, ohm
    i_back: np.ndarray  # current lost to the back reaction of dissolved metal, A
    i_ox: np.ndarray  # current equivalent of pad oxidation, A
    rho_bath: np.ndarray  # kg/m3
    a_area: np.ndarray  # anode area, m2
    c_area: np.ndarray  # cathode area, m2
    k_anode: np.ndarray  # mass-transfer coefficient in the alloy, m/s
    steel_alloy: np.ndarray  # bare steel wetted by the anode alloy, m2
    steel_metal: np.ndarray  # bare steel wetted by the cathode metal, m2
    rho_metal: np.ndarray  # cathode metal density, kg/m3
    si_src: np.ndarray  # refractory Si into the bath, kg/s
    beta_si: np.ndarray  # Si-selective route: product Si per anode Si (bath family)
    k_ion: np.ndarray  # ion mass-transfer coefficient in the bath, m/s
    entrain: np.ndarray  # interface mix entrained per coulomb, kg/(A s)
    k_fume: np.ndarray  # Zn vapour mass-transfer coefficient, m/s
    open_area: np.ndarray  # open melt surface of the charging well, m2
    #: diaphragm wall (W1, `alref.campaign.wall`; zeros: no wall): ε A_w/(τ L) in m,
    #: pore volume ε A_w L in m³, share of the deposited metal volume displacing bath
    wall_g: np.ndarray | None = None
    wall_pore: np.ndarray | None = None
    wall_disp: np.ndarray | None = None

    def rows(self, r: np.ndarray) -> StepParams:
        return StepParams(**{f.name: None if getattr(self, f.name) is None
                             else getattr(self, f.name)[r] for f in fields(self)})

    def walled(self) -> np.ndarray:
        """Rows whose bath is split by a diaphragm wall."""
        return np.zeros(self.I.shape, bool) if self.wall_g is None else self.wall_g > 0


@dataclass
class StepContext:
    """What the processes need besides pools and parameters: the layout, per-row couple
    data (`alref.campaign.couples`), Zn vapour pressure (bar) and ln γ coefficients at the
    rows' temperatures; the bath constants of `couples.bath_constants` (ligand vectors,
    compound molar masses, ln a_AlX)."""

    layout: PoolLayout
    couples: Couples
    pzn: np.ndarray
    coef: tuple
    bath: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, float]
    #: extrapolate the γ rounds of precipitation (`Thermo.precipitate_rows`; set by the
    #: engine's operating-point strategy: the batch's Hold, not the reference)
    accelerate: bool = False
    #: saturation index at which precipitation stops (`Thermo.precipitate_rows(tol=...)`;
    #: set by the strategy)
    saturation_tol: float = SATURATION_TOLERANCE
    #: warm starts of the Fe saturation (S x 2, alloy and metal, updated in place;
    #: `ion_sources`), given by a strategy that allows them (the batch's Hold); None: cold
    fe_warm: np.ndarray | None = None
    #: relative step that ends the Fe saturation's iteration (set by the strategy)
    fe_rtol: float = SAT_RTOL


@dataclass
class StepResult:
    """What crossed the pot's boundary during a step (for the mass ledger)."""

    sources: dict[str, np.ndarray]  # bath compound -> kg added (refractory Si)
    metal_sources: np.ndarray  # element kg added to alloy and cathode metal (hardware Fe)
    oxidised_al: np.ndarray  # kg of cathode Al lost to air oxidation
    fumed_zn: np.ndarray  # kg of Zn evaporated
    routes: np.ndarray  # kg entering the cathode metal by route (S x ROUTES x E)
