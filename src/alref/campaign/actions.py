"""The campaign's actions, each a typed object with one `apply` over rows of pots.

* `ChargeScrap`: scrap into the anode compartment (a fixed mass, or what holds the
  compartment's level); its metal joins the alloy, its oxide the sludge, its organics and
  moisture leave as off-gas;
* `Tap`: cathode metal out as a lot (down to a level left behind, or a fixed mass);
* `DrainResidue`: a share of the sludge out as residue;
* `CorrectBath`: salts added (with the impurities of the make-up salts), AlF3 to restore
  the initial cryolite ratio, or a share of the bath replaced by fresh bath;
* `AddCu`: copper into the anode alloy;
* `TapBath`: bath out down to its nominal volume (or a mass left), keeping the inventory
  within its compartment.

Every mass that enters or leaves is written to the engine's ledger, so element balances
close for every row. `typed_actions` turns the resolved protocol into these objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from alref.campaign.heat import charge_dip, layer_superheat, warn_frozen_pad
from alref.campaign.layout import ion_compound
from alref.campaign.observables import ratio_rows
from alref.campaign.protocol import Action as ActionSpec
from alref.campaign.protocol import Campaign
from alref.campaign.state import compound_fractions
from alref.campaign.triggers import Trigger
from alref.data import load as load_data
from alref.errors import ConfigError

DAY = 86400.0
#: smallest tap (kg) that makes a lot (below: nothing is tapped)
MIN_TAP_KG = 1e-9


@lru_cache(maxsize=1)
def salt_impurities() -> dict[str, dict[str, float]]:
    """Impurities of the make-up salts, wt % of the salt (`data/salt_impurities.toml`)."""
    raw = load_data("salt_impurities")
    return {salt: {k: float(v) for k, v in t.items() if k not in ("assumption", "source", "locator")}
            for salt, t in raw.items()}


def alf3_to_restore_kg(alf3_kg: Any, cr: Any, cr0: Any) -> Any:
    """AlF3 (kg) that brings a bath's cryolite ratio `cr` back down to `cr0` (floats or
    arrays): CR = n_base/n_AlF3, so n_AlF3 must grow by the factor cr/cr0. Mg and Li from
    the scrap consume AlF3 (3Mg + 2AlF3 -> 3MgF2 + 2Al) and raise the ratio."""
    alf3_kg, cr, cr0 = np.asarray(alf3_kg, float), np.asarray(cr, float), np.asarray(cr0, float)
    ok = np.isfinite(cr0) & (cr0 > 0) & np.isfinite(cr) & (cr > cr0)
    out = np.where(ok, alf3_kg * (cr / np.where(ok, cr0, 1.0) - 1.0), 0.0)
    return float(out) if out.ndim == 0 else out


@dataclass
class PlanAction:
    """An action of the plan: its place in the plan, its trigger and its `apply`."""

    index: int
    trigger: Trigger

    kind = "action"

    def key(self) -> str:
        return f"campaign.actions[{self.index}]"

    def apply(self, eng: Any, rows: np.ndarray, t: float) -> None:
        raise NotImplementedError


@dataclass
class ChargeScrap(PlanAction):
    mass_kg: float | None  # None: hold the compartment level
    feed_key: str  # which feed (engine.feeds): "" for the row's own feed
    kind = "charge_scrap"

    def apply(self, eng: Any, rows: np.ndarray, t: float) -> None:
        P, lay = eng.pools, eng.layout
        comp, yld, oxide_pct, names = eng.feed_arrays(self.feed_key, rows)
        if self.mass_kg is None:
            deficit = eng.design_arrays["level0"][rows] - P.A[rows].sum(1) - P.G[rows].sum(1)
            mass = np.maximum(deficit, 0.0) / yld
        else:
            mass = np.full(rows.size, self.mass_kg)
        go = mass > 0
        rows, mass, comp, yld, oxide_pct = rows[go], mass[go], comp[go], yld[go], oxide_pct[go]
        if rows.size == 0:
            return
        metal = (mass * yld)[:, None] * comp / 100.0
        P.A[rows] += metal
        eng.ledger.add_input(rows, metal @ lay.to_el_metal, "scrap")
        oxide = mass * oxide_pct / 100.0
        P.G[rows, -1] += oxide
        eng.ledger.add_input(rows, oxide[:, None] * lay.to_el_phase[-1][None, :], "scrap")
        eng.ledger.offgas[rows] += mass * (1 - yld) - oxide
        eng.recorder.scrap(rows, mass)
        charge_dip(eng, rows, mass, self.feed_key)
        warn_frozen_pad(eng, rows, t)
        eng.recorder.log(rows, t, "charge_scrap", {"mass_kg": mass, "scrap": [names[r] for r in rows],
                                                   "cooling_k": eng.dip[rows].copy(),
                                                   **layer_superheat(eng, rows)})


@dataclass
class Tap(PlanAction):
    mass_kg: float | None
    leave_kg: float | None  # None (and no mass): leave the design's pad
    kind = "tap"

    def apply(self, eng: Any, rows: np.ndarray, t: float) -> None:
        K = eng.pools.K
        total = K[rows].sum(1)
        if self.leave_kg is None and self.mass_kg is None:
            leave = eng.design_arrays["pad"][rows]
        elif self.leave_kg is not None:
            leave = np.full(rows.size, self.leave_kg)
        else:
            leave = None
        if self.mass_kg is not None:
            for k in np.nonzero(self.mass_kg > total + 1e-9)[0]:
                eng.fail(int(rows[k]), ConfigError(
                    f"{self.key()}.mass",
                    f"tapping {self.mass_kg:g} kg at day {t / DAY:.2f} but only "
                    f"{total[k]:.3g} kg of metal is in the cathode"))
            keep = eng.ok[rows]
            rows, total = rows[keep], total[keep]
            leave = leave[keep] if leave is not None else None
        take = total - leave if leave is not None else np.full(rows.size, self.mass_kg or 0.0)
        if self.mass_kg is not None and leave is not None:
            take = np.minimum(take, self.mass_kg)
        go = take > MIN_TAP_KG
        rows, take, total = rows[go], take[go], total[go]
        if rows.size == 0:
            return
        lot = K[rows] * (take / total)[:, None]
        K[rows] -= lot
        eng.ledger.add_output(rows, lot @ eng.layout.to_el_metal, "product")
        eng.recorder.lot(rows, t, lot)


@dataclass
class DrainResidue(PlanAction):
    fraction: float
    kind = "drain_residue"

    def apply(self, eng: Any, rows: np.ndarray, t: float) -> None:
        G = eng.pools.G
        out = G[rows] * self.fraction
        G[rows] -= out
        el = out @ eng.layout.to_el_phase
        eng.ledger.add_output(rows, el, "residue")
        eng.recorder.residue(rows, el)
        eng.recorder.log(rows, t, "drain_residue", {"mass_kg": out.sum(1)})


@dataclass
class CorrectBath(PlanAction):
    add_kg: dict[str, float]
    restore: bool
    fraction: float | None  # share of the bath replaced by fresh bath
    kind = "correct_bath"

    def apply(self, eng: Any, rows: np.ndarray, t: float) -> None:
        lay, B = eng.layout, eng.pools.B
        adds = np.zeros((rows.size, len(lay.names)))
        for salt, m in self.add_kg.items():
            adds[:, lay.si[salt]] += m
        if self.fraction is not None:
            removed = B[rows] * self.fraction
            B[rows] -= removed
            eng.ledger.add_output(rows, removed @ lay.to_el_bath, "bath_removed")
            fresh = removed.sum(1)
            adds += fresh[:, None] * eng.bath0[rows] / 100.0
            eng.recorder.log(rows, t, "replace_bath", {"fraction": np.full(rows.size, self.fraction),
                                                       "removed_kg": fresh})
        if self.restore:
            Bm = B[rows] * eng.bath0_mask
            cr = ratio_rows(Bm, eng.cr_alkali, eng.cr_alf3)
            x = alf3_to_restore_kg(Bm[:, lay.si["AlF3"]], cr, eng.cr0[rows])
            adds[:, lay.si["AlF3"]] += np.where(x > 1e-9, x, 0.0)
        used = [j for j in range(adds.shape[1]) if (adds[:, j] > 0).any()]
        for j in used:
            salt, m = lay.names[j], adds[:, j]
            imp = salt_impurities().get(salt, {})
            pure = m * (1 - sum(imp.values()) / 100)
            B[rows, j] += pure
            eng.ledger.add_input(rows, pure[:, None] * lay.to_el_bath[j][None, :], "bath_additions")
            for el, w in imp.items():
                comp = ion_compound(el)
                m_comp = np.maximum(m * w / 100, 0.0) / compound_fractions(comp)[el]
                B[rows, lay.si[comp]] += m_comp
                eng.ledger.add_input(rows, m_comp[:, None] * lay.to_el_bath[lay.si[comp]][None, :],
                                     "bath_additions")
        if used:
            detail = {f"{lay.names[j]}_kg": adds[:, j] for j in used}
            has = (adds[:, used] > 0).any(1)
            eng.recorder.log(rows[has], t, "correct_bath", {k: v[has] for k, v in detail.items()})


@dataclass
class AddCu(PlanAction):
    mass_kg: float
    kind = "add_cu"

    def apply(self, eng: Any, rows: np.ndarray, t: float) -> None:
        lay = eng.layout
        add = np.zeros((rows.size, len(lay.el)))
        add[:, lay.th.idx["Cu"]] = self.mass_kg
        eng.pools.A[rows] += add
        eng.ledger.add_input(rows, add @ lay.to_el_metal, "metal_additions")
        eng.recorder.log(rows, t, "add_cu", {"mass_kg": np.full(rows.size, self.mass_kg)})


@dataclass
class TapBath(PlanAction):
    """Bath out (every compound in proportion) down to `leave_kg`, or to the nominal bath
    volume of the design at today's density."""

    leave_kg: float | None
    kind = "tap_bath"

    def apply(self, eng: Any, rows: np.ndarray, t: float) -> None:
        B = eng.pools.B
        total = B[rows].sum(1)
        keep = (np.full(rows.size, self.leave_kg) if self.leave_kg is not None
                else eng.bath_nominal_m3()[rows] * eng.op.rho_bath[rows])
        take = np.maximum(total - keep, 0.0)
        go = take > MIN_TAP_KG
        rows, take, total = rows[go], take[go], total[go]
        if rows.size == 0:
            return
        out = B[rows] * (take / total)[:, None]
        B[rows] -= out
        eng.ledger.add_output(rows, out @ eng.layout.to_el_bath, "bath_removed")
        eng.recorder.log(rows, t, "tap_bath", {"mass_kg": take})


def typed_action(a: ActionSpec) -> PlanAction:
    """The typed action of a resolved protocol action."""
    trig = Trigger(a.every_s, a.start_s, a.at_s, a.when)
    if a.kind == "charge_scrap":
        return ChargeScrap(a.index, trig, None if a.hold_level else a.mass_kg,
                           feed_key(a.scrap))
    if a.kind == "tap":
        return Tap(a.index, trig, a.mass_kg, a.leave_kg)
    if a.kind == "drain_residue":
        return DrainResidue(a.index, trig, a.fraction if a.fraction is not None else 1.0)
    if a.kind == "correct_bath":
        return CorrectBath(a.index, trig, dict(a.add_kg or {}), a.restore, a.fraction)
    if a.kind == "add_cu":
        return AddCu(a.index, trig, a.mass_kg or 0.0)
    if a.kind == "tap_bath":
        return TapBath(a.index, trig, a.leave_kg)
    raise ConfigError(f"{a.key()}.kind", f"unknown action {a.kind!r}")


def typed_actions(campaign: Campaign) -> list[PlanAction]:
    """The plan's actions, in order, as typed objects with fresh triggers."""
    return [typed_action(a) for a in campaign.actions]


def feed_key(scrap: Any) -> str:
    """Key of an action's scrap among the engine's feeds ("" for the row's own feed)."""
    return "" if scrap is None else repr(scrap)


def final_tap() -> Tap:
    """The tap at the end of a cycle: everything above the design's pad."""
    return Tap(-1, Trigger(None, 0.0, (), None), None, None)
