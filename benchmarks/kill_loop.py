"""Benchmark (not a test): the long SIGKILL loop of issue 17 (≥ 50 kills).

Run: python benchmarks/kill_loop.py [--kills 60] [--seed 0] [--two-studies 8]
Alternates `alref simulate --out DIR` overwriting a complete run (half the kills aimed at
the swap, just after the new manifest is written; half at a random moment) and
`alref study mc -n 20 --out CAT` (killed at a random moment, resumed until it finishes).
After every kill: the run folder is visible, intact (manifest sizes and SHA-256) and is
the old or the new complete run; the catalogue has no duplicated (study, sample) row and
only whole chunks; every resumed study ends with exactly N rows. Then `--two-studies`
trials of the same study twice plus a different one on one catalogue at once: every
exit code must be 0. Prints the counts as JSON (recorded in benchmarks/README.md).
Uses `tests/killing.py`; run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.killing import ALREF_CLI, STUDY_N, kill_loop, study_args, study_rows


def two_studies(work: Path, trials: int) -> dict[str, int]:
    """`trials` rounds of three studies (two identical) on one fresh catalogue at once."""
    codes: dict[str, int] = {}
    bad = 0
    for t in range(trials):
        cat = work / f"two-{t}"
        procs = [subprocess.Popen([*ALREF_CLI, *study_args(cat, seed)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for seed in (t, t, t + 1000)]
        for p in procs:
            p.wait(timeout=600)
            codes[str(p.returncode)] = codes.get(str(p.returncode), 0) + 1
        bad += set(study_rows(cat).values()) != {(STUDY_N, STUDY_N)}
    return {"two_studies_trials": trials, "two_studies_exit_codes": codes,
            "two_studies_catalogues_not_exactly_N": bad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--two-studies", type=int, default=8)
    args = parser.parse_args()
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        counts = dict(kill_loop(Path(tmp) / "loop", args.kills, args.seed))
        counts.update(two_studies(Path(tmp), args.two_studies))
    counts["seconds"] = round(time.monotonic() - t0, 1)
    print(json.dumps(counts, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
