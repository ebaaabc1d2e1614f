"""The JSON test server (tests/support/json_server.py) answers its routes and stops at once: unit
tests start one per test, so a stop that waited for the serve loop's half-second poll cost the unit
run about ten seconds."""

from __future__ import annotations

import time

import requests

from tests.support.json_server import JsonServer, json_server


def test_routes_are_answered_and_posts_recorded() -> None:
    with json_server() as server:
        server.routes["/hello"] = (200, {"ok": True})
        assert requests.get(f"{server.url}/hello?x=1", timeout=5).json() == {"ok": True}
        assert requests.post(f"{server.url}/missing", json={"a": 1}, timeout=5).status_code == 404
    assert server.hits == ["/hello?x=1", "/missing"]
    assert server.posted == [{"a": 1}]


def test_stopping_a_fresh_server_does_not_wait_for_a_poll_interval() -> None:
    server = JsonServer().start()
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 0.25
