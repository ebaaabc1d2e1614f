"""The limit on concurrent requests to one EHR (issue 13, item 9): clients in several threads and
"processes" (separate FhirClients sharing only Redis) never have more requests open to one FHIR server
than FHIR_MAX_CONCURRENCY; a slot held by a process that died lapses; other EHRs are not held up."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from smartapp.config import Settings
from smartapp.ehr_access.concurrency import OriginSlots, slots_key
from smartapp.fhir.client import FhirClient


class _SlowFhir(http.server.BaseHTTPRequestHandler):
    lock = threading.Lock()
    open_now = 0
    most = 0

    def do_GET(self) -> None:   # noqa: N802 - http.server's name
        cls = type(self)
        with cls.lock:
            cls.open_now += 1
            cls.most = max(cls.most, cls.open_now)
        time.sleep(0.1)
        with cls.lock:
            cls.open_now -= 1
        body = b'{"resourceType": "Patient", "id": "p1"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture()
def slow_ehr() -> Iterator[tuple[str, type[_SlowFhir]]]:
    handler = type("Slow", (_SlowFhir,), {"lock": threading.Lock(), "open_now": 0, "most": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/fhir", handler
    server.shutdown()
    server.server_close()


@pytest.fixture()
def redis(redis_server: str) -> Redis:
    return Redis.from_url(redis_server)


def _hammer(base: str, redis: Redis | None, limit: int, clients: int = 2, threads: int = 8) -> None:
    def one_process(_: int) -> None:
        gate = OriginSlots(redis, base, limit).hold if redis is not None else None
        client = FhirClient(base, "t", gate=gate)
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: client.read("Patient", "p1"), range(threads * 2)))

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one_process, range(clients)))


def test_requests_to_one_ehr_never_exceed_the_limit_across_clients(
        slow_ehr: tuple[str, type[_SlowFhir]], redis: Redis) -> None:
    base, seen = slow_ehr
    _hammer(base, None, 0)
    assert seen.most > 3, "without the limit the clients do flood the server (the test can tell)"
    seen.most = 0
    _hammer(base, redis, 3)
    assert 1 <= seen.most <= 3
    assert redis.zcard(slots_key(base)) == 0, "every slot was given back"


def test_a_slot_held_by_a_dead_process_lapses(slow_ehr: tuple[str, type[_SlowFhir]], redis: Redis) -> None:
    base, _ = slow_ehr
    dead = OriginSlots(redis, base, 1, lease_s=0.5)
    held = dead.hold()
    held.__enter__()   # taken and never given back: the process was killed
    started = time.monotonic()
    FhirClient(base, "t", gate=OriginSlots(redis, base, 1, wait_s=5).hold).read("Patient", "p1")
    assert 0.3 < time.monotonic() - started < 3
    assert held is not None   # (kept alive until here: collecting it would give the slot back)
    redis.delete(slots_key(base))


def test_the_limit_is_configured_with_a_default_for_a_handful(tmp_path: Path) -> None:
    env = {"REVRX_INSTANCE_DIR": str(tmp_path)}
    assert Settings.from_env(env).fhir_max_concurrency == 4
    assert Settings.from_env({**env, "FHIR_MAX_CONCURRENCY": "2"}).fhir_max_concurrency == 2
