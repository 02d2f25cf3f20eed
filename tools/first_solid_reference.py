"""True liquidus and primary phase of anode alloys from full pycalphad equilibria on COST 507.

Writes the rows of ``src/alref/data/thermo/first_solid_calphad.csv`` (the reference that
``tests/unit/test_first_solid.py`` checks `alref.thermo.first_solid` against). Needs
pycalphad 0.11.2 (dev extra). Usage: python tools/first_solid_reference.py INDEX [INDEX ...]
(indices into CASES; each case takes 5-60 s). The liquidus is the first all-liquid
temperature of a 10 K scan refined by bisection to 0.25 K; the primary phase is the solid
with the largest fraction just below it.
"""
import sys, warnings, time
warnings.filterwarnings("ignore")
import numpy as np
from importlib import resources
from pycalphad import Database, equilibrium, variables as v
from pycalphad.core.utils import filter_phases, unpack_species
dbf = Database(str(resources.files("pycalphad.tests.databases").joinpath("COST507.tdb")))
MOLAR = {"AL": 26.9815384, "CU": 63.546, "FE": 55.845, "SI": 28.085, "MN": 54.938043,"MG": 24.305, "ZN": 65.38}
def setup(comp):
    n = {k.upper(): w/MOLAR[k.upper()] for k,w in comp.items() if w>0}
    tot = sum(n.values()); els = sorted(n)
    comps = els + ["VA"]
    phases = [p for p in filter_phases(dbf, unpack_species(dbf, comps)) if p != "GAS"]
    x = {v.X(el): n[el]/tot for el in els[1:]}
    return comps, phases, x
def solids_at(comps, phases, x, T):
    conds = {v.T: T, v.P: 101325, v.N: 1, **x}
    r = equilibrium(dbf, comps, phases, conds)
    ph = np.atleast_1d(np.squeeze(r.Phase.values)); npf = np.atleast_1d(np.squeeze(r.NP.values))
    if np.ndim(T):
        return [[(str(p), float(f)) for p,f in zip(ph[i], npf[i]) if str(p) and not str(p).startswith("LIQUID") and f>1e-9] for i in range(len(T))]
    return [(str(p), float(f)) for p,f in zip(ph, npf) if str(p) and not str(p).startswith("LIQUID") and f>1e-9]
def liquidus(comp):
    comps, phases, x = setup(comp)
    Ts = np.arange(700.0, 1700.0, 10.0)
    sol = solids_at(comps, phases, x, Ts)
    i0 = next(i for i,s in enumerate(sol) if not s)  # first all-liquid T
    k = i0 - 1
    lo, hi = Ts[k], Ts[i0]
    prim = sol[k]
    while hi - lo > 0.25:
        mid = 0.5*(lo+hi)
        s = solids_at(comps, phases, x, mid)
        if s: lo, prim = mid, s
        else: hi = mid
    return 0.5*(lo+hi), max(prim, key=lambda p: p[1])[0]
CASES = [
 {"Al":67,"Cu":33}, {"Al":60,"Cu":40}, {"Al":75,"Cu":25},
 {"Al":55,"Cu":33,"Si":12}, {"Al":62,"Cu":30,"Si":8}, {"Al":64,"Cu":30,"Si":5,"Fe":1},
 {"Al":58.5,"Cu":30,"Si":8,"Fe":2,"Zn":1,"Mn":0.5}, {"Al":49,"Cu":35,"Si":10,"Fe":3,"Zn":2,"Mn":1},
 {"Al":69,"Cu":25,"Si":4,"Fe":1.5,"Mn":0.5}, {"Al":65,"Cu":33,"Fe":2}, {"Al":53,"Cu":33,"Si":6,"Fe":4,"Zn":3,"Mn":1},
 {"Al":64.5,"Cu":33,"Zn":2.5}, {"Al":63,"Cu":33,"Si":2,"Mn":2},
]
import sys
cases = [CASES[int(a)] for a in sys.argv[1:]]
out = []
for c in cases:
  try:
    t=time.time(); T, p = liquidus(c)
  except Exception as ex:
    print(c, 'FAIL', ex, flush=True); continue
  if True:
    out.append({"comp": c, "T_K": round(T,2), "primary": p}); print(c, round(T-273.15,2), p, round(time.time()-t,1), flush=True)
for row in out:
    comp = ";".join(f"{k}={v:g}" for k, v in row["comp"].items())
    print(f'{comp},{row["T_K"]:.2f},{row["primary"]}')
