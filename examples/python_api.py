"""alref from Python: simulate a refining pot at 3.3 kA, look at the results, save them.

    python examples/python_api.py [OUT_DIR]

Needs the ``report`` extra (pandas, pyarrow, matplotlib): ``pip install "alref[report]"``.
Writes ``OUT_DIR/run`` (the run folder) and ``OUT_DIR/voltage.png`` (default OUT_DIR: a
new temporary directory).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

import alref
from alref.properties import electrolyte

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="alref-"))
out.mkdir(parents=True, exist_ok=True)

# 1. A preset, a validated variant, a campaign run: the PyBaMM-style front door.
base = alref.Scenario.preset("rusal-3ka-twitch")
sol = alref.Simulation.from_scenario(base.derive({"cell.current": "3.3 kA"})).run()
print(sol)

# 2. Typed KPIs, named as the keys of `alref simulate --json`.
k = sol.kpis
print(f"cycle {k.cycle_days:.2f} d, {k.energy_kwh_per_kg:.2f} kWh/kg, "
      f"product {k.product_kg:.0f} kg at {k.product_al_wt_pct:.3f} wt % Al, "
      f"{k.product_in_grade_fraction:.0%} in {k.target_grade}")

# 3. Tables (pandas) and plots (matplotlib).
frame = sol.to_frame()  # one column per series, indexed by time in days
print(frame[["Cell voltage [V]", "Bath temperature [degC]", "Anode Cu [wt %]"]].iloc[::28])
print(sol.lots_frame()[["t_days", "mass_kg", "al_wt_pct", "grade"]].tail(3))
axes = sol.plot(["Cell voltage [V]", "Bath temperature [degC]", "Cathode Fe [wt %]"])
axes[0].figure.savefig(out / "voltage.png", dpi=80)

# 4. The run folder: save, load back, same results.
path = sol.save(out / "run")
again = alref.Solution.load(path)
assert np.array_equal(again["Cell voltage [V]"], sol["Cell voltage [V]"])
assert again.kpis == sol.kpis
print(f"saved to {path}")

# 5. Property functions take arrays: bath conductivity over a temperature range.
bath = base.electrolyte.composition
temps_k = np.linspace(780.0, 840.0, 4) + 273.15
kappa = electrolyte.conductivity(bath, temps_k)
print(f"{kappa.correlation}: {np.round(kappa.value, 1)} S/m at {temps_k - 273.15} degC")

# 6. The references the result rests on.
alref.print_citations(sol)
