"""The running worker's own upkeep: its maintenance queues the recovery of work a dead worker left
(at most once a minute across workers) and the retention purge (at most hourly), and both run to
the end on the real queue."""

from __future__ import annotations

import time

import pytest
from redis import Redis
from rq.job import Job, JobStatus

from devstack.processes import Stack

pytestmark = pytest.mark.integration


def _finished(redis: Redis, job_id: str, timeout: float = 60.0) -> Job:
    deadline, status = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        if redis.exists(f"rq:job:{job_id}"):
            job = Job.fetch(job_id, connection=redis)
            status = job.get_status(refresh=True)
            if status == JobStatus.FINISHED:
                return job
        time.sleep(0.2)
    raise AssertionError(f"{job_id}: {status}")


def test_the_worker_runs_recovery_and_the_retention_purge(stack: Stack) -> None:
    redis = Redis.from_url(stack.env["REDIS_URL"])
    try:
        assert "note texts" in str(_finished(redis, "retention-purge").return_value())
        assert redis.ttl("revrx:retention-purge") > 3000, "the next one waits about an hour"
        assert isinstance(_finished(redis, "recover-interrupted").return_value(), int)
    finally:
        redis.close()
