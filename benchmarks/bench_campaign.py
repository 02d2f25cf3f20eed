"""Benchmark (not a test): wall time of one full default cycle, report rendering excluded.

Run: python benchmarks/bench_campaign.py [--repeat N] [--scenario NAME]
Issue 4 target: the default cycle computes in <= 1 s on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scenario", default="rusal-3ka-twitch")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from alref.api import simulate
    from alref.campaign.simulation import Simulation
    from alref.scenario import load_scenario

    simulate(args.scenario)  # warm caches (data files, correlations)
    times = []
    for _ in range(args.repeat):
        sim = Simulation(load_scenario(args.scenario))
        t0 = time.perf_counter()
        sol = sim.run()
        times.append(time.perf_counter() - t0)
    print(json.dumps({
        "scenario": args.scenario,
        "cycle_days": sol.summary["cycle_days"],
        "steps": len(sol.time_s),
        "seconds_median": statistics.median(times),
        "seconds_min": min(times),
        "seconds_max": max(times),
        "repeat": args.repeat,
    }, indent=2))


if __name__ == "__main__":
    main()
