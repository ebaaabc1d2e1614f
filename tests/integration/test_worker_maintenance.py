"""The running worker's own upkeep: its maintenance queues the recovery of work a dead worker left
(at most once a minute across workers) and the retention purge (at most hourly), and both run to
the end on the real queue."""

from __future__ import annotations

import time
from datetime import UTC, datetime

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
        purge = _finished(redis, "retention-purge")
        assert "note texts" in str(purge.return_value())
        # The lock was set for an hour just before the job was queued, at the stack's start: however long
        # ago that was (the stack is shared by the whole session), the next purge is due an hour after it.
        assert purge.enqueued_at is not None
        now = datetime.fromtimestamp(redis.time()[0], UTC).replace(tzinfo=None)
        since_queued = (now - purge.enqueued_at.replace(tzinfo=None)).total_seconds()
        next_in = redis.ttl("revrx:retention-purge")
        assert 3500 <= next_in + since_queued <= 3610, f"the next one waits about an hour ({next_in} s left, " \
                                                       f"queued {since_queued:.0f} s ago)"
        assert isinstance(_finished(redis, "recover-interrupted").return_value(), int)
    finally:
        redis.close()
