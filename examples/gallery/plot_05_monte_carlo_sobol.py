"""
Monte Carlo and Sobol indices
=============================

Scrap is never the same twice. A Monte Carlo study draws the feed composition from the
scrap class's spread model (``feed.composition``: correlated draws of every element) and
shows the spread of the product purity; a Sobol study then apportions the variance of an
output between the inputs (Saltelli design, SALib).

To run in about half a minute on two cores this example keeps the samples small (32 Monte
Carlo draws, 16 Sobol base samples) and stops each cycle at 15 days
(``campaign.termination.max_duration``). Sobol indices from so few samples have wide
confidence intervals: use N ≥ 512 (``alref study sobol ... --n 512``) for real answers.
"""

import matplotlib.pyplot as plt

import alref

short = ['campaign.termination.max_duration="15 d"']

mc = alref.Study.mc("rusal-3ka-twitch", ["feed.composition"], n=32, seed=1,
                    overrides=short).run()
df = mc.to_frame()
print(df[["product_al_wt_pct", "energy_kwh_per_kg"]].describe().round(4))

# %%
# The spread of the product purity over the feed's spread. Every sample stays far above
# the 99.70 % Al that P1020A needs, so the grade is never at risk from the feed alone here.
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.hist(df["product_al_wt_pct"], bins=12)
ax.set_xlabel("product Al [wt %] (P1020A needs >= 99.70)")
ax.set_ylabel("samples")
ax.ticklabel_format(axis="x", useOffset=False)
fig.tight_layout()
print(f"lowest sample {df['product_al_wt_pct'].min():.3f} % Al: "
      f"{df['product_al_wt_pct'].min() - 99.70:.3f} points above the P1020A limit")

# %%
# Sobol indices of the product purity over the line current, the bath temperature and the
# Si of the feed.
sobol = alref.Study.sobol(
    "rusal-3ka-twitch",
    {"cell.current": "2800:3200", "cell.temperature": "795:815", "feed.composition.Si": None},
    n=16, seed=1, overrides=short,
).run()
indices = sobol.summary["sobol"]["energy_kwh_per_kg"]
names = list(indices)
for name in names:
    i = indices[name]
    print(f"{name:22s} S1 = {i['S1']:+.2f} ± {i['S1_conf']:.2f}   ST = {i['ST']:.2f} ± {i['ST_conf']:.2f}")

# %%
# First-order (S1) and total (ST) indices of the energy per kg, with their confidence
# half-widths. The current dominates: at a fixed gap more current means more I·R loss.
fig, ax = plt.subplots(figsize=(6, 3.2))
x = range(len(names))
ax.bar([v - 0.2 for v in x], [indices[n]["S1"] for n in names], 0.4,
       yerr=[indices[n]["S1_conf"] for n in names], label="S1")
ax.bar([v + 0.2 for v in x], [indices[n]["ST"] for n in names], 0.4,
       yerr=[indices[n]["ST_conf"] for n in names], label="ST")
ax.set_xticks(list(x), names, fontsize=8)
ax.set_ylabel("Sobol index of energy [kWh/kg]")
ax.legend(fontsize=8)
fig.tight_layout()
