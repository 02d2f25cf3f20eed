"""
Changing the scrap blend
========================

The feed decides what the pot has to hold back. Here the default pot refines three feeds —
Twitch (shredded mixed scrap), a Twitch/Zorba blend and a library alloy (``alloy:6063``,
a clean extrusion alloy) — and we compare the product purity, the energy and what ended the
cycle. ``feed.scrap`` takes an ISRI class (``alref scrap list``), a blend table or
``"alloy:NAME"``.

A clean alloy feed loads the anode alloy slowly, so its cycle can run for months; every run
here stops at 60 days at the latest (``campaign.termination.max_duration``) to keep the
example short.
"""

import matplotlib.pyplot as plt

import alref

base = alref.Scenario.preset("rusal-3ka-twitch")
feeds = {
    "twitch": "twitch",
    "70 % twitch + 30 % zorba": {"twitch": 0.7, "zorba": 0.3},
    "alloy 6063": "alloy:6063",
}
rows = [
    alref.Simulation.from_scenario(
        base.derive({"feed.scrap": f, "campaign.termination.max_duration": "60 d"})).run()
    for f in feeds.values()
]

# %%
for label, sol in zip(feeds, rows, strict=True):
    k = sol.kpis
    print(f"{label:26s} {k.cycle_days:5.1f} d  {k.energy_kwh_per_kg:5.2f} kWh/kg  "
          f"product {k.product_al_wt_pct:.3f} % Al  ends: {sol.termination.split(';')[0]}")

# %%
# Fe and Si in every tapped lot: the dirtier feed brings more of both, late in the cycle
# when the anode alloy is loaded with impurities.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharex=True)
for label, sol in zip(feeds, rows, strict=True):
    lots = sol.lots_frame()
    axes[0].plot(lots["t_days"], lots["Fe_wt_pct"], marker=".", label=label)
    axes[1].plot(lots["t_days"], lots["Si_wt_pct"], marker=".", label=label)
axes[0].set_ylabel("Fe in lot [wt %]")
axes[1].set_ylabel("Si in lot [wt %]")
for ax in axes:
    ax.set_xlabel("day")
axes[0].legend(fontsize=8)
fig.tight_layout()
