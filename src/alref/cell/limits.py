"""Whether an operating point stays within the pot's limits, and what holding it costs.

Limits of a design (``[pot_control]`` of its data file): bath temperature between the
highest liquidus (bath or anode alloy) plus the minimum superheat and the design maximum;
ACD inside the buildable range; stacked pots: both interfaces below the Sele criterion
(`alref.cell.stability`). A control mode that needs a lever the design does not have
(auxiliary heat or cooling in ``fixed_acd`` or ``bath_level``) is outside its limits too.
The self-heating temperature — where the heat balance would close with no auxiliary heat
or cooling at the operating gap — says what a current change costs in temperature.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from alref.cell.design import POT_CONTROL_MODES, CellDesign
from alref.errors import AlrefError
from alref.properties.registry import RangeWarning
from alref.roots import brentq

#: control modes whose lever is auxiliary heat or cooling (the others have none)
AUXILIARY_MODES = ("auxiliary", "furnace")


def _check(value: float, lo: float, hi: float, scale: float, offset: float = 0.0) -> dict[str, Any]:
    tol = 1e-6 * max(abs(lo), abs(hi), 1.0)
    return {
        "value": value * scale + offset, "min": lo * scale + offset, "max": hi * scale + offset,
        "ok": lo - tol <= value <= hi + tol,
    }


def operating_limits(
    design: CellDesign,
    mode: str,
    temperature_k: float,
    temperature_window_k: tuple[float, float],
    acd_m: float,
    auxiliary_w: float,
    cooling_w: float,
    self_heating_k: float | None,
    stability: dict[str, Any] | None,
) -> tuple[dict[str, Any], bool, list[str]]:
    """(limits table, within_limits, notes) of one operating point."""
    pc = design.spec.pot_control
    t_lo, t_hi = temperature_window_k
    limits: dict[str, Any] = {
        "temperature_c": _check(temperature_k, t_lo, t_hi, 1.0, -273.15),
        "acd_cm": _check(acd_m, pc.acd_min_m, pc.acd_max_m, 100.0),
    }
    notes: list[str] = []
    if self_heating_k is None:
        limits["self_heating_temperature_c"] = {"value": None, "min": t_lo - 273.15,
                                                "max": t_hi - 273.15, "ok": False}
    else:
        limits["self_heating_temperature_c"] = _check(self_heating_k, t_lo, t_hi, 1.0, -273.15)
    needs_lever = auxiliary_w > 1e-6 or cooling_w > 1e-6
    lever_ok = mode in AUXILIARY_MODES or not needs_lever
    limits["control_lever"] = {
        "mode": mode, "auxiliary_heat_kw": auxiliary_w / 1e3, "cooling_kw": cooling_w / 1e3,
        "ok": lever_ok,
    }
    if not lever_ok:
        notes.append(f"control mode {mode!r} has no auxiliary heating or cooling, but the heat "
                     "balance needs it: the pot leaves its operating window")
    if stability is not None:
        limits["interface_stability"] = stability | {"ok": stability["stable"]}
        for name in ("alloy_bath", "bath_pad"):
            if not stability[name]["stable"]:
                notes.append(
                    f"{name.replace('_', '/')} interface: Sele parameter "
                    f"{stability[name]['beta']:.3g} above the critical {stability['beta_critical']:g} "
                    "(interface waves may grow: thicker bath, deeper pad or lower current)")
    if not limits["temperature_c"]["ok"]:
        notes.append("bath temperature outside the design window "
                     f"{t_lo - 273.15:.0f}-{t_hi - 273.15:.0f} degC")
    within = all(v["ok"] for k, v in limits.items() if k != "self_heating_temperature_c")
    return limits, within, notes


def self_heating_temperature(
    surplus: Callable[[float], float], window_k: tuple[float, float], span_k: float = 150.0
) -> tuple[float | None, str]:
    """Temperature (K) where the heat `surplus(T)` (W) of the pot at its operating gap is
    zero — what it would run at with no auxiliary heat or cooling — and where it lies:
    "in_window", "below_window" (the pot would freeze: None), "above_window" (up to `span_k`
    above the design maximum) or "beyond_search" (hotter still: None). Correlations used
    outside their range in this what-if do not warn."""
    t_low, t_high = window_k
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RangeWarning)
        try:
            if surplus(t_low) < 0:
                return None, "below_window"
            if surplus(t_high) <= 0:
                return brentq(surplus, t_low, t_high, xtol=1e-3), "in_window"
            if surplus(t_high + span_k) > 0:
                return None, "beyond_search"
            return brentq(surplus, t_high, t_high + span_k, xtol=1e-3), "above_window"
        except (AlrefError, ValueError):
            return None, "beyond_search"


def control_report(
    design: CellDesign, mode: str, set_temperature_k: float, temperature_k: float,
    acd_m: float, auxiliary_w: float, cooling_w: float, window_k: tuple[float, float],
    surplus: Callable[[float], float], stability: dict[str, Any] | None,
) -> dict[str, Any]:
    """The ``pot_control`` block of `alref cell`: mode, allowed modes, lever, self-heating
    temperature and rise over the set point, limits, within_limits and notes."""
    if mode == "furnace":
        t_self, where = None, "furnace"
    else:
        t_self, where = self_heating_temperature(surplus, window_k)
    limits, within, notes = operating_limits(design, mode, temperature_k, window_k, acd_m,
                                             auxiliary_w, cooling_w, t_self, stability)
    outside = design.outside_validated_range()
    if outside:
        warnings.warn(outside, RangeWarning, stacklevel=2)
    if mode not in ("fixed_acd", "furnace"):
        if t_self is not None and abs(t_self - temperature_k) > 0.5:
            notes.append("without auxiliary heat or cooling this pot would settle at "
                         f"{t_self - 273.15:.0f} degC at this gap and current")
        elif where == "below_window":
            notes.append("without auxiliary heat this pot would cool below "
                         f"{window_k[0] - 273.15:.0f} degC (liquidus + minimum superheat) "
                         "and freeze")
        elif where == "beyond_search":
            notes.append("without cooling this pot would overheat far above its "
                         f"{window_k[1] - 273.15:.0f} degC maximum")
    return {
        "mode": mode, "allowed_modes": list(design.spec.pot_control.modes),
        "lever": POT_CONTROL_MODES[mode],
        "set_temperature_c": set_temperature_k - 273.15,
        "self_heating_temperature_c": None if t_self is None else t_self - 273.15,
        "temperature_rise_k": None if t_self is None else t_self - set_temperature_k,
        "self_heating_state": where,
        "limits": limits, "within_limits": within, "notes": notes,
    }
