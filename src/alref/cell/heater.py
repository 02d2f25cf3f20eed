"""Authority of a pot's auxiliary heating and cooling (issue 13: heater authority).

A diaphragm pot at a fixed gap, or a furnace-held lab cell, holds its set temperature
with auxiliary heat or cooling (`alref.cell.model.control`). Its heaters and cooling have
a maximum power (``[pot_control.heater]`` of the design file, `CellDesign.heater_max_w`,
`cooling_max_w`). When the heat balance asks for more, the lever runs at its maximum and
the temperature goes where the heat balance with that lever closes (domain-physics §8.1:
heat in = losses + scrap heat): a heat deficit beyond the heater's rating lets the pot
fall, a surplus beyond the cooling's lets it rise. If even the full heater cannot keep
the pot above its highest liquidus (bath or anode alloy), a layer freezes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from alref.properties.registry import RangeWarning
from alref.roots import brentq

#: `control` limits where the heater or the cooling is at its maximum ("heater_freeze": the
#: heat balance would cool the pot to its highest liquidus even with the heater at full
#: power; "cooling_overheat": it would heat it more than `OVERHEAT_SPAN_K` above the
#: design maximum even with full cooling)
HEATER_LIMITS = ("heater_max", "heater_freeze", "cooling_max", "cooling_overheat")
#: how the note of a heater (or cooling) shortfall begins
HEATER_LIMIT = "heater limit"
#: K above the design's maximum temperature searched for where a pot beyond its cooling
#: settles (numerical search bound, as `alref.cell.limits.self_heating_temperature`)
OVERHEAT_SPAN_K = 150.0


def authority(design: Any, t_set: float, sp: float, surplus: Callable[[float], float],
              t_liquidus: float, notes: list[str], warn: bool
              ) -> tuple[float, str | None, float, float]:
    """(T, limit, aux_w, cooling_w) of a pot whose heat surplus at its set temperature
    `t_set` (K) is `sp` (W; `surplus(T)` at other temperatures, same gap).

    Inside the design's ratings the set temperature holds (limit None). Beyond them the
    lever runs at its maximum and T solves surplus(T) + heater = 0 down to `t_liquidus`
    (the highest liquidus; below it "heater_freeze") or surplus(T) - cooling = 0 up to
    `OVERHEAT_SPAN_K` above the design maximum ("cooling_overheat" beyond). The note
    (and with `warn` a RangeWarning) names the shortfall in kW."""
    heat_max, cool_max = design.heater_max_w, design.cooling_max_w
    if -heat_max <= sp <= cool_max:
        return t_set, None, max(-sp, 0.0), max(sp, 0.0)
    lever = heat_max if sp < 0 else -cool_max

    def g(temp: float) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RangeWarning)
            return surplus(temp) + lever

    if sp < 0:
        short = -sp - heat_max
        if t_liquidus >= t_set or g(t_liquidus) < 0:
            t, limit = min(t_liquidus, t_set), "heater_freeze"
            what = (f"even at full power the pot cools to its highest liquidus "
                    f"({t_liquidus - 273.15:.0f} degC): a layer freezes")
        else:
            t, limit = brentq(g, t_liquidus, t_set, xtol=1e-3), "heater_max"
            what = f"the pot falls to {t - 273.15:.0f} degC"
        msg = (f"{HEATER_LIMIT}: holding {t_set - 273.15:.0f} degC needs {-sp / 1e3:.2f} kW of "
               f"auxiliary heat, the design's heater gives at most {heat_max / 1e3:.2f} kW "
               f"({short / 1e3:.2f} kW short): {what}")
        aux, cool = heat_max, 0.0
    else:
        short = sp - cool_max
        t_top = design.spec.pot_control.temperature_max_k + OVERHEAT_SPAN_K
        if g(t_top) > 0:
            t, limit = t_top, "cooling_overheat"
            what = f"the pot overheats beyond {t_top - 273.15:.0f} degC"
        else:
            t, limit = brentq(g, t_set, t_top, xtol=1e-3), "cooling_max"
            what = f"the pot rises to {t - 273.15:.0f} degC"
        msg = (f"cooling limit: holding {t_set - 273.15:.0f} degC needs {sp / 1e3:.2f} kW of "
               f"cooling, the design's cooling removes at most {cool_max / 1e3:.2f} kW "
               f"({short / 1e3:.2f} kW short): {what}")
        aux, cool = 0.0, cool_max
    notes.append(msg)
    if warn:
        warnings.warn(RangeWarning(msg), stacklevel=4)
    return t, limit, aux, cool


def report(design: Any, sp_set: float, aux_w: float, cooling_w: float, t_set: float,
           temp: float) -> dict[str, Any]:
    """The ``heater`` block of `alref cell`'s pot_control: ratings, what holding the set
    temperature asks for (kW; heating > 0, cooling < 0), the shortfall and the change of
    temperature it causes."""
    heat_max, cool_max = design.heater_max_w, design.cooling_max_w
    demand = -sp_set
    short_heat = max(demand - heat_max, 0.0)
    short_cool = max(-demand - cool_max, 0.0)

    def kw(x: float) -> float | None:
        return None if x == float("inf") else x / 1e3

    return {
        "heating_max_kw": kw(heat_max), "cooling_max_kw": kw(cool_max),
        "demand_at_set_temperature_kw": demand / 1e3,
        "heating_shortfall_kw": short_heat / 1e3, "cooling_shortfall_kw": short_cool / 1e3,
        "temperature_change_k": temp - t_set,
        "ok": short_heat <= 1e-6 and short_cool <= 1e-6,
    }
