"""Guards of `alref serve`: body limits, CSRF, traversal, auth, rate limit, no tracebacks."""

from __future__ import annotations

import itertools

import pytest

from alref.errors import ConfigError
from alref.web.security import csrf_token
from alref.web.settings import Settings
from tests.web.conftest import SHORT

TRACE_MARKS = ("Traceback", 'File "', "site-packages", ", line ", "/src/alref/")


def _app(tmp_path, **kw):
    from fastapi.testclient import TestClient

    from alref.web import create_app

    settings = Settings.build(tmp_path / "data", **kw)
    return settings, TestClient(create_app(settings), raise_server_exceptions=False)


def test_oversized_body_is_413_with_and_without_content_length(client) -> None:
    big = b'{"scenario": "' + b"x" * (2 << 20) + b'"}'
    r = client.post("/api/cell", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413

    def chunks():  # no Content-Length: chunked transfer
        for _ in range(40):
            yield b"x" * 65536

    r = client.post("/api/cell", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "content-length" not in {k.lower() for k in r.request.headers}


def test_cross_site_posts_are_403(client) -> None:
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"},
                    {"origin": "null"}, {"sec-fetch-site": "same-site"}):
        r = client.post("/api/cell", json=SHORT, headers=headers)
        assert r.status_code == 403, headers
        assert r.json()["error"]["key"] == "origin"


def test_browser_posts_need_the_csrf_token(app_and_client) -> None:
    app, client = app_and_client
    same = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    r = client.post("/api/cell", json={"scenario": "rusal-500a"}, headers=same)
    assert r.status_code == 403 and r.json()["error"]["key"] == "csrf"
    token = csrf_token(app.state.settings)
    r = client.post("/api/cell", json={"scenario": "rusal-500a"},
                    headers={**same, "x-csrf-token": token})
    assert r.status_code == 200
    r = client.post("/api/cell", json={"scenario": "rusal-500a"},
                    headers={**same, "x-csrf-token": token[:-1] + ("1" if token[-1] == "0"
                                                                    else "0")})
    assert r.status_code == 403


@pytest.mark.parametrize("path", [
    "/runs/..%2F..%2Fetc%2Fpasswd/download/report",
    "/runs/000000000000/download/..%2F..%2Fpyproject.toml",
    "/runs/000000000000/download/../../pyproject.toml",
    "/static/../pyproject.toml", "/static/..%2F..%2Fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml", "/api/jobs/..%2F..%2Fcatalog.duckdb",
    "/api/runs/..%2Fcatalog.duckdb", "/api/jobs/../../etc/passwd",
    "/api/compare?ids=../../etc&ids=x", "/editor?preset=../../../etc/passwd",
    "/api/schema?preset=..%2F..%2Fpyproject", "/runs/abcdef012345/download/report",
])
def test_traversal_attempts_are_4xx(client, path) -> None:
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path, r.status_code)
    assert "[build-system]" not in r.text and "root:" not in r.text


def test_team_mode_refuses_default_or_short_secrets(tmp_path) -> None:
    for token in (None, "changeme", "secret", "short"):
        with pytest.raises(ConfigError) as e:
            Settings.build(tmp_path, mode="team", token=token)
        assert e.value.key == "--token"
    with pytest.raises(ConfigError) as e:
        Settings.build(tmp_path, host="0.0.0.0")
    assert e.value.key == "--host"
    assert Settings.build(tmp_path, mode="team", token="a-long-team-secret-42").token


def test_token_auth_in_team_mode(tmp_path) -> None:
    token = "a-long-team-secret-42"
    _s, client = _app(tmp_path, mode="team", token=token)
    with client:
        assert client.get("/api/health").status_code == 200  # open: liveness only
        assert client.get("/api/runs").status_code == 401
        page = client.get("/runs", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
        ok = client.get("/api/runs", headers={"authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        assert client.post("/login", data={"token": "wrong"}).status_code == 401
        r = client.post("/login", data={"token": token}, follow_redirects=False)
        assert r.status_code == 303 and "HttpOnly" in r.headers["set-cookie"]
        assert token not in r.headers["set-cookie"]
        assert client.get("/runs").status_code == 200  # the session cookie


def test_submissions_are_rate_limited_per_client(tmp_path) -> None:
    _s, client = _app(tmp_path, rate_limit_per_min=3)
    with client:
        codes = [client.post("/api/cell", json={"scenario": "rusal-500a"}).status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert client.get("/api/runs").status_code == 200  # reading is not limited


HOSTILE_BODIES = [
    b"", b"null", b"[]", b"{}", b'"x"', b"{", b'{"scenario": null, "set": null}',
    b'{"scenario": 5}', b'{"scenario": "rusal-500a", "set": {"cell.current": NaN}}',
    b'{"scenario": "rusal-500a", "set": {"cell.current": 1e999}}',
    b'{"scenario": "rusal-500a", "set": {"..": 1}}',
    b'{"scenario": "rusal-500a", "set": {"cell": {"current": {"a": [1, {"b": null}]}}}}',
    b'{"scenario": "rusal-500a", "set": {"cell.parameters.x.y": "abc"}}',
    b'{"scenario": "rusal-500a", "set": {"electrolyte.composition.NaF": -50}}',
    b'{"scenario": "rusal-500a", "set": {"campaign.time_step": "0 s"}}',
    b'{"scenario": "rusal-500a", "set": {"feed.scrap": {"twitch": "lots"}}}',
    b'{"scenario": "[cell]\\ndesign = 5\\ncurrent = []"}',
    b'{"scenario": "a = 1"}', b'{"scenario": "\\u0000"}',
    b'{"kind": "sobol", "n": -1, "vary": ["x=,,"]}', b'{"kind": "mc", "n": 3, "vary": ["cell.current=a:b"]}',
    b'{"tags": ["<script>"]}', b'{"ids": ["../../x"]}', "{\"scenario\": \"\u00e9\u2603\"}".encode(),
    b"\xff\xfe\x00", b'{"scenario": "rusal-500a", "set": {"cell.current": true}}',
]


def test_hostile_sweep_of_every_endpoint_never_shows_a_traceback(app_and_client) -> None:
    from alref.web import api_routes, downloads, pages

    _app, client = app_and_client
    seen = 0
    for route in [*api_routes.router.routes, *downloads.router.routes, *pages.router.routes]:
        path = getattr(route, "path", "")
        methods = getattr(route, "methods", None) or set()
        if not path or path.startswith("/static") or "events" in path:
            continue
        concrete = path.replace("{job_id}", "0123456789ab").replace("{entry_id}", "x..y") \
            .replace("{kind}", "..%2Fx")
        for method, body in itertools.product(sorted(methods & {"GET", "POST"}), HOSTILE_BODIES):
            if method == "GET" and body not in (b"", b"{"):
                continue
            r = client.request(method, concrete + "?ids=..&q=%00&wait=maybe&preset=%2e%2e",
                               content=body, headers={"content-type": "application/json"})
            seen += 1
            assert r.status_code < 500, (method, concrete, body, r.status_code, r.text[:300])
            for mark in TRACE_MARKS:
                assert mark not in r.text, (method, concrete, body, r.text[:300])
    assert seen > 100


def test_cli_without_the_web_extra_exits_2_with_the_install_line(monkeypatch) -> None:
    from typer.testing import CliRunner

    import alref.web
    from alref.cli import app

    monkeypatch.setattr(alref.web, "missing_modules", lambda: ["fastapi"])
    r = CliRunner().invoke(app, ["serve"])
    assert r.exit_code == 2
    assert 'pip install "alref[web]"' in r.output
    assert "Traceback" not in r.output
