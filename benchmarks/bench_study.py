"""Benchmark (not a test): batch engine throughput and a 10,000-sample Monte Carlo.

Run: python benchmarks/bench_study.py [--n 10000] [--workers 2] [--skip-bench]

1. `alref.study.bench.bench()` — the reference solver and the batch engine on the same
   Monte Carlo scenarios of the default scenario (issue 8: speedup >= 50 with
   max_kpi_rel_diff <= 0.01).
2. A Monte Carlo study of the default scenario (scrap composition spread of Twitch and
   the entrainment coefficient ± 10 %) with N samples on the local executor with
   `--workers` processes, checkpointed into a temporary catalogue (issue 8: 10,000
   samples in <= 60 s on the 2-core reference machine). Wall time includes sampling,
   building each sample's simulation, the batch engine, the DuckDB checkpoints and the
   Parquet export; report rendering is excluded.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import warnings

VARY = ["feed.composition", "cell.parameters.transfer.entrainment_kg_per_a_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--skip-bench", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from alref.scenario import load_raw
    from alref.store.catalog import Catalog
    from alref.study.bench import bench
    from alref.study.executors import LocalExecutor
    from alref.study.runner import StudySpec, run_study

    out: dict = {}
    if not args.skip_bench:
        out["bench"] = bench()
    spec = StudySpec.build("mc", "rusal-3ka-twitch", load_raw(None), VARY, args.n, seed=0,
                           chunk_size=args.chunk_size)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        res = run_study(spec, LocalExecutor(args.workers), Catalog(tmp))
        seconds = time.perf_counter() - t0
    o = res.summary["outputs"]
    out["monte_carlo"] = {
        "samples": len(res.rows), "failed": res.failed, "workers": args.workers,
        "chunk_size": args.chunk_size, "seconds": seconds,
        "samples_per_s": len(res.rows) / seconds,
        "cycle_days_mean_sd": [o["cycle_days"]["mean"], o["cycle_days"]["sd"]],
        "energy_kwh_per_kg_mean_sd": [o["energy_kwh_per_kg"]["mean"],
                                      o["energy_kwh_per_kg"]["sd"]],
        "product_al_wt_pct_p05_p95": [o["product_al_wt_pct"]["p05"],
                                      o["product_al_wt_pct"]["p95"]],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
