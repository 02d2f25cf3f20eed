"""Fixtures of the dashboard tests: an in-process app (TestClient) and a real server
process on a free loopback port (for the browser and kill/restart tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'alref[web]')")
pytest.importorskip("httpx", reason="httpx (test extra) is needed by FastAPI's TestClient")

#: a short campaign: the 500 A pot for 2 days (a few seconds of work)
SHORT = {"scenario": "rusal-500a", "set": {"campaign.termination.max_duration": "2 d"}}
#: a campaign that runs for minutes (10-minute steps over a whole cycle): to cancel or kill
LONG = {"scenario": "rusal-3ka-twitch", "set": {"campaign.time_step": "5 min"}}
ACTIVE = ("queued", "running")


def wait_status(client, job_id: str, statuses=("done", "failed", "cancelled", "interrupted"),
                timeout: float = 120.0) -> dict:
    """Poll a job until its status is one of `statuses`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s")


@pytest.fixture(scope="module")
def app_and_client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from alref.web import create_app
    from alref.web.settings import Settings

    settings = Settings.build(tmp_path_factory.mktemp("web-data"))
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client


@pytest.fixture(scope="module")
def client(app_and_client):
    return app_and_client[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`alref serve` in a child process (start, kill -9, restart on the same data)."""

    def __init__(self, data: Path, log: Path) -> None:
        self.data, self.log, self.proc = data, log, None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        import httpx

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        out = open(self.log, "ab")  # noqa: SIM115  (kept open for the child's lifetime)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from alref.cli import main; main()", "serve", "--port",
             str(self.port), "--data", str(self.data)],
            stdout=out, stderr=out, start_new_session=True)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("server did not start in 60 s")

    def kill(self) -> None:
        """SIGKILL the whole process group (server, forkserver, workers): a crash."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("web-server")
    srv = Server(root / "data", root / "server.log").start()
    yield srv
    srv.stop()
