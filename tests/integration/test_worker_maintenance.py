"""The running worker's own upkeep: when it starts it queues the retention purge (at most hourly
across workers), and the purge runs to the end on the real queue."""

from __future__ import annotations

import time

import pytest
from redis import Redis
from rq.job import Job, JobStatus

from scripts.devstack import Stack

pytestmark = pytest.mark.integration


def test_the_worker_runs_the_retention_purge(stack: Stack) -> None:
    redis = Redis.from_url(stack.env["REDIS_URL"])
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline:
            if redis.exists("rq:job:retention-purge"):
                job = Job.fetch("retention-purge", connection=redis)
                status = job.get_status(refresh=True)
                if status == JobStatus.FINISHED:
                    assert "note texts" in str(job.return_value())
                    break
            time.sleep(0.2)
        assert status == JobStatus.FINISHED, f"retention purge: {status}"
        assert redis.ttl("revrx:retention-purge") > 3000, "the next one waits about an hour"
    finally:
        redis.close()
