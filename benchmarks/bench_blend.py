"""Benchmark (not a test): `alref blend` on the built-in example.

Run: python benchmarks/bench_blend.py [--repeat N] [--confidence 0.95]
Issue 7 target: the solve (MILP build + HiGHS + chance-constraint cuts and calibration)
of the built-in example takes < 1 s; the linearisation (finite differences of the campaign
model, cached on disk) is reported separately, computed fresh in a temporary cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--confidence", type=float, default=0.95)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["ALREF_CACHE_DIR"] = cache
        from alref.optimize.blend_input import load_blend_input
        from alref.optimize.service import optimise

        inp = load_blend_input()
        t0 = time.perf_counter()
        _built, first, t_lin = optimise(inp, args.confidence)
        first_total = time.perf_counter() - t0
        solves = []
        for _ in range(args.repeat):
            _built, res, _ = optimise(inp, args.confidence)
            solves.append(res.solve_time_s)
    print(json.dumps({
        "lots": len(inp.lot),
        "confidence": args.confidence,
        "linearisation_s_uncached": t_lin,
        "first_call_total_s": first_total,
        "first_solve_s": first.solve_time_s,
        "solve_s_median": statistics.median(solves),
        "solve_s_max": max(solves),
        "cut_rounds": res.rounds,
        "repeat": args.repeat,
    }, indent=2))


if __name__ == "__main__":
    main()
