"""Benchmark (not a test): per-sample build cost of a study (`alref.study.samples`).

Run: python benchmarks/bench_build.py [--n 400] [--repeat 3]

Builds N Monte Carlo samples of the default scenario, varying ``cell.current`` (± 10 %)
and, separately, ``feed.composition`` (the scrap spread model), with
`alref.study.samples.SampleBuilder` — the code path a study worker runs before the batch
engine. The builder is created (and warmed on one sample) outside the timing, as a worker
does once per process; the figure is the wall time of the N builds (best of --repeat).
"""

from __future__ import annotations

import argparse
import json
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from alref.scenario import load_raw
    from alref.study.samples import SampleBuilder
    from alref.study.sampling import make_design
    from alref.study.spec import parse_factors

    raw = load_raw(None)
    out = {}
    for vary in ("cell.current", "feed.composition"):
        factors = parse_factors([vary], raw, 0.1)
        design = make_design("mc", factors, args.n, 0, raw)
        rows = [design.row(i) for i in range(design.n)]
        builder = SampleBuilder(raw)
        builder.build(rows[0])
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for row in rows:
                builder.build(row)
            best = min(best, time.perf_counter() - t0)
        out[vary] = {"samples": len(rows), "seconds": best,
                     "ms_per_sample": 1000.0 * best / len(rows)}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
