"""A worker killed (SIGKILL, no chance to clean up) in the middle of a sync loses nothing: the job it
held is requeued, the other worker finishes the sync, and every encounter is coded exactly once."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest
import requests
from redis import Redis
from rq.worker import Worker
from sqlalchemy import create_engine, text

from devstack.api_client import ApiUser, backend_connection, clear_faults
from devstack.processes import Stack, start_worker
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.integration


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry))
    return found


def _busy(redis: Redis, pid: int, timeout: float = 45.0) -> tuple[str, list[int]]:
    """The job the worker `pid` is running, and any child processes it has at that moment (the worker
    runs jobs in its own process, workers/worker.py; a forking worker would run them in a child)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in Worker.all(connection=redis):
            if worker.pid == pid and (job_id := worker.get_current_job_id()):
                return str(job_id), _children(pid)
        time.sleep(0.02)
    raise AssertionError("the extra worker never picked up a job")


def _kill_worker_and_horse(pid: int, horses: list[int]) -> None:
    """What a lost machine does: the worker and anything it started (its own process group) die."""
    os.killpg(pid, signal.SIGKILL)
    for horse in horses:
        with contextlib.suppress(ProcessLookupError):   # it finished its job a moment ago
            os.kill(horse, signal.SIGKILL)


def test_a_worker_killed_mid_sync_loses_nothing(stack: Stack, tmp_path: Path) -> None:
    api = ApiUser(stack)
    connection = backend_connection(api, stack)
    patient, encounters = SandboxWriter(stack.sandbox_url).fresh_encounters(8)
    redis = Redis.from_url(stack.env["REDIS_URL"])
    extra = start_worker(stack.env, tmp_path / "extra-worker-logs")
    requests.post(f"{stack.sandbox_url}/_admin/faults", json={"latency_ms": 150}, timeout=10)
    try:
        started = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"],
                                                     "patient_ids": [patient], "page_size": 2})
        assert started.status_code == 202, started.text
        killed_job, horses = _busy(redis, extra.pid)
        _kill_worker_and_horse(extra.pid, horses)
        extra.popen.wait(timeout=10)
        summary = api.wait_for_sync(started.json()["id"], timeout=120)
    finally:
        clear_faults(stack)
        extra.stop(grace=2.0)
        redis.close()
    assert summary["status"] == "COMPLETE", summary
    assert (summary["total_found"], summary["new"], summary["queued"], summary["processed"], summary["failed"]) \
        == (8, 8, 8, 8, 0), f"job {killed_job} was interrupted; {summary}"
    for encounter_id in encounters:
        listed = api.get("/encounters", fhir_encounter_id=encounter_id).json()
        assert listed["total"] == 1, f"one row per EHR encounter ({encounter_id})"
        detail = api.get(f"/encounters/{listed['items'][0]['id']}").json()
        assert detail["status"] == "READY" and detail["coding"]["status"] == "COMPLETE", detail


def test_a_worker_killed_mid_batch_codes_the_rest_once(stack: Stack, tmp_path: Path) -> None:
    """Encounters are coded in batches (one job codes up to SYNC_CODING_BATCH of them): a worker killed
    part-way through a batch loses none of it, and what it had finished is not coded again."""
    api = ApiUser(stack)
    connection = backend_connection(api, stack)
    patient, encounters = SandboxWriter(stack.sandbox_url).fresh_encounters(20)
    redis = Redis.from_url(stack.env["REDIS_URL"])
    extra = start_worker(stack.env, tmp_path / "extra-worker-logs")
    requests.post(f"{stack.sandbox_url}/_admin/faults", json={"latency_ms": 150}, timeout=10)
    try:
        started = api.post("/fhir/sync-encounters", {"fhir_connection_id": connection["id"],
                                                     "patient_ids": [patient], "page_size": 20})
        assert started.status_code == 202, started.text
        sync_id = started.json()["id"]
        deadline = time.monotonic() + 60
        killed_job = ""
        while time.monotonic() < deadline:
            killed_job, horses = _busy(redis, extra.pid)
            if killed_job.startswith("coding-batch-") and api.get(f"/fhir/syncs/{sync_id}").json()["processed"]:
                break
            time.sleep(0.05)
        assert killed_job.startswith("coding-batch-"), f"the extra worker never ran a batch ({killed_job})"
        _kill_worker_and_horse(extra.pid, horses)
        extra.popen.wait(timeout=10)
        summary = api.wait_for_sync(sync_id, timeout=180)
    finally:
        clear_faults(stack)
        extra.stop(grace=2.0)
        redis.close()
    assert summary["status"] == "COMPLETE", summary
    assert (summary["total_found"], summary["new"], summary["queued"], summary["processed"], summary["failed"]) \
        == (20, 20, 20, 20, 0), f"batch {killed_job} was interrupted; {summary}"
    engine = create_engine(stack.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            attempts = conn.execute(text(
                "select r.attempts from sync_items i join coding_runs r on r.id = i.coding_run_id "
                "where i.sync_run_id = :sync"), {"sync": sync_id}).scalars().all()
    finally:
        engine.dispose()
    assert len(attempts) == 20
    assert sum(1 for a in attempts if a > 1) <= 1, f"only the run being coded when killed is coded again: {attempts}"
    for encounter_id in encounters:
        listed = api.get("/encounters", fhir_encounter_id=encounter_id).json()
        assert listed["total"] == 1, f"one row per EHR encounter ({encounter_id})"
