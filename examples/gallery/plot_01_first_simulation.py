"""
First simulation
================

Simulate the default pot's whole cycle — a RUSAL-type 3 kA diaphragm pot refining Twitch
scrap — and look at what it produced: the cycle KPIs, the tapped lots and the cell voltage
over the cycle. This is ``alref simulate`` from Python.
"""

import alref

sc = alref.Scenario.preset("rusal-3ka-twitch")
sol = alref.Simulation.from_scenario(sc).run()
print(sol)

# %%
# Typed KPIs, named as the keys of ``alref simulate --json``:
k = sol.kpis
print(f"cycle {k.cycle_days:.1f} d, {k.energy_kwh_per_kg:.2f} kWh/kg, "
      f"product {k.product_kg:.0f} kg at {k.product_al_wt_pct:.3f} wt % Al, "
      f"{k.product_in_grade_fraction:.0%} in {k.target_grade}")
print("the cycle ended because:", sol.termination)

# %%
# Every tapped lot with its grade (pandas):
lots = sol.lots_frame()
print(lots[["t_days", "mass_kg", "al_wt_pct", "grade"]].tail(5))

# %%
# Time series, indexed by time in days. The voltage creeps up as the anode alloy loses Al
# (its reversible term grows), and the dips follow each cold scrap charge.
axes = sol.plot(["Cell voltage [V]", "Bath temperature [degC]", "Anode Cu [wt %]"])
axes[0].figure.tight_layout()
