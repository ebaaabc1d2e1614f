"""The worker runs jobs in its own process (no fork per job) and keeps what the fork gave: a job past
its time limit fails and the next job runs; a job that cannot be interrupted ends the worker within
the grace period, and recovery puts that job back on the queue (its worker is dead)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from rq.job import JobStatus

from smartapp.extensions import jobs
from smartapp.recovery import requeue_orphaned_jobs

pytestmark = pytest.mark.db
ROOT = Path(__file__).resolve().parents[2]

# A worker process on the app's queue, as `python -m workers --burst` runs it, but without the warm-up
# (these jobs need no code set) and with a short grace before the hard stop.
WORKER = """
import sys
from redis import Redis
from rq import Queue
from workers.worker import RevrxWorker

class Quick(RevrxWorker):
    hard_kill_grace_s = 1.0

redis = Redis.from_url(sys.argv[1])
Quick([Queue(sys.argv[2], connection=redis)], connection=redis).work(burst=True, with_scheduler=False)
"""


def _run_worker(redis_url: str, queue: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", WORKER, redis_url, queue], cwd=ROOT, capture_output=True,  # noqa: S603
                          text=True, timeout=timeout, check=False)


def test_jobs_run_in_the_worker_process_and_a_job_past_its_time_limit_fails_alone(app: Flask) -> None:
    assert jobs.queue is not None and jobs.redis is not None
    queue = jobs.queue
    first = queue.enqueue("tests.support.worker_jobs.pid")
    slow = queue.enqueue("tests.support.worker_jobs.sleep", 30, job_timeout=1)
    second = queue.enqueue("tests.support.worker_jobs.pid")
    started = time.monotonic()
    done = _run_worker(_redis_url(), queue.name)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]
    assert slow.get_status(refresh=True) == JobStatus.FAILED
    assert "JobTimeoutException" in str(slow.latest_result().exc_string), "failed by its time limit"
    assert took < 20, "the 30 s job was stopped at its 1 s limit"
    pids = {first.latest_result().return_value, second.latest_result().return_value}
    assert len(pids) == 1 and None not in pids, "both jobs ran in the one worker process, no fork per job"


def _redis_url() -> str:
    assert jobs.redis is not None
    kwargs = jobs.redis.connection_pool.connection_kwargs
    return f"redis://{kwargs['host']}:{kwargs['port']}/{kwargs.get('db', 0)}"


def test_a_job_the_time_limit_cannot_interrupt_ends_its_worker_and_is_requeued(app: Flask) -> None:
    assert jobs.queue is not None and jobs.redis is not None
    stuck = jobs.queue.enqueue("tests.support.worker_jobs.deaf_to_alarms", 60, job_id="stuck-job", job_timeout=1)
    started = time.monotonic()
    done = _run_worker(_redis_url(), jobs.queue.name)
    took = time.monotonic() - started
    assert done.returncode != 0 and "Timeout" in done.stderr, done.stderr[-2000:]
    assert took < 30, f"ended {took:.0f} s after it started, not after the job's 60 s"
    assert stuck.get_status(refresh=True) == JobStatus.STARTED, "left started by a worker that is gone"
    assert requeue_orphaned_jobs(jobs.redis) == 1
    assert "stuck-job" in jobs.queue.get_job_ids(), "back on the queue for another worker"
    jobs.queue.empty()
