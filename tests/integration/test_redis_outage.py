"""Issue 13 item 11 against real processes: losing Redis strands no work. The worker is stopped, 15
uploads and one EHR launch are queued, Redis is killed (its queue lost) and started again empty.
While it is down an upload is refused whole (503, nothing stored) and /readyz says not ready; once it
is back, every stranded run (uploads too, not just syncs) is found in the database and coded.

Each variant runs on a stack of its own: killing Redis under the shared stack would disturb other tests."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devstack.api_client import ApiUser
from devstack.app_client import AppUser, encounter_path
from devstack.outage import kill_redis, latest_run_ids, process, restart_redis, wait_recovered
from devstack.processes import GENEROUS_RATE_LIMITS, Stack, start_worker
from tests.support import upload_samples as samples

pytestmark = pytest.mark.integration


@pytest.fixture()
def own_stack(tmp_path: Path, encryption_key: str) -> Iterator[Stack]:
    stack = Stack(instance_dir=tmp_path / "stack", encryption_key=encryption_key,
                  extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "outage-secret", **GENEROUS_RATE_LIMITS})
    stack.start()
    try:
        yield stack
    finally:
        stack.stop(grace=3.0)


def _strand_work(stack: Stack, api: ApiUser, marker: str, stop_worker: bool = True) -> list[int]:
    """With no worker taking jobs: one EHR launch and 15 uploads, all left PENDING. Their encounter ids."""
    if stop_worker:
        process(stack, "worker").stop(grace=3.0)
        stack.processes.remove(process(stack, "worker"))
    user = AppUser(stack)
    launched = user.launch("e061")
    assert launched.status_code == 200
    encounter_ids = [int(encounter_path(launched.url).rsplit("/", 1)[1])]
    files = [("files", (f"visit-{n}.txt", samples.note(f"{marker}-{n}").encode())) for n in range(15)]
    uploaded = api.http.post(api.url("/uploads"), files=files, timeout=60)
    assert uploaded.status_code == 201, uploaded.text
    encounter_ids += [u["encounter_id"] for u in uploaded.json()["uploads"]]
    assert len(set(encounter_ids)) == 16
    return encounter_ids


def _outage_checks(stack: Stack, api: ApiUser) -> None:
    """While Redis is down: not ready, and an upload is refused whole with nothing stored."""
    ready = requests.get(f"{stack.app_url}/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json() == {"ok": False, "database": True, "redis": False}
    assert requests.get(f"{stack.app_url}/healthz", timeout=10).status_code == 200   # alive, just not ready
    before = api.get("/encounters").json()["total"]
    refused = api.http.post(api.url("/uploads"), files=[("files", ("late.txt", samples.note("late").encode()))],
                            timeout=30)
    assert refused.status_code == 503 and "Retry-After" in refused.headers, refused.text
    assert "nothing was changed" in refused.json()["detail"]
    assert api.get("/encounters").json()["total"] == before


def test_work_stranded_by_losing_redis_runs_when_redis_and_the_worker_return(own_stack: Stack,
                                                                             tmp_path: Path) -> None:
    api = ApiUser(own_stack)
    encounters = _strand_work(own_stack, api, "outage-a")
    port = kill_redis(own_stack)
    _outage_checks(own_stack, api)
    restart_redis(own_stack, port, tmp_path / "redis-again")
    back = time.monotonic()
    own_stack.processes.append(start_worker(own_stack.env, tmp_path / "worker-again"))
    recovered = wait_recovered(own_stack, latest_run_ids(own_stack, encounters), back, timeout=120)
    assert set(recovered.states.values()) == {"COMPLETE"}, recovered.states
    assert recovered.all_done_s < 60
    print(f"\nRedis back → first stranded run moving {recovered.first_running_s:.1f} s, "
          f"all 16 complete {recovered.all_done_s:.1f} s")
    assert requests.get(f"{own_stack.app_url}/readyz", timeout=10).json()["ok"] is True


def test_a_worker_that_outlives_the_outage_recovers_the_work_itself(own_stack: Stack, tmp_path: Path) -> None:
    """The worker process lives through the outage (paused, so it takes nothing before Redis goes): once
    Redis is back it notices the restart and recovers at once, with no worker restart."""
    api = ApiUser(own_stack)
    worker = process(own_stack, "worker")
    os.killpg(worker.pid, signal.SIGSTOP)
    try:
        encounters = _strand_work(own_stack, api, "outage-b", stop_worker=False)
        port = kill_redis(own_stack)
        _outage_checks(own_stack, api)
        restart_redis(own_stack, port, tmp_path / "redis-again")
        back = time.monotonic()
    finally:
        os.killpg(worker.pid, signal.SIGCONT)
    recovered = wait_recovered(own_stack, latest_run_ids(own_stack, encounters), back, timeout=120)
    assert set(recovered.states.values()) == {"COMPLETE"}, recovered.states
    assert recovered.all_done_s < 60
    print(f"\nworker kept: Redis back → first stranded run moving {recovered.first_running_s:.1f} s, "
          f"all 16 complete {recovered.all_done_s:.1f} s")
    assert worker.alive()
