"""In-process fuzz harness over the `alref` command line (issue 17).

`call(argv)` runs `alref.cli.run` in this process with stdout and stderr captured and a
per-call time limit (SIGALRM; a call that overruns is a hang). `problems(outcome)` lists
what breaks the CLI contract (ARCHITECTURE.md §6):

* an exit code other than 0 (success) or 2 (bad input): exit 1 is an internal error;
* a traceback anywhere in the output;
* on exit 2: stderr other than one line ``error: KEY: message`` naming a key;
* on exit 0 with ``--json``: stdout that is not one JSON object, or that holds a NaN or
  infinity token.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import signal
import time
from dataclasses import dataclass

#: ``error: KEY: message`` with a non-empty key (an option, a dotted scenario key, a
#: positional argument name) before the first ": "
ONE_LINE_ERROR = re.compile(r"^error: [^\s:][^\n]*?: \S")


class Hang(Exception):
    """A call overran its time limit."""


@dataclass
class Outcome:
    argv: list[str]
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    hung: bool = False
    crashed: str | None = None  # an exception that escaped alref.cli.run


def _alarm(_signum: int, _frame: object) -> None:
    raise Hang()


def call(argv: list[str], timeout_s: float = 30.0) -> Outcome:
    """Run ``alref ARGV`` in process within `timeout_s` seconds."""
    from alref.cli import run

    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    t0 = time.perf_counter()
    code: int | None = None
    hung, crashed = False, None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(list(argv))
    except Hang:
        hung = True
    except SystemExit as exc:  # run() returns codes; a stray sys.exit is reported as is
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:
        crashed = f"{exc.__class__.__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(list(argv), code, out.getvalue(), err.getvalue(),
                   time.perf_counter() - t0, hung, crashed)


def _reject(token: str) -> float:
    raise ValueError(f"non-finite JSON token {token}")


def problems(o: Outcome) -> list[str]:
    """What breaks the CLI contract in one outcome (empty: the call is fine)."""
    found: list[str] = []
    if o.hung:
        return ["hang"]
    if o.crashed:
        return [f"escaped: {o.crashed}"]
    if "Traceback (most recent call last)" in o.stdout + o.stderr:
        found.append("traceback")
    if o.code not in (0, 2):
        found.append(f"exit {o.code}: {o.stderr.strip()[:300]}")
    if o.code == 2:
        lines = o.stderr.strip().splitlines()
        if len(lines) != 1:
            found.append(f"exit 2 with {len(lines)} stderr lines")
        elif not ONE_LINE_ERROR.match(lines[0]):
            found.append(f"exit 2 without a key: {lines[0][:200]}")
    if o.code == 0 and "--json" in o.argv and not any(a in ("--help", "-h") for a in o.argv):
        try:
            obj = json.loads(o.stdout, parse_constant=_reject)
        except ValueError as exc:
            found.append(f"json: {exc}"[:200])
        else:
            if not isinstance(obj, dict):
                found.append("json: not an object")
    return found


def classify(o: Outcome) -> str:
    """One word for the long-run counts: ok0, ok2, hang, exit1, traceback, nonfinite, ..."""
    ps = problems(o)
    if not ps:
        return f"ok{o.code}"
    p = ps[0]
    if p == "hang":
        return "hang"
    if p.startswith("escaped"):
        return "escaped"
    if p == "traceback":
        return "traceback"
    if p.startswith("exit 1"):
        return "exit1"
    if p.startswith("exit"):
        return "bad_exit_or_message"
    if "non-finite" in p:
        return "nonfinite"
    return "bad_json"
