"""Benchmark (not a test): cost of the per-step thermodynamic calls of the campaign.

Run: python benchmarks/bench_thermo.py. Target (issue 3): `precipitate` < 1 ms per call.
"""

from __future__ import annotations

import json
import time
import warnings

from alref.materials.elements import molar_mass  # noqa: F401  (warms the element table)
from alref.thermo.activity import activity_al
from alref.thermo.solubility import precipitate


def per_call(fn, n: int = 200) -> float:
    fn()
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def main() -> None:
    warnings.simplefilter("ignore")
    wt = {"Cu": 33.0, "Fe": 1.0, "Si": 6.0, "Mn": 0.5, "Zn": 1.0, "Ti": 0.05, "Mg": 0.3}
    wt["Al"] = 100.0 - sum(wt.values())
    masses = {el: w * 4.5 for el, w in wt.items()}
    t = 1023.15
    print(json.dumps({
        "precipitate_ms": 1e3 * per_call(lambda: precipitate(masses, t)),
        "activity_al_ms": 1e3 * per_call(lambda: activity_al(wt, t)),
    }, indent=2))


if __name__ == "__main__":
    main()
