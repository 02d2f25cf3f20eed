"""Load benchmark of `alref serve` (issue 16; not a timed test).

Starts the dashboard on a free loopback port with a fresh data directory, seeds two short
runs, then runs N concurrent clients (default 100) for D seconds (default 60) browsing the
pages and the JSON API (each pausing ~THINK s between requests, as a reader does; --think 0
is a closed loop that measures saturation) while a submitter starts a new short simulation every few seconds
(so runs execute in the worker pool during the whole test). Reports p50/p95/max latency of
page and API requests (run time excluded: submissions return 202 at once), errors (any
status >= 400 or transport failure) and the server's memory (RSS) growth.

    python benchmarks/bench_web_load.py [--clients 100] [--seconds 60] [--think 1] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SHORT = {"scenario": "rusal-500a", "set": {"campaign.termination.max_duration": "2 d"}}


def rss_mb(pid: int) -> float:
    """Resident memory of a process (MB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", "from alref.cli import main; main()",
                             "serve", "--port", str(port), "--data", str(data)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/api/health"
    for _ in range(300):
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


async def browse(client: httpx.AsyncClient, paths: list[str], end: float,
                 lat: dict[str, list[float]], errors: list[str],
                 by_path: dict[str, list[float]], think: float) -> None:
    rng = random.Random()
    while time.monotonic() < end:
        if think > 0:  # a user reads the page before the next click
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
        path = rng.choice(paths)
        kind = "api" if path.startswith("/api/") else "page"
        t0 = time.perf_counter()
        try:
            r = await client.get(path)
            dt = time.perf_counter() - t0
            if r.status_code >= 400:
                errors.append(f"{r.status_code} {path}")
            lat[kind].append(dt)
            by_path.setdefault(path, []).append(dt)
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} {path}")


async def submit(client: httpx.AsyncClient, end: float, period: float,
                 lat: dict[str, list[float]], errors: list[str], ids: list[str]) -> None:
    i = 0
    while time.monotonic() < end:
        body = {**SHORT, "set": {**SHORT["set"], "cell.current": f"{450 + i} A"}}
        i += 1
        t0 = time.perf_counter()
        try:
            r = await client.post("/api/simulate", json=body)
            lat["submit"].append(time.perf_counter() - t0)
            if r.status_code >= 400:
                errors.append(f"{r.status_code} POST /api/simulate")
            else:
                ids.append(r.json()["job_id"])
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} POST /api/simulate")
        await asyncio.sleep(period)


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


async def run(clients: int, seconds: float, base: str, seeds: list[str], pid: int,
              think: float) -> dict:
    a, b = seeds
    paths = ["/", "/runs", f"/runs/{a}", f"/runs/{b}", "/editor", "/studies", "/validation",
             f"/compare?ids={a}&ids={b}", "/runs?q=500", "/static/app.css",
             "/api/runs", "/api/jobs", f"/api/jobs/{a}", f"/api/jobs/{a}/result",
             f"/api/jobs/{b}/series", "/api/scenarios", "/api/health"]
    lat: dict[str, list[float]] = {"page": [], "api": [], "submit": []}
    errors: list[str] = []
    ids: list[str] = []
    by_path: dict[str, list[float]] = {}
    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        # warm-up: every path once
        for p in paths:
            await client.get(p)
        rss0 = rss_mb(pid)
        t0 = time.monotonic()
        end = t0 + seconds
        tasks = [browse(client, paths, end, lat, errors, by_path, think) for _ in range(clients)]
        tasks.append(submit(client, end, 3.0, lat, errors, ids))
        await asyncio.gather(*tasks)
        wall = time.monotonic() - t0
        rss1 = rss_mb(pid)
        statuses = [(await client.get(f"/api/jobs/{i}")).json()["status"] for i in ids]
    n = len(lat["page"]) + len(lat["api"])
    return {
        "clients": clients, "think_s": think, "seconds": round(wall, 1), "requests": n,
        "requests_per_s": round(n / wall, 1),
        "page_p50_ms": round(1e3 * statistics.median(lat["page"]), 1),
        "page_p95_ms": round(1e3 * pct(lat["page"], 0.95), 1),
        "page_max_ms": round(1e3 * max(lat["page"]), 1),
        "api_p50_ms": round(1e3 * statistics.median(lat["api"]), 1),
        "api_p95_ms": round(1e3 * pct(lat["api"], 0.95), 1),
        "submit_p95_ms": round(1e3 * pct(lat["submit"], 0.95), 1),
        "runs_submitted": len(ids),
        "runs_done": statuses.count("done"),
        "errors": len(errors), "error_examples": sorted(set(errors))[:10],
        "rss_start_mb": round(rss0, 1), "rss_end_mb": round(rss1, 1),
        "rss_growth_mb": round(rss1 - rss0, 1),
        "load_average": os.getloadavg()[0],
        "p95_ms_by_path": {p.split("?")[0] if "compare" not in p else "/compare":
                           round(1e3 * pct(v, 0.95), 1) for p, v in sorted(by_path.items())},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--think", type=float, default=1.0,
                    help="mean pause between a client's requests, s (0: closed loop)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="alref-web-load-") as tmp:
        port = free_port()
        proc = start_server(Path(tmp) / "data", port)
        base = f"http://127.0.0.1:{port}"
        try:
            seeds = []
            for cur in ("500 A", "520 A"):
                r = httpx.post(base + "/api/simulate?wait=true", timeout=300, json={
                    **SHORT, "set": {**SHORT["set"], "cell.current": cur}})
                seeds.append(r.json()["run_id"])
            out = asyncio.run(run(args.clients, args.seconds, base, seeds, proc.pid, args.think))
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for k, v in out.items():
            print(f"{k:>16}: {v}")


if __name__ == "__main__":
    main()
