"""Long fuzz run of the `alref` command line (issue 17): at least 10,000 generated inputs
over every command and scenario key, in process (`alref.cli.run`, no subprocesses) with a
per-call time limit; counts of outcomes and every finding are recorded.

    python benchmarks/fuzz_long.py --examples 10000 --seed 1 --timeout 30 \
        --out /tmp/fuzz-long.json

Outcomes: ok0 (exit 0, finite JSON), ok2 (exit 2, one line naming a key), and findings:
hang (over the time limit), exit1 (internal error), traceback, nonfinite (NaN/inf in JSON),
bad_exit_or_message (exit 2 not one line with a key, or another exit code), bad_json,
escaped (an exception out of `alref.cli.run`). The contract: no findings.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.fuzz.harness import call, classify, problems  # noqa: E402
from tests.fuzz.strategies import command  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per call")
    ap.add_argument("--heavy", action="store_true", help="also blend runs and small studies")
    ap.add_argument("--out", default="fuzz-long.json", help="counts and findings (JSON)")
    ap.add_argument("--progress", type=int, default=500, help="print counts every N calls")
    args = ap.parse_args()
    warnings.simplefilter("ignore")

    counts: collections.Counter[str] = collections.Counter()
    by_command: collections.Counter[str] = collections.Counter()
    findings: list[dict] = []
    slowest: list[tuple[float, list[str]]] = []
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="alref-fuzz-") as tmp:
        workdir = Path(tmp)

        @settings(max_examples=args.examples, database=None, deadline=None, derandomize=False,
                  suppress_health_check=list(HealthCheck), phases=["generate"])
        @given(st.data())
        def one(data: st.DataObject) -> None:
            argv = data.draw(command(workdir, heavy=args.heavy))
            o = call(argv, args.timeout)
            kind = classify(o)
            counts[kind] += 1
            counts["calls"] += 1
            by_command[" ".join(argv[:2]) if argv[:1] in (["props"], ["params"], ["study"])
                       else (argv[0] if argv else "<none>")] += 1
            slowest.append((o.seconds, argv))
            slowest.sort(key=lambda x: -x[0])
            del slowest[5:]
            if kind not in ("ok0", "ok2"):
                findings.append({"kind": kind, "argv": [a[:300] for a in argv],
                                 "problems": problems(o), "seconds": round(o.seconds, 3)})
                print(f"FINDING {kind}: {findings[-1]['problems'][:1]} argv={argv!r}"[:1500],
                      flush=True)
            if counts["calls"] % args.progress == 0:
                print(f"{counts['calls']} calls, {time.time() - t0:.0f} s: {dict(counts)}",
                      flush=True)

        seed(args.seed)(one)()
    report = {"examples_requested": args.examples, "seed": args.seed, "timeout_s": args.timeout,
              "heavy": args.heavy, "seconds": round(time.time() - t0, 1),
              "counts": dict(counts), "by_command": dict(by_command),
              "max_call_s": round(slowest[0][0], 2) if slowest else None,
              "slowest": [{"seconds": round(s, 2), "argv": [a[:120] for a in a_]}
                          for s, a_ in slowest],
              "findings": findings}
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in report.items() if k != "findings"}, indent=2))
    return 0 if not findings else 1


if __name__ == "__main__":
    raise SystemExit(main())
