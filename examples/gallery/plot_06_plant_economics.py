"""
Economics of a plant
====================

``alref assess`` (here its service, ``alref.api.assess``) turns a simulated cycle into the
economics of a plant of such pots — revenue and costs per tonne, NPV, IRR, break-even scrap
and power prices — and the carbon footprint, with the prices, plant size and finance of the
``[economics]`` section (defaults: the cited market tables in ``alref/data/market/``).

We assess the default pot at two power prices and show the cost breakdown per tonne.
"""

import matplotlib.pyplot as plt

import alref
from alref import api

base = alref.Scenario.preset("rusal-3ka-twitch")
cases = {price: api.assess(base.derive({"economics.power_price_usd_per_mwh": price}))
         for price in (40.0, 90.0)}

for price, a in cases.items():
    e = a.economics
    print(f"power {price:3.0f} US$/MWh: margin {e['margin_usd_per_t']:8,.0f} US$/t, "
          f"NPV {e['npv_usd'] / 1e6:7.2f} M US$, break-even power "
          f"{e['break_even_power_usd_per_mwh']:6.1f} US$/MWh")

# %%
# Power is a direct lever: the margin moves by the energy per tonne (about 9 MWh/t here)
# times the price difference, and the break-even power price is the one where the margin is
# zero (negative: the plant loses money at any power price under these assumptions). The
# cost breakdown per tonne of product at the lower power price shows where the money goes:
breakdown = cases[40.0].economics["cost_breakdown_usd_per_t"]
items = sorted(breakdown.items(), key=lambda kv: kv[1])
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.barh([k.replace("_", " ") for k, _ in items], [v for _, v in items])
ax.set_xlabel("US$ per tonne of product")
fig.tight_layout()

# %%
# The carbon footprint by scope, kg CO2e per kg of product:
fp = cases[40.0].footprint
print({k: v for k, v in fp.items() if isinstance(v, int | float)})
