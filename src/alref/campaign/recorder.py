"""What a campaign run keeps, for every row of pots: the mass ledger, the time series (when
asked), the lots, the action log and the accumulators behind the KPIs.

The ledger holds each row's element inputs and outputs (kg, columns `PoolLayout.ledger_el`)
and the off-gas of the scrap, so `initial + inputs = pools + outputs` can be checked per
row and per element (`balance_errors`). Time series are stored column-wise (one array over
rows per recorded step); a row's series are the first `n_steps[r]` entries, because a row
records only while it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alref.campaign import heat
from alref.campaign.grading import passes


@dataclass
class RowLedger:
    """Element inputs and outputs (S x L, kg) and scrap off-gas (S, kg) of every row, and
    the same inputs and outputs by kind (``scrap``, ``product``, ``residue``, …: the
    per-element mass flows of the run report)."""

    inputs: np.ndarray
    outputs: np.ndarray
    offgas: np.ndarray
    inputs_by_kind: dict[str, np.ndarray] = field(default_factory=dict)
    outputs_by_kind: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def new(cls, S: int, L: int) -> RowLedger:
        return cls(np.zeros((S, L)), np.zeros((S, L)), np.zeros(S))

    def add_input(self, rows: np.ndarray, elements: np.ndarray, kind: str = "other") -> None:
        np.add.at(self.inputs, rows, elements)
        by = self.inputs_by_kind.get(kind)
        if by is None:
            by = self.inputs_by_kind[kind] = np.zeros_like(self.inputs)
        np.add.at(by, rows, elements)

    def add_output(self, rows: np.ndarray, elements: np.ndarray, kind: str = "other") -> None:
        np.add.at(self.outputs, rows, elements)
        by = self.outputs_by_kind.get(kind)
        if by is None:
            by = self.outputs_by_kind[kind] = np.zeros_like(self.outputs)
        np.add.at(by, rows, elements)


def balance_errors(initial: np.ndarray, now: np.ndarray, ledger: RowLedger) -> np.ndarray:
    """Relative element-balance error |initial + in − now − out| / max(supplied, accounted)
    per row and element (S x L); 0 for an element that never was in the pot."""
    supplied = initial + ledger.inputs
    accounted = now + ledger.outputs
    scale = np.maximum(np.maximum(supplied, accounted), 1e-30)
    return np.abs(supplied - accounted) / scale


@dataclass
class Event:
    """Rows that did the same thing at one time (an action, a lot)."""

    t: float
    rows: np.ndarray
    kind: str
    data: dict[str, Any]


@dataclass
class Recorder:
    """Accumulators, lots, action log and (optionally) time series of S rows."""

    S: int
    series: bool
    el: list[str]  # element columns of the lots
    target: str  # grade the in-grade product is counted against
    window: int = 5  # lots over which the recent in-grade share is kept
    energy_j: np.ndarray = field(init=False)
    charge_c: np.ndarray = field(init=False)
    scrap_kg: np.ndarray = field(init=False)
    product_kg: np.ndarray = field(init=False)
    al_product_kg: np.ndarray = field(init=False)
    in_grade_kg: np.ndarray = field(init=False)
    v_sum: dict[str, np.ndarray] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    lots: list[Event] = field(default_factory=list)
    residue_el: np.ndarray | None = None  # S x L, kg (drains and the final residue)
    residue_phases: list[dict[str, float]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)
    n_steps: np.ndarray = field(init=False)
    margins: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    limit_units: dict[str, tuple[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.energy_j, self.charge_c = np.zeros(self.S), np.zeros(self.S)
        self.aux_energy_j = np.zeros(self.S)
        self.scrap_kg, self.product_kg = np.zeros(self.S), np.zeros(self.S)
        self.al_product_kg, self.in_grade_kg = np.zeros(self.S), np.zeros(self.S)
        self.n_steps = np.zeros(self.S, int)
        self.residue_phases = [{} for _ in range(self.S)]
        self._recent = np.full((self.S, self.window), np.nan)  # mass of the last lots
        self._recent_ok = np.zeros((self.S, self.window))  # in-grade mass of the last lots

    # ------------------------------------------------------------------ events
    def log(self, rows: np.ndarray, t: float, kind: str, detail: dict[str, Any]) -> None:
        if rows.size:
            self.events.append(Event(t, rows.copy(), kind, detail))

    def lot(self, rows: np.ndarray, t: float, masses: np.ndarray) -> None:
        self.lots.append(Event(t, rows.copy(), "tap", {"masses": masses}))
        mass = masses.sum(1)
        self.product_kg[rows] += mass
        self.al_product_kg[rows] += masses[:, self.el.index("Al")]
        ok = passes(self.el, masses, self.target)
        self.in_grade_kg[rows] += np.where(ok, mass, 0.0)
        self.lots[-1].data["meets_target"] = ok
        self._recent[rows] = np.roll(self._recent[rows], 1, axis=1)
        self._recent_ok[rows] = np.roll(self._recent_ok[rows], 1, axis=1)
        self._recent[rows, 0] = mass
        self._recent_ok[rows, 0] = np.where(ok, mass, 0.0)
        self.events.append(Event(t, rows.copy(), "tap", {"mass_kg": masses.sum(1)}))

    def lots_at(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """Rows tapped at t and their lots (the last lot of a row if it tapped twice)."""
        rows: list[int] = []
        masses: list[np.ndarray] = []
        for ev in reversed(self.lots):
            if ev.t != t:
                break
            for k, r in enumerate(ev.rows):
                if int(r) not in rows:
                    rows.append(int(r))
                    masses.append(ev.data["masses"][k])
        if not rows:
            return np.zeros(0, int), np.zeros((0, 0))
        return np.array(rows, int), np.array(masses)

    def recent_in_grade_share(self, window: int) -> np.ndarray:
        """In-grade share (by mass) of each row's last `window` lots (NaN before any)."""
        w = min(window, self.window)
        m = np.nansum(self._recent[:, :w], axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(m > 0, self._recent_ok[:, :w].sum(1) / np.where(m > 0, m, 1.0),
                            np.nan)

    def track_margins(self, limits: list[Any], eng: Any, v: dict[str, Any], t: float,
                      alive: np.ndarray) -> None:
        """Follow each limit's margin over the cycle: first value, minimum, last value."""
        for lim in limits:
            m = np.asarray(lim.margin(eng, v, t), float)
            rec = self.margins.get(lim.name)
            if rec is None:
                rec = self.margins[lim.name] = {k: np.full(self.S, np.nan)
                                                for k in ("start", "min", "end")}
                self.limit_units[lim.name] = (lim.unit, lim.threshold)
            live = alive & np.isfinite(m)
            first = live & np.isnan(rec["start"])
            rec["start"][first] = m[first]
            rec["min"][live] = np.fmin(rec["min"][live], m[live])
            rec["end"][live] = m[live]

    def scrap(self, rows: np.ndarray, mass: np.ndarray) -> None:
        self.scrap_kg[rows] += mass

    def residue(self, rows: np.ndarray, elements: np.ndarray) -> None:
        if self.residue_el is None:
            self.residue_el = np.zeros((self.S, elements.shape[1]))
        np.add.at(self.residue_el, rows, elements)

    # ------------------------------------------------------------------ continuous
    def accumulate(self, rows: np.ndarray, dt: float, current: np.ndarray, volt: np.ndarray,
                   aux_counted: np.ndarray, terms: dict[str, np.ndarray]) -> None:
        """Energy (DC + auxiliary heat bought, and the auxiliary part alone), charge and
        voltage-term integrals over dt."""
        self.energy_j[rows] += (volt[rows] * current[rows] + aux_counted[rows]) * dt
        self.aux_energy_j[rows] += aux_counted[rows] * dt
        self.charge_c[rows] += current[rows] * dt
        for k, v in terms.items():
            self.v_sum.setdefault(k, np.zeros(self.S))[rows] += v[rows] * dt

    def record(self, t: float, alive: np.ndarray, row: dict[str, np.ndarray]) -> None:
        """One time point of the series (rows not alive keep their series as they are)."""
        if not self.series:
            return
        n = len(self.times)
        self.times.append(t)
        for k, val in row.items():
            col = self.columns.setdefault(k, [np.zeros(self.S)] * n)
            col.append(np.asarray(val, float).copy())
        self.n_steps[alive] += 1

    def series_of(self, r: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Time (s) and series of row r."""
        n = int(self.n_steps[r])
        return (np.asarray(self.times[:n]),
                {k: np.array(c[:n])[:, r] if n else np.zeros(0) for k, c in self.columns.items()})


MAIN_ELEMENTS = ("Al", "Cu", "Si", "Fe", "Zn", "Mn", "Mg")


def record_row(eng: Any, t: float, v: dict[str, Any]) -> None:
    """One time point of the named series of every row of engine `eng` (if it keeps them)."""
    if not eng.series:
        return
    op, rec = eng.op, eng.recorder
    row: dict[str, Any] = {
        "Current [A]": eng.current,
        "Cell voltage [V]": heat.voltage(eng),
        "Bath temperature [degC]": op.temp - eng.dip - 273.15,
        "Charge cooling [K]": eng.dip,
        "ACD [cm]": op.acd * 100,
        "Current efficiency [-]": heat.current_efficiency(eng),
        "Auxiliary heat [kW]": op.aux / 1e3,
        "Heat loss [kW]": op.loss_w / 1e3,
        "Anode alloy [kg]": v["anode_kg"],
        "Sludge [kg]": v["sludge_kg"],
        "Bath mass [kg]": v["bath_kg"],
        "Bath volume [L]": v["bath_volume_l"],
        "Cathode metal [kg]": v["cathode_kg"],
        "Alloy superheat [K]": v["alloy_superheat_k"],
        "Bath superheat [K]": v["bath_superheat_k"],
        "Cathode pad superheat [K]": v["cathode_superheat_k"],
        "Cumulative product [kg]": rec.product_kg,
        "Cumulative energy [kWh]": rec.energy_j / 3.6e6,
    }
    for k, val in op.terms.items():
        row[f"Voltage: {k.replace('_', ' ')} [V]"] = val
    zero = np.zeros(eng.S)
    for el in MAIN_ELEMENTS:
        row[f"Anode {el} [wt %]"] = np.nan_to_num(v.get(f"anode.{el}_wt_pct", zero), nan=0.0)
        if el != "Al":
            row[f"Cathode {el} [wt %]"] = np.nan_to_num(v.get(f"cathode.{el}_wt_pct", zero),
                                                        nan=0.0)
    for salt in sorted(set(eng.rows[0].bath0) | {"MgF2"}):
        row[f"Bath {salt} [wt %]"] = np.nan_to_num(v.get(f"bath.{salt}_wt_pct", zero), nan=0.0)
    rec.record(t, eng.alive, row)
