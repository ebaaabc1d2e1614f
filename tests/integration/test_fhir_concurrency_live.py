"""The per-EHR limit on concurrent requests in real processes (issue 13, item 9): while other processes
hold every slot for the sandbox EHR, the worker's sync sends it nothing and the slots in Redis never
exceed FHIR_MAX_CONCURRENCY; once they are given back, the sync goes on and completes."""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from typing import Any

import pytest
from redis import Redis
from rq import Queue
from rq.registry import StartedJobRegistry

from devstack.api_client import ApiUser, backend_connection
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter
from smartapp.ehr_access.concurrency import OriginSlots, slots_key

pytestmark = pytest.mark.integration


def _wait_for_an_idle_worker(stack: Stack, redis: Redis, timeout: float = 120.0) -> None:
    """What earlier tests queued on the shared stack (the codings of their encounters, upkeep) has run:
    such a job reading this EHR would wait for a slot too, and the sync would wait behind it in the queue
    (still QUEUED) rather than for a slot, which is what this test watches."""
    queue = Queue(stack.env.get("RQ_QUEUE", "revrx"), connection=redis)
    started = StartedJobRegistry(queue=queue)
    deadline = time.monotonic() + timeout
    while queue.count or started.count:
        assert time.monotonic() < deadline, f"the worker is still busy: {queue.count} queued, {started.count} running"
        time.sleep(0.2)


def _picked_up(api: ApiUser, sync_id: int, timeout: float = 30.0) -> dict[str, Any]:
    """The sync once the worker has started it (one worker: a maintenance job may be ahead of it)."""
    deadline = time.monotonic() + timeout
    while True:
        state: dict[str, Any] = api.get(f"/fhir/syncs/{sync_id}").json()
        if state["status"] != "QUEUED" or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def test_a_sync_waits_while_other_processes_hold_every_slot_for_the_ehr(stack: Stack) -> None:
    limit = int(stack.env.get("FHIR_MAX_CONCURRENCY") or 4)
    api = ApiUser(stack)
    connection = backend_connection(api, stack, "Concurrency")
    patient, _ = SandboxWriter(stack.sandbox_url).fresh_encounters(2)
    # A token minted (and its grant stored) beforehand: minting inside the job writes to the connection
    # row, and on SQLite that write would hold the database while the job waits for a slot.
    assert api.post(f"/fhir-connections/{connection['id']}/test").json()["ok"] is True
    redis = Redis.from_url(stack.env["REDIS_URL"])
    _wait_for_an_idle_worker(stack, redis)
    base = f"{stack.sandbox_url}/fhir"
    key = slots_key(base)
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(int(redis.zcard(key)))
            done.wait(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    with ExitStack() as busy:   # other processes, each with a request open to this EHR
        for _ in range(limit):
            busy.enter_context(OriginSlots(redis, base, limit, lease_s=60).hold())
        watcher.start()
        started = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"],
                                                     "patient_ids": [patient]})
        assert started.status_code == 202, started.text
        assert _picked_up(api, started.json()["id"])["status"] == "RUNNING"
        time.sleep(3)   # running, and waiting for a slot all along
        waiting = api.get(f"/fhir/syncs/{started.json()['id']}").json()
        assert waiting["status"] == "RUNNING" and not waiting.get("total_found"), waiting
        assert not waiting.get("pages_fetched"), "the EHR was searched while every slot was taken"
    result = api.wait_for_sync(started.json()["id"])
    done.set()
    watcher.join(5)
    assert result["status"] == "COMPLETE" and result["processed"] == 2, result
    assert max(seen) == limit, f"{max(seen)} requests open at once to one EHR (limit {limit})"
    assert redis.zcard(key) == 0, "every slot was given back"
