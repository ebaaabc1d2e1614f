"""Redis and the RQ queue: the one place jobs are enqueued, by dotted name, with ids only.

The database is the truth and Redis only the queue: every job's work is recorded in the database
before it is queued, so a job lost with Redis is queued again by recovery (smartapp/recovery.py).
Requests that start work check first that the queue is reachable (`require_available`) and refuse
with 503 when it is not, before changing anything; a queue that fails just after the commit is
logged and left to recovery, never reported as a failure of what was already saved.
"""

from __future__ import annotations

import logging
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)
_ACTIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


class QueueUnavailable(RuntimeError):
    """Redis cannot be reached: work cannot be queued now (answered 503, with nothing changed)."""


class Jobs:
    def __init__(self) -> None:
        self.redis: Redis | None = None
        self.queue: Queue | None = None
        self.default_timeout = 300

    def init(self, redis_url: str, queue_name: str, default_timeout: int) -> None:
        self.redis = Redis.from_url(redis_url)
        self.default_timeout = default_timeout
        self.queue = Queue(queue_name, connection=self.redis, default_timeout=default_timeout)

    def available(self) -> bool:
        """Whether Redis answers a ping now."""
        if self.redis is None:
            return False
        try:
            return bool(self.redis.ping())
        except (RedisError, OSError):
            return False

    def require_available(self) -> None:
        """Raise QueueUnavailable unless Redis answers: call before a request changes anything."""
        if not self.available():
            raise QueueUnavailable("the job queue (Redis) is not reachable")

    def _queue(self) -> Queue:
        if self.queue is None:
            raise RuntimeError("the job queue is not configured")
        return self.queue

    def enqueue(self, func: str, *args: int | str, job_id: str, timeout: int | None = None, **meta: Any) -> Job:
        """Enqueue `func` (dotted name) unless a job with `job_id` is already waiting or running.

        The deterministic id is what makes a double launch or a retried request code once. `timeout`
        (seconds) replaces the queue's default time limit (a job that codes a batch gets one per encounter).
        """
        queue = self._queue()
        try:
            existing = Job.fetch(job_id, connection=queue.connection)
            if existing.get_status(refresh=True) in _ACTIVE:
                return existing
        except NoSuchJobError:
            pass
        return queue.enqueue(func, *args, job_id=job_id, meta=meta or None, result_ttl=3600, failure_ttl=86400,
                             job_timeout=timeout)

    def enqueue_after_commit(self, session: Session, func: str, *args: int | str, job_id: str,
                             timeout: int | None = None) -> None:
        """Enqueue once the caller commits the rows the job will read (a job queued before the commit
        could start, find nothing and end). Dropped if the transaction rolls back."""
        session.info.setdefault(_AFTER_COMMIT, []).append((func, args, job_id, timeout))


_AFTER_COMMIT = "revrx.jobs.after_commit"


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return      # SQLAlchemy fires this for a released savepoint too: nothing is committed yet
    for func, args, job_id, timeout in session.info.pop(_AFTER_COMMIT, []):
        try:
            jobs.enqueue(func, *args, job_id=job_id, timeout=timeout)
        except (RedisError, OSError) as exc:
            # What the job will do is committed; recovery queues it once Redis is back.
            log.warning("could not queue %s (%s); recovery will queue it when Redis is back",
                        job_id, type(exc).__name__)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if not previous_transaction.nested:   # the whole transaction, not a savepoint
        session.info.pop(_AFTER_COMMIT, None)


jobs = Jobs()
