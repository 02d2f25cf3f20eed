"""
Reading a run folder with pandas
================================

``alref simulate --out DIR`` (or ``Solution.save(DIR)``) writes a run folder: the time
series as Parquet, the lots and the actions as CSV, the summary and a manifest as JSON.
Any tool can read it; here pandas does. The folder is written atomically, so a reader never
sees half a run.
"""

import json
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import alref

# a short cycle (10 days) keeps the example quick; the folder is the same for a full run
sc = alref.Scenario.preset("rusal-500a-twitch").derive(
    {"campaign.termination.max_duration": "10 d"})
sol = alref.Simulation.from_scenario(sc).run()
run = Path(sol.save(Path(tempfile.mkdtemp()) / "run-500a"))
print(sorted(p.name for p in run.iterdir()))

# %%
# The manifest says what made the run: version, scenario and its hash, files and checksums.
manifest = json.loads((run / "manifest.json").read_text())
print({k: manifest[k] for k in ("alref_version", "scenario", "scenario_hash") if k in manifest})

# %%
# Time series: one column per series, units in the names.
ts = pd.read_parquet(run / "timeseries.parquet")
print(ts.columns[:8].tolist())
print(ts[["Time [d]", "Cell voltage [V]", "Current efficiency [-]"]].describe().round(3))

# %%
# Lots: one row per tapped lot with its analysis and grade.
lots = pd.read_csv(run / "lots.csv")
print(lots[["t_days", "mass_kg", "al_wt_pct", "grade"]])

# %%
# Energy per kg of product so far, from the cumulative series:
ts["kWh/kg so far"] = ts["Cumulative energy [kWh]"] / ts["Cumulative product [kg]"]
ax = ts[ts["Cumulative product [kg]"] > 1].plot(x="Time [d]", y="kWh/kg so far", legend=False)
ax.set_ylabel("energy per kg product [kWh/kg]")
plt.tight_layout()

# %%
# The same folder loads back into a Solution:
again = alref.Solution.load(run)
assert again.kpis == sol.kpis
print(again)
