"""The per-EHR limit on concurrent requests in real processes (issue 13, item 9): while other processes
hold every slot for the sandbox EHR, the worker's sync sends it nothing and the slots in Redis never
exceed FHIR_MAX_CONCURRENCY; once they are given back, the sync goes on and completes."""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack

import pytest
from redis import Redis

from devstack.api_client import ApiUser, backend_connection
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter
from smartapp.ehr_access.concurrency import OriginSlots, slots_key

pytestmark = pytest.mark.integration


def test_a_sync_waits_while_other_processes_hold_every_slot_for_the_ehr(stack: Stack) -> None:
    limit = int(stack.env.get("FHIR_MAX_CONCURRENCY") or 4)
    api = ApiUser(stack)
    connection = backend_connection(api, stack, "Concurrency")
    patient, _ = SandboxWriter(stack.sandbox_url).fresh_encounters(2)
    # A token minted (and its grant stored) beforehand: minting inside the job writes to the connection
    # row, and on SQLite that write would hold the database while the job waits for a slot.
    assert api.post(f"/fhir-connections/{connection['id']}/test").json()["ok"] is True
    redis = Redis.from_url(stack.env["REDIS_URL"])
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
        time.sleep(3)
        waiting = api.get(f"/fhir/syncs/{started.json()['id']}").json()
        assert waiting["status"] in ("PENDING", "RUNNING") and not waiting.get("total_found"), waiting
        assert not waiting.get("pages_fetched"), "the EHR was searched while every slot was taken"
    result = api.wait_for_sync(started.json()["id"])
    done.set()
    watcher.join(5)
    assert result["status"] == "COMPLETE" and result["processed"] == 2, result
    assert max(seen) == limit, f"{max(seen)} requests open at once to one EHR (limit {limit})"
    assert redis.zcard(key) == 0, "every slot was given back"
